// Unit vectors and the cosine of the angle between two vectors.
import * as tf from '@tensorflow/tfjs';
import { checkPair, checkRows } from './checks';

/** Each row of x divided by its length (L2 norm); zero or non-finite rows are an error. */
export function l2normalize(x: tf.Tensor2D, name = 'l2normalize'): tf.Tensor2D {
  checkRows(x, name);
  return tf.tidy(() => tf.div(x, tf.norm(x, 2, 1, true)) as tf.Tensor2D);
}

/** cos(a_i, b_i) for each row pair of a and b (both [n, d]): an [n] vector. */
export function cosineSimilarity(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor1D {
  checkPair(a, b, ['a', 'b'], true);
  return tf.tidy(() => tf.sum(tf.mul(l2normalize(a, 'a'), l2normalize(b, 'b')), 1) as tf.Tensor1D);
}
