// Where the kernels' bytes come from. In Node: kernels.wasm, built for shared memory (so the
// pool's helper thread can work in it). A browser build maps this file to kernelBytes.browser.ts.
import * as fs from 'fs';
import * as path from 'path';

/** Whether the kernels expect a shared memory (this build's --sharedMemory). */
export const KERNELS_SHARED = true;

/** The compiled kernels' bytes. */
export function kernelBytes(): Uint8Array {
  return fs.readFileSync(path.join(__dirname, 'kernels.wasm'));
}
