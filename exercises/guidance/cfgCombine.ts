// Generated from solutions/ by `npm run exercises`: write your code where it says TODO.
import * as tf from '@tensorflow/tfjs';
import { checkScale } from '../../lib/guidance/checkScale';

/**
 * Classifier-free guidance: final = uncond + w · (cond − uncond).
 *
 * `uncond` is the model's noise prediction without the condition, `cond` with it,
 * both of the same shape. w = 0 gives the unconditional prediction, w = 1 the plain
 * conditional one, and w > 1 pushes further along the direction the condition adds.
 *
 * The checks are given: a bad w is an error naming the value, different shapes one naming both shapes.
 *
 * Hint: two tensor ops; tf.sub, tf.mul and tf.add broadcast a number.
 */
export function cfgCombine(uncond: tf.Tensor, cond: tf.Tensor, w: number): tf.Tensor {
  checkScale('cfgCombine', w);
  if (uncond.shape.join() !== cond.shape.join()) {
    throw new Error(`cfgCombine: uncond has shape [${uncond.shape}] but cond has [${cond.shape}]`);
  }
  // TODO: your code here
  throw new Error('not implemented: cfgCombine');
}
