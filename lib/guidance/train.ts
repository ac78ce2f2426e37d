// Training a conditional denoiser (chapters 5 and 6): noise a batch with the forward process
// x_t = √ᾱ_t·x0 + √(1 − ᾱ_t)·ε (forwardSample, chapter 2's exercise), hide the condition of a
// share of the rows (conditionDropout, chapter 5's exercise), and minimise the squared error of
// the model's target: ε (chapter 5) or x0 (chapter 6, target 'x0').
import * as tf from '@tensorflow/tfjs';
import { trainLoop, TrainState } from '../nn';
import { Seed, toRng } from '../random';
import { forwardSample } from '../diffusion/exercises';
import type { Schedule } from '../diffusion/schedule';
import { conditionDropout } from './exercises';
import { ConditionalDenoiser } from './denoiser';

export interface ConditionalData {
  /** Flat n×dataDim rows. */
  x: Float32Array;
  /** Class labels (class models) … */
  labels?: Int32Array;
  /** … or flat n×condDim condition vectors (vector models). */
  cond?: Float32Array;
}

export interface TrainDenoiserOptions {
  steps: number;
  /** Rows per batch (default 256). */
  batch?: number;
  /** Adam's learning rate (default 1e-3). */
  lr?: number;
  /** Learning-rate schedule (default 'cosine'; not the noise schedule). */
  lrSchedule?: 'constant' | 'cosine';
  /** Probability that a row's condition is replaced by the null condition (default 0.2). */
  pDrop?: number;
  seed: Seed;
  label?: string;
  progress?: boolean;
  /** Report the loss every this many steps. */
  every?: number;
  /** Copy the weights after these steps (early checkpoints; each < steps). */
  checkpoints?: number[];
}

export interface Checkpoint {
  step: number;
  /** One flat array per model.params entry. */
  weights: Float32Array[];
}

export interface TrainDenoiserResult {
  states: TrainState[];
  seconds: number;
  steps: number;
  checkpoints: Checkpoint[];
}

export async function trainDenoiser(model: ConditionalDenoiser, data: ConditionalData, schedule: Schedule, opts: TrainDenoiserOptions): Promise<TrainDenoiserResult> {
  const d = model.dataDim;
  const k = model.condDim;
  if (data.x.length % d !== 0) throw new Error(`trainDenoiser: data.x has ${data.x.length} values, not a multiple of dataDim ${d}`);
  const n = data.x.length / d;
  if (n === 0) throw new Error('trainDenoiser: no training rows');
  if (schedule.T !== model.T) throw new Error(`trainDenoiser: schedule has T = ${schedule.T} but the model was made for T = ${model.T}`);
  const ab = model.alphaBar;
  if (ab) for (let t = 0; t < ab.length; t++) if (Math.fround(ab[t]) !== Math.fround(schedule.alphaBar[t])) throw new Error(`trainDenoiser: the schedule's ᾱ_${t} = ${schedule.alphaBar[t]} differs from the model's ${ab[t]}`);
  if (model.classes !== undefined) {
    if (!data.labels || data.labels.length !== n) throw new Error(`trainDenoiser: a class model needs ${n} labels, got ${data.labels?.length ?? 'none'}`);
    data.labels.forEach((c, i) => {
      if (!(c >= 0 && c < model.classes!)) throw new Error(`trainDenoiser: label ${i} is ${c}, outside 0 … ${model.classes! - 1}`);
    });
  } else if (!data.cond || data.cond.length !== n * k) {
    throw new Error(`trainDenoiser: a vector model needs ${n}×${k} condition values, got ${data.cond?.length ?? 'none'}`);
  }
  const B = opts.batch ?? 256;
  const pDrop = opts.pDrop ?? 0.2;
  if (!(pDrop >= 0 && pDrop <= 1)) throw new Error(`trainDenoiser: pDrop must be in [0, 1], got ${pDrop}`);
  const marks = new Set(opts.checkpoints ?? []);
  for (const s of marks) if (!(Number.isInteger(s) && s >= 1 && s < opts.steps)) throw new Error(`trainDenoiser: checkpoint ${s} is not a step in [1, ${opts.steps})`);
  const g = toRng(opts.seed);
  const x0 = new Float32Array(B * d);
  const eps = new Float32Array(B * d);
  const alphaBarT = new Float32Array(B);
  const c = new Float32Array(B * k);
  const ts = new Int32Array(B);
  const checkpoints: Checkpoint[] = [];

  const loss = (step: number) => {
    // Step `step` is about to update the weights: they are the weights after step − 1.
    if (marks.has(step - 1)) checkpoints.push({ step: step - 1, weights: model.params.map((p) => Float32Array.from(p.dataSync())) });
    c.fill(0);
    for (let b = 0; b < B; b++) {
      const i = g.int(n);
      const t = g.int(schedule.T);
      ts[b] = t;
      alphaBarT[b] = schedule.alphaBar[t];
      for (let j = 0; j < d; j++) {
        eps[b * d + j] = g.normal();
        x0[b * d + j] = data.x[i * d + j];
      }
      if (model.classes !== undefined) c[b * k + data.labels![i]] = 1;
      else c.set(data.cond!.subarray(i * k, i * k + k), b * k);
    }
    const keep = conditionDropout(B, pDrop, g);
    const x0T = tf.tensor2d(x0, [B, d]);
    const epsT = tf.tensor2d(eps, [B, d]);
    const xt = forwardSample(x0T, epsT, tf.tensor2d(alphaBarT, [B, 1])) as tf.Tensor2D;
    const pred = model.predict(xt, ts, tf.tensor2d(c, [B, k]), tf.tensor2d(keep, [B, 1]));
    return tf.mean(tf.square(tf.sub(pred, model.target === 'x0' ? x0T : epsT))) as tf.Scalar;
  };

  const states: TrainState[] = [];
  const t0 = performance.now();
  for await (const s of trainLoop(model.params, loss, {
    steps: opts.steps,
    lr: opts.lr ?? 1e-3,
    lrSchedule: opts.lrSchedule ?? 'cosine',
    label: opts.label ?? 'denoiser',
    progress: opts.progress,
    every: opts.every,
  })) {
    states.push(s);
  }
  return { states, seconds: (performance.now() - t0) / 1000, steps: opts.steps, checkpoints };
}
