// Sample quality against the number of sampler steps: for each k, draw samples with `sampleAt(k)`
// and score them against held-out data (energy, precision, recall: lib/diffusion's quality).
import * as tf from '@tensorflow/tfjs';
import { Quality, quality } from './metrics';

export function qualityBySteps(ks: number[], sampleAt: (k: number) => tf.Tensor2D, heldOut: Float32Array): (Quality & { steps: number })[] {
  if (!Array.isArray(ks) || ks.length === 0) throw new Error('qualityBySteps: ks must be a non-empty array of step counts');
  return ks.map((k) => {
    const x = sampleAt(k);
    const d = x.shape[1];
    const pts = x.dataSync() as Float32Array;
    x.dispose();
    return { steps: k, ...quality(pts, heldOut, d) };
  });
}
