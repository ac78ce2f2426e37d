// The browser's kernels, from a module (there is no fs): on a cross-origin-isolated page (one
// served with COOP/COEP headers, e.g. `npm run site -- --serve`), Node's own build (kernels.wasm,
// shared memory), so the pool's helper Web Worker can work in the same memory (pool.browser.ts);
// elsewhere (GitHub Pages and most static hosts) there is no SharedArrayBuffer, and the unshared
// build (kernels.unshared.wasm, the same source without --sharedMemory) runs on one thread.
// Each comes in a plain and an FMA build; the FMA one runs where the browser has relaxed SIMD
// (./fma, as in Node), so a page and Node compute the same bits on the same machine.
import { bytesFromBase64 } from '../../base64';
import { useFma } from './fma';
import { KERNELS_SHARED_BASE64, KERNELS_SHARED_FMA_BASE64, KERNELS_UNSHARED_BASE64, KERNELS_UNSHARED_FMA_BASE64 } from './kernels.bytes';

/** Whether this page may share memory between threads (crossOriginIsolated, with SharedArrayBuffer present). */
export function sharedMemoryAllowed(): boolean {
  const g = globalThis as { crossOriginIsolated?: boolean; SharedArrayBuffer?: unknown };
  return g.crossOriginIsolated === true && typeof g.SharedArrayBuffer === 'function';
}

export const KERNELS_SHARED = sharedMemoryAllowed();

/** The kernels' bytes, and which build they are. */
export function kernelBytes(): { bytes: Uint8Array; build: 'fma' | 'plain' } {
  const fma = bytesFromBase64(KERNELS_SHARED ? KERNELS_SHARED_FMA_BASE64 : KERNELS_UNSHARED_FMA_BASE64);
  if (useFma(fma)) return { bytes: fma, build: 'fma' };
  return { bytes: bytesFromBase64(KERNELS_SHARED ? KERNELS_SHARED_BASE64 : KERNELS_UNSHARED_BASE64), build: 'plain' };
}
