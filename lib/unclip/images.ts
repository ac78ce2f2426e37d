// Digit images for the tiny unCLIP: 28×28 MNIST averaged down to 14×14 (196 pixels, four
// times fewer numbers to denoise), and the [0, 1] ↔ [−1, 1] scaling diffusion works in.
import { DIGIT_PIXELS, DIGIT_SIZE } from '../data/mnist';

export const SMALL_SIZE = 14;
export const SMALL_PIXELS = SMALL_SIZE * SMALL_SIZE;

/** Average 2×2 blocks: n 28×28 images (flat) → n 14×14 images (flat). */
export function downsample(images: Float32Array): Float32Array {
  if (images.length % DIGIT_PIXELS !== 0) throw new Error(`downsample: ${images.length} values is not a whole number of 28×28 images`);
  const n = images.length / DIGIT_PIXELS;
  const out = new Float32Array(n * SMALL_PIXELS);
  for (let k = 0; k < n; k++) {
    const src = k * DIGIT_PIXELS;
    const dst = k * SMALL_PIXELS;
    for (let r = 0; r < SMALL_SIZE; r++)
      for (let c = 0; c < SMALL_SIZE; c++) {
        const i = src + 2 * r * DIGIT_SIZE + 2 * c;
        out[dst + r * SMALL_SIZE + c] = 0.25 * (images[i] + images[i + 1] + images[i + DIGIT_SIZE] + images[i + DIGIT_SIZE + 1]);
      }
  }
  return out;
}

/** Nearest-neighbour 14×14 → 28×28 (to measure slant and ink with chapter 1's tools). */
export function upsample(images: Float32Array): Float32Array {
  if (images.length % SMALL_PIXELS !== 0) throw new Error(`upsample: ${images.length} values is not a whole number of 14×14 images`);
  const n = images.length / SMALL_PIXELS;
  const out = new Float32Array(n * DIGIT_PIXELS);
  for (let k = 0; k < n; k++)
    for (let r = 0; r < DIGIT_SIZE; r++)
      for (let c = 0; c < DIGIT_SIZE; c++) out[k * DIGIT_PIXELS + r * DIGIT_SIZE + c] = images[k * SMALL_PIXELS + (r >> 1) * SMALL_SIZE + (c >> 1)];
  return out;
}

/** [0, 1] pixels → [−1, 1] (what the denoiser sees). */
export function toSigned(images: Float32Array): Float32Array {
  return images.map((v) => 2 * v - 1);
}

/** [−1, 1] → [0, 1], clipped (what we show and classify). */
export function fromSigned(x: Float32Array): Float32Array {
  return x.map((v) => Math.min(1, Math.max(0, (v + 1) / 2)));
}
