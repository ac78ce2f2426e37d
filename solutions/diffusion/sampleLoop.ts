import * as tf from '@tensorflow/tfjs';
import { implementation } from '../../lib/exercise/registry';

/**
 * The whole DDPM sampler (Ho et al. 2020, Algorithm 2): start from pure noise x_T and apply the
 * reverse step T times,
 *
 *   for t = T − 1, T − 2, …, 0:
 *     ε̂     = epsModel(x, t)
 *     x     = ddpmStep(x, ε̂, β_t, ᾱ_t, ᾱ_{t−1}, z_t)     with ᾱ_{−1} = 1 and no noise at t = 0
 *
 * and return the final x, which is x_0. xT is [n, d]; betas and alphaBar are the schedule's
 * arrays (length T, index t as above). epsModel(x, t) returns ε̂ [n, d] for one integer t.
 * noise(t) gives the z to add at step t ≥ 1 (a [n, d] tensor, or null for no noise), so a run
 * is reproducible; do not call it at t = 0. For the step, take
 * `const ddpmStep = implementation('diffusion/ddpmStep')`: your ddpmStep once it passed its
 * check, and the reference until then.
 *
 * Bad input is an error that starts with "sampleLoop: " and names the problem: betas and
 * alphaBar of different lengths or empty (name both lengths), xT not a [n, d] batch (name its
 * shape).
 *
 * Hint: a long loop must not pile up tensors: keep only the current x, and dispose the old x,
 * ε̂ and z after each step (the x you were given belongs to the caller: do not dispose it).
 */
export function sampleLoop(
  epsModel: (x: tf.Tensor2D, t: number) => tf.Tensor2D,
  xT: tf.Tensor2D,
  betas: ArrayLike<number>,
  alphaBar: ArrayLike<number>,
  noise: (t: number) => tf.Tensor2D | null,
): tf.Tensor2D {
  // BEGIN SOLUTION
  const ddpmStep = implementation('diffusion/ddpmStep');
  const T = betas.length; // steps t = T − 1, …, 0
  if (T < 1 || alphaBar.length !== T) throw new Error(`sampleLoop: betas has length ${T} and alphaBar ${alphaBar.length}; they must be the same schedule (length T ≥ 1)`);
  if (xT.rank !== 2 || xT.shape[0] < 1) throw new Error(`sampleLoop: xT must be a batch of shape [n, d], got [${xT.shape}]`);
  let x = xT;
  for (let t = T - 1; t >= 0; t--) {
    const epsHat = epsModel(x, t);
    const z = t > 0 ? noise(t) : null;
    const next = ddpmStep(x, epsHat, betas[t], alphaBar[t], t > 0 ? alphaBar[t - 1] : 1, z);
    epsHat.dispose();
    z?.dispose();
    if (x !== xT) x.dispose(); // the previous x_t; the caller owns xT
    x = next;
  }
  return x === xT ? (tf.clone(xT) as tf.Tensor2D) : x;
  // END SOLUTION
}
