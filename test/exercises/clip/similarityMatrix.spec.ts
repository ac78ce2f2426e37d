import { normals } from '../../../lib/random';
import { advice, exercise, names, near, ok, tensor, test, shape, value, words } from '../../../lib/exercise/spec';
import { dot, rowsOf, unit } from '../common';

/** Cosine similarities of every row of A [n, d] with every row of B [m, d], flat, in float64. */
const cosines = (A: ArrayLike<number>, n: number, B: ArrayLike<number>, m: number, d: number) => {
  const ra = rowsOf(A, n, d).map(unit);
  const rb = rowsOf(B, m, d).map(unit);
  return ra.flatMap((r) => rb.map((q) => dot(r, q)));
};

export default exercise('clip/similarityMatrix', 'similarityMatrix', [
  test(2, 'is N×N with ones on the diagonal for identical embeddings', async (t) => {
    const a = normals(1, 8 * 5);
    const got = await t.call(tensor(a, [8, 5]), tensor(a.map((v) => 3 * v), [8, 5]));
    near(got, cosines(a, 8, a, 8, 5), { shape: [8, 8], what: 'S', given: 'a [8, 5], b = 3·a' });
    const diag = Array.from({ length: 8 }, (_, i) => got.values[i * 9]);
    near(diag, new Array(8).fill(1), { what: 'the diagonal S[i][i]', given: 'b = 3·a: every pair has the same direction' });
  }),
  test(2, 'matches cosine similarities computed in plain JS, for n ≠ m', async (t) => {
    const A = normals(2, 6 * 7);
    const B = normals(3, 4 * 7);
    near(await t.call(tensor(A, [6, 7]), tensor(B, [4, 7])), cosines(A, 6, B, 4, 7), { shape: [6, 4], what: 'S', given: 'a [6, 7], b [4, 7] of standard normals' });
  }),
  test(1, 'does not depend on the length of the vectors', async (t) => {
    near(await t.call(tensor([1, 0, 1, 1], [2, 2]), tensor([0, 5, -2, 0], [2, 2])), [0, -1, Math.SQRT1_2, -Math.SQRT1_2], {
      tol: 1e-6,
      shape: [2, 2],
      what: 'S',
      given: 'a = [[1, 0], [1, 1]], b = [[0, 5], [−2, 0]]',
    });
  }),
  test(1, 'rejects different embedding sizes, naming both shapes', async (t) => {
    const msg = await t.throws(tensor(new Array(12).fill(0), [3, 4]), tensor(new Array(15).fill(1), [3, 5]));
    names(msg, 'similarityMatrix', [shape([3, 4]), shape([3, 5])], 'a [3, 4] with b [3, 5]');
  }),
  test(1, 'rejects zero vectors, NaN and Infinity, naming the row', async (t) => {
    const good = tensor([1, 2, 3, 4], [2, 2]);
    names(await t.throws(tensor([1, 2, 0, 0], [2, 2]), good), 'similarityMatrix', [words('row 1'), words('zero')], 'a = [[1, 2], [0, 0]]');
    names(await t.throws(good, tensor([NaN, 2, 3, 4], [2, 2])), 'similarityMatrix', [words('row 0'), value(NaN)], 'b = [[NaN, 2], [3, 4]]');
    names(await t.throws(good, tensor([1, 2, 3, Infinity], [2, 2])), 'similarityMatrix', [words('row 1'), value(Infinity)], 'b = [[1, 2], [3, Infinity]]');
  }),
  advice('leaves no tensors behind', async (t) => {
    await t.call(tensor(normals(2, 6 * 7), [6, 7]), tensor(normals(3, 4 * 7), [4, 7]));
    ok(t.leaked === 0, `similarityMatrix left ${t.leaked} tensor(s) alive: wrap the work in tf.tidy`);
  }),
]);
