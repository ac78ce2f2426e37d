import { normals } from '../../../lib/random';
import { advice, exercise, names, near, ok, sameList, showList, tensor, test, type TensorValue, shape, value } from '../../../lib/exercise/spec';
import { t2 } from '../common';

// A five-step schedule, so the whole loop can be followed by hand.
const betas = [0.1, 0.15, 0.2, 0.25, 0.3];
const abar: number[] = [];
betas.reduce((p, b, t) => (abar[t] = p * (1 - b)), 1);
const T = betas.length;
const [n, d] = [3, 2];
const xT = normals(30, n * d);
const zs = Array.from({ length: T }, (_, t) => normals(100 + t, n * d));

/** A fixed linear noise predictor ε̂ = 0.4·x − 0.05·t, in plain numbers. */
const epsOf = (x: ArrayLike<number>, t: number) => Array.from(x, (v) => 0.4 * v - 0.05 * t);
const model = (x: TensorValue, t: number) => tensor(epsOf(x.values, t), x.shape);
const noise = (t: number) => t2(zs[t], n);

/** The DDPM loop in plain JS: the x each step starts from, and x_0 last. */
function ddpm(withNoise: boolean, b = betas, a = abar): number[][] {
  const xs = [Array.from(xT)];
  for (let t = b.length - 1; t >= 0; t--) {
    const x = xs[xs.length - 1];
    const e = epsOf(x, t);
    const nu = t > 0 && withNoise ? Math.sqrt((b[t] * (1 - a[t - 1])) / (1 - a[t])) : 0;
    xs.push(x.map((v, i) => (v - (b[t] / Math.sqrt(1 - a[t])) * e[i]) / Math.sqrt(1 - b[t]) + nu * zs[t][i]));
  }
  return xs;
}

export default exercise('diffusion/sampleLoop', 'sampleLoop', [
  test(2, 'runs the DDPM step from t = T − 1 down to 0 and returns x_0 (a plain-JS loop agrees)', async (t) => {
    const xs = ddpm(true);
    near(await t.call(model, t2(xT, n), betas, abar, noise), xs[T], { tol: 1e-4, shape: [n, d], what: 'x_0', given: `T = 5, β = ${betas.join(', ')}, ε̂ = 0.4·x − 0.05·t, fixed z per step` });
  }),
  test(1, 'asks the model at t = 4, 3, 2, 1, 0 with the current x, and the noise at t = 4, 3, 2, 1', async (t) => {
    const xs = ddpm(true);
    const calls: { t: number; x: TensorValue }[] = [];
    const noiseAt: number[] = [];
    const m = (x: TensorValue, s: number) => (calls.push({ t: s, x }), model(x, s));
    await t.call(m, t2(xT, n), betas, abar, (s: number) => (noiseAt.push(s), noise(s)));
    // Typed: t must be the numbers 4, 3, 2, 1, 0 (the string '4,3,2,1,0' in one call is not five steps).
    ok(sameList(calls.map((c) => c.t), [4, 3, 2, 1, 0]), `the model was asked at t = ${showList(calls.map((c) => c.t)) || 'no t'}; expected t = 4, 3, 2, 1, 0 in that order`);
    calls.forEach((c, k) => near(c.x, xs[k], { tol: 1e-4, what: `the x the model received at t = ${c.t}`, given: 'it should be the previous step’s result (x_T first)' }));
    ok(sameList(noiseAt, [4, 3, 2, 1]), `noise(t) was called at t = ${showList(noiseAt) || 'no t'}; expected t = 4, 3, 2, 1 (none at t = 0, the last step adds no noise)`);
  }),
  test(1, 'with noise(t) = null it follows the means, and T = 1 is one step', async (t) => {
    near(await t.call(model, t2(xT, n), betas, abar, () => null), ddpm(false)[T], { tol: 1e-4, what: 'x_0', given: 'T = 5, noise(t) = null' });
    near(await t.call(model, t2(xT, n), [0.2], [0.8], noise), ddpm(true, [0.2], [0.8])[1], { tol: 1e-5, what: 'x_0', given: 'T = 1: β = [0.2], ᾱ = [0.8]' });
  }),
  test(1, 'rejects a schedule whose betas and alphaBar differ in length, and an xT that is not [n, d]', async (t) => {
    names(await t.throws(model, t2(xT, n), betas, abar.slice(0, 4), noise), 'sampleLoop', [value(5, { whole: true, noun: 'the length' }), value(4, { whole: true, noun: 'the length' })], 'betas of length 5 with alphaBar of length 4');
    names(await t.throws(model, tensor(xT, [6]), betas, abar, noise), 'sampleLoop', [shape([6])], 'xT of shape [6]');
  }),
  advice('leaves no tensors behind', async (t) => {
    await t.call(model, t2(xT, n), betas, abar, noise);
    ok(t.leaked === 0, `sampleLoop left ${t.leaked} tensor(s) alive over 5 steps: dispose each step's old x, ε̂ and z`);
  }),
]);
