// Exact arithmetic with mathjs fractions: the closed form behind DDPM's forward process.
// One noising step is x_t = sqrt(1 − β_t) x_{t−1} + sqrt(β_t) ε_t. Unrolled, the signal
// keeps a factor ᾱ_t = ∏(1 − β_s) of its variance and the noise adds exactly 1 − ᾱ_t,
// so x_t = sqrt(ᾱ_t) x_0 + sqrt(1 − ᾱ_t) ε with one fresh ε.
import { fraction, Fraction, multiply, subtract, add } from 'mathjs';

function toFractions(betas: (number | string | Fraction)[]): Fraction[] {
  return betas.map((b, i) => {
    const f = fraction(b as never) as Fraction;
    if (Number(f.valueOf()) < 0 || Number(f.valueOf()) > 1) throw new Error(`beta[${i}] = ${f.toFraction()} is outside [0, 1]`);
    return f;
  });
}

/** ᾱ_t = ∏_{s≤t} (1 − β_s), exactly, for every t. */
export function exactAlphaBar(betas: (number | string | Fraction)[]): Fraction[] {
  let acc = fraction(1) as Fraction;
  return toFractions(betas).map((b) => (acc = multiply(acc, subtract(fraction(1), b)) as Fraction));
}

/**
 * The variance of the noise accumulated by t steps, computed step by step as a
 * random walk would: v_t = (1 − β_t) v_{t−1} + β_t. Equals 1 − ᾱ_t exactly.
 */
export function exactNoiseVariance(betas: (number | string | Fraction)[]): Fraction[] {
  let v = fraction(0) as Fraction;
  return toFractions(betas).map((b) => (v = add(multiply(subtract(fraction(1), b), v), b) as Fraction));
}
