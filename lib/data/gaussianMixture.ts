// A mixture of k equal Gaussian blobs with centres evenly spaced on a circle.
import { Seed, toRng } from '../random';

/** n points from k blobs of std `std` on a circle of radius `radius`. Flat [x0, y0, …]. */
export function gaussianMixture(n: number, seed: Seed, opts: { k?: number; radius?: number; std?: number } = {}): Float32Array {
  if (!(Number.isInteger(n) && n > 0)) throw new Error(`gaussianMixture: n must be a positive integer, got ${n}`);
  const k = opts.k ?? 8;
  const radius = opts.radius ?? 1;
  const std = opts.std ?? 0.08;
  if (!(Number.isInteger(k) && k > 0)) throw new Error(`gaussianMixture: k must be a positive integer, got ${k}`);
  if (!(std >= 0)) throw new Error(`gaussianMixture: std must be ≥ 0, got ${std}`);
  const g = toRng(seed);
  const out = new Float32Array(2 * n);
  for (let i = 0; i < n; i++) {
    const c = (2 * Math.PI * g.int(k)) / k;
    out[2 * i] = radius * Math.cos(c) + std * g.normal();
    out[2 * i + 1] = radius * Math.sin(c) + std * g.normal();
  }
  return out;
}
