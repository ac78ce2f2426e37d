// Why regressing the conditional target v = ε − x0 gives the marginal field. The loss's minimiser
// is v̂(x, t) = E[v | x_t = x] (chapter 3's regression fact), and for a finite data set that is
// idealVelocity. Every regression splits the same way:
//   E|v̂ − v|² = E|v̂ − v*|² + E|v* − v|²   (v* = E[v | x_t]: the cross term averages to 0),
// so the loss has a floor E|v* − v|² no network can go below, and what training can shrink is
// the distance to v*. This measures both on points of the path at chosen times.
import * as tf from '@tensorflow/tfjs';
import { Seed, normals, randints, toRng } from '../random';
import { VelocityModel, callVelocity, checkTime } from './model';
import { idealVelocity } from './idealVelocity';

export interface MarginalRow {
  t: number;
  /** √mean |v̂ − v*|²: the network against the exact marginal velocity. */
  networkToIdeal: number;
  /** √mean |v − v*|²: the conditional targets (ε − x0) against it, the spread the loss cannot remove. */
  targetToIdeal: number;
  /** √mean |v*|², for scale. */
  ideal: number;
}

/** At each t: n points x_t = (1 − t)·x0 + t·ε (x0 from data, seeded), the three RMS sizes above. */
export function marginalVelocityCheck(v: VelocityModel, data: Float32Array, d: number, ts: number[], opts: { n?: number; seed?: Seed } = {}): MarginalRow[] {
  const n = opts.n ?? 1000;
  if (!(Number.isInteger(n) && n >= 1)) throw new Error(`marginalVelocityCheck: n must be a positive integer, got ${n}`);
  ts.forEach((t) => {
    checkTime(t, 'marginalVelocityCheck');
    if (!(t > 0)) throw new Error('marginalVelocityCheck: t must be > 0 (the exact velocity is not finite at t = 0)');
  });
  const ideal = idealVelocity(data, d);
  const g = toRng(opts.seed ?? 0);
  const rms = (a: tf.Tensor2D, b?: tf.Tensor2D) => tf.tidy(() => Math.sqrt(tf.mean(tf.sum(tf.square(b ? tf.sub(a, b) : a), 1)).dataSync()[0]));
  try {
    return ts.map((t) =>
      tf.tidy(() => {
        const X = tf.tensor2d(data, [data.length / d, d]);
        const x0 = tf.gather(X, tf.tensor1d(randints(g.seed(), n, data.length / d), 'int32')) as tf.Tensor2D;
        const eps = tf.tensor2d(normals(g.seed(), n * d), [n, d]);
        const xt = tf.add(tf.mul(x0, 1 - t), tf.mul(eps, t)) as tf.Tensor2D;
        const vStar = ideal(xt, t);
        const vHat = callVelocity(v, xt, t, 'marginalVelocityCheck');
        const target = tf.sub(eps, x0) as tf.Tensor2D;
        return { t, networkToIdeal: rms(vHat, vStar), targetToIdeal: rms(target, vStar), ideal: rms(vStar) };
      }),
    );
  } finally {
    ideal.dispose();
  }
}
