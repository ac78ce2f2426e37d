// The browser's pool: one thread runs every task, in the order posted (jobs are first in,
// first out, as in ./pool.ts). A page that is not cross-origin isolated has no
// SharedArrayBuffer, so no helper thread can share the kernels' memory; since a task's result
// depends only on its inputs, the numbers are the same as with Node's two threads.
import type { Kernels, WasmMemory } from './heap';

/** Words of one job's description (kernels.as.ts's runTask reads it). */
export const DESC_WORDS = 256;
const R = 16; // description slots, as in ./pool.ts: job j uses slot j mod R

export class Pool {
  /** Milliseconds this thread has spent running tasks. */
  mainBusy = 0;
  private jobs = 0; // jobs posted
  private done = 0; // jobs run to the end (always the first `done` jobs)
  private readonly taskCount: number[] = new Array(R).fill(0);

  constructor(
    private readonly k: Kernels,
    private readonly memory: WasmMemory,
    private readonly descs: number,
  ) {}

  get size(): 1 | 2 {
    return 1;
  }

  get helped(): number {
    return 0;
  }

  get busy(): { main: number; helper: number } {
    return { main: this.mainBusy, helper: 0 };
  }

  post(tasks: number, describe: (i32: Int32Array, f32: Float32Array) => void): number {
    const j = this.jobs;
    if (j >= R) this.wait(j - R); // the slot's previous job must be over
    this.jobs++;
    const desc = this.descs + 4 * DESC_WORDS * (j % R);
    describe(new Int32Array(this.memory.buffer, desc, DESC_WORDS), new Float32Array(this.memory.buffer, desc, DESC_WORDS));
    this.taskCount[j % R] = tasks;
    return j;
  }

  /** Run the queued jobs, in order, up to and including job j. */
  wait(j: number): void {
    if (j >= this.jobs || j < this.jobs - R) throw new Error(`lib/nn kernels: job ${j} is not in the queue`);
    while (this.done <= j) {
      const s = this.done % R, desc = this.descs + 4 * DESC_WORDS * s;
      const t0 = performance.now();
      for (let q = 0; q < this.taskCount[s]; q++) this.k.runTask(desc, q);
      this.mainBusy += performance.now() - t0;
      this.done++;
    }
  }
}

/** No helper thread in the browser build. */
export function wantHelper(): boolean {
  return false;
}

export function pool(k: Kernels, memory: WasmMemory, descs: number, _module: object): Pool {
  return new Pool(k, memory, descs);
}
