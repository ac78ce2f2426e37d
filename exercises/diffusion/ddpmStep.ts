// Generated from solutions/ by `npm run exercises`: write your code where it says TODO.
import * as tf from '@tensorflow/tfjs';

/**
 * One reverse step of DDPM (Ho et al. 2020, Algorithm 2), from x_t to x_{t−1}:
 *
 *   x_{t−1} = (x_t − β_t / √(1 − ᾱ_t) · ε̂) / √(1 − β_t)  +  ν_t · z,
 *   ν_t² = β̃_t = β_t · (1 − ᾱ_{t−1}) / (1 − ᾱ_t)          (the posterior variance)
 *
 * ν_t is the standard deviation of the fresh noise (chapter 4 keeps σ for the noise level).
 *
 * xt, epsHat and z are [n, d]. beta = β_t, alphaBarT = ᾱ_t, alphaBarPrev = ᾱ_{t−1}
 * (1 at the last step, t = 0, where ν = 0). z = null means "leave the noise out": return the mean.
 * Throw an error naming the shapes if xt, epsHat (or z) differ.
 */
export function ddpmStep(
  xt: tf.Tensor2D,
  epsHat: tf.Tensor2D,
  beta: number,
  alphaBarT: number,
  alphaBarPrev: number,
  z: tf.Tensor2D | null,
): tf.Tensor2D {
  // TODO: your code here
  throw new Error('not implemented: ddpmStep');
}
