import * as tf from '@tensorflow/tfjs';

/**
 * One Euler step of the probability-flow ODE, written in the variables where it is simplest:
 * the rescaled point x̄ = x / √ᾱ and the noise level σ = √((1 − ᾱ) / ᾱ) (the std of the noise in
 * x̄ = x0 + σ·ε; not the fresh-noise std ν of ddimStep). There the ODE reads
 *
 *   dx̄/dσ = ε̂(x, t),
 *
 * so one Euler step from σ_t to σ_s is x̄_s = x̄_t + (σ_s − σ_t) · ε̂. Return x_s = √ᾱ_s · x̄_s.
 * alphaBarT = ᾱ_t, alphaBarS = ᾱ_s (1 for the clean data, where σ = 0).
 * Throw an error naming the shapes if x and epsHat differ, and one naming the value if
 * an ᾱ is outside (0, 1].
 */
export function eulerStep(x: tf.Tensor2D, epsHat: tf.Tensor2D, alphaBarT: number, alphaBarS: number): tf.Tensor2D {
  // BEGIN SOLUTION
  if (x.shape.join() !== epsHat.shape.join()) throw new Error(`eulerStep: x has shape [${x.shape}] but epsHat has [${epsHat.shape}]`);
  for (const a of [alphaBarT, alphaBarS]) if (!(a > 0 && a <= 1)) throw new Error(`eulerStep: alphaBar = ${a} is outside (0, 1]`);
  const sigmaT = Math.sqrt((1 - alphaBarT) / alphaBarT);
  const sigmaS = Math.sqrt((1 - alphaBarS) / alphaBarS);
  return tf.tidy((): tf.Tensor2D => {
    const xbar = tf.add(tf.div(x, Math.sqrt(alphaBarT)), tf.mul(epsHat, sigmaS - sigmaT));
    return tf.mul(xbar, Math.sqrt(alphaBarS)) as tf.Tensor2D;
  });
  // END SOLUTION
}
