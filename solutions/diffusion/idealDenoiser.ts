import * as tf from '@tensorflow/tfjs';

/**
 * The exact denoiser of a finite data set: the posterior mean E[x0 | x_t] when the data
 * distribution is the m points of `data` (each equally likely). Since x_t | x0 ~ N(√ᾱ·x0, (1 − ᾱ)·I),
 * Bayes' rule gives weights over the data points
 *
 *   w_i ∝ exp(−|x_t − √ᾱ·x0_i|² / (2(1 − ᾱ))),   E[x0 | x_t] = Σ_i w_i · x0_i   (Σ w_i = 1)
 *
 * This is what a perfect noise predictor learns, and the field chapter 3 switches to. With ᾱ
 * near 1 the weights pick the nearest data point; with ᾱ near 0 they are nearly equal and the
 * answer is near the data mean.
 *
 * data is [m, d], xt is [n, d] (one answer per row), alphaBar = ᾱ in (0, 1). Returns [n, d].
 * It must stay finite when ᾱ is close to 1: the exponents reach −10⁴ and beyond, so exp()
 * underflows to 0/0. Work with the logits and a softmax that subtracts the max (log-sum-exp).
 *
 * Bad input is an error that starts with "idealDenoiser: " and names the problem: data and xt
 * with different d (name both shapes), no data points, or ᾱ outside (0, 1) (name the value).
 *
 * Hint: the squared distances of every row of xt to every √ᾱ·x0_i form an [n, m] matrix
 * (|a|² − 2a·b + |b|² with one tf.matMul); tf.softmax works along the last axis; a second
 * tf.matMul averages the data points.
 */
export function idealDenoiser(data: tf.Tensor2D, xt: tf.Tensor2D, alphaBar: number): tf.Tensor2D {
  // BEGIN SOLUTION
  if (data.rank !== 2 || xt.rank !== 2 || data.shape[1] !== xt.shape[1]) throw new Error(`idealDenoiser: data has shape [${data.shape}] but xt has [${xt.shape}]; both must be [·, d] with the same d`);
  if (data.shape[0] < 1) throw new Error(`idealDenoiser: data has no points (shape [${data.shape}])`);
  if (!(typeof alphaBar === 'number' && alphaBar > 0 && alphaBar < 1)) throw new Error(`idealDenoiser: alphaBar = ${alphaBar} is outside (0, 1)`);
  return tf.tidy((): tf.Tensor2D => {
    const mu = tf.mul(data, Math.sqrt(alphaBar)); // the means √ᾱ·x0_i
    const d2 = tf.add(tf.sub(tf.sum(tf.square(xt), 1, true), tf.mul(tf.matMul(xt, mu, false, true), 2)), tf.reshape(tf.sum(tf.square(mu), 1), [1, -1]));
    const w = tf.softmax(tf.div(tf.neg(d2), 2 * (1 - alphaBar))); // [n, m], shifted by each row's max inside
    return tf.matMul(w, data) as tf.Tensor2D;
  });
  // END SOLUTION
}
