import { normals } from '../../../lib/random';
import { advice, exercise, names, near, ok, test, shape, value, VerdictError } from '../../../lib/exercise/spec';
import { t2, termOff } from '../common';

const u = normals(1, 12);
const c = normals(2, 12);

export default exercise('guidance/cfgCombine', 'cfgCombine', [
  test(2, 'is uncond + w·(cond − uncond) for several w', async (t) => {
    for (const w of [0, 1, 2.5, 7]) {
      try {
        near(await t.call(t2(u, 6), t2(c, 6), w), Array.from(u, (x, i) => x + w * (c[i] - x)), { shape: [6, 2], what: 'the guided ε̂', given: `w = ${w}, uncond and cond [6, 2] of standard normals` });
      } catch (err) {
        const terms = [{ name: 'the coefficient of uncond, 1 − w,', want: 1 - w }, { name: 'the coefficient of cond, w,', want: w }];
        throw new VerdictError((err as Error).message + (await termOff(([pu, pc]) => t.call(pu, pc, w), terms, `w = ${w}`)));
      }
    }
  }),
  test(1, 'keeps the shape and gives back exactly uncond at w = 0 and cond at w = 1', async (t) => {
    near(await t.call(t2(u, 4), t2(c, 4), 0), u, { tol: 1e-6, shape: [4, 3], what: 'the guided ε̂', given: 'w = 0 should give uncond' });
    near(await t.call(t2(u, 4), t2(c, 4), 1), c, { tol: 1e-6, shape: [4, 3], what: 'the guided ε̂', given: 'w = 1 should give cond' });
  }),
  test(1, 'still rejects a negative or NaN w and uncond, cond of different shapes (its own messages)', async (t) => {
    // The checks are given in the stub; this point is for keeping them while writing the formula.
    near(await t.call(t2(u, 6), t2(c, 6), 3), Array.from(u, (x, i) => x + 3 * (c[i] - x)), { what: 'the guided ε̂', given: 'w = 3' });
    names(await t.throws(t2(u, 6), t2(c, 6), -1), 'cfgCombine', [value(-1)], 'w = −1');
    names(await t.throws(t2(u, 6), t2(c, 6), NaN), 'cfgCombine', [value(NaN)], 'w = NaN');
    names(await t.throws(t2(u, 6), t2(c.subarray(0, 8), 4), 2), 'cfgCombine', [shape([6, 2]), shape([4, 2])], 'uncond [6, 2] with cond [4, 2]');
  }),
  advice('leaves no tensors behind', async (t) => {
    await t.call(t2(u, 6), t2(c, 6), 2.5);
    ok(t.leaked === 0, `cfgCombine left ${t.leaked} tensor(s) alive: wrap the work in tf.tidy`);
  }),
]);
