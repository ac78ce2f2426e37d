// The flow workload (../shared/bench/README.md): train chapter 7's velocity network (lib/flow's
// FLOW_RECIPE: chapter 3's network, data, seed and budget, with the flow-matching target) from
// scratch, then sample 2,000 points with Euler on 5/10/20/50 steps from the same noise the spiral
// workload uses, each scored against the 2,000 held-out points with lib/diffusion's quality.
import * as tf from '@tensorflow/tfjs';
import type { BenchContext } from '../context';
import { randn } from '../../lib/random';
import { quality, spiralSetup } from '../../lib/diffusion';
import { FLOW_RECIPE, flowSample, trainFlowSpiralLoop } from '../../lib/flow';
import type { VelocityNet } from '../../lib/flow';

const round = (x: number, d = 4) => Math.round(x * 10 ** d) / 10 ** d;

export const EULER_STEPS = [5, 10, 20, 50];

export async function run(ctx: BenchContext): Promise<Record<string, unknown>> {
  const setup = spiralSetup(0);
  const steps = ctx.quick ? 300 : FLOW_RECIPE.steps;
  const n = ctx.quick ? 500 : 2000;
  const heldOut = setup.test.subarray(0, 2 * n);
  const bar = ctx.progress(steps, { phase: 'train' });
  let net: VelocityNet | undefined;
  let last = { step: 0, seconds: 0, stepsPerS: 0, loss: NaN };
  for await (const s of trainFlowSpiralLoop(setup, { steps, progress: false, every: 100 })) {
    net = s.net;
    last = s;
    await bar.update(s.step, { loss: s.loss });
  }
  bar.done();
  const x1 = randn(1, [n, 2]) as tf.Tensor2D;
  try {
    const euler: Record<string, { steps: number; energy: number; precision: number; recall: number }> = {};
    let r = 0;
    for (const k of EULER_STEPS) {
      const x = flowSample(net!.velocity, x1, { steps: k, method: 'euler' });
      const pts = x.dataSync() as Float32Array;
      x.dispose();
      const q = quality(pts, heldOut);
      ctx.sample();
      r = q.r;
      euler[k] = { steps: k, energy: round(q.energy, 5), precision: round(q.precision), recall: round(q.recall) };
    }
    ctx.log(`flow: ${steps} training steps in ${last.seconds.toFixed(1)} s (final loss ${last.loss.toFixed(4)})`);
    return { train_seconds: round(last.seconds, 1), train_steps: steps, recipe_steps_per_s: round(last.stepsPerS, 1), euler, r: round(r, 5) };
  } finally {
    x1.dispose();
    net?.dispose();
  }
}
