// The notebook page's kernel: one Web Worker that runs the chapter's cells as tslab does
// (transpile.ts), with lib's browser build behind every `course/…` import. The page posts
//   { type: 'run', cell, code }     run a cell (runs queue up, one at a time, in order)
//   { type: 'eval', id, code }      a cell's value as plain data, no output (the tests use it)
// and gets back { type: 'ready', threads }, then per cell { type: 'output', cell, output } while it
// runs (stream text, HTML displays, updates of a display by id, the value, an error) and
// { type: 'done', cell, ok }.
import './shims/globals';
import { setWriter } from './shims/jupyter';
import { MODULES } from 'course-notebook:modules';
import { transpile } from './transpile';

type Output =
  | { kind: 'stream'; name: 'stdout' | 'stderr'; text: string }
  | { kind: 'html'; html: string; id?: string; update?: boolean }
  | { kind: 'text'; text: string }
  | { kind: 'error'; name: string; message: string; stack: string };

const post = (m: unknown) => (self as unknown as Worker).postMessage(m);
let current = -1;
const emit = (output: Output, cell = current) => post({ type: 'output', cell, output });

setWriter((content, update) => {
  const html = content.data['text/html'];
  if (html !== undefined) emit({ kind: 'html', html, id: content.transient?.display_id, update });
  else if (content.data['text/plain'] !== undefined) emit({ kind: 'text', text: content.data['text/plain'] });
});

/** Console output goes under the running cell, as tslab's does. */
for (const [method, name] of [['log', 'stdout'], ['info', 'stdout'], ['warn', 'stderr'], ['error', 'stderr']] as const) {
  const original = console[method].bind(console);
  console[method] = (...args: unknown[]) => {
    original(...args);
    if (current >= 0) emit({ kind: 'stream', name, text: args.map((a) => (typeof a === 'string' ? a : inspect(a))).join(' ') + '\n' });
  };
}

const loaded = new Map<string, unknown>();
function require_(spec: string): unknown {
  const key = spec.replace(/\/index$/, '').replace(/\.(ts|js)$/, '');
  if (!loaded.has(key)) {
    const make = MODULES[key];
    if (!make) throw new Error(`Cannot find module '${spec}': in the browser a cell can import '@tensorflow/tfjs' and lib's modules ('course/diffusion', 'course/plot', …)`);
    loaded.set(key, make());
  }
  return loaded.get(key);
}

/** A value as tslab prints it (util.inspect's look, for the common cases). */
export function inspect(v: unknown, depth = 0): string {
  if (typeof v === 'string') return depth ? `'${v.replace(/'/g, "\\'")}'` : `'${v.replace(/'/g, "\\'")}'`;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint' || v === undefined || v === null || typeof v === 'symbol') return String(v);
  if (typeof v === 'function') return `[Function: ${v.name || '(anonymous)'}]`;
  if (v instanceof Error) return v.stack ?? String(v);
  if (depth > 2) return Array.isArray(v) ? '[Array]' : '[Object]';
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) {
    const a = Array.from(v as unknown as ArrayLike<number>);
    return `${v.constructor.name}(${a.length}) [ ${a.slice(0, 100).join(', ')}${a.length > 100 ? `, ... ${a.length - 100} more items` : ''} ]`;
  }
  if (Array.isArray(v)) return `[ ${v.slice(0, 100).map((x) => inspect(x, depth + 1)).join(', ')}${v.length > 100 ? `, ... ${v.length - 100} more items` : ''} ]`;
  const o = v as Record<string, unknown>;
  if (typeof o.toString === 'function' && o.toString !== Object.prototype.toString && o.constructor?.name === 'Tensor') return String(o.toString());
  const entries = Object.entries(o).map(([k, x]) => `${/^[A-Za-z_$][\w$]*$/.test(k) ? k : `'${k}'`}: ${inspect(x, depth + 1)}`);
  const name = o.constructor && o.constructor !== Object ? o.constructor.name + ' ' : '';
  return entries.length ? `${name}{ ${entries.join(', ')} }` : `${name}{}`;
}

/** Names every cell shares (tslab's one program). */
const scope: Record<string, unknown> = Object.create(null);
const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (...args: string[]) => (...a: unknown[]) => Promise<unknown>;

function compile(code: string): () => Promise<unknown> {
  const { body, names } = transpile(code);
  for (const n of names) if (!(n in scope)) scope[n] = undefined;
  // `with` makes the shared names the cell's own identifiers; the body itself runs in an async
  // arrow function (top-level await), whose code may be strict.
  const f = new Function('__scope', '__require', `with (__scope) { return (async () => {\n${body}\n})(); }`) as (s: unknown, r: unknown) => Promise<unknown>;
  return () => f(scope, require_);
}

let queue: Promise<void> = Promise.resolve();

async function run(cell: number, code: string): Promise<void> {
  current = cell;
  let ok = true;
  try {
    const value = await compile(code)();
    if (value !== undefined) emit({ kind: 'text', text: inspect(value) }, cell);
  } catch (e) {
    ok = false;
    const err = e instanceof Error ? e : new Error(String(e));
    emit({ kind: 'error', name: err.name, message: err.message, stack: err.stack ?? '' }, cell);
  }
  post({ type: 'done', cell, ok });
}

/** A value as plain data the page can receive (typed arrays as arrays). */
function plain(v: unknown): unknown {
  return JSON.parse(JSON.stringify(v, (_k, x) => (ArrayBuffer.isView(x) ? Array.from(x as unknown as ArrayLike<number>) : x)) ?? 'null');
}

self.onmessage = (e: MessageEvent) => {
  const m = e.data as { type: string; cell: number; code: string; id: number };
  if (m.type === 'run') queue = queue.then(() => run(m.cell, m.code));
  else if (m.type === 'eval')
    queue = queue.then(async () => {
      try {
        post({ type: 'value', id: m.id, value: plain(await compile(m.code)()) });
      } catch (err) {
        post({ type: 'value', id: m.id, error: String((err as Error).message ?? err) });
      }
    });
};

// lib's kernels and their pool before the first cell: on a cross-origin-isolated page the pool's
// helper Worker starts only once this worker yields, so it is made now.
(async () => {
  const backend = require_('course/backend') as { ready(): Promise<string> };
  await backend.ready();
  const heap = require_('course/nn/wasm/heap') as { heap(): { pool: { size: number } } };
  post({ type: 'ready', threads: heap.heap().pool.size, isolated: (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true });
})().catch((e) => post({ type: 'ready', error: String((e as Error).stack ?? e) }));
