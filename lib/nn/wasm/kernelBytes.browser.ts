// The browser's kernels: the unshared build (kernels.unshared.wasm, same source without
// --sharedMemory), from a module, since a page that is not cross-origin isolated has no
// SharedArrayBuffer and there is no fs. One thread runs every task (pool.browser.ts).
import { KERNELS_UNSHARED_BASE64 } from './kernels.bytes';

export const KERNELS_SHARED = false;

export function kernelBytes(): Uint8Array {
  const bin = atob(KERNELS_UNSHARED_BASE64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return bytes;
}
