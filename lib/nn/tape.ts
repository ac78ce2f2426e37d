// lib/nn's own gradient tape, for training on its kernels. The loss is still written in tfjs (the
// learner's epsLoss, say) and tfjs still differentiates it, but only as far as each network's
// output: inside gradsOnKernels, every call of a lib/nn network (mlp.apply, dense) is one tfjs
// node (x, anchor) → y. tfjs hands that node dL/dy, the gradient of the loss with respect to the
// network's output alone ([B, 2] for the spiral's ε̂), and the node runs the whole backward pass on
// the kernels: dW and db go straight into the weights' slots, where Adam reads them, and dL/dx
// goes back to tfjs (a learned null condition upstream of the network still gets its gradient).
// tfjs never sees the weights as inputs, so it neither records nor builds gradients for them.
//   dL/dW = Σ over the network's calls in the loss of (that call's backward pass)(dL/dy)
// The anchor is a scalar the gradient is asked for: it puts every network node on tfjs's path
// from the inputs to the loss, so tfjs calls the node's gradient even when x is data.
import * as tf from '@tensorflow/tfjs';
import { Slot, slotOf } from './wasm';

export interface KernelTape {
  /** The scalar every network node takes as its second input. */
  anchor: tf.Tensor;
  /** Slots whose gradient a backward pass of this tape has written. */
  written: Set<Slot>;
}

/** A parameter's gradient that lies in its slot (lib/nn/adam reads it there). */
export class GradInHeap {
  constructor(readonly slot: Slot) {}
}

let active: KernelTape | null = null;

/** The tape being recorded, or null (then lib/nn's networks record their weights in tfjs). */
export function recording(): KernelTape | null {
  return active;
}

/**
 * Run `backward`, which overwrites the gradients of `slots`, so that gradients an earlier call of
 * the same weights left in this tape are added, not lost (a network called twice in one loss).
 */
export function accumulating(tape: KernelTape, slots: Slot[], backward: () => void): void {
  const earlier = slots.filter((s) => tape.written.has(s)).map((s) => ({ s, g: s.heap.f32(s.grad, s.variable.size).slice() }));
  backward();
  for (const { s, g } of earlier) {
    const now = s.heap.f32(s.grad, s.variable.size);
    for (let i = 0; i < g.length; i++) now[i] += g[i];
  }
  slots.forEach((s) => tape.written.add(s));
}

/**
 * The loss f() and its gradient with respect to each of params, with lib/nn's networks on the
 * kernel tape: a parameter a backward pass on the kernels reached gets a GradInHeap (plus, added
 * in the heap, any gradient tfjs found for it on another path), every other one tfjs's gradient
 * (undefined if the loss does not depend on it). Call inside tf.tidy.
 */
export function gradsOnKernels(f: () => tf.Scalar, params: tf.Variable[]): { value: tf.Scalar; grads: (tf.Tensor | GradInHeap | undefined)[] } {
  if (active) throw new Error('lib/nn: gradsOnKernels called while another is recording');
  const anchor = tf.scalar(0);
  const tape: KernelTape = { anchor, written: new Set() };
  active = tape;
  let res: { value: tf.Scalar; grads: tf.Tensor[] };
  try {
    res = tf.engine().gradients(f, [anchor, ...params], undefined, true) as { value: tf.Scalar; grads: tf.Tensor[] };
  } finally {
    active = null;
    anchor.dispose();
  }
  const grads = params.map((p, i) => {
    const g = res.grads[i + 1];
    const s = slotOf(p);
    if (!s || !tape.written.has(s)) return g;
    if (g) {
      const into = s.heap.f32(s.grad, s.variable.size), add = g.dataSync();
      for (let j = 0; j < into.length; j++) into[j] += add[j];
    }
    s.gradDataId = null; // the heap's gradient is no tensor's
    return new GradInHeap(s);
  });
  return { value: res.value, grads };
}
