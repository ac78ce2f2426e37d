// Reflow (Liu et al. 2023, rectified flow): the one step that straightens a flow's paths.
// A trained flow model (the "1-rectified" flow) carries each noise sample z to one point x̂0 by
// its ODE. Those (x̂0, z) pairs are a coupling of data and noise whose straight lines hardly
// cross; training a fresh flow on x_t = (1 − t)·x̂0 + t·z with target v = z − x̂0 (the same loss,
// the partner fixed instead of drawn) gives the "2-rectified" flow, whose paths are nearly those
// straight lines, so that a few Euler steps, even one, land where the ODE does.
import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { TrainState } from '../nn';
import { normals } from '../random';
import { keep, keepName } from '../notebook';
import { VelocityNet, loadVelocityNet, saveVelocityNet } from './net';
import { flowSample } from './flowSample';
import { trainFlowLoop } from './train';

/**
 * The reflow run chapter 7 ships: 20,000 noise samples (seed 11) carried by 100 Euler steps of
 * the 1-rectified network, then the same network size trained on those pairs, starting from the
 * 1-rectified weights (as Liu et al. do), Adam with cosine learning rate, 5,000 steps (from the
 * teacher's weights the straightness and the one-step quality level off well before that).
 */
export const REFLOW_RECIPE = { pairs: 20_000, pairSteps: 100, pairSeed: 11, steps: 5_000, lr: 1e-3, batch: 256, seed: 12 };

export type ReflowOptions = Partial<typeof REFLOW_RECIPE> & { progress?: boolean; every?: number };

export interface ReflowPairs {
  /** The noise samples z [n·d], row by row. */
  noise: Float32Array;
  /** Where the teacher's ODE (Euler, `pairSteps` steps) carries each z [n·d]. */
  x0: Float32Array;
}

/** The coupling reflow trains on: n noise samples and the teacher's end points for them. */
export function reflowPairs(teacher: VelocityNet, opts: { pairs?: number; pairSteps?: number; pairSeed?: number } = {}): ReflowPairs {
  const n = opts.pairs ?? REFLOW_RECIPE.pairs;
  const k = opts.pairSteps ?? REFLOW_RECIPE.pairSteps;
  const seed = opts.pairSeed ?? REFLOW_RECIPE.pairSeed;
  if (!(Number.isInteger(n) && n >= 1)) throw new Error(`reflowPairs: pairs must be a positive integer, got ${n}`);
  const d = teacher.options.dim;
  const noise = normals(seed, n * d);
  const z = tf.tensor2d(noise, [n, d]);
  try {
    const x = flowSample(teacher.velocity, z, { steps: k });
    const x0 = x.dataSync() as Float32Array;
    x.dispose();
    return { noise, x0: Float32Array.from(x0) };
  } finally {
    z.dispose();
  }
}

/** A copy of a network (same options, same weights): reflow's starting point. */
export function copyVelocityNet(net: VelocityNet): VelocityNet {
  return loadVelocityNet(saveVelocityNet(net));
}

/**
 * Train the 2-rectified flow from a teacher (left untouched): the pairs, then the training
 * states as they come, each with the new network.
 */
export async function* trainReflowLoop(teacher: VelocityNet, opts: ReflowOptions = {}, pairs?: ReflowPairs): AsyncGenerator<TrainState & { net: VelocityNet }> {
  const o = { ...REFLOW_RECIPE, ...opts };
  const p = pairs ?? reflowPairs(teacher, o);
  const net = copyVelocityNet(teacher);
  try {
    for await (const s of trainFlowLoop(net, p.x0, { noise: p.noise, steps: o.steps, lr: o.lr, batch: o.batch, seed: o.seed, lrSchedule: 'cosine', progress: opts.progress, every: opts.every, label: 'reflow v̂ (spiral)' })) {
      yield { ...s, net };
    }
  } catch (e) {
    net.dispose();
    throw e;
  }
}

/** Train to the end; returns the 2-rectified network and its loss curve. */
export async function trainReflow(teacher: VelocityNet, opts: ReflowOptions = {}): Promise<{ net: VelocityNet; states: TrainState[] }> {
  const states: TrainState[] = [];
  let net: VelocityNet | undefined;
  for await (const s of trainReflowLoop(teacher, opts)) {
    net = s.net;
    states.push({ step: s.step, loss: s.loss, stepsPerS: s.stepsPerS, seconds: s.seconds });
  }
  // Rerunning the same call (a notebook cell) frees the network the previous run made.
  return { net: keep(keepName('trainReflow', opts), net!), states };
}

/** The shipped 2-rectified weights (data/flow-reflow.json, written by data/make-flow-reflow.ts). */
export function loadReflowSpiralNet(): VelocityNet {
  const file = path.join(__dirname, '..', '..', 'data', 'flow-reflow.json');
  if (!fs.existsSync(file)) throw new Error(`loadReflowSpiralNet: ${file} is missing; make it with npx tsx data/make-flow-reflow.ts`);
  return loadVelocityNet(JSON.parse(fs.readFileSync(file, 'utf8')));
}
