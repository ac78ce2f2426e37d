// How small can an energy distance get? Two independent samples of the same distribution still
// differ by chance, so a measured distance means something only next to that floor. Here the
// two samples are drawn (with replacement) from one data set, each of the size being compared.
// energyDistance averages the within-set terms over distinct pairs, so it is unbiased: between
// samples of one distribution its mean is 0, and the floor is its scatter: a distance below
// level = mean + 2·sd is indistinguishable from chance. Unbiased is not symmetric: the estimate
// is skewed (a long tail of positive values, many small negative ones), so it falls below 0 more
// often than half the time (belowZero counts how often).
import { Seed, toRng } from '../random';
import { energyDistance } from './metrics';

export interface NoiseFloor {
  /** Mean and standard deviation of the energy distance over the repeats. */
  mean: number;
  sd: number;
  /** mean + 2·sd. */
  level: number;
  /** Share of the repeats whose estimate came out below 0. */
  belowZero: number;
  values: number[];
}

export function energyNoiseFloor(data: Float32Array, n: number, opts: { seed: Seed; repeats?: number; d?: number }): NoiseFloor {
  const d = opts.d ?? 2;
  const m = data.length / d;
  if (!(Number.isInteger(m) && m >= 2)) throw new Error(`energyNoiseFloor: data length ${data.length} is not a multiple of d = ${d} with at least 2 points`);
  if (!(Number.isInteger(n) && n >= 2)) throw new Error(`energyNoiseFloor: sample size n must be an integer ≥ 2, got ${n}`);
  const repeats = opts.repeats ?? 5;
  if (!(Number.isInteger(repeats) && repeats >= 1)) throw new Error(`energyNoiseFloor: repeats must be a positive integer, got ${repeats}`);
  const g = toRng(opts.seed);
  const draw = () => {
    const out = new Float32Array(n * d);
    for (let i = 0; i < n; i++) {
      const j = g.int(m);
      for (let k = 0; k < d; k++) out[i * d + k] = data[j * d + k];
    }
    return out;
  };
  const values = Array.from({ length: repeats }, () => energyDistance(draw(), draw(), d));
  const mean = values.reduce((a, b) => a + b, 0) / repeats;
  const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, repeats - 1));
  return { mean, sd, level: mean + 2 * sd, belowZero: values.filter((v) => v < 0).length / repeats, values };
}
