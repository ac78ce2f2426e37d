// From a velocity back to the clean point: x_t = (1 − t)·x0 + t·ε and v = ε − x0 give
//   x̂0 = x_t − t·v̂.
import * as tf from '@tensorflow/tfjs';
import { checkSameShape, checkTime } from './model';

export function x0FromVelocity(xt: tf.Tensor2D, vHat: tf.Tensor2D, t: number): tf.Tensor2D {
  checkSameShape(xt, vHat, 'x0FromVelocity', 'xt', 'vHat');
  checkTime(t, 'x0FromVelocity');
  return tf.tidy(() => tf.sub(xt, tf.mul(vHat, t)) as tf.Tensor2D);
}
