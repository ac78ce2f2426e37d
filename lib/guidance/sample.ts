// Deterministic DDIM (η = 0) built from the guided step, guidedDdimStep (chapter 5's exercise):
// x̂0 and the next point from ε̂ = ε_base + w·(ε_target − ε_base), run from x_T to x_0.
// lib/diffusion's sample() over the EpsModels of combine.ts gives the same points; this loop
// is how the learner's guidedDdimStep draws samples.
import * as tf from '@tensorflow/tfjs';
import { guidedDdimStep } from './exercises';
import type { EpsModel } from './denoiser';
import { Schedule, alphaBarAt, checkSteps, timesteps } from '../diffusion/schedule';
import { checkScale } from './checkScale';

/**
 * DDIM (η = 0) from xT with ε̂ = ε_base + w · (ε_target − ε_base) at every step.
 * CFG: base = unconditional, target = conditional. Negative prompt: base = negative,
 * target = positive (or unconditional). `steps`: strictly decreasing timesteps, as in
 * lib/diffusion's sample() (default timesteps(schedule, 50)). Returns x_0; frees its intermediates.
 */
export function guidedSample(base: EpsModel, target: EpsModel, w: number, xT: tf.Tensor2D, schedule: Schedule, opts: { steps?: number[] } = {}): tf.Tensor2D {
  checkScale('guidedSample', w);
  const steps = opts.steps ?? timesteps(schedule, 50);
  checkSteps(schedule, steps, 'guidedSample');
  let x = tf.clone(xT);
  steps.forEach((t, i) => {
    const next = tf.tidy(() => {
      const epsBase = base(x, t);
      const epsTarget = base === target ? epsBase : target(x, t);
      return guidedDdimStep(x, epsBase, epsTarget, w, schedule.alphaBar[t], alphaBarAt(schedule, i + 1 < steps.length ? steps[i + 1] : -1));
    });
    x.dispose();
    x = next;
  });
  return x;
}
