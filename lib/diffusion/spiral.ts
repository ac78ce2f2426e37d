// The course's spiral model in one place: the data (bench contract: 10,000 training points,
// 2,000 held out, coordinates /10), the linear schedule, the reference network, and the recipe
// that trains it. Chapters 3 and 4, data/make-spiral-eps.ts and the bench all use these.
import * as fs from 'fs';
import * as path from 'path';
import { spiral } from '../data/spiral';
import { trainHeldOut } from '../data/heldOut';
import { TrainState, runToEnd } from '../nn';
import { EpsNet, epsNet, loadEpsNet, saveEpsNet } from './net';
import { Schedule, linearSchedule } from './schedule';
import { trainEpsLoop } from './train';
import { keep, keepName } from '../notebook';

export interface SpiralSetup {
  schedule: Schedule;
  train: Float32Array;
  test: Float32Array;
}

export function spiralSetup(seed = 0, nTrain = 10_000, nHeldOut = 2_000): SpiralSetup {
  const { train, test } = trainHeldOut(spiral(nTrain + nHeldOut, seed), nHeldOut, seed + 1);
  return { schedule: linearSchedule(1000, 1e-4, 0.02), train, test };
}

/**
 * The recipe: the reference MLP (3 × 128, 32-wide time embedding) fed x plus 16 random Fourier
 * features of x, Adam lr 1e-3 with cosine decay, batch 256, 7,500 steps. Without the Fourier
 * features the samples stay blurred across the spiral even after twice the steps; with them the
 * samples land on the arms (`npm run bench -- spiral` prints precision and recall for DDPM and DDIM).
 */
export const SPIRAL_RECIPE = { steps: 7_500, lr: 1e-3, batch: 256, seed: 1, fourier: 16 };

export type RecipeOptions = Partial<typeof SPIRAL_RECIPE> & { progress?: boolean; every?: number };

/** The recipe as training-loop options (Adam, cosine learning rate, batch, steps; the batches' seed follows the network's). */
export function recipeLoopOptions(opts: RecipeOptions, label: string) {
  const o = { ...SPIRAL_RECIPE, ...opts };
  return { steps: o.steps, lr: o.lr, batch: o.batch, seed: o.seed + 1, lrSchedule: 'cosine' as const, progress: opts.progress, every: opts.every, label };
}

/** Train the reference network on the spiral; yields the training states as it goes. */
export async function* trainSpiralLoop(setup: SpiralSetup, opts: RecipeOptions = {}): AsyncGenerator<TrainState & { net: EpsNet }> {
  const o = { ...SPIRAL_RECIPE, ...opts };
  const net = epsNet({ T: setup.schedule.T, seed: o.seed, fourier: o.fourier });
  for await (const s of trainEpsLoop(net, setup.train, setup.schedule, recipeLoopOptions(opts, 'train ε̂ (spiral)'))) yield { ...s, net };
}

/** Train to the end; returns the network and the loss curve. */
export async function trainSpiral(setup: SpiralSetup, opts: Parameters<typeof trainSpiralLoop>[1] = {}): Promise<{ net: EpsNet; states: TrainState[] }> {
  const { net, states } = await runToEnd(trainSpiralLoop(setup, opts));
  // Rerunning the same call (a notebook cell) frees the network the previous run made.
  return { net: keep(keepName('trainSpiral', opts), net), states };
}

/** The shipped weights (data/spiral-eps.json, written by data/make-spiral-eps.ts). */
export function loadSpiralNet(): EpsNet {
  const file = path.join(__dirname, '..', '..', 'data', 'spiral-eps.json');
  if (!fs.existsSync(file)) throw new Error(`loadSpiralNet: ${file} is missing; make it with npx tsx data/make-spiral-eps.ts`);
  return loadEpsNet(JSON.parse(fs.readFileSync(file, 'utf8')));
}

export { saveEpsNet };

/**
 * Where chapter 3 keeps a network it trained with the full recipe, for itself and chapter 4:
 * .trained/ in the folder the notebook runs in, i.e. the learner's own workspace (work/ with
 * `npm start`, ~/course on a hub), never the course's files, which may be read-only and shared.
 * COURSE_TRAINED_DIR names another folder.
 */
export function trainedSpiralFile(): string {
  return path.join(path.resolve(process.env.COURSE_TRAINED_DIR ?? path.join(process.cwd(), '.trained')), 'spiral-eps.json');
}

/** Save a network trained with the full recipe (a shorter run would replace good weights with worse). */
export function saveTrainedSpiralNet(net: EpsNet, states: TrainState[], file = trainedSpiralFile()): string {
  const last = states[states.length - 1];
  if (!last || last.step !== SPIRAL_RECIPE.steps) {
    throw new Error(`saveTrainedSpiralNet: the run has ${last?.step ?? 0} steps, the recipe ${SPIRAL_RECIPE.steps}; only a full run is saved`);
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const made = { by: 'notebooks/03-ddpm.ipynb', steps: last.step, loss: last.loss, seconds: last.seconds, date: new Date().toISOString() };
  fs.writeFileSync(file, JSON.stringify({ ...saveEpsNet(net), made }));
  return file;
}

/**
 * The spiral network the chapters use: chapter 3's own full run if it saved one, else the shipped
 * weights. `source` says which. Kept under one name, so calling it again (rerunning the cell)
 * frees the previous copy.
 */
export function spiralNet(file = trainedSpiralFile()): { net: EpsNet; source: string } {
  let out: { net: EpsNet; source: string };
  if (fs.existsSync(file)) {
    let saved: { made?: { steps?: number; date?: string } } & Parameters<typeof loadEpsNet>[0];
    try {
      saved = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (e) {
      throw new Error(`spiralNet: ${file} is not valid JSON (${(e as Error).message}); delete it to use the shipped weights`);
    }
    out = { net: loadEpsNet(saved), source: `chapter 3's network (${saved.made?.steps ?? '?'} steps, trained ${saved.made?.date?.slice(0, 16).replace('T', ' ') ?? 'at an unknown time'})` };
  } else {
    out = { net: loadSpiralNet(), source: 'the shipped weights (data/spiral-eps.json)' };
  }
  keep('diffusion.spiralNet', out.net);
  return out;
}
