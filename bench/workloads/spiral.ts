// The spiral workload (../shared/bench/README.md): train the chapter's ε-network (the reference MLP
// plus Fourier features of x, lib/diffusion's SPIRAL_RECIPE) from scratch with a fixed seed, then
// sample 2,000 points with DDPM (1000 steps), DDPM without noise, and DDIM (η = 0) on 5/10/20/50/100
// steps (5 and 10 to compare with the flow workload at equal steps), each scored against the
// 2,000 held-out points. train_steps_per_s is, as the contract says,
// the reference step (torch_spiral.py's workload; side by side with PyTorch when it is installed);
// recipe_steps_per_s is the chapter's own training.
import * as tf from '@tensorflow/tfjs';
import type { BenchContext } from '../context';
import { randn } from '../../lib/random';
import { Quality, SPIRAL_RECIPE, quality, sample, spiralSetup, timesteps, trainSpiralLoop } from '../../lib/diffusion';
import type { EpsNet } from '../../lib/diffusion';
import { run as runStep } from './step';

const round = (x: number, d = 4) => Math.round(x * 10 ** d) / 10 ** d;
const pick = (o: Record<string, unknown>, keys: string[]) => Object.fromEntries(keys.filter((k) => k in o).map((k) => [k, o[k]]));

export async function run(ctx: BenchContext): Promise<Record<string, unknown>> {
  const quick = ctx.quick;
  const setup = spiralSetup(0);
  const steps = quick ? 300 : SPIRAL_RECIPE.steps;
  const n = quick ? 500 : 2000;
  const heldOut = setup.test.subarray(0, 2 * n);
  const bar = ctx.progress(steps, { phase: 'train' });
  let net: EpsNet | undefined;
  let last = { step: 0, seconds: 0, stepsPerS: 0 };
  for await (const s of trainSpiralLoop(setup, { steps, progress: false, every: 100 })) {
    net = s.net;
    last = s;
    await bar.update(s.step, { loss: s.loss });
  }
  bar.done();
  const xT = randn(1, [n, 2]) as tf.Tensor2D;
  const score = (f: () => tf.Tensor2D, stepsUsed: number): Quality & { steps: number; seconds: number } => {
    const t0 = performance.now();
    const x = f();
    const pts = x.dataSync() as Float32Array;
    const seconds = (performance.now() - t0) / 1000;
    x.dispose();
    const q = quality(pts, heldOut);
    ctx.sample();
    return { steps: stepsUsed, energy: q.energy, precision: q.precision, recall: q.recall, r: q.r, seconds };
  };
  const fields = (q: Quality & { steps: number }) => ({ steps: q.steps, energy: round(q.energy, 5), precision: round(q.precision), recall: round(q.recall) });
  try {
    const eps = net!.eps;
    const T = setup.schedule.T;
    const ddpm = score(() => sample(eps, xT, setup.schedule, { seed: 2 }), T);
    const noNoise = score(() => sample(eps, xT, setup.schedule, { seed: 2, noise: false }), T);
    const ddim: Record<string, ReturnType<typeof fields>> = {};
    for (const k of [5, 10, 20, 50, 100]) ddim[k] = fields(score(() => sample(eps, xT, setup.schedule, { seed: 2, eta: 0, steps: timesteps(setup.schedule, k) }), k));
    ctx.log(`spiral: ${steps} training steps in ${last.seconds.toFixed(1)} s; DDPM sampled ${n} points × ${T} steps in ${ddpm.seconds.toFixed(1)} s`);
    const reference = await runStep(ctx);
    return {
      train_steps_per_s: reference.train_steps_per_s,
      ...pick(reference, ['torch_steps_per_s', 'ratio_to_torch']),
      recipe_steps_per_s: round(last.stepsPerS, 1),
      train_seconds: round(last.seconds, 1),
      train_steps: steps,
      ddpm: fields(ddpm),
      ddpm_no_noise: fields(noNoise),
      ddim,
      sample_per_s: round(n / ddpm.seconds, 1),
      r: round(ddpm.r, 5),
    };
  } finally {
    xT.dispose();
    net?.dispose();
  }
}
