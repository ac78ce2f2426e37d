// Judging samples of the labelled spiral: which class's region each one lands in (the class of
// the nearest held-out point). Spread and coverage are lib/diffusion's rmsRadius and coverage.

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
      let dist2 = 0;
      for (let k = 0; k < d; k++) {
        const diff = samples[i * d + k] - ref[j * d + k];
        dist2 += diff * diff;
      }
      if (dist2 < best) {
        best = dist2;
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
