// Generated from solutions/ by `npm run exercises`: write your code where it says TODO.
import * as tf from '@tensorflow/tfjs';

/**
 * The ε-prediction training loss on one batch (Ho et al. 2020, Algorithm 1):
 *
 *   x_t  = √ᾱ_t · x0 + √(1 − ᾱ_t) · ε           (row by row, each row with its own t)
 *   loss = mean over the batch and coordinates of (ε̂(x_t, t) − ε)²
 *
 * x0 and eps are [n, d]; t is an int32 [n] tensor with one timestep per row, and alphaBarT the
 * [n, 1] column of ᾱ at those timesteps. epsModel(xt, t) is the noise predictor: it takes x_t
 * [n, d] and the timesteps t [n], and returns ε̂ [n, d]; call it once, on the whole batch.
 * Returns the loss as a tf scalar, built from tf ops so that training can differentiate it.
 *
 * Bad input is an error that starts with "epsLoss: " and names the problem: x0 and eps of
 * different shapes (name both), t or alphaBarT not matching the n rows (name their shapes), a
 * value of ᾱ outside (0, 1] (name the row and value: "epsLoss: alphaBarT[2] = 1.5 is outside (0, 1]"),
 * or a model answer whose shape is not x_t's (name both shapes).
 *
 * Hint: the [n, 1] column broadcasts across the d coordinates (as in forwardSample);
 * tf.mean(tf.square(tf.sub(a, b))) is the mean squared error. Read ᾱ back with dataSync only
 * to check its range.
 */
export function epsLoss(
  epsModel: (xt: tf.Tensor2D, t: tf.Tensor1D) => tf.Tensor2D,
  x0: tf.Tensor2D,
  eps: tf.Tensor2D,
  t: tf.Tensor1D,
  alphaBarT: tf.Tensor2D,
): tf.Scalar {
  // TODO: your code here
  throw new Error('not implemented: epsLoss');
}
