import { normals } from '../../../lib/random';
import { advice, exercise, names, near, ok, show, tensor, test, valuesOf, shape, VerdictError } from '../../../lib/exercise/spec';
import { named, rowsOf, softmax, t2 } from '../common';

const [m, n, d] = [5, 4, 2];
const data = normals(40, m * d).map((v) => 2 * v);
const xt = normals(41, n * d);
const points = rowsOf(data, m, d);

/** E[x0 | x_t] in float64: softmax over −|x_t − √ᾱ·x0_i|²/(2(1 − ᾱ)) (log-sum-exp), then the weighted mean. */
function posteriorMean(x: ArrayLike<number>, rows: number, a: number): number[] {
  return rowsOf(x, rows, d).flatMap((r) => {
    const w = softmax(points.map((p) => -p.reduce((s, v, j) => s + (r[j] - Math.sqrt(a) * v) ** 2, 0) / (2 * (1 - a))));
    return r.map((_, j) => points.reduce((s, p, i) => s + w[i] * p[j], 0));
  });
}

export default exercise('diffusion/idealDenoiser', 'idealDenoiser', [
  test(2, 'is the softmax-weighted average of the data points (direct computation)', async (t) => {
    for (const a of [0.5, 0.9]) {
      near(await t.call(t2(data, m), t2(xt, n), a), posteriorMean(xt, n, a), { tol: 1e-4, shape: [n, d], what: 'E[x0 | x_t]', given: `ᾱ = ${a}, 5 data points, 4 rows of x_t` });
    }
  }),
  test(1, 'as ᾱ → 1 picks the nearest data point, and stays finite far from the data', async (t) => {
    const a = 0.9999;
    // Rows near √ᾱ·x0_k for k = 0, 3, 4, and one row far from every point (exponents near −10⁶).
    const near0 = [0, 3, 4].flatMap((k) => points[k].map((v, j) => Math.sqrt(a) * v + 0.01 * (j ? 1 : -1)));
    const far = [30, -20];
    const nearest = points.reduce((b, p) => (Math.hypot(p[0] * Math.sqrt(a) - far[0], p[1] * Math.sqrt(a) - far[1]) < Math.hypot(b[0] * Math.sqrt(a) - far[0], b[1] * Math.sqrt(a) - far[1]) ? p : b));
    const got = await t.call(t2(data, m), t2([...near0, ...far], 4), a);
    ok(valuesOf(got).every(Number.isFinite), `E[x0 | x_t] has ${valuesOf(got).filter((v) => !Number.isFinite(v)).length} non-finite values at ᾱ = 0.9999: exp() of exponents near −10⁶ underflows to 0/0; subtract each row's max before exp (log-sum-exp)`);
    near(got, [...[0, 3, 4].flatMap((k) => points[k]), ...nearest], { tol: 1e-3, shape: [4, d], what: 'E[x0 | x_t]', given: 'ᾱ = 0.9999; rows 0–2 sit next to data points 0, 3, 4, row 3 at (30, −20) far from all' });
  }),
  test(1, 'for small ᾱ is close to the data mean (and exact)', async (t) => {
    const a = 1e-4;
    const got = valuesOf(await t.call(t2(data, m), t2(xt, n), a));
    near(got, posteriorMean(xt, n, a), { tol: 1e-4, what: 'E[x0 | x_t]', given: 'ᾱ = 1e-4' });
    const mean = [0, 1].map((j) => points.reduce((s, p) => s + p[j] / m, 0));
    got.forEach((v, i) => ok(Math.abs(v - mean[i % d]) < 0.05, `E[x0 | x_t] row ${Math.floor(i / d)}, coordinate ${i % d} is ${show(v)}, but at ᾱ = 1e-4 it should be within 0.05 of the data mean ${show(mean[i % d])}`));
  }),
  test(1, 'stays exact between two data points 0.02 apart at ᾱ = 0.9999 (float64 to 2e-6)', async (t) => {
    // Two data points near (3, 4), 0.02 apart, and one far away; x_t on the segment between the first two.
    const a = 0.9999;
    const pts = [[3, 4], [3.02, 4], [-1, 0.5]];
    const rows = [0.3, 0.5, 0.6].map((f) => [Math.sqrt(a) * (3 + 0.02 * f), Math.sqrt(a) * 4 + 0.004]);
    const dataF = Float32Array.from(pts.flat());
    const xF = Float32Array.from(rows.flat());
    // float64 from the same float32 inputs
    const want = rowsOf(xF, 3, 2).flatMap((r) => {
      const w = softmax(rowsOf(dataF, 3, 2).map((p) => -((r[0] - Math.sqrt(a) * p[0]) ** 2 + (r[1] - Math.sqrt(a) * p[1]) ** 2) / (2 * (1 - a))));
      return [0, 1].map((j) => w.reduce((s, wi, i) => s + wi * dataF[2 * i + j], 0));
    });
    const got = await t.call(tensor(dataF, [3, 2]), tensor(xF, [3, 2]), a);
    try {
      near(got, want, { tol: 2e-6, shape: [3, 2], what: 'E[x0 | x_t]', given: `ᾱ = 0.9999; data (3, 4), (3.02, 4), (−1, 0.5); x_t at 0.3, 0.5 and 0.6 of the way from √ᾱ·(3, 4) to √ᾱ·(3.02, 4), 0.004 above` });
    } catch (e) {
      throw new VerdictError(`${(e as Error).message}. The weights of the two near points depend on distances of about 0.01, divided by 2(1 − ᾱ) = 2e-4: compute x_t − √ᾱ·x0_i directly, not as |x_t|² − 2x_t·√ᾱx0_i + ᾱ|x0_i|², which loses those digits in float32`);
    }
  }),
  test(1, 'rejects data and x_t of different d, no data, and ᾱ outside (0, 1), naming them', async (t) => {
    names(await t.throws(t2(data, m), t2(normals(42, 12), 4), 0.5), 'idealDenoiser', [shape([5, 2]), shape([4, 3])], 'data [5, 2] with xt [4, 3]');
    names(await t.throws(tensor([], [0, 2]), t2(xt, n), 0.5), 'idealDenoiser', [shape([0, 2])], 'data of shape [0, 2]');
    names(await t.throws(t2(data, m), t2(xt, n), 1), 'idealDenoiser', [named(1)], 'ᾱ = 1');
    names(await t.throws(t2(data, m), t2(xt, n), 0), 'idealDenoiser', [named(0)], 'ᾱ = 0');
  }),
  advice('leaves no tensors behind', async (t) => {
    await t.call(t2(data, m), t2(xt, n), 0.5);
    ok(t.leaked === 0, `idealDenoiser left ${t.leaked} tensor(s) alive: wrap the work in tf.tidy`);
  }),
]);
