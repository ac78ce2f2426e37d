// Sample quality as numbers (the bench contract, ../shared/bench/README.md):
//   energy distance — 0 only when the two distributions agree;
//   precision — share of samples within r of some held-out point (are samples on the data?);
//   recall    — share of held-out points within r of some sample (is all of the data covered?);
//   r = 0.1 × the held-out RMS radius √(mean |x − mean(x)|²), so the scale of the data drops out.
// Collapse shows as low recall, blur as low precision.
import { energyDistance } from './exercises';

export { energyDistance };

/** √(mean |x − mean(x)|²) of flat d-dimensional points. */
export function rmsRadius(points: Float32Array, d = 2): number {
  const n = points.length / d;
  if (!(Number.isInteger(n) && n >= 1)) throw new Error(`rmsRadius: length ${points.length} is not a positive multiple of d = ${d}`);
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let k = 0; k < d; k++) mean[k] += points[i * d + k] / n;
  let sumSq = 0;
  for (let i = 0; i < n; i++) for (let k = 0; k < d; k++) sumSq += (points[i * d + k] - mean[k]) ** 2;
  return Math.sqrt(sumSq / n);
}

/**
 * Share of points in `from` with some point of `to` within distance r: precision is
 * coverage(samples, heldOut), recall (how much of the data the samples reach) coverage(heldOut, samples).
 */
export function coverage(from: Float32Array, to: Float32Array, r: number, d = 2): number {
  const n = from.length / d;
  const m = to.length / d;
  if (!(Number.isInteger(n) && n >= 1)) throw new Error(`coverage: \`from\` has length ${from.length}, not a positive multiple of d = ${d}`);
  if (!Number.isInteger(m)) throw new Error(`coverage: \`to\` has length ${to.length}, not a multiple of d = ${d}`);
  const r2 = r * r;
  let hit = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) {
      let dist2 = 0;
      for (let k = 0; k < d; k++) dist2 += (from[i * d + k] - to[j * d + k]) ** 2;
      if (dist2 <= r2) {
        hit++;
        break;
      }
    }
  }
  return hit / n;
}

export interface Quality {
  energy: number;
  precision: number;
  recall: number;
  r: number;
}

/** Energy distance, precision and recall of samples against held-out data. */
export function quality(samples: Float32Array, heldOut: Float32Array, d = 2): Quality {
  for (const [name, p] of [['samples', samples], ['heldOut', heldOut]] as const) {
    if (p.length === 0 || p.length % d !== 0) throw new Error(`quality: ${name} has length ${p.length}, not a positive multiple of d = ${d}`);
    for (let i = 0; i < p.length; i++) if (!Number.isFinite(p[i])) throw new Error(`quality: ${name}[${i}] = ${p[i]} is not finite`);
  }
  const r = 0.1 * rmsRadius(heldOut, d);
  return { energy: energyDistance(samples, heldOut, d), precision: coverage(samples, heldOut, r, d), recall: coverage(heldOut, samples, r, d), r };
}

/** Counts of values in `bins` equal bins over [lo, hi) as shares (sum ≤ 1), with the bin centres. */
export function histogram(values: ArrayLike<number>, bins: number, lo: number, hi: number): { centres: Float32Array; share: Float32Array } {
  if (!(Number.isInteger(bins) && bins > 0)) throw new Error(`histogram: bins must be a positive integer, got ${bins}`);
  if (!(hi > lo)) throw new Error(`histogram: need lo < hi, got ${lo}, ${hi}`);
  const share = new Float32Array(bins);
  const w = (hi - lo) / bins;
  for (let i = 0; i < values.length; i++) {
    const b = Math.floor((values[i] - lo) / w);
    if (b >= 0 && b < bins) share[b] += 1 / values.length;
  }
  return { centres: Float32Array.from({ length: bins }, (_, b) => lo + (b + 0.5) * w), share };
}

/** Distance of each flat 2D point from the origin (for the spiral, the position along it). */
export function radii(points: Float32Array): Float32Array {
  return Float32Array.from({ length: points.length / 2 }, (_, i) => Math.hypot(points[2 * i], points[2 * i + 1]));
}
