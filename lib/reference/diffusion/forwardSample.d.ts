// Generated from solutions/ by `npm run exercises`.
import * as tf from '@tensorflow/tfjs';
/**
 * The forward process in one jump: x_t = √ᾱ_t · x_0 + √(1 − ᾱ_t) · ε.
 *
 * x0 and eps are [n, d] with the same shape. alphaBarT is ᾱ_t, either one number for the
 * whole batch or a column [n, 1] with one ᾱ per row (training draws a different t per row).
 * Throw an error naming the shapes if x0 and eps differ, and one naming the value if a
 * number ᾱ is outside (0, 1].
 *
 * Hint: tf.sqrt, tf.mul and tf.add broadcast a [n, 1] column across the d columns.
 */
export declare function forwardSample(x0: tf.Tensor2D, eps: tf.Tensor2D, alphaBarT: number | tf.Tensor2D): tf.Tensor2D;
