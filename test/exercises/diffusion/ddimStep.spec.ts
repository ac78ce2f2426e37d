import { normals } from '../../../lib/random';
import { exercise, advice, names, near, ok, show, test, shape, value, valuesOf, VerdictError, type Trial } from '../../../lib/exercise/spec';
import { abar, betas, t2 } from '../common';

const x = normals(6, 6);
const e = normals(7, 6);
const z = normals(8, 6);
const x0Hat = (t: number) => Array.from(x, (v, i) => (v - Math.sqrt(1 - abar[t]) * e[i]) / Math.sqrt(abar[t]));
const abs = (t: number, s: number) => `ᾱ_t = ${show(abar[t])}, ᾱ_s = ${show(s < 0 ? 1 : abar[s])}`;

// The step is linear in x_t, ε̂ and z: x_s = a·x_t + b·ε̂ + ν·z with
//   a = √ᾱ_s/√ᾱ_t,  b = √(1 − ᾱ_s − ν²) − √ᾱ_s·√(1 − ᾱ_t)/√ᾱ_t,  ν = η·√((1 − ᾱ_s)/(1 − ᾱ_t))·√(1 − ᾱ_t/ᾱ_s).
// A miss is measured again term by term (the other inputs zero) to say which term is off.
function coef(abT: number, abS: number, eta: number) {
  const nu = eta * Math.sqrt((1 - abS) / (1 - abT)) * Math.sqrt(1 - abT / abS);
  return { a: Math.sqrt(abS) / Math.sqrt(abT), b: Math.sqrt(1 - abS - nu * nu) - (Math.sqrt(abS) * Math.sqrt(1 - abT)) / Math.sqrt(abT), nu };
}
async function whichTerm(t: Trial, abT: number, abS: number, eta: number, noise: boolean): Promise<string> {
  const c = coef(abT, abS, eta);
  // ν first: it enters ε̂'s coefficient too, so a wrong ν is named as itself.
  const probes: [string, number[][], number][] = [
    ['the fresh-noise scale ν', [[0, 0], [0, 0], [1, -2]], c.nu],
    ['the coefficient of x_t, √ᾱ_s/√ᾱ_t', [[1, -2], [0, 0], [0, 0]], c.a],
    ['the coefficient of ε̂, √(1 − ᾱ_s − ν²) − √ᾱ_s·√(1 − ᾱ_t)/√ᾱ_t,', [[0, 0], [1, -2], [0, 0]], c.b],
  ];
  for (const [name, [px, pe, pz], want] of probes) {
    if (!noise && name.startsWith('the fresh')) continue;
    const got = valuesOf(await t.call(t2(px, 1), t2(pe, 1), abT, abS, eta, noise ? t2(pz, 1) : null));
    const k = got[0];
    if (Math.abs(k - want) > 1e-5 || Math.abs(got[1] + 2 * want) > 1e-5) {
      return ` — measured alone, ${name} is ${show(k)} instead of ${show(want)} (x_t = (${px.join(', ')}), ε̂ = (${pe.join(', ')}), z = ${noise ? `(${pz.join(', ')})` : 'null'}; η = ${eta})`;
    }
  }
  return '';
}
/** near(), and on a miss the term that is off. */
async function step(t: Trial, got: unknown, want: number[], abT: number, abS: number, eta: number, noise: boolean, opts: Parameters<typeof near>[2]) {
  try {
    near(got, want, opts);
  } catch (err) {
    throw new VerdictError((err as Error).message + (await whichTerm(t, abT, abS, eta, noise)));
  }
}

export default exercise('diffusion/ddimStep', 'ddimStep', [
  test(2, 'η = 0 jumps from t to s: √ᾱ_s·x̂0 + √(1 − ᾱ_s)·ε̂', async (t) => {
    const [s1, s2] = [800, 300];
    const want = x0Hat(s1).map((v, i) => Math.sqrt(abar[s2]) * v + Math.sqrt(1 - abar[s2]) * e[i]);
    await step(t, await t.call(t2(x, 3), t2(e, 3), abar[s1], abar[s2], 0, t2(z, 3)), want, abar[s1], abar[s2], 0, false, { tol: 1e-4, shape: [3, 2], what: 'x_s', given: `t = 800, s = 300, η = 0: ${abs(s1, s2)}; x_t, ε̂, z [3, 2] of standard normals` });
  }),
  test(2, 'η = 1 on one step is DDPM: the same mean and the fresh-noise variance ν² = β(1 − ᾱ_{t−1})/(1 − ᾱ_t)', async (t) => {
    for (const s of [1, 250, 999]) {
      const b = betas[s];
      const mean = Array.from(x, (v, i) => (v - (b / Math.sqrt(1 - abar[s])) * e[i]) / Math.sqrt(1 - b));
      await step(t, await t.call(t2(x, 3), t2(e, 3), abar[s], abar[s - 1], 1, null), mean, abar[s], abar[s - 1], 1, false, { tol: 1e-4, what: 'the mean', given: `t = ${s}, s = t − 1, η = 1, z = null: ${abs(s, s - 1)}` });
      const nu = Math.sqrt((b * (1 - abar[s - 1])) / (1 - abar[s]));
      await step(t, await t.call(t2(x, 3), t2(e, 3), abar[s], abar[s - 1], 1, t2(z, 3)), mean.map((m, i) => m + nu * z[i]), abar[s], abar[s - 1], 1, true, { tol: 1e-4, what: 'x_{t−1}', given: `t = ${s}, s = t − 1, η = 1: ${abs(s, s - 1)}, ν = ${nu.toPrecision(4)}` });
    }
  }),
  test(1, 'η between: ν = η·√((1 − ᾱ_s)/(1 − ᾱ_t))·√(1 − ᾱ_t/ᾱ_s)', async (t) => {
    const [s1, s2, eta] = [600, 200, 0.5];
    const nu = eta * Math.sqrt((1 - abar[s2]) / (1 - abar[s1])) * Math.sqrt(1 - abar[s1] / abar[s2]);
    const want = x0Hat(s1).map((v, i) => Math.sqrt(abar[s2]) * v + Math.sqrt(1 - abar[s2] - nu * nu) * e[i] + nu * z[i]);
    await step(t, await t.call(t2(x, 3), t2(e, 3), abar[s1], abar[s2], eta, t2(z, 3)), want, abar[s1], abar[s2], eta, true, { tol: 1e-4, what: 'x_s', given: `t = 600, s = 200, η = 0.5: ${abs(s1, s2)}, ν = ${nu.toPrecision(4)}` });
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
