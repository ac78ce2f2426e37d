// Training the noise predictor: draw x_0 from the data, t uniform in [0, T), ε ~ N(0, I),
// jump to x_t = √ᾱ_t x_0 + √(1 − ᾱ_t) ε in one go, and regress ε̂(x_t, t) on ε (mean squared error):
// the loss on each batch is chapter 3's exercise epsLoss (the learner's once it passes check()).
// Like smalldiffusion's training_loop, the loop yields its state; trainEps runs it to the end.
import * as tf from '@tensorflow/tfjs';
import { TrainOptions, TrainState, trainLoop } from '../nn';
import { Seed, normals, toRng } from '../random';
import { epsLoss } from './exercises';
import { EpsNet } from './net';
import { Schedule } from './schedule';

export interface TrainEpsOptions extends Omit<TrainOptions, 'steps'> {
  steps: number;
  batch?: number;
  seed: Seed;
}

export async function* trainEpsLoop(net: EpsNet, data: Float32Array, schedule: Schedule, opts: TrainEpsOptions): AsyncGenerator<TrainState> {
  const d = net.options.dim;
  if (data.length % d !== 0 || data.length === 0) throw new Error(`trainEps: data length ${data.length} is not a positive multiple of dim = ${d}`);
  if (schedule.T !== net.options.T) throw new Error(`trainEps: the schedule has T = ${schedule.T} but the network embeds T = ${net.options.T}`);
  const B = opts.batch ?? 256;
  if (!(Number.isInteger(B) && B > 0)) throw new Error(`trainEps: batch must be a positive integer, got ${B}`);
  const n = data.length / d;
  const g = toRng(opts.seed);
  const X = tf.tensor2d(data, [n, d]);
  const AB = tf.tensor1d(schedule.alphaBar);
  const idx = new Int32Array(B);
  const ts = new Int32Array(B);
  const loss = () => {
    for (let i = 0; i < B; i++) {
      idx[i] = g.int(n);
      ts[i] = g.int(schedule.T);
    }
    const t = tf.tensor1d(ts, 'int32');
    const eps = tf.tensor2d(normals(g, B * d), [B, d]);
    // Chapter 3's exercise epsLoss: x_t = √ᾱ_t·x0 + √(1 − ᾱ_t)·ε, then mean (ε̂(x_t, t) − ε)².
    return epsLoss((xt, tt) => net.predict(xt, tt), tf.gather(X, tf.tensor1d(idx, 'int32')), eps, t, tf.reshape(tf.gather(AB, t), [B, 1]) as tf.Tensor2D);
  };
  try {
    yield* trainLoop(net.params, loss, { label: 'train ε̂', ...opts });
  } finally {
    X.dispose();
    AB.dispose();
  }
}

export async function trainEps(net: EpsNet, data: Float32Array, schedule: Schedule, opts: TrainEpsOptions): Promise<TrainState[]> {
  const out: TrainState[] = [];
  for await (const s of trainEpsLoop(net, data, schedule, opts)) out.push(s);
  return out;
}
