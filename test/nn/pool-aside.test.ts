// lib/nn/wasm/queue.ts: a helper thread that falls behind is told to stand aside, and this thread
// does the work itself. The helper here is the real one (helperSource's loop) with one change: it
// sleeps 4 ms before each task it takes, as a helper does whose core another process holds. The
// test asserts what the queue does about it (how often, for how long it measured is not asserted:
// timings belong in `npm run bench -- step sample --contend N`), and that the numbers stay the
// same whoever runs the tasks.
import { expect } from 'chai';
import { Worker } from 'worker_threads';
import { Heap, heap } from '../../lib/nn/wasm';
import { kernelsModule, postGemm } from '../../lib/nn/wasm/heap';
import { DESC_WORDS, Queue, helperSource } from '../../lib/nn/wasm/queue';
import { normals } from '../../lib/random';

/** The queue with a helper that waits `delayMs` before every task it takes. */
class LaggingPool extends Queue {
  readonly worker: Worker;
  readonly descs: number;
  constructor(h: Heap, delayMs: number) {
    const descs = h.alloc(16 * DESC_WORDS);
    super(h.k, h.memory, descs, true, 'test helper');
    this.descs = descs;
    const slow = `
const Instance = WebAssembly.Instance;
WebAssembly.Instance = function (m, imports) {
  const e = new Instance(m, imports).exports;
  const nap = new Int32Array(new SharedArrayBuffer(4));
  return { exports: { ...e, runTask(d, q) { Atomics.wait(nap, 0, 0, ${delayMs}); return e.runTask(d, q); } } };
};
run(require('worker_threads').workerData);`;
    this.worker = new Worker(helperSource(slow), { eval: true, workerData: { module: kernelsModule(), memory: h.memory, ...this.helperData() } });
  }
}

describe("lib/nn's pool when its helper falls behind", function () {
  this.timeout(120_000);

  it('stands the helper aside and runs every task on this thread, then tries it again; results stay bit for bit', async () => {
    const h = heap();
    const n = 256, k = 128, m = 128;
    const [a, b, c, bias] = [h.alloc(n * k), h.alloc(k * m), h.alloc(n * m), h.alloc(m)];
    h.f32(a, n * k).set(normals(1, n * k));
    h.f32(b, k * m).set(normals(2, k * m));
    h.f32(bias, m).set(normals(3, m));
    const pool = new LaggingPool(h, 4); // B's floats are used as they lie, as a packed B
    try {
      const t0 = Date.now();
      while (!pool.started && Date.now() - t0 < 20000) await new Promise((r) => setTimeout(r, 5));
      expect(pool.started, 'the helper started').to.equal(true);
      // One thread's answer: the same product with the helper kept aside.
      pool.stand(true);
      pool.wait(postGemm(pool, a, k, 1, b, c, n, k, m, bias, 1));
      const want = h.f32(c, n * m).slice();
      pool.stand(false);
      expect(pool.solo).to.equal(false);
      // Jobs until the queue has judged the helper (a window is 32 jobs).
      let jobs = 0;
      while (pool.asides === 0 && jobs < 400) {
        pool.wait(postGemm(pool, a, k, 1, b, c, n, k, m, bias, 1));
        jobs++;
        expect(Buffer.from(h.f32(c, n * m).slice().buffer).equals(Buffer.from(want.buffer)), `product ${jobs}`).to.equal(true);
      }
      expect(pool.asides, 'times the helper was stood aside').to.be.greaterThan(0);
      expect(pool.solo, 'this thread runs alone now').to.equal(true);
      // While aside, the helper takes no task (one it had already begun may finish). Only jobs posted
      // while the spell lasts count: how many fit in its 50 ms depends on the machine's load.
      const helped = pool.helped;
      let aside = 0;
      for (let i = 0; i < 10 && pool.solo; i++, aside++) pool.wait(postGemm(pool, a, k, 1, b, c, n, k, m, bias, 1));
      expect(aside, 'jobs posted while aside').to.be.greaterThan(0);
      expect(pool.helped - helped, 'tasks the helper took while aside').to.be.at.most(1);
      expect(Buffer.from(h.f32(c, n * m).slice().buffer).equals(Buffer.from(want.buffer))).to.equal(true);
      // After its spell (50 ms the first time) the helper gets tasks again, is found behind again, and stands aside longer.
      const asides = pool.asides;
      const t1 = Date.now();
      while (pool.asides === asides && Date.now() - t1 < 30000) pool.wait(postGemm(pool, a, k, 1, b, c, n, k, m, bias, 1));
      expect(pool.asides, 'judged again after its spell').to.equal(asides + 1);
      expect(pool.asideMs).to.be.greaterThan(0);
      // stand(true) keeps it aside whatever the queue measures; stand(false) lets it back.
      pool.stand(true);
      expect(pool.solo).to.equal(true);
      pool.stand(false);
      expect(pool.solo).to.equal(false);
    } finally {
      await pool.worker.terminate();
      [a, b, c, bias, pool.descs].forEach((p) => h.release(p));
    }
  });

  it('a one-thread pool is never solo and stand() changes nothing there', () => {
    const h = heap();
    const descs = h.alloc(16 * DESC_WORDS);
    const q = new Queue(h.k, h.memory, descs, false, 'none');
    q.stand(true);
    expect(q.solo).to.equal(false);
    expect(q.asideMs).to.equal(0);
    h.release(descs);
  });
});
