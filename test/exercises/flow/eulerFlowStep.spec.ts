import { normals } from '../../../lib/random';
import { advice, exercise, names, near, ok, tensor, test, type TensorValue, shape, value } from '../../../lib/exercise/spec';
import { t2 } from '../common';

const [n, d] = [4, 2];
const x = normals(70, n * d);
const c = [0.3, -0.7];
/** A fixed velocity field v̂(x, t) = 0.5·x + t·c, in plain numbers and as a callback. */
const vOf = (y: ArrayLike<number>, t: number) => Array.from(y, (v, i) => 0.5 * v + t * c[i % d]);
const field = (y: TensorValue, t: number) => tensor(vOf(y.values, t), y.shape);

export default exercise('flow/eulerFlowStep', 'eulerFlowStep', [
  test(2, 'is x_t + (s − t)·v̂(x_t, t)', async (t) => {
    for (const [a, b] of [[1, 0.8], [0.5, 0.45], [0.3, 0]]) {
      const v = vOf(x, a);
      near(await t.call(field, t2(x, n), a, b), Array.from(x, (y, i) => y + (b - a) * v[i]), { shape: [n, d], what: 'x_s', given: `t = ${a}, s = ${b}, v̂ = 0.5·x + t·(0.3, −0.7)` });
    }
  }),
  test(1, 'asks the model once, at x_t and t (not at s)', async (t) => {
    const calls: { x: TensorValue; t: number }[] = [];
    await t.call((y: TensorValue, s: number) => (calls.push({ x: y, t: s }), field(y, s)), t2(x, n), 0.6, 0.4);
    ok(calls.length === 1, `eulerFlowStep called the model ${calls.length} times; an Euler step uses one velocity, at the start`);
    ok(calls[0].t === 0.6, `eulerFlowStep asked the model at t = ${calls[0].t}; an Euler step uses the velocity at the start, t = 0.6 (s = 0.4)`);
    near(calls[0].x, x, { what: 'the x the model received', given: 'it should be x_t itself' });
  }),
  test(1, 'on a straight path (v̂ = ε − x0) lands exactly on the path', async (t) => {
    const x0 = normals(71, n * d);
    const eps = normals(72, n * d);
    const straight = (y: TensorValue) => tensor(Array.from(eps, (e, i) => e - x0[i]), y.shape);
    const at = (s: number) => Array.from(x0, (v, i) => (1 - s) * v + s * eps[i]);
    near(await t.call(straight, t2(eps, n), 1, 0), x0, { what: 'x_0', given: 'one step from t = 1 (x = ε) to s = 0 with v̂ = ε − x0' });
    near(await t.call(straight, t2(at(0.6), n), 0.6, 0.2), at(0.2), { what: 'x_0.2', given: 'from x_0.6 on the path (1 − t)·x0 + t·ε, v̂ = ε − x0' });
  }),
  test(1, 'rejects times outside [0, 1] and a model answer of the wrong shape, naming them', async (t) => {
    names(await t.throws(field, t2(x, n), 1.5, 0.5), 'eulerFlowStep', [value(1.5)], 't = 1.5');
    names(await t.throws(field, t2(x, n), 0.5, -0.1), 'eulerFlowStep', [value(-0.1)], 's = −0.1');
    const wide = (y: TensorValue) => tensor(new Array(y.shape[0] * 3).fill(0), [y.shape[0], 3]);
    names(await t.throws(wide, t2(x, n), 0.5, 0.4), 'eulerFlowStep', [shape([4, 3]), shape([4, 2])], 'a model that answers [4, 3] for x [4, 2]');
  }),
  advice('leaves no tensors behind', async (t) => {
    await t.call(field, t2(x, n), 0.5, 0.4);
    ok(t.leaked === 0, `eulerFlowStep left ${t.leaked} tensor(s) alive: wrap the work in tf.tidy`);
  }),
]);
