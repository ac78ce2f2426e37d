// Generated from solutions/ by `npm run exercises`: write your code where it says TODO.
import * as tf from '@tensorflow/tfjs';

/**
 * The forward process in one jump: x_t = √ᾱ_t · x_0 + √(1 − ᾱ_t) · ε.
 *
 * x0 and eps are [n, d] with the same shape. alphaBarT is ᾱ_t, either one number for the
 * whole batch or a column [n, 1] with one ᾱ per row (training draws a different t per row).
 * Throw an error naming the shapes if x0 and eps differ (or the column is not [n, 1]), and one
 * naming the value if an ᾱ (the number, or any row of the column) is outside (0, 1].
 *
 * Hint: tf.sqrt, tf.mul and tf.add broadcast a [n, 1] column across the d columns.
 */
export function forwardSample(x0: tf.Tensor2D, eps: tf.Tensor2D, alphaBarT: number | tf.Tensor2D): tf.Tensor2D {
  // TODO: your code here
  throw new Error('not implemented: forwardSample');
}
