// A dense layer y = act(x·W + b) with a hand-written backward pass, shaped for tfjs-wasm:
// - forward: one fused matMul + bias + activation kernel;
// - backward: plain matMuls on explicitly transposed operands (wasm's matMul with
//   transposeA/transposeB runs a naive loop, 10–25× slower than the XNNPACK path that
//   autodiff of matMul would hit);
// - the bias gradient as ones[1,B]·dz instead of sum(dz, 0): wasm caches the packed
//   right-hand operand (dz) from the dW matMul just before, so it costs a few µs,
//   while a column sum on wasm transposes and reduces (~10× slower).
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../random';
import { KernelLayer, addSlot, backward, forward, gradTensor, packFloats, slotOf, useKernels } from './wasm';
import { accumulating, recording } from './tape';

export type Activation = 'linear' | 'relu';
const ACTIVATIONS: Activation[] = ['linear', 'relu'];

export interface DenseParams {
  w: tf.Variable; // [in, out]
  b: tf.Variable; // [out]
}

/**
 * He-uniform weights (suits ReLU), zero bias, from a seeded generator. The variables get
 * slots in the kernels' heap so lib/nn's kernels can train them.
 */
export function denseInit(inDim: number, outDim: number, g: Rng, name = 'dense'): DenseParams {
  if (!(Number.isInteger(inDim) && inDim > 0 && Number.isInteger(outDim) && outDim > 0)) {
    throw new Error(`denseInit: sizes must be positive integers, got in = ${inDim}, out = ${outDim}`);
  }
  const limit = Math.sqrt(6 / inDim);
  const w = new Float32Array(inDim * outDim);
  for (let i = 0; i < w.length; i++) w[i] = (2 * g.uniform() - 1) * limit;
  // Made inside tidy: a variable keeps its data, the initial tensor is freed.
  const p = tf.tidy(() => ({
    w: tf.variable(tf.tensor2d(w, [inDim, outDim]), true, `${name}/w`),
    b: tf.variable(tf.zeros([outDim]), true, `${name}/b`),
  }));
  addSlot(p.w);
  addSlot(p.b);
  return p;
}

/** The layer as lib/nn's kernels see it, or undefined if its variables have no slots. */
export function kernelLayer(p: DenseParams, activation: Activation): KernelLayer | undefined {
  const w = slotOf(p.w), b = slotOf(p.b);
  if (!w || !b) return undefined;
  const [inDim, outDim] = p.w.shape as [number, number];
  return { w, b, inDim, outDim, relu: activation === 'relu' };
}

/**
 * xᵀ for a 2D x. On wasm, a plain 2D transpose with many rows and a power-of-two row
 * length thrashes the cache (256×128: ~5× slower than four 64×128 blocks), so it is done as
 * one 3D transpose of row blocks: [r, c] → [r/blk, blk, c] → [c, r/blk, blk] → [c, r].
 */
export function transpose2d(x: tf.Tensor2D): tf.Tensor2D {
  const [r, c] = x.shape;
  const blk = r > 64 && tf.getBackend() === 'wasm' ? [64, 32, 16].find((b) => r % b === 0) : undefined;
  if (blk === undefined) return tf.transpose(x);
  return tf.reshape(tf.transpose(tf.reshape(x, [r / blk, blk, c]), [2, 0, 1]), [c, r]) as tf.Tensor2D;
}

/**
 * Gradients of y = act(x·W + b) given dy, the layer's input x, weights w and output y:
 * [dx, dW, db]. dx is skipped (null) when `needDx` is false. Shared by `dense` and
 * `mlp`'s whole-network gradient.
 */
export function denseBackward(
  dy: tf.Tensor2D,
  x: tf.Tensor2D,
  w: tf.Tensor2D,
  y: tf.Tensor2D,
  activation: Activation,
  needDx = true,
): [tf.Tensor2D | null, tf.Tensor2D, tf.Tensor1D] {
  const dz: tf.Tensor2D = activation === 'relu' ? (tf.mul(dy, tf.step(y)) as tf.Tensor2D) : dy;
  const dw = tf.matMul(transpose2d(x), dz) as tf.Tensor2D;
  const ones = tf.ones([1, dz.shape[0]]) as tf.Tensor2D;
  const db = tf.reshape(tf.matMul(ones, dz), [dz.shape[1]]) as tf.Tensor1D;
  const dx = needDx ? (tf.matMul(dz, transpose2d(w)) as tf.Tensor2D) : null;
  return [dx, dw, db];
}

let fusedKernel: { backend: string; ok: boolean } | null = null;
function hasFusedKernel(): boolean {
  const backend = tf.getBackend();
  if (fusedKernel?.backend !== backend) fusedKernel = { backend, ok: tf.getKernel('_FusedMatMul', backend) !== undefined };
  return fusedKernel.ok;
}

/**
 * act(x·W + b) in one kernel. Callers wrap it in their own gradient, so it calls the fused
 * kernel directly: tf.fused.matMul falls back to three separate ops whenever a gradient is
 * being recorded, which is exactly when training needs it fast.
 */
export function denseForward(x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D, activation: Activation): tf.Tensor2D {
  if (!hasFusedKernel()) return tf.fused.matMul({ a: x, b: w, bias: b, activation }) as tf.Tensor2D;
  return tf.tidy(() => {
    const [n, k] = x.shape;
    const m = w.shape[1];
    const y = tf.engine().runKernel(
      '_FusedMatMul',
      { a: tf.reshape(x, [1, n, k]), b: tf.reshape(w, [1, k, m]), bias: b },
      { transposeA: false, transposeB: false, activation } as unknown as tf.NamedAttrMap,
    ) as tf.Tensor;
    return tf.reshape(y, [n, m]) as tf.Tensor2D;
  });
}

const denseGrad = Object.fromEntries(
  ACTIVATIONS.map((act) => [
    act,
    tf.customGrad(((x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D, save: tf.GradSaveFunc) => {
      const y = denseForward(x, w, b, act);
      save([x, w, y]);
      return {
        value: y,
        gradFunc: (dy: tf.Tensor2D, saved: tf.Tensor[]) => {
          const [xs, ws, ys] = saved as tf.Tensor2D[];
          return denseBackward(dy, xs, ws, ys, act) as tf.Tensor[];
        },
      };
    }) as unknown as Parameters<typeof tf.customGrad>[0]),
  ]),
) as Record<Activation, (x: tf.Tensor, w: tf.Tensor, b: tf.Tensor) => tf.Tensor>;

/** Check x against a layer's weights: a clear error naming both shapes. */
export function checkDenseInput(x: tf.Tensor, p: DenseParams, who = 'dense'): void {
  if (!(x instanceof tf.Tensor)) throw new Error(`${who}: input must be a tf.Tensor, got ${typeof x}`);
  if (x.rank !== 2 || x.shape[1] !== p.w.shape[0]) {
    throw new Error(`${who}: input shape [${x.shape}] does not match weights [${p.w.shape}] (need [batch, ${p.w.shape[0]}])`);
  }
  if (x.dtype !== 'float32') throw new Error(`${who}: input must be float32, got ${x.dtype}`);
}

/**
 * The same layer on lib/nn's kernels: one call forward, one backward, on a copy of x and y
 * in the heap; the weight gradients stay in the heap for Adam. Inputs x, w, b (tfjs's tape:
 * the weights' gradients are returned as tensors) or, on lib/nn's tape (./tape), x and the
 * tape's anchor (the weights' gradients stay in their slots, only dx goes back to tfjs).
 */
const kernelDense = (layer: KernelLayer, onTape: boolean) =>
  tf.customGrad(((...args: unknown[]) => {
    const save = args[args.length - 1] as tf.GradSaveFunc;
    const x = args[0] as tf.Tensor2D;
    const heap = layer.w.heap;
    const n = x.shape[0], k = layer.inDim, m = layer.outDim;
    const [x0, y0, packs] = heap.scratch(n * k, n * m, packFloats([layer], n));
    heap.write(x0, x);
    forward([layer], [x0, y0], n, packs);
    const y = heap.tensor<tf.Rank.R2>(y0, [n, m]);
    const tape = onTape ? recording() : null;
    save([x, y]);
    return {
      value: y,
      gradFunc: (dy: tf.Tensor2D, saved: tf.Tensor[]) => {
        const [xs, ys, d0, d1, ps] = heap.scratch(n * k, n * m, n * k, n * m, packFloats([layer], n));
        heap.write(xs, saved[0]);
        heap.write(ys, saved[1]);
        heap.write(d1, dy);
        const run = () => backward([layer], [xs, ys], [d0, d1], n, ps);
        if (!tape) {
          run();
          return [heap.tensor(d0, [n, k]), gradTensor(layer.w), gradTensor(layer.b)];
        }
        accumulating(tape, [layer.w, layer.b], run);
        return [heap.tensor(d0, [n, k]), tf.scalar(0)]; // the anchor's: nothing
      },
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]) as (...inputs: tf.Tensor[]) => tf.Tensor;

/** y = act(x·W + b) for x of shape [batch, in]. */
export function dense(x: tf.Tensor2D, p: DenseParams, activation: Activation = 'linear'): tf.Tensor2D {
  checkDenseInput(x, p);
  if (!ACTIVATIONS.includes(activation)) throw new Error(`dense: activation must be one of ${ACTIVATIONS.join(', ')}, got "${activation}"`);
  const layer = useKernels() ? kernelLayer(p, activation) : undefined;
  const tape = recording();
  if (layer && tape) return kernelDense(layer, true)(x, tape.anchor) as tf.Tensor2D;
  if (layer) return kernelDense(layer, false)(x, p.w, p.b) as tf.Tensor2D;
  return denseGrad[activation](x, p.w, p.b) as tf.Tensor2D;
}
