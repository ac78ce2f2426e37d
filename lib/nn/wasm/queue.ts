// The job queue lib/nn's kernels share between two threads, in Node (./pool.ts, a worker_threads
// helper) and in a browser (./pool.browser.ts, a Web Worker helper). The main thread posts jobs
// (kernels.as.ts's runTask describes them: a matrix product, a forward pass through a whole MLP,
// an Adam update) to a queue in shared memory; each job is a run of numbered tasks. The helper
// takes tasks in order as soon as they are posted; the main thread takes them too whenever it
// waits for a job, so if the helper is slow to wake or busy, the main thread simply does more
// tasks itself (work stealing) and never waits longer than one task. Because the queue is first
// in, first out, the main thread can post a job it needs only later (a layer's dW) and go on
// with other work while the helper takes it.
//
// A helper that falls behind (its core taken by another process: the helper holds a task while it
// waits for a core, and this thread waits for that task) is told to stand aside: the queue measures,
// over a window of jobs, how long this thread waited for the helper's tasks against the work the
// helper took off it, and where the wait costs more than half of what the helper saves, this thread
// runs every task alone for a while (the helper sleeps: no spinning for a core it does not have),
// then lets the helper try again, waiting twice as long each time it is still behind.
//
// A task's result depends only on its inputs, never on which thread runs it or when, so results
// are bit-identical with one thread or two. With one thread (COURSE_THREADS=1, a sandbox that
// refuses workers, a page without cross-origin isolation) the same tasks run here, in order.
import type { Kernels, WasmMemory } from './heap';

// ctl (Int32Array; on a SharedArrayBuffer when there is a helper):
const PUBLISHED = 0; // tasks posted so far (one past the last job's last task)
const NEXT = 1; // next task to take
const HELPED = 2; // tasks the helper has run
const FAILED = 3; // set if a task threw in the helper
const STARTED = 4; // set when the helper's loop runs
const SOLO = 5; // set while this thread runs every task alone (the helper sleeps until it is cleared)
const RING = 8; // R jobs, 4 words each: first task, one past the last, description, tasks done
const R = 16;
/** Words of one job's description (kernels.as.ts's runTask reads it). */
export const DESC_WORDS = 256;

/**
 * The helper's source: `receive` is the code that gets { module, memory, ctl, busy } to it and
 * calls run() with them. Its loop: take the next task while there is one; otherwise spin a
 * little (jobs come in bursts within a step), then sleep until a job is posted.
 */
export function helperSource(receive: string): string {
  return `
const run = ({ module, memory, ctl, busy }) => {
  const k = new WebAssembly.Instance(module, { env: { memory, abort() { throw new Error('abort'); } } }).exports;
  const SPIN_MS = 1;
  Atomics.store(ctl, ${STARTED}, 1);
  for (;;) {
    if (Atomics.load(ctl, ${SOLO}) === 1) { Atomics.wait(ctl, ${SOLO}, 1); continue; }
    const published = Atomics.load(ctl, ${PUBLISHED});
    const q = Atomics.load(ctl, ${NEXT});
    if (q < published) {
      if (Atomics.compareExchange(ctl, ${NEXT}, q, q + 1) !== q) continue;
      let s = 0;
      while (!(ctl[${RING} + 4 * s] <= q && q < ctl[${RING} + 4 * s + 1])) s++;
      const t0 = performance.now();
      try {
        k.runTask(ctl[${RING} + 4 * s + 2], q - ctl[${RING} + 4 * s]);
      } catch (e) {
        Atomics.store(ctl, ${FAILED}, 1);
      }
      busy[0] += performance.now() - t0;
      Atomics.add(ctl, ${HELPED}, 1);
      Atomics.add(ctl, ${RING} + 4 * s + 3, 1);
      Atomics.notify(ctl, ${RING} + 4 * s + 3);
      continue;
    }
    const t0 = performance.now();
    let idle = true;
    for (let spin = 1; ; spin++) {
      if (Atomics.load(ctl, ${PUBLISHED}) !== published || Atomics.load(ctl, ${SOLO}) === 1) { idle = false; break; }
      if ((spin & 255) === 0 && performance.now() - t0 > SPIN_MS) break;
    }
    if (idle) Atomics.wait(ctl, ${PUBLISHED}, published);
  }
};
${receive}`;
}

/** Jobs per window in which the helper's worth is judged. */
const WINDOW = 32;
/** How long this thread first runs alone when the helper fell behind (doubling while it stays behind). */
const SOLO_MS = 50;
const SOLO_MS_MOST = 3200;

export class Queue {
  protected readonly ctl: Int32Array;
  /** This window: ms this thread waited for the helper's tasks, its own task ms and tasks, the helper's tasks before it. */
  private win = { jobs: 0, lagMs: 0, mainMs: 0, mainTasks: 0, helped0: 0 };
  private soloUntil = 0;
  private soloMs = SOLO_MS;
  /** Milliseconds this thread ran alone because the helper fell behind (finished spells); times it was told to stand aside. */
  private soloTotalMs = 0;
  asides = 0;
  /** COURSE_THREADS-like override for the bench: true keeps the helper aside whatever it measures. */
  private forcedSolo = false;
  /** Milliseconds the helper has spent running tasks (written by the helper). */
  protected readonly helperBusy: Float64Array;
  /** Milliseconds this thread has spent running tasks. */
  mainBusy = 0;
  private jobs = 0;
  private readonly threads: 1 | 2;

  /**
   * descs: R × DESC_WORDS words of the kernels' memory for the job descriptions; twoThreads:
   * whether a helper will take tasks (the subclass starts it; `helper` names it in errors).
   */
  constructor(
    private readonly k: Kernels,
    private readonly memory: WasmMemory,
    descs: number,
    twoThreads: boolean,
    private readonly helper: string,
  ) {
    const Buffer = twoThreads ? SharedArrayBuffer : ArrayBuffer;
    this.ctl = new Int32Array(new Buffer((RING + 4 * R) * 4));
    this.helperBusy = new Float64Array(new Buffer(8));
    for (let s = 0; s < R; s++) this.ctl[RING + 4 * s + 2] = descs + 4 * DESC_WORDS * s;
    this.threads = twoThreads ? 2 : 1;
  }

  /** What the helper needs beside the kernels' module and memory. */
  protected helperData(): { ctl: Int32Array; busy: Float64Array } {
    return { ctl: this.ctl, busy: this.helperBusy };
  }

  /** 1 or 2: whether a helper thread was started. */
  get size(): 1 | 2 {
    return this.threads;
  }

  /** Whether the helper's loop has started (false with one thread). */
  get started(): boolean {
    return Atomics.load(this.ctl, STARTED) === 1;
  }

  /** Tasks the helper thread has run so far. */
  get helped(): number {
    return Atomics.load(this.ctl, HELPED);
  }

  /** Milliseconds spent running tasks, by this thread and by the helper. */
  get busy(): { main: number; helper: number } {
    return { main: this.mainBusy, helper: this.helperBusy[0] };
  }

  /** Milliseconds this thread has run alone because the helper fell behind. */
  get asideMs(): number {
    const now = performance.now();
    return this.soloTotalMs + (this.solo && !this.forcedSolo ? Math.min(now, this.soloUntil) - (this.soloUntil - this.soloMs) : 0);
  }

  /** Whether this thread runs every task alone now (the helper fell behind, or stand() said so). */
  get solo(): boolean {
    return this.threads === 2 && Atomics.load(this.ctl, SOLO) === 1;
  }

  /** Keep the helper aside (true) or let it take tasks again (false), whatever the queue measures. */
  stand(aside: boolean): void {
    this.forcedSolo = aside;
    if (this.threads === 2) this.setSolo(aside);
  }

  private setSolo(on: boolean): void {
    if ((Atomics.load(this.ctl, SOLO) === 1) === on) return;
    Atomics.store(this.ctl, SOLO, on ? 1 : 0);
    if (!on) {
      Atomics.notify(this.ctl, SOLO);
      Atomics.notify(this.ctl, PUBLISHED);
    }
  }

  /**
   * After each job: judge the helper once a window is full. It took h tasks off this thread, worth
   * h × (this thread's mean task time); this thread waited lag ms for its tasks. lag > worth / 2:
   * the helper is behind, run alone for soloMs (doubling while that stays so). Alone: try the
   * helper again once the time is up.
   */
  private judge(now: number): void {
    if (this.forcedSolo) return;
    if (Atomics.load(this.ctl, SOLO) === 1) {
      if (now >= this.soloUntil) {
        this.soloTotalMs += now - (this.soloUntil - this.soloMs);
        this.setSolo(false);
        this.win = { jobs: 0, lagMs: 0, mainMs: 0, mainTasks: 0, helped0: this.helped };
      }
      return;
    }
    const w = this.win;
    if (++w.jobs < WINDOW) return;
    const helped = this.helped - w.helped0;
    const worth = w.mainTasks > 0 ? (helped * w.mainMs) / w.mainTasks : 0;
    if (helped > 0 || w.lagMs > 0) {
      if (w.lagMs > worth / 2) {
        this.asides++;
        this.soloMs = this.asides > 1 && this.soloMs < SOLO_MS_MOST ? Math.min(SOLO_MS_MOST, this.soloMs * 2) : this.soloMs;
        this.soloUntil = now + this.soloMs;
        this.setSolo(true);
      } else this.soloMs = SOLO_MS;
    }
    this.win = { jobs: 0, lagMs: 0, mainMs: 0, mainTasks: 0, helped0: this.helped };
  }

  /**
   * Post a job of `tasks` tasks, described by `describe` (which fills the description's
   * words: Int32Array and Float32Array views of them). Returns the job's number for wait().
   */
  post(tasks: number, describe: (i32: Int32Array, f32: Float32Array) => void): number {
    const j = this.jobs;
    const s = j % R, w = RING + 4 * s, ctl = this.ctl;
    if (j >= R) this.wait(j - R); // the slot's previous job must be over (it always is in practice)
    this.jobs++;
    const desc = ctl[w + 2];
    describe(new Int32Array(this.memory.buffer, desc, DESC_WORDS), new Float32Array(this.memory.buffer, desc, DESC_WORDS));
    const base = ctl[PUBLISHED];
    // First task first: a thread looking for an earlier task never matches a half-written slot.
    Atomics.store(ctl, w, base);
    Atomics.store(ctl, w + 3, 0);
    Atomics.store(ctl, w + 1, base + tasks);
    Atomics.store(ctl, PUBLISHED, base + tasks);
    if (this.threads === 2 && Atomics.load(ctl, SOLO) === 0) Atomics.notify(ctl, PUBLISHED);
    return j;
  }

  /** Run queued tasks on this thread until job j is done. */
  wait(j: number): void {
    const ctl = this.ctl, w = RING + 4 * (j % R);
    const end = ctl[w + 1], size = end - ctl[w];
    if (j >= this.jobs || j < this.jobs - R) throw new Error(`lib/nn kernels: job ${j} is not in the queue`);
    for (;;) {
      const q = Atomics.load(ctl, NEXT);
      if (q >= end) break;
      if (Atomics.compareExchange(ctl, NEXT, q, q + 1) !== q) continue;
      let s = 0;
      while (!(ctl[RING + 4 * s] <= q && q < ctl[RING + 4 * s + 1])) if (++s === R) throw new Error(`lib/nn kernels: task ${q} is in no job`);
      const t0 = performance.now();
      this.k.runTask(ctl[RING + 4 * s + 2], q - ctl[RING + 4 * s]);
      const ms = performance.now() - t0;
      this.mainBusy += ms;
      this.win.mainMs += ms;
      this.win.mainTasks++;
      Atomics.add(ctl, RING + 4 * s + 3, 1);
    }
    if (this.threads === 1) return; // every task ran here
    // Wait for the task the helper may still be in: spin, then sleep in short waits.
    const t0 = performance.now();
    let spin = 0;
    for (let d = Atomics.load(ctl, w + 3); d < size; d = Atomics.load(ctl, w + 3)) {
      if (++spin < 20000) continue;
      Atomics.wait(ctl, w + 3, d, 1);
      if (performance.now() - t0 > 30000) throw new Error(`lib/nn kernels: the helper ${this.helper} stopped answering`);
    }
    const now = performance.now();
    this.win.lagMs += now - t0;
    if (ctl[FAILED]) throw new Error(`lib/nn kernels: a task failed in the helper ${this.helper}`);
    this.judge(now);
  }
}

/**
 * A pool with a helper where `want` says so and starting it works, else one that runs every task
 * here: `make(module)` starts the helper, `make(null)` makes the one-thread pool.
 */
export function poolOf<P>(want: boolean, module: object, make: (module: object | null) => P): P {
  if (want) {
    try {
      return make(module);
    } catch {
      // Worker refused (a sandbox, a page that may not start workers): one thread.
    }
  }
  return make(null);
}
