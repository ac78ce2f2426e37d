// Generated from solutions/ by `npm run exercises`.
/**
 * ᾱ_t = ∏_{s ≤ t} (1 − β_s): the share of the signal's variance left after t noising steps.
 *
 * Returns a Float32Array of the same length as `betas`, computed in float64 and
 * rounded once at the end. Every β must lie in [0, 1]; anything else (or NaN) is an
 * error that names the index and value.
 *
 * Hint: keep a running product; check each β before you use it.
 */
export declare function alphaBar(betas: ArrayLike<number>): Float32Array;
