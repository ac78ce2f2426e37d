// An exactly solvable case for flow matching: data N(μ, s²I) on the path x_t = (1 − t)x0 + tε.
// With a = 1 − t and c² = a²s² + t², x_t ~ N(aμ, c²I) and
//   E[x0 | x_t] = μ + a s²/c² (x_t − aμ),  E[ε | x_t] = t/c² (x_t − aμ),
// so the optimal velocity is v*(x, t) = E[ε − x0 | x_t] = (t − a s²)/c² (x − aμ) − μ.
// Its ODE moves each point along x_t = aμ + c(t)·x_1: from noise x_1 to x_0 = μ + s·x_1.
import * as tf from '@tensorflow/tfjs';
import type { VelocityModel } from '../../lib/flow';

export function gaussianVelocity(mu: number[], s: number): VelocityModel {
  return (xt, t) => {
    const a = 1 - t;
    const c2 = a * a * s * s + t * t;
    return tf.tidy(() => tf.sub(tf.mul(tf.sub(xt, tf.mul(tf.tensor1d(mu), a)), (t - a * s * s) / c2), tf.tensor1d(mu)) as tf.Tensor2D);
  };
}

/** The same in plain JS for one point. */
export function gaussianVelocityAt(mu: number[], s: number, x: number[], t: number): number[] {
  const a = 1 - t;
  const c2 = a * a * s * s + t * t;
  return x.map((v, k) => ((t - a * s * s) / c2) * (v - a * mu[k]) - mu[k]);
}
