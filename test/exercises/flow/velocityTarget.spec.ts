import { normals } from '../../../lib/random';
import { advice, exercise, names, near, ok, tensor, test, valuesOf, shape } from '../../../lib/exercise/spec';
import { t2 } from '../common';

const x0 = normals(60, 10);
const eps = normals(61, 10);
/** The straight path x_t = (1 − t)·x0 + t·ε, in float64. */
const path = (t: number) => Array.from(x0, (v, i) => (1 - t) * v + t * eps[i]);

export default exercise('flow/velocityTarget', 'velocityTarget', [
  test(2, 'is ε − x0', async (t) => {
    near(await t.call(t2(x0, 5), t2(eps, 5)), Array.from(eps, (e, i) => e - x0[i]), { shape: [5, 2], what: 'v', given: 'x0, ε [5, 2] of standard normals' });
  }),
  test(1, 'is the velocity of the path: x_t + Δ·v lands on x_{t+Δ}', async (t) => {
    const v = valuesOf(await t.call(t2(x0, 5), t2(eps, 5)));
    for (const [s, delta] of [[0, 1], [0.2, 0.5], [0.9, -0.3]]) {
      near(path(s).map((x, i) => x + delta * v[i]), path(s + delta), { tol: 1e-5, what: `x_t + Δ·v`, given: `t = ${s}, Δ = ${delta}: should be x_${s + delta} on the path (1 − t)·x0 + t·ε` });
    }
  }),
  test(1, 'works in any dimension d', async (t) => {
    const a = normals(62, 12);
    const b = normals(63, 12);
    near(await t.call(tensor(a, [3, 4]), tensor(b, [3, 4])), Array.from(b, (e, i) => e - a[i]), { shape: [3, 4], what: 'v', given: 'x0, ε [3, 4]' });
  }),
  test(1, 'rejects x0 and ε of different shapes (which tfjs would broadcast), naming both', async (t) => {
    names(await t.throws(t2(x0, 5), tensor([1, 2], [1, 2])), 'velocityTarget', [shape([5, 2]), shape([1, 2])], 'x0 [5, 2] with eps [1, 2]');
    names(await t.throws(t2(x0, 5), t2(eps.subarray(0, 8), 4)), 'velocityTarget', [shape([5, 2]), shape([4, 2])], 'x0 [5, 2] with eps [4, 2]');
  }),
  advice('leaves no tensors behind', async (t) => {
    await t.call(t2(x0, 5), t2(eps, 5));
    ok(t.leaked === 0, `velocityTarget left ${t.leaked} tensor(s) alive: wrap the work in tf.tidy`);
  }),
]);
