// The flow-matching loss: the squared error of the predicted velocity, averaged over the batch
// and the coordinates, mean of (v̂ − v)², the same convention as chapter 3's epsLoss, so that the
// two losses compare directly (through v̂ − v = (ε̂ − ε)/(1 − t)). Adam's steps do not depend on
// the scale of the loss, so summing over the d coordinates instead would train the same network.
import * as tf from '@tensorflow/tfjs';
import { checkSameShape } from './model';

export function flowLoss(vHat: tf.Tensor2D, v: tf.Tensor2D): tf.Scalar {
  checkSameShape(vHat, v, 'flowLoss', 'vHat', 'v');
  return tf.tidy(() => tf.mean(tf.square(tf.sub(vHat, v))) as tf.Scalar);
}
