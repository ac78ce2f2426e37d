// Generated from solutions/ by `npm run exercises`: write your code where it says TODO.
import * as tf from '@tensorflow/tfjs';

/**
 * The noise an x̂0 prediction implies. Chapter 6's denoiser predicts the clean point x̂0, but the
 * samplers step with ε̂; since x_t = √ᾱ·x0 + √(1 − ᾱ)·ε, solving for ε gives
 *
 *   ε̂ = (x_t − √ᾱ·x̂0) / √(1 − ᾱ)
 *
 * and the inverse, x̂0 = (x_t − √(1 − ᾱ)·ε̂)/√ᾱ (predictX0), gives x̂0 back.
 * xt and x0Hat are [n, d]; alphaBar = ᾱ_t in (0, 1) (at ᾱ = 1 there is no noise to recover).
 * Returns ε̂ [n, d].
 *
 * Bad input is an error that starts with "epsFromX0: " and names the problem: xt and x0Hat of
 * different shapes (name both), or ᾱ outside (0, 1) (name the value).
 *
 * Hint: tf.sub, tf.mul and tf.div take a number for the scalars; wrap the work in tf.tidy.
 */
export function epsFromX0(xt: tf.Tensor2D, x0Hat: tf.Tensor2D, alphaBar: number): tf.Tensor2D {
  // TODO: your code here
  throw new Error('not implemented: epsFromX0');
}
