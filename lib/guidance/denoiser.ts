// A conditional denoiser: an MLP over [x_t, time embedding, condition] that predicts the noise
// ε̂(x_t, t, c) (chapter 5) or the clean point x̂0(x_t, t, c) (chapter 6's images).
// The condition is a vector (a one-hot class, or a text embedding). A learned "null" vector
// stands for "no condition": where a row's keep flag is 0 the model sees the null vector
// instead, so one network makes both predictions guidance needs.
//
// Two options carry chapter 6's changes for 196-pixel digits and 512-number text embeddings:
// - condEmbed: the condition, scaled by √condDim (a unit-length 512-vector has entries of about
//   0.04, a whisper next to the pixels), goes through a learned projection of this width, and
//   that projection and the time embedding are fed to every hidden layer, not only the first;
// - target 'x0': the network predicts x̂0, and the samplers get ε̂ = (x_t − √ᾱ·x̂0)/√(1 − ᾱ)
//   (epsFromX0, chapter 6's exercise), which needs the schedule's ᾱ (alphaBar).
import * as tf from '@tensorflow/tfjs';
import { dense, denseInit, DenseParams, mlp } from '../nn';
import { Seed, toRng } from '../random';
import { timeEmbedding } from '../diffusion/timeEmbedding';
import { epsFromX0 } from '../diffusion/exercises';
import type { EpsModel } from '../diffusion/eps';

/** A noise predictor for a batch at one integer step t (the shape lib/diffusion's samplers take). */
export type { EpsModel };

/** A condition: a class label (class models), a vector of condDim numbers, or null (unconditional). */
export type Condition = number | ArrayLike<number> | null;

/** What the network outputs: the noise ε (chapter 5) or the clean point x0 (chapter 6). */
export type DenoiserTarget = 'eps' | 'x0';

export interface DenoiserOptions {
  /** Dimension of the data (2 for the spiral, pixels for images). */
  dataDim: number;
  /** Class-conditional: labels 0 … classes − 1 (fed one-hot). */
  classes?: number;
  /** Vector-conditional: condition vectors of this length (for example CLIP text embeddings). */
  condDim?: number;
  /** Hidden layer widths. */
  hidden: number[];
  /** Length of the time embedding (even; default 32). */
  timeDim?: number;
  /** Number of diffusion steps T the model is trained for (t ∈ [0, T); default alphaBar's length, else 1000). */
  T?: number;
  /** What the network predicts (default 'eps'); 'x0' needs alphaBar. */
  target?: DenoiserTarget;
  /** ᾱ_t for t = 0 … T − 1 of the schedule the model is trained for. */
  alphaBar?: ArrayLike<number>;
  /**
   * Feed the condition to every hidden layer through a learned projection of this width
   * (after scaling it by √condDim); omitted = concatenate the condition to the input only.
   */
  condEmbed?: number;
  seed: Seed;
}

export interface ConditionalDenoiser {
  readonly dataDim: number;
  readonly condDim: number;
  readonly classes: number | undefined;
  readonly hidden: number[];
  readonly timeDim: number;
  readonly T: number;
  readonly target: DenoiserTarget;
  /** Width of the condition's projection, if the condition is fed to every layer. */
  readonly condEmbed: number | undefined;
  /** ᾱ_t of the schedule the model is trained for (required for target 'x0'). */
  readonly alphaBar: ArrayLike<number> | undefined;
  /** The learned null condition. */
  readonly nullCond: tf.Variable;
  /** Every trainable variable (the network's, then the null condition). */
  readonly params: tf.Variable[];
  /**
   * The network's output (ε̂, or x̂0 for target 'x0') for rows xt [n, dataDim] at per-row steps t,
   * with per-row conditions c [n, condDim]; keep [n, 1] (1 = use c, 0 = use the null condition).
   * c null = every row unconditional.
   */
  predict(xt: tf.Tensor2D, t: ArrayLike<number>, c: tf.Tensor2D | null, keep?: tf.Tensor2D): tf.Tensor2D;
  /** The condition as a vector (one-hot for a class), with a clear error for a bad one. */
  condVector(c: Exclude<Condition, null>): Float32Array;
  /** The noise predictor ε̂(x_t, t) with one fixed condition for the whole batch (null = unconditional). */
  eps(c: Condition): EpsModel;
  /** The noise predictor with condition rows[i] for row i of the batch (several prompts in one batch). */
  epsRows(rows: Exclude<Condition, null>[]): EpsModel;
  dispose(): void;
}

let made = 0;

export function conditionalDenoiser(opts: DenoiserOptions): ConditionalDenoiser {
  const { dataDim, classes, hidden } = opts;
  const fn = 'conditionalDenoiser';
  const timeDim = opts.timeDim ?? 32;
  const target = opts.target ?? 'eps';
  const alphaBar = opts.alphaBar;
  const T = opts.T ?? alphaBar?.length ?? 1000;
  if (!(Number.isInteger(dataDim) && dataDim > 0)) throw new Error(`${fn}: dataDim must be a positive integer, got ${dataDim}`);
  if ((classes === undefined) === (opts.condDim === undefined)) throw new Error(`${fn}: give exactly one of classes (labels) or condDim (vectors)`);
  if (classes !== undefined && !(Number.isInteger(classes) && classes >= 2)) throw new Error(`${fn}: classes must be an integer ≥ 2, got ${classes}`);
  const condDim = classes ?? opts.condDim!;
  if (!(Number.isInteger(condDim) && condDim > 0)) throw new Error(`${fn}: condDim must be a positive integer, got ${condDim}`);
  if (!(Array.isArray(hidden) && hidden.length >= 1 && hidden.every((h) => Number.isInteger(h) && h > 0))) throw new Error(`${fn}: hidden must be ≥ 1 positive integers, got [${hidden}]`);
  if (!(Number.isInteger(timeDim) && timeDim > 0 && timeDim % 2 === 0)) throw new Error(`${fn}: timeDim must be a positive even integer, got ${timeDim}`);
  if (target !== 'eps' && target !== 'x0') throw new Error(`${fn}: target must be 'eps' or 'x0', got ${target}`);
  if (target === 'x0' && !alphaBar) throw new Error(`${fn}: target 'x0' needs the schedule's alphaBar to turn x̂0 into ε̂`);
  if (alphaBar && alphaBar.length !== T) throw new Error(`${fn}: alphaBar has ${alphaBar.length} values, expected T = ${T}`);
  const condEmbed = opts.condEmbed;
  if (condEmbed !== undefined && !(Number.isInteger(condEmbed) && condEmbed > 0)) throw new Error(`${fn}: condEmbed must be a positive integer, got ${condEmbed}`);

  const g = toRng(opts.seed);
  const name = `denoiser#${made++}`;
  const nullVariable = () => tf.tidy(() => tf.variable(tf.zeros([1, condDim]), true, `${name}/null`));
  // The network: x_t, the time embedding and the condition cc [n, condDim] in, the target out.
  let apply: (xt: tf.Tensor2D, temb: tf.Tensor2D, cc: tf.Tensor2D) => tf.Tensor2D;
  let netParams: tf.Variable[];
  let disposeNet: () => void;
  if (condEmbed === undefined) {
    // Chapter 5: one MLP over the concatenated input.
    const net = mlp([dataDim + timeDim + condDim, ...hidden, dataDim], g, name);
    apply = (xt, temb, cc) => net.apply(tf.concat([xt, temb, cc], 1));
    netParams = net.params;
    disposeNet = () => net.dispose();
  } else {
    // Chapter 6: [time embedding, projected condition] joins every hidden layer's input.
    const side = timeDim + condEmbed;
    const proj = denseInit(condDim, condEmbed, g, `${name}/cond`);
    const layers: DenseParams[] = hidden.map((h, i) => denseInit((i === 0 ? dataDim : hidden[i - 1]) + side, h, g, `${name}/${i}`));
    const out = denseInit(hidden[hidden.length - 1], dataDim, g, `${name}/out`);
    const scale = Math.sqrt(condDim);
    apply = (xt, temb, cc) => {
      const z = tf.concat([temb, dense(tf.mul(cc, scale) as tf.Tensor2D, proj)], 1);
      let h = xt;
      for (const l of layers) h = dense(tf.concat([h, z], 1), l, 'relu');
      return dense(h, out);
    };
    netParams = [proj.w, proj.b, ...layers.flatMap((l) => [l.w, l.b]), out.w, out.b];
    disposeNet = () => netParams.forEach((p) => p.dispose());
  }
  // Starts at zero: "no condition" begins at the origin of the condition space.
  const nullCond = nullVariable();
  const params = [...netParams, nullCond];

  const condVector = (c: Exclude<Condition, null>): Float32Array => {
    if (typeof c === 'number') {
      if (classes === undefined) throw new Error(`denoiser: this model is conditioned on vectors of length ${condDim}, not on class labels (got ${c})`);
      if (!(Number.isInteger(c) && c >= 0 && c < classes)) throw new Error(`denoiser: unknown class ${c}; this model knows classes 0 … ${classes - 1}`);
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
    if (keep && (keep.rank !== 2 || keep.shape[0] !== n || keep.shape[1] !== 1)) throw new Error(`denoiser: keep has shape [${keep.shape}], expected [${n}, 1]`);
    return tf.tidy(() => {
      let cc: tf.Tensor2D;
      if (c === null) cc = tf.tile(nullCond, [n, 1]) as tf.Tensor2D;
      else {
        if (c.shape[0] !== n || c.shape[1] !== condDim) throw new Error(`denoiser: condition has shape [${c.shape}], expected [${n}, ${condDim}]`);
        cc = keep ? (tf.add(tf.mul(c, keep), tf.mul(nullCond, tf.sub(1, keep))) as tf.Tensor2D) : c;
      }
      return apply(xt, tf.tensor2d(timeEmbedding(t, timeDim), [n, timeDim]), cc);
    });
  };

  // Conditions for the batch (null: the learned null condition), one step t for every row.
  const epsFor = (conditions: (n: number) => tf.Tensor2D | null): EpsModel => (xt, t) => {
    if (!(Number.isInteger(t) && t >= 0 && t < T)) throw new Error(`denoiser: step t must be an integer in [0, ${T}), got ${t}`);
    const n = xt.shape[0];
    return tf.tidy(() => {
      const out = predict(xt, new Array(n).fill(t), conditions(n));
      return target === 'eps' ? out : epsFromX0(xt, out, alphaBar![t]);
    });
  };
  const tiled = (v: Float32Array | null) => (n: number) => (v === null ? null : (tf.tile(tf.tensor2d(v, [1, v.length]), [n, 1]) as tf.Tensor2D));
  const perRow = (rows: Exclude<Condition, null>[]) => {
    const flat = new Float32Array(rows.length * condDim);
    rows.forEach((c, i) => flat.set(condVector(c), i * condDim));
    return (n: number) => {
      if (n !== rows.length) throw new Error(`denoiser: ${rows.length} condition rows for a batch of ${n}`);
      return tf.tensor2d(flat, [n, condDim]);
    };
  };

  return {
    dataDim,
    condDim,
    classes,
    hidden: hidden.slice(),
    timeDim,
    T,
    target,
    condEmbed,
    alphaBar,
    nullCond,
    params,
    predict,
    condVector,
    eps: (c) => epsFor(tiled(c === null ? null : condVector(c))),
    epsRows: (rows) => epsFor(perRow(rows)),
    dispose() {
      disposeNet();
      nullCond.dispose();
    },
  };
}
