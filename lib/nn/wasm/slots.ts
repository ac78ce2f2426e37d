// A Slot mirrors one tf.Variable in the kernels' heap, with room for its gradient and
// Adam's moments. The variable stays the truth (save, load, assign work as before); the
// slot remembers which tensor data it holds, so the variable is copied in only when
// something else changed it, and Adam reads the gradient a backward pass left there.
import * as tf from '@tensorflow/tfjs';
import { Heap, heap } from './heap';

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
// A variable nobody holds any more gives its slot's memory back.
const reclaim = new FinalizationRegistry<number[]>((ptrs) => ptrs.forEach((p) => heap().release(p)));

/** Give a variable a slot (done once, when its layer is made). */
export function addSlot(variable: tf.Variable): Slot {
  const h = heap(), n = variable.size;
  const s: Slot = { heap: h, variable, ptr: h.alloc(n), dataId: null, grad: h.alloc(n), gradDataId: null, m: h.alloc(n), v: h.alloc(n) };
  slots.set(variable, s);
  reclaim.register(variable, [s.ptr, s.grad, s.m, s.v], s);
  return s;
}

/** Free a variable's slot now (its model is disposed). */
export function dropSlot(variable: tf.Variable): void {
  const s = slots.get(variable);
  if (!s) return;
  slots.delete(variable);
  reclaim.unregister(s);
  [s.ptr, s.grad, s.m, s.v].forEach((p) => s.heap.release(p));
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
