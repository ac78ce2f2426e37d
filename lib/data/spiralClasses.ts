// The spiral cut into classes: each of `classes` equal stretches of its angle is one
// class, standing in for "kinds of image" (cats, dogs, …) in the guidance chapter.
// Same recipe as spiral(): angle t uniform in [1.5π, 4.5π], point t·(cos t, sin t)/scale
// plus a little uniform jitter.
import { Seed, toRng } from '../random';
import { SpiralOptions } from './spiral';

export interface LabelledPoints {
  /** Flat [x0, y0, x1, y1, ...]. */
  points: Float32Array;
  /** Class of each point, 0 … classes − 1 (0 = innermost stretch). */
  labels: Int32Array;
  classes: number;
}

const T0 = 1.5 * Math.PI;
const SPAN = 3 * Math.PI;

/** n labelled points on a spiral cut into `classes` segments of equal angle. */
export function spiralClasses(n: number, classes: number, seed: Seed, opts: SpiralOptions = {}): LabelledPoints {
  if (!(Number.isInteger(n) && n > 0)) throw new Error(`spiralClasses: n must be a positive integer, got ${n}`);
  if (!(Number.isInteger(classes) && classes >= 2)) throw new Error(`spiralClasses: classes must be an integer ≥ 2, got ${classes}`);
  const g = toRng(seed);
  const scale = opts.scale ?? 10;
  const jitter = opts.jitter ?? 0.05;
  const points = new Float32Array(2 * n);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const u = g.uniform();
    const t = T0 + SPAN * u;
    points[2 * i] = (t * Math.cos(t)) / scale + jitter * (g.uniform() - 0.5);
    points[2 * i + 1] = (t * Math.sin(t)) / scale + jitter * (g.uniform() - 0.5);
    labels[i] = Math.min(classes - 1, Math.floor(u * classes));
  }
  return { points, labels, classes };
}

/** The points of class c (flat), for plotting one class at a time. */
export function pointsOfClass(points: Float32Array, labels: Int32Array, c: number): Float32Array {
  if (points.length !== 2 * labels.length) throw new Error(`pointsOfClass: ${points.length / 2} points but ${labels.length} labels`);
  const out: number[] = [];
  labels.forEach((l, i) => {
    if (l === c) out.push(points[2 * i], points[2 * i + 1]);
  });
  return Float32Array.from(out);
}
