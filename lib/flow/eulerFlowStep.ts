// One Euler step of the flow ODE dx/dt = v̂(x, t) from time t down to s < t:
//   x_s = x_t + (s − t)·v̂(x_t, t).
import * as tf from '@tensorflow/tfjs';
import { VelocityModel, callVelocity, checkTime } from './model';

export function eulerFlowStep(v: VelocityModel, x: tf.Tensor2D, t: number, s: number): tf.Tensor2D {
  checkTime(t, 'eulerFlowStep');
  checkTime(s, 'eulerFlowStep');
  return tf.tidy(() => tf.add(x, tf.mul(callVelocity(v, x, t, 'eulerFlowStep'), s - t)) as tf.Tensor2D);
}
