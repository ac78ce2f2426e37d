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
  // BEGIN SOLUTION
  for (const [name, u] of [['t', t], ['s', s]] as const) {
    if (!(typeof u === 'number' && u >= 0 && u <= 1)) throw new Error(`eulerFlowStep: time ${name} = ${u} is outside [0, 1]`);
  }
  return tf.tidy((): tf.Tensor2D => {
    const vHat = v(x, t);
    if (!vHat || vHat.shape.join() !== x.shape.join()) throw new Error(`eulerFlowStep: the model returned shape [${vHat?.shape}] for x of shape [${x.shape}]`);
    return tf.add(x, tf.mul(vHat, s - t)) as tf.Tensor2D;
  });
  // END SOLUTION
}
