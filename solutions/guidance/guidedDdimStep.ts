import * as tf from '@tensorflow/tfjs';
import { predictX0 } from '../../lib/diffusion/predict';
import { checkScale } from '../../lib/guidance/checkScale';

/**
 * One deterministic (η = 0) DDIM step with classifier-free guidance, from step t to
 * an earlier step s:
 *
 *   ε̂   = ε_uncond + w · (ε_cond − ε_uncond)
 *   x̂0  = (x_t − √(1 − ᾱ_t) · ε̂) / √ᾱ_t
 *   x_s = √ᾱ_s · x̂0 + √(1 − ᾱ_s) · ε̂
 *
 * `alphaBarT` is ᾱ_t, `alphaBarS` is ᾱ_s (use 1 for the last step, which lands on x̂0).
 * Both must lie in (0, 1]. Returns x_s with the shape of x_t. The checks are given: a bad w or ᾱ is
 * an error naming the argument and its value, different shapes one naming the shapes.
 *
 * Hint: build ε̂ first, then x̂0, then x_s; tf.tidy keeps the intermediates from leaking.
 */
export function guidedDdimStep(
  xt: tf.Tensor2D,
  epsUncond: tf.Tensor2D,
  epsCond: tf.Tensor2D,
  w: number,
  alphaBarT: number,
  alphaBarS: number,
): tf.Tensor2D {
  checkScale('guidedDdimStep', w);
  for (const [name, a] of [['alphaBarT', alphaBarT], ['alphaBarS', alphaBarS]] as const) {
    if (!(a > 0 && a <= 1)) throw new Error(`guidedDdimStep: ${name} must be in (0, 1], got ${a}`);
  }
  if (xt.shape.join() !== epsUncond.shape.join() || xt.shape.join() !== epsCond.shape.join()) {
    throw new Error(`guidedDdimStep: shapes differ: xt [${xt.shape}], epsUncond [${epsUncond.shape}], epsCond [${epsCond.shape}]`);
  }
  // BEGIN SOLUTION
  return tf.tidy((): tf.Tensor2D => {
    const eps = tf.add(epsUncond, tf.mul(tf.sub(epsCond, epsUncond), w));
    const x0 = predictX0(xt, eps as tf.Tensor2D, alphaBarT);
    return tf.add(tf.mul(x0, Math.sqrt(alphaBarS)), tf.mul(eps, Math.sqrt(1 - alphaBarS))) as tf.Tensor2D;
  });
  // END SOLUTION
}
