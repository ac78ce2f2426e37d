// Chapter 1's slant words as shares of a batch: an image is "left" below the lower slant tercile
// of the training digits, "right" above the upper one, "upright" between (the cuts the captions
// the denoiser was trained on used, stored with its CLIP).
import type { AttributeThresholds } from '../clip';
import { measureImages } from './experiment';

export interface SlantShares {
  left: number;
  upright: number;
  right: number;
}

/** Shares of the images (flat n×196, [0, 1]) whose slant falls in each of the three bands. */
export function slantShares(images: Float32Array, thresholds: AttributeThresholds | undefined): SlantShares {
  if (!thresholds) throw new Error('slantShares: no slant thresholds (the CLIP carries them once it was trained with captions; pass unclip.clip.thresholds)');
  const [lo, hi] = thresholds.slant;
  const s = measureImages(images).slant;
  if (s.length === 0) throw new Error('slantShares: no images');
  const share = (f: (v: number) => boolean) => s.filter(f).length / s.length;
  return { left: share((v) => v < lo), upright: share((v) => v >= lo && v <= hi), right: share((v) => v > hi) };
}
