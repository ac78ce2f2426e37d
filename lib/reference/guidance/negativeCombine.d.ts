// Generated from solutions/ by `npm run exercises`.
import * as tf from '@tensorflow/tfjs';
/**
 * Negative prompt: final = neg + w · (pos − neg).
 *
 * `neg` is the noise prediction under the condition we do NOT want; it takes the
 * place that the unconditional prediction has in classifier-free guidance. `pos` is
 * the prediction we steer towards: the positive prompt's, or the unconditional one
 * when there is no positive prompt. With w > 1 the sample moves away from `neg`.
 *
 * Hint: the same shape of formula as cfgCombine, with the roles renamed.
 */
export declare function negativeCombine(neg: tf.Tensor, pos: tf.Tensor, w: number): tf.Tensor;
