// From a velocity to the noise: x_t = (1 − t)·x0 + t·ε and v = ε − x0 give
//   ε̂ = x_t + (1 − t)·v̂.
import * as tf from '@tensorflow/tfjs';
import { checkSameShape, checkTime } from './model';

export function epsFromVelocity(xt: tf.Tensor2D, vHat: tf.Tensor2D, t: number): tf.Tensor2D {
  checkSameShape(xt, vHat, 'epsFromVelocity', 'xt', 'vHat');
  checkTime(t, 'epsFromVelocity');
  return tf.tidy(() => tf.add(xt, tf.mul(vHat, 1 - t)) as tf.Tensor2D);
}
