import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import { spiralClasses } from '../../lib/data';
import { conditionalDenoiser, trainDenoiser, guide, guidedSample, cfg, nearestLabel, share, EpsModel } from '../../lib/guidance';
import { sample, timesteps, Schedule } from '../../lib/diffusion';
import { randn } from '../../lib/random';
import { takeUsed } from '../../lib/exercise/registry';
import { testSchedule } from './helpers';

/** Deterministic DDIM (η = 0) over `count` evenly spaced steps: lib/diffusion's sampler. */
const ddim = (eps: EpsModel, xT: tf.Tensor2D, schedule: Schedule, count: number) => sample(eps, xT, schedule, { steps: timesteps(schedule, count), eta: 0, seed: 0 });

describe('guidance: training and guided sampling (quick)', function () {
  this.timeout(120000);
  const sched = testSchedule();
  const data = spiralClasses(4000, 4, 1);
  const held = spiralClasses(1000, 4, 2);
  let model: ReturnType<typeof conditionalDenoiser>;
  let losses: number[] = [];
  let tensorsAfter = 0;

  before(async () => {
    model = conditionalDenoiser({ dataDim: 2, classes: 4, hidden: [64, 64], seed: 3 });
    const before = tf.memory().numTensors;
    const r = await trainDenoiser(model, { x: data.points, labels: data.labels }, sched, { steps: 500, batch: 256, seed: 4, lr: 3e-3, progress: false, every: 50 });
    losses = r.states.map((s) => s.loss);
    tensorsAfter = tf.memory().numTensors - before;
  });
  after(() => model.dispose());

  it('the loss falls, and training leaks no tensors', () => {
    expect(losses.length).to.equal(10);
    expect(losses.at(-1)!).to.be.below(0.6);
    expect(losses.at(-1)!).to.be.below(losses[0]);
    expect(tensorsAfter).to.equal(0);
  });

  it('is seeded: the same seed gives the same loss curve', async () => {
    const run = async () => {
      const m = conditionalDenoiser({ dataDim: 2, classes: 4, hidden: [16], seed: 9 });
      const r = await trainDenoiser(m, { x: data.points, labels: data.labels }, sched, { steps: 20, batch: 32, seed: 5, progress: false, every: 5 });
      m.dispose();
      return r.states.map((s) => s.loss);
    };
    const a = await run();
    const b = await run();
    expect(a).to.deep.equal(b);
  });

  it('rejects bad data: labels outside the classes, wrong lengths, bad pDrop', async () => {
    const bad = Int32Array.from(data.labels);
    bad[7] = 4;
    const opts = { steps: 1, seed: 0, progress: false };
    for (const [d, re] of [
      [{ x: data.points, labels: bad }, /label 7 is 4, outside 0 … 3/],
      [{ x: data.points, labels: data.labels.subarray(1) }, /needs 4000 labels/],
      [{ x: data.points.subarray(1), labels: data.labels }, /not a multiple of dataDim 2/],
    ] as const) {
      let err: Error | null = null;
      await trainDenoiser(model, d, sched, opts).catch((e) => (err = e));
      expect(err, String(re)).to.be.instanceOf(Error);
      expect(err!.message).to.match(re);
    }
    let err: Error | null = null;
    await trainDenoiser(model, { x: data.points, labels: data.labels }, sched, { ...opts, pDrop: 1.5 }).catch((e) => (err = e));
    expect(err!.message).to.match(/pDrop must be in \[0, 1\]/);
  });

  it('guidance raises class accuracy over unconditional sampling; a negative prompt lowers its class', () => {
    const acc = (w: number) => {
      let a = 0;
      for (let c = 0; c < 4; c++) {
        const xT = randn(10 + c, [200, 2]) as tf.Tensor2D;
        const x = ddim(guide(model, { prompt: c, w }), xT, sched, 20);
        a += share(nearestLabel(x.dataSync() as Float32Array, held.points, held.labels), c) / 4;
        x.dispose();
        xT.dispose();
      }
      return a;
    };
    const a0 = acc(0);
    const a3 = acc(3);
    expect(a0).to.be.below(0.45);
    expect(a3).to.be.above(0.8);
    const xT = randn(99, [400, 2]) as tf.Tensor2D;
    const shareOf = (e: ReturnType<typeof guide>) => {
      const x = ddim(e, xT, sched, 20);
      const s = share(nearestLabel(x.dataSync() as Float32Array, held.points, held.labels), 1);
      x.dispose();
      return s;
    };
    const un = shareOf(guide(model, { w: 1 }));
    const neg = shareOf(guide(model, { negative: 1, w: 3 }));
    xT.dispose();
    expect(un).to.be.above(0.12);
    expect(neg).to.be.below(un / 2);
  });

  it('guidedSample (the exercise step in a loop) equals DDIM over the cfg EpsModel, without leaks', () => {
    const xT = randn(5, [50, 2]) as tf.Tensor2D;
    const before = tf.memory().numTensors;
    const a = guidedSample(model.eps(null), model.eps(2), 3, xT, sched, { steps: timesteps(sched, 10) });
    const b = ddim(cfg(model.eps(null), model.eps(2), 3), xT, sched, 10);
    const [da, db] = [a.dataSync(), b.dataSync()];
    da.forEach((v, i) => expect(v).to.be.closeTo(db[i], 1e-4));
    a.dispose();
    b.dispose();
    expect(tf.memory().numTensors).to.equal(before);
    xT.dispose();
  });

  it('noises with forwardSample and drops conditions with conditionDropout (the exercises); checkpoints copy the weights mid-run', async () => {
    const m = conditionalDenoiser({ dataDim: 2, classes: 4, hidden: [16], seed: 9 });
    try {
      takeUsed();
      const r = await trainDenoiser(m, { x: data.points, labels: data.labels }, sched, { steps: 6, batch: 16, seed: 5, progress: false, checkpoints: [1, 4] });
      expect(takeUsed()).to.include.members(['diffusion/forwardSample', 'guidance/conditionDropout']);
      expect(r.checkpoints.map((c) => c.step)).to.deep.equal([1, 4]);
      // The step-4 copy differs from the step-1 copy and from the final weights (Adam moved them).
      const w0 = (k: number) => r.checkpoints[k].weights[0];
      const final = m.params[0].dataSync();
      expect(Array.from(w0(0))).to.not.deep.equal(Array.from(w0(1)));
      expect(Array.from(w0(1))).to.not.deep.equal(Array.from(final));
      let err: Error | null = null;
      await trainDenoiser(m, { x: data.points, labels: data.labels }, sched, { steps: 3, seed: 5, progress: false, checkpoints: [3] }).catch((e: Error) => (err = e));
      expect(err!.message).to.match(/checkpoint 3 is not a step in \[1, 3\)/);
    } finally {
      m.dispose();
    }
  });

  it("target 'x0' trains on x0's squared error: one repeated point is learnt exactly, ε is not", async () => {
    const x = new Float32Array(200).map((_, i) => (i % 2 === 0 ? 0.6 : -0.3));
    const labels = new Int32Array(100).map((_, i) => i % 2);
    const finalLoss = async (target: 'eps' | 'x0') => {
      const m = conditionalDenoiser({ dataDim: 2, classes: 2, hidden: [32, 32], alphaBar: sched.alphaBar, target, seed: 1 });
      try {
        const r = await trainDenoiser(m, { x, labels }, sched, { steps: 300, batch: 64, lr: 3e-3, seed: 2, progress: false, every: 100 });
        return r.states.at(-1)!.loss;
      } finally {
        m.dispose();
      }
    };
    // x0 of a single point is a constant; ε = (x_t − √ᾱ·x0)/√(1 − ᾱ) is determined too, but steep in x_t
    // at small t, which a small MLP learns slowly.
    expect(await finalLoss('x0')).to.be.below(0.01);
    expect(await finalLoss('eps')).to.be.above(0.05);
  });
});
