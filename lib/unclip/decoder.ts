// The tiny unCLIP's image model: a conditional denoiser over 14×14 digits whose condition is
// the CLIP text embedding of a caption. DALL·E 2 trains a decoder to invert CLIP's image
// embedding and a prior to map text embeddings to image embeddings; here the decoder is fed
// the text embedding directly (the prior collapsed into training on captions), so a prompt
// goes: words → CLIP text encoder → embedding → guided denoising → image.
import * as tf from '@tensorflow/tfjs';
import { valuesOf } from '../values';
// Each import names its module, not a barrel: the barrels (course/clip, course/diffusion,
// course/guidance) also export Node-only file I/O, and the site's browser build of chapter 6's
// live figure imports this file.
import type { Digits } from '../data/mnist';
import type { Clip } from '../clip/model';
import { describeDigits, attributeThresholds } from '../clip/attributes';
import { randomCaption } from '../clip/captions';
import { Schedule, cosineSchedule, timesteps } from '../diffusion/schedule';
import { epsFromX0 } from '../diffusion/exercises';
import { predictX0 } from '../diffusion/predict';
import { sample } from '../diffusion/sample';
import type { ConditionalDenoiser, EpsModel } from '../guidance/denoiser';
import { guide } from '../guidance/combine';
import { trainDenoiser } from '../guidance/train';
import type { TrainState } from '../nn/train';
import { Seed, randn, rng, toRng } from '../random';
import { unclipDenoiser } from './denoiser';
import { downsample, fromSigned, SMALL_PIXELS, toSigned } from './images';

export interface UnclipOptions {
  hidden?: number[];
  /** Width of the condition's learned projection. */
  condEmbed?: number;
  steps: number;
  batch?: number;
  lr?: number;
  pDrop?: number;
  /** Captions drawn per training image (each with its own text embedding). */
  captionsPerImage?: number;
  seed: number;
  progress?: boolean;
  label?: string;
}

export interface Unclip {
  model: ConditionalDenoiser;
  schedule: Schedule;
  /** The CLIP whose text encoder conditions the model. */
  clip: Clip;
  /**
   * Text embedding of a prompt. Words outside CLIP's vocabulary are dropped (a bag of words has
   * no "not"); a prompt with no known word at all is an error from CLIP's tokenizer.
   */
  embed(prompt: string): Float32Array;
}

export interface UnclipTraining {
  unclip: Unclip;
  states: TrainState[];
  seconds: number;
}

/** The schedule the tiny unCLIP uses: cosine, T = 1000 (gentler on images than linear). */
export function unclipSchedule(): Schedule {
  return cosineSchedule(1000);
}

/** Wrap a trained (or loaded) denoiser and a CLIP into an Unclip. */
export function makeUnclip(model: ConditionalDenoiser, clip: Clip): Unclip {
  if (model.condDim !== clip.config.dim) throw new Error(`unclip: the model takes conditions of length ${model.condDim}, the CLIP embeds in ${clip.config.dim}`);
  return {
    model,
    clip,
    schedule: unclipSchedule(),
    embed(prompt: string) {
      if (typeof prompt !== 'string' || prompt.trim() === '') throw new Error(`unclip: a prompt must be a non-empty string, got ${JSON.stringify(prompt)}`);
      return valuesOf(() => clip.encodeTexts([prompt], { unknown: 'ignore' })) as Float32Array;
    },
  };
}

/** Captions for the training digits and their CLIP text embeddings (flat, n·k × dim). */
export function captionEmbeddings(clip: Clip, data: Digits, perImage: number, seed: Seed): { captions: string[]; embeddings: Float32Array; imageIndex: Int32Array } {
  const thresholds = clip.thresholds ?? attributeThresholds(data);
  const attrs = describeDigits(data, thresholds);
  const g = toRng(seed);
  const captions: string[] = [];
  const imageIndex = new Int32Array(data.n * perImage);
  for (let k = 0; k < perImage; k++)
    for (let i = 0; i < data.n; i++) {
      imageIndex[captions.length] = i;
      captions.push(randomCaption(data.labels[i], attrs[i], g));
    }
  const dim = clip.config.dim;
  const embeddings = new Float32Array(captions.length * dim);
  const chunk = 1000;
  for (let s = 0; s < captions.length; s += chunk) {
    const part = valuesOf(() => clip.encodeTexts(captions.slice(s, s + chunk))) as Float32Array;
    embeddings.set(part, s * dim);
  }
  return { captions, embeddings, imageIndex };
}

/** Train the text-conditioned denoiser on captioned training digits (seeded, progress bar, no leaks). */
export async function trainUnclip(clip: Clip, train: Digits, opts: UnclipOptions): Promise<UnclipTraining> {
  const g = rng(opts.seed);
  const schedule = unclipSchedule();
  const k = opts.captionsPerImage ?? 2;
  const small = toSigned(downsample(train.images));
  const { embeddings, imageIndex } = captionEmbeddings(clip, train, k, g.seed());
  const x = new Float32Array(imageIndex.length * SMALL_PIXELS);
  imageIndex.forEach((i, r) => x.set(small.subarray(i * SMALL_PIXELS, (i + 1) * SMALL_PIXELS), r * SMALL_PIXELS));
  const model = unclipDenoiser({ dataDim: SMALL_PIXELS, condDim: clip.config.dim, hidden: opts.hidden ?? [256, 256, 256], condEmbed: opts.condEmbed, alphaBar: schedule.alphaBar, seed: g.seed() });
  const r = await trainDenoiser(model, { x, cond: embeddings }, schedule, {
    steps: opts.steps,
    batch: opts.batch ?? 128,
    lr: opts.lr ?? 2e-3,
    pDrop: opts.pDrop ?? 0.15,
    seed: g.seed(),
    label: opts.label ?? 'unclip',
    progress: opts.progress,
  });
  return { unclip: makeUnclip(model, clip), states: r.states, seconds: r.seconds };
}

export interface GenerateOptions {
  /**
   * What to draw ("a thick seven"); omitted = no prompt. A list draws n images for each prompt in
   * one batch, prompt i from the noise of seed + i (the noise a single-prompt call with that seed gets).
   */
  prompt?: string | string[];
  /** What not to draw ("a right-slanted seven"). */
  negative?: string;
  /** Guidance scale. */
  w: number;
  /** Images (per prompt). */
  n: number;
  /** Seed of the starting noise. */
  seed: number;
  /** DDIM steps (η = 0). */
  steps?: number;
  /** Clip the implied x̂0 to the pixel range at every step (default true; false shows why it is there). */
  clip?: boolean;
  /** Called after each DDIM step with the steps done and their total (a page's progress bar). */
  onStep?: (done: number, total: number) => void;
}

/**
 * An EpsModel whose implied clean image x̂0 = (x_t − √(1 − ᾱ_t) ε̂) / √ᾱ_t (predictX0) is clipped
 * to the pixel range [−1, 1], with ε̂ recomputed to match (epsFromX0, chapter 6's exercise). Near
 * t = T, ᾱ_t is almost 0 and any error in ε̂ is blown up in x̂0; clipping keeps it inside the
 * range images live in (standard for images).
 */
export function clipX0(eps: EpsModel, schedule: Schedule): EpsModel {
  return (xt, t) =>
    tf.tidy(() => {
      const ab = schedule.alphaBar[t];
      const e = eps(xt, t);
      const x0 = tf.clipByValue(predictX0(xt, e, ab), -1, 1) as tf.Tensor2D;
      return epsFromX0(xt, x0, ab);
    });
}

/** n images (flat n×196, [0, 1]) for a prompt, by guided DDIM with x̂0 clipped to the pixel range (unless clip is false). */
export function generate(u: Unclip, opts: GenerateOptions): Float32Array {
  if (!(Number.isInteger(opts.n) && opts.n > 0)) throw new Error(`generate: n must be a positive integer, got ${opts.n}`);
  const prompts = Array.isArray(opts.prompt) ? opts.prompt : [opts.prompt];
  if (prompts.length === 0) throw new Error('generate: the list of prompts is empty');
  const embeddings = prompts.map((p) => (p === undefined ? undefined : u.embed(p)));
  const eps = guide(u.model, {
    ...(Array.isArray(opts.prompt) ? { promptRows: embeddings.flatMap((e) => new Array<Float32Array>(opts.n).fill(e!)) } : { prompt: embeddings[0] }),
    negative: opts.negative === undefined ? undefined : u.embed(opts.negative),
    w: opts.w,
  });
  const xT = tf.tidy(() => tf.concat(prompts.map((_, i) => randn(opts.seed + i, [opts.n, SMALL_PIXELS])), 0) as tf.Tensor2D);
  const steps = timesteps(u.schedule, opts.steps ?? 40);
  let done = 0;
  const onStep = opts.onStep && (() => opts.onStep!(++done, steps.length));
  const x = sample(opts.clip === false ? eps : clipX0(eps, u.schedule), xT, u.schedule, { steps, eta: 0, seed: opts.seed, onStep });
  const out = fromSigned(x.dataSync() as Float32Array);
  x.dispose();
  xT.dispose();
  return out;
}
