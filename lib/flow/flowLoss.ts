// The flow-matching loss: the squared error of the predicted velocity, mean over the batch of ‖v̂ − v‖².
import * as tf from '@tensorflow/tfjs';
import { checkSameShape } from './model';

export function flowLoss(vHat: tf.Tensor2D, v: tf.Tensor2D): tf.Scalar {
  checkSameShape(vHat, v, 'flowLoss', 'vHat', 'v');
  return tf.tidy(() => tf.mean(tf.sum(tf.square(tf.sub(vHat, v)), 1)) as tf.Scalar);
}
