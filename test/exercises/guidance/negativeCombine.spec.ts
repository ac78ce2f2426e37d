import { normals } from '../../../lib/random';
import { advice, exercise, names, near, ok, tensor, test, shape, value } from '../../../lib/exercise/spec';
import { t2 } from '../common';

const n = normals(3, 10);
const p = normals(4, 10);

export default exercise('guidance/negativeCombine', 'negativeCombine', [
  test(2, 'is neg + w·(pos − neg), moving away from the negative prediction', async (t) => {
    for (const w of [0, 1, 3, 6]) {
      near(await t.call(t2(n, 5), t2(p, 5), w), Array.from(n, (x, i) => x + w * (p[i] - x)), { shape: [5, 2], what: 'the steered ε̂', given: `w = ${w}, neg and pos [5, 2]` });
    }
  }),
  test(1, 'at w = 3 lies twice as far beyond pos as pos is from neg', async (t) => {
    near(await t.call(tensor([0, 0], [1, 2]), tensor([1, -2], [1, 2]), 3), [3, -6], { shape: [1, 2], what: 'the steered ε̂', given: 'neg = (0, 0), pos = (1, −2), w = 3' });
  }),
  test(1, 'still rejects a negative w and neg, pos of different shapes (its own messages)', async (t) => {
    // The checks are given in the stub; this point is for keeping them while writing the formula.
    near(await t.call(t2(n, 5), t2(p, 5), 2), Array.from(n, (x, i) => x + 2 * (p[i] - x)), { what: 'the steered ε̂', given: 'w = 2' });
    names(await t.throws(t2(n, 5), t2(p, 5), -0.5), 'negativeCombine', [value(-0.5)], 'w = −0.5');
    names(await t.throws(t2(n, 5), t2(p.subarray(0, 6), 3), 2), 'negativeCombine', [shape([5, 2]), shape([3, 2])], 'neg [5, 2] with pos [3, 2]');
  }),
  advice('leaves no tensors behind', async (t) => {
    await t.call(t2(n, 5), t2(p, 5), 3);
    ok(t.leaked === 0, `negativeCombine left ${t.leaked} tensor(s) alive: wrap the work in tf.tidy`);
  }),
]);
