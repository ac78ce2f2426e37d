// The browser's pool: the same queue as Node's (./pool.ts: jobs of numbered tasks, first in, first
// out; whoever waits for a job takes its tasks, so a helper that is slow to start or busy costs
// nothing), with a Web Worker as the helper thread.
//
// Two threads only on a cross-origin-isolated page (kernelBytes.browser.ts's sharedMemoryAllowed():
// served with COOP/COEP headers, as `npm run site -- --serve` does): only there is there a
// SharedArrayBuffer for the queue and the kernels' memory. Elsewhere (GitHub Pages sends no such
// headers) one thread runs every task, in order, on the same queue. And only off a page's main
// thread: the helper's Atomics.wait is allowed in workers, and so is this thread's wait for the
// task the helper is in, which a window's main thread may not do.
//
// The helper is a nested Worker, started by the thread that runs lib (the site runs lib in a
// dedicated Worker, web/live/browser/worker.ts): the kernels' memory and module belong to that
// thread, and it posts them to its helper itself, so lib needs nothing from the page. (The
// alternative, the page starting the helper, would take the memory from the lib worker to the
// page and on to the helper, and tie lib to the page's code.) A Worker starts only after its
// creator yields: until the helper's loop runs, this thread takes every task, as in Node before
// the helper wakes.
//
// A task's result depends only on its inputs, never on which thread runs it or when, so the
// numbers are the same with one thread or two, and the same as Node's.
import type { Kernels, WasmMemory } from './heap';
import { sharedMemoryAllowed } from './kernelBytes.browser';
import { Queue, helperSource, poolOf } from './queue';

export { DESC_WORDS } from './queue';

type WorkerCtor = new (url: string, opts?: { name?: string }) => { postMessage(m: unknown): void; onerror: ((e: unknown) => void) | null };

export class Pool extends Queue {
  /** module: the kernels, or null for one thread. */
  constructor(k: Kernels, memory: WasmMemory, descs: number, module: object | null) {
    super(k, memory, descs, module !== null, 'Web Worker');
    if (module) {
      const W = (globalThis as unknown as { Worker: WorkerCtor }).Worker;
      const url = URL.createObjectURL(new Blob([helperSource('self.onmessage = (e) => run(e.data);')], { type: 'text/javascript' }));
      const w = new W(url, { name: 'course lib/nn helper' });
      w.onerror = () => {}; // a failed start leaves every task to this thread
      w.postMessage({ module, memory, ...this.helperData() });
    }
  }
}

/** Whether to start a helper: on a cross-origin-isolated page, in a worker (not a window's main thread), where workers can start workers. */
export function wantHelper(): boolean {
  const g = globalThis as { document?: unknown; Worker?: unknown; Blob?: unknown; URL?: { createObjectURL?: unknown } };
  return sharedMemoryAllowed() && g.document === undefined && typeof g.Worker === 'function' && typeof g.Blob === 'function' && typeof g.URL?.createObjectURL === 'function';
}

/** A pool with a helper Web Worker where wanted and allowed, else one that runs every task here. */
export function pool(k: Kernels, memory: WasmMemory, descs: number, module: object): Pool {
  return poolOf(wantHelper(), module, (m) => new Pool(k, memory, descs, m));
}
