// A conditional denoiser: ε̂(x_t, t, c), an MLP over [x_t, time embedding, condition].
// The condition is a vector (a one-hot class, or a text embedding). A learned "null"
// vector stands for "no condition": where a row's keep flag is 0 the model sees the
// null vector instead, so one network makes both predictions guidance needs.
import * as tf from '@tensorflow/tfjs';
import { mlp, Mlp } from '../nn';
import { Seed, toRng } from '../random';
import { timeEmbedding } from '../diffusion/timeEmbedding';
import type { EpsModel } from '../diffusion/eps';

/** A noise predictor for a batch at one integer step t (the shape lib/diffusion's samplers take). */
export type { EpsModel };

/** A condition: a class label (class models), a vector of condDim numbers, or null (unconditional). */
export type Condition = number | ArrayLike<number> | null;

export interface DenoiserOptions {
  /** Dimension of the data (2 for the spiral, pixels for images). */
  dataDim: number;
  /** Class-conditional: labels 0 … classes − 1 (fed one-hot). */
  classes?: number;
  /** Vector-conditional: condition vectors of this length (for example CLIP text embeddings). */
  condDim?: number;
  /** Hidden layer widths. */
  hidden: number[];
  /** Length of the time embedding (even). */
  timeDim?: number;
  /** Number of diffusion steps T the model is trained for (t ∈ [0, T)). */
  T?: number;
  /**
   * Skip connection for high-dimensional data (images): with the schedule's ᾱ given here, the
   * model predicts ε̂ = √(1 − ᾱ_t)·x_t + net(…), so the network only learns the correction to the
   * answer that is exact for unit-Gaussian data. A plain MLP struggles to pass hundreds of pixels
   * through its hidden layers with a t-dependent scale; this hands it that part for free.
   */
  skipAlphaBar?: ArrayLike<number>;
  seed: Seed;
}

export interface ConditionalDenoiser {
  readonly dataDim: number;
  readonly condDim: number;
  readonly classes: number | undefined;
  readonly timeDim: number;
  readonly T: number;
  /** ᾱ of the skip connection, if the model has one. */
  readonly skipAlphaBar: ArrayLike<number> | undefined;
  readonly net: Mlp;
  /** The learned null condition. */
  readonly nullCond: tf.Variable;
  /** Every trainable variable (network and null condition). */
  readonly params: tf.Variable[];
  /**
   * ε̂ for rows xt [n, dataDim] at per-row steps t, with per-row conditions c [n, condDim];
   * keep [n, 1] (1 = use c, 0 = use the null condition). c null = every row unconditional.
   */
  predict(xt: tf.Tensor2D, t: ArrayLike<number>, c: tf.Tensor2D | null, keep?: tf.Tensor2D): tf.Tensor2D;
  /** The condition as a vector (one-hot for a class), with a clear error for a bad one. */
  condVector(c: Exclude<Condition, null>): Float32Array;
  /** An EpsModel with one fixed condition for the whole batch (null = unconditional). */
  eps(c: Condition): EpsModel;
  dispose(): void;
}

/**
 * The EpsModel of a conditional denoiser for one condition vector v (null: the learned
 * null condition): v is tiled over the batch and every row gets the same step t.
 */
export function epsModelFor(
  predict: (xt: tf.Tensor2D, t: ArrayLike<number>, c: tf.Tensor2D | null) => tf.Tensor2D,
  v: Float32Array | null,
  T: number,
): EpsModel {
  return (xt, t) => {
    if (!(Number.isInteger(t) && t >= 0 && t < T)) throw new Error(`denoiser: step t must be an integer in [0, ${T}), got ${t}`);
    const n = xt.shape[0];
    return tf.tidy(() => {
      const cc = v === null ? null : (tf.tile(tf.tensor2d(v, [1, v.length]), [n, 1]) as tf.Tensor2D);
      return predict(xt, new Array(n).fill(t), cc);
    });
  };
}

export function conditionalDenoiser(opts: DenoiserOptions): ConditionalDenoiser {
  const { dataDim, classes } = opts;
  const timeDim = opts.timeDim ?? 32;
  const T = opts.T ?? 1000;
  if (!(Number.isInteger(dataDim) && dataDim > 0)) throw new Error(`conditionalDenoiser: dataDim must be a positive integer, got ${dataDim}`);
  if ((classes === undefined) === (opts.condDim === undefined)) {
    throw new Error('conditionalDenoiser: give exactly one of classes (labels) or condDim (vectors)');
  }
  if (classes !== undefined && !(Number.isInteger(classes) && classes >= 2)) {
    throw new Error(`conditionalDenoiser: classes must be an integer ≥ 2, got ${classes}`);
  }
  const condDim = classes ?? opts.condDim!;
  if (!(Number.isInteger(condDim) && condDim > 0)) throw new Error(`conditionalDenoiser: condDim must be a positive integer, got ${condDim}`);
  const g = toRng(opts.seed);
  const net = mlp([dataDim + timeDim + condDim, ...opts.hidden, dataDim], g, 'denoiser');
  // Starts at zero: "no condition" begins as the average of the one-hot codes' origin.
  const nullCond = tf.tidy(() => tf.variable(tf.zeros([1, condDim]), true, `${net.params[0].name}/null`));
  const params = [...net.params, nullCond];
  const skip = opts.skipAlphaBar;
  if (skip && skip.length !== T) throw new Error(`conditionalDenoiser: skipAlphaBar has ${skip.length} values, expected T = ${T}`);

  const condVector = (c: Exclude<Condition, null>): Float32Array => {
    if (typeof c === 'number') {
      if (classes === undefined) throw new Error(`denoiser: this model is conditioned on vectors of length ${condDim}, not on class labels (got ${c})`);
      if (!(Number.isInteger(c) && c >= 0 && c < classes)) {
        throw new Error(`denoiser: unknown class ${c}; this model knows classes 0 … ${classes - 1}`);
      }
      const v = new Float32Array(condDim);
      v[c] = 1;
      return v;
    }
    if (c.length !== condDim) throw new Error(`denoiser: condition vector has length ${c.length}, expected ${condDim}`);
    const v = Float32Array.from(c);
    v.forEach((x, i) => {
      if (!Number.isFinite(x)) throw new Error(`denoiser: condition vector has a non-finite value at ${i} (${x})`);
    });
    return v;
  };

  const predict = (xt: tf.Tensor2D, t: ArrayLike<number>, c: tf.Tensor2D | null, keep?: tf.Tensor2D): tf.Tensor2D => {
    const n = xt.shape[0];
    if (xt.rank !== 2 || xt.shape[1] !== dataDim) throw new Error(`denoiser: xt has shape [${xt.shape}], expected [n, ${dataDim}]`);
    if (t.length !== n) throw new Error(`denoiser: ${t.length} steps for ${n} rows`);
    return tf.tidy(() => {
      const temb = tf.tensor2d(timeEmbedding(t, timeDim), [n, timeDim]);
      let cc: tf.Tensor2D;
      if (c === null) cc = tf.tile(nullCond, [n, 1]) as tf.Tensor2D;
      else {
        if (c.shape[0] !== n || c.shape[1] !== condDim) throw new Error(`denoiser: condition has shape [${c.shape}], expected [${n}, ${condDim}]`);
        cc = keep ? (tf.add(tf.mul(c, keep), tf.mul(nullCond, tf.sub(1, keep))) as tf.Tensor2D) : c;
      }
      const out = net.apply(tf.concat([xt, temb, cc], 1));
      if (!skip) return out;
      const scale = tf.tensor2d(Float32Array.from(t, (ti) => Math.sqrt(1 - skip[ti])), [n, 1]);
      return tf.add(out, tf.mul(xt, scale)) as tf.Tensor2D;
    });
  };

  return {
    dataDim,
    condDim,
    classes,
    timeDim,
    T,
    skipAlphaBar: skip,
    net,
    nullCond,
    params,
    predict,
    condVector,
    eps: (c) => epsModelFor(predict, c === null ? null : condVector(c), T),
    dispose() {
      net.dispose();
      nullCond.dispose();
    },
  };
}
