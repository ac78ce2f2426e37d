'use strict';
// The test runner that executes inside a grading sandbox (a copy of this file sits in
// every sandbox; it never reads the grader's own folder).
//
// Job: JSON on stdin (fd 0), read to EOF before any test or submission code loads:
//   { nonce, mode: 'list' | 'run', root, testFile, exercises: string[] | null, start, testTimeoutMs }
// Reports: one line per message on fd 3 only, each prefixed by the nonce, which lives in
// this module's closure and nowhere else (not in argv, env, files or globals). stdout and
// stderr belong to the submission and are never parsed by the grader.
//
// It implements the mocha BDD interface (describe/it/before/after/beforeEach/afterEach)
// itself, so no test framework object sits in the submission's reach, and it locks
// down what a submission could patch (chai, JS globals, tfjs's public objects, module
// loading) before any submission code runs.
const fs = require('fs');
const path = require('path');
const Module = require('module');

// ---- captured before anything untrusted can run ----
const writeSync = fs.writeSync;
const fstatSync = fs.fstatSync;
const stringify = JSON.stringify;
const parse = JSON.parse;
const SetTimeout = setTimeout;
const ClearTimeout = clearTimeout;
const StringFn = String;
const job = parse(fs.readFileSync(0, 'utf8'));
const NONCE = job.nonce;
job.nonce = undefined;
const MAX_MSG = 4000;

function send(msg) {
  const buf = Buffer.from(NONCE + ' ' + stringify(msg) + '\n', 'utf8');
  let off = 0;
  while (off < buf.length) {
    try {
      off += writeSync(3, buf, off, buf.length - off);
    } catch (e) {
      if (e && e.code === 'EAGAIN') continue;
      throw e;
    }
  }
}

/** Bytes printed so far (stdout and stderr share one file the grader reads). */
function printed() {
  try { return fstatSync(1).size; } catch { return 0; }
}

function clip(s) {
  return s.length > MAX_MSG ? s.slice(0, MAX_MSG) + ' …(truncated)' : s;
}

/** The message of anything thrown, without trusting it to behave. */
function describeError(err) {
  try {
    if (err && typeof err === 'object' && 'message' in err) {
      const name = err.name && err.name !== 'Error' && err.name !== 'AssertionError' ? StringFn(err.name) + ': ' : '';
      return clip(name + StringFn(err.message));
    }
    return clip('thrown: ' + StringFn(err));
  } catch {
    return '<an error that cannot be printed>';
  }
}

const ROOT = job.root;
const EXERCISES = path.join(ROOT, 'exercises') + path.sep;
const LIB = path.join(ROOT, 'lib') + path.sep;

// ---- the BDD interface ----
class Suite {
  constructor(title, parent, pending) {
    this.title = title;
    this.parent = parent;
    this.pending = pending;
    this.suites = [];
    this.tests = [];
    this.hooks = { beforeAll: [], afterAll: [], beforeEach: [], afterEach: [] };
  }
  titles() {
    return this.parent ? [...this.parent.titles(), this.title] : [];
  }
}
let root = new Suite('', null, false);
let current = root;
let loading = true;

function hookAdder(kind) {
  return (a, b) => {
    if (!loading) throw new Error(`${kind}() called while tests are running`);
    const fn = typeof a === 'function' ? a : b;
    if (typeof fn !== 'function') throw new Error(`${kind}() needs a function`);
    current.hooks[kind].push(fn);
  };
}
function describeWith(pending) {
  return (title, fn) => {
    if (!loading) throw new Error('describe() called while tests are running');
    const s = new Suite(StringFn(title), current, pending || current.pending);
    current.suites.push(s);
    const prev = current;
    current = s;
    try {
      if (typeof fn === 'function') fn.call(contextFor(s));
    } finally {
      current = prev;
    }
    return s;
  };
}
function itWith(pending) {
  return (title, fn) => {
    if (!loading) throw new Error('it() called while tests are running');
    const t = { title: StringFn(title), fn: typeof fn === 'function' ? fn : null, parent: current, pending: pending || current.pending || typeof fn !== 'function' };
    current.tests.push(t);
    return t;
  };
}
class SkipSignal {}
function contextFor() {
  return {
    timeout() { return this; },
    slow() { return this; },
    retries() { return this; },
    skip() { throw new SkipSignal(); },
  };
}
const describe = describeWith(false);
describe.skip = describeWith(true);
describe.only = describe;
const it = itWith(false);
it.skip = itWith(true);
it.only = it;
const bdd = {
  describe, context: describe, xdescribe: describe.skip, xcontext: describe.skip,
  it, specify: it, xit: it.skip, xspecify: it.skip,
  before: hookAdder('beforeAll'), after: hookAdder('afterAll'),
  beforeEach: hookAdder('beforeEach'), afterEach: hookAdder('afterEach'),
};

/** Run one test or hook function (sync, promise or done-callback) with a timeout. */
function runFn(fn, ctx, timeoutMs) {
  return new Promise((resolve) => {
    let settled = false;
    const finish = (err) => {
      if (settled) return;
      settled = true;
      ClearTimeout(timer);
      resolve(err);
    };
    const timer = SetTimeout(() => finish(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
    try {
      if (fn.length > 0) {
        fn.call(ctx, (err) => finish(err ? err : null));
      } else {
        const r = fn.call(ctx);
        if (r && typeof r.then === 'function') r.then(() => finish(null), (e) => finish(e === undefined || e === null ? new Error('promise rejected') : e));
        else finish(null);
      }
    } catch (e) {
      finish(e === undefined || e === null ? new Error('threw ' + e) : e);
    }
  });
}

// ---- lockdown helpers ----
function deepFreeze(value, seen) {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return;
  if (seen.has(value) || Object.isFrozen(value)) return;
  seen.add(value);
  // A module namespace cannot be frozen (and cannot be changed from outside anyway).
  if (Object.prototype.toString.call(value) !== '[object Module]') Object.freeze(value);
  for (const key of Reflect.ownKeys(value)) {
    const d = Object.getOwnPropertyDescriptor(value, key);
    if (!d) continue;
    if ('value' in d) deepFreeze(d.value, seen);
    else {
      deepFreeze(d.get, seen);
      deepFreeze(d.set, seen);
    }
  }
  deepFreeze(Object.getPrototypeOf(value), seen);
}

function neutralize(obj, keys, why) {
  for (const k of keys) {
    if (!(k in obj)) continue;
    try {
      Object.defineProperty(obj, k, { value: () => { throw new Error(`${k} is disabled in the grading sandbox (${why})`); }, writable: false, configurable: false });
    } catch {}
  }
}

function lockGlobals() {
  for (const key of Reflect.ownKeys(globalThis)) {
    const d = Object.getOwnPropertyDescriptor(globalThis, key);
    if (!d || !d.configurable) continue;
    try {
      if ('value' in d) Object.defineProperty(globalThis, key, { value: d.value, writable: false, configurable: false, enumerable: d.enumerable });
    } catch {}
  }
}

const ALLOWED_PACKAGES = ['@tensorflow/tfjs', '@tensorflow/tfjs-core', 'mathjs'];
const originalLoad = Module._load;
function guardedLoad(request, parent, isMain) {
  const from = parent && parent.filename;
  if (typeof from === 'string' && from.startsWith(EXERCISES)) {
    let req = StringFn(request);
    if (req.startsWith('course/')) req = path.join(LIB, req.slice('course/'.length));
    if (req.startsWith('.') || path.isAbsolute(req)) {
      const target = path.resolve(path.dirname(from), req);
      if (!(target + path.sep).startsWith(EXERCISES) && !target.startsWith(EXERCISES) && !target.startsWith(LIB)) {
        throw new Error(`an exercise may only import from exercises/ and lib/, not "${request}"`);
      }
      return originalLoad.call(this, target, parent, isMain);
    }
    if (!ALLOWED_PACKAGES.includes(req)) {
      throw new Error(`"${request}" cannot be imported by an exercise; allowed: ${ALLOWED_PACKAGES.join(', ')}, lib/ and other exercises`);
    }
    return originalLoad.call(this, req, parent, isMain);
  }
  return originalLoad.call(this, request, parent, isMain);
}

async function main() {
  process.env.COURSE_EXERCISES = path.join(ROOT, 'exercises');
  // Debugging hooks that could read the nonce out of this closure.
  for (const name of ['inspector', 'inspector/promises']) {
    try {
      const m = require(name);
      neutralize(m, ['Session', 'open', 'url', 'waitForDebugger', 'close'], 'inspector');
      Object.freeze(m);
    } catch {}
  }
  const v8 = require('v8');
  neutralize(v8, ['getHeapSnapshot', 'writeHeapSnapshot', 'setFlagsFromString', 'setHeapSnapshotNearHeapLimit', 'startupSnapshot'], 'heap access');
  Object.freeze(v8);
  neutralize(process, ['_debugProcess', '_debugEnd', 'binding', '_linkedBinding', 'dlopen'], 'process internals');
  neutralize(globalThis, ['fetch', 'WebSocket', 'EventSource'], 'no network');
  // Create the stdio streams first (they are net.Sockets), then disable making connections.
  void process.stdout;
  void process.stderr;
  const net = require('net');
  neutralize(net, ['connect', 'createConnection', 'createServer'], 'no network');
  neutralize(net.Socket.prototype, ['connect'], 'no network');
  Object.freeze(net);
  for (const name of ['http', 'https', 'http2', 'tls', 'dgram', 'dns']) {
    try {
      const m = require(name);
      neutralize(m, Object.keys(m).filter((k) => typeof m[k] === 'function' && !/^[A-Z]/.test(k)), 'no network');
      Object.freeze(m);
    } catch {}
  }

  // The libraries tests use, loaded and frozen before any test or submission code.
  const chai = require('chai');
  deepFreeze(chai, new Set());
  let tf = null;
  try {
    if (!job.tf) throw new Error('tfjs not needed');
    tf = require('@tensorflow/tfjs');
    const backend = require(path.join(ROOT, 'lib', 'backend'));
    await backend.ready({ quiet: true });
    const core = require('@tensorflow/tfjs-core');
    for (const k of ['registerKernel', 'unregisterKernel', 'registerGradient', 'unregisterGradient', 'registerBackend', 'removeBackend', 'setBackend', 'setPlatform', 'registerOp']) {
      try {
        if (typeof core[k] === 'function') Object.defineProperty(core, k, { value: () => { throw new Error(`tf.${k} is disabled while grading`); }, writable: false, configurable: false });
      } catch {}
    }
    for (const C of [tf.Tensor, tf.Variable]) if (C) { Object.freeze(C.prototype); Object.freeze(C); }
  } catch (e) {
    if (job.tf && job.mode === 'list') throw e;
  }
  Module._load = guardedLoad;
  Object.freeze(Module);

  Object.assign(globalThis, bdd);
  lockGlobals();
  const fullTitle = (t) => [...t.parent.titles(), t.title].join(' ');
  const wanted = job.exercises;
  const files = job.mode === 'list' ? job.testFiles : [job.testFile];
  let selected = [];
  for (const file of files) {
    root = new Suite('', null, false);
    current = root;
    loading = true;
    let loadError = null;
    try {
      require(path.join(ROOT, file));
    } catch (e) {
      loadError = e;
    }
    loading = false;
    if (loadError) {
      send({ t: 'loaderror', file, message: describeError(loadError) });
      if (job.mode === 'list') continue;
      return;
    }
    // Enumerate in mocha's order: a suite's tests, then its child suites.
    const all = [];
    (function walk(s) {
      for (const t of s.tests) all.push(t);
      for (const c of s.suites) walk(c);
    })(root);
    selected = all.filter((t) => !t.pending && (!wanted || wanted.includes(t.parent.titles()[0])));
    if (job.mode === 'list') {
      send({
        t: 'list',
        file,
        tests: selected.map((t) => ({ fullTitle: fullTitle(t), title: t.title, exercise: t.parent.titles()[0] || '', body: clip(StringFn(t.fn)) })),
        pending: all.filter((t) => t.pending).map(fullTitle),
      });
    }
  }
  if (job.mode === 'list') return;
  for (const name of Object.keys(require.cache)) {
    if (name.startsWith(path.join(ROOT, 'test') + path.sep) && name.endsWith(`${path.sep}harness.js`)) Object.freeze(require.cache[name].exports);
  }
  send({ t: 'list', tests: selected.map(fullTitle) });

  const index = new Map(selected.map((t, i) => [t, i]));
  const run = new Set(selected.slice(job.start));
  const ctx = contextFor();
  const timeout = job.testTimeoutMs;

  function hasWork(s) {
    return s.tests.some((t) => run.has(t)) || s.suites.some(hasWork);
  }
  function chain(s, kind) {
    const out = [];
    for (let p = s; p; p = p.parent) out.unshift(...p.hooks[kind]);
    return kind === 'afterEach' ? out.reverse() : out;
  }
  async function runSuite(s) {
    if (!hasWork(s)) return;
    for (const h of s.hooks.beforeAll) {
      const err = await runFn(h, ctx, timeout);
      if (err) {
        const msg = '"before all" hook failed: ' + describeError(err);
        (function failAll(x) {
          for (const t of x.tests) if (run.has(t)) { send({ t: 'begin', i: index.get(t) }); send({ t: 'end', i: index.get(t), ok: false, message: msg, out: printed() }); }
          for (const c of x.suites) failAll(c);
        })(s);
        return;
      }
    }
    for (const t of s.tests) {
      if (!run.has(t)) continue;
      const i = index.get(t);
      send({ t: 'begin', i });
      let err = null;
      for (const h of chain(s, 'beforeEach')) {
        const e = await runFn(h, ctx, timeout);
        if (e) { err = '"before each" hook failed: ' + describeError(e); break; }
      }
      let ok = false;
      if (!err) {
        const e = await runFn(t.fn, ctx, timeout);
        if (e instanceof SkipSignal) err = 'the test skipped itself (this.skip()), so it earns no points';
        else if (e) err = describeError(e);
        else ok = true;
      }
      for (const h of chain(s, 'afterEach')) {
        const e = await runFn(h, ctx, timeout);
        if (e && ok) { ok = false; err = '"after each" hook failed: ' + describeError(e); }
      }
      send(ok ? { t: 'end', i, ok: true, out: printed() } : { t: 'end', i, ok: false, message: err, out: printed() });
    }
    for (const c of s.suites) await runSuite(c);
    for (const h of s.hooks.afterAll) await runFn(h, ctx, timeout);
  }
  await runSuite(root);
  send({ t: 'done' });
}

main().then(
  () => process.exit(0),
  (e) => {
    try { send({ t: 'fatal', message: describeError(e) }); } catch {}
    process.exit(70);
  },
);
