// The two ways to read a prediction, named once (as smalldiffusion's PredX0 and PredEps):
// x_t = √ᾱ·x0 + √(1 − ᾱ)·ε, so knowing x_t and one of x0, ε gives the other.
// x̂0 from ε̂ is predictX0 below; ε̂ from x̂0 is chapter 6's exercise epsFromX0
// (lib/diffusion/exercises.ts: lib runs the learner's once it passes check()).
import * as tf from '@tensorflow/tfjs';

/** x̂0 = (x_t − √(1 − ᾱ)·ε̂) / √ᾱ: the clean point an ε prediction implies. ᾱ in (0, 1]. */
export function predictX0(xt: tf.Tensor2D, epsHat: tf.Tensor2D, alphaBar: number): tf.Tensor2D {
  if (!(typeof alphaBar === 'number' && alphaBar > 0 && alphaBar <= 1)) throw new Error(`predictX0: alphaBar = ${alphaBar} is outside (0, 1]`);
  return tf.tidy(() => tf.div(tf.sub(xt, tf.mul(epsHat, Math.sqrt(1 - alphaBar))), Math.sqrt(alphaBar)) as tf.Tensor2D);
}
