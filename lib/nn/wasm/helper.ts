// A helper thread for large matrix products: the second core. Both threads take chunks
// of C's rows from one shared counter until none are left (work stealing), so if the
// helper is slow to wake or busy, this thread simply does more chunks itself; it never
// waits for more than the chunk the helper is in. Rows of C are independent, so the
// result is bit-identical to the one-thread product.
//
// COURSE_THREADS=1 keeps everything on one thread. Where threads are not allowed (e.g. the
// grader's sandbox) the helper is not started and products run on one thread.
import * as os from 'os';
import type { Kernels, WasmMemory } from './heap';

// ctl (Int32Array on a SharedArrayBuffer):
const SEQ = 0; // job number ×2; odd while a job is being written
const NEXT = 1; // next chunk to take (counts across jobs)
const DONE = 2; // chunks finished (counts across jobs)
const BASE = 3; // first chunk of the current job
const END = 4; // one past its last chunk
const ROWS = 5; // rows per chunk
const FAILED = 6; // set by the helper if a kernel threw
const HELPED = 7; // chunks the helper has done
const ARGS = 8; // gemm's ten arguments

// The helper's loop. Read a job consistently (SEQ even and unchanged around the read),
// then take chunks until the job's range is used up; spin briefly for the next job
// (they come in bursts, one per layer) before sleeping on SEQ.
const SOURCE = `
const SPIN = 20000;
const { workerData } = require('worker_threads');
const { module, memory, ctl } = workerData;
const k = new WebAssembly.Instance(module, { env: { memory, abort() { throw new Error('abort'); } } }).exports;
let seen = Atomics.load(ctl, ${SEQ});
for (;;) {
  let s = Atomics.load(ctl, ${SEQ});
  for (let spin = 0; s === seen && spin < SPIN; spin++) s = Atomics.load(ctl, ${SEQ});
  if (s === seen) { Atomics.wait(ctl, ${SEQ}, seen); continue; }
  if (s & 1) continue;
  const base = ctl[${BASE}], end = ctl[${END}], rows = ctl[${ROWS}];
  const [a, ai, ap, b, c, n, kk, m, bias, relu] = ctl.subarray(${ARGS}, ${ARGS + 10});
  if (Atomics.load(ctl, ${SEQ}) !== s) continue;
  seen = s;
  for (;;) {
    const q = Atomics.load(ctl, ${NEXT});
    if (q >= end) break;
    if (Atomics.compareExchange(ctl, ${NEXT}, q, q + 1) !== q) continue;
    const i0 = (q - base) * rows;
    try {
      k.gemm(a + 4 * i0 * ai, ai, ap, b, c + 4 * i0 * m, Math.min(rows, n - i0), kk, m, bias, relu);
    } catch (e) {
      Atomics.store(ctl, ${FAILED}, 1);
    }
    Atomics.add(ctl, ${HELPED}, 1);
    Atomics.add(ctl, ${DONE}, 1);
    Atomics.notify(ctl, ${DONE});
  }
}`;

export class Helper {
  private readonly ctl = new Int32Array(new SharedArrayBuffer(ARGS * 4 + 64));

  constructor(module: object, memory: WasmMemory) {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const { Worker } = require('worker_threads') as typeof import('worker_threads');
    const w = new Worker(SOURCE, { eval: true, workerData: { module, memory, ctl: this.ctl } });
    w.unref(); // never keeps the process alive
    w.on('error', () => {}); // a failed start leaves every chunk to this thread
  }

  /** Chunks the helper thread has done so far. */
  get helped(): number {
    return Atomics.load(this.ctl, HELPED);
  }

  gemm(k: Kernels, a: number, ai: number, ap: number, b: number, c: number, n: number, kk: number, m: number, bias: number, relu: number): void {
    const ctl = this.ctl;
    // Chunks of 4-row multiples, about eight per product.
    const rows = Math.max(4, Math.ceil(n / 8 / 4) * 4);
    const base = ctl[END], end = base + Math.ceil(n / rows);
    Atomics.add(ctl, SEQ, 1); // odd: writing
    ctl[BASE] = base;
    ctl[END] = end;
    ctl[ROWS] = rows;
    ctl.set([a, ai, ap, b, c, n, kk, m, bias, relu], ARGS);
    Atomics.add(ctl, SEQ, 1);
    Atomics.notify(ctl, SEQ);
    for (;;) {
      const q = Atomics.load(ctl, NEXT);
      if (q >= end) break;
      if (Atomics.compareExchange(ctl, NEXT, q, q + 1) !== q) continue;
      const i0 = (q - base) * rows;
      k.gemm(a + 4 * i0 * ai, ai, ap, b, c + 4 * i0 * m, Math.min(rows, n - i0), kk, m, bias, relu);
      Atomics.add(ctl, DONE, 1);
    }
    // Wait for the chunk the helper may still be in.
    const t0 = Date.now();
    let spin = 0;
    for (let d = Atomics.load(ctl, DONE); d < end; d = Atomics.load(ctl, DONE)) {
      if (++spin < 5000) continue;
      Atomics.wait(ctl, DONE, d, 5);
      if (Date.now() - t0 > 30000) throw new Error('lib/nn kernels: the helper thread stopped answering (set COURSE_THREADS=1 to run without it)');
    }
    if (ctl[FAILED]) throw new Error('lib/nn kernels: a matrix product failed in the helper thread');
  }
}

/** The helper, or null where it should not or cannot run. */
export function helper(module: object, memory: WasmMemory): Helper | null {
  const env = process.env.COURSE_THREADS;
  if (env !== undefined && env !== '1' && env !== '2') throw new Error(`COURSE_THREADS must be 1 or 2; got "${env}"`);
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  if (env === '1' || (env === undefined && cores < 2)) return null;
  try {
    return new Helper(module, memory);
  } catch {
    return null;
  }
}
