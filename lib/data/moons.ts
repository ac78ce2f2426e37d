// Two interleaved half circles ("moons"), centred near the origin with radius ~1.
import { Seed, toRng } from '../random';

/** n points: half on the upper moon, half on the lower, plus Gaussian noise of std `noise`. Flat [x0, y0, …]. */
export function moons(n: number, seed: Seed, opts: { noise?: number } = {}): Float32Array {
  if (!(Number.isInteger(n) && n > 0)) throw new Error(`moons: n must be a positive integer, got ${n}`);
  const noise = opts.noise ?? 0.05;
  if (!(noise >= 0)) throw new Error(`moons: noise must be ≥ 0, got ${noise}`);
  const g = toRng(seed);
  const out = new Float32Array(2 * n);
  for (let i = 0; i < n; i++) {
    const a = Math.PI * g.uniform();
    // Upper moon: (cos a, sin a); lower: (1 − cos a, 0.5 − sin a); then centred on the origin.
    const upper = i % 2 === 0;
    const x = upper ? Math.cos(a) : 1 - Math.cos(a);
    const y = upper ? Math.sin(a) : 0.5 - Math.sin(a);
    out[2 * i] = x - 0.5 + noise * g.normal();
    out[2 * i + 1] = y - 0.25 + noise * g.normal();
  }
  return out;
}
