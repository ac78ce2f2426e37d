// The chapter-5 experiment on the labelled spiral, shared by the notebook, the bench
// and the tests: train one class-conditional denoiser with condition dropout, then
// sample with different guidance scales (same starting noise for every scale) and
// judge each sample by the class of its nearest held-out point.
import * as tf from '@tensorflow/tfjs';
import { LabelledPoints, spiralClasses } from '../data';
import { Schedule, linearSchedule, sample, timesteps } from '../diffusion';
import { pick } from '../config';
import { keep, keepName } from '../notebook';
import { randn } from '../random';
import { conditionalDenoiser, ConditionalDenoiser, Condition } from './denoiser';
import { trainDenoiser } from './train';
import { guide } from './combine';
import { coverage, nearestLabel, rmsRadius, share, spread } from './metrics';
import { TrainState } from '../nn';

export interface SpiralGuidanceOptions {
  classes?: number;
  hidden?: number[];
  /** Training steps (default: 3000, quick mode 800). */
  steps?: number;
  batch?: number;
  /** Adam learning rate (default 1e-3; quick mode 3e-3, for its shorter run). */
  lr?: number;
  pDrop?: number;
  seed?: number;
  label?: string;
  progress?: boolean;
}

export interface SpiralGuidance {
  model: ConditionalDenoiser;
  train: LabelledPoints;
  held: LabelledPoints;
  schedule: Schedule;
  seconds: number;
  states: TrainState[];
}

/** Data (10,000 training, 2,000 held-out points), schedule and a trained class-conditional denoiser. */
export async function trainSpiralGuidance(opts: SpiralGuidanceOptions = {}): Promise<SpiralGuidance> {
  const classes = opts.classes ?? 5;
  const seed = opts.seed ?? 0;
  const train = spiralClasses(10_000, classes, seed + 1);
  const held = spiralClasses(2_000, classes, seed + 2);
  const schedule = linearSchedule(1000);
  const model = conditionalDenoiser({ dataDim: 2, classes, hidden: opts.hidden ?? [128, 128, 128], T: schedule.T, seed: seed + 3 });
  const r = await trainDenoiser(model, { x: train.points, labels: train.labels }, schedule, {
    steps: opts.steps ?? pick(3000, 800),
    batch: opts.batch ?? 256,
    lr: opts.lr ?? pick(1e-3, 3e-3),
    pDrop: opts.pDrop ?? 0.2,
    seed: seed + 4,
    label: opts.label ?? 'spiral denoiser',
    progress: opts.progress,
  });
  // Rerunning the same call (a notebook cell) frees the model the previous run made.
  keep(keepName('trainSpiralGuidance', opts), model);
  return { model, train, held, schedule, seconds: r.seconds, states: r.states };
}

export interface SampleOptions {
  prompt?: Condition;
  negative?: Condition;
  w: number;
  /** Number of samples. */
  n: number;
  /** Seed of the starting noise x_T (the same seed gives the same x_T for every w). */
  seed: number;
  /** DDIM steps (η = 0). */
  steps?: number;
}

/** Guided DDIM samples (η = 0) from seeded noise, flat [x0, y0, …]. */
export function guidedSamples(model: ConditionalDenoiser, schedule: Schedule, opts: SampleOptions): Float32Array {
  const eps = guide(model, { prompt: opts.prompt, negative: opts.negative, w: opts.w });
  const xT = randn(opts.seed, [opts.n, model.dataDim]) as tf.Tensor2D;
  const x = sample(eps, xT, schedule, { steps: timesteps(schedule, opts.steps ?? 50), eta: 0, seed: opts.seed });
  const out = x.dataSync() as Float32Array;
  x.dispose();
  xT.dispose();
  return out;
}

export interface SweepRow {
  w: number;
  /** Share of samples conditioned on c that land in class c, averaged over classes. */
  accuracy: number;
  perClass: number[];
  /** RMS distance of each class's samples from their mean, averaged over classes. */
  spread: number;
  /** Share of each class's held-out points within r of a sample of that class, averaged. */
  coverage: number;
  /** The samples for each class. */
  samples: Float32Array[];
}

/** Class accuracy and diversity for each guidance scale w; starting noise per class is the same for every w. */
export function guidanceSweep(
  model: ConditionalDenoiser,
  held: LabelledPoints,
  schedule: Schedule,
  opts: { ws: number[]; n: number; seed?: number; steps?: number },
): SweepRow[] {
  const K = held.classes;
  const r = 0.1 * rmsRadius(held.points);
  const heldOf = (c: number) => {
    const idx: number[] = [];
    held.labels.forEach((l, i) => l === c && idx.push(i));
    return Float32Array.from(idx.flatMap((i) => [held.points[2 * i], held.points[2 * i + 1]]));
  };
  const heldByClass = Array.from({ length: K }, (_, c) => heldOf(c));
  return opts.ws.map((w) => {
    const samples = Array.from({ length: K }, (_, c) => guidedSamples(model, schedule, { prompt: c, w, n: opts.n, seed: (opts.seed ?? 100) + c, steps: opts.steps }));
    const perClass = samples.map((s, c) => share(nearestLabel(s, held.points, held.labels), c));
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    return {
      w,
      accuracy: mean(perClass),
      perClass,
      spread: mean(samples.map((s) => spread(s))),
      coverage: mean(samples.map((s, c) => coverage(s, heldByClass[c], r))),
      samples,
    };
  });
}

export interface NegativeShares {
  /** Mean over classes c of the share of unprompted samples that land in c. */
  unguided: number;
  /** Mean over c of the share landing in c when c is the negative prompt (no positive prompt). */
  negative: number;
  perClass: { unguided: number; negative: number }[];
  /** Samples of the last class's run, unguided and with it as the negative prompt. */
  example: { unguided: Float32Array; negative: Float32Array };
}

/** The bench's negative_class_share: unprompted vs. negative prompt, same starting noise, averaged over classes. */
export function negativeShares(
  model: ConditionalDenoiser,
  held: LabelledPoints,
  schedule: Schedule,
  opts: { w: number; n: number; seed?: number; steps?: number },
): NegativeShares {
  const perClass: { unguided: number; negative: number }[] = [];
  let example = { unguided: new Float32Array(), negative: new Float32Array() };
  for (let c = 0; c < held.classes; c++) {
    const seed = (opts.seed ?? 200) + c;
    const u = guidedSamples(model, schedule, { w: 1, n: opts.n, seed, steps: opts.steps });
    const v = guidedSamples(model, schedule, { negative: c, w: opts.w, n: opts.n, seed, steps: opts.steps });
    perClass.push({ unguided: share(nearestLabel(u, held.points, held.labels), c), negative: share(nearestLabel(v, held.points, held.labels), c) });
    example = { unguided: u, negative: v };
  }
  const mean = (k: 'unguided' | 'negative') => perClass.reduce((a, p) => a + p[k], 0) / perClass.length;
  return { unguided: mean('unguided'), negative: mean('negative'), perClass, example };
}
