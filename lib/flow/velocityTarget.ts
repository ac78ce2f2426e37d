// The velocity along the straight path: v = dx_t/dt = ε − x0 (the same at every t).
import * as tf from '@tensorflow/tfjs';
import { checkSameShape } from './model';

export function velocityTarget(x0: tf.Tensor2D, eps: tf.Tensor2D): tf.Tensor2D {
  checkSameShape(x0, eps, 'velocityTarget', 'x0', 'eps');
  return tf.sub(eps, x0);
}
