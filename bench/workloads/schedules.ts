// The schedules workload (chapter 2's comparison): train chapter 3's ε-network with the same
// recipe and seed (lib/diffusion's SPIRAL_RECIPE) once on the linear schedule and once on the
// cosine schedule, sample 2,000 points from each with DDPM (every step) and with DDIM (η = 0,
// 50 steps), and score both against the 2,000 held-out points (energy, precision, recall:
// lib/diffusion's quality). Equal training steps, equal network, equal noise: only the schedule differs.
import * as tf from '@tensorflow/tfjs';
import type { BenchContext } from '../context';
import { randn } from '../../lib/random';
import { Quality, SPIRAL_RECIPE, Schedule, cosineSchedule, quality, sample, spiralSetup, timesteps, trainSpiralLoop } from '../../lib/diffusion';
import type { EpsNet } from '../../lib/diffusion';

const round = (x: number, d = 4) => Math.round(x * 10 ** d) / 10 ** d;
const fields = (q: Quality) => ({ energy: round(q.energy, 5), precision: round(q.precision), recall: round(q.recall) });

export async function run(ctx: BenchContext): Promise<Record<string, unknown>> {
  const setup = spiralSetup(0);
  const steps = ctx.quick ? 200 : SPIRAL_RECIPE.steps;
  const n = ctx.quick ? 300 : 2000;
  const heldOut = setup.test.subarray(0, 2 * n);
  const schedules: [string, Schedule][] = [['linear', setup.schedule], ['cosine', cosineSchedule(setup.schedule.T)]];
  const out: Record<string, unknown> = { train_steps: steps };
  const xT = randn(1, [n, 2]) as tf.Tensor2D;
  try {
    for (const [name, schedule] of schedules) {
      const bar = ctx.progress(steps, { phase: `train (${name})` });
      let net: EpsNet | undefined;
      let seconds = 0;
      for await (const s of trainSpiralLoop({ ...setup, schedule }, { steps, progress: false, every: 100 })) {
        net = s.net;
        seconds = s.seconds;
        await bar.update(s.step, { loss: s.loss });
      }
      bar.done();
      try {
        const score = (x: tf.Tensor2D) => {
          const pts = x.dataSync() as Float32Array;
          x.dispose();
          ctx.sample();
          return fields(quality(pts, heldOut));
        };
        const ddpm = score(sample(net!.eps, xT, schedule, { seed: 2 }));
        const ddim50 = score(sample(net!.eps, xT, schedule, { seed: 2, eta: 0, steps: timesteps(schedule, 50) }));
        out[name] = { train_seconds: round(seconds, 1), ddpm, ddim50 };
        ctx.log(`${name}: ${steps} training steps in ${seconds.toFixed(1)} s; DDPM precision ${ddpm.precision}, recall ${ddpm.recall}; DDIM-50 precision ${ddim50.precision}, recall ${ddim50.recall}`);
      } finally {
        net?.dispose();
      }
    }
  } finally {
    xT.dispose();
  }
  return out;
}
