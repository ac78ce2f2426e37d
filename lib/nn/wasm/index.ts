// lib/nn's WebAssembly kernels (kernels.as.ts, built into kernels.wasm) and the memory
// they work in.
//
// Each layer set (one mlp, or one dense layer) owns a Heap: its own instance of the kernels
// with its own memory, so disposing the model lets the whole memory go. Parameters keep
// living in tf.Variables (the course's truth: save, load, assign all work as before); a
// Slot mirrors one variable in the heap and remembers which tensor data it mirrors, so a
// variable is copied in only when someone else changed it.
import * as tf from '@tensorflow/tfjs';
import * as fs from 'fs';
import * as path from 'path';

// The WebAssembly global as used here (ES2022's lib and @types/node 20 do not declare it).
interface WasmMemory {
  buffer: ArrayBuffer;
  grow(pages: number): number;
}
const WA = (globalThis as unknown as { WebAssembly: { Module: new (bytes: Uint8Array) => object; Instance: new (m: object, imports: object) => { exports: unknown } } }).WebAssembly;

interface Kernels {
  memory: WasmMemory;
  gemm(a: number, ai: number, ap: number, b: number, c: number, n: number, k: number, m: number, bias: number, relu: number): void;
  transpose(x: number, out: number, r: number, c: number): void;
  reluBackward(dy: number, y: number, len: number): void;
  sumRows(dz: number, db: number, n: number, m: number): void;
  adam(p: number, g: number, m: number, v: number, len: number, step: number, beta1: number, beta2: number, eps: number): void;
}

let compiled: object | undefined;
function wasmModule(): object {
  compiled ??= new WA.Module(fs.readFileSync(path.join(__dirname, 'kernels.wasm')));
  return compiled;
}

/**
 * Whether lib/nn runs layers and Adam on these kernels: on the wasm and cpu backends (both
 * keep tensors in this process), not on tensorflow (native) or GPU backends.
 * COURSE_KERNELS=tfjs turns them off, =wasm forces them (tests use both).
 */
export function useKernels(): boolean {
  const env = process.env.COURSE_KERNELS;
  if (env !== undefined && env !== 'tfjs' && env !== 'wasm' && env !== 'auto') {
    throw new Error(`COURSE_KERNELS must be tfjs, wasm or auto; got "${env}"`);
  }
  if (env === 'tfjs') return false;
  if (env === 'wasm') return true;
  const b = tf.getBackend();
  return b === 'wasm' || b === 'cpu';
}

const ALIGN = 16;

/** One kernels instance and a bump allocator over its memory. */
export class Heap {
  readonly k: Kernels;
  /** End of the persistent allocations; scratch space starts here. */
  top: number;

  constructor() {
    const inst = new WA.Instance(wasmModule(), { env: { abort: () => { throw new Error('lib/nn kernels: abort'); } } });
    this.k = inst.exports as unknown as Kernels;
    this.top = this.k.memory.buffer.byteLength;
  }

  private ensure(end: number): void {
    const have = this.k.memory.buffer.byteLength;
    if (end > have) this.k.memory.grow(Math.ceil((end - have) / 65536));
  }

  /** n floats that stay allocated as long as the heap, zeroed. */
  alloc(n: number): number {
    const p = this.top;
    this.top += Math.ceil((4 * n) / ALIGN) * ALIGN;
    this.ensure(this.top);
    this.f32(p, n).fill(0); // scratch may have used this memory before
    return p;
  }

  /** Scratch buffers of the given float counts after `top`: valid until the next alloc. */
  scratch(...ns: number[]): number[] {
    let p = this.top;
    const out = ns.map((n) => {
      const q = p;
      p += Math.ceil((4 * n) / ALIGN) * ALIGN;
      return q;
    });
    this.ensure(p);
    return out;
  }

  f32(ptr: number, n: number): Float32Array {
    return new Float32Array(this.k.memory.buffer, ptr, n);
  }

  /** Copy a tensor's values in. */
  write(ptr: number, t: tf.Tensor): void {
    this.f32(ptr, t.size).set(t.dataSync() as Float32Array);
  }

  /** A new tensor holding a copy of n floats at ptr. */
  tensor<R extends tf.Rank>(ptr: number, shape: number[]): tf.Tensor<R> {
    const n = shape.reduce((a, b) => a * b, 1);
    return tf.tensor(this.f32(ptr, n).slice(), shape as tf.ShapeMap[R], 'float32') as tf.Tensor<R>;
  }
}

/** A variable mirrored in a heap, with room for its gradient and Adam's moments. */
export interface Slot {
  heap: Heap;
  variable: tf.Variable;
  /** Its values, valid while `dataId` is the variable's data. */
  ptr: number;
  dataId: object | null;
  grad: number;
  /** The gradient tensor whose values are at `grad`. */
  gradDataId: object | null;
  m: number;
  v: number;
}

const slots = new WeakMap<tf.Variable, Slot>();

/** Give a variable a slot in heap (done once, when its layer is made). */
export function addSlot(heap: Heap, variable: tf.Variable): Slot {
  const n = variable.size;
  const s: Slot = { heap, variable, ptr: heap.alloc(n), dataId: null, grad: heap.alloc(n), gradDataId: null, m: heap.alloc(n), v: heap.alloc(n) };
  slots.set(variable, s);
  return s;
}

export function slotOf(variable: tf.Variable): Slot | undefined {
  return slots.get(variable);
}

/** The slot's pointer, after copying the variable in if its data changed since. */
export function synced(s: Slot): number {
  if (s.dataId !== s.variable.dataId) {
    s.heap.write(s.ptr, s.variable);
    s.dataId = s.variable.dataId;
  }
  return s.ptr;
}

/** The gradient at s.grad as a tensor, remembered so Adam can read it without a copy. */
export function gradTensor(s: Slot): tf.Tensor {
  const g = s.heap.tensor(s.grad, s.variable.shape);
  s.gradDataId = g.dataId;
  return g;
}

/** Copy a gradient tensor into s.grad unless it is the one gradTensor made. */
export function gradIn(s: Slot, g: tf.Tensor): number {
  if (s.gradDataId !== g.dataId) {
    s.heap.write(s.grad, g);
    s.gradDataId = g.dataId;
  }
  return s.grad;
}

/** A dense layer y = act(x·W + b) whose W [inDim, outDim] and b have slots in one heap. */
export interface KernelLayer {
  w: Slot;
  b: Slot;
  inDim: number;
  outDim: number;
  relu: boolean;
}

/**
 * Forward pass through layers for n rows: the input must be at acts[0]; layer l writes
 * its output at acts[l + 1].
 */
export function forward(layers: KernelLayer[], acts: number[], n: number): void {
  layers.forEach((l, i) => {
    l.w.heap.k.gemm(acts[i], l.inDim, 1, synced(l.w), acts[i + 1], n, l.inDim, l.outDim, synced(l.b), l.relu ? 1 : 0);
  });
}

/**
 * Backward pass: with dL/dy at ds[L] and the forward activations still at acts, write
 * each layer's dW and db into its slots' gradients and dL/dx at ds[0]. ds[l] is
 * overwritten (ReLU's derivative is applied in place). wT: scratch for the largest Wᵀ.
 *   dz = dy ⊙ [y > 0],  dW = xᵀ·dz,  db = Σ_rows dz,  dx = dz·Wᵀ
 */
export function backward(layers: KernelLayer[], acts: number[], ds: number[], n: number, wT: number): void {
  for (let i = layers.length - 1; i >= 0; i--) {
    const l = layers[i], k = l.w.heap.k;
    if (l.relu) k.reluBackward(ds[i + 1], acts[i + 1], n * l.outDim);
    // xᵀ read in place through the strides: A(i, p) = x[p, i].
    k.gemm(acts[i], 1, l.inDim, ds[i + 1], l.w.grad, l.inDim, n, l.outDim, 0, 0);
    k.sumRows(ds[i + 1], l.b.grad, n, l.outDim);
    // Wᵀ is copied once (cheap: in·out floats) so dx uses the fast row-major kernel.
    k.transpose(synced(l.w), wT, l.inDim, l.outDim);
    k.gemm(ds[i + 1], l.outDim, 1, wT, ds[i], n, l.outDim, l.inDim, 0, 0);
  }
}
