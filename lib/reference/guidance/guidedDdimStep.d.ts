// Generated from solutions/ by `npm run exercises`.
import * as tf from '@tensorflow/tfjs';
/**
 * One deterministic (η = 0) DDIM step with classifier-free guidance, from step t to
 * an earlier step s:
 *
 *   ε̂   = ε_uncond + w · (ε_cond − ε_uncond)
 *   x̂0  = (x_t − √(1 − ᾱ_t) · ε̂) / √ᾱ_t
 *   x_s = √ᾱ_s · x̂0 + √(1 − ᾱ_s) · ε̂
 *
 * `alphaBarT` is ᾱ_t, `alphaBarS` is ᾱ_s (use 1 for the last step, which lands on x̂0).
 * Both must lie in (0, 1]. Returns x_s with the shape of x_t.
 *
 * Hint: build ε̂ first, then x̂0, then x_s; tf.tidy keeps the intermediates from leaking.
 */
export declare function guidedDdimStep(xt: tf.Tensor2D, epsUncond: tf.Tensor2D, epsCond: tf.Tensor2D, w: number, alphaBarT: number, alphaBarS: number): tf.Tensor2D;
