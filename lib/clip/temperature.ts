// The learnable temperature. CLIP keeps logLogitScale = log(logitScale) as the parameter, so the
// scale stays positive and a step changes it by a factor, starts it at 1/0.07 and caps it at 100.
import * as tf from '@tensorflow/tfjs';

export const MAX_LOGIT_SCALE = 100;
export const INITIAL_LOGIT_SCALE = 1 / 0.07;

let made = 0;

/** A fresh logLogitScale variable (the log of the logit scale), initialised to log(1/0.07). */
export function logLogitScaleVariable(initial = INITIAL_LOGIT_SCALE): tf.Variable {
  if (!(initial > 0 && initial <= MAX_LOGIT_SCALE)) throw new Error(`logLogitScaleVariable: initial scale must be in (0, ${MAX_LOGIT_SCALE}], got ${initial}`);
  return tf.tidy(() => tf.variable(tf.scalar(Math.log(initial)), true, `clip#${made++}/logLogitScale`));
}

/** logitScale = exp(min(logLogitScale, log 100)): differentiable below the cap, flat at it. */
export function logitScale(logLogitScale: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.exp(tf.minimum(logLogitScale, Math.log(MAX_LOGIT_SCALE))) as tf.Scalar);
}
