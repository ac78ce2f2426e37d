import { normals } from '../../../lib/random';
import { advice, exercise, names, near, ok, test, shape, value, words, VerdictError } from '../../../lib/exercise/spec';
import { fmt, named, t2, termOff } from '../common';

const x = normals(10, 8);
const eu = normals(11, 8);
const ec = normals(12, 8);

/** The guided η = 0 step in plain numbers, float64. */
const step = (w: number, a: number, s: number) =>
  Array.from(x, (xi, i) => {
    const e = eu[i] + w * (ec[i] - eu[i]);
    const x0 = (xi - Math.sqrt(1 - a) * e) / Math.sqrt(a);
    return Math.sqrt(s) * x0 + Math.sqrt(1 - s) * e;
  });
const args = (w: number, a: number, s: number) => [t2(x, 4), t2(eu, 4), t2(ec, 4), w, a, s] as const;

export default exercise('guidance/guidedDdimStep', 'guidedDdimStep', [
  test(2, 'matches the guided DDIM update for several w and step pairs', async (t) => {
    for (const [w, a, s] of [[0, 0.3, 0.6], [1, 0.05, 0.2], [3, 0.5, 0.9], [5, 0.9, 1]]) {
      try {
        near(await t.call(...args(w, a, s)), step(w, a, s), { tol: 1e-4, shape: [4, 2], what: 'x_s', given: `w = ${w}, ᾱ_t = ${a}, ᾱ_s = ${s}; x_t, ε_uncond, ε_cond [4, 2] of standard normals` });
      } catch (err) {
        // x_s = (√ᾱ_s/√ᾱ_t)·x_t + k·ε̂ with k = √(1 − ᾱ_s) − √ᾱ_s·√(1 − ᾱ_t)/√ᾱ_t and ε̂ = (1 − w)·ε_uncond + w·ε_cond.
        const k = Math.sqrt(1 - s) - (Math.sqrt(s) * Math.sqrt(1 - a)) / Math.sqrt(a);
        const terms = [
          { name: 'the coefficient of x_t, √ᾱ_s/√ᾱ_t,', want: Math.sqrt(s) / Math.sqrt(a) },
          { name: `the coefficient of epsUncond, (1 − w)·(√(1 − ᾱ_s) − √ᾱ_s·√(1 − ᾱ_t)/√ᾱ_t) = ${fmt((1 - w) * k)},`, want: (1 - w) * k },
          { name: 'the coefficient of epsCond, w·(√(1 − ᾱ_s) − √ᾱ_s·√(1 − ᾱ_t)/√ᾱ_t),', want: w * k },
        ];
        throw new VerdictError((err as Error).message + (await termOff(([px, pu, pc]) => t.call(px, pu, pc, w, a, s), terms, `w = ${w}, ᾱ_t = ${a}, ᾱ_s = ${s}`)));
      }
    }
  }),
  test(1, 'lands on the predicted clean point when ᾱ_s = 1', async (t) => {
    const want = Array.from(x, (xi, i) => (xi - Math.sqrt(0.6) * (eu[i] + 2 * (ec[i] - eu[i]))) / Math.sqrt(0.4));
    near(await t.call(...args(2, 0.4, 1)), want, { tol: 1e-4, shape: [4, 2], what: 'x̂0', given: 'w = 2, ᾱ_t = 0.4, ᾱ_s = 1' });
  }),
  test(1, 'still rejects a bad w, ᾱ outside (0, 1] and mismatched shapes (its own messages)', async (t) => {
    // The checks are given in the stub; this point is for keeping them while writing the step.
    near(await t.call(...args(2, 0.4, 0.7)), step(2, 0.4, 0.7), { tol: 1e-4, what: 'x_s', given: 'w = 2, ᾱ_t = 0.4, ᾱ_s = 0.7' });
    names(await t.throws(...args(-2, 0.4, 0.7)), 'guidedDdimStep', [value(-2)], 'w = −2');
    names(await t.throws(...args(2, 0, 0.7)), 'guidedDdimStep', [words('alphaBarT'), named(0)], 'ᾱ_t = 0');
    names(await t.throws(...args(2, 0.4, 1.5)), 'guidedDdimStep', [words('alphaBarS'), value(1.5)], 'ᾱ_s = 1.5');
    names(await t.throws(t2(x, 4), t2(eu, 4), t2(ec.subarray(0, 6), 3), 2, 0.4, 0.7), 'guidedDdimStep', [shape([4, 2]), shape([3, 2])], 'epsCond [3, 2] with xt [4, 2]');
  }),
  advice('leaves no tensors behind', async (t) => {
    await t.call(...args(2, 0.4, 0.7));
    ok(t.leaked === 0, `guidedDdimStep left ${t.leaked} tensor(s) alive: wrap the work in tf.tidy`);
  }),
]);
