import { normals } from '../../../lib/random';
import { exercise, advice, names, near, ok, test, shape, value, VerdictError, type NearOptions, type Trial } from '../../../lib/exercise/spec';
import { abar, fmt, named, t2, termOff } from '../common';

const x = normals(9, 6);
const e = normals(10, 6);
/** The noise level σ = √((1 − ᾱ)/ᾱ). */
const noiseLevel = (a: number) => Math.sqrt((1 - a) / a);

/** near(), and on a miss which coefficient is off: x_s = (√ᾱ_s/√ᾱ_t)·x + √ᾱ_s·(σ_s − σ_t)·ε̂. */
async function judged(t: Trial, abT: number, abS: number, got: unknown, want: number[], opts: NearOptions) {
  try {
    near(got, want, opts);
  } catch (err) {
    const terms = [
      { name: 'the coefficient of x, √ᾱ_s/√ᾱ_t,', want: Math.sqrt(abS) / Math.sqrt(abT) },
      { name: 'the coefficient of ε̂, √ᾱ_s·(σ_s − σ_t),', want: Math.sqrt(abS) * (noiseLevel(abS) - noiseLevel(abT)) },
    ];
    throw new VerdictError((err as Error).message + (await termOff(([px, pe]) => t.call(px, pe, abT, abS), terms, `ᾱ_t = ${fmt(abT)}, ᾱ_s = ${fmt(abS)}`)));
  }
}

export default exercise('diffusion/eulerStep', 'eulerStep', [
  test(2, 'moves x̄ = x/√ᾱ by (σ_s − σ_t)·ε̂ with σ = √((1 − ᾱ)/ᾱ)', async (t) => {
    const [s1, s2] = [700, 650];
    const want = Array.from(x, (v, i) => Math.sqrt(abar[s2]) * (v / Math.sqrt(abar[s1]) + (noiseLevel(abar[s2]) - noiseLevel(abar[s1])) * e[i]));
    await judged(t, abar[s1], abar[s2], await t.call(t2(x, 3), t2(e, 3), abar[s1], abar[s2]), want, { tol: 1e-4, shape: [3, 2], what: 'x_s', given: `t = 700, s = 650: ᾱ_t = ${fmt(abar[s1])}, ᾱ_s = ${fmt(abar[s2])}, so σ_t = ${fmt(noiseLevel(abar[s1]))}, σ_s = ${fmt(noiseLevel(abar[s2]))}; x, ε̂ [3, 2] of standard normals` });
  }),
  test(1, 'is the same move as a deterministic DDIM step (η = 0), computed independently', async (t) => {
    const [s1, s2] = [900, 100];
    const want = Array.from(x, (v, i) => Math.sqrt(abar[s2]) * ((v - Math.sqrt(1 - abar[s1]) * e[i]) / Math.sqrt(abar[s1])) + Math.sqrt(1 - abar[s2]) * e[i]);
    await judged(t, abar[s1], abar[s2], await t.call(t2(x, 3), t2(e, 3), abar[s1], abar[s2]), want, { tol: 1e-4, what: 'x_s', given: `t = 900, s = 100: ᾱ_t = ${fmt(abar[s1])}, ᾱ_s = ${fmt(abar[s2])}; x, ε̂ [3, 2] of standard normals` });
  }),
  test(1, 'rejects x and epsHat of different shapes, naming both', async (t) => {
    names(await t.throws(t2(x, 3), t2(e.subarray(0, 4), 2), 0.5, 0.6), 'eulerStep', [shape([3, 2]), shape([2, 2])], 'x [3, 2] with epsHat [2, 2]');
  }),
  test(1, 'rejects ᾱ outside (0, 1], naming the value', async (t) => {
    names(await t.throws(t2(x, 3), t2(e, 3), 0, 0.6), 'eulerStep', [named(0)], 'ᾱ_t = 0');
    names(await t.throws(t2(x, 3), t2(e, 3), 0.5, 1.2), 'eulerStep', [value(1.2)], 'ᾱ_s = 1.2');
  }),
  advice('leaves no tensors behind', async (t) => {
    await t.call(t2(x, 3), t2(e, 3), abar[700], abar[650]);
    ok(t.leaked === 0, `eulerStep left ${t.leaked} tensor(s) alive: wrap the work in tf.tidy`);
  }),
]);
