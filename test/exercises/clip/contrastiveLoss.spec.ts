import { normals } from '../../../lib/random';
import { advice, exercise, names, near, ok, show, tensor, test, valuesOf, shape, value } from '../../../lib/exercise/spec';
import { clipLoss, logSumExp, rowsOf, showMatrix, softmax } from '../common';

const square = (z: number[][]) => tensor(z.flat(), [z.length, z.length]);

export default exercise('clip/contrastiveLoss', 'contrastiveLoss', [
  test(2, 'matches a plain-JS log-sum-exp computation on random logits', async (t) => {
    const n = 6;
    const z = rowsOf(normals(4, n * n).map((x) => 3 * x), n, n);
    near(await t.call(square(z)), clipLoss(z), { tol: 1e-4, what: 'the loss', given: '6 × 6 logits, 3 × standard normals' });
  }),
  test(2, 'is symmetric in rows and columns: loss(Z) = loss(Zᵀ), and not just the row loss', async (t) => {
    const z = [[2, 0, 1], [5, 1, 0], [0, 3, 2]];
    const zt = z.map((_, i) => z.map((r) => r[i]));
    const got = valuesOf(await t.call(square(z)))[0];
    const rowLoss = z.reduce((s, r, i) => s + logSumExp(r) - r[i], 0) / 3;
    ok(Math.abs(got - rowLoss) > 1e-3, `the loss is ${show(got)}, which is the row loss alone (image → caption); average it with the column loss (caption → image) (Z = ${showMatrix(z)})`);
    near(got, clipLoss(z), { what: 'the loss', given: `Z = ${showMatrix(z)}` });
    near(await t.call(square(zt)), got, { what: 'loss(Zᵀ)', given: `should equal loss(Z) = ${show(got)}` });
  }),
  test(2, 'stays finite and exact with logits above 80 (logitScale up to 100)', async (t) => {
    const n = 5;
    const sim = rowsOf(normals(5, n * n), n, n).map((r) => r.map((x) => Math.tanh(x)));
    const z = sim.map((r, i) => r.map((x, j) => 100 * (i === j ? 0.9 : x * 0.95)));
    const got = valuesOf(await t.call(square(z)))[0];
    ok(Number.isFinite(got), `the loss is ${got} for logits up to ${show(Math.max(...z.flat()))}: exp overflows float32 above about 88, so subtract each row's max (log-sum-exp)`);
    near(got, clipLoss(z), { tol: 1e-3, what: 'the loss', given: '5 × 5 logits = 100 × similarities, diagonal 90' });
    const big = [[120, 95, 90], [85, 130, 100], [99, 98, 97]];
    near(await t.call(square(big)), clipLoss(big), { tol: 1e-3, what: 'the loss', given: `Z = ${showMatrix(big)}` });
  }),
  test(1, 'is near 0 for a confident diagonal and log n for constant logits', async (t) => {
    const n = 4;
    const eye = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 100 : 0)));
    near(await t.call(square(eye)), 0, { what: 'the loss', given: '4 × 4 logits, 100 on the diagonal and 0 elsewhere' });
    near(await t.call(square(eye.map((r) => r.map(() => 7)))), Math.log(n), { what: 'the loss', given: '4 × 4 logits all 7: every pair equally likely, so log 4' });
  }),
  test(2, 'is differentiable with tf.grad (CLIP trains through it): the gradient is (softmax − I)/2n over rows plus over columns', async (t) => {
    // The learner's loss is differentiated by tf.valueAndGrad where it runs; the closed form is computed here.
    const n = 4;
    const z = rowsOf(normals(6, n * n), n, n);
    const rowP = z.map(softmax);
    const colP = z[0].map((_, j) => softmax(z.map((r) => r[j])));
    const want = z.flatMap((r, i) => r.map((_, j) => (rowP[i][j] - (i === j ? 1 : 0)) / (2 * n) + (colP[j][i] - (i === j ? 1 : 0)) / (2 * n)));
    const { value, grad } = await t.grad(0, square(z));
    near(value, clipLoss(z), { tol: 1e-4, what: 'the loss', given: 'Z = 4 × 4 standard normals' });
    near(grad, want, { tol: 1e-5, shape: [n, n], what: '∂loss/∂Z', given: 'Z = 4 × 4 standard normals' });
  }),
  test(1, 'rejects non-square logits (naming the shape) and NaN or Infinity (naming the position)', async (t) => {
    names(await t.throws(tensor(new Array(12).fill(0), [3, 4])), 'contrastiveLoss', [shape([3, 4])], 'logits [3, 4]');
    names(await t.throws(tensor([1, 2, 3, 4], [4])), 'contrastiveLoss', [shape([4])], 'logits of shape [4]');
    names(await t.throws(tensor([1, 2, NaN, 0], [2, 2])), 'contrastiveLoss', [shape([1, 0], 'the element'), value(NaN)], 'logits = [[1, 2], [NaN, 0]]');
    names(await t.throws(tensor([1, Infinity, 3, 0], [2, 2])), 'contrastiveLoss', [shape([0, 1], 'the element'), value(Infinity)], 'logits = [[1, Infinity], [3, 0]]');
  }),
  advice('leaves no tensors behind', async (t) => {
    await t.call(square(rowsOf(normals(4, 36), 6, 6)));
    ok(t.leaked === 0, `contrastiveLoss left ${t.leaked} tensor(s) alive: wrap the work in tf.tidy`);
  }),
]);
