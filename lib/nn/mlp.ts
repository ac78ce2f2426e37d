// A multilayer perceptron: dense layers with ReLU between them, linear output.
// apply() records the whole network as one gradient node (forward: one fused kernel per
// layer; backward: lib/nn/dense's hand-written layer gradients in reverse), so autodiff
// bookkeeping is paid once per network, not once per layer.
import * as tf from '@tensorflow/tfjs';
import { Seed, toRng } from '../random';
import { Activation, DenseParams, checkDenseInput, denseBackward, denseForward, denseInit, kernelLayer } from './dense';
import { Heap, KernelLayer, backward, dropSlot, forward, gradTensor, heap as kernelHeap, packFloats, synced, useKernels } from './wasm';
import { KernelTape, accumulating, recording } from './tape';

export interface Mlp {
  sizes: number[];
  layers: DenseParams[];
  /** All trainable variables, in order. */
  params: tf.Variable[];
  /**
   * The network on x. inputGrad: false promises that nobody asks for the gradient with respect
   * to x (x is data, made for this call): the backward pass then skips the first layer's
   * dx = dz·W₀ᵀ and reports zeros for it. Gradients of the weights are unchanged.
   */
  apply(x: tf.Tensor2D, opts?: { inputGrad?: boolean }): tf.Tensor2D;
  /**
   * The network on rows [x_i, tail]: every row's input ends with the same `tail` (a time
   * embedding at one t, say). For inference only: no gradient flows through it. On lib/nn's
   * kernels the tail's share of the first layer, tail·W_tail + b, is worked out once and the
   * product runs over x's columns only. Equals apply(concat([x, tile(tail)])) up to float32
   * rounding (the sum over the first layer's inputs is grouped differently).
   */
  applyShared(x: tf.Tensor2D, tail: Float32Array): tf.Tensor2D;
  dispose(): void;
}

let made = 0;
/** apply()'s inputGrad for the kernel pass being recorded (customGrad passes tensors only). */
let inputGradWanted = true;

export function mlp(sizes: number[], seed: Seed, name = 'mlp'): Mlp {
  if (sizes.length < 2 || sizes.some((s) => !(Number.isInteger(s) && s > 0))) {
    throw new Error(`mlp: sizes must be ≥ 2 positive integers, got [${sizes}]`);
  }
  const g = toRng(seed);
  // tfjs variable names are global: number each model so two never clash.
  const id = `${name}#${made++}`;
  const layers = sizes.slice(1).map((out, i) => denseInit(sizes[i], out, g, `${id}/${i}`));
  const L = layers.length;
  const acts: Activation[] = layers.map((_, i) => (i < L - 1 ? 'relu' : 'linear'));
  const kls = layers.map((l, i) => kernelLayer(l, acts[i])!);
  const kernelNet = mlpOnKernels(kls, kernelHeap(), null);
  const tapeNet = mlpOnKernels(kls, kernelHeap(), () => recording()!);
  // inputs: x, w0, b0, w1, b1, …; saved: x, w0, w1, …, h1, h2, …, y.
  const net = tf.customGrad(((...args: unknown[]) => {
    const save = args[args.length - 1] as tf.GradSaveFunc;
    const x = args[0] as tf.Tensor2D;
    const ws = layers.map((_, i) => args[1 + 2 * i] as tf.Tensor2D);
    const hs: tf.Tensor2D[] = [x];
    for (let i = 0; i < L; i++) hs.push(denseForward(hs[i], ws[i], args[2 + 2 * i] as tf.Tensor1D, acts[i]));
    save([...ws, ...hs]);
    return {
      value: hs[L],
      gradFunc: (dy: tf.Tensor2D, saved: tf.Tensor[]) => {
        const sw = saved.slice(0, L) as tf.Tensor2D[];
        const sh = saved.slice(L) as tf.Tensor2D[];
        const grads: tf.Tensor[] = new Array(1 + 2 * L);
        let d = dy;
        for (let i = L - 1; i >= 0; i--) {
          const [dx, dw, db] = denseBackward(d, sh[i], sw[i], sh[i + 1], acts[i]);
          grads[1 + 2 * i] = dw;
          grads[2 + 2 * i] = db;
          d = dx!;
        }
        grads[0] = d;
        return grads;
      },
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  const params = layers.flatMap((l) => [l.w, l.b]);
  return {
    sizes,
    layers,
    params,
    apply(x, opts) {
      checkDenseInput(x, layers[0], 'mlp');
      if (!useKernels()) return net(x, ...params) as tf.Tensor2D;
      inputGradWanted = opts?.inputGrad ?? true; // read by kernelNet's forward, just below
      // On lib/nn's tape (./tape): the weights are no tfjs inputs, their gradients go to their slots.
      const tape = recording();
      if (tape) return tapeNet(x, tape.anchor) as tf.Tensor2D;
      return kernelNet(x, ...params) as tf.Tensor2D;
    },
    applyShared(x, tail) {
      if (!(x instanceof tf.Tensor) || x.rank !== 2 || x.shape[1] + tail.length !== sizes[0]) {
        throw new Error(`mlp: input [${x?.shape}] plus a shared tail of ${tail.length} does not match the first layer's ${sizes[0]} inputs`);
      }
      if (x.dtype !== 'float32') throw new Error(`mlp: input must be float32, got ${x.dtype}`);
      if (!useKernels()) return tf.tidy(() => net(tf.concat([x, tf.tile(tf.tensor2d(tail, [1, tail.length]), [x.shape[0], 1])], 1), ...params) as tf.Tensor2D);
      return sharedOnKernels(kls, kernelHeap(), x, tail);
    },
    dispose() {
      layers.forEach((l) => (dropSlot(l.w), dropSlot(l.b), l.w.dispose(), l.b.dispose()));
    },
  };
}

/**
 * The whole network as one gradient node on lib/nn's kernels. The forward pass leaves every
 * activation in the heap's scratch space and the backward pass uses them there; if another
 * pass (of any model) or an allocation used the scratch in between, it first recomputes them
 * from the saved x.
 * tape null: inputs x, w0, b0, …; the weights' gradients are returned as tensors (tfjs's tape).
 * tape given: inputs x and the tape's anchor; the weights' gradients stay in their slots (added
 * to what earlier calls in the same tape left there), only dx goes back to tfjs.
 */
function mlpOnKernels(layers: KernelLayer[], heap: Heap, tape: (() => KernelTape) | null) {
  const L = layers.length;
  const sizes = [layers[0].inDim, ...layers.map((l) => l.outDim)];
  // acts[0..L], ds[0..L], then room for the packed operands.
  const layout = (n: number) => {
    const ptrs = heap.scratch(...sizes.map((s) => n * s), ...sizes.map((s) => n * s), packFloats(layers, n));
    return { acts: ptrs.slice(0, L + 1), ds: ptrs.slice(L + 1, 2 * L + 2), packs: ptrs[2 * L + 2] };
  };
  return tf.customGrad(((...args: unknown[]) => {
    const save = args[args.length - 1] as tf.GradSaveFunc;
    const x = args[0] as tf.Tensor2D;
    const n = x.shape[0];
    const needDx = inputGradWanted;
    let at = layout(n);
    heap.write(at.acts[0], x);
    forward(layers, at.acts, n, at.packs);
    const stamp = heap.stamp;
    const recorded = tape ? tape() : null; // the tape this call belongs to
    save([x]);
    return {
      value: heap.tensor(at.acts[L], [n, sizes[L]]),
      gradFunc: (dy: tf.Tensor2D, saved: tf.Tensor[]) => {
        if (stamp !== heap.stamp) {
          at = layout(n);
          heap.write(at.acts[0], saved[0]);
          forward(layers, at.acts, n, at.packs);
        }
        heap.write(at.ds[L], dy);
        const run = () => backward(layers, at.acts, at.ds, n, at.packs, needDx);
        if (recorded) accumulating(recorded, layers.flatMap((l) => [l.w, l.b]), run);
        else run();
        const dx = needDx ? heap.tensor(at.ds[0], [n, sizes[0]]) : tf.zeros([n, sizes[0]]);
        if (recorded) return [dx, tf.scalar(0)]; // the anchor's: nothing
        return [dx, ...layers.flatMap((l) => [gradTensor(l.w), gradTensor(l.b)])];
      },
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
}

/** mlp.applyShared on the kernels: the tail folded into the first layer's bias. */
function sharedOnKernels(layers: KernelLayer[], heap: Heap, x: tf.Tensor2D, tail: Float32Array): tf.Tensor2D {
  const L = layers.length, n = x.shape[0], dx = x.shape[1], l0 = layers[0], out0 = l0.outDim;
  const widths = [dx, ...layers.map((l) => l.outDim)];
  const ptrs = heap.scratch(...widths.map((s) => n * s), packFloats(layers, n), out0);
  const acts = ptrs.slice(0, L + 1), packs = ptrs[L + 1], bias = ptrs[L + 2];
  // bias = b + tail·W[dx:, :]: rows dx.. of W are the tail's weights.
  const w = heap.f32(synced(l0.w), l0.inDim * out0), b = heap.f32(synced(l0.b), out0), into = heap.f32(bias, out0);
  for (let j = 0; j < out0; j++) {
    let s = b[j];
    for (let p = 0; p < tail.length; p++) s += tail[p] * w[(dx + p) * out0 + j];
    into[j] = s;
  }
  heap.write(acts[0], x);
  forward(layers, acts, n, packs, { inDim: dx, bias });
  return heap.tensor(acts[L], [n, widths[L]]);
}

/** Copy the weights out (for saving) and back in (for loading). */
export function getWeights(params: tf.Variable[]): { shape: number[]; values: number[] }[] {
  return params.map((p) => ({ shape: p.shape, values: Array.from(p.dataSync()) }));
}

export function setWeights(params: tf.Variable[], weights: { shape: number[]; values: number[] }[]): void {
  if (weights.length !== params.length) throw new Error(`setWeights: ${weights.length} arrays for ${params.length} parameters`);
  params.forEach((p, i) => {
    if (weights[i].shape.join() !== p.shape.join()) throw new Error(`setWeights: parameter ${i} has shape [${p.shape}], saved [${weights[i].shape}]`);
    const value = tf.tensor(weights[i].values, p.shape);
    p.assign(value);
    value.dispose(); // the variable keeps the data; this handle would count as a live tensor
  });
}
