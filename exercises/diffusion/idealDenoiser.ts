// Generated from solutions/ by `npm run exercises`: write your code where it says TODO.
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
 * It must also stay exact there: at ᾱ = 0.9999, with x_t between two data points 0.02 apart
 * (around (3, 4)), the answer must agree with a float64 computation to 2e-6. The logits are
 * distances divided by 2(1 − ᾱ) = 2e-4, so every rounding error in a distance is multiplied by
 * 5000: a distance must be as exact as float32 allows.
 *
 * Bad input is an error that starts with "idealDenoiser: " and names the problem: data and xt
 * with different d (name both shapes), no data points, or ᾱ outside (0, 1) (name the value).
 *
 * Hint: compute the differences x_t − √ᾱ·x0_i themselves, an [n, m, d] tensor (tf.expandDims
 * and broadcasting), then square and sum over d. Do not expand |a − b|² = |a|² − 2a·b + |b|²:
 * in float32 each term carries an error of about 1e-7·|a|², far more than the small distance
 * left after the subtraction. tf.softmax works along the last axis; a tf.matMul of the weights
 * [n, m] with the data [m, d] averages the data points.
 */
export function idealDenoiser(data: tf.Tensor2D, xt: tf.Tensor2D, alphaBar: number): tf.Tensor2D {
  // TODO: your code here
  throw new Error('not implemented: idealDenoiser');
}
