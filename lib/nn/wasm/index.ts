// lib/nn's WebAssembly kernels (kernels.as.ts, built into kernels.wasm): the heap they
// work in (with a helper thread that shares the work: ./pool), variables' slots, and dense layers' passes.
import * as tf from '@tensorflow/tfjs';
import { env as readEnv } from '../../env';

export { Heap, heap, kernelsBuild, type Kernels } from './heap';
export { type Pool } from './pool';
export { addSlot, dropSlot, slotOf, synced, gradTensor, gradIn, type Slot } from './slots';
export { forward, backward, packFloats, type KernelLayer, type SharedTail } from './layers';

/**
 * Whether lib/nn runs layers and Adam on these kernels: on the wasm and cpu backends (both
 * keep tensors in this process), not on tensorflow (native) or GPU backends.
 * COURSE_KERNELS=tfjs turns them off, =wasm forces them (tests use both).
 */
export function useKernels(): boolean {
  const env = readEnv('COURSE_KERNELS');
  if (env !== undefined && env !== 'tfjs' && env !== 'wasm' && env !== 'auto') {
    throw new Error(`COURSE_KERNELS must be tfjs, wasm or auto; got "${env}"`);
  }
  if (env === 'tfjs') return false;
  if (env === 'wasm') return true;
  const b = tf.getBackend();
  return b === 'wasm' || b === 'cpu';
}
