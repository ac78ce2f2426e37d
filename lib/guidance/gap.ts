// How much does knowing the class change the prediction? At held-out points of class c, noised to
// step t, compare |ε̂(x_t, t, c) − ε̂(x_t, t, ∅)| (what guidance amplifies) with |ε̂(x_t, t, ∅)|,
// and, given a reference pair (the exact Bayes classifier's ideal predictions), the cosine between
// the model's difference and the exact one, −√(1 − ᾱ_t)·∇log p(c | x_t).
import * as tf from '@tensorflow/tfjs';
import { EpsModel, Schedule, callEps, checkT, jumpTo } from '../diffusion';
import { LabelledPoints, pointsOfClass } from '../data';

export interface GapPair {
  uncond: EpsModel;
  cond: (c: number) => EpsModel;
}

export interface GapRow {
  t: number;
  /** Mean |ε̂_c − ε̂_∅| over the points. */
  gap: number;
  /** Mean |ε̂_∅|. */
  base: number;
  /** gap / base. */
  ratio: number;
  /**
   * Cosine between the model's ε̂_c − ε̂_∅ and the reference's, weighted by their lengths,
   * Σ d·r / Σ |d||r| (1 when every difference points the reference's way; null without a reference).
   */
  cos: number | null;
}

export function conditionGap(model: GapPair, held: LabelledPoints, schedule: Schedule, ts: number[], opts: { n: number; seed: number; reference?: GapPair }): GapRow[] {
  if (!(Number.isInteger(opts.n) && opts.n >= 1)) throw new Error(`conditionGap: n (points per class) must be a positive integer, got ${opts.n}`);
  return ts.map((t, k) => {
    checkT(schedule, t, 'conditionGap');
    let gap = 0, base = 0, dot = 0, norms = 0, count = 0;
    for (let c = 0; c < held.classes; c++) {
      const own = pointsOfClass(held.points, held.labels, c).subarray(0, 2 * opts.n);
      const m = own.length / 2;
      if (m === 0) continue;
      const xt = jumpTo(own, schedule, t, opts.seed + 31 * k + c);
      // One [m, 6] tensor: the model's ε̂_c − ε̂_∅, its ε̂_∅, the reference's ε̂_c − ε̂_∅ (or zeros).
      const cols = tf.tidy(() => {
        const x = tf.tensor2d(xt, [m, 2]);
        const diff = (p: GapPair) => tf.sub(callEps(p.cond(c), x, t, 'conditionGap'), callEps(p.uncond, x, t, 'conditionGap'));
        return tf.concat([diff(model), callEps(model.uncond, x, t, 'conditionGap'), opts.reference ? diff(opts.reference) : tf.zeros([m, 2])], 1);
      });
      const v = Float32Array.from(cols.dataSync());
      cols.dispose();
      const d = (i: number, j: number) => v[6 * i + j];
      const u = (i: number, j: number) => v[6 * i + 2 + j];
      const r = (i: number, j: number) => v[6 * i + 4 + j];
      for (let i = 0; i < m; i++) {
        const g = Math.hypot(d(i, 0), d(i, 1));
        gap += g;
        base += Math.hypot(u(i, 0), u(i, 1));
        dot += d(i, 0) * r(i, 0) + d(i, 1) * r(i, 1);
        norms += g * Math.hypot(r(i, 0), r(i, 1));
        count++;
      }
    }
    return { t, gap: gap / count, base: base / count, ratio: gap / base, cos: opts.reference ? (norms > 0 ? dot / norms : 0) : null };
  });
}
