// What the live figures compute: plain functions of (weights, control values, seed) on the
// course's lib, run by the page's Web Worker (worker.ts) and by Node in test/site/live.test.ts,
// which checks the two give the same numbers.
import * as tf from '@tensorflow/tfjs';
import { EpsNet, loadEpsNet } from 'course/diffusion/net';
import { sample } from 'course/diffusion/sample';
import { Schedule, linearSchedule, timesteps } from 'course/diffusion/schedule';
import { coverage, energyDistance, quality, rmsRadius } from 'course/diffusion/metrics';
import { randn } from 'course/random';
import { spiral } from 'course/data/spiral';
import { trainHeldOut } from 'course/data/heldOut';
import { jumpTo, randomWalk } from 'course/diffusion/forward';
import { VelocityNet, loadVelocityNet } from 'course/flow/net';
import { flowSample } from 'course/flow/flowSample';
import { loadDenoiser } from 'course/guidance/io';
import type { ConditionalDenoiser } from 'course/guidance/denoiser';
import { guide } from 'course/guidance/combine';
import { nearestLabel, share } from 'course/guidance/metrics';
import { spiralClasses } from 'course/data/spiralClasses';
import { clipFromSaved, type SavedClip } from 'course/clip/fromSaved';
import type { Clip } from 'course/clip/model';
import { searchImages } from 'course/clip/evaluate';
import { splitWords, DIGIT_WORDS } from 'course/clip/captions';
import { unclipFromSaved, type SavedUnclip } from 'course/unclip/fromSaved';
import { generate, type Unclip } from 'course/unclip/decoder';
import type { DigitClassifier } from 'course/unclip/classifier';

/** The spiral's schedule and held-out points, as lib/diffusion/spiral.ts's spiralSetup() makes them (a test checks they agree). */
export function spiralHeldOut(seed = 0, nTrain = 10_000, nHeldOut = 2_000): { schedule: Schedule; test: Float32Array } {
  const { test } = trainHeldOut(spiral(nTrain + nHeldOut, seed), nHeldOut, seed + 1);
  return { schedule: linearSchedule(1000, 1e-4, 0.02), test };
}

export type EpsJson = Parameters<typeof loadEpsNet>[0];

/** Everything a spiral figure needs, made once per worker. */
export interface SpiralContext {
  net: EpsNet;
  schedule: Schedule;
  test: Float32Array;
}

export function spiralContext(weights: EpsJson): SpiralContext {
  const { schedule, test } = spiralHeldOut();
  return { net: loadEpsNet(weights), schedule, test };
}

export interface DdimParams {
  steps: number;
  eta: number;
  n: number;
  seed: number;
}

export interface DdimResult {
  points: Float32Array;
  energy: number;
  precision: number;
  recall: number;
}

function check(name: string, v: number, lo: number, hi: number, integer: boolean): void {
  if (!(typeof v === 'number' && v >= lo && v <= hi && (!integer || Number.isInteger(v)))) {
    throw new Error(`live figure: ${name} = ${v} must be ${integer ? 'an integer' : 'a number'} in [${lo}, ${hi}]`);
  }
}

/** Chapter 4: DDIM with `steps` evenly spaced timesteps and noise η, from x_T drawn with `seed`; scored against held-out points. */
export function ddimFigure(c: SpiralContext, p: DdimParams, onStep?: (done: number, total: number) => void): DdimResult {
  const points = ddimPoints(c, p, onStep);
  return { points, ...ddimQuality(c, points) };
}

/** The quality numbers of ddimFigure: energy distance, precision and recall against the held-out points (lib's quality()). */
export function ddimQuality(c: SpiralContext, points: Float32Array): { energy: number; precision: number; recall: number } {
  const { energy, precision, recall } = quality(points, c.test, 2);
  return { energy, precision, recall };
}

/**
 * ddimQuality in its three O(n²) passes, for the page's worker, which answers a newer request
 * between them instead of finishing numbers nobody will see: the same numbers as lib's quality()
 * (energyDistance, then coverage of held-out by samples and of samples by held-out at r = 0.1 × the held-out RMS radius).
 */
export function* ddimQualityParts(c: SpiralContext, points: Float32Array): Generator<void, { energy: number; precision: number; recall: number }> {
  const energy = energyDistance(points, c.test, 2);
  yield;
  const r = 0.1 * rmsRadius(c.test, 2);
  const precision = coverage(points, c.test, r, 2);
  yield;
  const recall = coverage(c.test, points, r, 2);
  return { energy, precision, recall };
}

/** The samples of ddimFigure. */
export function ddimPoints(c: SpiralContext, p: DdimParams, onStep?: (done: number, total: number) => void): Float32Array {
  check('steps', p.steps, 1, c.schedule.T, true);
  check('eta', p.eta, 0, 1, false);
  check('n', p.n, 1, 100_000, true);
  const steps = timesteps(c.schedule, p.steps);
  let done = 0;
  const x = tf.tidy(() => {
    const xT = randn(p.seed, [p.n, 2]) as tf.Tensor2D;
    return sample(c.net.eps, xT, c.schedule, { steps, eta: p.eta, seed: p.seed + 1, onStep: () => onStep?.(++done, steps.length) });
  });
  const points = x.dataSync() as Float32Array;
  x.dispose();
  return points;
}

export interface DdpmParams {
  noise: boolean;
  n: number;
  seed: number;
  /** Keep x_t every `every` steps (and x_T, x_0). */
  every: number;
}

export interface Frame {
  t: number;
  points: Float32Array;
}

/** Chapter 3: DDPM over all T steps (η = 1), with or without the σ·z term; frames of x_t as it goes. */
export function ddpmFigure(c: SpiralContext, p: DdpmParams, onFrame?: (f: Frame, done: number, total: number) => void): Frame[] {
  check('n', p.n, 1, 100_000, true);
  check('every', p.every, 1, c.schedule.T, true);
  const T = c.schedule.T;
  const frames: Frame[] = [];
  const keepFrame = (t: number, x: tf.Tensor2D, done: number) => {
    const f = { t, points: x.dataSync() as Float32Array };
    frames.push(f);
    onFrame?.(f, done, T);
  };
  let done = 0;
  tf.tidy(() => {
    const xT = randn(p.seed, [p.n, 2]) as tf.Tensor2D;
    keepFrame(T, xT, 0);
    const x0 = sample(c.net.eps, xT, c.schedule, {
      eta: 1,
      noise: p.noise,
      seed: p.seed + 1,
      onStep: (t, x) => {
        done++;
        if (t === -1 || t % p.every === 0) keepFrame(t, x, done);
      },
    });
    x0.dispose();
  });
  return frames;
}

export interface WalkParams {
  t: number;
  n: number;
  seed: number;
}

/** Chapter 2: the spiral noised to step t two ways: T small random steps (the walk) and one closed-form jump. */
export function walkFigure(schedule: Schedule, p: WalkParams): { walk: Float32Array; jump: Float32Array } {
  check('t', p.t, 0, schedule.T - 1, true);
  check('n', p.n, 1, 100_000, true);
  const x0 = spiral(p.n, p.seed);
  return { walk: randomWalk(x0, schedule, p.seed + 1, { until: p.t }).x, jump: jumpTo(x0, schedule, p.t, p.seed + 2) };
}

export type FlowJson = Parameters<typeof loadVelocityNet>[0];

export interface FlowParams {
  steps: number;
  n: number;
  seed: number;
}

export interface FlowVsDdim {
  flow: Float32Array;
  ddim: Float32Array;
  flowEnergy: number;
  ddimEnergy: number;
}

/** Chapter 7: the same noise, k Euler steps of the flow model against DDIM with k steps (η = 0). */
export function flowFigure(c: SpiralContext, flowNet: VelocityNet, p: FlowParams, onStep?: (done: number, total: number) => void): FlowVsDdim {
  const { flow, ddim } = flowPoints(c, flowNet, p, onStep);
  return { flow, ddim, ...flowQuality(c, flow, ddim) };
}

/** flowFigure's energy distances to the held-out points (lib's energyDistance, the energy of quality()). */
export function flowQuality(c: SpiralContext, flow: Float32Array, ddim: Float32Array): { flowEnergy: number; ddimEnergy: number } {
  return { flowEnergy: energyDistance(flow, c.test, 2), ddimEnergy: energyDistance(ddim, c.test, 2) };
}

/** flowFigure's two sets of samples. */
export function flowPoints(c: SpiralContext, flowNet: VelocityNet, p: FlowParams, onStep?: (done: number, total: number) => void): { flow: Float32Array; ddim: Float32Array } {
  check('steps', p.steps, 1, c.schedule.T, true);
  check('n', p.n, 1, 100_000, true);
  const [flow, ddim] = tf.tidy(() => {
    const x1 = randn(p.seed, [p.n, 2]) as tf.Tensor2D;
    let done = 0;
    const tick = () => onStep?.(++done, 2 * p.steps);
    const f = flowSample(flowNet.velocity, x1, { steps: p.steps, onStep: tick });
    const d = sample(c.net.eps, x1, c.schedule, { steps: timesteps(c.schedule, p.steps), eta: 0, seed: p.seed + 1, onStep: tick });
    return [f.dataSync() as Float32Array, d.dataSync() as Float32Array];
  });
  return { flow, ddim };
}

/** data/guidance-spiral.json's parts a page needs (the site ships only these). */
export interface GuidanceJson {
  format: string;
  recipe: { classes: number; seed: number };
  denoiser: Parameters<typeof loadDenoiser>[0];
}

export interface GuidanceContext {
  model: ConditionalDenoiser;
  classes: number;
  held: { points: Float32Array; labels: Int32Array };
  schedule: Schedule;
}

/** The model and held-out labelled spiral, as lib/guidance/spiral.ts's loadSpiralGuidance() makes them (a test checks they agree). */
export function guidanceContext(json: GuidanceJson): GuidanceContext {
  if (json.format !== 'course-guidance-spiral/1') throw new Error(`guidance weights: format ${json.format}, expected course-guidance-spiral/1`);
  const { classes, seed } = json.recipe;
  return { model: loadDenoiser(json.denoiser), classes, held: spiralClasses(2_000, classes, seed + 2), schedule: linearSchedule(1000) };
}

export interface GuidanceParams {
  /** The class: the prompt, or with negative, what not to generate. */
  cls: number;
  w: number;
  negative: boolean;
  n: number;
  seed: number;
  steps: number;
}

/** Chapter 5: DDIM (η = 0) on guide()'s ε: class cls at scale w, or cls as the negative prompt; each sample's nearest held-out class. */
export function guidanceFigure(g: GuidanceContext, p: GuidanceParams, onStep?: (done: number, total: number) => void): { points: Float32Array; labels: Int32Array; share: number } {
  check('cls', p.cls, 0, g.classes - 1, true);
  check('w', p.w, 0, 20, false);
  check('steps', p.steps, 1, g.schedule.T, true);
  check('n', p.n, 1, 100_000, true);
  // As lib/guidance's guidedSamples(): x_T from seed, then sample() over guide()'s model.
  const x = tf.tidy(() => {
    const xT = randn(p.seed, [p.n, g.model.dataDim]) as tf.Tensor2D;
    const eps = guide(g.model, p.negative ? { negative: p.cls, w: p.w } : { prompt: p.cls, w: p.w });
    let done = 0;
    return sample(eps, xT, g.schedule, { steps: timesteps(g.schedule, p.steps), eta: 0, seed: p.seed, onStep: () => onStep?.(++done, p.steps) });
  });
  const points = x.dataSync() as Float32Array;
  x.dispose();
  const labels = nearestLabel(points, g.held.points, g.held.labels);
  return { points, labels, share: share(labels, p.cls) };
}

export interface ClipContext {
  clip: Clip;
  /** The digits searched: [n, 784] in [0, 1]. */
  images: tf.Tensor2D;
  labels: Int32Array;
}

/** Chapter 1's CLIP and the digits to search (images flat n × 784, as lib/data/mnist's Digits). */
export function clipContext(saved: SavedClip, images: Float32Array, labels: Int32Array): ClipContext {
  if (images.length !== labels.length * 784) throw new Error(`clip figure: ${images.length} pixel values for ${labels.length} digits (need 784 each)`);
  return { clip: clipFromSaved(saved, 'clip.json'), images: tf.tensor2d(images, [labels.length, 784]), labels };
}

export type ClipResult = { unknown: string[]; vocab: string[] } | { unknown: []; hits: { index: number; score: number; label: number }[] };

/** Chapter 1: the k digits whose embeddings best match the caption's (lib/clip's searchImages), or the words CLIP does not know. */
export function clipFigure(c: ClipContext, p: { query: string; k: number }): ClipResult {
  check('k', p.k, 1, c.labels.length, true);
  if (typeof p.query !== 'string') throw new Error(`clip figure: query must be a string, got ${typeof p.query}`);
  const vocab = c.clip.tokenizer.vocab;
  const words = splitWords(p.query);
  const unknown = words.filter((w) => !vocab.includes(w));
  // A reader's typo is an answer, not a crash: the page lists the words CLIP knows.
  if (unknown.length > 0 || words.length === 0) return { unknown: unknown.length ? unknown : [''], vocab };
  return { unknown: [], hits: searchImages(c.clip, c.images, p.query, p.k).map((h) => ({ ...h, label: c.labels[h.index] })) };
}

export interface UnclipContext {
  unclip: Unclip;
  classifier: DigitClassifier | undefined;
}

/** Chapter 6's unCLIP from its saved JSON (the site ships the denoiser, the classifier and CLIP's text encoder). */
export function unclipContext(saved: SavedUnclip): UnclipContext {
  const { unclip, classifier } = unclipFromSaved(saved, 'unclip.json');
  return { unclip, classifier };
}

export interface UnclipParams {
  prompt: string;
  /** What not to draw; '' for no negative prompt. */
  negative: string;
  w: number;
  n: number;
  seed: number;
  steps: number;
}

export type UnclipResult =
  | { unknown: string[]; vocab: string[] }
  | { unknown: []; ignored: string[]; images: Float32Array; labels: Int32Array | null; digit: number | null };

/**
 * Chapter 6: n images (flat n × 196, in [0, 1]) for the prompt (and negative prompt) at guidance
 * scale w, by lib/unclip's generate(); the classifier's reading of each, and which digit the prompt
 * names (if one). CLIP drops words it does not know (listed as ignored); a prompt with none it
 * knows is an answer listing its words, not a crash.
 */
export function unclipFigure(c: UnclipContext, p: UnclipParams, onStep?: (done: number, total: number) => void): UnclipResult {
  check('w', p.w, 0, 20, false);
  check('n', p.n, 1, 256, true);
  check('steps', p.steps, 1, c.unclip.schedule.T, true);
  if (typeof p.prompt !== 'string' || typeof p.negative !== 'string') throw new Error('unclip figure: prompt and negative must be strings');
  const vocab = c.unclip.clip.tokenizer.vocab;
  const known = (text: string) => splitWords(text).filter((w) => vocab.includes(w));
  const unknownIn = (text: string) => splitWords(text).filter((w) => !vocab.includes(w));
  if (known(p.prompt).length === 0) return { unknown: unknownIn(p.prompt).length ? unknownIn(p.prompt) : [''], vocab };
  const negative = known(p.negative).length > 0 ? p.negative : undefined;
  const images = generate(c.unclip, { prompt: p.prompt, negative, w: p.w, n: p.n, seed: p.seed, steps: p.steps, onStep });
  const words = known(p.prompt);
  const named = DIGIT_WORDS.map((d, k) => (words.includes(d) || words.includes(String(k)) ? k : -1)).filter((k) => k >= 0);
  return {
    unknown: [],
    ignored: [...unknownIn(p.prompt), ...unknownIn(p.negative)],
    images,
    labels: c.classifier ? c.classifier.predict(images) : null,
    digit: named.length === 1 ? named[0] : null,
  };
}
