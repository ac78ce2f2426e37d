// The values that cross between a test (trusted) and the learner's function (maybe sandboxed):
// plain JSON plus tagged tensors, typed arrays, non-finite numbers, undefined and callbacks.
// Both sides speak only this, so a test's inputs can be sent into a sandbox and the function's
// outputs sent back, and nothing else (no test code, no expected values) ever goes in.

/** A value on the wire. */
export type Wire =
  | null
  | boolean
  | number
  | string
  | Wire[]
  | { $: 'tensor'; shape: number[]; dtype: string; data: Wire[] }
  | { $: 'f32' | 'f64' | 'i32'; data: Wire[] }
  | { $: 'num'; v: 'NaN' | 'Infinity' | '-Infinity' }
  | { $: 'undefined' }
  | { $: 'fn'; id: number }
  | { $: 'object'; v: { [k: string]: Wire } };

/** A tensor as the test sees it: shape, dtype and values (plain numbers). */
export interface TensorValue {
  kind: 'tensor';
  shape: number[];
  dtype: string;
  values: number[];
}

export function isTensorValue(v: unknown): v is TensorValue {
  return !!v && typeof v === 'object' && (v as TensorValue).kind === 'tensor' && Array.isArray((v as TensorValue).values);
}

/** What a side needs to turn tensors into wire values and back. */
export interface TensorCodec {
  isTensor(v: unknown): boolean;
  /** shape, dtype and data of a tensor (read synchronously). */
  read(t: unknown): { shape: number[]; dtype: string; data: ArrayLike<number> };
  make(shape: number[], dtype: string, data: number[]): unknown;
}

/** Plain-object codec: tensors are TensorValue records (the trusted side, which needs no tfjs). */
export const plainCodec: TensorCodec = {
  isTensor: isTensorValue,
  read: (t) => ({ shape: (t as TensorValue).shape, dtype: (t as TensorValue).dtype, data: (t as TensorValue).values }),
  make: (shape, dtype, data) => ({ kind: 'tensor', shape, dtype, values: data }) as TensorValue,
};

const MAX_DEPTH = 32;

function num(x: number): Wire {
  if (Number.isFinite(x)) return Object.is(x, -0) ? 0 : x;
  return { $: 'num', v: Number.isNaN(x) ? 'NaN' : x > 0 ? 'Infinity' : '-Infinity' };
}

function unnum(w: Wire): number {
  if (typeof w === 'number') return w;
  if (w && typeof w === 'object' && !Array.isArray(w) && w.$ === 'num') return w.v === 'NaN' ? NaN : w.v === 'Infinity' ? Infinity : -Infinity;
  throw new Error(`wire: expected a number, got ${JSON.stringify(w)?.slice(0, 40)}`);
}

/**
 * Encode a value. Functions are registered in `fns` (their index is the wire id), so the
 * other side can call them back.
 */
export function encode(v: unknown, codec: TensorCodec, fns: Function[] = [], depth = 0): Wire {
  if (depth > MAX_DEPTH) throw new Error('wire: value nested too deeply');
  if (v === null) return null;
  if (v === undefined) return { $: 'undefined' };
  if (typeof v === 'number') return num(v);
  if (typeof v === 'boolean' || typeof v === 'string') return v;
  if (typeof v === 'function') {
    fns.push(v);
    return { $: 'fn', id: fns.length - 1 };
  }
  if (codec.isTensor(v)) {
    const { shape, dtype, data } = codec.read(v);
    return { $: 'tensor', shape: Array.from(shape), dtype: String(dtype), data: Array.from(data, num) };
  }
  if (v instanceof Float32Array) return { $: 'f32', data: Array.from(v, num) };
  if (v instanceof Float64Array) return { $: 'f64', data: Array.from(v, num) };
  if (v instanceof Int32Array) return { $: 'i32', data: Array.from(v, num) };
  if (Array.isArray(v)) return v.map((x) => encode(x, codec, fns, depth + 1));
  if (typeof v === 'object') {
    const proto = Object.getPrototypeOf(v);
    if (proto !== Object.prototype && proto !== null) throw new Error(`wire: cannot send a ${proto?.constructor?.name ?? 'class instance'}`);
    const out: { [k: string]: Wire } = {};
    for (const [k, x] of Object.entries(v as object)) out[k] = encode(x, codec, fns, depth + 1);
    return { $: 'object', v: out };
  }
  throw new Error(`wire: cannot send a ${typeof v}`);
}

/**
 * Most numbers one decoded value may hold, over all its arrays, typed arrays and tensors; and the
 * largest size a tensor may claim in any dimension. The other side is untrusted (a learner's
 * function, perhaps hostile): what reaches a test is real arrays and tensors of bounded size, so
 * `Array.from(x.values)` or `new Array(x.shape[0])` in a test body cannot run the grader out of memory.
 */
export const MAX_VALUES = 1 << 24;
const MAX_RANK = 8;

/** Decode a value; `callback(id)` gives the function that stands for a wire callback. */
export function decode(w: Wire, codec: TensorCodec, callback: (id: number) => Function = noCallbacks): unknown {
  const budget = { left: MAX_VALUES };
  return decodeIn(w, codec, callback, 0, budget);
}

/** Count `n` values against the budget of one decoded value. */
function spend(budget: { left: number }, n: number): void {
  budget.left -= n;
  if (budget.left < 0) throw new Error(`wire: more than ${MAX_VALUES} values in one value`);
}

/** A wire array of numbers (a typed array's or a tensor's data), counted. */
function numbers(data: unknown, budget: { left: number }): number[] {
  if (!Array.isArray(data)) throw new Error('wire: the data of a tensor or typed array must be an array');
  spend(budget, data.length);
  return data.map(unnum);
}

function decodeIn(w: Wire, codec: TensorCodec, callback: (id: number) => Function, depth: number, budget: { left: number }): unknown {
  if (depth > MAX_DEPTH) throw new Error('wire: value nested too deeply');
  if (w === null || typeof w === 'boolean' || typeof w === 'string' || typeof w === 'number') return w;
  if (Array.isArray(w)) {
    spend(budget, w.length);
    return w.map((x) => decodeIn(x, codec, callback, depth + 1, budget));
  }
  if (typeof w !== 'object') throw new Error(`wire: bad value of type ${typeof w}`);
  switch (w.$) {
    case 'num':
      return unnum(w);
    case 'undefined':
      return undefined;
    case 'fn':
      if (!Number.isInteger(w.id)) throw new Error('wire: bad callback id');
      return callback(w.id);
    case 'f32':
      return Float32Array.from(numbers(w.data, budget));
    case 'f64':
      return Float64Array.from(numbers(w.data, budget));
    case 'i32':
      return Int32Array.from(numbers(w.data, budget));
    case 'tensor': {
      const shape: unknown = w.shape;
      if (!Array.isArray(shape) || shape.length > MAX_RANK || !shape.every((d) => Number.isInteger(d) && d >= 0 && d <= MAX_VALUES)) {
        throw new Error(`wire: bad tensor shape (at most ${MAX_RANK} dimensions, each a whole number from 0 to ${MAX_VALUES})`);
      }
      if (typeof w.dtype !== 'string' || w.dtype.length > 16) throw new Error('wire: bad tensor dtype');
      const data = numbers(w.data, budget);
      if (data.length !== shape.reduce((a: number, b: number) => a * b, 1)) throw new Error(`wire: tensor of shape [${shape}] has ${data.length} values`);
      return codec.make(shape, w.dtype, data);
    }
    case 'object': {
      if (!w.v || typeof w.v !== 'object' || Array.isArray(w.v)) throw new Error('wire: bad object');
      // A plain object cannot pose as an array (a `length`) or as a tensor (`kind: 'tensor'`):
      // arrays and tensors have their own tags, whose sizes are checked above.
      if (Object.prototype.hasOwnProperty.call(w.v, 'length')) throw new Error('wire: an object with a length is not an array; send an array, a typed array or a tensor');
      if (w.v.kind === 'tensor') throw new Error('wire: an object with kind "tensor" is not a tensor; send a tensor');
      const entries = Object.entries(w.v);
      spend(budget, entries.length);
      const out: { [k: string]: unknown } = {};
      for (const [k, x] of entries) {
        if (k === '__proto__') continue;
        out[k] = decodeIn(x, codec, callback, depth + 1, budget);
      }
      return out;
    }
    default:
      throw new Error(`wire: unknown tag ${JSON.stringify((w as { $: unknown }).$)}`);
  }
}

function noCallbacks(): Function {
  throw new Error('wire: this side takes no callbacks');
}
