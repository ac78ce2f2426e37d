// Where the kernels' bytes come from. In Node: kernels.wasm, built for shared memory (so the
// pool's helper thread can work in it), or kernels.fma.wasm, the same source built with relaxed
// SIMD's fused multiply-add where this Node runs it (./fma). A browser build maps this file to
// kernelBytes.browser.ts.
import * as fs from 'fs';
import * as path from 'path';
import { useFma } from './fma';

/** Whether the kernels expect a shared memory (this build's --sharedMemory). */
export const KERNELS_SHARED = true;

// Node 20's V8 (11.3) has relaxed SIMD behind this flag; a running process may still turn it on
// before it compiles a module that needs it (newer Nodes have it on and skip this).
const enableRelaxedSimd = () => {
  try {
    (require('v8') as typeof import('v8')).setFlagsFromString('--experimental-wasm-relaxed-simd');
  } catch {
    // A runtime without the v8 module or the flag: the plain build runs.
  }
};

/** The kernels' bytes, and which build they are. */
export function kernelBytes(): { bytes: Uint8Array; build: 'fma' | 'plain' } {
  const fma = fs.readFileSync(path.join(__dirname, 'kernels.fma.wasm'));
  if (useFma(fma, enableRelaxedSimd)) return { bytes: fma, build: 'fma' };
  return { bytes: fs.readFileSync(path.join(__dirname, 'kernels.wasm')), build: 'plain' };
}
