// Which tfjs backend runs the course: chosen once, printed in one line.
// Order: tfjs-node (native) if it loads, else wasm (single-threaded in Node), else cpu.
// COURSE_BACKEND=tensorflow|wasm|cpu forces one.
import * as tf from '@tensorflow/tfjs';
import * as path from 'path';

export type BackendName = 'tensorflow' | 'wasm' | 'cpu';
const ORDER: BackendName[] = ['tensorflow', 'wasm', 'cpu'];

let chosen: Promise<BackendName> | undefined;

async function tryBackend(name: BackendName): Promise<string | null> {
  try {
    if (name === 'tensorflow') {
      require('@tensorflow/tfjs-node');
    } else if (name === 'wasm') {
      const wasm = require('@tensorflow/tfjs-backend-wasm');
      const dir = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));
      wasm.setWasmPaths(dir + path.sep);
    }
    if (!(await tf.setBackend(name))) return `tf.setBackend('${name}') returned false`;
    await tf.ready();
    tf.enableProdMode(); // no debug checks; also silences the 'install tfjs-node' banner
    return null;
  } catch (e) {
    return (e as Error).message.split('\n')[0];
  }
}

/**
 * Why a backend was skipped, in a few words for the first line a chapter prints: a missing
 * optional package is "not installed" (tfjs-node's loader error names a native addon and a path
 * cut short, which reads like a failure); anything else is its first line, cut at a word.
 */
export function skipReason(why: string): string {
  if (/Cannot find module|can not be found|native addon|MODULE_NOT_FOUND/i.test(why)) return 'not installed';
  if (why.length <= 80) return why;
  const cut = why.slice(0, 80);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(' '), 40))}…`;
}

/** Pick and initialise the backend (once); resolves to its name. */
export function ready(opts: { quiet?: boolean } = {}): Promise<BackendName> {
  if (!chosen) chosen = choose(opts.quiet ?? false);
  return chosen;
}

async function choose(quiet: boolean): Promise<BackendName> {
  const forced = process.env.COURSE_BACKEND as BackendName | undefined;
  if (forced && !ORDER.includes(forced)) {
    throw new Error(`COURSE_BACKEND must be one of ${ORDER.join(', ')}; got "${forced}"`);
  }
  const skipped: string[] = [];
  for (const name of forced ? [forced] : ORDER) {
    const why = await tryBackend(name);
    if (why === null) {
      if (!quiet) {
        const note = forced ? ' (forced by COURSE_BACKEND)' : skipped.length ? ` (skipped: ${skipped.join('; ')})` : '';
        console.log(`tfjs backend: ${name}${note}`);
      }
      return name;
    }
    if (forced) throw new Error(`COURSE_BACKEND=${forced} could not be loaded: ${why}`);
    skipped.push(`${name}: ${skipReason(why)}`);
  }
  throw new Error('no tfjs backend could be loaded');
}

/** The backend in use, or undefined before ready(). */
export function backendName(): string | undefined {
  return chosen ? tf.getBackend() : undefined;
}
