import { normals } from '../../../lib/random';
import { exercise, advice, describe, names, near, ok, show, test, shape, valuesOf, VerdictError, type Trial } from '../../../lib/exercise/spec';
import { isTensorValue } from '../../../lib/exercise/wire';
import { abar, betas, t2 } from '../common';

// The step is linear in x_t, ε̂ and z: x_{t−1} = a·x_t − b·ε̂ + ν·z with
//   a = 1/√(1 − β_t),  b = β_t/(√(1 − ᾱ_t)·√(1 − β_t)),  ν² = β_t(1 − ᾱ_{t−1})/(1 − ᾱ_t).
// So each term is measured alone (the other inputs zero), and a miss says which term is off.
// The probe step has round numbers where every usual slip is far outside the tolerance:
// β = 0.5, ᾱ_{t−1} = 0.56, ᾱ_t = 0.56·(1 − 0.5) = 0.28.
const P = { beta: 0.5, abT: 0.28, abPrev: 0.56 };
const probe = [1, -2];
const zero = [0, 0];
const given = (s: { beta: number; abT: number; abPrev: number }) => `β_t = ${show(s.beta)}, ᾱ_t = ${show(s.abT)}, ᾱ_{t−1} = ${show(s.abPrev)}`;

/** The three coefficients, in float64. */
const coef = ({ beta, abT, abPrev }: typeof P) => ({
  a: 1 / Math.sqrt(1 - beta),
  b: beta / (Math.sqrt(1 - abT) * Math.sqrt(1 - beta)),
  nu: Math.sqrt((beta * (1 - abPrev)) / (1 - abT)),
});

/** What a measured coefficient is, when it is a known slip (checked in order; '' if none). */
function slip(got: number, candidates: [number, string][]): string {
  const hit = candidates.find(([v]) => Math.abs(got - v) < 1e-4 * Math.max(1, Math.abs(v)));
  return hit ? `: ${hit[1]}` : '';
}

/** Measure one term: call with one input non-zero, read its coefficient, compare; the message says which term. */
async function term(t: Trial, which: 'x' | 'eps' | 'z', s: typeof P) {
  const args = which === 'x' ? [probe, zero, null] : which === 'eps' ? [zero, probe, null] : [zero, zero, probe];
  const [x, e, z] = args;
  const result = await t.call(t2(x!, 1), t2(e!, 1), s.beta, s.abT, s.abPrev, z ? t2(z, 1) : null);
  const c = coef(s);
  const want = which === 'x' ? c.a : which === 'eps' ? -c.b : c.nu;
  const pt = (v: number[]) => `(${v.join(', ')})`;
  const inputs = `x_t = ${pt(x!)}, ε̂ = ${pt(e!)}, z = ${z ? pt(z) : 'null'}; ${given(s)}`;
  ok(isTensorValue(result) && result.shape.join() === '1,2', `x_{t−1} should be a tensor of shape [1, 2], like x_t; got ${describe(result)} (${inputs})`);
  const got = valuesOf(result, 'x_{t−1}');
  const measured = got[0] / probe[0];
  const off = Math.abs(got[0] - want * probe[0]) > 1e-5 || Math.abs(got[1] - want * probe[1]) > 1e-5;
  if (!off) return;
  const alpha = 1 - s.beta;
  const says =
    which === 'x'
      ? slip(measured, [
          [1, 'x_t is not divided by √α_t = √(1 − β_t)'],
          [1 / Math.sqrt(s.abT), 'that is 1/√ᾱ_t; the step divides by √α_t = √(1 − β_t), not √ᾱ_t'],
          [Math.sqrt(alpha), 'that is √(1 − β_t); divide by it, do not multiply'],
        ])
      : which === 'eps'
        ? slip(measured, [
            [c.b, 'the sign is wrong: the step subtracts the noise estimate'],
            [-s.beta / Math.sqrt(1 - s.abT), 'that is β_t/√(1 − ᾱ_t) without the division by √(1 − β_t): divide the whole bracket (x_t − …·ε̂)'],
            [-s.beta / (1 - s.abT) / Math.sqrt(alpha), 'that is β_t/(1 − ᾱ_t) where the step has β_t/√(1 − ᾱ_t)'],
            [-s.beta / (1 - s.abT), 'that is β_t/(1 − ᾱ_t) where the step has β_t/√(1 − ᾱ_t), and without the division by √(1 − β_t)'],
            [-s.beta / Math.sqrt(1 - s.abT) / Math.sqrt(s.abT), 'that divides by √ᾱ_t where the step divides by √α_t = √(1 − β_t)'],
            [0, 'ε̂ has no effect: subtract β_t/√(1 − ᾱ_t)·ε̂ before dividing'],
          ])
        : slip(measured, [
            [0, 'z was given but x_{t−1} does not change with it: add ν_t·z'],
            [Math.sqrt(s.beta), 'that is √β_t (the forward step’s noise); ν_t² = β_t(1 − ᾱ_{t−1})/(1 − ᾱ_t)'],
            [c.nu / Math.sqrt(alpha), 'the noise is divided by √(1 − β_t) too: add ν_t·z after the division'],
            [Math.sqrt((s.beta * (1 - s.abT)) / (1 - s.abPrev)), 'ᾱ_t and ᾱ_{t−1} are swapped in ν_t'],
            [c.nu * c.nu, 'that is ν_t² (the variance); z is scaled by the standard deviation ν_t'],
          ]);
  const name = which === 'x' ? 'the coefficient of x_t, 1/√(1 − β_t),' : which === 'eps' ? 'the coefficient of ε̂, −β_t/(√(1 − ᾱ_t)·√(1 − β_t)),' : 'the noise scale ν_t';
  ok(false, `${name} is off: x_{t−1} = (${got.map(show).join(', ')}), expected (${probe.map((v) => show(want * v)).join(', ')}) ± 1e-5, so the coefficient is ${show(measured)} instead of ${show(want)}${says} (${inputs})`);
}

/** The term that is off at a step of the schedule, or '' if each term is right there. */
async function whichTerm(t: Trial, s: typeof P): Promise<string> {
  for (const w of ['x', 'eps', 'z'] as const) {
    try {
      await term(t, w, s);
    } catch (err) {
      return ` — measured alone, ${(err as Error).message}`;
    }
  }
  return '';
}

const x = normals(3, 6);
const e = normals(4, 6);
const z = normals(5, 6);
const at = (s: number) => ({ beta: betas[s], abT: abar[s], abPrev: s > 0 ? abar[s - 1] : 1 });
/** x_{t−1} on the linear schedule in float64: a·x − b·ε̂ (+ ν·z). */
const step = (s: number, noise: boolean) => {
  const c = coef(at(s));
  return Array.from(x, (v, i) => c.a * v - c.b * e[i] + (noise ? c.nu * z[i] : 0));
};

export default exercise('diffusion/ddpmStep', 'ddpmStep', [
  test(1, 'divides x_t by √(1 − β_t) (ε̂ = 0, z = null)', async (t) => {
    await term(t, 'x', P);
  }),
  test(1, 'subtracts β_t/√(1 − ᾱ_t)·ε̂ inside the division (x_t = 0, z = null)', async (t) => {
    await term(t, 'eps', P);
  }),
  test(1, 'adds ν_t·z with ν_t² = β_t(1 − ᾱ_{t−1})/(1 − ᾱ_t) (x_t = 0, ε̂ = 0)', async (t) => {
    await term(t, 'z', P);
  }),
  test(1, 'matches (x_t − β_t/√(1 − ᾱ_t)·ε̂)/√(1 − β_t) + ν_t·z on the linear schedule, and at t = 0 (ᾱ_{t−1} = 1) the noise has no effect', async (t) => {
    for (const s of [400, 20, 1, 999]) {
      const got = await t.call(t2(x, 3), t2(e, 3), betas[s], abar[s], abar[s - 1], t2(z, 3));
      try {
        near(got, step(s, true), { shape: [3, 2], what: 'x_{t−1}', given: `t = ${s}: ${given(at(s))}; x_t, ε̂, z [3, 2] of standard normals` });
      } catch (err) {
        throw new VerdictError((err as Error).message + (await whichTerm(t, at(s))));
      }
    }
    near(await t.call(t2(x, 3), t2(e, 3), betas[0], abar[0], 1, t2(z, 3)), step(0, false), { shape: [3, 2], what: 'x_0', given: `t = 0 with z given: ${given(at(0))}, so ν_0 = 0` });
  }),
  test(1, 'without noise (z = null) returns the mean', async (t) => {
    near(await t.call(t2(x, 3), t2(e, 3), betas[400], abar[400], abar[399], null), step(400, false), { what: 'the mean', given: `t = 400, z = null: ${given(at(400))}` });
  }),
  test(1, 'rejects xt, epsHat or z of different shapes, naming them', async (t) => {
    names(await t.throws(t2(x, 3), t2(e.subarray(0, 4), 2), 0.01, 0.5, 0.6, null), 'ddpmStep', [shape([3, 2]), shape([2, 2])], 'xt [3, 2] with epsHat [2, 2]');
    names(await t.throws(t2(x, 3), t2(e, 3), 0.01, 0.5, 0.6, t2(z.subarray(0, 2), 1)), 'ddpmStep', [shape([1, 2])], 'z [1, 2] with xt [3, 2]');
  }),
  advice('leaves no tensors behind', async (t) => {
    await t.call(t2(x, 3), t2(e, 3), betas[400], abar[400], abar[399], t2(z, 3));
    ok(t.leaked === 0, `ddpmStep left ${t.leaked} tensor(s) alive: wrap the work in tf.tidy`);
  }),
]);
