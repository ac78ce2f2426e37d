// Dense layers' forward and backward passes on the kernels, for a stack of layers whose
// activations are laid out in the heap by the caller.
import { Slot, synced } from './slots';

/** A dense layer y = act(x·W + b) whose W [inDim, outDim] and b have slots. */
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
    l.w.heap.gemm(acts[i], l.inDim, 1, synced(l.w), acts[i + 1], n, l.inDim, l.outDim, synced(l.b), l.relu ? 1 : 0);
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
    const l = layers[i], h = l.w.heap;
    if (l.relu) h.k.reluBackward(ds[i + 1], acts[i + 1], n * l.outDim);
    // xᵀ read in place through the strides: A(i, p) = x[p, i].
    h.gemm(acts[i], 1, l.inDim, ds[i + 1], l.w.grad, l.inDim, n, l.outDim, 0, 0);
    h.k.sumRows(ds[i + 1], l.b.grad, n, l.outDim);
    // Wᵀ is copied once (cheap: in·out floats) so dx uses the fast row-major kernel.
    h.k.transpose(synced(l.w), wT, l.inDim, l.outDim);
    h.gemm(ds[i + 1], l.outDim, 1, wT, ds[i], n, l.outDim, l.inDim, 0, 0);
  }
}
