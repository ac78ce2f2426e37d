// The chapter-5 experiment on the labelled spiral, shared by the notebook, the bench
// and the tests: train one class-conditional denoiser with condition dropout, then
// sample with different guidance scales (same starting noise for every scale) and
// judge each sample by the class of its nearest held-out point.
import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { LabelledPoints, spiralClasses } from '../data';
import { Schedule, coverage, linearSchedule, rmsRadius, sample, timesteps } from '../diffusion';
import { pick } from '../config';
import { keep, keepName } from '../notebook';
import { randn } from '../random';
import { conditionalDenoiser, ConditionalDenoiser, Condition, EpsModel } from './denoiser';
import { trainDenoiser } from './train';
import { guide, GuideOptions } from './combine';
import { guidedSample } from './sample';
import { nearestLabel, share } from './metrics';
import { loadDenoiser, saveDenoiser, SavedDenoiser, setDenoiserWeights } from './io';
import { TrainState } from '../nn';

/** The shipped chapter-5 denoiser: data/make-guidance-spiral.ts trains it with GUIDANCE_RECIPE. */
export const GUIDANCE_WEIGHTS = path.resolve(__dirname, '..', '..', 'data', 'guidance-spiral.json');

/** Chapter 5's full-mode recipe (what ships); earlyStep is the early checkpoint the chapter shows. */
export const GUIDANCE_RECIPE = { classes: 5, hidden: [128, 128, 128], steps: 3000, batch: 256, lr: 1e-3, pDrop: 0.2, seed: 0, earlyStep: 300 };

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
  /** Keep copies of the model after these steps (early checkpoints of the same run). */
  checkpoints?: number[];
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
  /** The same run's model after `step` training steps. */
  checkpoints: { step: number; model: ConditionalDenoiser }[];
  dispose(): void;
}

/** The labelled spiral of a seed: 10,000 training and 2,000 held-out points. */
function spiralData(classes: number, seed: number) {
  return { train: spiralClasses(10_000, classes, seed + 1), held: spiralClasses(2_000, classes, seed + 2), schedule: linearSchedule(1000) };
}

function withCheckpoints(model: ConditionalDenoiser, saved: { step: number; weights: Float32Array[] }[]) {
  return saved.map((c) => {
    const m = loadDenoiser(saveDenoiser(model, c.weights));
    return { step: c.step, model: m };
  });
}

function bundle(s: Omit<SpiralGuidance, 'dispose'>): SpiralGuidance {
  return { ...s, dispose: () => [s.model, ...s.checkpoints.map((c) => c.model)].forEach((m) => m.dispose()) };
}

/** Data (10,000 training, 2,000 held-out points), schedule and a class-conditional denoiser trained from scratch. */
export async function trainSpiralGuidance(opts: SpiralGuidanceOptions = {}): Promise<SpiralGuidance> {
  const classes = opts.classes ?? GUIDANCE_RECIPE.classes;
  const seed = opts.seed ?? GUIDANCE_RECIPE.seed;
  const { train, held, schedule } = spiralData(classes, seed);
  const model = conditionalDenoiser({ dataDim: 2, classes, hidden: opts.hidden ?? GUIDANCE_RECIPE.hidden, T: schedule.T, seed: seed + 3 });
  const r = await trainDenoiser(model, { x: train.points, labels: train.labels }, schedule, {
    steps: opts.steps ?? pick(GUIDANCE_RECIPE.steps, 800),
    batch: opts.batch ?? GUIDANCE_RECIPE.batch,
    lr: opts.lr ?? pick(GUIDANCE_RECIPE.lr, 3e-3),
    pDrop: opts.pDrop ?? GUIDANCE_RECIPE.pDrop,
    seed: seed + 4,
    checkpoints: opts.checkpoints,
    label: opts.label ?? 'spiral denoiser',
    progress: opts.progress,
  });
  const run = bundle({ model, train, held, schedule, seconds: r.seconds, states: r.states, checkpoints: withCheckpoints(model, r.checkpoints) });
  // Rerunning the same call (a notebook cell) frees the models the previous run made.
  return keep(keepName('trainSpiralGuidance', opts), run);
}

interface SavedSpiralGuidance {
  format: 'course-guidance-spiral/1';
  recipe: typeof GUIDANCE_RECIPE;
  denoiser: SavedDenoiser;
  checkpoints: { step: number; denoiser: SavedDenoiser }[];
  states: TrainState[];
  seconds: number;
  made: Record<string, unknown>;
}

/** Write a full-recipe run (model, checkpoints, loss history) to `file` (default data/guidance-spiral.json). */
export function saveSpiralGuidance(run: SpiralGuidance, recipe: typeof GUIDANCE_RECIPE, file = GUIDANCE_WEIGHTS, made: Record<string, unknown> = {}): void {
  const saved: SavedSpiralGuidance = {
    format: 'course-guidance-spiral/1',
    recipe,
    denoiser: saveDenoiser(run.model),
    checkpoints: run.checkpoints.map((c) => ({ step: c.step, denoiser: saveDenoiser(c.model) })),
    states: run.states,
    seconds: run.seconds,
    made,
  };
  fs.writeFileSync(file, JSON.stringify(saved));
}

/** The shipped run: the trained denoiser, its early checkpoint, loss history and training time, with the recipe's data. */
export function loadSpiralGuidance(file = GUIDANCE_WEIGHTS): SpiralGuidance & { made: Record<string, unknown> } {
  if (!fs.existsSync(file)) throw new Error(`loadSpiralGuidance: ${file} does not exist; make it with \`npx tsx data/make-guidance-spiral.ts\``);
  const s = JSON.parse(fs.readFileSync(file, 'utf8')) as SavedSpiralGuidance;
  if (s.format !== 'course-guidance-spiral/1') throw new Error(`loadSpiralGuidance: ${file} has format ${s.format}, expected course-guidance-spiral/1`);
  const { train, held, schedule } = spiralData(s.recipe.classes, s.recipe.seed);
  const model = loadDenoiser(s.denoiser);
  const checkpoints = s.checkpoints.map((c) => ({ step: c.step, model: loadDenoiser(c.denoiser) }));
  const run = bundle({ model, train, held, schedule, seconds: s.seconds, states: s.states, checkpoints });
  // Rerunning the same load (a notebook cell) frees the models the previous load made.
  return keep(keepName('loadSpiralGuidance', file), { ...run, made: s.made });
}

export interface GuidedSamplesOptions extends GuideOptions {
  /** Number of samples. */
  n: number;
  /** Seed of the starting noise x_T (the same seed gives the same x_T for every w). */
  seed: number;
  /** Number of DDIM steps (η = 0; default 50). */
  steps?: number;
  /**
   * 'sample' (default): lib/diffusion's sample() over guide()'s EpsModel (cfgCombine, with a
   * negative prompt in the unconditional one's place, then ddimStep); 'guidedStep': the guidedDdimStep loop (guidedSample).
   */
  via?: 'sample' | 'guidedStep';
}

/** Guided DDIM samples (η = 0) from seeded noise, flat [x0, y0, …]. */
export function guidedSamples(model: ConditionalDenoiser, schedule: Schedule, opts: GuidedSamplesOptions): Float32Array {
  const xT = randn(opts.seed, [opts.n, model.dataDim]) as tf.Tensor2D;
  const steps = timesteps(schedule, opts.steps ?? 50);
  let x: tf.Tensor2D;
  if ((opts.via ?? 'sample') === 'sample') {
    x = sample(guide(model, opts), xT, schedule, { steps, eta: 0, seed: opts.seed });
  } else {
    // The same pairs guide() combines: ε_base + w·(ε_target − ε_base).
    const has = (c: Condition | undefined): c is Exclude<Condition, null> => c !== undefined && c !== null;
    const uncond = model.eps(null);
    const target: EpsModel = has(opts.prompt) ? model.eps(opts.prompt) : uncond;
    const base: EpsModel = has(opts.negative) ? model.eps(opts.negative) : uncond;
    x = guidedSample(base, target, opts.w, xT, schedule, { steps });
  }
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
  opts: {
    ws: number[];
    n: number;
    seed?: number;
    steps?: number;
    via?: GuidedSamplesOptions['via'];
    /** Sample class c at scale w with this noise predictor instead of CFG (for example classifier guidance); same starting noise. */
    epsFor?: (c: number, w: number) => EpsModel;
  },
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
    const samples = Array.from({ length: K }, (_, c) => {
      const seed = (opts.seed ?? 100) + c;
      if (!opts.epsFor) return guidedSamples(model, schedule, { prompt: c, w, n: opts.n, seed, steps: opts.steps, via: opts.via });
      // The same x_T and DDIM steps as guidedSamples, another noise predictor.
      const xT = randn(seed, [opts.n, model.dataDim]) as tf.Tensor2D;
      const x = sample(opts.epsFor(c, w), xT, schedule, { steps: timesteps(schedule, opts.steps ?? 50), eta: 0, seed });
      const out = Float32Array.from(x.dataSync());
      x.dispose();
      xT.dispose();
      return out;
    });
    const perClass = samples.map((x, c) => share(nearestLabel(x, held.points, held.labels), c));
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    return {
      w,
      accuracy: mean(perClass),
      perClass,
      spread: mean(samples.map((x) => rmsRadius(x))),
      coverage: mean(samples.map((x, c) => coverage(heldByClass[c], x, r))),
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
