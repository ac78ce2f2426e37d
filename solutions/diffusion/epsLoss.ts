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
  // BEGIN SOLUTION
  if (x0.rank !== 2 || x0.shape.join() !== eps.shape.join()) throw new Error(`epsLoss: x0 has shape [${x0.shape}] but eps has [${eps.shape}]; both must be the same [n, d]`);
  const n = x0.shape[0];
  if (t.rank !== 1 || t.shape[0] !== n) throw new Error(`epsLoss: t has shape [${t.shape}], need [${n}] (one timestep per row of x0 [${x0.shape}])`);
  if (alphaBarT.rank !== 2 || alphaBarT.shape[0] !== n || alphaBarT.shape[1] !== 1) {
    throw new Error(`epsLoss: alphaBarT has shape [${alphaBarT.shape}], need the column [${n}, 1]`);
  }
  const ab = alphaBarT.dataSync();
  const bad = ab.findIndex((a) => !(a > 0 && a <= 1));
  if (bad >= 0) throw new Error(`epsLoss: alphaBarT[${bad}] = ${ab[bad]} is outside (0, 1]`);
  return tf.tidy((): tf.Scalar => {
    const xt = tf.add(tf.mul(x0, tf.sqrt(alphaBarT)), tf.mul(eps, tf.sqrt(tf.sub(1, alphaBarT)))) as tf.Tensor2D;
    const epsHat = epsModel(xt, t);
    if (!epsHat || epsHat.shape.join() !== xt.shape.join()) throw new Error(`epsLoss: the model returned shape [${epsHat?.shape}] for x_t of shape [${xt.shape}]`);
    return tf.mean(tf.square(tf.sub(epsHat, eps))) as tf.Scalar;
  });
  // END SOLUTION
}
