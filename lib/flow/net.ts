// The velocity network: the same lib/nn MLP as chapter 3's ε-network (x plus random Fourier
// features of x, and the sinusoidal time embedding), fed a continuous t ∈ [0, 1] embedded as
// t·timeScale so that timeScale = 1000 puts it on the ε-network's scale of integer steps.
import * as tf from '@tensorflow/tfjs';
import { Mlp, getWeights, mlp, setWeights } from '../nn';
import { base64FromFloats } from '../base64';
import { TensorPayload, tensorValues } from '../weights';
import { normals, toRng } from '../random';
import { timeEmbedding } from '../diffusion/timeEmbedding';
import { VelocityModel, checkTime } from './model';

export interface VelocityNetOptions {
  dim?: number;
  hidden?: number[];
  /** Width of the time embedding (even). */
  embed?: number;
  /** t is embedded as timeEmbedding(t·timeScale). */
  timeScale?: number;
  /** Number of random Fourier features of x (even; 0 = feed x itself). */
  fourier?: number;
  fourierScale?: number;
  seed?: number;
}

export interface VelocityNet {
  options: Required<VelocityNetOptions>;
  net: Mlp;
  params: tf.Variable[];
  /** v̂ for rows with their own times ts (one per row, each in [0, 1]): what training calls. */
  predict(xt: tf.Tensor2D, ts: ArrayLike<number>): tf.Tensor2D;
  /** The VelocityModel samplers take. */
  velocity: VelocityModel;
  dispose(): void;
}

export function velocityNet(opts: VelocityNetOptions = {}): VelocityNet {
  const o: Required<VelocityNetOptions> = {
    dim: opts.dim ?? 2,
    hidden: opts.hidden ?? [128, 128, 128],
    embed: opts.embed ?? 32,
    timeScale: opts.timeScale ?? 1000,
    fourier: opts.fourier ?? 0,
    fourierScale: opts.fourierScale ?? 1,
    seed: opts.seed ?? 0,
  };
  if (o.fourier % 2 !== 0 || o.fourier < 0) throw new Error(`velocityNet: fourier must be an even number ≥ 0, got ${o.fourier}`);
  if (!(o.timeScale > 0)) throw new Error(`velocityNet: timeScale must be > 0, got ${o.timeScale}`);
  const g = toRng(o.seed);
  // Fourier features [x, sin 2πxB, cos 2πxB] with B ~ N(0, scale²), fixed at construction (as in the ε-network).
  const B = o.fourier > 0 ? tf.tensor2d(normals(g.seed(), o.dim * (o.fourier / 2)).map((v) => v * o.fourierScale * 2 * Math.PI), [o.dim, o.fourier / 2]) : null;
  const net = mlp([o.dim + o.fourier + o.embed, ...o.hidden, o.dim], g.seed(), 'velocity');
  const check = (xt: tf.Tensor2D) => {
    if (xt.rank !== 2 || xt.shape[0] < 1) throw new Error(`velocityNet: need a batch of points of shape [n, d], got [${xt.shape}]`);
    if (xt.shape[1] !== o.dim) throw new Error(`velocityNet: points have ${xt.shape[1]} coordinates, the model expects ${o.dim}`);
  };
  const features = (xt: tf.Tensor2D): tf.Tensor2D => {
    if (!B) return xt;
    const a = tf.matMul(xt, B);
    return tf.concat([xt, tf.sin(a), tf.cos(a)], 1) as tf.Tensor2D;
  };
  return {
    options: o,
    net,
    params: net.params,
    predict(xt, ts) {
      check(xt);
      if (ts.length !== xt.shape[0]) throw new Error(`velocityNet: ${ts.length} times for ${xt.shape[0]} points`);
      for (let i = 0; i < ts.length; i++) checkTime(ts[i], 'velocityNet');
      const emb = timeEmbedding(Array.from(ts, (t) => t * o.timeScale), o.embed);
      return tf.tidy(() => net.apply(tf.concat([features(xt), tf.tensor2d(emb, [xt.shape[0], o.embed])], 1) as tf.Tensor2D));
    },
    velocity: (xt, t) => {
      check(xt);
      checkTime(t, 'velocityNet');
      // One t for the whole batch: its embedding is a tail shared by every row (Mlp.applyShared).
      return tf.tidy(() => net.applyShared(features(xt), timeEmbedding([t * o.timeScale], o.embed)));
    },
    dispose() {
      net.dispose();
      B?.dispose();
    },
  };
}

/** The network as JSON (options + weights as base64 float32), for data/. */
export function saveVelocityNet(n: VelocityNet): { options: Required<VelocityNetOptions>; weights: { shape: number[]; b64: string }[] } {
  return {
    options: n.options,
    weights: getWeights(n.params).map((w) => ({ shape: w.shape, b64: base64FromFloats(w.values) })),
  };
}

/** A network from saveVelocityNet's JSON, its tensors as base64 or decoded values (lib/weights.ts). */
export function loadVelocityNet(json: { options: VelocityNetOptions; weights: TensorPayload[] }): VelocityNet {
  const n = velocityNet(json.options);
  setWeights(
    n.params,
    json.weights.map((w) => {
      return { shape: w.shape, values: Array.from(tensorValues(w, 'loadVelocityNet')) };
    }),
  );
  return n;
}
