import { normals } from '../../../lib/random';
import { advice, exercise, names, near, ok, same, tensor, test, type TensorValue, shape, value } from '../../../lib/exercise/spec';
import { abar, named, t2 } from '../common';

const [n, d] = [4, 2];
const x0 = normals(21, n * d);
const eps = normals(22, n * d);
const ts = [3, 250, 600, 999];
const ab = ts.map((s) => abar[s]);
/** x_t = √ᾱ·x0 + √(1 − ᾱ)·ε, row by row, in float64. */
const xt = Array.from(x0, (v, i) => Math.sqrt(ab[Math.floor(i / d)]) * v + Math.sqrt(1 - ab[Math.floor(i / d)]) * eps[i]);
const mse = (a: ArrayLike<number>, b: ArrayLike<number>) => Array.from(a).reduce((s, v, i) => s + (v - b[i]) ** 2, 0) / a.length;

/** A fixed linear noise predictor ε̂ = c·x_t + k·t (t of each row), as a callback on wire tensors. */
const linear = (c: number, k: number) => (x: TensorValue, t: TensorValue) => tensor(x.values.map((v, i) => c * v + k * t.values[Math.floor(i / x.shape[1])]), x.shape);
const args = (model: Function) => [model, t2(x0, n), t2(eps, n), tensor(ts, [n], 'int32'), tensor(ab, [n, 1])];
const given = 'x0, ε [4, 2]; t = 3, 250, 600, 999 on the linear schedule';

export default exercise('diffusion/epsLoss', 'epsLoss', [
  test(2, 'is the mean of (ε̂(x_t, t) − ε)² over the batch and coordinates', async (t) => {
    for (const [c, k] of [[0.5, 0.001], [-1, 0.002]]) {
      const want = mse(xt.map((v, i) => c * v + k * ts[Math.floor(i / d)]), eps);
      near(await t.call(...args(linear(c, k))), want, { tol: 1e-5, rel: 1e-5, shape: [], what: 'the loss', given: `ε̂ = ${c}·x_t + ${k}·t; ${given}` });
    }
  }),
  test(1, 'calls the model once, with x_t = √ᾱ·x0 + √(1 − ᾱ)·ε and each row’s t', async (t) => {
    const seen: { x: TensorValue; t: TensorValue }[] = [];
    const model = (x: TensorValue, s: TensorValue) => (seen.push({ x, t: s }), linear(0.5, 0)(x, s));
    await t.call(...args(model));
    ok(seen.length === 1, `epsLoss called the model ${seen.length} times for one batch; call it once, on the whole batch`);
    near(seen[0].x, xt, { tol: 1e-5, shape: [n, d], what: 'the x_t the model received', given });
    same(seen[0].t, ts, { what: 'the t the model received', given: 'one timestep per row: 3, 250, 600, 999' });
  }),
  test(1, 'is 0 for a perfect noise predictor and mean(ε²) for one that always says 0', async (t) => {
    // The perfect predictor inverts the forward process row by row: ε = (x_t − √ᾱ·x0)/√(1 − ᾱ).
    const perfect = (x: TensorValue) => tensor(x.values.map((v, i) => (v - Math.sqrt(ab[Math.floor(i / d)]) * x0[i]) / Math.sqrt(1 - ab[Math.floor(i / d)])), x.shape);
    near(await t.call(...args(perfect)), 0, { tol: 1e-5, what: 'the loss', given: `ε̂ = the true ε; ${given}` });
    near(await t.call(...args((x: TensorValue) => tensor(new Array(x.values.length).fill(0), x.shape))), mse(eps, new Array(n * d).fill(0)), { tol: 1e-5, what: 'the loss', given: `ε̂ = 0; ${given}` });
  }),
  test(1, 'rejects mismatched shapes, ᾱ outside (0, 1] and a model answer of the wrong shape, naming them', async (t) => {
    const model = linear(0.5, 0);
    const ok2 = [t2(x0, n), t2(eps, n), tensor(ts, [n], 'int32'), tensor(ab, [n, 1])] as const;
    names(await t.throws(model, ok2[0], t2(eps.subarray(0, 6), 3), ok2[2], ok2[3]), 'epsLoss', [shape([4, 2]), shape([3, 2])], 'x0 [4, 2] with eps [3, 2]');
    names(await t.throws(model, ok2[0], ok2[1], tensor(ts.slice(0, 3), [3], 'int32'), ok2[3]), 'epsLoss', [shape([3])], 't of shape [3] for 4 rows');
    names(await t.throws(model, ok2[0], ok2[1], ok2[2], tensor(ab, [n])), 'epsLoss', [shape([4]), shape([4, 1])], 'alphaBarT of shape [4] instead of [4, 1]');
    names(await t.throws(model, ok2[0], ok2[1], ok2[2], tensor([0.9, 0.5, 1.5, 0.1], [n, 1])), 'epsLoss', [shape([2], 'the row'), value(1.5)], 'ᾱ = 1.5 in row 2');
    names(await t.throws(model, ok2[0], ok2[1], ok2[2], tensor([0.9, 0, 0.5, 0.1], [n, 1])), 'epsLoss', [shape([1], 'the row'), named(0)], 'ᾱ = 0 in row 1');
    const wide = (x: TensorValue) => tensor(new Array(x.shape[0] * 3).fill(0), [x.shape[0], 3]);
    names(await t.throws(wide, ...ok2), 'epsLoss', [shape([4, 3]), shape([4, 2])], 'a model that answers [4, 3] for x_t [4, 2]');
  }),
  advice('leaves no tensors behind', async (t) => {
    await t.call(...args(linear(0.5, 0.001)));
    ok(t.leaked === 0, `epsLoss left ${t.leaked} tensor(s) alive: wrap the work in tf.tidy`);
  }),
]);
