// Chapter 7's "another data set": flow matching on the two moons, the chapter's own training call
// in one place, used by its Try-it cell (when the learner chooses to train) and by
// data/make-flow-moons.ts, which made the shipped weights the cell uses otherwise.
import * as fs from 'fs';
import * as path from 'path';
import { moons } from '../data';
import { TrainState } from '../nn';
import { keep, keepName } from '../notebook';
import { VelocityNet, loadVelocityNet, velocityNet } from './net';
import { trainFlow } from './train';

/** The data (4,000 points of the two moons, seed 7), the network (chapter 3's, seed 1) and the run. */
export const MOONS_RECIPE = { points: 4000, dataSeed: 7, netSeed: 1, fourier: 16, steps: 3000, seed: 2, lr: 1e-3, lrSchedule: 'cosine' as const };

/** What each setting of MOONS_RECIPE is, in words (a new setting does not compile without its words). */
const RECIPE_WORDS: { [K in keyof typeof MOONS_RECIPE]: string } = {
  points: 'training points (the two moons)',
  dataSeed: 'seed of the training points',
  netSeed: 'seed of the network’s initial weights',
  fourier: 'random Fourier features of the input point',
  steps: 'training steps',
  seed: 'seed of the batches (points, t and ε drawn at each step)',
  lr: 'learning rate',
  lrSchedule: 'learning-rate schedule',
};

/** MOONS_RECIPE as [setting in words, value] rows for a table (the schedule named as a learner reads it). */
export function moonsRecipeRows(): [string, string | number][] {
  return (Object.keys(MOONS_RECIPE) as (keyof typeof MOONS_RECIPE)[]).map((k) => {
    const v = MOONS_RECIPE[k];
    return [RECIPE_WORDS[k], k === 'lrSchedule' ? (v === 'cosine' ? 'cosine decay to 0 over the run' : String(v)) : v];
  });
}

/** The training data of the recipe. */
export function moonsData(): Float32Array {
  return moons(MOONS_RECIPE.points, MOONS_RECIPE.dataSeed);
}

/** Train a fresh velocity network on the moons with the recipe (optionally fewer steps), with a progress bar. */
export async function trainFlowMoons(opts: { steps?: number; progress?: boolean } = {}): Promise<{ net: VelocityNet; states: TrainState[] }> {
  const r = MOONS_RECIPE;
  const net = velocityNet({ seed: r.netSeed, fourier: r.fourier });
  let states: TrainState[];
  try {
    states = await trainFlow(net, moonsData(), { steps: opts.steps ?? r.steps, seed: r.seed, lr: r.lr, lrSchedule: r.lrSchedule, progress: opts.progress, label: 'train v̂ (moons)' });
  } catch (e) {
    net.dispose();
    throw e;
  }
  // Rerunning the same call (a notebook cell) frees the network the previous run made.
  return { net: keep(keepName('trainFlowMoons', opts), net), states };
}

/** The shipped weights (data/flow-moons.json, written by data/make-flow-moons.ts with trainFlowMoons()). */
export function loadFlowMoonsNet(): VelocityNet {
  const file = path.join(__dirname, '..', '..', 'data', 'flow-moons.json');
  if (!fs.existsSync(file)) throw new Error(`loadFlowMoonsNet: ${file} is missing; make it with npx tsx data/make-flow-moons.ts`);
  return loadVelocityNet(JSON.parse(fs.readFileSync(file, 'utf8')));
}
