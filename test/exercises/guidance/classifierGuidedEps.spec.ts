import { normals } from '../../../lib/random';
import { advice, describe, exercise, names, near, ok, show, test, shape, value, valuesOf, type Trial } from '../../../lib/exercise/spec';
import { isTensorValue } from '../../../lib/exercise/wire';
import { named, softmax, t2 } from '../common';

// ε̂_guided = ε̂ − w·√(1 − ᾱ)·∇log p(c | x_t), ∇log p(c | x_t) = √ᾱ·(x̂0_c − x̂0)/(1 − ᾱ), in float64.
const guided = (e: ArrayLike<number>, xc: ArrayLike<number>, xa: ArrayLike<number>, a: number, w: number) =>
  Array.from(e, (v, i) => v - (w * Math.sqrt(a) * (xc[i] - xa[i])) / Math.sqrt(1 - a));

// The probe: round numbers where each usual slip gives another coefficient of x0Class.
// ᾱ = 0.36 (√ᾱ = 0.6, √(1 − ᾱ) = 0.8), w = 2: the coefficient is −w·√ᾱ/√(1 − ᾱ) = −1.5.
const [A, W] = [0.36, 2];
const probe = [1, -2];
const zero = [0, 0];

/** Measure the coefficient of one input (the others zero) and say which slip it is. */
async function coefficient(t: Trial, which: 'epsHat' | 'x0Class' | 'x0All') {
  const [e, xc, xa] = which === 'epsHat' ? [probe, zero, zero] : which === 'x0Class' ? [zero, probe, zero] : [zero, zero, probe];
  const result = await t.call(t2(e, 1), t2(xc, 1), t2(xa, 1), A, W);
  const want = guided(e, xc, xa, A, W);
  const inputs = `epsHat = (${e.join(', ')}), x0Class = (${xc.join(', ')}), x0All = (${xa.join(', ')}), ᾱ_t = ${A}, w = ${W}`;
  ok(isTensorValue(result) && result.shape.join() === '1,2', `ε̂_guided should be a tensor of shape [1, 2], like epsHat; got ${describe(result)} (${inputs})`);
  const got = valuesOf(result, 'ε̂_guided');
  if (Math.abs(got[0] - want[0]) <= 1e-5 && Math.abs(got[1] - want[1]) <= 1e-5) return;
  const c = got[0] / probe[0];
  const right = want[0] / probe[0];
  const sign = which === 'x0All' ? -1 : 1;
  const slips: [number, string][] =
    which === 'epsHat'
      ? [[0, 'ε̂ itself is missing: guidance changes ε̂, it does not replace it']]
      : [
          [-right, 'the sign is wrong: a score is −ε̂/√(1 − ᾱ), so adding to the score subtracts from ε̂'],
          [sign * -W * Math.sqrt(A) / (1 - A), 'that is w·∇log p(c | x_t) itself: turn the score into ε̂’s units by multiplying by √(1 − ᾱ_t)'],
          [sign * -W / Math.sqrt(1 - A), 'the factor √ᾱ_t of Tweedie’s formula (x − √ᾱ_t·E[x0 | x]) is missing'],
          [sign * -W * A / Math.sqrt(1 - A), 'that uses ᾱ_t where Tweedie’s formula has √ᾱ_t'],
          [sign * -W * Math.sqrt(A), 'that divides the difference of the denoisers by √(1 − ᾱ_t) once; the scores divide by 1 − ᾱ_t, and the step multiplies by √(1 − ᾱ_t)'],
          [sign * -Math.sqrt(A) / Math.sqrt(1 - A), 'the guidance scale w is missing'],
        ];
  const hit = slips.find(([v]) => Math.abs(c - v) < 1e-4);
  const name = which === 'epsHat' ? 'the coefficient of epsHat (1)' : which === 'x0Class' ? 'the coefficient of x0Class, −w·√ᾱ_t/√(1 − ᾱ_t),' : 'the coefficient of x0All, +w·√ᾱ_t/√(1 − ᾱ_t),';
  ok(false, `${name} is off: ε̂_guided = (${got.map(show).join(', ')}), expected (${want.map(show).join(', ')}) ± 1e-5, so the coefficient is ${show(c)} instead of ${show(right)}${hit ? `: ${hit[1]}` : ''} (${inputs})`);
}

// A tiny labelled data set: class 0 on the left, class 1 on the right (float64 Bayes classifier).
const pts = [[-1, 0], [-0.6, 0.5], [-0.8, -0.4], [0.7, 0.2], [1.1, -0.3]];
const lab = [0, 0, 0, 1, 1];
/** E[x0 | x, class c] (c = null: all points) and log p(c | x), float64, x | x0 ~ N(√ᾱ x0, (1 − ᾱ) I). */
function exact(x: number[], a: number, c: number | null) {
  const logits = pts.map((p) => -((x[0] - Math.sqrt(a) * p[0]) ** 2 + (x[1] - Math.sqrt(a) * p[1]) ** 2) / (2 * (1 - a)));
  const keep = pts.map((_, i) => c === null || lab[i] === c);
  const w = softmax(logits.map((l, i) => (keep[i] ? l : -Infinity)));
  const x0 = [0, 1].map((j) => pts.reduce((s, p, i) => s + w[i] * p[j], 0));
  const all = softmax(logits);
  const logP = Math.log(all.reduce((s, v, i) => s + (lab[i] === c ? v : 0), 0));
  return { x0, logP };
}

const n = 4;
const e = normals(80, 2 * n);
const xc = normals(81, 2 * n);
const xa = normals(82, 2 * n);

export default exercise('guidance/classifierGuidedEps', 'classifierGuidedEps', [
  test(1, 'leaves ε̂ as it is apart from the guidance term (x0Class = x0All = 0)', async (t) => {
    await coefficient(t, 'epsHat');
  }),
  test(2, 'subtracts w·√(1 − ᾱ_t)·∇log p(c | x_t), the gradient from the two denoisers (Bayes and Tweedie)', async (t) => {
    await coefficient(t, 'x0Class');
    await coefficient(t, 'x0All');
    for (const [a, w] of [[0.2, 1], [0.5, 3], [0.9, 0.5], [0.99, 2]]) {
      near(await t.call(t2(e, n), t2(xc, n), t2(xa, n), a, w), guided(e, xc, xa, a, w), { tol: 1e-4, rel: 1e-5, shape: [n, 2], what: 'ε̂_guided', given: `ᾱ_t = ${a}, w = ${w}; epsHat, x0Class, x0All [4, 2] of standard normals` });
    }
  }),
  test(1, 'its gradient is the exact classifier’s: finite differences of log p(c | x_t) agree', async (t) => {
    // With ε̂ = 0 and w = 1 the answer is −√(1 − ᾱ)·∇log p(c | x_t): compare with central differences of log p(c | x).
    for (const [x, a, c] of [[[0.1, 0.2], 0.5, 1], [[-0.3, 0.4], 0.8, 0], [[0.5, -0.6], 0.3, 1]] as [number[], number, number][]) {
      const got = valuesOf(await t.call(t2(zero, 1), t2(exact(x, a, c).x0, 1), t2(exact(x, a, null).x0, 1), a, 1));
      const h = 1e-5;
      const fd = [0, 1].map((j) => {
        const up = [...x];
        const down = [...x];
        up[j] += h;
        down[j] -= h;
        return (exact(up, a, c).logP - exact(down, a, c).logP) / (2 * h);
      });
      near(got.map((v) => -v / Math.sqrt(1 - a)), fd, { tol: 1e-3, rel: 1e-3, what: '−ε̂_guided/√(1 − ᾱ_t), i.e. ∇log p(c | x_t)', given: `ε̂ = 0, w = 1, x_t = (${x.join(', ')}), ᾱ_t = ${a}, class ${c} of 5 labelled points; finite differences of log p(c | x_t) in float64` });
    }
  }),
  test(1, 'w = 1 turns the exact unconditional ε̂ into the exact conditional one', async (t) => {
    // p(x)·p(c | x) = p(x, c): one unit of classifier guidance is conditioning.
    const [x, a, c] = [[0.2, -0.1], 0.6, 0];
    const all = exact(x, a, null).x0;
    const cls = exact(x, a, c).x0;
    const epsAll = x.map((v, j) => (v - Math.sqrt(a) * all[j]) / Math.sqrt(1 - a));
    const epsCls = x.map((v, j) => (v - Math.sqrt(a) * cls[j]) / Math.sqrt(1 - a));
    near(await t.call(t2(epsAll, 1), t2(cls, 1), t2(all, 1), a, 1), epsCls, { tol: 1e-4, what: 'ε̂_guided', given: `x_t = (0.2, −0.1), ᾱ_t = 0.6, class 0; epsHat = the exact unconditional ε̂ (${epsAll.map(show).join(', ')}); should be the exact class-0 ε̂` });
  }),
  test(1, 'still rejects a bad w, ᾱ outside (0, 1) and mismatched shapes (its own messages)', async (t) => {
    // The checks are given in the stub; this point is for keeping them while writing the step.
    near(await t.call(t2(e, n), t2(xc, n), t2(xa, n), 0.5, 2), guided(e, xc, xa, 0.5, 2), { tol: 1e-4, what: 'ε̂_guided', given: 'ᾱ_t = 0.5, w = 2' });
    names(await t.throws(t2(e, n), t2(xc, n), t2(xa, n), 0.5, -1), 'classifierGuidedEps', [value(-1)], 'w = −1');
    names(await t.throws(t2(e, n), t2(xc, n), t2(xa, n), 1, 2), 'classifierGuidedEps', [named(1)], 'ᾱ_t = 1');
    names(await t.throws(t2(e, n), t2(xc, n), t2(xa, n), 0, 2), 'classifierGuidedEps', [named(0)], 'ᾱ_t = 0');
    names(await t.throws(t2(e, n), t2(xc.subarray(0, 6), 3), t2(xa, n), 0.5, 2), 'classifierGuidedEps', [shape([4, 2]), shape([3, 2])], 'x0Class [3, 2] with epsHat [4, 2]');
  }),
  advice('leaves no tensors behind', async (t) => {
    await t.call(t2(e, n), t2(xc, n), t2(xa, n), 0.5, 2);
    ok(t.leaked === 0, `classifierGuidedEps left ${t.leaked} tensor(s) alive: wrap the work in tf.tidy`);
  }),
]);
