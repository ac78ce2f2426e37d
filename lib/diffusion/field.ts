// The learned vector field: at each grid point x and time t, the direction in which the model
// would move a noisy point. By default that is x̂_0(x, t) − x, towards the model's guess of the
// clean point, x̂_0 = (x − √(1 − ᾱ_t) ε̂) / √ᾱ_t ('x0'); 'eps' gives −ε̂ (the score direction).
import * as tf from '@tensorflow/tfjs';
import { predictX0 } from './predict';
import { Field } from '../plot';
import { EpsModel, callEps } from './eps';
import { Schedule, checkT } from './schedule';

export interface FieldOptions {
  /** Grid points per side. */
  n?: number;
  /** [xmin, xmax, ymin, ymax]. */
  extent?: [number, number, number, number];
  kind?: 'x0' | 'eps';
}

/** An n×n grid over extent, flat [x0, y0, x1, y1, …]. */
export function grid(n: number, extent: [number, number, number, number]): Float32Array {
  if (!(Number.isInteger(n) && n >= 2)) throw new Error(`grid: n must be an integer ≥ 2, got ${n}`);
  const [x0, x1, y0, y1] = extent;
  if (!(x1 > x0 && y1 > y0)) throw new Error(`grid: extent [${extent}] must have xmin < xmax and ymin < ymax`);
  const out = new Float32Array(2 * n * n);
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < n; i++) {
      out[2 * (j * n + i)] = x0 + ((x1 - x0) * i) / (n - 1);
      out[2 * (j * n + i) + 1] = y0 + ((y1 - y0) * j) / (n - 1);
    }
  }
  return out;
}

/** The field on a grid at timestep t, ready for lib/plot's quiver. */
export function vectorField(eps: EpsModel, schedule: Schedule, t: number, opts: FieldOptions = {}): Field {
  checkT(schedule, t, 'vectorField');
  const n = opts.n ?? 17;
  const ext = opts.extent ?? [-1.6, 1.6, -1.6, 1.6];
  const kind = opts.kind ?? 'x0';
  if (kind !== 'x0' && kind !== 'eps') throw new Error(`vectorField: kind must be 'x0' or 'eps', got '${kind}'`);
  const pts = grid(n, ext);
  const ab = schedule.alphaBar[t];
  const uv = tf.tidy(() => {
    const x = tf.tensor2d(pts, [n * n, 2]);
    const e = callEps(eps, x, t, 'vectorField');
    const v = kind === 'eps' ? tf.neg(e) : tf.sub(predictX0(x, e, ab), x);
    return v.dataSync() as Float32Array;
  });
  return fieldOf(pts, uv);
}

/** A Field from interleaved grid points [x, y, …] and arrows [u, v, …]. */
export function fieldOf(pts: Float32Array, uv: Float32Array): Field {
  const k = pts.length / 2;
  const f = { x: new Float32Array(k), y: new Float32Array(k), u: new Float32Array(k), v: new Float32Array(k) };
  for (let i = 0; i < k; i++) {
    f.x[i] = pts[2 * i];
    f.y[i] = pts[2 * i + 1];
    f.u[i] = uv[2 * i];
    f.v[i] = uv[2 * i + 1];
  }
  return f;
}

export interface Alignment {
  /** Grid points counted: those where the two directions differ by more than minSeparationDeg. */
  counted: number;
  /** The point the arrows converge on when t is large (see fieldAlignment), as [x, y]. */
  target: [number, number];
  /** Share of arrows within the angle threshold of the direction to that target. */
  mean: number;
  /** Share of arrows within the threshold of the direction to the nearest data point (scaled alike). */
  nearest: number;
  /** Average cosine between arrow and each direction. */
  meanCos: number;
  nearestCos: number;
}

export interface AlignmentOptions {
  /** Which field f is (as vectorField's kind). */
  kind: 'x0' | 'eps';
  /** ᾱ_t of the field's timestep. */
  alphaBar: number;
  maxAngleDeg?: number;
  minSeparationDeg?: number;
}

/**
 * Where do the arrows point? Given x_t = x, the posterior over the data points has weights
 * ∝ exp(−|x − √ᾱ x_i|² / 2(1 − ᾱ)), so x̂0 = E[x0 | x_t] tends to the data mean E[x0] when the
 * noise dominates, and to the data point x_i with √ᾱ·x_i nearest to x when it is small.
 *   kind 'x0':  arrows x̂0 − x point at x̂0:        targets E[x0] and x_i;
 *   kind 'eps': arrows −ε̂ = (√ᾱ·x̂0 − x)/√(1 − ᾱ) point at √ᾱ·x̂0: targets √ᾱ·E[x0] and √ᾱ·x_i
 *               (at large t √ᾱ·E[x0] is near the origin, not at the data mean).
 * For each arrow, the cosine with (target − x) for both targets; an arrow counts as aligned
 * when the cosine ≥ cos(maxAngle).
 */
export function fieldAlignment(f: Field, data: Float32Array, opts: AlignmentOptions): Alignment {
  if (!opts || (opts.kind !== 'x0' && opts.kind !== 'eps')) throw new Error(`fieldAlignment: opts.kind must be 'x0' or 'eps' (the field's kind), got ${JSON.stringify(opts?.kind)}`);
  const ab = opts.alphaBar;
  if (!(typeof ab === 'number' && ab > 0 && ab <= 1)) throw new Error(`fieldAlignment: opts.alphaBar = ${ab} is outside (0, 1]; pass ᾱ_t of the field's timestep`);
  const thr = Math.cos(((opts.maxAngleDeg ?? 20) * Math.PI) / 180);
  // Only grid points where "towards the mean" and "towards the nearest point" are distinguishable.
  const sep = Math.cos(((opts.minSeparationDeg ?? 0) * Math.PI) / 180);
  const m = data.length / 2;
  if (!(Number.isInteger(m) && m >= 1)) throw new Error(`fieldAlignment: data length ${data.length} is not a positive multiple of 2`);
  const root = Math.sqrt(ab);
  // Where the arrows aim: x̂0 itself ('x0') or √ᾱ·x̂0 ('eps').
  const aim = opts.kind === 'eps' ? root : 1;
  let mx = 0;
  let my = 0;
  for (let j = 0; j < m; j++) {
    mx += data[2 * j] / m;
    my += data[2 * j + 1] / m;
  }
  mx *= aim;
  my *= aim;
  const cos = (ax: number, ay: number, bx: number, by: number) => (ax * bx + ay * by) / (Math.hypot(ax, ay) * Math.hypot(bx, by) || 1);
  let n = 0;
  let a = 0, b = 0, ca = 0, cb = 0;
  for (let i = 0; i < f.x.length; i++) {
    const x = f.x[i];
    const y = f.y[i];
    // The data point whose noisy centre √ᾱ·x_j is nearest to x.
    let best = Infinity;
    let nx = 0;
    let ny = 0;
    for (let j = 0; j < m; j++) {
      const dd = (root * data[2 * j] - x) ** 2 + (root * data[2 * j + 1] - y) ** 2;
      if (dd < best) {
        best = dd;
        nx = aim * data[2 * j];
        ny = aim * data[2 * j + 1];
      }
    }
    if (opts.minSeparationDeg && cos(mx - x, my - y, nx - x, ny - y) > sep) continue;
    const c1 = cos(f.u[i], f.v[i], mx - x, my - y);
    const c2 = cos(f.u[i], f.v[i], nx - x, ny - y);
    n++;
    ca += c1;
    cb += c2;
    if (c1 >= thr) a++;
    if (c2 >= thr) b++;
  }
  if (n === 0) throw new Error('fieldAlignment: no grid point where the two directions differ by minSeparationDeg');
  return { counted: n, target: [mx, my], mean: a / n, nearest: b / n, meanCos: ca / n, nearestCos: cb / n };
}
