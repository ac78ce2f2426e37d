// Training the velocity network: draw x0 from the data, t uniform in [0, 1], ε ~ N(0, I),
// put x_t = (1 − t)·x0 + t·ε on the straight path and regress v̂(x_t, t) on v = ε − x0
// (loss: mean of (v̂ − v)² over batch and coordinates, as epsLoss). With `noise`, ε is x0's fixed partner instead (reflow). Like lib/diffusion's trainEpsLoop, the loop yields its state.
import * as tf from '@tensorflow/tfjs';
import { TrainOptions, TrainState, trainLoop } from '../nn';
import { Seed, normals, toRng } from '../random';
import { VelocityNet } from './net';
import { flowPath } from './path';
import { velocityTarget } from './exercises';
import { flowLoss } from './flowLoss';

export interface TrainFlowOptions extends Omit<TrainOptions, 'steps'> {
  steps: number;
  batch?: number;
  seed: Seed;
  /**
   * A coupling to train on instead of independent noise: row i of noise is the partner of row i
   * of data, and each draw takes a pair (reflow). Default: fresh ε ~ N(0, I) for every draw.
   */
  noise?: Float32Array;
}

export async function* trainFlowLoop(net: VelocityNet, data: Float32Array, opts: TrainFlowOptions): AsyncGenerator<TrainState> {
  const d = net.options.dim;
  if (data.length % d !== 0 || data.length === 0) throw new Error(`trainFlow: data length ${data.length} is not a positive multiple of dim = ${d}`);
  for (let i = 0; i < data.length; i++) if (!Number.isFinite(data[i])) throw new Error(`trainFlow: data[${i}] = ${data[i]} is not finite`);
  const B = opts.batch ?? 256;
  if (!(Number.isInteger(B) && B > 0)) throw new Error(`trainFlow: batch must be a positive integer, got ${B}`);
  const n = data.length / d;
  const pairs = opts.noise;
  if (pairs !== undefined) {
    if (pairs.length !== data.length) throw new Error(`trainFlow: noise has ${pairs.length} numbers but data has ${data.length}; a coupling pairs them row by row`);
    for (let i = 0; i < pairs.length; i++) if (!Number.isFinite(pairs[i])) throw new Error(`trainFlow: noise[${i}] = ${pairs[i]} is not finite`);
  }
  const g = toRng(opts.seed);
  const X = tf.tensor2d(data, [n, d]);
  const Z = pairs ? tf.tensor2d(pairs, [n, d]) : null;
  const idx = new Int32Array(B);
  const ts = new Float32Array(B);
  const loss = () => {
    for (let i = 0; i < B; i++) {
      idx[i] = g.int(n);
      ts[i] = g.uniform();
    }
    const rows = tf.tensor1d(idx, 'int32');
    const x0 = tf.gather(X, rows) as tf.Tensor2D;
    const eps = Z ? (tf.gather(Z, rows) as tf.Tensor2D) : tf.tensor2d(normals(g, B * d), [B, d]);
    const xt = flowPath(x0, eps, tf.tensor2d(ts, [B, 1]));
    return flowLoss(net.predict(xt, ts), velocityTarget(x0, eps));
  };
  try {
    yield* trainLoop(net.params, loss, { label: 'train v̂', ...opts });
  } finally {
    X.dispose();
    Z?.dispose();
  }
}

export async function trainFlow(net: VelocityNet, data: Float32Array, opts: TrainFlowOptions): Promise<TrainState[]> {
  const out: TrainState[] = [];
  for await (const s of trainFlowLoop(net, data, opts)) out.push(s);
  return out;
}
