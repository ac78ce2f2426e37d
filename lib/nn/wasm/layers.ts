// Dense layers' forward and backward passes on the kernels, for a stack of layers whose
// activations are laid out in the heap by the caller, as jobs both threads share (./pool).
import { postGemm, rowsPerTask } from './heap';
import { DESC_WORDS } from './pool';
import { Slot, synced } from './slots';

/** A dense layer y = act(x·W + b) whose W [inDim, outDim] and b have slots. */
export interface KernelLayer {
  w: Slot;
  b: Slot;
  inDim: number;
  outDim: number;
  relu: boolean;
}

/** Floats of scratch forward and backward need for packed operands (`packs`), for n rows. */
export function packFloats(layers: KernelLayer[], n: number): number {
  return layers.reduce((s, l) => s + l.inDim * l.outDim + n * l.outDim, 0);
}

/**
 * The first layer fed only the first `inDim` columns of its input, the rest being one row
 * r shared by every row: x·W = x_a·W_a + r·W_r, so r·W_r + b is worked out once as the bias
 * (rows [inDim, …) of W times r, plus b) and the product has inDim columns, not all of them.
 */
export interface SharedTail {
  inDim: number;
  /** Where r·W_r + b is (layer 0's out floats). */
  bias: number;
}

/**
 * Forward pass through layers for n rows: the input must be at acts[0]; layer l writes its
 * output at acts[l + 1]. Rows go through the whole network in chunks (one task each).
 * packs: packFloats(layers, n) floats of scratch.
 */
export function forward(layers: KernelLayer[], acts: number[], n: number, packs: number, tail?: SharedTail): void {
  const h = layers[0].w.heap, pool = h.pool;
  // The job's description holds 4 + 7 words per layer (kernels.as.ts's runTask).
  if (4 + 7 * layers.length > DESC_WORDS) throw new Error(`lib/nn kernels: ${layers.length} layers in one network; at most ${Math.floor((DESC_WORDS - 4) / 7)}`);
  let p = packs;
  const desc: number[] = [];
  layers.forEach((l, i) => {
    const inDim = i === 0 && tail ? tail.inDim : l.inDim;
    // W packed for the kernel; its first inDim rows when the rest of the input is a shared tail.
    h.k.pack(synced(l.w), l.outDim, 1, p, inDim, l.outDim);
    desc.push(acts[i], acts[i + 1], p, i === 0 && tail ? tail.bias : synced(l.b), inDim, l.outDim, l.relu ? 1 : 0);
    p += 4 * l.inDim * l.outDim;
  });
  const rows = rowsPerTask(n, 16, 32);
  pool.wait(pool.post(Math.ceil(n / rows), (d) => d.set([2, n, rows, layers.length, ...desc])));
}

/**
 * Backward pass: with dL/dy at ds[L] and the forward activations still at acts, write
 * each layer's dW and db into its slots' gradients and dL/dx at ds[0] (unless needDx is
 * false: then ds[0] is left alone). ds[l] is overwritten (ReLU's derivative is applied in
 * place). packs: packFloats(layers, n) floats of scratch.
 *   dz = dy ⊙ [y > 0],  dW = xᵀ·dz,  db = Σ_rows dz,  dx = dz·Wᵀ
 * Each layer's dx is posted before its dW, and only dx is waited for (the next layer down
 * needs it): the queue is first in, first out, so this thread takes dx's tasks and goes on to
 * the next layer's serial work (ReLU's derivative, db, packing) while the helper works through
 * dW. All dW are waited for at the end.
 */
export function backward(layers: KernelLayer[], acts: number[], ds: number[], n: number, packs: number, needDx = true): void {
  const h = layers[0].w.heap, pool = h.pool;
  const dWJobs: number[] = [];
  // Per layer: packed Wᵀ (in·out floats), then packed dz (n·out floats).
  const at: number[] = [];
  let p = packs;
  for (const l of layers) at.push(p), (p += 4 * (l.inDim * l.outDim + n * l.outDim));
  for (let i = layers.length - 1; i >= 0; i--) {
    const l = layers[i], dz = ds[i + 1], pw = at[i], pz = at[i] + 4 * l.inDim * l.outDim;
    if (l.relu) h.k.reluBackward(dz, acts[i + 1], n * l.outDim);
    h.k.sumRows(dz, l.b.grad, n, l.outDim);
    // dx = dz·Wᵀ, Wᵀ packed straight from W (B(p, j) = W[j, p]).
    let dx = -1;
    if (i > 0 || needDx) {
      h.k.pack(synced(l.w), 1, l.outDim, pw, l.outDim, l.inDim);
      dx = postGemm(pool, dz, l.outDim, 1, pw, ds[i], n, l.outDim, l.inDim, 0, 0);
    }
    // dW = xᵀ·dz, xᵀ read in place through the strides: A(i, p) = x[p, i].
    h.k.pack(dz, l.outDim, 1, pz, n, l.outDim);
    dWJobs.push(postGemm(pool, acts[i], 1, l.inDim, pz, l.w.grad, l.inDim, n, l.outDim, 0, 0));
    if (dx >= 0) pool.wait(dx);
  }
  dWJobs.forEach((j) => pool.wait(j));
}
