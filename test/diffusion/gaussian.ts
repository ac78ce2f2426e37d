// An exactly solvable case for the samplers: data N(μ, s²I). Then x_t ~ N(√ᾱ μ, (ᾱ s² + 1 − ᾱ) I) and
// E[x_0 | x_t] = μ + √ᾱ s² / (ᾱ s² + 1 − ᾱ) · (x_t − √ᾱ μ), so the optimal ε̂ is known in closed form.
import * as tf from '@tensorflow/tfjs';
import type { EpsModel, Schedule } from '../../lib/diffusion';

export function gaussianEps(schedule: Schedule, mu: number[], s: number): EpsModel {
  return (xt, t) => {
    if (!(Number.isInteger(t) && t >= 0 && t < schedule.T)) throw new Error(`gaussianEps: t = ${t}`);
    const ab = schedule.alphaBar[t];
    return tf.tidy(() => {
      const m = tf.mul(tf.tensor1d(mu), Math.sqrt(ab));
      const x0 = tf.add(tf.tensor1d(mu), tf.mul(tf.sub(xt, m), (Math.sqrt(ab) * s * s) / (ab * s * s + 1 - ab)));
      return tf.div(tf.sub(xt, tf.mul(x0, Math.sqrt(ab))), Math.sqrt(1 - ab)) as tf.Tensor2D;
    });
  };
}

/** Column means and standard deviations of flat d-dimensional points (plain JS). */
export function moments(p: ArrayLike<number>, d = 2): { mean: number[]; std: number[] } {
  const n = p.length / d;
  const mean = Array(d).fill(0);
  const sq = Array(d).fill(0);
  for (let i = 0; i < n; i++) for (let k = 0; k < d; k++) mean[k] += p[i * d + k] / n;
  for (let i = 0; i < n; i++) for (let k = 0; k < d; k++) sq[k] += (p[i * d + k] - mean[k]) ** 2 / n;
  return { mean, std: sq.map(Math.sqrt) };
}
