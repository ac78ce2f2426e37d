// The score ∇_x log p_t(x): the direction in which the noisy data's density rises fastest.
// x_t = √ᾱ x0 + √(1 − ᾱ) ε gives ∇ log p(x_t | x0) = −ε/√(1 − ᾱ); averaging over x0 given x_t,
//   ∇ log p_t(x) = −E[ε | x_t = x] / √(1 − ᾱ_t) = −ε̂(x, t) / √(1 − ᾱ_t),
// so a noise predictor is a score model up to the factor −1/√(1 − ᾱ_t).
import * as tf from '@tensorflow/tfjs';
import { Field } from '../plot';
import { EpsModel, callEps, checkBatch, idealEps } from './eps';
import { fieldOf, grid } from './field';
import { Schedule, checkT } from './schedule';

/** A score model: ∇ log p_t at a batch x [n, d] and one integer timestep t. */
export type ScoreModel = (x: tf.Tensor2D, t: number) => tf.Tensor2D;

/** score = −ε̂ / √(1 − ᾱ_t). */
export function scoreFromEps(epsHat: tf.Tensor2D, alphaBarT: number): tf.Tensor2D {
  if (!(alphaBarT > 0 && alphaBarT < 1)) throw new Error(`scoreFromEps: alphaBar = ${alphaBarT} is outside (0, 1) (at ᾱ = 1 there is no noise and no score)`);
  checkBatch(epsHat, 'scoreFromEps');
  return tf.tidy(() => tf.div(epsHat, -Math.sqrt(1 - alphaBarT)) as tf.Tensor2D);
}

/** The score model a noise predictor implies. */
export function scoreModel(eps: EpsModel, schedule: Schedule): ScoreModel {
  return (x, t) => {
    checkT(schedule, t, 'scoreModel');
    return tf.tidy(() => scoreFromEps(callEps(eps, x, t, 'scoreModel'), schedule.alphaBar[t]));
  };
}

/** The exact score of a finite data set (the data as the whole distribution), from idealEps. */
export function idealScore(data: Float32Array, d: number, schedule: Schedule): ScoreModel & { dispose(): void } {
  const eps = idealEps(data, d, schedule);
  const f = scoreModel(eps, schedule) as ScoreModel & { dispose(): void };
  f.dispose = () => eps.dispose();
  return f;
}

/** The score on an n×n grid over extent at timestep t (2D), ready for lib/plot's quiver. */
export function scoreField(score: ScoreModel, t: number, opts: { n?: number; extent?: [number, number, number, number] } = {}): Field {
  const n = opts.n ?? 17;
  const pts = grid(n, opts.extent ?? [-1.6, 1.6, -1.6, 1.6]);
  const uv = tf.tidy(() => {
    const s = score(tf.tensor2d(pts, [n * n, 2]), t);
    if (s.rank !== 2 || s.shape[0] !== n * n || s.shape[1] !== 2) throw new Error(`scoreField: the ScoreModel returned shape [${s.shape}] for [${n * n}, 2] points`);
    return s.dataSync() as Float32Array;
  });
  return fieldOf(pts, uv);
}

/**
 * log p_t(x) of a finite data set under the forward process (the data as the whole distribution),
 * up to its constant: log Σ_i exp(−|x − √ᾱ_t x_i|² / 2(1 − ᾱ_t)), in float64 with the largest term
 * factored out. Its gradient, by finite differences, checks the identity the exact score is built
 * on: ∇log p_t(x) = E[∇log p(x | x0) | x_t = x] (the posterior average of the per-point scores).
 */
export function logDensity(data: Float32Array, d: number, schedule: Schedule): (x: ArrayLike<number>, t: number) => Float64Array {
  if (data.length % d !== 0 || data.length === 0) throw new Error(`logDensity: data length ${data.length} is not a positive multiple of d = ${d}`);
  const m = data.length / d;
  return (x, t) => {
    checkT(schedule, t, 'logDensity');
    if (x.length % d !== 0) throw new Error(`logDensity: x has length ${x.length}, not a multiple of d = ${d}`);
    const ab = schedule.alphaBar[t];
    const r = Math.sqrt(ab);
    const n = x.length / d;
    const out = new Float64Array(n);
    const logit = new Float64Array(m);
    for (let i = 0; i < n; i++) {
      let top = -Infinity;
      for (let j = 0; j < m; j++) {
        let s = 0;
        for (let k = 0; k < d; k++) s += (x[i * d + k] - r * data[j * d + k]) ** 2;
        logit[j] = -s / (2 * (1 - ab));
        if (logit[j] > top) top = logit[j];
      }
      let z = 0;
      for (let j = 0; j < m; j++) z += Math.exp(logit[j] - top);
      out[i] = top + Math.log(z);
    }
    return out;
  };
}

/**
 * The score by central finite differences of logDensity, at flat points x (float64), step h:
 * an independent route to ∇log p_t for checking idealScore.
 */
export function finiteDifferenceScore(logp: (x: ArrayLike<number>, t: number) => Float64Array, x: ArrayLike<number>, t: number, d: number, h = 1e-4): Float64Array {
  const n = x.length / d;
  const plus = new Float64Array(x.length * d);
  const minus = new Float64Array(x.length * d);
  // Row (i, k): point i moved by ±h along coordinate k.
  for (let i = 0; i < n; i++) for (let k = 0; k < d; k++) for (let j = 0; j < d; j++) {
    const row = (i * d + k) * d + j;
    plus[row] = x[i * d + j] + (j === k ? h : 0);
    minus[row] = x[i * d + j] - (j === k ? h : 0);
  }
  const a = logp(plus, t);
  const b = logp(minus, t);
  return Float64Array.from({ length: x.length }, (_, q) => (a[q] - b[q]) / (2 * h));
}

/**
 * ∇log p_t(x) = E[∇log p(x | x0) | x_t = x], checked: at flat 2D points, the score model's answer
 * against finite differences of logDensity, per t: the mean |difference| over the mean |score|,
 * and the largest per-point relative difference.
 */
export function scoreAgainstDensity(score: ScoreModel, data: Float32Array, schedule: Schedule, points: Float32Array, ts: number[]): { t: number; meanRelative: number; maxRelative: number }[] {
  const d = 2;
  const logp = logDensity(data, d, schedule);
  const n = points.length / d;
  if (!(Number.isInteger(n) && n >= 1)) throw new Error(`scoreAgainstDensity: points length ${points.length} is not a positive multiple of 2`);
  return ts.map((t) => {
    const fd = finiteDifferenceScore(logp, points, t, d);
    const s = tf.tidy(() => {
      const out = score(tf.tensor2d(points, [n, d]), t);
      checkBatch(out, 'scoreAgainstDensity', d);
      return out.dataSync() as Float32Array;
    });
    let diff = 0, size = 0, maxRelative = 0;
    for (let i = 0; i < n; i++) {
      const e = Math.hypot(fd[2 * i] - s[2 * i], fd[2 * i + 1] - s[2 * i + 1]);
      const l = Math.hypot(fd[2 * i], fd[2 * i + 1]);
      diff += e;
      size += l;
      if (l > 0) maxRelative = Math.max(maxRelative, e / l);
    }
    return { t, meanRelative: diff / size, maxRelative };
  });
}
