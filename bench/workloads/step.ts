// The reference step (../shared/bench/README.md): spiral DDPM training step, timed after a
// warm-up, whole steps including batch preparation. With /usr/bin/python3 + torch available,
// torch_spiral.py runs in the same bench run for a side-by-side ratio.
import * as tf from '@tensorflow/tfjs';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import type { BenchContext } from '../context';
import { spiral } from '../../lib/data';
import { rng } from '../../lib/random';
import { mlp, trainLoop } from '../../lib/nn';
import { heap, useKernels } from '../../lib/nn/wasm';
import { timeTable } from '../../lib/diffusion/timeEmbedding';
import { linearSchedule } from '../../lib/diffusion/schedule';
import { forwardSample } from '../../lib/diffusion/exercises';
import { contended } from '../contend';

const N = 10_000, B = 256, H = 128, E = 32, T = 1000;
const SIZES = [2 + E, H, H, H, 2];
/**
 * FLOPs of one step from the layer sizes: forward, dW and dx each 2·B·in·out per layer
 * (a multiply and an add per weight per row), so 3 × 2·B·Σ in·out, less the first layer's dx
 * where it is not computed (lib/nn's kernels skip it: the input is data, apply's
 * inputGrad: false). Adam and the rest are left out (a few per weight, not per weight and row).
 */
export function stepFlops(firstDx: boolean): number {
  return 3 * 2 * B * SIZES.slice(1).reduce((s, out, i) => s + SIZES[i] * out, 0) - (firstDx ? 0 : 2 * B * SIZES[0] * SIZES[1]);
}

/** Everything the reference step needs, precomputed once: data, the schedule, the time-embedding table. */
export function referenceBatcher(seed: number) {
  const data = spiral(N, seed);
  const { alphaBar } = linearSchedule(T, 1e-4, 0.02); // lib's β and ᾱ (one definition)
  const emb = timeTable(T, E); // sinusoidal embedding of every t
  const g = rng(seed + 1);
  const inp = new Float32Array(B * (2 + E));
  const x0 = new Float32Array(B * 2);
  const eps = new Float32Array(B * 2);
  const ab = new Float32Array(B);
  /** One batch: network input [B, 2+E] = [x_t, emb(t)] and target noise [B, 2]. */
  return () => {
    for (let i = 0; i < B; i++) {
      const j = g.int(N), t = g.int(T);
      x0[2 * i] = data[2 * j];
      x0[2 * i + 1] = data[2 * j + 1];
      eps[2 * i] = g.normal();
      eps[2 * i + 1] = g.normal();
      ab[i] = alphaBar[t];
      inp.set(emb.subarray(t * E, t * E + E), i * (2 + E) + 2);
    }
    // x_t = √ᾱ·x0 + √(1 − ᾱ)·ε through the one definition, the chapter-2 exercise's forwardSample.
    const xt = tf.tidy(() => forwardSample(tf.tensor2d(x0, [B, 2]), tf.tensor2d(eps, [B, 2]), tf.tensor2d(ab, [B, 1])));
    const v = xt.dataSync();
    xt.dispose();
    for (let i = 0; i < B; i++) {
      inp[i * (2 + E)] = v[2 * i];
      inp[i * (2 + E) + 1] = v[2 * i + 1];
    }
    return { inp, eps };
  };
}

/** Train the reference model for warmup + steps steps; steps/s over the timed part. */
export async function timeSteps(
  ctx: BenchContext,
  warmup: number,
  steps: number,
  round: string,
): Promise<{ stepsPerS: number; cpuMsPerStep: number; loss: number; computeShare?: number }> {
  const model = mlp(SIZES, 0, 'step');
  // Time the threads spend in the kernels' tasks (lib/nn/wasm/pool): where lib/nn uses them.
  const pool = useKernels() ? heap().pool : undefined;
  let busy0 = pool?.busy, busy1 = busy0;
  const batch = referenceBatcher(0);
  const bar = ctx.progress(warmup + steps, { phase: round });
  let tWarm = NaN, stepWarm = 0;
  let cpu0 = process.cpuUsage();
  let last = { step: 0, seconds: 0, loss: NaN };
  let cpu = { user: 0, system: 0 };
  try {
    const loss = () => {
      const { inp, eps } = batch();
      const pred = model.apply(tf.tensor2d(inp, [B, 2 + E]), { inputGrad: false }); // x is data: no dx for layer 1
      return tf.mean(tf.squaredDifference(pred, tf.tensor2d(eps, [B, 2]))) as tf.Scalar;
    };
    for await (const s of trainLoop(model.params, loss, { steps: warmup + steps, lr: 1e-3, every: warmup, progress: false })) {
      if (s.step === warmup) (tWarm = s.seconds), (stepWarm = s.step), (cpu0 = process.cpuUsage()), (busy0 = pool?.busy);
      last = s;
      busy1 = pool?.busy;
      await bar.update(s.step, { loss: s.loss });
    }
    cpu = process.cpuUsage(cpu0);
    bar.done({ loss: last.loss });
  } finally {
    model.dispose();
  }
  const n = last.step - stepWarm;
  const wallMs = 1000 * (last.seconds - tWarm);
  // Share of the two cores' time spent computing: (this thread's + the helper's task time) / (2 × wall).
  const computeShare = busy0 && busy1 ? (busy1.main - busy0.main + busy1.helper - busy0.helper) / (2 * wallMs) : undefined;
  // CPU time of this process per step: on a busy machine it moves far less than wall time.
  return { stepsPerS: (1000 * n) / wallMs, cpuMsPerStep: (cpu.user + cpu.system) / 1000 / n, loss: last.loss, computeShare };
}

/** One timing round of the course's step (bench/one-thread.ts runs it on one thread): steps/s. */
export async function timeOurs(ctx: BenchContext, round: string): Promise<number> {
  return (await timeSteps(ctx, ctx.quick ? 10 : 50, ctx.quick ? 40 : 1000, round)).stepsPerS;
}

/** The PyTorch side: COURSE_TORCH_BENCH / COURSE_TORCH_PYTHON override where it is. */
export const torchScript = () => process.env.COURSE_TORCH_BENCH ?? path.resolve(__dirname, '../../../shared/bench/torch_spiral.py');
export const torchPython = () => process.env.COURSE_TORCH_PYTHON ?? '/usr/bin/python3';

/** torch_spiral.py's steps/s, or why it could not run. */
export function torchSteps(steps: number, warmup: number): { stepsPerS: number } | { skipped: string } {
  const TORCH_SCRIPT = torchScript(), TORCH_PYTHON = torchPython();
  if (!fs.existsSync(TORCH_SCRIPT)) return { skipped: `${TORCH_SCRIPT} not found` };
  const r = spawnSync(TORCH_PYTHON, [TORCH_SCRIPT, '--steps', String(steps), '--warmup', String(warmup), '--threads', '1'], { encoding: 'utf8' });
  if (r.error) return { skipped: `${TORCH_PYTHON}: ${r.error.message}` };
  if (r.status !== 0 && /No module named .?torch/.test(r.stderr)) return { skipped: `${TORCH_PYTHON} cannot import torch` };
  if (r.status !== 0) throw new Error(`torch_spiral.py failed (${r.status}): ${r.stderr.slice(-500)}`);
  const line = r.stdout.trim().split('\n').pop()!;
  const out = JSON.parse(line);
  if (typeof out.steps_per_s !== 'number') throw new Error(`torch_spiral.py printed no steps_per_s: ${line}`);
  return { stepsPerS: out.steps_per_s };
}

export async function run(ctx: BenchContext): Promise<Record<string, unknown>> {
  const aside0 = useKernels() ? heap().pool.asideMs : 0;
  const warmup = ctx.quick ? 10 : 50;
  const steps = ctx.quick ? 40 : 1000;
  // Alternate course and PyTorch rounds so both see the same machine load; report each one's best round.
  const rounds = ctx.quick ? 1 : 3;
  const ours: number[] = [];
  const cpuMs: number[] = [];
  const shares: number[] = [];
  const theirs: number[] = [];
  let skipped: string | undefined;
  let loss = NaN;
  for (let r = 0; r < rounds; r++) {
    const res = await timeSteps(ctx, warmup, steps, rounds > 1 ? `round ${r + 1}` : 'train');
    ours.push(res.stepsPerS);
    cpuMs.push(res.cpuMsPerStep);
    if (res.computeShare !== undefined) shares.push(res.computeShare);
    loss = res.loss;
    if (skipped === undefined) {
      const t = torchSteps(steps, warmup);
      if ('skipped' in t) skipped = t.skipped;
      else theirs.push(t.stepsPerS);
    }
  }
  const best = Math.max(...ours);
  const out: Record<string, unknown> = {
    train_steps_per_s: round1(best),
    train_steps: steps,
    train_cpu_ms_per_step: round1(Math.min(...cpuMs), 3),
    loss: round1(loss, 4),
    // Achieved arithmetic rate of the best round (FLOPs counted from the layer sizes).
    gflops: round1((best * stepFlops(!useKernels())) / 1e9, 2),
    flops_per_step: stepFlops(!useKernels()),
    threads: useKernels() ? heap().pool.size : 1,
  };
  // In the best round: share of the two cores' time spent in the kernels' tasks.
  if (shares.length) out.compute_share = round1(shares[ours.indexOf(best)], 3);
  if (rounds > 1) out.rounds_steps_per_s = ours.map((x) => round1(x));
  if (theirs.length) {
    const tb = Math.max(...theirs);
    out.torch_steps_per_s = round1(tb);
    out.ratio_to_torch = round1(best / tb, 3);
    if (rounds > 1) out.torch_rounds_steps_per_s = theirs.map((x) => round1(x));
  } else ctx.log(`no PyTorch side-by-side: ${skipped}`);
  // How long the pool ran without its helper because it fell behind (lib/nn/wasm/queue.ts), over these rounds.
  if (useKernels()) out.helper_aside_ms = Math.round(heap().pool.asideMs - aside0);
  if (ctx.contend) {
    out.contended = await contended(ctx.contend, 'step', ctx.quick, rounds, 'steps_per_s', (r) => timeOurs(ctx, r), () => {
      const t = skipped === undefined ? torchSteps(steps, warmup) : undefined;
      return t && 'stepsPerS' in t ? t.stepsPerS : undefined;
    }, () => (useKernels() ? heap().pool.asideMs : 0));
  }
  return out;
}

function round1(x: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
