// Generated from solutions/ by `npm run exercises`: write your code where it says TODO.
/**
 * ᾱ_t = ∏_{s ≤ t} (1 − β_s): the share of the signal's variance left after t noising steps.
 *
 * Returns a Float32Array of the same length as `betas`, computed in float64 and
 * rounded once at the end. Every β must lie in [0, 1]; anything else (or NaN) is an
 * error that names the index and value in this form: "alphaBar: beta[1] = 1.5 is outside [0, 1]".
 *
 * Hint: keep a running product; check each β before you use it.
 */
export function alphaBar(betas: ArrayLike<number>): Float32Array {
  // TODO: your code here
  throw new Error('not implemented: alphaBar');
}
