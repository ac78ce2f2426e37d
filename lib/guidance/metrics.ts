import { coverage as reachedShare, rmsRadius } from '../diffusion/metrics';

// Judging samples of the labelled spiral: which class's region each one lands in
// (the class of the nearest held-out point), and how spread out they are.

/** For each 2D (or d-dim) sample, the label of the nearest reference row. */
export function nearestLabel(samples: Float32Array, ref: Float32Array, refLabels: Int32Array, d = 2): Int32Array {
  const n = samples.length / d;
  const m = ref.length / d;
  if (m !== refLabels.length) throw new Error(`nearestLabel: ${m} reference rows but ${refLabels.length} labels`);
  if (!Number.isInteger(n)) throw new Error(`nearestLabel: samples length ${samples.length} is not a multiple of ${d}`);
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = Infinity;
    let lab = -1;
    for (let j = 0; j < m; j++) {
      let s = 0;
      for (let k = 0; k < d; k++) {
        const diff = samples[i * d + k] - ref[j * d + k];
        s += diff * diff;
      }
      if (s < best) {
        best = s;
        lab = refLabels[j];
      }
    }
    if (lab < 0) throw new Error(`nearestLabel: sample ${i} is not finite`);
    out[i] = lab;
  }
  return out;
}

/** Share of labels equal to c. */
export function share(labels: Int32Array, c: number): number {
  if (labels.length === 0) throw new Error('share: no labels');
  let k = 0;
  for (const l of labels) if (l === c) k++;
  return k / labels.length;
}

/** Root-mean-square distance of the points from their mean: how spread out a sample is (lib/diffusion's rmsRadius). */
export const spread = rmsRadius;

/** Share of reference rows within r of some sample (recall / coverage: how much of the data the samples reach). */
export function coverage(samples: Float32Array, ref: Float32Array, r: number, d = 2): number {
  if (ref.length === 0) throw new Error('coverage: no reference rows');
  return reachedShare(ref, samples, r, d);
}

export { rmsRadius };
