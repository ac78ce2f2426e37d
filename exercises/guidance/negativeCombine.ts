// Generated from solutions/ by `npm run exercises`: write your code where it says TODO.
import * as tf from '@tensorflow/tfjs';
import { checkScale } from '../../lib/guidance/checkScale';

/**
 * Negative prompt: final = neg + w · (pos − neg).
 *
 * `neg` is the noise prediction under the condition we do NOT want; it takes the
 * place that the unconditional prediction has in classifier-free guidance. `pos` is
 * the prediction we steer towards: the positive prompt's, or the unconditional one
 * when there is no positive prompt. With w > 1 the sample moves away from `neg`.
 *
 * The checks are given: a bad w is an error naming the value.
 *
 * Hint: the same shape of formula as cfgCombine, with the roles renamed.
 */
export function negativeCombine(neg: tf.Tensor, pos: tf.Tensor, w: number): tf.Tensor {
  checkScale('negativeCombine', w);
  if (neg.shape.join() !== pos.shape.join()) {
    throw new Error(`negativeCombine: neg has shape [${neg.shape}] but pos has [${pos.shape}]`);
  }
  // TODO: your code here
  throw new Error('not implemented: negativeCombine');
}
