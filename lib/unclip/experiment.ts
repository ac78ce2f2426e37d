// Chapter 6's whole recipe in one place, shared by scripts/train-unclip.ts, the bench and
// the tests: a CLIP (chapter 1's recipe, from scratch), a digit classifier to judge the
// results, and the text-conditioned denoiser; then prompt accuracy per guidance scale.
import { loadDigits, Digits } from '../data';
import { Clip, clipTrainOptions, DIGIT_WORDS, inkMass, prompt as fillPrompt, slant, trainClip } from '../clip';
import { pick } from '../config';
import { keep, keepName } from '../notebook';
import { rng } from '../random';
import { accuracy, digitClassifier, DigitClassifier, trainClassifier } from './classifier';
import { generate, trainUnclip, Unclip } from './decoder';
import { downsample, SMALL_PIXELS, upsample } from './images';

export interface UnclipRecipe {
  /** Denoiser training steps (default 5000, quick 400). */
  steps?: number;
  hidden?: number[];
  condEmbed?: number;
  batch?: number;
  lr?: number;
  /** Classifier training steps (default 2000, quick 300). */
  classifierSteps?: number;
  seed?: number;
  /** Use this CLIP instead of training one. */
  clip?: Clip;
  /** Train the CLIP with quick-mode sizes (default: the current mode). */
  quickClip?: boolean;
  progress?: boolean;
}

export interface UnclipBuild {
  unclip: Unclip;
  classifier: DigitClassifier;
  /** The classifier's accuracy on the 2,000 held-out digits. */
  classifierAccuracy: number;
  seconds: { clip: number; classifier: number; denoiser: number };
  denoiserSteps: number;
  data: { train: Digits; test: Digits };
}

/** Default denoiser sizes: full and quick mode. */
export const UNCLIP_DEFAULTS = { steps: 5000, quickSteps: 400, hidden: [256, 256, 256], lr: 2e-3 };

export async function buildUnclip(opts: UnclipRecipe = {}): Promise<UnclipBuild> {
  const seed = opts.seed ?? 0;
  const g = rng(seed);
  const data = loadDigits();
  let clip = opts.clip;
  let clipSeconds = 0;
  const clipSeed = g.seed();
  if (!clip) {
    const c = await trainClip(data, clipTrainOptions(opts.quickClip ?? pick(false, true)), clipSeed);
    clip = c.clip;
    clipSeconds = c.seconds;
  }
  const classifier = digitClassifier(g.seed());
  const ct = await trainClassifier(classifier, downsample(data.train.images), data.train.labels, {
    steps: opts.classifierSteps ?? pick(2000, 300),
    seed: g.seed(),
    progress: opts.progress,
  });
  const classifierAccuracy = accuracy(classifier, downsample(data.test.images), data.test.labels);
  const steps = opts.steps ?? pick(UNCLIP_DEFAULTS.steps, UNCLIP_DEFAULTS.quickSteps);
  const u = await trainUnclip(clip, data.train, {
    steps,
    hidden: opts.hidden ?? UNCLIP_DEFAULTS.hidden,
    condEmbed: opts.condEmbed,
    batch: opts.batch,
    lr: opts.lr ?? UNCLIP_DEFAULTS.lr,
    seed: g.seed(),
    progress: opts.progress,
  });
  // Rerunning the same call (a notebook cell) frees the previous run's denoiser and classifier
  // (a CLIP it trained itself is trainClip's to free; a CLIP passed in is the caller's).
  keep(keepName('buildUnclip', { ...opts, clip: opts.clip ? 'given' : undefined }), [u.unclip.model, classifier]);
  return {
    unclip: u.unclip,
    classifier,
    classifierAccuracy,
    seconds: { clip: clipSeconds, classifier: ct.seconds, denoiser: u.seconds },
    denoiserSteps: steps,
    data,
  };
}

/** The prompt that names digit k in the accuracy measurement: "a handwritten seven". */
export function digitPrompt(k: number, template = 'a handwritten {digit}'): string {
  if (!(Number.isInteger(k) && k >= 0 && k <= 9)) throw new Error(`digitPrompt: digit must be 0..9, got ${k}`);
  return fillPrompt(template, k);
}

export interface PromptAccuracy {
  w: number;
  /** Mean over digits k of the share of images for "…k…" that the classifier labels k. */
  accuracy: number;
  perDigit: number[];
  /** The images per digit (flat n×196). */
  images: Float32Array[];
}

/** Prompt accuracy for each guidance scale; the starting noise for digit k is the same for every w. */
export function promptAccuracy(
  u: Unclip,
  classifier: DigitClassifier,
  opts: { ws: number[]; n: number; seed?: number; steps?: number; template?: string },
): PromptAccuracy[] {
  const prompts = DIGIT_WORDS.map((_, k) => digitPrompt(k, opts.template));
  return opts.ws.map((w) => {
    // One batch for all ten prompts; digit k's noise comes from seed + k, the same for every w.
    const all = generate(u, { prompt: prompts, w, n: opts.n, seed: opts.seed ?? 500, steps: opts.steps });
    const images = prompts.map((_, k) => all.slice(k * opts.n * SMALL_PIXELS, (k + 1) * opts.n * SMALL_PIXELS));
    const perDigit = images.map((im, k) => {
      const p = classifier.predict(im);
      return p.reduce((a, v) => a + (v === k ? 1 : 0), 0) / p.length;
    });
    return { w, accuracy: perDigit.reduce((a, b) => a + b, 0) / 10, perDigit, images };
  });
}

/** Chapter 1's ink mass and slant of each 14×14 image (measured on its 28×28 upsampling). */
export function measureImages(images: Float32Array): { ink: number[]; slant: number[] } {
  const big = upsample(images);
  const n = images.length / SMALL_PIXELS;
  const ink: number[] = [];
  const sl: number[] = [];
  for (let i = 0; i < n; i++) {
    const im = big.subarray(i * 784, (i + 1) * 784);
    ink.push(inkMass(im));
    sl.push(slant(im));
  }
  return { ink, slant: sl };
}

/** Mean of a list (for the notebook's tables). */
export function mean(xs: ArrayLike<number>): number {
  if (xs.length === 0) throw new Error('mean: no values');
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i];
  return s / xs.length;
}
