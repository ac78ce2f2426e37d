// The one interface every sampler takes: a noise predictor ε̂(x_t, t).
// Guidance, ideal denoisers and trained networks all plug in here.
import * as tf from '@tensorflow/tfjs';
import { Schedule, checkT } from './schedule';
import { idealDenoiser } from './exercises';
import { implementation, isYours, reference } from '../exercise/registry';
import { mixturePosterior } from '../math/mixturePosterior';

/** Predicted noise for a batch x_t [n, d] at one integer timestep t ∈ [0, T) (same t for the batch). */
export type EpsModel = (xt: tf.Tensor2D, t: number) => tf.Tensor2D;

/** Call an EpsModel and check its answer has the batch's shape. */
export function callEps(eps: EpsModel, xt: tf.Tensor2D, t: number, fn = 'sample'): tf.Tensor2D {
  const e = eps(xt, t);
  if (!e || e.rank !== 2 || e.shape[0] !== xt.shape[0] || e.shape[1] !== xt.shape[1]) {
    throw new Error(`${fn}: the EpsModel returned shape [${e?.shape}] for x_t of shape [${xt.shape}] at t = ${t}`);
  }
  return e;
}

/** Throw unless x is a rank-2 [n, d] tensor with n ≥ 1 (and d = dim if given). */
export function checkBatch(x: tf.Tensor, fn: string, dim?: number): void {
  if (x.rank !== 2 || x.shape[0] < 1) throw new Error(`${fn}: need a batch of points of shape [n, d], got [${x.shape}]`);
  if (dim !== undefined && x.shape[1] !== dim) throw new Error(`${fn}: points have ${x.shape[1]} coordinates, the model expects ${dim}`);
}

/**
 * The exact ε̂ for a data set treated as the whole distribution (a mixture of points):
 * x_t | x_0 ~ N(√ᾱ x_0, (1 − ᾱ) I), so E[x_0 | x_t] is a softmax-weighted average of the data
 * points with weights ∝ exp(−|x_t − √ᾱ x_i|² / 2(1 − ᾱ)) (chapter 3's exercise idealDenoiser),
 * and ε̂ = (x_t − √ᾱ E[x_0|x_t]) / √(1 − ᾱ). No training: what a perfect network would learn.
 * At ᾱ = 1 (a schedule without noise at t) there is no noise to predict: ε̂ = 0.
 *
 * Once the learner's idealDenoiser passed its check, ε̂ is computed from its E[x_0 | x_t].
 * Until then lib computes the reference's posterior in float64 (lib/math's mixturePosterior):
 * at small t the float32 route loses digits twice, in the distances (divided by 2(1 − ᾱ) = 2e-4)
 * and in x_t − √ᾱ·x̂0 (divided by √(1 − ᾱ) = 0.01), which float64 and ε̂ = Σ w_i(x_t − √ᾱ x_i)/√(1 − ᾱ)
 * avoid (test/diffusion/exact64.test.ts: within 1e-4 of float64 at every t).
 */
export function idealEps(data: Float32Array, d: number, schedule: Schedule): EpsModel & { dispose(): void } {
  if (data.length % d !== 0 || data.length === 0) throw new Error(`idealEps: data length ${data.length} is not a positive multiple of d = ${d}`);
  const X = tf.tensor2d(data, [data.length / d, d]);
  const X64 = Float64Array.from(data);
  // ε̂ from x̂0 by the reference formula: chapter 6's exercise epsFromX0 is not credited for chapter 3's field.
  const epsFromX0 = reference('unclip/epsFromX0');
  const f = ((xt: tf.Tensor2D, t: number) => {
    checkT(schedule, t, 'idealEps');
    checkBatch(xt, 'idealEps', d);
    const ab = schedule.alphaBar[t];
    if (ab >= 1) return tf.zerosLike(xt);
    if (!isYours('diffusion/idealDenoiser')) {
      implementation('diffusion/idealDenoiser'); // the reference's posterior, computed here in float64 (credited as the reference)
      const { eps } = mixturePosterior(X64, xt.dataSync(), d, Math.sqrt(ab), (1 - ab) / (1 + Math.sqrt(ab)), Math.sqrt(1 - ab));
      return tf.tensor2d(Float32Array.from(eps), [xt.shape[0], d]);
    }
    return tf.tidy(() => {
      const x0 = idealDenoiser(X, xt, ab);
      if (!x0 || x0.rank !== 2 || x0.shape[0] !== xt.shape[0] || x0.shape[1] !== d) throw new Error(`idealEps: idealDenoiser returned shape [${x0?.shape}] for x_t of shape [${xt.shape}]`);
      return epsFromX0(xt, x0, ab);
    });
  }) as EpsModel & { dispose(): void };
  f.dispose = () => X.dispose();
  return f;
}
