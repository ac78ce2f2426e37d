// Chapter 7's model: the velocity network trained on chapter 3's spiral (lib/diffusion's
// spiralSetup: same data, same held-out points) with chapter 3's recipe (SPIRAL_RECIPE: network
// size, Fourier features, Adam, cosine learning rate, batch, steps, seed). Only the target differs.
import * as fs from 'fs';
import * as path from 'path';
import { TrainState, runToEnd } from '../nn';
import { keep, keepName } from '../notebook';
import { RecipeOptions, SPIRAL_RECIPE, SpiralSetup, recipeLoopOptions } from '../diffusion/spiral';
import { VelocityNet, loadVelocityNet, velocityNet } from './net';
import { trainFlowLoop } from './train';

export const FLOW_RECIPE = { ...SPIRAL_RECIPE };

/** Train the velocity network on the spiral; yields the training states as it goes. */
export async function* trainFlowSpiralLoop(setup: SpiralSetup, opts: RecipeOptions = {}): AsyncGenerator<TrainState & { net: VelocityNet }> {
  const o = { ...FLOW_RECIPE, ...opts };
  const net = velocityNet({ seed: o.seed, fourier: o.fourier });
  for await (const s of trainFlowLoop(net, setup.train, recipeLoopOptions(opts, 'train v̂ (spiral)'))) yield { ...s, net };
}

/** Train to the end; returns the network and the loss curve. */
export async function trainFlowSpiral(setup: SpiralSetup, opts: Parameters<typeof trainFlowSpiralLoop>[1] = {}): Promise<{ net: VelocityNet; states: TrainState[] }> {
  const { net, states } = await runToEnd(trainFlowSpiralLoop(setup, opts));
  // Rerunning the same call (a notebook cell) frees the network the previous run made.
  return { net: keep(keepName('trainFlowSpiral', opts), net), states };
}

/** The shipped weights (data/flow-spiral.json, written by data/make-flow-spiral.ts). */
export function loadFlowSpiralNet(): VelocityNet {
  const file = path.join(__dirname, '..', '..', 'data', 'flow-spiral.json');
  if (!fs.existsSync(file)) throw new Error(`loadFlowSpiralNet: ${file} is missing; make it with npx tsx data/make-flow-spiral.ts`);
  return loadVelocityNet(JSON.parse(fs.readFileSync(file, 'utf8')));
}
