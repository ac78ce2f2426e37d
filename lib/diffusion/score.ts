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
