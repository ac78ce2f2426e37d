// Running an exercise's tests. The test bodies run here (trusted); each `t.call(...)` goes
// through a Caller, which runs the learner's function somewhere (in this process for a
// learner's own check, in a sandboxed child for the grader) and returns only its outputs.
import { ExerciseError, ExerciseSpec, INPUT_SHAPES, MAX_MESSAGE_CHARS, standsInForAll, TestCase, Trial, VerdictError, show } from './spec';
import { checksOf, handOut, release } from './named';
import { isTensorValue } from './wire';
import { Wire, decode, encode, plainCodec } from './wire';

/** What one call of the learner's function gave: a value or the message it threw. */
export type CallOutcome = { ok: true; value: Wire; grad?: Wire; leaked: number } | { ok: false; error: string; leaked: number };

/** grad: also return d(result)/d(args[grad]) (the result must be a scalar tensor). */
export interface CallOptions {
  grad?: number;
}

/** Serves a callback the learner's function made: wire args in, wire result out. */
export type Serve = (id: number, args: Wire[]) => Wire;

export interface Caller {
  call(args: Wire[], serve: Serve, opts?: CallOptions): Promise<CallOutcome>;
}

export interface TestResult {
  exercise: string;
  title: string;
  /** Points the test is worth (0 = advice). */
  points: number;
  score: number;
  passed: boolean;
  /** Why it failed (empty when it passed). */
  message: string;
  /**
   * What the test looked at: 'errors' when it only called t.throws (error handling), 'values'
   * when it called t.call or t.grad. Absent when it made no call.
   */
  checked?: 'values' | 'errors';
}

/** How many numbers of an array a message shows before it gives only its length (a tensor: its shape, and its values up to FEW_IN_TENSOR). */
const FEW = 4;
const FEW_IN_TENSOR = 2;

/** One input as a failing message names it: a number, a short list, or a tensor's shape (and its values when few). */
export function showInput(v: unknown): string {
  if (typeof v === 'number') return show(v);
  if (isTensorValue(v)) {
    const vals = v.values.length <= FEW_IN_TENSOR ? ` (${v.values.map(show).join(', ')})` : '';
    return `${v.dtype === 'float32' ? '' : `${v.dtype} `}tensor [${v.shape.join(', ')}]${vals}`;
  }
  if (Array.isArray(v) || ArrayBuffer.isView(v)) {
    const xs = Array.from(v as ArrayLike<unknown>);
    return xs.length <= FEW && xs.every((x) => typeof x === 'number') ? `[${xs.map((x) => show(x as number)).join(', ')}]` : `an array of length ${xs.length}`;
  }
  if (v === null || v === undefined || typeof v === 'boolean') return String(v);
  if (typeof v === 'string') return JSON.stringify(v.length > 20 ? `${v.slice(0, 20)}…` : v);
  if (typeof v === 'function') return 'a function';
  return 'an object';
}

/** A call as a failing message names it, compact: "alphaBar([0.1, 0.5])", "ddpmStep(tensor [3, 2], tensor [2, 2], 0.01, …)". */
export function showCall(fn: string, args: readonly unknown[]): string {
  const text = `${fn}(${args.map(showInput).join(', ')})`;
  return text.length > 240 ? `${text.slice(0, 239)}…)` : text;
}

/** Run one test: its body with a Trial bound to `caller`. Never throws. */
export async function runTest(spec: ExerciseSpec, test: TestCase, caller: Caller): Promise<TestResult> {
  let leaked = 0;
  /** The messages t.throws gave the body: names() notes what it checked of them (named.ts). */
  const thrown: string[] = [];
  let values = false;
  let errors = false;
  const invoke = async (args: unknown[], opts?: CallOptions): Promise<CallOutcome> => {
    const fns: Function[] = [];
    const wire = args.map((a) => encode(a, plainCodec, fns));
    const serve: Serve = (id, xs) => {
      // id comes from the learner's side: only an index of a function this test passed counts.
      const f = Number.isInteger(id) && id >= 0 && id < fns.length ? fns[id] : undefined;
      if (!f) throw new Error(`no callback ${id}`);
      return encode(f(...xs.map((x) => decode(x, plainCodec))), plainCodec);
    };
    const out = await caller.call(wire, serve, opts);
    leaked = out.leaked;
    return out;
  };
  const trial: Trial = {
    async call(...args) {
      values = true;
      const out = await invoke(args);
      // 'in' narrows without strictNullChecks too (tslab compiles lib non-strict).
      if ('error' in out) throw new ExerciseError(spec.fn, capped(out.error));
      return withInputShapes(decode(out.value, plainCodec), args);
    },
    async grad(i, ...args) {
      if (!(Number.isInteger(i) && i >= 0 && i < args.length)) throw new Error(`grad: argument ${i} does not exist`);
      values = true;
      const out = await invoke(args, { grad: i });
      if ('error' in out) throw new ExerciseError(spec.fn, capped(out.error));
      if (out.grad === undefined) throw new VerdictError(`no gradient came back for argument ${i}`);
      return { value: decode(out.value, plainCodec), grad: decode(out.grad, plainCodec) };
    },
    async throws(...args) {
      errors = true;
      const out = await invoke(args);
      if (!('error' in out)) throw new VerdictError(`${spec.fn} should throw an error here, but it returned normally for ${showCall(spec.fn, args)}`);
      const message = capped(out.error);
      handOut(message);
      thrown.push(message);
      return message;
    },
    get leaked() {
      return leaked;
    },
  };
  const base = { exercise: spec.id, title: test.title, points: test.points };
  const checked = () => (values ? { checked: 'values' as const } : errors ? { checked: 'errors' as const } : {});
  try {
    await test.body(trial);
    const stuffed = standsInForAll(checksOf(thrown));
    if (stuffed) return { ...base, score: 0, passed: false, message: stuffed, ...checked() };
    return { ...base, score: test.points, passed: true, message: '', ...checked() };
  } catch (e) {
    return { ...base, score: 0, passed: false, message: messageOf(e), ...checked() };
  } finally {
    for (const m of thrown) release(m);
  }
}

/**
 * Error handling earns its points beside a function that computes, not instead of one: a scored
 * test that only checked thrown errors (checked 'errors') keeps its points when every other
 * scored test of the same exercise passed; otherwise it fails, saying so. (A function that
 * always throws one message stuffed with every phrase the tests look for computes nothing, and
 * earns nothing.) A hidden test looks at all of its exercise's tests; a public one only at the
 * public ones, so no hidden outcome shows in a public test.
 */
export function gateErrorTests<T extends TestResult & { hidden?: boolean }>(results: T[]): T[] {
  return results.map((r) => {
    if (!(r.passed && r.points > 0 && r.checked === 'errors')) return r;
    const others = results.filter((o) => o.exercise === r.exercise && o.points > 0 && o.checked !== 'errors' && (r.hidden || !o.hidden));
    const failed = others.filter((o) => !o.passed);
    if (others.length && !failed.length) return r;
    const why = others.length
      ? `${failed.length} of ${others.length} value test(s) of ${r.exercise} failed`
      : `${r.exercise} has no value test`;
    return { ...r, score: 0, passed: false, message: `error handling earns its points once the exercise's value tests pass (${why}); the errors themselves were right` };
  });
}

/**
 * A learner's thrown message as a test body sees it: cut to MAX_MESSAGE_CHARS, so no pattern a
 * test runs on it (names(), or a teacher's own regex) meets megabytes.
 */
function capped(message: string): string {
  const m = typeof message === 'string' ? message : String(message);
  return m.length > MAX_MESSAGE_CHARS ? `${m.slice(0, MAX_MESSAGE_CHARS)}… (cut at ${MAX_MESSAGE_CHARS} characters)` : m;
}

/** A tensor result carries its call's tensor input shapes, for near()'s default shape check. */
function withInputShapes(v: unknown, args: unknown[]): unknown {
  if (isTensorValue(v)) Object.defineProperty(v, INPUT_SHAPES, { value: args.filter(isTensorValue).map((a) => [...a.shape]), enumerable: false });
  return v;
}

/** Run every test of an exercise, in order. */
export async function runSpec(spec: ExerciseSpec, caller: Caller): Promise<TestResult[]> {
  const out: TestResult[] = [];
  for (const test of spec.tests) out.push(await runTest(spec, test, caller));
  return gateErrorTests(out);
}

function messageOf(e: unknown): string {
  if (e instanceof Error) {
    // chai's AssertionError and our own errors carry the message that matters; other errors keep their type.
    // By name, not instanceof: a spec file may load its own copy of spec.ts.
    const m = ['Error', 'AssertionError', 'VerdictError', 'ExerciseError'].includes(e.name) ? e.message : `${e.name}: ${e.message}`;
    return m.slice(0, 2000);
  }
  return String(e).slice(0, 2000);
}

// ---------------------------------------------------------------- calling in this process

/** The part of tfjs a caller needs (so this file does not import tfjs itself). */
export interface TfLike {
  Tensor: Function;
  tensor(values: number[], shape: number[], dtype?: any): any;
  memory(): { numTensors: number };
  valueAndGrad(f: (x: any) => any): (x: any) => { value: any; grad: any };
}

/** Tensors become tf.Tensors on the learner's side. */
export function tfCodec(tf: TfLike) {
  return {
    isTensor: (v: unknown) => v instanceof tf.Tensor,
    read: (t: any) => ({ shape: t.shape as number[], dtype: t.dtype as string, data: t.dataSync() as ArrayLike<number> }),
    make: (shape: number[], dtype: string, data: number[]) => tf.tensor(data, shape, dtype),
  };
}

function tensorsIn(v: unknown, tf: TfLike, out: Set<any>, depth = 0): Set<any> {
  if (depth > 32 || v === null || typeof v !== 'object') return out;
  if (v instanceof tf.Tensor) out.add(v);
  else if (Array.isArray(v)) v.forEach((x) => tensorsIn(x, tf, out, depth + 1));
  else if (Object.getPrototypeOf(v) === Object.prototype) Object.values(v as object).forEach((x) => tensorsIn(x, tf, out, depth + 1));
  return out;
}

/**
 * Call `fn` with wire arguments, in this process, and report its outputs. The sandboxed
 * runner does exactly this in its own process; `callback` calls a test's function back.
 */
export async function callHere(fn: Function, args: Wire[], tf: TfLike, callback: Serve, opts: CallOptions = {}): Promise<CallOutcome> {
  const codec = tfCodec(tf);
  const before = tf.memory().numTensors;
  const made = new Set<any>();
  const decoded = args.map((a) =>
    decode(a, codec, (id) => (...xs: unknown[]) => decode(callback(id, xs.map((x) => encode(x, codec))), codec)),
  );
  decoded.forEach((d) => tensorsIn(d, tf, made));
  let outcome: CallOutcome;
  try {
    let value: unknown;
    let grad: unknown;
    if (opts.grad !== undefined) {
      const i = opts.grad;
      if (!(decoded[i] instanceof tf.Tensor)) throw new Error(`grad: argument ${i} is not a tensor`);
      // tf.valueAndGrad: the learner's function must be built from tensor ops all the way.
      ({ value, grad } = tf.valueAndGrad((x: unknown) => fn(...decoded.map((d, k) => (k === i ? x : d))))(decoded[i]));
    } else value = await fn(...decoded);
    const mine = tensorsIn([value, grad], tf, new Set());
    const wire = encode(value, codec);
    const gradWire = grad === undefined ? undefined : encode(grad, codec);
    const owned = new Set([...made, ...mine]);
    const leaked = tf.memory().numTensors - before - [...owned].filter((t) => !t.isDisposed).length;
    for (const t of owned) if (!t.isDisposed) t.dispose();
    outcome = { ok: true, value: wire, ...(gradWire !== undefined ? { grad: gradWire } : {}), leaked: Math.max(0, leaked) };
  } catch (e) {
    for (const t of made) if (!t.isDisposed) t.dispose();
    const leaked = tf.memory().numTensors - before;
    outcome = { ok: false, error: e instanceof Error ? e.message : String(e), leaked: Math.max(0, leaked) };
  }
  return outcome;
}

/** A caller that runs `fn` in this process (a learner's own check, npm test). */
export function localCaller(fn: Function, tf: TfLike): Caller {
  if (typeof fn !== 'function') throw new Error(`check: expected a function, got ${fn === null ? 'null' : typeof fn}`);
  return { call: (args, serve, opts) => callHere(fn, args, tf, serve, opts) };
}
