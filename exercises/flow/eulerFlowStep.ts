// Generated from solutions/ by `npm run exercises`: write your code where it says TODO.
import * as tf from '@tensorflow/tfjs';

/**
 * One Euler step of flow matching's sampler. Sampling runs the ODE dx/dt = v̂(x, t) backwards,
 * from noise at t = 1 to data at t = 0; one step from time t to an earlier time s = t − Δ
 * follows the velocity at the start:
 *
 *   x_s = x_t + (s − t)·v̂(x_t, t) = x_t − Δ·v̂(x_t, t)
 *
 * v(x, t) is the velocity model: it takes the batch x [n, d] and one time t, and returns v̂ [n, d];
 * call it once, at the start (x_t, t).
 * x is x_t [n, d]; t and s are times in [0, 1]. Returns x_s [n, d]. On a straight path
 * (v̂ = ε − x0 exactly) one step from t = 1 to s = 0 lands on x0.
 *
 * Bad input is an error that starts with "eulerFlowStep: " and names the problem: t or s outside
 * [0, 1] (name the value), or a model answer whose shape is not x's (name both shapes).
 *
 * Hint: call v once; tf.mul takes the number s − t.
 */
export function eulerFlowStep(v: (x: tf.Tensor2D, t: number) => tf.Tensor2D, x: tf.Tensor2D, t: number, s: number): tf.Tensor2D {
  // TODO: your code here
  throw new Error('not implemented: eulerFlowStep');
}
