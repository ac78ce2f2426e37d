// The memory lib/nn's kernels work in: one WebAssembly memory for the process, with a small
// first-fit allocator for what lives long (weights, gradients, Adam's moments) and a scratch
// block for what lives one pass (activations, transposes).
//
// The memory is shared, so a helper thread (./pool) can run part of the work in place: the
// second core of a laptop does real work.
import * as tf from '@tensorflow/tfjs';
import { DESC_WORDS, Pool, pool } from './pool';
import { KERNELS_SHARED, kernelBytes } from './kernelBytes';

// The WebAssembly global as used here (ES2022's lib and @types/node 20 do not declare it).
export interface WasmMemory {
  buffer: ArrayBufferLike;
  grow(pages: number): number;
}
export const WA = (
  globalThis as unknown as {
    WebAssembly: {
      Module: new (bytes: Uint8Array) => object;
      Instance: new (m: object, imports: object) => { exports: unknown };
      Memory: new (d: { initial: number; maximum: number; shared?: boolean }) => WasmMemory;
    };
  }
).WebAssembly;

/** kernels.as.ts's exports. Pointers are byte offsets into the memory. */
export interface Kernels {
  pack(b: number, rs: number, cs: number, out: number, k: number, m: number): void;
  gemm(a: number, ai: number, ap: number, bp: number, c: number, n: number, k: number, m: number, bias: number, relu: number): void;
  runTask(desc: number, q: number): void;
  reluBackward(dy: number, y: number, len: number): void;
  sumRows(dz: number, db: number, n: number, m: number): void;
  adam(p: number, g: number, m: number, v: number, len: number, step: number, sqrtBc2: number, beta1: number, oneMinusBeta1: number, beta2: number, oneMinusBeta2: number, eps: number): void;
}

// Must match the build (package.json "build:wasm": --initialMemory, --maximumMemory).
const PAGES = { initial: 16, maximum: 32768 };
const PAGE = 65536;
const ALIGN = 16;
const bytesOf = (n: number) => Math.ceil((4 * n) / ALIGN) * ALIGN;

let compiled: { module: object; build: 'fma' | 'plain' } | undefined;
/** The compiled kernels (compiled once per process). */
export function kernelsModule(): object {
  if (!compiled) {
    const k = kernelBytes();
    compiled = { module: new WA.Module(k.bytes), build: k.build };
  }
  return compiled.module;
}

/** Which build of the kernels this process runs: 'fma' (relaxed SIMD's fused multiply-add) or 'plain'. */
export function kernelsBuild(): 'fma' | 'plain' {
  kernelsModule();
  return compiled!.build;
}

function instantiate(module: object, memory: WasmMemory): Kernels {
  const abort = () => {
    throw new Error('lib/nn kernels: abort');
  };
  return new WA.Instance(module, { env: { memory, abort } }).exports as Kernels;
}

export class Heap {
  readonly memory: WasmMemory;
  readonly k: Kernels;
  /** Bumped by every alloc and scratch: a pass that left data in scratch checks it is still there. */
  stamp = 0;
  private readonly used = new Map<number, number>(); // ptr → bytes
  private free: { p: number; bytes: number }[] = []; // sorted by p, never adjacent
  private end = ALIGN; // 0 stays unused: a null pointer means "no bias"
  private scratchAt = 0;
  private scratchBytes = 0;
  private poolState: Pool | undefined;
  private packAt = 0;
  private packFloats = 0;

  constructor() {
    this.memory = new WA.Memory({ ...PAGES, shared: KERNELS_SHARED });
    this.k = instantiate(kernelsModule(), this.memory);
  }

  /** Bytes handed out and not freed (the scratch block included). */
  get allocatedBytes(): number {
    let s = 0;
    for (const b of this.used.values()) s += b;
    return s;
  }

  private ensure(end: number): void {
    const have = this.memory.buffer.byteLength;
    if (end > PAGES.maximum * PAGE) throw new Error(`lib/nn kernels: out of memory (${(end / 2 ** 20).toFixed(0)} MB needed, at most ${PAGES.maximum / 16} MB)`);
    if (end > have) this.memory.grow(Math.ceil((end - have) / PAGE));
  }

  /** n floats, zeroed, until free(). */
  alloc(n: number): number {
    this.stamp++;
    const bytes = bytesOf(Math.max(1, n));
    let p = -1;
    const i = this.free.findIndex((f) => f.bytes >= bytes);
    if (i >= 0) {
      const f = this.free[i];
      p = f.p;
      if (f.bytes === bytes) this.free.splice(i, 1);
      else (f.p += bytes), (f.bytes -= bytes);
    } else {
      p = this.end;
      this.end += bytes;
      this.ensure(this.end);
    }
    this.used.set(p, bytes);
    this.f32(p, bytes / 4).fill(0);
    return p;
  }

  release(p: number): void {
    const bytes = this.used.get(p);
    if (bytes === undefined) throw new Error(`lib/nn kernels: release of ${p}, which is not allocated`);
    this.used.delete(p);
    // Insert in order, merging with free neighbours.
    let i = 0;
    while (i < this.free.length && this.free[i].p < p) i++;
    this.free.splice(i, 0, { p, bytes });
    const next = this.free[i + 1];
    if (next && p + bytes === next.p) (this.free[i].bytes += next.bytes), this.free.splice(i + 1, 1);
    const prev = this.free[i - 1];
    if (prev && prev.p + prev.bytes === p) (prev.bytes += this.free[i].bytes), this.free.splice(i, 1);
    // A free block at the end goes back to the high-water mark.
    const last = this.free[this.free.length - 1];
    if (last && last.p + last.bytes === this.end) (this.end = last.p), this.free.pop();
  }

  /** Scratch buffers of the given float counts: valid until the next scratch or alloc. */
  scratch(...ns: number[]): number[] {
    const need = ns.reduce((s, n) => s + bytesOf(n), 0);
    if (need > this.scratchBytes) {
      if (this.scratchBytes) this.release(this.scratchAt);
      this.scratchBytes = Math.max(need, 2 * this.scratchBytes);
      this.scratchAt = this.alloc(this.scratchBytes / 4);
    }
    this.stamp++;
    let p = this.scratchAt;
    return ns.map((n) => {
      const q = p;
      p += bytesOf(n);
      return q;
    });
  }

  f32(ptr: number, n: number): Float32Array {
    return new Float32Array(this.memory.buffer, ptr, n);
  }

  /** Copy a tensor's values in. */
  write(ptr: number, t: tf.Tensor): void {
    this.f32(ptr, t.size).set(t.dataSync() as Float32Array);
  }

  /** A new tensor holding a copy of the floats at ptr. */
  tensor<R extends tf.Rank>(ptr: number, shape: number[]): tf.Tensor<R> {
    const n = shape.reduce((a, b) => a * b, 1);
    // The wasm backend copies what it is given into its own memory at once; the cpu backend
    // keeps the array itself, so it gets a copy (the heap's floats change under it).
    const view = this.f32(ptr, n);
    return tf.tensor(tf.getBackend() === 'wasm' ? view : view.slice(), shape as tf.ShapeMap[R], 'float32') as tf.Tensor<R>;
  }

  /** The jobs both threads share (started on first use: COURSE_THREADS is read then). */
  get pool(): Pool {
    this.poolState ??= pool(this.k, this.memory, this.alloc(16 * DESC_WORDS), kernelsModule());
    return this.poolState;
  }

  /** Tasks the helper thread has run (0 without one). */
  get helped(): number {
    return this.poolState ? this.poolState.helped : 0;
  }

  /**
   * C = A·B (+ bias, ReLU) for B as it lies in memory (B(p, j) = b[p·m + j]): B is packed
   * (kernels.pack), then the rows of C are shared between the threads.
   */
  gemm(a: number, ai: number, ap: number, b: number, c: number, n: number, k: number, m: number, bias: number, relu: number): void {
    if (k * m > this.packFloats) {
      if (this.packFloats) this.release(this.packAt);
      this.packFloats = k * m;
      this.packAt = this.alloc(k * m);
    }
    this.k.pack(b, m, 1, this.packAt, k, m);
    const pool = this.pool;
    pool.wait(postGemm(pool, a, ai, ap, this.packAt, c, n, k, m, bias, relu));
  }
}

/** Rows per task for n rows: about eight tasks, a multiple of 4 rows (see kernels.gemm). */
export function rowsPerTask(n: number, tasks = 8, most = 64): number {
  return Math.min(most, Math.max(4, Math.ceil(n / tasks / 4) * 4));
}

/** Post C = A·Bp (+ bias, ReLU), Bp packed, as a job over row chunks of C. */
export function postGemm(pool: Pool, a: number, ai: number, ap: number, bp: number, c: number, n: number, k: number, m: number, bias: number, relu: number): number {
  // Small products in one task: handing rows to the other thread costs more than it saves.
  const rows = n * k * m < 1 << 16 ? Math.max(4, n) : rowsPerTask(n);
  return pool.post(Math.ceil(n / rows), (d) => d.set([1, a, ai, ap, bp, c, n, k, m, bias, relu, rows]));
}

let theHeap: Heap | undefined;
/** The process's heap (made on first use). */
export function heap(): Heap {
  theHeap ??= new Heap();
  return theHeap;
}
