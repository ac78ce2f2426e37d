// Heun against DDIM on the same evenly spaced timesteps, counted fairly. A Heun step calls the
// network twice (the last step, to clean data, once: there is no model at σ = 0), so k Heun steps
// cost 2k − 1 calls, and the fair comparison is DDIM (η = 0, Euler on the ODE in x̄ and σ) with
// 2k − 1 steps. On evenly spaced t the step into t = 0 starts at a noise level σ many times σ_0:
// one huge step across the region where ε̂ changes fastest. DDIM's step is exact when ε̂ is
// constant over it; Heun's correction evaluates ε̂ at the end of that jump, at t = 0, where a small
// error in the point is divided by √(1 − ᾱ_0) and becomes a large error in ε̂.
import * as tf from '@tensorflow/tfjs';
import { EpsModel } from './eps';
import { Quality, quality } from './metrics';
import { odeSample, sample } from './sample';
import { Schedule, timesteps } from './schedule';
import { noiseLevel } from './spacing';

export interface SamplerCallsRow extends Quality {
  sampler: 'DDIM' | 'Heun';
  steps: number;
  /** Network calls: k for DDIM, 2k − 1 for Heun. */
  calls: number;
  /** The step into t = 0 starts at this timestep, at this noise level (σ_0 is the schedule's smallest). */
  lastJumpFrom: number;
  sigmaLastJumpFrom: number;
}

/** For each Heun step count k: DDIM with k steps, Heun with k steps, DDIM with 2k − 1 steps (Heun's calls), all evenly spaced in t. */
export function heunAgainstDdim(eps: EpsModel, xT: tf.Tensor2D, schedule: Schedule, heldOut: Float32Array, ks: number[]): SamplerCallsRow[] {
  if (!Array.isArray(ks) || ks.length === 0 || !ks.every((k) => Number.isInteger(k) && k >= 2 && 2 * k - 1 <= schedule.T)) {
    throw new Error(`heunAgainstDdim: ks must be integers k ≥ 2 with 2k − 1 ≤ T = ${schedule.T}, got [${ks}]`);
  }
  const d = xT.shape[1];
  const values = (x: tf.Tensor2D) => {
    const p = Float32Array.from(x.dataSync());
    x.dispose();
    return p;
  };
  const row = (sampler: 'DDIM' | 'Heun', steps: number[], p: Float32Array): SamplerCallsRow => ({
    sampler,
    steps: steps.length,
    calls: sampler === 'Heun' ? 2 * steps.length - 1 : steps.length,
    lastJumpFrom: steps[steps.length - 2],
    sigmaLastJumpFrom: noiseLevel(schedule.alphaBar[steps[steps.length - 2]]),
    ...quality(p, heldOut, d),
  });
  return ks.flatMap((k) => {
    const even = timesteps(schedule, k);
    const evenCalls = timesteps(schedule, 2 * k - 1);
    return [
      row('DDIM', even, values(sample(eps, xT, schedule, { steps: even, eta: 0, seed: 0 }))),
      row('Heun', even, values(odeSample(eps, xT, schedule, { steps: even, method: 'heun' }))),
      row('DDIM', evenCalls, values(sample(eps, xT, schedule, { steps: evenCalls, eta: 0, seed: 0 }))),
    ];
  });
}
