// How noisy is the training target? Two ways to teach a network the reverse step at time t,
// both aimed at the same thing — the average move E[x_{t−1} − x_t | x_t]:
//   'previous position': regress on the walk's own previous point, d = x_{t−1} − x_t;
//   'total noise':       regress on the move the total noise ε implies,
//                        d = μ̃(x_t, ε) − x_t,  μ̃ = (x_t − β_t/√(1 − ᾱ_t)·ε)/√(1 − β_t)
//                        (DDPM's posterior mean of x_{t−1} given x_t and x_0, written with ε).
// Both targets average to the same move; what differs is their scatter around it. We measure it
// exactly, treating the data set as the whole distribution so E[x_0 | x_t] is a weighted average.
import { Seed, toRng } from '../random';
import { Schedule, alphaBarAt, checkT } from './schedule';
import { rmsRadius } from './metrics';

export interface TargetVariance {
  t: number;
  /** mean |target − E[target | x_t]|² for the previous-position target. */
  previous: number;
  /** The same for the total-noise target. */
  totalNoise: number;
  /** mean |E[d | x_t]|²: the size of the signal both try to learn. */
  signal: number;
}

export function targetVariance(data: Float32Array, schedule: Schedule, ts: number[], opts: { n?: number; seed: Seed }): TargetVariance[] {
  const m = data.length / 2;
  if (!(Number.isInteger(m) && m >= 1)) throw new Error(`targetVariance: data length ${data.length} is not a positive multiple of 2`);
  const n = opts.n ?? 1000;
  const g = toRng(opts.seed);
  return ts.map((t) => {
    checkT(schedule, t, 'targetVariance');
    const b = schedule.betas[t];
    const ab = schedule.alphaBar[t];
    const abPrev = alphaBarAt(schedule, t - 1);
    const mu = (xt: number, e: number) => (xt - (b / Math.sqrt(1 - ab)) * e) / Math.sqrt(1 - b);
    const logw = new Float64Array(m);
    let prev = 0, total = 0, signal = 0;
    for (let k = 0; k < n; k++) {
      const i = g.int(m);
      const x0 = [data[2 * i], data[2 * i + 1]];
      // The walk: x_{t−1} in closed form, then one more small step to x_t.
      const xp = x0.map((v) => Math.sqrt(abPrev) * v + Math.sqrt(1 - abPrev) * g.normal());
      const xt = xp.map((v) => Math.sqrt(1 - b) * v + Math.sqrt(b) * g.normal());
      const eps = xt.map((v, c) => (v - Math.sqrt(ab) * x0[c]) / Math.sqrt(1 - ab));
      // E[x_0 | x_t] over the data set: weights ∝ exp(−|x_t − √ᾱ x_j|² / 2(1 − ᾱ)).
      let mx = -Infinity;
      for (let j = 0; j < m; j++) {
        logw[j] = -((xt[0] - Math.sqrt(ab) * data[2 * j]) ** 2 + (xt[1] - Math.sqrt(ab) * data[2 * j + 1]) ** 2) / (2 * (1 - ab));
        if (logw[j] > mx) mx = logw[j];
      }
      let z = 0, e0 = 0, e1 = 0;
      for (let j = 0; j < m; j++) {
        const w = Math.exp(logw[j] - mx);
        z += w;
        e0 += w * data[2 * j];
        e1 += w * data[2 * j + 1];
      }
      const ex0 = [e0 / z, e1 / z];
      const meanEps = xt.map((v, c) => (v - Math.sqrt(ab) * ex0[c]) / Math.sqrt(1 - ab));
      for (let c = 0; c < 2; c++) {
        const md = mu(xt[c], meanEps[c]) - xt[c]; // E[d | x_t]
        prev += (xp[c] - xt[c] - md) ** 2 / n;
        total += (mu(xt[c], eps[c]) - xt[c] - md) ** 2 / n;
        signal += md ** 2 / n;
      }
    }
    return { t, previous: prev, totalNoise: total, signal };
  });
}

/**
 * The RMS radius of the forward process at ᾱ, from the data, measured the way samples are
 * (rmsRadius: about the cloud's own mean). x_t = √ᾱ·x0 + √(1 − ᾱ)·ε with ε independent of x0
 * has mean √ᾱ·E[x0] and E|x_t − E[x_t]|² = ᾱ·E|x0 − E[x0]|² + (1 − ᾱ)·d. A sampler that walks
 * back correctly has this spread at every t; chapter 3 compares DDPM, DDPM without noise and
 * DDIM with it. (Uncentred, E|x0|² in place of the variance, it would be biased by ᾱ·|E[x0]|².)
 */
export function forwardRms(data: Float32Array, alphaBar: number, d = 2): number {
  const m = data.length / d;
  if (!(Number.isInteger(m) && m >= 1)) throw new Error(`forwardRms: data length ${data.length} is not a positive multiple of d = ${d}`);
  if (!(alphaBar >= 0 && alphaBar <= 1)) throw new Error(`forwardRms: alphaBar = ${alphaBar} is outside [0, 1]`);
  const r = rmsRadius(data, d);
  return Math.sqrt(alphaBar * r * r + (1 - alphaBar) * d);
}
