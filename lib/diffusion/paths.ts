// How a sampler's points travel (a Trajectory's frames), per point:
//   length     Σ_i |x_{i+1} − x_i|                 the distance walked;
//   chord      |x_end − x_start|                   the straight-line distance;
//   straightness = chord / length                  1 for a straight path, near 0 for a jagged one;
//   turning    Σ_i angle(x_{i+1} − x_i, x_{i+2} − x_{i+1})  the total curvature ∫κ ds, in radians
//                                                  (0 for a straight path, whatever its speed).
import type { Trajectory } from './trajectory';

function frames(tr: Trajectory, fn: string, min: number): { F: Float32Array[]; n: number; d: number } {
  const F = tr.frames;
  if (F.length < min) throw new Error(`${fn}: the trajectory has ${F.length} frames, need at least ${min}`);
  const d = tr.dim;
  return { F, n: F[0].length / d, d };
}

export function pathLengths(tr: Trajectory): Float32Array {
  const { F, n, d } = frames(tr, 'pathLengths', 2);
  const out = new Float32Array(n);
  for (let f = 1; f < F.length; f++) {
    for (let p = 0; p < n; p++) {
      let s = 0;
      for (let k = 0; k < d; k++) s += (F[f][p * d + k] - F[f - 1][p * d + k]) ** 2;
      out[p] += Math.sqrt(s);
    }
  }
  return out;
}

export function chordLengths(tr: Trajectory): Float32Array {
  const { F, n, d } = frames(tr, 'chordLengths', 2);
  const a = F[0];
  const b = F[F.length - 1];
  return Float32Array.from({ length: n }, (_, p) => {
    let s = 0;
    for (let k = 0; k < d; k++) s += (b[p * d + k] - a[p * d + k]) ** 2;
    return Math.sqrt(s);
  });
}

export function turning(tr: Trajectory): Float32Array {
  const { F, n, d } = frames(tr, 'turning', 3);
  const out = new Float32Array(n);
  for (let f = 2; f < F.length; f++) {
    for (let p = 0; p < n; p++) {
      let dot = 0, a2 = 0, b2 = 0;
      for (let k = 0; k < d; k++) {
        const a = F[f - 1][p * d + k] - F[f - 2][p * d + k];
        const b = F[f][p * d + k] - F[f - 1][p * d + k];
        dot += a * b;
        a2 += a * a;
        b2 += b * b;
      }
      // A step that does not move has no direction: it adds no turn.
      if (a2 > 0 && b2 > 0) out[p] += Math.acos(Math.max(-1, Math.min(1, dot / Math.sqrt(a2 * b2))));
    }
  }
  return out;
}

export interface PathStats {
  /** Means over the points. */
  length: number;
  chord: number;
  straightness: number;
  turning: number;
}

export function pathStats(tr: Trajectory): PathStats {
  const L = pathLengths(tr);
  const C = chordLengths(tr);
  const K = tr.frames.length >= 3 ? turning(tr) : new Float32Array(L.length);
  const mean = (f: (i: number) => number) => {
    let s = 0;
    for (let i = 0; i < L.length; i++) s += f(i);
    return s / L.length;
  };
  return { length: mean((i) => L[i]), chord: mean((i) => C[i]), straightness: mean((i) => (L[i] > 0 ? C[i] / L[i] : 1)), turning: mean((i) => K[i]) };
}

/** Each of the first `count` points' paths as {x, y} coordinates over the frames (2D), for lib/plot's lines. */
export function pathSeries(tr: Trajectory, count = Infinity): { x: Float32Array; y: Float32Array }[] {
  const { F, n, d } = frames(tr, 'pathSeries', 1);
  if (d !== 2) throw new Error(`pathSeries: the points have ${d} coordinates; paths are drawn for 2D points`);
  return Array.from({ length: Math.min(n, count) }, (_, p) => ({
    x: Float32Array.from(F, (f) => f[p * 2]),
    y: Float32Array.from(F, (f) => f[p * 2 + 1]),
  }));
}
