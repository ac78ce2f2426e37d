// Guidance as small functions over noise predictors: each takes EpsModels and
// returns an EpsModel, so the result goes straight into any sampler.
import * as tf from '@tensorflow/tfjs';
import { cfgCombine } from './exercises';
import { checkScale } from './checkScale';
import type { Condition, ConditionalDenoiser, EpsModel } from './denoiser';

/** Classifier-free guidance: ε = ε_uncond + w · (ε_cond − ε_uncond). */
export function cfg(uncond: EpsModel, cond: EpsModel, w: number): EpsModel {
  checkScale('cfg', w);
  return (xt, t) => tf.tidy(() => cfgCombine(uncond(xt, t), cond(xt, t), w) as tf.Tensor2D);
}

/**
 * Negative prompt: ε = ε_neg + w · (ε_pos − ε_neg), with ε_pos the unconditional model when there is
 * no positive prompt. It is classifier-free guidance with the negative prediction in the
 * unconditional one's place, so it runs cfgCombine (chapter 5's exercise) with those roles.
 */
export function negativePrompt(neg: EpsModel, pos: EpsModel, w: number): EpsModel {
  checkScale('negativePrompt', w);
  return (xt, t) => tf.tidy(() => cfgCombine(neg(xt, t), pos(xt, t), w) as tf.Tensor2D);
}

export interface GuideOptions {
  /** What to generate (a class or a condition vector); omitted = no positive prompt. */
  prompt?: Condition;
  /** What not to generate; omitted = none. */
  negative?: Condition;
  /** Guidance scale (w = 1 with only a prompt is plain conditioning). */
  w: number;
  /** Several prompts in one batch: promptRows[i] is row i's prompt (instead of `prompt`). */
  promptRows?: Exclude<Condition, null>[];
}

/**
 * The EpsModel a conditional denoiser gives for a prompt and/or a negative prompt:
 * prompt only → cfg(uncond, cond, w); negative only → negativePrompt(neg, uncond, w);
 * both → negativePrompt(neg, cond, w) (the negative takes the unconditional's place);
 * neither → the unconditional model.
 */
export function guide(model: ConditionalDenoiser, opts: GuideOptions): EpsModel {
  checkScale('guide', opts.w);
  const has = (c: Condition | undefined): c is Exclude<Condition, null> => c !== undefined && c !== null;
  if (opts.promptRows && has(opts.prompt)) throw new Error('guide: give prompt or promptRows, not both');
  const uncond = model.eps(null);
  const pos = opts.promptRows ? model.epsRows(opts.promptRows) : has(opts.prompt) ? model.eps(opts.prompt) : uncond;
  if (pos === uncond && !has(opts.negative)) return uncond;
  if (!has(opts.negative)) return opts.w === 1 ? pos : cfg(uncond, pos, opts.w); // w = 1 is the conditional model itself
  return negativePrompt(model.eps(opts.negative), pos, opts.w);
}
