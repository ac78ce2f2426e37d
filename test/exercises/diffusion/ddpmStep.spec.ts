import { normals } from '../../../lib/random';
import { exercise, advice, names, near, ok, test, shape } from '../../../lib/exercise/spec';
import { abar, betas, t2 } from '../common';

const x = normals(3, 6);
const e = normals(4, 6);
const z = normals(5, 6);
/** The DDPM mean (x − β/√(1 − ᾱ_t)·ε̂)/√(1 − β) at step t. */
const mean = (t: number) => Array.from(x, (v, i) => (v - (betas[t] / Math.sqrt(1 - abar[t])) * e[i]) / Math.sqrt(1 - betas[t]));

export default exercise('diffusion/ddpmStep', 'ddpmStep', [
  test(2, 'matches (x − β/√(1 − ᾱ_t)·ε̂)/√(1 − β) + σ·z with σ² = β(1 − ᾱ_{t−1})/(1 − ᾱ_t)', async (t) => {
    for (const s of [400, 20, 999]) {
      const b = betas[s];
      const sig = Math.sqrt((b * (1 - abar[s - 1])) / (1 - abar[s]));
      const want = mean(s).map((m, i) => m + sig * z[i]);
      near(await t.call(t2(x, 3), t2(e, 3), b, abar[s], abar[s - 1], t2(z, 3)), want, { shape: [3, 2], what: 'x_{t−1}', given: `t = ${s}, β = ${b.toPrecision(4)}, ᾱ_t = ${abar[s].toPrecision(4)}` });
    }
  }),
  test(1, 'without noise (z = null) returns the mean', async (t) => {
    near(await t.call(t2(x, 3), t2(e, 3), betas[400], abar[400], abar[399], null), mean(400), { what: 'the mean', given: 't = 400, z = null' });
  }),
  test(1, 'at the last step (t = 0, ᾱ_{t−1} = 1) the noise has no effect', async (t) => {
    near(await t.call(t2(x, 3), t2(e, 3), betas[0], abar[0], 1, t2(z, 3)), mean(0), { what: 'x_0', given: 't = 0 with z given' });
  }),
  test(1, 'rejects xt and epsHat of different shapes, naming both', async (t) => {
    names(await t.throws(t2(x, 3), t2(e.subarray(0, 4), 2), 0.01, 0.5, 0.6, null), 'ddpmStep', [shape([3, 2]), shape([2, 2])], 'xt [3, 2] with epsHat [2, 2]');
  }),
  test(1, 'rejects a z of another shape, naming it', async (t) => {
    names(await t.throws(t2(x, 3), t2(e, 3), 0.01, 0.5, 0.6, t2(z.subarray(0, 4), 2)), 'ddpmStep', [shape([2, 2])], 'z [2, 2] with xt [3, 2]');
  }),
  advice('leaves no tensors behind', async (t) => {
    await t.call(t2(x, 3), t2(e, 3), betas[400], abar[400], abar[399], t2(z, 3));
    ok(t.leaked === 0, `ddpmStep left ${t.leaked} tensor(s) alive: wrap the work in tf.tidy`);
  }),
]);
