// One Heun step of the flow ODE from t down to s: an Euler step to s, then redo it with the
// average of the slopes at both ends (second order, two model calls):
//   x' = x_t + (s − t)·v̂(x_t, t),  x_s = x_t + (s − t)·(v̂(x_t, t) + v̂(x', s))/2.
import * as tf from '@tensorflow/tfjs';
import { VelocityModel, callVelocity, checkTime } from './model';

export function heunFlowStep(v: VelocityModel, x: tf.Tensor2D, t: number, s: number): tf.Tensor2D {
  checkTime(t, 'heunFlowStep');
  checkTime(s, 'heunFlowStep');
  return tf.tidy(() => {
    const v1 = callVelocity(v, x, t, 'heunFlowStep');
    const xe = tf.add(x, tf.mul(v1, s - t)) as tf.Tensor2D;
    const v2 = callVelocity(v, xe, s, 'heunFlowStep');
    return tf.add(x, tf.mul(tf.add(v1, v2), 0.5 * (s - t))) as tf.Tensor2D;
  });
}
