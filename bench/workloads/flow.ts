// The flow workload (../shared/bench/README.md): train chapter 7's velocity network (lib/flow's
// FLOW_RECIPE: chapter 3's network, data, seed and budget, with the flow-matching target) from
// scratch, then sample 2,000 points with Euler on 5/10/20/50 steps from the same noise the spiral
// workload uses, each scored against the 2,000 held-out points with lib/diffusion's quality.
// Then reflow (lib/flow's REFLOW_RECIPE) from the network just trained: the 2-rectified flow's
// Euler samples at 1, 2 and 5 steps, scored the same way. straightness (chord / length, mean over
// the paths) is measured for both networks in one frame on one grid: flow coordinates, Euler on
// 100 even steps, the same noise.
import * as tf from '@tensorflow/tfjs';
import type { BenchContext } from '../context';
import { randn } from '../../lib/random';
import { pathStats, quality, spiralSetup } from '../../lib/diffusion';
import { FLOW_RECIPE, REFLOW_RECIPE, flowSample, trainFlowSpiralLoop, trainReflowLoop, trajectory } from '../../lib/flow';
import type { VelocityNet } from '../../lib/flow';

const round = (x: number, d = 4) => Math.round(x * 10 ** d) / 10 ** d;

export const EULER_STEPS = [5, 10, 20, 50];
export const REFLOW_EULER_STEPS = [1, 2, 5];
/** Euler steps of the paths whose straightness is measured. */
export const STRAIGHTNESS_STEPS = 100;

type Scores = { steps: number; energy: number; precision: number; recall: number };

/** Euler samples of v at each k, scored against the held-out points. */
function scores(ctx: BenchContext, net: VelocityNet, x1: tf.Tensor2D, heldOut: Float32Array, ks: number[]): { byK: Record<string, Scores>; r: number } {
  const byK: Record<string, Scores> = {};
  let r = 0;
  for (const k of ks) {
    const x = flowSample(net.velocity, x1, { steps: k, method: 'euler' });
    const pts = x.dataSync() as Float32Array;
    x.dispose();
    const q = quality(pts, heldOut);
    ctx.sample();
    r = q.r;
    byK[k] = { steps: k, energy: round(q.energy, 5), precision: round(q.precision), recall: round(q.recall) };
  }
  return { byK, r };
}

/** Mean chord / length of the Euler paths from x1 (flow coordinates, STRAIGHTNESS_STEPS even steps). */
function straightness(net: VelocityNet, x1: tf.Tensor2D): number {
  const tr = trajectory();
  flowSample(net.velocity, x1, { steps: STRAIGHTNESS_STEPS, record: tr }).dispose();
  return round(pathStats(tr).straightness);
}

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
  let reflowNet: VelocityNet | undefined;
  try {
    const { byK: euler, r } = scores(ctx, net!, x1, heldOut, EULER_STEPS);
    ctx.log(`flow: ${steps} training steps in ${last.seconds.toFixed(1)} s (final loss ${last.loss.toFixed(4)})`);
    const reflowSteps = ctx.quick ? 300 : REFLOW_RECIPE.steps;
    const reflowOpts = ctx.quick ? { steps: reflowSteps, pairs: 2000 } : {};
    const rbar = ctx.progress(reflowSteps, { phase: 'reflow' });
    let rlast = { step: 0, seconds: 0, stepsPerS: 0, loss: NaN };
    const t0 = performance.now();
    for await (const s of trainReflowLoop(net!, { ...reflowOpts, progress: false, every: 100 })) {
      reflowNet = s.net;
      rlast = s;
      await rbar.update(s.step, { loss: s.loss });
    }
    rbar.done();
    // The pairs (the teacher's ODE end points) are part of reflow's cost.
    const reflowSeconds = (performance.now() - t0) / 1000;
    const reflowQ = scores(ctx, reflowNet!, x1, heldOut, REFLOW_EULER_STEPS);
    ctx.log(`flow: reflow ${reflowSteps} training steps in ${rlast.seconds.toFixed(1)} s (${reflowSeconds.toFixed(1)} s with the pairs; final loss ${rlast.loss.toFixed(4)})`);
    return {
      train_seconds: round(last.seconds, 1),
      train_steps: steps,
      recipe_steps_per_s: round(last.stepsPerS, 1),
      euler,
      r: round(r, 5),
      straightness: straightness(net!, x1),
      reflow: { train_seconds: round(reflowSeconds, 1), train_steps: reflowSteps, straightness: straightness(reflowNet!, x1), euler: reflowQ.byK },
    };
  } finally {
    x1.dispose();
    net?.dispose();
    reflowNet?.dispose();
  }
}
