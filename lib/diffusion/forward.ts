// The forward (noising) process, two ways.
//  1. As a random walk: T small steps x_t = √(1 − β_t) x_{t−1} + √β_t z_t (Brownian motion with
//     a slight pull to the origin: Var x_t = (1 − β_t)·Var x_{t−1} + β_t per coordinate, so each
//     coordinate's variance moves towards 1, and stays 1 only if it starts at 1).
//  2. In closed form: x_t | x_0 ~ N(√ᾱ_t x_0, (1 − ᾱ_t) I), one jump (forwardSample, the exercise).
// The two agree in distribution because independent Gaussian steps add up to one Gaussian.
import * as tf from '@tensorflow/tfjs';
import { valuesOf } from '../values';
import { Seed, normals, toRng } from '../random';
import { forwardSample } from './exercises';
import { Schedule, checkT } from './schedule';

export { forwardSample };

export interface WalkOptions {
  d?: number;
  /** Timesteps at which to keep a copy of the cloud (x_t after step t). */
  record?: number[];
  /** Walk only up to and including this timestep (default T − 1). */
  until?: number;
}

/** Random walks from each point of x0 (flat, d-dimensional). Returns x_until and the recorded snapshots. */
export function randomWalk(x0: Float32Array, schedule: Schedule, seed: Seed, opts: WalkOptions = {}): { x: Float32Array; frames: { t: number; x: Float32Array }[] } {
  const d = opts.d ?? 2;
  if (x0.length % d !== 0) throw new Error(`randomWalk: length ${x0.length} is not a multiple of d = ${d}`);
  const until = opts.until ?? schedule.T - 1;
  checkT(schedule, until, 'randomWalk');
  const record = new Set(opts.record ?? []);
  for (const t of record) checkT(schedule, t, 'randomWalk (record)');
  const g = toRng(seed);
  const x = Float32Array.from(x0);
  const frames: { t: number; x: Float32Array }[] = [];
  for (let t = 0; t <= until; t++) {
    const a = Math.sqrt(1 - schedule.betas[t]);
    const b = Math.sqrt(schedule.betas[t]);
    for (let i = 0; i < x.length; i++) x[i] = a * x[i] + b * g.normal();
    if (record.has(t)) frames.push({ t, x: Float32Array.from(x) });
  }
  return { x, frames };
}

/** The closed-form jump to x_t for every point of x0 (flat, d-dimensional). */
export function jumpTo(x0: Float32Array, schedule: Schedule, t: number, seed: Seed, d = 2): Float32Array {
  checkT(schedule, t, 'jumpTo');
  if (x0.length % d !== 0) throw new Error(`jumpTo: length ${x0.length} is not a multiple of d = ${d}`);
  const n = x0.length / d;
  return valuesOf(() => forwardSample(tf.tensor2d(x0, [n, d]), tf.tensor2d(normals(seed, n * d), [n, d]), schedule.alphaBar[t])) as Float32Array;
}
