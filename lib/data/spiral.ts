// The course's toy data: a 2D spiral, where each point stands for one image.
// Same recipe as the reference workload (../shared/bench): angle t uniform in
// [1.5π, 4.5π], point t·(cos t, sin t)/10, plus a little uniform jitter.
import { Seed, toRng } from '../random';

export interface SpiralOptions {
  /** Divide coordinates by this (the reference uses 10). */
  scale?: number;
  /** Width of the uniform jitter (before scaling: 0.05 after it, as in the reference). */
  jitter?: number;
}

/** n points on the spiral, flat [x0, y0, x1, y1, ...]. */
export function spiral(n: number, seed: Seed, opts: SpiralOptions = {}): Float32Array {
  if (!(Number.isInteger(n) && n > 0)) throw new Error(`spiral: n must be a positive integer, got ${n}`);
  const g = toRng(seed);
  const scale = opts.scale ?? 10;
  const jitter = opts.jitter ?? 0.05;
  const out = new Float32Array(2 * n);
  for (let i = 0; i < n; i++) {
    const t = 1.5 * Math.PI * (1 + 2 * g.uniform());
    out[2 * i] = (t * Math.cos(t)) / scale + jitter * (g.uniform() - 0.5);
    out[2 * i + 1] = (t * Math.sin(t)) / scale + jitter * (g.uniform() - 0.5);
  }
  return out;
}

/** The angle parameter of the spiral for each point's position along it (for colouring and classes). */
export function spiralAngle(points: Float32Array, scale = 10): Float32Array {
  const n = points.length / 2;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.hypot(points[2 * i], points[2 * i + 1]) * scale;
  return out;
}
