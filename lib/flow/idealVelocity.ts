// The exact velocity for a data set treated as the whole distribution (a mixture of points),
// as lib/diffusion's idealEps is the exact ε̂: x_t | x_i ~ N((1 − t)·x_i, t²I), so E[x0 | x_t]
// is a softmax-weighted average of the data points with weights ∝ exp(−|x_t − (1 − t)x_i|²/2t²),
// E[ε | x_t] = (x_t − (1 − t)·E[x0 | x_t])/t, and v* = E[ε | x_t] − E[x0 | x_t].
// No training: a reference for tests and for what a perfect network would learn. Defined for t > 0.
import * as tf from '@tensorflow/tfjs';
import { VelocityModel, checkTime } from './model';
import { velocityTarget } from './exercises';

export function idealVelocity(data: Float32Array, d: number): VelocityModel & { dispose(): void } {
  if (!(Number.isInteger(d) && d >= 1) || data.length % d !== 0 || data.length === 0) throw new Error(`idealVelocity: data length ${data.length} is not a positive multiple of d = ${d}`);
  const X = tf.tensor2d(data, [data.length / d, d]);
  const sq = tf.tidy(() => tf.sum(tf.square(X), 1)); // |x_i|² (tidy: the squares are freed)
  const f = ((xt: tf.Tensor2D, t: number) => {
    checkTime(t, 'idealVelocity');
    if (!(t > 0)) throw new Error('idealVelocity: t = 0 has no finite velocity for a finite data set (every point is a data point or infinitely far from one); use t > 0');
    if (xt.rank !== 2 || xt.shape[1] !== d) throw new Error(`idealVelocity: need points of shape [n, ${d}], got [${xt.shape}]`);
    const a = 1 - t;
    return tf.tidy(() => {
      // −|x_t − a x_i|² = 2a x_t·x_i − a²|x_i|² − |x_t|² (the last term drops out of the softmax)
      const logits = tf.div(tf.sub(tf.mul(tf.matMul(xt, X, false, true), 2 * a), tf.mul(sq, a * a)), 2 * t * t);
      const x0 = tf.matMul(tf.softmax(logits), X);
      const eps = tf.div(tf.sub(xt, tf.mul(x0, a)), t);
      return velocityTarget(x0 as tf.Tensor2D, eps as tf.Tensor2D); // v = ε − x0, the one definition (chapter 7's exercise)
    });
  }) as VelocityModel & { dispose(): void };
  f.dispose = () => {
    X.dispose();
    sq.dispose();
  };
  return f;
}
