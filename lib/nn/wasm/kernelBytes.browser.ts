// The browser's kernels, from a module (there is no fs): on a cross-origin-isolated page (one
// served with COOP/COEP headers, e.g. `npm run site -- --serve`), Node's own build (kernels.wasm,
// shared memory), so the pool's helper Web Worker can work in the same memory (pool.browser.ts);
// elsewhere (GitHub Pages and most static hosts) there is no SharedArrayBuffer, and the unshared
// build (kernels.unshared.wasm, the same source without --sharedMemory) runs on one thread.
import { bytesFromBase64 } from '../../base64';
import { KERNELS_SHARED_BASE64, KERNELS_UNSHARED_BASE64 } from './kernels.bytes';

/** Whether this page may share memory between threads (crossOriginIsolated, with SharedArrayBuffer present). */
export function sharedMemoryAllowed(): boolean {
  const g = globalThis as { crossOriginIsolated?: boolean; SharedArrayBuffer?: unknown };
  return g.crossOriginIsolated === true && typeof g.SharedArrayBuffer === 'function';
}

export const KERNELS_SHARED = sharedMemoryAllowed();

export function kernelBytes(): Uint8Array {
  return bytesFromBase64(KERNELS_SHARED ? KERNELS_SHARED_BASE64 : KERNELS_UNSHARED_BASE64);
}
