import { normals } from '../../../lib/random';
import { exercise, advice, names, near, ok, test, shape, value } from '../../../lib/exercise/spec';
import { abar, betas, t2 } from '../common';

const x = normals(6, 6);
const e = normals(7, 6);
const z = normals(8, 6);
const x0Hat = (t: number) => Array.from(x, (v, i) => (v - Math.sqrt(1 - abar[t]) * e[i]) / Math.sqrt(abar[t]));

export default exercise('diffusion/ddimStep', 'ddimStep', [
  test(2, 'η = 0 jumps from t to s: √ᾱ_s·x̂0 + √(1 − ᾱ_s)·ε̂', async (t) => {
    const [s1, s2] = [800, 300];
    const want = x0Hat(s1).map((v, i) => Math.sqrt(abar[s2]) * v + Math.sqrt(1 - abar[s2]) * e[i]);
    near(await t.call(t2(x, 3), t2(e, 3), abar[s1], abar[s2], 0, t2(z, 3)), want, { tol: 1e-4, shape: [3, 2], what: 'x_s', given: 't = 800, s = 300, η = 0' });
  }),
  test(2, 'η = 1 on one step is DDPM: the same mean and the fresh-noise variance ν² = β(1 − ᾱ_{t−1})/(1 − ᾱ_t)', async (t) => {
    for (const s of [1, 250, 999]) {
      const b = betas[s];
      const mean = Array.from(x, (v, i) => (v - (b / Math.sqrt(1 - abar[s])) * e[i]) / Math.sqrt(1 - b));
      near(await t.call(t2(x, 3), t2(e, 3), abar[s], abar[s - 1], 1, null), mean, { tol: 1e-4, what: 'the mean', given: `t = ${s}, η = 1, z = null` });
      const nu = Math.sqrt((b * (1 - abar[s - 1])) / (1 - abar[s]));
      near(await t.call(t2(x, 3), t2(e, 3), abar[s], abar[s - 1], 1, t2(z, 3)), mean.map((m, i) => m + nu * z[i]), { tol: 1e-4, what: 'x_{t−1}', given: `t = ${s}, η = 1, ν = ${nu.toPrecision(4)}` });
    }
  }),
  test(1, 'η between: ν = η·√((1 − ᾱ_s)/(1 − ᾱ_t))·√(1 − ᾱ_t/ᾱ_s)', async (t) => {
    const [s1, s2, eta] = [600, 200, 0.5];
    const nu = eta * Math.sqrt((1 - abar[s2]) / (1 - abar[s1])) * Math.sqrt(1 - abar[s1] / abar[s2]);
    const want = x0Hat(s1).map((v, i) => Math.sqrt(abar[s2]) * v + Math.sqrt(1 - abar[s2] - nu * nu) * e[i] + nu * z[i]);
    near(await t.call(t2(x, 3), t2(e, 3), abar[s1], abar[s2], eta, t2(z, 3)), want, { tol: 1e-4, what: 'x_s', given: 't = 600, s = 200, η = 0.5' });
  }),
  test(1, 'rejects η outside [0, 1], naming the value', async (t) => {
    names(await t.throws(t2(x, 3), t2(e, 3), 0.5, 0.6, 1.2, null), 'ddimStep', [value(1.2)], 'η = 1.2');
    names(await t.throws(t2(x, 3), t2(e, 3), 0.5, 0.6, -0.5, null), 'ddimStep', [value(-0.5)], 'η = −0.5');
  }),
  test(1, 'rejects xt and epsHat of different shapes, naming both', async (t) => {
    names(await t.throws(t2(x, 3), t2(e.subarray(0, 4), 2), 0.5, 0.6, 0, null), 'ddimStep', [shape([3, 2]), shape([2, 2])], 'xt [3, 2] with epsHat [2, 2]');
  }),
  test(1, 'rejects a z of another shape, naming it', async (t) => {
    names(await t.throws(t2(x, 3), t2(e, 3), 0.5, 0.6, 0.5, t2(z.subarray(0, 4), 2)), 'ddimStep', [shape([2, 2]), shape([3, 2])], 'z [2, 2] with xt [3, 2]');
  }),
  test(1, 'rejects η > 0 on a backward step (ᾱ_s < ᾱ_t), naming both ᾱs', async (t) => {
    names(await t.throws(t2(x, 3), t2(e, 3), 0.6, 0.45, 0.3, null), 'ddimStep', [value(0.6), value(0.45)], 'ᾱ_t = 0.6, ᾱ_s = 0.45, η = 0.3');
  }),
  advice('leaves no tensors behind', async (t) => {
    await t.call(t2(x, 3), t2(e, 3), abar[600], abar[200], 0.5, t2(z, 3));
    ok(t.leaked === 0, `ddimStep left ${t.leaked} tensor(s) alive: wrap the work in tf.tidy`);
  }),
]);
