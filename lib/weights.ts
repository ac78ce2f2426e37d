// Weights as raw binary beside their JSON metadata, for pages that download them (the live site)
// and anything else that should not pay base64's third. A saved model's JSON (data/*.json: options
// plus one base64 payload per tensor) splits into
//   <name>.json  the same JSON with each tensor's payload replaced by where it lies in the .bin:
//                { shape, dtype, offset } (+ min, max for 16-bit codes), and at the top
//                { format: 'course-weights/1', bin: '<name>.bin', bytes, model: … };
//   <name>.bin   the payloads back to back, little-endian, each at a multiple of 4 bytes:
//                float32 values, or uint16 codes for weights saved as codes between a tensor's
//                min and max (chapter 6's unCLIP: its file stores them so; see lib/unclip/io.ts).
// readWeights (Node, ./weightsFile.ts) and fetchWeights (a browser, or anything with fetch) both
// decode through joinWeights here, so Node and a page get the same floats from the same files.
// Loaders take a tensor as base64 (the data/ JSON) or as its decoded values (tensorValues).
import { bytesFromBase64, floatsFromBase64 } from './base64';

export const WEIGHTS_FORMAT = 'course-weights/1';

/** A tensor's place in the .bin. */
export type StoredTensor = { shape: number[]; dtype: 'float32'; offset: number } | { shape: number[]; dtype: 'uint16'; offset: number; min: number; max: number };

/** The .json beside a .bin. */
export interface WeightsMeta<M = unknown> {
  format: typeof WEIGHTS_FORMAT;
  /** The .bin's file name, relative to the .json. */
  bin: string;
  /** The .bin's length in bytes. */
  bytes: number;
  /** The saved model's JSON with every tensor as a StoredTensor. */
  model: M;
}

/** A tensor as a loader takes it: base64 float32 (b64 or data), 16-bit codes (data with min, max), or decoded values. */
export interface TensorPayload {
  shape: number[];
  b64?: string;
  data?: string;
  min?: number;
  max?: number;
  values?: Float32Array;
}

const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

/** Codes c ∈ [0, 65535] between min and max back to floats: min + (c / 65535)·(max − min), as saved by lib/unclip/io.ts's pack. */
export function dequantize(codes: Uint16Array, min: number, max: number): Float32Array {
  const span = max - min || 1;
  return Float32Array.from(codes, (c) => min + (c / 65535) * span);
}

/** The tensor's float values, from whichever form it came in; checks their count against its shape. */
export function tensorValues(w: TensorPayload, what: string): Float32Array {
  let v: Float32Array;
  if (w.values) v = w.values;
  else if (typeof w.b64 === 'string') v = floatsFromBase64(w.b64);
  else if (typeof w.data === 'string' && typeof w.min === 'number' && typeof w.max === 'number') {
    const b = bytesFromBase64(w.data);
    v = dequantize(new Uint16Array(b.buffer, b.byteOffset, b.byteLength / 2), w.min, w.max);
  } else if (typeof w.data === 'string') v = floatsFromBase64(w.data);
  else throw new Error(`${what}: a tensor needs b64, data or values; got keys ${Object.keys(w).join(', ')}`);
  if (v.length !== size(w.shape)) throw new Error(`${what}: ${v.length} values for shape [${w.shape}]`);
  return v;
}

const isPayload = (o: Record<string, unknown>) => Array.isArray(o.shape) && (typeof o.b64 === 'string' || typeof o.data === 'string');
const isStored = (o: Record<string, unknown>) => Array.isArray(o.shape) && (o.dtype === 'float32' || o.dtype === 'uint16') && typeof o.offset === 'number';

/** Walk a JSON tree, replacing the objects `match` picks by `f` of them. */
function mapTree(x: unknown, match: (o: Record<string, unknown>) => boolean, f: (o: Record<string, unknown>) => unknown): unknown {
  if (Array.isArray(x)) return x.map((y) => mapTree(y, match, f));
  if (x && typeof x === 'object' && !ArrayBuffer.isView(x)) {
    const o = x as Record<string, unknown>;
    if (match(o)) return f(o);
    return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, mapTree(v, match, f)]));
  }
  return x;
}

/**
 * Split a saved model's JSON into metadata and one binary: every tensor payload ({ shape, b64 },
 * { shape, data } as float32, or { shape, min, max, data } as 16-bit codes) moves into the .bin as
 * raw bytes (no conversion, so nothing is rounded) and becomes a StoredTensor.
 */
export function splitWeights<M>(model: M, binName: string): { meta: WeightsMeta; bin: Uint8Array } {
  const parts: Uint8Array[] = [];
  let at = 0;
  const meta = mapTree(model, isPayload, (o) => {
    const w = o as unknown as TensorPayload;
    const bytes = bytesFromBase64((w.b64 ?? w.data)!);
    const codes = typeof w.min === 'number' && typeof w.max === 'number' && w.b64 === undefined;
    const n = size(w.shape);
    if (bytes.length !== n * (codes ? 2 : 4)) throw new Error(`splitWeights: ${bytes.length} bytes for shape [${w.shape}] as ${codes ? 'uint16' : 'float32'}`);
    const offset = at;
    parts.push(bytes);
    at += bytes.length;
    const pad = (4 - (at % 4)) % 4;
    if (pad) parts.push(new Uint8Array(pad)), (at += pad);
    // Whatever else the object held (none of the course's formats has more) is kept.
    const { b64: _b, data: _d, ...rest } = o;
    return codes ? { ...rest, shape: w.shape, dtype: 'uint16', offset, min: w.min, max: w.max } : { ...rest, shape: w.shape, dtype: 'float32', offset };
  });
  const bin = new Uint8Array(at);
  let p = 0;
  for (const part of parts) bin.set(part, p), (p += part.length);
  return { meta: { format: WEIGHTS_FORMAT, bin: binName, bytes: at, model: meta }, bin };
}

/** The model's JSON with every StoredTensor read from the .bin as { shape, values } (float32; uint16 codes dequantized). */
export function joinWeights<M = unknown>(meta: WeightsMeta, bin: ArrayBuffer | Uint8Array, source = 'weights'): M {
  if (meta.format !== WEIGHTS_FORMAT) throw new Error(`${source}: format ${meta.format}, expected ${WEIGHTS_FORMAT}`);
  const bytes = bin instanceof Uint8Array ? bin : new Uint8Array(bin);
  if (bytes.length !== meta.bytes) throw new Error(`${source}: ${meta.bin} has ${bytes.length} bytes, its metadata says ${meta.bytes}`);
  // Copy out, so the views are aligned whatever the buffer's offset, and the little-endian bytes are read as such on any machine.
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return mapTree(meta.model, isStored, (o) => {
    const s = o as unknown as StoredTensor;
    const n = size(s.shape);
    const width = s.dtype === 'uint16' ? 2 : 4;
    if (s.offset % 4 !== 0 || s.offset + n * width > bytes.length) throw new Error(`${source}: tensor [${s.shape}] at byte ${s.offset} does not fit in ${meta.bin} (${bytes.length} bytes)`);
    let values: Float32Array;
    if (s.dtype === 'float32') {
      values = new Float32Array(n);
      for (let i = 0; i < n; i++) values[i] = dv.getFloat32(s.offset + 4 * i, true);
    } else {
      const codes = new Uint16Array(n);
      for (let i = 0; i < n; i++) codes[i] = dv.getUint16(s.offset + 2 * i, true);
      values = dequantize(codes, s.min, s.max);
    }
    const { dtype: _t, offset: _o, min: _mi, max: _ma, ...rest } = o;
    return { ...rest, shape: s.shape, values };
  }) as M;
}

/** Fetch <url> (the .json) and the .bin it names beside it; the model's JSON with decoded tensors. */
export async function fetchWeights<M = unknown>(url: string): Promise<M> {
  const r = await fetch(url);
  if (!r.ok) throw new Error(`could not fetch ${url}: HTTP ${r.status}`);
  const meta = (await r.json()) as WeightsMeta;
  const binUrl = new URL(meta.bin, url).href;
  const b = await fetch(binUrl);
  if (!b.ok) throw new Error(`could not fetch ${binUrl}: HTTP ${b.status}`);
  return joinWeights<M>(meta, await b.arrayBuffer(), url);
}
