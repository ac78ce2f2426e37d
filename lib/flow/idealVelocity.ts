// The exact velocity for a data set treated as the whole distribution (a mixture of points),
// as lib/diffusion's idealEps is the exact ε̂: x_t | x_i ~ N((1 − t)·x_i, t²I), so E[x0 | x_t]
// is a softmax-weighted average of the data points with weights ∝ exp(−|x_t − (1 − t)x_i|²/2t²),
// E[ε | x_t] = (x_t − (1 − t)·E[x0 | x_t])/t, and v* = E[ε | x_t] − E[x0 | x_t].
// No training: a reference for tests and for what a perfect network would learn. Defined for t > 0.
//
// Computed in float64 by lib/math's mixturePosterior (a = 1 − t, s = t): near t = 0 the logits are
// distances divided by 2t², and float32 rounding in a distance moves the weights between
// neighbouring points (the float32 matMul form |a|² − 2a·b + |b|² was off by 4e-2 at t = 0.001).
import * as tf from '@tensorflow/tfjs';
import { mixturePosterior } from '../math/mixturePosterior';
import { VelocityModel, checkTime } from './model';
import { velocityTarget } from './exercises';

export function idealVelocity(data: Float32Array, d: number): VelocityModel & { dispose(): void } {
  if (!(Number.isInteger(d) && d >= 1) || data.length % d !== 0 || data.length === 0) throw new Error(`idealVelocity: data length ${data.length} is not a positive multiple of d = ${d}`);
  const X = Float64Array.from(data);
  const f = ((xt: tf.Tensor2D, t: number) => {
    checkTime(t, 'idealVelocity');
    if (!(t > 0)) throw new Error('idealVelocity: t = 0 has no finite velocity for a finite data set (every point is a data point or infinitely far from one); use t > 0');
    if (xt.rank !== 2 || xt.shape[1] !== d) throw new Error(`idealVelocity: need points of shape [n, ${d}], got [${xt.shape}]`);
    const { x0, eps } = mixturePosterior(X, xt.dataSync(), d, 1 - t, t, t);
    return tf.tidy(() => velocityTarget(tf.tensor2d(Float32Array.from(x0), xt.shape as [number, number]), tf.tensor2d(Float32Array.from(eps), xt.shape as [number, number]))); // v = ε − x0, the one definition (chapter 7's exercise)
  }) as VelocityModel & { dispose(): void };
  f.dispose = () => undefined; // nothing held in tensors; kept so callers can treat it like the other models
  return f;
}
