// The browser's backend: tfjs-wasm, its .wasm files fetched from beside the script that runs
// lib (the site copies them there), or from globalThis.COURSE_WASM_PATH if a page sets it.
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

export type BackendName = 'tensorflow' | 'wasm' | 'cpu';

let chosen: Promise<BackendName> | undefined;

/** Initialise tfjs-wasm (once); resolves to 'wasm'. */
export function ready(_opts: { quiet?: boolean } = {}): Promise<BackendName> {
  chosen ??= (async () => {
    const g = globalThis as { COURSE_WASM_PATH?: string; location?: { href: string } };
    setWasmPaths(g.COURSE_WASM_PATH ?? new URL('./', g.location!.href).href);
    // tfjs-wasm's own threads stay off, also on a cross-origin-isolated page: it then loads the
    // same SIMD binary everywhere (the size each page states), and lib's kernels' helper thread
    // (nn/wasm/pool.browser.ts) has the second core to itself. Node's tfjs-wasm runs one thread too.
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    if (!(await tf.setBackend('wasm'))) throw new Error("tf.setBackend('wasm') returned false: the tfjs-backend-wasm .wasm files were not found beside the script");
    await tf.ready();
    tf.enableProdMode(); // as in Node (lib/backend.ts)
    return 'wasm' as const;
  })();
  return chosen;
}

/** The backend in use, or undefined before ready(). */
export function backendName(): string | undefined {
  return chosen ? tf.getBackend() : undefined;
}
