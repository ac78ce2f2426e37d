// Input checks shared by the CLIP functions: a bad shape, a zero vector or a NaN is an
// error that says what and where, never a silent NaN further down.
import * as tf from '@tensorflow/tfjs';

/** Throws unless x is 2-D [n, d] with n, d ≥ 1 (and d = dim when given). */
export function checkMatrix(x: tf.Tensor, name: string, dim?: number): asserts x is tf.Tensor2D {
  if (!(x instanceof tf.Tensor)) throw new Error(`${name}: expected a tf.Tensor, got ${typeof x}`);
  if (x.rank !== 2) throw new Error(`${name}: expected shape [n, d], got [${x.shape}]`);
  if (x.shape[0]! < 1 || x.shape[1]! < 1) throw new Error(`${name}: shape [${x.shape}] is empty`);
  if (dim !== undefined && x.shape[1] !== dim) throw new Error(`${name}: expected ${dim} columns, got shape [${x.shape}]`);
}

/**
 * Throws unless every row of the [n, d] matrix x is a finite, non-zero vector.
 * Reads back only the n row norms (a NaN or ±Infinity anywhere in a row makes its norm non-finite).
 */
export function checkRows(x: tf.Tensor2D, name: string): void {
  checkMatrix(x, name);
  // Read back and dispose at once: a tensor left here would leak on every call outside a tidy.
  const normsT = tf.tidy(() => tf.sqrt(tf.sum(tf.square(x), 1)));
  const norms = normsT.dataSync() as Float32Array;
  normsT.dispose();
  for (let i = 0; i < norms.length; i++) {
    const v = norms[i];
    if (Number.isFinite(v) && v > 0) continue;
    const rowT = tf.slice(x, [i, 0], [1, -1]);
    const row = rowT.dataSync() as Float32Array;
    rowT.dispose();
    const j = row.findIndex((e) => !Number.isFinite(e));
    if (j >= 0) throw new Error(`${name}: row ${i} holds ${row[j]} at column ${j} (shape [${x.shape}])`);
    if (v === 0) throw new Error(`${name}: row ${i} is a zero vector, which has no direction to normalise (shape [${x.shape}])`);
    throw new Error(`${name}: row ${i} has norm ${v}, too large for float32 (shape [${x.shape}])`);
  }
}

/** Throws unless a and b are [n, d] and [m, d] with the same d (and n = m when square). */
export function checkPair(a: tf.Tensor, b: tf.Tensor, names: [string, string], square = false): void {
  checkMatrix(a, names[0]);
  checkMatrix(b, names[1]);
  if (a.shape[1] !== b.shape[1]) {
    throw new Error(`embedding dimensions differ: ${names[0]} has shape [${a.shape}], ${names[1]} has shape [${b.shape}]`);
  }
  if (square && a.shape[0] !== b.shape[0]) {
    throw new Error(`batch sizes differ: ${names[0]} has shape [${a.shape}], ${names[1]} has shape [${b.shape}]; pairs need one caption per image`);
  }
}

/** Throws unless every value of x is finite, naming the first bad value and its position. */
export function checkFinite(x: tf.Tensor, name: string): void {
  const v = x.dataSync();
  for (let k = 0; k < v.length; k++) {
    if (Number.isFinite(v[k])) continue;
    const idx: number[] = [];
    let r = k;
    for (let a = x.shape.length - 1; a >= 0; a--) {
      idx.unshift(r % x.shape[a]);
      r = Math.floor(r / x.shape[a]);
    }
    throw new Error(`${name}: value ${v[k]} at [${idx}] (shape [${x.shape}])`);
  }
}
