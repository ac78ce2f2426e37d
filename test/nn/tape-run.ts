// Run by tape.test.ts in a child process (COURSE_THREADS is read once per process): train each
// model the chapters train through lib/nn for a few Adam steps twice, once on lib/nn's own tape
// (the default) and once on tfjs's tape (tf.variableGrads), from the same start and batches, and
// print the largest difference of the first step's gradients and of the weights after k steps:
// - the spiral's reference MLP with chapter 3's epsLoss (trainEps),
// - chapter 5's class-conditional denoiser (its null condition gets its gradient through dx),
// - chapter 6's denoiser (condition projection and time fed to every layer: one dense node a layer),
// - an MLP called twice in one loss (its weights' gradients add up over the calls).
// Also: the tasks the helper thread ran.
import * as tf from '@tensorflow/tfjs';
import { gradsOnKernels, mlp, trainLoop, type Grad } from '../../lib/nn';
import { heap } from '../../lib/nn/wasm';
import { GradInHeap } from '../../lib/nn/tape';
import { normals, rng } from '../../lib/random';
import * as D from '../../lib/diffusion';
import * as G from '../../lib/guidance';
import { epsLoss } from '../../lib/diffusion/exercises';
import { ready } from '../../lib/backend';
import { untilHelped } from './untilHelped';

const K = 5;

const maxDiff = (a: Float32Array[], b: Float32Array[]) => {
  let worst = 0;
  a.forEach((x, i) => x.forEach((v, j) => (worst = Math.max(worst, Math.abs(v - b[i][j])))));
  return worst;
};
const weights = (ps: tf.Variable[]) => ps.map((p) => Float32Array.from(p.dataSync()));

/** The gradient as numbers, wherever it lies. */
const values = (g: Grad | undefined, p: tf.Variable): Float32Array => {
  if (g === undefined) throw new Error(`no gradient for ${p.name}`);
  if (g instanceof GradInHeap) return g.slot.heap.f32(g.slot.grad, p.size).slice();
  return Float32Array.from(g.dataSync());
};

/** The first step's gradients of loss with respect to params on both tapes. */
function firstGrads(params: tf.Variable[], loss: () => tf.Scalar): number {
  const ours = tf.tidy(() => gradsOnKernels(loss, params).grads.map((g, i) => values(g, params[i])));
  const theirs = tf.tidy(() => {
    const { grads } = tf.variableGrads(loss, params);
    return params.map((p) => Float32Array.from(grads[p.name].dataSync()));
  });
  return maxDiff(ours, theirs);
}

async function twice(make: () => { params: tf.Variable[]; train: () => Promise<void>; loss?: () => tf.Scalar; dispose: () => void }) {
  const out: Record<string, number> = {};
  const end: Float32Array[][] = [];
  for (const tape of ['kernels', 'tfjs'] as const) {
    process.env.COURSE_TAPE = tape;
    const m = make();
    if (tape === 'kernels' && m.loss) out.grad = firstGrads(m.params, m.loss);
    await m.train();
    end.push(weights(m.params));
    m.dispose();
  }
  delete process.env.COURSE_TAPE;
  out.weights = maxDiff(end[0], end[1]);
  return out;
}

async function main() {
  if (process.env.TAPE_BACKEND) await tf.setBackend(process.env.TAPE_BACKEND);
  else await ready();
  // Two threads: the helper starts in the background (a Worker runs only after its creator yields),
  // and these runs are short; wait until it has taken part in a product, as kernels.test does.
  if (process.env.COURSE_THREADS === '2') await untilHelped(heap());
  const before = tf.memory().numTensors;
  const setup = D.spiralSetup(0, 2000, 100);
  const schedule = setup.schedule;

  // Chapter 3: the reference MLP through epsLoss.
  const spiral = await twice(() => {
    const net = D.epsNet({ T: schedule.T, seed: 3 });
    const g = rng(9), B = 128;
    const x0 = tf.tensor2d(setup.train.subarray(0, 2 * B), [B, 2]);
    const eps = tf.tensor2d(normals(g, 2 * B), [B, 2]);
    const t = tf.tensor1d(Array.from({ length: B }, (_, i) => (i * 7) % schedule.T), 'int32');
    const ab = tf.tensor2d(Array.from(t.dataSync(), (s) => schedule.alphaBar[s]), [B, 1]);
    return {
      params: net.params,
      loss: () => epsLoss((xt, tt) => net.predict(xt, tt), x0, eps, t, ab),
      train: async () => void (await D.trainEps(net, setup.train, schedule, { steps: K, batch: 128, seed: 4, progress: false })),
      dispose: () => (net.dispose(), x0.dispose(), eps.dispose(), t.dispose(), ab.dispose()),
    };
  });

  // Chapter 5: class-conditional, condition concatenated to the input.
  const labels = Int32Array.from({ length: setup.train.length / 2 }, (_, i) => i % 3);
  const ch5 = await twice(() => {
    const model = G.conditionalDenoiser({ dataDim: 2, classes: 3, hidden: [64, 64], T: schedule.T, seed: 5 });
    const B = 96, g = rng(2);
    const xt = tf.tensor2d(normals(g, 2 * B), [B, 2]);
    const c = tf.tidy(() => tf.oneHot(tf.tensor1d(Array.from({ length: B }, (_, i) => i % 3), 'int32'), 3).toFloat() as tf.Tensor2D);
    const keep = tf.tensor2d(Array.from({ length: B }, (_, i) => (i % 4 === 0 ? 0 : 1)), [B, 1]);
    const ts = Array.from({ length: B }, (_, i) => (i * 13) % schedule.T);
    return {
      params: model.params,
      loss: () => tf.mean(tf.square(model.predict(xt, ts, c, keep))) as tf.Scalar,
      train: async () => void (await G.trainDenoiser(model, { x: setup.train, labels }, schedule, { steps: K, batch: 96, seed: 6, progress: false })),
      dispose: () => (model.dispose(), xt.dispose(), c.dispose(), keep.dispose()),
    };
  });

  // Chapter 6: vector condition projected and fed to every layer, x0 target.
  const condDim = 24, n = setup.train.length / 2;
  const cond = Float32Array.from(normals(rng(7), n * condDim), (v) => v / Math.sqrt(condDim));
  const ch6 = await twice(() => {
    const model = G.conditionalDenoiser({ dataDim: 2, condDim, condEmbed: 16, hidden: [48, 48], alphaBar: schedule.alphaBar, target: 'x0', seed: 8 });
    const B = 80, g = rng(3);
    const xt = tf.tensor2d(normals(g, 2 * B), [B, 2]);
    const c = tf.tensor2d(cond.subarray(0, B * condDim), [B, condDim]);
    const keep = tf.tensor2d(Array.from({ length: B }, (_, i) => (i % 5 === 0 ? 0 : 1)), [B, 1]);
    const ts = Array.from({ length: B }, (_, i) => (i * 11) % schedule.T);
    return {
      params: model.params,
      loss: () => tf.mean(tf.square(model.predict(xt, ts, c, keep))) as tf.Scalar,
      train: async () => void (await G.trainDenoiser(model, { x: setup.train, cond }, schedule, { steps: K, batch: 80, seed: 6, progress: false })),
      dispose: () => (model.dispose(), xt.dispose(), c.dispose(), keep.dispose()),
    };
  });

  // One MLP called twice in a loss: its gradients are the sum over both calls.
  const twoCalls = await twice(() => {
    const net = mlp([6, 32, 32, 3], 11, 'twice');
    const g = rng(12);
    const a = tf.tensor2d(normals(g, 40 * 6), [40, 6]), b = tf.tensor2d(normals(g, 24 * 6), [24, 6]);
    const loss = () => tf.add(tf.mean(tf.square(net.apply(a))), tf.mean(tf.abs(net.apply(b)))) as tf.Scalar;
    return {
      params: net.params,
      loss,
      train: async () => {
        for await (const _ of trainLoop(net.params, loss, { steps: K, lr: 1e-2, progress: false })) void _;
      },
      dispose: () => (net.dispose(), a.dispose(), b.dispose()),
    };
  });

  console.log(JSON.stringify({ spiral, ch5, ch6, twoCalls, helped: heap().helped, threads: heap().pool.size, leaked: tf.memory().numTensors - before }));
}
main();
