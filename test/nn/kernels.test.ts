// lib/nn/wasm's kernels, micrograd-style: each kernel on raw memory against a plain-JS
// loop in float64, on shapes that hit every tail (rows not a multiple of 4, columns not a
// multiple of 8, lengths not a multiple of 4, the strided xᵀ read); and the committed
// kernels.wasm is the build of kernels.as.ts.
import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Heap, heap } from '../../lib/nn/wasm';
import { mlp } from '../../lib/nn';
import { rng, normals } from '../../lib/random';
import { useFma } from '../../lib/nn/wasm/fma';
import { untilHelped } from './untilHelped';


const ROOT = path.resolve(__dirname, '..', '..');

function put(heap: Heap, values: ArrayLike<number>): number {
  const p = heap.alloc(values.length);
  heap.f32(p, values.length).set(values);
  return p;
}

const worst = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  expect(a.length).to.equal(b.length);
  let w = 0;
  for (let i = 0; i < a.length; i++) w = Math.max(w, Math.abs(a[i] - b[i]));
  return w;
};

describe("lib/nn's wasm kernels against plain JS", () => {
  const shapes: [number, number, number][] = [[9, 7, 13], [256, 34, 128], [4, 8, 8], [5, 128, 2], [1, 3, 1], [13, 17, 24], [7, 34, 2], [6, 5, 10]];
  for (const [n, k, m] of shapes) {
    for (const transposedA of [false, true]) {
      it(`gemm ${n}×${k}·${k}×${m}${transposedA ? ' reading A transposed' : ''}, with bias and ReLU, B packed from B and from Bᵀ`, () => {
        const g = rng(n * 1000 + k * 10 + m);
        const heap = new Heap();
        const a = normals(g, n * k), b = normals(g, k * m), bias = normals(g, m);
        // A(i, p) = a[i·k + p], or stored transposed: a[p·n + i].
        const stored = transposedA ? Float32Array.from({ length: n * k }, (_, q) => a[(q % n) * k + Math.floor(q / n)]) : Float32Array.from(a);
        const bT = Float32Array.from({ length: k * m }, (_, q) => b[(q % k) * m + Math.floor(q / k)]); // bT[j·k + p] = B(p, j)
        const pa = put(heap, stored), pb = put(heap, b), pbT = put(heap, bT), pbias = put(heap, bias), pc = heap.alloc(n * m), pp = heap.alloc(k * m);
        for (const relu of [0, 1]) {
          for (const withBias of [false, true]) {
            // Packed from B (rows of m) or from Bᵀ read in place (B(p, j) = bT[p + j·k]).
            if (withBias) heap.k.pack(pbT, 1, k, pp, k, m);
            else heap.k.pack(pb, m, 1, pp, k, m);
            if (transposedA) heap.k.gemm(pa, 1, n, pp, pc, n, k, m, withBias ? pbias : 0, relu);
            else heap.k.gemm(pa, k, 1, pp, pc, n, k, m, withBias ? pbias : 0, relu);
            const want = new Float64Array(n * m);
            for (let i = 0; i < n; i++)
              for (let j = 0; j < m; j++) {
                let s = withBias ? Math.fround(bias[j]) : 0;
                for (let p = 0; p < k; p++) s += Math.fround(a[i * k + p]) * Math.fround(b[p * m + j]);
                want[i * m + j] = relu ? Math.max(0, s) : s;
              }
            expect(worst(heap.f32(pc, n * m), want), `relu ${relu}, bias ${withBias}`).to.be.at.most(1e-4);
          }
        }
      });
    }
  }

  it('reluBackward, sumRows on odd sizes', () => {
    const g = rng(3);
    const heap = new Heap();
    const [r, c] = [19, 11];
    const x = normals(g, r * c), y = normals(g, r * c);
    const px = put(heap, x), py = put(heap, y), pdb = heap.alloc(c);
    heap.k.sumRows(px, pdb, r, c);
    const sums = Array.from({ length: c }, (_, j) => Array.from({ length: r }, (_, i) => Math.fround(x[i * c + j])).reduce((s, v) => s + v, 0));
    expect(worst(heap.f32(pdb, c), sums)).to.be.at.most(1e-5);
    heap.k.reluBackward(px, py, r * c); // dz = dy where y > 0
    const dz = heap.f32(px, r * c);
    for (let i = 0; i < r * c; i++) expect(dz[i]).to.equal(y[i] > 0 ? Math.fround(x[i]) : 0);
  });

  it("adam: three steps on 11 values match float64 Adam in torch's form", () => {
    const g = rng(5);
    const heap = new Heap();
    const n = 11, lr = 0.01, b1 = 0.9, b2 = 0.999, eps = 1e-8;
    const p0 = normals(g, n);
    const pp = put(heap, p0), pg = heap.alloc(n), pm = heap.alloc(n), pv = heap.alloc(n);
    const p = Array.from(p0, Math.fround), m = new Array(n).fill(0), v = new Array(n).fill(0);
    for (let t = 1; t <= 3; t++) {
      const grad = normals(g, n);
      heap.f32(pg, n).set(grad);
      heap.k.adam(pp, pg, pm, pv, n, lr / (1 - b1 ** t), Math.sqrt(1 - b2 ** t), b1, 1 - b1, b2, 1 - b2, eps);
      for (let j = 0; j < n; j++) {
        const gj = Math.fround(grad[j]);
        m[j] = b1 * m[j] + (1 - b1) * gj;
        v[j] = b2 * v[j] + (1 - b2) * gj * gj;
        // θ −= lr·m̂/(√v̂ + ε), m̂ = m/(1−β1ᵗ), v̂ = v/(1−β2ᵗ)
        p[j] -= (lr * (m[j] / (1 - b1 ** t))) / (Math.sqrt(v[j] / (1 - b2 ** t)) + eps);
      }
    }
    expect(worst(heap.f32(pp, n), p)).to.be.at.most(1e-6);
    expect(Math.abs(heap.f32(pp, n)[0] - p0[0])).to.be.greaterThan(0.01); // it moved
  });

  it('the heap grows on demand and alloc hands out zeroed memory after scratch use', () => {
    const heap = new Heap();
    const [s] = heap.scratch(1 << 20); // 4 MB: more than the initial memory
    heap.f32(s, 1 << 20).fill(7);
    const p = heap.alloc(1000);
    expect(heap.f32(p, 1000).every((v) => v === 0)).to.equal(true);
  });
});

describe("lib/nn's kernel heap", () => {
  it('reuses released memory, merges free neighbours, and gives the end back', () => {
    const h = new Heap();
    const a = h.alloc(100), b = h.alloc(100), c = h.alloc(100);
    const d = h.alloc(10);
    expect(h.allocatedBytes).to.equal(3 * 400 + 48);
    h.release(a);
    h.release(b); // merges with a's block
    const e = h.alloc(200); // fits exactly where a and b were
    expect(e).to.equal(a);
    h.release(d);
    h.release(c);
    h.release(e);
    expect(h.allocatedBytes).to.equal(0);
    expect(h.alloc(1)).to.equal(a); // everything was given back: allocation starts over
    expect(() => h.release(12345)).to.throw(/release of 12345, which is not allocated/);
  });

  it("a disposed mlp gives its weights, gradients and Adam's moments back", () => {
    const before = heap().allocatedBytes;
    const model = mlp([6, 32, 4], 0, 'test-heap');
    const params = 6 * 32 + 32 + 32 * 4 + 4;
    expect(heap().allocatedBytes - before).to.be.at.least(4 * 4 * params); // value, gradient, m, v
    model.dispose();
    expect(heap().allocatedBytes).to.equal(before);
  });
});

/** test/nn/threads-run.ts in a child process (COURSE_THREADS is read once per process). */
function threadsRun(env: Record<string, string>): { hash: string; helped: number; build: string; first: number[] } {
  const base = { ...process.env };
  delete base.COURSE_THREADS;
  delete base.COURSE_FMA;
  const out = execFileSync(process.execPath, [path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), path.join(__dirname, 'threads-run.ts')], {
    cwd: ROOT,
    env: { ...base, ...env },
    encoding: 'utf8',
  });
  return JSON.parse(out.trim().split('\n').pop()!) as { hash: string; helped: number; build: string; first: number[] };
}

describe("lib/nn's helper thread", function () {
  this.timeout(60000);
  let saved: string | undefined;
  before(() => (saved = process.env.COURSE_THREADS));
  afterEach(() => (saved === undefined ? delete process.env.COURSE_THREADS : (process.env.COURSE_THREADS = saved)));

  /** Run the same products on a heap with COURSE_THREADS=threads; returns every result. */
  async function products(threads: '1' | '2'): Promise<{ out: Float32Array[]; helped: number }> {
    process.env.COURSE_THREADS = threads;
    const h = new Heap(); // reads COURSE_THREADS at its first large product
    if (threads === '2') await untilHelped(h);
    const helped0 = h.helped;
    const g = rng(11);
    const out: Float32Array[] = [];
    // Large enough to be shared (n·k·m ≥ 2^18), rows not a multiple of the chunk size, both A layouts.
    const shapes: [number, number, number, boolean][] = [[256, 128, 128, false], [203, 64, 40, false], [128, 256, 128, true], [34, 256, 128, true], [1000, 50, 128, false]];
    for (let round = 0; round < 20; round++) {
      for (const [n, k, m, tA] of shapes) {
        const a = put(h, normals(g, n * k)), b = put(h, normals(g, k * m)), bias = put(h, normals(g, m)), c = h.alloc(n * m);
        if (tA) h.gemm(a, 1, n, b, c, n, k, m, 0, 0);
        else h.gemm(a, k, 1, b, c, n, k, m, bias, round % 2);
        if (round % 5 === 0) out.push(h.f32(c, n * m).slice());
        [a, b, bias, c].forEach((p) => h.release(p));
      }
    }
    return { out, helped: h.helped - helped0 };
  }

  it('shares large products between two threads with results bit-identical to one thread', async () => {
    const one = await products('1'), two = await products('2');
    expect(one.helped).to.equal(0);
    expect(two.helped, 'row chunks done by the helper').to.be.greaterThan(0);
    expect(two.out.length).to.equal(one.out.length);
    two.out.forEach((r, i) => expect(Buffer.from(r.buffer).equals(Buffer.from(one.out[i].buffer)), `product ${i}`).to.equal(true));
  });

  it('trains an MLP (forward, backward, Adam) and runs applyShared bit-identically on one and two threads', function () {
    this.timeout(240_000); // two child processes, each starting tsx and tfjs (slow on a loaded machine)
    const one = threadsRun({ COURSE_THREADS: '1' }), two = threadsRun({ COURSE_THREADS: '2' });
    expect(one.helped).to.equal(0);
    expect(two.helped, 'tasks run by the helper thread').to.be.greaterThan(0);
    expect(two.hash).to.equal(one.hash);
  });

  it('runs on one thread, with the same results, where Worker is refused (the grader sandbox)', function () {
    this.timeout(240_000);
    const one = threadsRun({ COURSE_THREADS: '1' });
    const refused = threadsRun({ REFUSE_WORKER: '1' });
    expect(refused.helped).to.equal(0);
    expect(refused.hash).to.equal(one.hash);
  });

  it('says what COURSE_THREADS must be', () => {
    process.env.COURSE_THREADS = 'four';
    const h = new Heap();
    const a = h.alloc(256 * 128), b = h.alloc(128 * 128), c = h.alloc(256 * 128);
    expect(() => h.gemm(a, 128, 1, b, c, 256, 128, 128, 0, 0)).to.throw(/COURSE_THREADS must be 1 or 2; got "four"/);
  });
});

describe("lib/nn's heap → tensor copies", () => {
  for (const backend of ['wasm', 'cpu']) {
    it(`a tensor made from heap floats keeps its values when the heap changes (${backend} backend)`, async () => {
      const was = tf.getBackend();
      await tf.setBackend(backend);
      try {
        const h = new Heap();
        const p = put(h, [1, 2, 3, 4, 5, 6]);
        const t = h.tensor(p, [2, 3]);
        h.f32(p, 6).fill(-7);
        expect(Array.from(t.dataSync())).to.deep.equal([1, 2, 3, 4, 5, 6]);
        t.dispose();
        h.release(p);
      } finally {
        await tf.setBackend(was);
      }
    });
  }
});

describe("lib/nn's FMA build (relaxed SIMD's fused multiply-add)", function () {
  this.timeout(240_000);
  let saved: string | undefined;
  before(() => (saved = process.env.COURSE_FMA));
  afterEach(() => (saved === undefined ? delete process.env.COURSE_FMA : (process.env.COURSE_FMA = saved)));

  it('runs by default in this Node (its relaxed SIMD turned on), the plain build with COURSE_FMA=0, and both train the same MLP to within rounding', () => {
    const fma = threadsRun({ COURSE_THREADS: '1' }), plain = threadsRun({ COURSE_THREADS: '1', COURSE_FMA: '0' });
    expect(fma.build).to.equal('fma');
    expect(plain.build).to.equal('plain');
    // One rounding per multiply-add instead of two: after 12 Adam steps the outputs (|y| ~ 0.1–1)
    // agree to ~1e-5, far closer than any bug would leave them, but not bit for bit.
    expect(fma.hash).to.not.equal(plain.hash);
    expect(worst(fma.first, plain.first)).to.be.below(1e-4);
  });

  it('says what COURSE_FMA must be, and COURSE_FMA=1 fails where the runtime lacks relaxed SIMD', () => {
    process.env.COURSE_FMA = 'yes';
    expect(() => useFma(new Uint8Array(8))).to.throw(/COURSE_FMA must be 0, 1 or auto; got "yes"/);
    process.env.COURSE_FMA = '1';
    expect(() => useFma(new Uint8Array(8))).to.throw(/COURSE_FMA=1, but this runtime has no relaxed SIMD/);
    process.env.COURSE_FMA = '0';
    expect(useFma(fs.readFileSync(path.join(ROOT, 'lib/nn/wasm/kernels.fma.wasm')))).to.equal(false);
    delete process.env.COURSE_FMA;
    expect(useFma(fs.readFileSync(path.join(ROOT, 'lib/nn/wasm/kernels.fma.wasm')))).to.equal(true);
  });
});

describe('lib/nn/wasm/kernels.wasm and kernels.fma.wasm', function () {
  this.timeout(120000);
  for (const [file, script] of [['kernels.wasm', 'build:wasm'], ['kernels.fma.wasm', 'build:wasm:fma']]) {
    it(`${file} is the build of kernels.as.ts (npm run ${script})`, () => {
      const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kernels-')), file);
      const line = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).scripts[script] as string;
      const args = line.split(/\s+/).slice(1).map((a) => (a === `lib/nn/wasm/${file}` ? out : a));
      expect(args, `${script} writes ${file}`).to.include(out);
      execFileSync(process.execPath, [path.join(ROOT, 'node_modules', 'assemblyscript', 'bin', 'asc.js'), ...args], { cwd: ROOT, stdio: 'pipe' });
      const built = fs.readFileSync(out), committed = fs.readFileSync(path.join(ROOT, 'lib/nn/wasm', file));
      expect(built.equals(committed), `${file} is stale: run npm run ${script}`).to.equal(true);
    });
  }
});
