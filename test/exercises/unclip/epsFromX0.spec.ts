import { normals } from '../../../lib/random';
import { advice, exercise, names, near, ok, test, valuesOf, shape, value, VerdictError } from '../../../lib/exercise/spec';
import { named, t2, termOff } from '../common';

const xt = normals(50, 8);
const x0Hat = normals(51, 8);
const eps = normals(52, 8);

export default exercise('unclip/epsFromX0', 'epsFromX0', [
  test(2, 'is (x_t − √ᾱ·x̂0)/√(1 − ᾱ)', async (t) => {
    for (const a of [0.1, 0.5, 0.95]) {
      const want = Array.from(xt, (v, i) => (v - Math.sqrt(a) * x0Hat[i]) / Math.sqrt(1 - a));
      try {
        near(await t.call(t2(xt, 4), t2(x0Hat, 4), a), want, { tol: 1e-4, shape: [4, 2], what: 'ε̂', given: `ᾱ = ${a}, x_t and x̂0 [4, 2] of standard normals` });
      } catch (err) {
        const terms = [{ name: 'the coefficient of x_t, 1/√(1 − ᾱ),', want: 1 / Math.sqrt(1 - a) }, { name: 'the coefficient of x̂0, −√ᾱ/√(1 − ᾱ),', want: -Math.sqrt(a) / Math.sqrt(1 - a) }];
        throw new VerdictError((err as Error).message + (await termOff(([px, p0]) => t.call(px, p0, a), terms, `ᾱ = ${a}`)));
      }
    }
  }),
  test(1, 'recovers the noise of the forward process: x_t = √ᾱ·x0 + √(1 − ᾱ)·ε gives back ε', async (t) => {
    for (const a of [0.3, 0.99]) {
      const x = Array.from(x0Hat, (v, i) => Math.sqrt(a) * v + Math.sqrt(1 - a) * eps[i]);
      near(await t.call(t2(x, 4), t2(x0Hat, 4), a), eps, { tol: 1e-3, what: 'ε̂', given: `ᾱ = ${a}, x_t made from x0 and ε in float64` });
    }
  }),
  test(1, 'is undone by predictX0: (x_t − √(1 − ᾱ)·ε̂)/√ᾱ is x̂0 again', async (t) => {
    const a = 0.7;
    const e = valuesOf(await t.call(t2(xt, 4), t2(x0Hat, 4), a));
    near(Array.from(xt, (v, i) => (v - Math.sqrt(1 - a) * e[i]) / Math.sqrt(a)), x0Hat, { tol: 1e-4, what: 'predictX0(x_t, ε̂)', given: 'ᾱ = 0.7: it should be the x̂0 given' });
  }),
  test(1, 'rejects mismatched shapes and ᾱ outside (0, 1), naming them', async (t) => {
    names(await t.throws(t2(xt, 4), t2(x0Hat.subarray(0, 6), 3), 0.5), 'epsFromX0', [shape([4, 2]), shape([3, 2])], 'xt [4, 2] with x0Hat [3, 2]');
    names(await t.throws(t2(xt, 4), t2(x0Hat, 4), 1), 'epsFromX0', [named(1)], 'ᾱ = 1 (no noise left to recover)');
    names(await t.throws(t2(xt, 4), t2(x0Hat, 4), 0), 'epsFromX0', [named(0)], 'ᾱ = 0');
    names(await t.throws(t2(xt, 4), t2(x0Hat, 4), -0.2), 'epsFromX0', [value(-0.2)], 'ᾱ = −0.2');
  }),
  advice('leaves no tensors behind', async (t) => {
    await t.call(t2(xt, 4), t2(x0Hat, 4), 0.5);
    ok(t.leaked === 0, `epsFromX0 left ${t.leaked} tensor(s) alive: wrap the work in tf.tidy`);
  }),
]);
