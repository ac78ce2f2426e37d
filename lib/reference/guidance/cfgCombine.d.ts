// Generated from solutions/ by `npm run exercises`.
import * as tf from '@tensorflow/tfjs';
/**
 * Classifier-free guidance: final = uncond + w · (cond − uncond).
 *
 * `uncond` is the model's noise prediction without the condition, `cond` with it,
 * both of the same shape. w = 0 gives the unconditional prediction, w = 1 the plain
 * conditional one, and w > 1 pushes further along the direction the condition adds.
 *
 * Hint: two tensor ops; tf.sub, tf.mul and tf.add broadcast a number.
 */
export declare function cfgCombine(uncond: tf.Tensor, cond: tf.Tensor, w: number): tf.Tensor;
