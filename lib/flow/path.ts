// Flow matching's noising path: a straight line from the data point to the noise,
//   x_t = (1 − t)·x0 + t·ε,  t ∈ [0, 1]  (t = 0 clean, t = 1 pure noise).
import * as tf from '@tensorflow/tfjs';
import { checkSameShape, checkTime } from './model';

/** x_t for x0, eps [n, d]; t is one number for the batch or a column [n, 1] with one t per row. */
export function flowPath(x0: tf.Tensor2D, eps: tf.Tensor2D, t: number | tf.Tensor2D): tf.Tensor2D {
  checkSameShape(x0, eps, 'flowPath', 'x0', 'eps');
  if (typeof t === 'number') {
    checkTime(t, 'flowPath');
    return tf.tidy(() => tf.add(tf.mul(x0, 1 - t), tf.mul(eps, t)) as tf.Tensor2D);
  }
  if (t.rank !== 2 || t.shape[0] !== x0.shape[0] || t.shape[1] !== 1) throw new Error(`flowPath: t column has shape [${t.shape}], need [${x0.shape[0]}, 1]`);
  return tf.tidy(() => tf.add(tf.mul(x0, tf.sub(1, t)), tf.mul(eps, t)) as tf.Tensor2D);
}
