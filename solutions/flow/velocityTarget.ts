import * as tf from '@tensorflow/tfjs';

/**
 * Flow matching's regression target (Lipman et al. 2023; Liu et al. 2023, rectified flow).
 * Its noising path is a straight line from a data point x0 to a noise sample ε:
 *
 *   x_t = (1 − t)·x0 + t·ε,   t ∈ [0, 1]   (t = 0 clean, t = 1 pure noise)
 *
 * and the velocity along it is its time derivative, the same at every t:
 *
 *   v = dx_t/dt = ε − x0
 *
 * A network v̂(x_t, t) learns it with the loss ‖v̂(x_t, t) − v‖². x0 and eps are [n, d];
 * return v [n, d].
 *
 * Bad input is an error that starts with "velocityTarget: " and names both shapes when x0 and
 * eps differ (tfjs would broadcast [1, d] against [n, d] without a word).
 *
 * Hint: one tensor op.
 */
export function velocityTarget(x0: tf.Tensor2D, eps: tf.Tensor2D): tf.Tensor2D {
  // BEGIN SOLUTION
  if (x0.rank !== 2 || x0.shape.join() !== eps.shape.join()) throw new Error(`velocityTarget: x0 has shape [${x0.shape}] but eps has [${eps.shape}]; both must be the same [n, d]`);
  return tf.sub(eps, x0) as tf.Tensor2D;
  // END SOLUTION
}
