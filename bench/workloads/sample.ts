// The sampling reference (../shared/bench/README.md): DDPM ancestral sampling of 2,000 spiral
// points from pure noise through all 1,000 reverse steps with the reference MLP
// ([x (2) + time embedding (32)] → 128 → 128 → 128 → 2, untrained, as torch_spiral.py --sample),
// no gradients. The course side is lib/diffusion's sampler, the one the chapters call.
// PyTorch runs in the same bench run, rounds alternating, so both see the same machine load.
import * as tf from '@tensorflow/tfjs';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import type { BenchContext } from '../context';
import { randn } from '../../lib/random';
import { epsNet, linearSchedule, sample } from '../../lib/diffusion';
import { torchPython, torchScript } from './step';
import { poolPeak } from './kernels';
import { contended } from '../contend';
import { heap, useKernels } from '../../lib/nn/wasm';

/**
 * FLOPs per sampled point over the 1,000 steps, as lib/nn computes them: each step runs the MLP
 * on the point with the time embedding folded into the first layer's bias (Mlp.applyShared), so
 * 2·(2·128 + 128·128 + 128·128 + 128·2) per point and step (a multiply and an add per weight).
 */
export const SAMPLE_FLOPS = 1000 * 2 * (2 * 128 + 128 * 128 + 128 * 128 + 128 * 2);

const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;

/** Sample n points through every step once; samples/s. */
export async function timeSampling(ctx: BenchContext, n: number, round: string): Promise<number> {
  const schedule = linearSchedule(1000, 1e-4, 0.02);
  const net = epsNet({ T: schedule.T, seed: 0 });
  const xT = randn(1, [n, 2]) as tf.Tensor2D;
  const bar = ctx.progress(schedule.T, { phase: round, unit: 'steps' });
  let done = 0;
  try {
    const t0 = performance.now();
    const x = sample(net.eps, xT, schedule, {
      seed: 2,
      onStep: () => {
        // The bar is drawn synchronously every 50 steps: sampling never yields to the event loop.
        if (++done % 50 === 0) void bar.update(done);
      },
    });
    const pts = x.dataSync();
    const seconds = (performance.now() - t0) / 1000;
    x.dispose();
    if (!pts.every(Number.isFinite)) throw new Error('sample: the sampled points are not all finite');
    bar.done();
    return n / seconds;
  } finally {
    xT.dispose();
    net.dispose();
  }
}

/** One timing round of the course's sampling (bench/one-thread.ts runs it on one thread): samples/s. */
export async function timeOurs(ctx: BenchContext, round: string): Promise<number> {
  return timeSampling(ctx, ctx.quick ? 200 : 2000, round);
}

/** torch_spiral.py --sample's samples/s, or why it could not run. */
export function torchSampling(n: number, threads = 1): { samplesPerS: number } | { skipped: string } {
  const script = torchScript(), python = torchPython();
  if (!fs.existsSync(script)) return { skipped: `${script} not found` };
  const r = spawnSync(python, [script, '--sample', '--samples', String(n), '--threads', String(threads)], { encoding: 'utf8' });
  if (r.error) return { skipped: `${python}: ${r.error.message}` };
  if (r.status !== 0 && /No module named .?torch/.test(r.stderr)) return { skipped: `${python} cannot import torch` };
  if (r.status !== 0) throw new Error(`torch_spiral.py --sample failed (${r.status}): ${r.stderr.slice(-500)}`);
  const line = r.stdout.trim().split('\n').pop()!;
  const out = JSON.parse(line);
  if (typeof out.samples_per_s !== 'number') throw new Error(`torch_spiral.py --sample printed no samples_per_s: ${line}`);
  return { samplesPerS: out.samples_per_s };
}

export async function run(ctx: BenchContext): Promise<Record<string, unknown>> {
  const aside0 = useKernels() ? heap().pool.asideMs : 0;
  const n = ctx.quick ? 200 : 2000;
  const rounds = ctx.quick ? 1 : 3;
  const ours: number[] = [];
  const theirs: number[] = [];
  let skipped: string | undefined;
  for (let r = 0; r < rounds; r++) {
    ours.push(await timeSampling(ctx, n, rounds > 1 ? `round ${r + 1}` : 'sample'));
    ctx.sample();
    if (skipped === undefined) {
      const t = torchSampling(n);
      if ('skipped' in t) skipped = t.skipped;
      else theirs.push(t.samplesPerS);
    }
  }
  // Each side's best round: the least disturbed by other load on the machine.
  const best = Math.max(...ours);
  const out: Record<string, unknown> = { samples_per_s: round(best), samples: n, reverse_steps: 1000 };
  if (useKernels()) {
    // Achieved GFLOP/s over the kernels' own peak on the same threads, measured now (bench kernels' pool figure).
    const peak = await poolPeak(ctx.quick ? 2 : 10, ctx.quick ? 2e7 : 4e8);
    out.gflops = round((best * SAMPLE_FLOPS) / 1e9, 2);
    out.peak_gflops = peak.gflops;
    out.peak_share = round((best * SAMPLE_FLOPS) / 1e9 / peak.gflops, 3);
    out.threads = peak.threads;
    // How long the pool ran without its helper because it fell behind (lib/nn/wasm/queue.ts), over these rounds.
    out.helper_aside_ms = Math.round(heap().pool.asideMs - aside0);
  }
  if (rounds > 1) out.rounds_samples_per_s = ours.map((x) => round(x));
  if (theirs.length) {
    const tb = Math.max(...theirs);
    out.torch_samples_per_s = round(tb);
    out.ratio_to_torch = round(best / tb, 3);
    if (rounds > 1) out.torch_rounds_samples_per_s = theirs.map((x) => round(x));
  } else ctx.log(`no PyTorch side-by-side: ${skipped}`);
  if (ctx.contend) {
    out.contended = await contended(ctx.contend, 'sample', ctx.quick, rounds, 'samples_per_s', (r) => timeOurs(ctx, r), () => {
      const t = skipped === undefined ? torchSampling(n) : undefined;
      return t && 'samplesPerS' in t ? t.samplesPerS : undefined;
    }, () => (useKernels() ? heap().pool.asideMs : 0));
  }
  return out;
}
