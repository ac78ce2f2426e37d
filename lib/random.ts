// Seeded randomness. Every random operation in lib takes a seed or an Rng, so the
// same seed gives the same numbers (on the same backend).
import * as tf from '@tensorflow/tfjs';

export interface Rng {
  /** Uniform in [0, 1). */
  uniform(): number;
  /** Standard normal. */
  normal(): number;
  /** Integer in [0, n). */
  int(n: number): number;
  /** A fresh seed drawn from this stream, for a child generator or a tfjs op. */
  seed(): number;
}

export type Seed = number | Rng;

/** mulberry32: tiny, fast, and good enough for teaching-scale sampling. */
export function rng(seed: number): Rng {
  if (!Number.isFinite(seed)) throw new Error(`rng: seed must be a finite number, got ${seed}`);
  let a = seed >>> 0;
  let spare: number | null = null;
  const uniform = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    uniform,
    normal() {
      // Box–Muller gives two normals per pair of uniforms; keep the spare.
      if (spare !== null) {
        const s = spare;
        spare = null;
        return s;
      }
      let u = 0;
      while (u === 0) u = uniform();
      const r = Math.sqrt(-2 * Math.log(u));
      const th = 2 * Math.PI * uniform();
      spare = r * Math.sin(th);
      return r * Math.cos(th);
    },
    int(n: number) {
      if (!(Number.isInteger(n) && n > 0)) throw new Error(`rng.int: n must be a positive integer, got ${n}`);
      return Math.floor(uniform() * n);
    },
    seed() {
      return Math.floor(uniform() * 2 ** 31);
    },
  };
}

/** Accept a seed or a generator. */
export function toRng(s: Seed): Rng {
  return typeof s === 'number' ? rng(s) : s;
}

/** n standard normals. */
export function normals(s: Seed, n: number): Float32Array {
  const g = toRng(s);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = g.normal();
  return out;
}

/** n uniforms in [lo, hi). */
export function uniforms(s: Seed, n: number, lo = 0, hi = 1): Float32Array {
  const g = toRng(s);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = lo + (hi - lo) * g.uniform();
  return out;
}

/** A tensor of standard normals with the given shape. */
export function randn(s: Seed, shape: number[]): tf.Tensor {
  return tf.tensor(normals(s, shape.reduce((a, b) => a * b, 1)), shape, 'float32');
}

/** n integers in [0, hi). */
export function randints(s: Seed, n: number, hi: number): Int32Array {
  const g = toRng(s);
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = g.int(hi);
  return out;
}

/** A random permutation of 0..n-1 (Fisher–Yates). */
export function permutation(s: Seed, n: number): Int32Array {
  const g = toRng(s);
  const p = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = g.int(i + 1);
    const t = p[i];
    p[i] = p[j];
    p[j] = t;
  }
  return p;
}
