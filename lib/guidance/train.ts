// Training the conditional denoiser: the usual ε-prediction loss, with condition
// dropout so that a share of each batch is trained unconditionally (null condition).
import * as tf from '@tensorflow/tfjs';
import { trainLoop, TrainState } from '../nn';
import { Seed, toRng } from '../random';
import { conditionDropout } from './exercises';
import { ConditionalDenoiser } from './denoiser';

/** What training needs of a noise schedule (lib/diffusion's Schedule has these fields). */
export interface NoiseSchedule {
  T: number;
  alphaBar: ArrayLike<number>;
}

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
  batch?: number;
  lr?: number;
  /** Learning-rate schedule (not the noise schedule). */
  lrSchedule?: 'constant' | 'cosine';
  /** Probability that a row's condition is replaced by the null condition. */
  pDrop?: number;
  seed: Seed;
  label?: string;
  progress?: boolean;
  every?: number;
}

export interface TrainDenoiserResult {
  states: TrainState[];
  seconds: number;
  steps: number;
}

export async function trainDenoiser(
  model: ConditionalDenoiser,
  data: ConditionalData,
  schedule: NoiseSchedule,
  opts: TrainDenoiserOptions,
): Promise<TrainDenoiserResult> {
  const d = model.dataDim;
  const k = model.condDim;
  if (data.x.length % d !== 0) throw new Error(`trainDenoiser: data.x has ${data.x.length} values, not a multiple of dataDim ${d}`);
  const n = data.x.length / d;
  if (n === 0) throw new Error('trainDenoiser: no training rows');
  if (schedule.T !== model.T) throw new Error(`trainDenoiser: schedule has T = ${schedule.T} but the model was made for T = ${model.T}`);
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
  const g = toRng(opts.seed);
  const ab = schedule.alphaBar;
  const x0 = new Float32Array(B * d);
  const xt = new Float32Array(B * d);
  const eps = new Float32Array(B * d);
  const c = new Float32Array(B * k);
  const ts = new Int32Array(B);

  const loss = () => {
    c.fill(0);
    for (let b = 0; b < B; b++) {
      const i = g.int(n);
      const t = g.int(schedule.T);
      ts[b] = t;
      const sa = Math.sqrt(ab[t]);
      const sb = Math.sqrt(1 - ab[t]);
      for (let j = 0; j < d; j++) {
        const e = g.normal();
        const v = data.x[i * d + j];
        x0[b * d + j] = v;
        eps[b * d + j] = e;
        xt[b * d + j] = sa * v + sb * e;
      }
      if (model.classes !== undefined) c[b * k + data.labels![i]] = 1;
      else c.set(data.cond!.subarray(i * k, i * k + k), b * k);
    }
    const keep = conditionDropout(B, pDrop, g);
    const pred = model.predict(tf.tensor2d(xt, [B, d]), ts, tf.tensor2d(c, [B, k]), tf.tensor2d(keep, [B, 1]));
    return tf.mean(tf.square(tf.sub(pred, tf.tensor2d(eps, [B, d])))) as tf.Scalar;
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
  return { states, seconds: (performance.now() - t0) / 1000, steps: opts.steps };
}
