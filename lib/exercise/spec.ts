// How an exercise's tests are written (public ones in test/exercises/, a teacher's hidden ones
// anywhere). A test is "inputs → call → outputs → verdict": the test body builds inputs, calls
// the learner's function through `t.call(...)`, and judges what came back. Only the inputs
// travel to the learner's function and only its outputs travel back, so the function can run
// in a sandbox while the test body (with its expected values) stays with the grader.
//
//   export default exercise('diffusion/ddpmStep', 'ddpmStep', [
//     test(2, 'matches the DDPM update', async (t) => {
//       const got = await t.call(tensor(x, [3, 2]), tensor(e, [3, 2]), 0.01, 0.5, 0.6, null);
//       near(got, want, { tol: 1e-5, what: 'x_{t−1}' });
//     }),
//   ]);
import { TensorValue, isTensorValue } from './wire';
import { withinTime } from './withinTime';
import { NamedCheck, noteNamed } from './named';

export type { TensorValue } from './wire';

/** What a test body gets: the learner's function, called through the wire. */
export interface Trial {
  /** Call the exercise's function; resolves to what it returned (tensors as TensorValue). If it threw, rejects with an ExerciseError. */
  call(...args: unknown[]): Promise<any>;
  /** Call it and differentiate: its (scalar tensor) result and d(result)/d(args[i]), through tf.valueAndGrad. */
  grad(i: number, ...args: unknown[]): Promise<{ value: any; grad: any }>;
  /** Call it expecting an error; resolves to the error's message, and fails the test if it returned. */
  throws(...args: unknown[]): Promise<string>;
  /** Tensors the last call left alive (inputs and result not counted). */
  readonly leaked: number;
}

export interface TestCase {
  title: string;
  /** Points earned when it passes; 0 for advice (shown to the learner, never scored). */
  points: number;
  body: (t: Trial) => Promise<void> | void;
}

export interface ExerciseSpec {
  /** '<chapter>/<name>': where its reference solution and its public spec live. */
  id: string;
  /** The function the learner writes (the module's export, the notebook cell's function). */
  fn: string;
  tests: TestCase[];
}

const ID = /^[a-z][a-zA-Z0-9]*\/[a-zA-Z][a-zA-Z0-9]*$/;
const NAME = /^[A-Za-z_$][\w$]*$/;

/** The tests of one exercise. */
export function exercise(id: string, fn: string, tests: TestCase[]): ExerciseSpec {
  if (typeof id !== 'string' || !ID.test(id)) throw new Error(`exercise: id must look like 'chapter/name', got ${JSON.stringify(id)}`);
  if (typeof fn !== 'string' || !NAME.test(fn)) throw new Error(`exercise ${id}: function name ${JSON.stringify(fn)} is not an identifier`);
  if (!Array.isArray(tests) || tests.length === 0) throw new Error(`exercise ${id}: give at least one test`);
  const titles = new Set<string>();
  for (const t of tests) {
    if (titles.has(t.title)) throw new Error(`exercise ${id}: two tests are titled "${t.title}"`);
    titles.add(t.title);
  }
  return { id, fn, tests };
}

/** A scored test: all its points or none. */
export function test(points: number, title: string, body: TestCase['body']): TestCase {
  if (!(typeof points === 'number' && points > 0 && Number.isFinite(points))) throw new Error(`test "${title}": points must be positive, got ${points}`);
  if (typeof title !== 'string' || !title.trim()) throw new Error('test: give a title');
  return { title, points, body };
}

/**
 * Advice: a check shown to the learner but worth no points. Use it for what a submission could
 * fake from inside its own process (e.g. tensor leaks, which tfjs counts in that process).
 */
export function advice(title: string, body: TestCase['body']): TestCase {
  if (typeof title !== 'string' || !title.trim()) throw new Error('advice: give a title');
  return { title, points: 0, body };
}

/** An error the learner's function threw (its message), as opposed to a failed verdict. */
export class ExerciseError extends Error {
  constructor(readonly fn: string, readonly original: string) {
    super(`${fn} threw: ${original}`);
    this.name = 'ExerciseError';
  }
}

/** A tensor input: values and shape (dtype float32 unless given). */
export function tensor(values: ArrayLike<number>, shape: number[], dtype: 'float32' | 'int32' = 'float32'): TensorValue {
  const n = shape.reduce((a, b) => a * b, 1);
  if (values.length !== n) throw new Error(`tensor: ${values.length} values do not fill shape [${shape}]`);
  return { kind: 'tensor', shape: [...shape], dtype, values: Array.from(values) };
}

// ---------------------------------------------------------------- verdicts

/** Round for messages: 6 significant digits. */
export function show(x: number): string {
  return Number.isFinite(x) ? String(Number(x.toPrecision(6))) : String(x);
}

function where(i: number, shape?: number[]): string {
  if (!shape || shape.length < 2) return `element ${i}`;
  const idx: number[] = [];
  let r = i;
  for (let k = shape.length - 1; k >= 0; k--) {
    idx.unshift(r % shape[k]);
    r = Math.floor(r / shape[k]);
  }
  return `element [${idx.join(', ')}]`;
}

export interface NearOptions {
  /** Absolute tolerance (default 1e-5). */
  tol?: number;
  /** Relative tolerance added to tol·|want| (default 0). */
  rel?: number;
  /**
   * Expected shape of a tensor result. Checked by default: when not given, it is `want`'s shape
   * (a tensor), else the shape of the call's tensor input holding as many values (a step, a
   * guidance combine or a sampler returns x's shape). Give it to expect another shape (a transpose).
   */
  shape?: number[];
  /** What the values are, for the message (e.g. 'x_{t−1}'). */
  what?: string;
  /** The inputs that matter, for the message (e.g. 't = 400, ᾱ_t = 0.0785'). */
  given?: string;
}

/** Where runTest keeps, on a tensor result, the shapes of the call's tensor inputs. */
export const INPUT_SHAPES = Symbol.for('course.exercise.inputShapes');

const sizeOf = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

/** The shape a tensor result must have (see NearOptions.shape), or undefined when none is known. */
export function expectedShape(got: unknown, want: unknown, opts: { shape?: number[] } = {}): number[] | undefined {
  if (opts.shape) return opts.shape;
  if (isTensorValue(want)) return want.shape;
  if (!isTensorValue(got)) return undefined;
  const inputs = (got as unknown as Record<symbol, number[][] | undefined>)[INPUT_SHAPES] ?? [];
  return inputs.find((s) => s.length > 0 && sizeOf(s) === got.values.length);
}

/**
 * The numbers inside a result: a tensor's values, a typed array, an array or one number. A tensor
 * result of a call must have its default shape first (NearOptions.shape: the call's tensor input
 * holding as many values), so reading the values alone does not skip the shape check.
 */
export function valuesOf(got: unknown, what = 'the result'): number[] {
  if (isTensorValue(got)) {
    const shape = expectedShape(got, undefined);
    if (shape && got.shape.join() !== shape.join()) throw new VerdictError(`${what} has shape [${got.shape}], expected [${shape}]`);
    return got.values;
  }
  if (typeof got === 'number') return [got];
  if (ArrayBuffer.isView(got) && !(got instanceof DataView)) return Array.from(got as unknown as ArrayLike<number>);
  if (Array.isArray(got) && got.every((v) => typeof v === 'number')) return got;
  throw new VerdictError(`${what} should be numbers (a tensor or an array), got ${describe(got)}`);
}

/** A verdict that failed: its message is shown to the learner. */
export class VerdictError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VerdictError';
  }
}

export function describe(v: unknown): string {
  if (isTensorValue(v)) return `a ${v.dtype} tensor of shape [${v.shape}]`;
  if (v === null) return 'null';
  if (v === undefined) return 'undefined';
  if (Array.isArray(v)) return `an array of length ${v.length}`;
  if (ArrayBuffer.isView(v)) return `a ${v.constructor.name} of length ${(v as unknown as ArrayLike<number>).length}`;
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'string') return `the string ${JSON.stringify(v.slice(0, 40))}${v.length > 40 ? '…' : ''}`;
  return `${typeof v} ${show(Number(v))}`;
}

/**
 * Every value within tol (+ rel·|want|) of `want`; the message names the first element off. A
 * tensor result must also have the expected shape (NearOptions.shape: checked by default).
 */
export function near(got: unknown, want: ArrayLike<number> | number | TensorValue, opts: NearOptions = {}): void {
  const what = opts.what ?? 'the result';
  const tail = opts.given ? ` (${opts.given})` : '';
  const shape = expectedShape(got, want, opts);
  if (shape && isTensorValue(got) && got.shape.join() !== shape.join()) {
    throw new VerdictError(`${what} has shape [${got.shape}], expected [${shape}]${tail}`);
  }
  const g = valuesOf(got, what);
  const w = typeof want === 'number' ? [want] : isTensorValue(want) ? want.values : Array.from(want);
  if (g.length !== w.length) throw new VerdictError(`${what} has ${g.length} values, expected ${w.length}${tail}`);
  const tol = opts.tol ?? 1e-5;
  const rel = opts.rel ?? 0;
  const at = isTensorValue(got) ? got.shape : shape;
  for (let i = 0; i < w.length; i++) {
    const ok = Number.isNaN(w[i]) ? Number.isNaN(g[i]) : Math.abs(g[i] - w[i]) <= tol + rel * Math.abs(w[i]);
    if (!ok) {
      const where_ = w.length === 1 ? what : `${what}, ${where(i, at)},`;
      throw new VerdictError(`${where_} is ${show(g[i])}, expected ${show(w[i])} ± ${show(tol + rel * Math.abs(w[i]))}${tail}`);
    }
  }
}

/** The same numbers, in the same order, as numbers (a string "4,3" is not [4, 3]). */
export function sameList(got: readonly unknown[], want: readonly number[]): boolean {
  return got.length === want.length && got.every((g, i) => typeof g === 'number' && g === want[i]);
}

/** A value list as a message writes it: numbers as numbers, anything else described. */
export function showList(xs: readonly unknown[]): string {
  return xs.map((x) => (typeof x === 'number' ? show(x) : describe(x))).join(', ');
}

/** Exactly these values (integers, labels). */
export function same(got: unknown, want: ArrayLike<number> | TensorValue, opts: { what?: string; given?: string; shape?: number[] } = {}): void {
  near(got, want, { ...opts, tol: 0 });
}

/** A condition, with the message to show when it fails. */
export function ok(cond: unknown, message: string): asserts cond {
  if (!cond) throw new VerdictError(message);
}

/**
 * What an error message should contain: an exact pattern, and the words a learner reads when it
 * is missing ("the shape [3, 4]"). A test checks the pattern; the learner never sees it.
 */
export interface Mention {
  re: RegExp;
  says: string;
}

const escapeRe = (s: string) => s.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');

/** A pattern and what it means in words: mention(/alphaBar\w* = 0\b/, 'the argument and its value, e.g. alphaBarT = 0'). */
export function mention(re: RegExp, says: string): Mention {
  if (!(re instanceof RegExp)) throw new Error('mention: give a RegExp');
  if (typeof says !== 'string' || !says.trim()) throw new Error(`mention ${re}: say in words what the message should contain`);
  return { re, says };
}

/** A shape as an error writes it, "[3, 4]" or "[3,4]": the pattern \[3,\s*4\]. `noun` names what it is (default "the shape"). */
export function shape(dims: number[], noun = 'the shape'): Mention {
  if (!Array.isArray(dims) || dims.some((d) => !Number.isInteger(d))) throw new Error(`shape: dims must be integers, got ${dims}`);
  return { re: new RegExp(`\\[${dims.join(',\\s*')}\\]`), says: `${noun} [${dims.join(', ')}]` };
}

/**
 * A value as an error writes it (1.5, -0.1, NaN, Infinity). whole: not as part of a longer number
 * or word (\b0\b: "0" but not "0.5"). `noun` names what it is (default "the value").
 */
export function value(v: number | string, opts: { whole?: boolean; noun?: string } = {}): Mention {
  const text = String(v);
  const re = escapeRe(text);
  return { re: new RegExp(opts.whole ? `\\b${re}\\b` : re), says: `${opts.noun ?? 'the value'} ${text}` };
}

/** Words the message should contain, as they are written. */
export function words(text: string): Mention {
  return { re: new RegExp(escapeRe(text)), says: `"${text}"` };
}

/**
 * A pattern given as a bare RegExp, in words when it is plain text ("beta[1] = -0.2" from
 * /beta\[1\] = -0\.2/, "[3, 4]" from /\[3,\s*4\]/); a pattern with real regex syntax left in
 * (\w*, alternatives, classes) is described as "text matching /…/".
 */
export function readable(re: RegExp): string {
  const src = re.source.replace(/\\b/g, '').replace(/,\\s[*+]/g, ', ').replace(/\\s[*+?]/g, ' ');
  let out = '';
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (c === '\\') {
      const n = src[i + 1];
      if (n !== undefined && /[\\^$.*+?()[\]{}|/\-]/.test(n)) {
        out += n;
        i++;
        continue;
      }
      return `text matching ${re}`;
    }
    if (/[\^$.*+?()[\]{}|]/.test(c)) return `text matching ${re}`;
    out += c;
  }
  return `"${out}"`;
}

const sayOf = (p: RegExp | Mention): string => (p instanceof RegExp ? readable(p) : p.says);
const reOf = (p: RegExp | Mention): RegExp => (p instanceof RegExp ? p : p.re);

/** A learner's message is cut to this many characters before any pattern runs on it. */
export const MAX_MESSAGE_CHARS = 4000;
/** How long one pattern may run on a message (ms) before it counts as not matching. */
export const PATTERN_MS = 500;

/**
 * `re.test(text)` with a time bound: a teacher's pattern that backtracks badly (/alphaBar\w* = 0\b/
 * on a long run of word characters is quadratic; nested quantifiers are exponential) is stopped
 * after PATTERN_MS and counts as not found (withinTime: Node's vm; where there is no vm, a
 * browser, the cap on the text is the bound).
 */
export function patternIn(re: RegExp, text: string): boolean {
  const once = new RegExp(re.source, re.flags.replace(/[gy]/g, ''));
  const t = text.length > MAX_MESSAGE_CHARS ? text.slice(0, MAX_MESSAGE_CHARS) : text;
  return withinTime(() => once.test(t), PATTERN_MS) === true;
}

/**
 * The learner's own error message: it must contain every pattern (e.g. the shapes it names),
 * given as a Mention (shape(), value(), words(), mention()) or a RegExp. A failing check says what
 * is missing in words, never as a regular expression. tfjs's own errors do not count: a message
 * must name the function it comes from. Only the first MAX_MESSAGE_CHARS characters count, and
 * each pattern runs with a time bound (patternIn).
 */
export function names(message: string, fn: string, patterns: (RegExp | Mention)[], what: string): void {
  const text = typeof message === 'string' ? message.slice(0, MAX_MESSAGE_CHARS) : '';
  const quoted = text.length > 300 ? `${text.slice(0, 300)}…` : text;
  if (!text.includes(fn)) throw new VerdictError(`${what}: the error should come from ${fn} itself and say so (e.g. "${fn}: …"); got "${quoted}"`);
  const missing = patterns.filter((p) => !patternIn(reOf(p), text));
  if (missing.length) throw new VerdictError(`${what}: the error should name ${missing.map(sayOf).join(' and ')}; got "${quoted}"`);
  // For runTest: a message must not also name what every other input's message should (standsInForAll).
  if (typeof message === 'string') noteNamed({ message, patterns: patterns.map(reOf), says: patterns.map(sayOf), what });
}

/**
 * An error names the value it was given, not every value: among the names() checks a test made
 * of its inputs' messages, one whose message also shows everything every other input's message
 * had to show (the patterns it need not show itself) stands in for all of them, and fails the
 * test. A message stuffed with every input's values does; an honest message that names another
 * value for context ("got [3, 4], need [2, 4] like imageEmb") does not pass every other check.
 * Returns the failure's message, or null.
 */
export function standsInForAll(checks: NamedCheck[]): string | null {
  const key = (re: RegExp) => `${re.source}/${re.flags}`;
  for (const a of checks) {
    const mine = new Set(a.patterns.map(key));
    const others = checks
      .filter((b) => b.what !== a.what)
      .map((b) => ({ b, theirs: b.patterns.map((re, i) => ({ re, says: b.says[i] })).filter((x) => !mine.has(key(x.re))) }))
      .filter((o) => o.theirs.length);
    if (others.length && others.every((o) => o.theirs.every((x) => patternIn(x.re, a.message)))) {
      const says = [...new Set(others.flatMap((o) => o.theirs.map((x) => x.says)))].slice(0, 6).join(', ');
      return `${a.what}: the error also names what the error for ${others.map((o) => o.b.what).join(' and ')} should name (${says}): an error names the value it was given, not every value`;
    }
  }
  return null;
}
