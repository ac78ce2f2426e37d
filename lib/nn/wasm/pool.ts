// Node's pool: the job queue both threads share (./queue.ts), with a worker_threads helper.
// COURSE_THREADS=1 keeps everything on one thread (same tasks, run in order); where threads are
// not allowed (e.g. the grader's sandbox) the helper is not started.
import * as os from 'os';
import type { Kernels, WasmMemory } from './heap';
import { Queue, helperSource, poolOf } from './queue';

export { DESC_WORDS } from './queue';

export class Pool extends Queue {
  /** module: the kernels, or null for one thread. */
  constructor(k: Kernels, memory: WasmMemory, descs: number, module: object | null) {
    super(k, memory, descs, module !== null, 'thread (set COURSE_THREADS=1 to run without it)');
    if (module) {
      // eslint-disable-next-line @typescript-eslint/no-var-requires
      const { Worker } = require('worker_threads') as typeof import('worker_threads');
      const w = new Worker(helperSource("run(require('worker_threads').workerData);"), { eval: true, workerData: { module, memory, ...this.helperData() } });
      w.unref(); // never keeps the process alive
      w.on('error', () => {}); // a failed start leaves every task to this thread
    }
  }
}

/** Whether to start a helper thread: COURSE_THREADS (1 or 2) or, by default, two cores or more. */
export function wantHelper(): boolean {
  const env = process.env.COURSE_THREADS;
  if (env !== undefined && env !== '1' && env !== '2') throw new Error(`COURSE_THREADS must be 1 or 2; got "${env}"`);
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  return !(env === '1' || (env === undefined && cores < 2));
}

/** A pool with a helper thread where wanted and allowed, else one that runs every task here. */
export function pool(k: Kernels, memory: WasmMemory, descs: number, module: object): Pool {
  return poolOf(wantHelper(), module, (m) => new Pool(k, memory, descs, m));
}
