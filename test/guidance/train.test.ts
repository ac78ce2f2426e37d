import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import { spiralClasses } from '../../lib/data';
import { conditionalDenoiser, trainDenoiser, guide, ddimSample, guidedSample, cfg, nearestLabel, share } from '../../lib/guidance';
import { randn } from '../../lib/random';
import { testSchedule } from './helpers';

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
        const x = ddimSample(guide(model, { prompt: c, w }), xT, sched, { steps: 20 });
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
      const x = ddimSample(e, xT, sched, { steps: 20 });
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
    const a = guidedSample(model.eps(null), model.eps(2), 3, xT, sched, { steps: 10 });
    const b = ddimSample(cfg(model.eps(null), model.eps(2), 3), xT, sched, { steps: 10 });
    const [da, db] = [a.dataSync(), b.dataSync()];
    da.forEach((v, i) => expect(v).to.be.closeTo(db[i], 1e-4));
    a.dispose();
    b.dispose();
    expect(tf.memory().numTensors).to.equal(before);
    xT.dispose();
  });
});
