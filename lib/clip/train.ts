// Training a tiny CLIP on captioned digits: seeded batches of (image, random caption) pairs,
// the symmetric contrastive loss, Adam through lib/nn's loop.
import * as tf from '@tensorflow/tfjs';
import { trainLoop, TrainState } from '../nn';
import { pick } from '../config';
import { keep, keepName } from '../notebook';
import { Seed, rng, toRng } from '../random';
import { DIGIT_PIXELS, Digits } from '../data/mnist';
import { Attributes, AttributeThresholds, attributeThresholds, describeDigits } from './attributes';
import { randomCaption } from './captions';
import { Clip, ClipConfig, createClip } from './model';
import { clipLoss } from './loss';

export interface ClipTrainOptions {
  steps: number;
  batch: number;
  lr: number;
  /** Probability that a caption states each attribute. */
  pAttr?: number;
  progress?: boolean;
  label?: string;
  every?: number;
}

/** Full-mode and quick-mode training sizes (quick: same code, fewer steps). */
export function clipTrainOptions(quick: boolean = pick(false, true)): ClipTrainOptions {
  return quick ? { steps: 100, batch: 64, lr: 3e-3 } : { steps: 400, batch: 128, lr: 3e-3 };
}

/** A batch sampler: images and random captions of training digits, deterministic given the seed. */
export function captionedBatches(data: Digits, attrs: Attributes[], seed: Seed, pAttr = 0.6) {
  if (attrs.length !== data.n) throw new Error(`captionedBatches: ${attrs.length} attribute sets for ${data.n} images`);
  const g = toRng(seed);
  return (batch: number): { images: Float32Array; captions: string[]; idx: Int32Array } => {
    if (!(Number.isInteger(batch) && batch > 1)) throw new Error(`captionedBatches: batch must be an integer ≥ 2, got ${batch}`);
    const idx = new Int32Array(batch);
    const images = new Float32Array(batch * DIGIT_PIXELS);
    const captions: string[] = [];
    for (let k = 0; k < batch; k++) {
      const i = g.int(data.n);
      idx[k] = i;
      images.set(data.images.subarray(i * DIGIT_PIXELS, (i + 1) * DIGIT_PIXELS), k * DIGIT_PIXELS);
      captions.push(randomCaption(data.labels[i], attrs[i], g, pAttr));
    }
    return { images, captions, idx };
  };
}

/** One report of the training loop, with the temperature at that step. */
export type ClipTrainState = TrainState & { logitScale: number };

export interface ClipTraining {
  clip: Clip;
  history: ClipTrainState[];
  seconds: number;
  thresholds: AttributeThresholds;
}

/**
 * Train `clip` on captioned training digits. Returns the loss curve (with logitScale
 * recorded at each report). Leaks no tensors; a NaN loss stops training with an error.
 */
export async function fitClip(
  clip: Clip,
  train_: Digits,
  opts: ClipTrainOptions,
  seed: Seed,
  onReport?: (s: TrainState & { logitScale: number }) => void,
): Promise<ClipTrainState[]> {
  const thresholds = clip.thresholds ?? attributeThresholds(train_);
  clip.thresholds = thresholds;
  const next = captionedBatches(train_, describeDigits(train_, thresholds), seed, opts.pAttr);
  const V = clip.tokenizer.vocab.length;
  const lossAt = () => {
    const b = next(opts.batch);
    const x = tf.tensor2d(b.images, [opts.batch, DIGIT_PIXELS]);
    const t = tf.tensor2d(clip.tokenizer.bagOfWords(b.captions), [opts.batch, V]);
    return clipLoss(clip.imageFeatures(x), clip.textFeatures(t), clip.logLogitScale);
  };
  const out: ClipTrainState[] = [];
  const loop = trainLoop(clip.params, lossAt, {
    steps: opts.steps,
    lr: opts.lr,
    lrSchedule: 'cosine',
    every: opts.every,
    label: opts.label ?? 'clip',
    progress: opts.progress,
  });
  for await (const s of loop) {
    const r = { ...s, logitScale: clip.logitScale() };
    out.push(r);
    onReport?.(r);
  }
  return out;
}

/** Create and train a CLIP from scratch (seeded); the bench and the shipped weights use this. */
export async function trainClip(
  data: { train: Digits },
  opts: ClipTrainOptions = clipTrainOptions(),
  seed = 0,
  config: Partial<ClipConfig> = {},
): Promise<ClipTraining> {
  const g = rng(seed);
  const clip = createClip(g.seed(), config);
  const t0 = performance.now();
  const history = await fitClip(clip, data.train, opts, g.seed());
  // Rerunning the same call (a notebook cell) frees the CLIP the previous run made.
  keep(keepName('trainClip', opts, seed, config), clip);
  return { clip, history, seconds: (performance.now() - t0) / 1000, thresholds: clip.thresholds! };
}
