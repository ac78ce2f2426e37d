import * as tf from '@tensorflow/tfjs';
import { predictX0 } from '../../lib/diffusion/predict';

/**
 * The general reverse step of DDIM (J. Song, Meng & Ermon 2021, eq. 12), from x_t to x_s with s < t:
 *
 *   x̂_0 = (x_t − √(1 − ᾱ_t) · ε̂) / √ᾱ_t                       the model's guess of the clean point
 *   ν   = η · √((1 − ᾱ_s) / (1 − ᾱ_t)) · √(1 − ᾱ_t / ᾱ_s)     the std of the fresh noise
 *   x_s = √ᾱ_s · x̂_0 + √(1 − ᾱ_s − ν²) · ε̂ + ν · z
 *
 * (ν, not σ: σ is the noise level √((1 − ᾱ)/ᾱ) of eulerStep.)
 * η = 1 with s = t − 1 is DDPM (ν² is DDPM's posterior variance β̃_t); η = 0 is deterministic DDIM.
 * alphaBarT = ᾱ_t, alphaBarS = ᾱ_s (1 for the clean data). z = null leaves the noise term out.
 * Run backwards (ᾱ_s < ᾱ_t, only with η = 0) the same formula inverts a step.
 * Hint: predictX0(xt, epsHat, alphaBarT) from course/diffusion gives x̂_0.
 * Throw an error naming the value if η is outside [0, 1]; one naming both values, alphaBarT and
 * alphaBarS, if η > 0 while ᾱ_s < ᾱ_t; and one naming the shapes if xt, epsHat (or z) differ.
 */
export function ddimStep(
  xt: tf.Tensor2D,
  epsHat: tf.Tensor2D,
  alphaBarT: number,
  alphaBarS: number,
  eta: number,
  z: tf.Tensor2D | null,
): tf.Tensor2D {
  // BEGIN SOLUTION
  if (!(eta >= 0 && eta <= 1)) throw new Error(`ddimStep: eta = ${eta} is outside [0, 1]`);
  if (eta > 0 && alphaBarS < alphaBarT) throw new Error(`ddimStep: eta = ${eta} > 0 needs alphaBarS ≥ alphaBarT (a reverse step); got ${alphaBarS} < ${alphaBarT}`);
  if (xt.shape.join() !== epsHat.shape.join()) throw new Error(`ddimStep: xt has shape [${xt.shape}] but epsHat has [${epsHat.shape}]`);
  if (z && z.shape.join() !== xt.shape.join()) throw new Error(`ddimStep: xt has shape [${xt.shape}] but z has [${z.shape}]`);
  const sigma = eta === 0 ? 0 : eta * Math.sqrt((1 - alphaBarS) / (1 - alphaBarT)) * Math.sqrt(Math.max(0, 1 - alphaBarT / alphaBarS));
  const dir = Math.sqrt(Math.max(0, 1 - alphaBarS - sigma * sigma));
  return tf.tidy((): tf.Tensor2D => {
    const x0 = predictX0(xt, epsHat, alphaBarT);
    const mean = tf.add(tf.mul(x0, Math.sqrt(alphaBarS)), tf.mul(epsHat, dir));
    return (z && sigma > 0 ? tf.add(mean, tf.mul(z, sigma)) : mean) as tf.Tensor2D;
  });
  // END SOLUTION
}
