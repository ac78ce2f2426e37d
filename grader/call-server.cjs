// @ts-check
// The call server: the only process that runs learner code. It loads the submission's
// modules, and for each call the grader sends, runs the exercise's function on the given
// inputs (lib/exercise/run.ts's callHere) and sends back what came out: a value or an error
// message, and a tensor count. It holds no secret, no test and no verdict, so whatever learner
// code does to this process, it can only change the outputs it reports.
// Messages: grader/protocol.ts. Input on fd 0 (read synchronously, so a callback can block
// until the grader answers), output on fd 3, one JSON object per line.
'use strict';
const fs = require('fs');
const path = require('path');
const Module = require('module');
const { StringDecoder } = require('string_decoder');

/** @typedef {import('./protocol').ServerConfig} ServerConfig */
/** @typedef {import('./protocol').ToServer} ToServer */
/** @typedef {import('./protocol').ToGrader} ToGrader */
/** @typedef {import('../lib/exercise/wire').Wire} Wire */

/** @type {ServerConfig} */
const config = JSON.parse(process.argv[2] || '{}');
const IN = 0;
const OUT = 3;

// Captured before learner code loads, so a learner cannot break the channel by accident, nor
// watch it by wrapping a prototype method the channel calls (StringDecoder's write, a string's
// slice...). Breaking it on purpose only loses its own results, and what it could send by
// hand the grader bounds (grader/sandbox.ts: callbacks per call, answers waiting unread).
/** `f` as a plain function of (this, ...args), immune to later changes of Function.prototype.call. */
const uncurry = (/** @type {Function} */ f) => Function.prototype.call.bind(f);
const writeSync = fs.writeSync;
const readSync = fs.readSync;
const stringify = JSON.stringify;
const parse = JSON.parse;
const bufferFrom = /** @type {(self: unknown, s: string, enc: string) => Buffer} */ (uncurry(Buffer.from));
const subarray = /** @type {(self: Buffer, a: number, b: number) => Buffer} */ (uncurry(Buffer.prototype.subarray));
const decoderWrite = /** @type {(self: StringDecoder, b: Buffer) => string} */ (uncurry(StringDecoder.prototype.write));
const indexOf = /** @type {(self: string, s: string) => number} */ (uncurry(String.prototype.indexOf));
const slice = /** @type {(self: string, a: number, b?: number) => string} */ (uncurry(String.prototype.slice));
const wait = Atomics.wait;
const exit = process.exit.bind(process);
const nap = new Int32Array(new SharedArrayBuffer(4));

/** @param {ToGrader} m */
function send(m) {
  const line = stringify(m) + '\n';
  let off = 0;
  const b = bufferFrom(Buffer, line, 'utf8');
  while (off < b.length) {
    try {
      off += writeSync(OUT, b, off, b.length - off);
    } catch (e) {
      if (/** @type {NodeJS.ErrnoException} */ (e).code !== 'EAGAIN') throw e;
      wait(nap, 0, 0, 2);
    }
  }
}

const decoder = new StringDecoder('utf8');
let pending = '';
const chunk = Buffer.alloc(1 << 16);

/** The next message from the grader; blocks. Exits when the grader closes the pipe. @returns {ToServer} */
function receive() {
  for (;;) {
    const nl = indexOf(pending, '\n');
    if (nl >= 0) {
      const line = slice(pending, 0, nl);
      pending = slice(pending, nl + 1);
      return parse(line);
    }
    let n = 0;
    try {
      n = readSync(IN, chunk, 0, chunk.length, null);
    } catch (e) {
      if (/** @type {NodeJS.ErrnoException} */ (e).code === 'EAGAIN') {
        wait(nap, 0, 0, 2);
        continue;
      }
      throw e;
    }
    if (n === 0) exit(0);
    pending += decoderWrite(decoder, subarray(chunk, 0, n));
  }
}

// ---------------------------------------------------------------- the unsafe fallback's network block

// The call server's own vm, taken before the block (it loads TypeScript through it).
const vm = require('vm');

/**
 * Every built-in module that reaches the network or runs code around this block: sockets and
 * their internals (_http_*, _tls_*, _stream_wrap, tty, whose streams are net.Sockets), processes
 * and threads, the inspector, and vm, repl and node:test (each can run an `import()` of a
 * blocked module, which does not go through Module._load).
 */
const NETWORK = ['dgram', 'dns', 'dns/promises', 'net', 'http', 'https', 'http2', 'tls', '_http_agent', '_http_client', '_http_common', '_http_incoming', '_http_outgoing', '_http_server', '_tls_common', '_tls_wrap', '_stream_wrap', 'tty', 'inspector', 'inspector/promises', 'child_process', 'cluster', 'worker_threads', 'repl', 'vm', 'v8', 'wasi'];

/** @param {object} o @param {string} key @param {unknown} value */
function pin(o, key, value) {
  Object.defineProperty(o, key, { value, writable: false, configurable: false, enumerable: false });
}

/**
 * Without namespaces there is no network isolation, so every route this process offers to a
 * socket is closed before learner code loads: require and module.constructor._load (one
 * function, Module._load), process.getBuiltinModule, process.binding and _linkedBinding (the
 * raw tcp_wrap / udp_wrap handles), process.dlopen (a native addon), process.stdin (a
 * net.Socket when fd 0 is a pipe: its constructor connects anywhere), fetch and friends. An
 * `import()` from eval or new Function is refused by node's --disallow-code-generation-from-strings
 * (sandbox.ts sets it in this mode); vm and repl, which could run one, are blocked above.
 * test/grader/trust-unsafe.test.ts tries each route against a listener on 127.0.0.1.
 */
function blockNetwork() {
  const blocked = new Set([...NETWORK.flatMap((m) => [m, `node:${m}`]), 'node:test', 'node:test/reporters', 'node:sea']);
  const refuse = (/** @type {string} */ what) => new Error(`${what} is disabled while grading`);
  const M = /** @type {any} */ (Module);
  const load = M._load;
  // Every require (module.constructor._load included: it is this same function) goes through here.
  /** @this {unknown} @param {string} request @param {unknown[]} rest */
  const guarded = function (request, ...rest) {
    if (typeof request === 'string' && blocked.has(request)) throw refuse(request);
    return load.call(this, request, ...rest);
  };
  pin(M, '_load', guarded);
  const P = /** @type {any} */ (process);
  const builtin = P.getBuiltinModule;
  if (typeof builtin === 'function') {
    pin(P, 'getBuiltinModule', (/** @type {string} */ id) => {
      if (typeof id !== 'string' || blocked.has(id) || blocked.has(`node:${id}`)) throw refuse(`process.getBuiltinModule(${typeof id === 'string' ? JSON.stringify(id) : typeof id})`);
      return builtin.call(process, id);
    });
  }
  for (const f of ['binding', '_linkedBinding', 'dlopen', 'openStdin']) {
    pin(P, f, () => {
      throw refuse(`process.${f}`);
    });
  }
  Object.defineProperty(process, 'stdin', { get: () => { throw refuse('process.stdin'); }, configurable: false, enumerable: false });
  for (const g of ['fetch', 'WebSocket', 'EventSource', 'Request', 'Response', 'Headers', 'FormData']) {
    try {
      pin(globalThis, g, undefined);
    } catch {}
  }
}

// ---------------------------------------------------------------- learner modules

/** @type {any} */
let ts = null;

/**
 * TypeScript, to transpile (no type checking). Loading its 9 MB of JavaScript dominates a
 * sandbox's start, so the grader gives a V8 code cache made once per run with the same flags;
 * V8 checks the cache and ignores it if it does not fit.
 */
function typescript() {
  const file = require.resolve('typescript');
  let cachedData;
  try {
    if (config.tsCache) cachedData = fs.readFileSync(config.tsCache);
  } catch {}
  if (!cachedData) return require('typescript');
  const script = new vm.Script(Module.wrap(fs.readFileSync(file, 'utf8')), { filename: file, cachedData });
  const m = /** @type {any} */ (new Module(file, module));
  m.filename = file;
  m.paths = /** @type {any} */ (Module)._nodeModulePaths(path.dirname(file));
  script.runInThisContext().call(m.exports, m.exports, (/** @type {string} */ id) => m.require(id), m, file, path.dirname(file));
  return m.exports;
}
/** @type {Map<string, Function | Error>} */
const loaded = new Map();

/** Load exercise `id`'s module (TypeScript, transpiled here) and take its function. @returns {Function} */
function functionOf(/** @type {string} */ id) {
  const have = loaded.get(id);
  if (have instanceof Error) throw have;
  if (have) return have;
  const mod = config.modules[id];
  try {
    if (!mod) throw new Error(`the submission has no ${id}`);
    if (!ts) ts = typescript();
    const src = fs.readFileSync(mod.file, 'utf8');
    const js = ts.transpileModule(src, {
      fileName: mod.file,
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true, sourceMap: false },
    }).outputText;
    const m = /** @type {any} */ (new Module(mod.file, module));
    m.filename = mod.file;
    m.paths = /** @type {any} */ (Module)._nodeModulePaths(path.dirname(mod.file));
    m._compile(js, mod.file);
    const fn = m.exports && m.exports[mod.fn];
    if (typeof fn !== 'function') throw new Error(`${path.basename(mod.file)} does not export a function ${mod.fn}`);
    loaded.set(id, fn);
    send({ type: 'loaded', exercise: id });
    return fn;
  } catch (e) {
    const err = new Error(`could not load ${id}: ${e instanceof Error ? e.message : String(e)}`);
    loaded.set(id, err);
    throw err;
  }
}

// ---------------------------------------------------------------- serving calls

/**
 * lib's exercise registry (lib/exercise/registry.ts) inside the sandbox: there is no reference
 * here, so an exercise's dispatcher (and `implementation(id)`) runs the submission's own
 * function for that id, or throws.
 */
function installRegistry() {
  const grading = (/** @type {string} */ id) => {
    if (!Object.prototype.hasOwnProperty.call(config.modules, id)) throw new Error(`the reference is not available while grading (this submission has no ${id} of its own)`);
    return functionOf(id);
  };
  /** @type {any} */ (globalThis)[Symbol.for('course.exercise.registry')] = { states: new Map(), used: new Set(), grading };
}

async function serve() {
  if (config.noNetwork) blockNetwork();
  installRegistry();
  const tf = require('@tensorflow/tfjs-core');
  require('@tensorflow/tfjs-backend-cpu');
  await tf.setBackend('cpu');
  const { callHere } = require(path.join(config.lib, 'exercise', 'run.js'));
  send({ type: 'ready' });
  for (;;) {
    const m = receive();
    if (m.type !== 'call') continue;
    const seq = m.seq;
    /** @type {Function} */
    let fn;
    try {
      fn = functionOf(m.exercise);
    } catch (e) {
      send({ type: 'unavailable', seq, reason: /** @type {Error} */ (e).message });
      continue;
    }
    /** A test's callback: ask the grader, and wait for its answer. */
    const callback = (/** @type {number} */ id, /** @type {Wire[]} */ args) => {
      send({ type: 'callback', seq, id, args });
      for (;;) {
        const r = receive();
        if (r.type !== 'return' || r.seq !== seq) continue;
        if (r.ok) return r.value;
        throw new Error(r.error);
      }
    };
    const outcome = await callHere(fn, m.args, tf, callback, m.grad === undefined ? {} : { grad: m.grad });
    send({ type: 'result', seq, outcome });
  }
}

serve().catch((e) => {
  process.stderr.write(`call server: ${e && e.stack ? e.stack : e}\n`);
  process.exit(70);
});
