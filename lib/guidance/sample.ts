// Deterministic DDIM sampling built from the guided step (η = 0). With lib/diffusion's
// samplers the guided EpsModels of combine.ts are used directly; this small loop is the
// guided step of the exercise run from x_T to x_0, and a cross-check for them.
import * as tf from '@tensorflow/tfjs';
import { guidedDdimStep } from './exercises';
import type { EpsModel } from './denoiser';
import type { NoiseSchedule } from './train';
import { checkScale } from './checkScale';

/** `steps` integer steps from T − 1 down to 0, evenly spaced. */
export function ddimTimesteps(T: number, steps: number): number[] {
  if (!(Number.isInteger(steps) && steps >= 1 && steps <= T)) throw new Error(`ddimTimesteps: steps must be an integer in [1, ${T}], got ${steps}`);
  if (steps === 1) return [T - 1];
  return Array.from({ length: steps }, (_, i) => Math.round(((T - 1) * (steps - 1 - i)) / (steps - 1)));
}

export interface GuidedSampleOptions {
  steps?: number;
}

/**
 * DDIM (η = 0) from xT with ε̂ = ε_base + w · (ε_target − ε_base) at every step.
 * CFG: base = unconditional, target = conditional. Negative prompt: base = negative,
 * target = positive (or unconditional). Returns x_0; frees its intermediates.
 */
export function guidedSample(base: EpsModel, target: EpsModel, w: number, xT: tf.Tensor2D, schedule: NoiseSchedule, opts: GuidedSampleOptions = {}): tf.Tensor2D {
  checkScale('guidedSample', w);
  const ts = ddimTimesteps(schedule.T, opts.steps ?? 50);
  let x = tf.clone(xT);
  ts.forEach((t, i) => {
    const s = i + 1 < ts.length ? schedule.alphaBar[ts[i + 1]] : 1;
    const next = tf.tidy(() => {
      const eb = base(x, t);
      const et = base === target ? eb : target(x, t);
      return guidedDdimStep(x, eb, et, w, schedule.alphaBar[t], s);
    });
    x.dispose();
    x = next;
  });
  return x;
}

/** DDIM (η = 0) for any single EpsModel (for example one built by cfg or negativePrompt). */
export function ddimSample(eps: EpsModel, xT: tf.Tensor2D, schedule: NoiseSchedule, opts: GuidedSampleOptions = {}): tf.Tensor2D {
  return guidedSample(eps, eps, 1, xT, schedule, opts);
}
