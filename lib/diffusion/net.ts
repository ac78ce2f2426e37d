// The noise-prediction network: an MLP from lib/nn on [x (or Fourier features of x), sinusoidal
// embedding of t]. The reference size is 2 + 32 → 128 → 128 → 128 → 2.
import * as tf from '@tensorflow/tfjs';
import { Mlp, getWeights, mlp, setWeights } from '../nn';
import { base64FromFloats } from '../base64';
import { TensorPayload, tensorValues } from '../weights';
import { Seed, normals, toRng } from '../random';
import { EpsModel, checkBatch } from './eps';
import { timeTable } from './timeEmbedding';

export interface EpsNetOptions {
  /** Number of timesteps the embedding covers (the schedule's T). */
  T?: number;
  /** Data dimension (2 for the toy sets). */
  dim?: number;
  hidden?: number[];
  /** Width of the time embedding (even). */
  embed?: number;
  /** Number of random Fourier features of x (even; 0 = feed x itself). */
  fourier?: number;
  /** Frequency scale of the Fourier features. */
  fourierScale?: number;
  seed?: number;
}

export interface EpsNet {
  options: Required<EpsNetOptions>;
  net: Mlp;
  params: tf.Variable[];
  /** ε̂ for rows with their own timesteps t [n] (int32): what training calls. */
  predict(xt: tf.Tensor2D, t: tf.Tensor1D): tf.Tensor2D;
  /** The EpsModel samplers take. */
  eps: EpsModel;
  dispose(): void;
}

export function epsNet(opts: EpsNetOptions = {}): EpsNet {
  const o: Required<EpsNetOptions> = {
    T: opts.T ?? 1000,
    dim: opts.dim ?? 2,
    hidden: opts.hidden ?? [128, 128, 128],
    embed: opts.embed ?? 32,
    fourier: opts.fourier ?? 0,
    fourierScale: opts.fourierScale ?? 1,
    seed: opts.seed ?? 0,
  };
  if (o.fourier % 2 !== 0 || o.fourier < 0) throw new Error(`epsNet: fourier must be an even number ≥ 0, got ${o.fourier}`);
  const g = toRng(o.seed);
  const tableValues = timeTable(o.T, o.embed);
  // Fourier features [sin 2πxB, cos 2πxB] with B ~ N(0, scale²), fixed at construction.
  const half = o.fourier / 2;
  const B = half > 0 ? Float32Array.from(normals(g.seed(), o.dim * half), (v) => v * o.fourierScale * 2 * Math.PI) : new Float32Array(0); // [dim, half]
  const inDim = o.dim + o.fourier + o.embed;
  const width = o.dim + o.fourier; // the columns that depend on x
  const net = mlp([inDim, ...o.hidden, o.dim], g.seed(), 'eps');
  /**
   * The input rows as one array, built here rather than by a chain of tensor ops (each op costs
   * more bookkeeping than arithmetic at these sizes): row i = [x_i, sin 2πx_iB, cos 2πx_iB]
   * followed, if ts is given, by the embedding of t_i (stride = the row length).
   */
  const rows = (xt: tf.Tensor2D, ts?: ArrayLike<number>): Float32Array => {
    const n = xt.shape[0], d = o.dim, stride = ts ? inDim : width;
    const x = xt.dataSync() as Float32Array;
    const out = new Float32Array(n * stride);
    for (let i = 0; i < n; i++) {
      const r = i * stride;
      for (let c = 0; c < d; c++) out[r + c] = x[i * d + c];
      for (let f = 0; f < half; f++) {
        let a = 0;
        for (let c = 0; c < d; c++) a += x[i * d + c] * B[c * half + f];
        out[r + d + f] = Math.sin(a);
        out[r + d + half + f] = Math.cos(a);
      }
      if (ts) out.set(tableValues.subarray(ts[i] * o.embed, (ts[i] + 1) * o.embed), r + width);
    }
    return out;
  };
  const self: EpsNet = {
    options: o,
    net,
    params: net.params,
    predict(xt, t) {
      checkBatch(xt, 'epsNet', o.dim);
      if (t.rank !== 1 || t.shape[0] !== xt.shape[0]) throw new Error(`epsNet: timesteps of shape [${t.shape}] for ${xt.shape[0]} points (need [${xt.shape[0]}])`);
      const ts = t.dataSync();
      for (let i = 0; i < ts.length; i++) {
        if (!(Number.isInteger(ts[i]) && ts[i] >= 0 && ts[i] < o.T)) throw new Error(`epsNet: timestep t = ${ts[i]} (row ${i}) is outside [0, ${o.T}) or not an integer`);
      }
      // The network's weights get gradients; x_t and t are data (no gradient flows back to them).
      return tf.tidy(() => net.apply(tf.tensor2d(rows(xt, ts), [xt.shape[0], inDim]), { inputGrad: false }));
    },
    eps: (xt, t) => {
      if (!(Number.isInteger(t) && t >= 0 && t < o.T)) throw new Error(`epsNet: timestep t = ${t} is outside [0, ${o.T}) or not an integer`);
      checkBatch(xt, 'epsNet', o.dim);
      // One t for the whole batch: its embedding is a tail shared by every row (see Mlp.applyShared).
      return tf.tidy(() => net.applyShared(tf.tensor2d(rows(xt), [xt.shape[0], width]), tableValues.subarray(t * o.embed, (t + 1) * o.embed)));
    },
    dispose() {
      net.dispose();
    },
  };
  return self;
}

/** The network as JSON (options + weights as base64 float32), for data/. */
export function saveEpsNet(n: EpsNet): { options: Required<EpsNetOptions>; weights: { shape: number[]; b64: string }[] } {
  return {
    options: n.options,
    weights: getWeights(n.params).map((w) => ({ shape: w.shape, b64: base64FromFloats(w.values) })),
  };
}

/** A network from saveEpsNet's JSON, its tensors as base64 or decoded values (lib/weights.ts's readWeights / fetchWeights). */
export function loadEpsNet(json: { options: EpsNetOptions; weights: TensorPayload[] }): EpsNet {
  const n = epsNet(json.options);
  setWeights(
    n.params,
    json.weights.map((w) => {
      return { shape: w.shape, values: Array.from(tensorValues(w, 'loadEpsNet')) };
    }),
  );
  return n;
}
