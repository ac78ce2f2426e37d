// 2D point sets are flat row-major Float32Arrays: [x0, y0, x1, y1, ...].
// Small helpers to look at them.

/** Number of 2D points in a flat array. */
export function count(points: Float32Array): number {
  if (points.length % 2 !== 0) throw new Error(`points: length ${points.length} is not a multiple of 2`);
  return points.length / 2;
}

/** The x and y columns, for plotting. */
export function columns(points: Float32Array): { x: Float32Array; y: Float32Array } {
  const n = count(points);
  const x = new Float32Array(n);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    x[i] = points[2 * i];
    y[i] = points[2 * i + 1];
  }
  return { x, y };
}

/** Rows i of a flat n×d array. */
export function rows(flat: Float32Array, d: number, idx: ArrayLike<number>): Float32Array {
  const out = new Float32Array(idx.length * d);
  for (let k = 0; k < idx.length; k++) out.set(flat.subarray(idx[k] * d, idx[k] * d + d), k * d);
  return out;
}

/** Split n×d rows into train and held-out parts by a seeded permutation. */
export function split(flat: Float32Array, d: number, heldOut: number, perm: Int32Array): { train: Float32Array; test: Float32Array } {
  const n = flat.length / d;
  if (!(heldOut > 0 && heldOut < n)) throw new Error(`split: heldOut must be in (0, ${n}), got ${heldOut}`);
  return { train: rows(flat, d, perm.subarray(heldOut)), test: rows(flat, d, perm.subarray(0, heldOut)) };
}
