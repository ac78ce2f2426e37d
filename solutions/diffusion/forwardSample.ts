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
  // BEGIN SOLUTION
  if (x0.shape.join() !== eps.shape.join()) throw new Error(`forwardSample: x0 has shape [${x0.shape}] but eps has [${eps.shape}]`);
  if (typeof alphaBarT === 'number') {
    if (!(alphaBarT > 0 && alphaBarT <= 1)) throw new Error(`forwardSample: alphaBar = ${alphaBarT} is outside (0, 1]`);
    return tf.tidy(() => tf.add(tf.mul(x0, Math.sqrt(alphaBarT)), tf.mul(eps, Math.sqrt(1 - alphaBarT))) as tf.Tensor2D);
  }
  if (alphaBarT.shape[0] !== x0.shape[0] || alphaBarT.shape[1] !== 1) {
    throw new Error(`forwardSample: alphaBar column has shape [${alphaBarT.shape}], need [${x0.shape[0]}, 1]`);
  }
  const ab = alphaBarT.dataSync();
  const bad = ab.findIndex((a) => !(a > 0 && a <= 1));
  if (bad >= 0) throw new Error(`forwardSample: alphaBar[${bad}] = ${ab[bad]} is outside (0, 1]`);
  return tf.tidy(() => tf.add(tf.mul(x0, tf.sqrt(alphaBarT)), tf.mul(eps, tf.sqrt(tf.sub(1, alphaBarT)))) as tf.Tensor2D);
  // END SOLUTION
}
