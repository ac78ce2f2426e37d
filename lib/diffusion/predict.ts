// The two ways to read a noise prediction, named once (as smalldiffusion's PredX0 and PredEps):
// x_t = √ᾱ·x0 + √(1 − ᾱ)·ε, so knowing x_t and one of x0, ε gives the other.
import * as tf from '@tensorflow/tfjs';

/** x̂0 = (x_t − √(1 − ᾱ)·ε̂) / √ᾱ: the clean point an ε prediction implies. ᾱ in (0, 1]. */
export function predictX0(xt: tf.Tensor2D, epsHat: tf.Tensor2D, alphaBar: number): tf.Tensor2D {
  checkAlphaBar(alphaBar, 'predictX0');
  return tf.tidy(() => tf.div(tf.sub(xt, tf.mul(epsHat, Math.sqrt(1 - alphaBar))), Math.sqrt(alphaBar)) as tf.Tensor2D);
}

/** ε̂ = (x_t − √ᾱ·x̂0) / √(1 − ᾱ): the noise an x0 prediction implies. ᾱ in (0, 1). */
export function epsFromX0(xt: tf.Tensor2D, x0Hat: tf.Tensor2D, alphaBar: number): tf.Tensor2D {
  checkAlphaBar(alphaBar, 'epsFromX0');
  if (alphaBar === 1) throw new Error('epsFromX0: alphaBar = 1 leaves no noise to recover');
  return tf.tidy(() => tf.div(tf.sub(xt, tf.mul(x0Hat, Math.sqrt(alphaBar))), Math.sqrt(1 - alphaBar)) as tf.Tensor2D);
}

function checkAlphaBar(a: number, fn: string) {
  if (!(typeof a === 'number' && a > 0 && a <= 1)) throw new Error(`${fn}: alphaBar = ${a} is outside (0, 1]`);
}
