// lib/nn's matrix product alone, one thread, in both builds (kernels.wasm: multiply then add;
// kernels.fma.wasm: relaxed SIMD's fused multiply-add; lib/nn/wasm/fma.ts): GFLOP/s on the
// course's shapes, so a reader sees how close the kernel is to the core's 128-bit SIMD peak
// (4 lanes × 2 FLOP × 2 FMA units = 16 FLOP a cycle), apart from threads and tfjs.
import * as fs from 'fs';
import * as path from 'path';
import type { BenchContext } from '../context';
import { WA, type Kernels, type WasmMemory } from '../../lib/nn/wasm/heap';
import { heap, kernelsBuild } from '../../lib/nn/wasm';
import { normals } from '../../lib/random';

const DIR = path.join(__dirname, '..', '..', 'lib', 'nn', 'wasm');
/** [name, n, k, m]: a sampling task's hidden layer (32 rows), the training step's hidden layer. */
const SHAPES: [string, number, number, number][] = [['sample_32x128x128', 32, 128, 128], ['train_256x128x128', 256, 128, 128]];

function instance(file: string): { k: Kernels; memory: WasmMemory } {
  const memory = new WA.Memory({ initial: 64, maximum: 32768, shared: true });
  const k = new WA.Instance(new WA.Module(fs.readFileSync(path.join(DIR, file))), { env: { memory, abort: () => { throw new Error('abort'); } } }).exports as Kernels;
  return { k, memory };
}

/**
 * The kernels' own peak on the threads lib/nn uses (its pool: this thread and the helper), on the
 * sampling reference's hidden layer at 2,000 points, [2000, 128]·[128, 128] with bias and ReLU, as
 * lib/nn runs it (B packed, rows shared in tasks): the best GFLOP/s of `rounds` rounds.
 */
export async function poolPeak(rounds: number, flopsPerRound: number): Promise<{ gflops: number; threads: number }> {
  const h = heap(), n = 2000, k = 128, m = 128;
  const [a, b, c, bias] = [h.alloc(n * k), h.alloc(k * m), h.alloc(n * m), h.alloc(m)];
  h.f32(a, n * k).set(normals(1, n * k));
  h.f32(b, k * m).set(normals(2, k * m));
  h.f32(bias, m).set(normals(3, m));
  const reps = Math.max(1, Math.round(flopsPerRound / (2 * n * k * m)));
  let best = 0;
  try {
    for (let r = 0; r < rounds; r++) {
      const t0 = performance.now();
      for (let i = 0; i < reps; i++) h.gemm(a, k, 1, b, c, n, k, m, bias, 1);
      best = Math.max(best, (2 * n * k * m * reps) / ((performance.now() - t0) * 1e6));
      await new Promise((r) => setImmediate(r)); // let the helper's start (a worker) go on
    }
  } finally {
    [a, b, c, bias].forEach((p) => h.release(p));
  }
  return { gflops: Math.round(best * 10) / 10, threads: h.pool.size };
}

export async function run(ctx: BenchContext): Promise<Record<string, unknown>> {
  kernelsBuild(); // lets this Node compile the FMA build (turns its relaxed SIMD on)
  const builds = { plain: instance('kernels.wasm'), fma: instance('kernels.fma.wasm') };
  const rounds = ctx.quick ? 2 : 15;
  const flopsPerRound = ctx.quick ? 2e7 : 4e8;
  const out: Record<string, Record<string, number>> = { plain: {}, fma: {} };
  const bar = ctx.progress(rounds * SHAPES.length * 2, { phase: 'gemm' });
  let done = 0;
  for (const [name, n, k, m] of SHAPES) {
    const reps = Math.max(1, Math.round(flopsPerRound / (2 * n * k * m)));
    for (const b of Object.values(builds)) {
      // A at 64, packed B after it, C after that (byte offsets).
      const f32 = new Float32Array(b.memory.buffer);
      const a = 64, bp = a + 4 * n * k, c = bp + 4 * k * m, bias = c + 4 * n * m;
      f32.set(normals(1, n * k), a / 4);
      f32.set(normals(2, k * m), c / 4); // B unpacked, packed into bp below
      b.k.pack(c, m, 1, bp, k, m);
      f32.set(normals(3, m), bias / 4);
    }
    const best: Record<string, number> = { plain: 0, fma: 0 };
    // Rounds alternate between the builds so both see the same machine load; each keeps its best.
    for (let r = 0; r < rounds; r++) {
      for (const [label, b] of Object.entries(builds)) {
        const a = 64, bp = a + 4 * n * k, c = bp + 4 * k * m, bias = c + 4 * n * m;
        const t0 = performance.now();
        for (let i = 0; i < reps; i++) b.k.gemm(a, k, 1, bp, c, n, k, m, bias, 1);
        const gflops = (2 * n * k * m * reps) / ((performance.now() - t0) * 1e6);
        best[label] = Math.max(best[label], gflops);
        await bar.update(++done);
      }
    }
    out.plain[name] = Math.round(best.plain * 10) / 10;
    out.fma[name] = Math.round(best.fma * 10) / 10;
  }
  bar.done();
  const speedup = Object.fromEntries(SHAPES.map(([name]) => [name, Math.round((out.fma[name] / out.plain[name]) * 100) / 100]));
  // Both threads, through lib/nn's pool (the build in use): what sampling's peak_share divides by.
  const pool = await poolPeak(rounds, flopsPerRound);
  return { gflops_plain: out.plain, gflops_fma: out.fma, fma_speedup: speedup, build_in_use: kernelsBuild(), threads: 1, pool_gflops_sample_2000x128x128: pool.gflops, pool_threads: pool.threads };
}
