import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import * as D from '../../lib/diffusion';
import { gaussianMixture } from '../../lib/data';

describe('diffusion/network and training', () => {
  const s = D.linearSchedule(100);

  it('sinusoidal embedding: sin and cos of t·10000^(−k/(E/2))', () => {
    const e = D.timeTable(50, 8);
    for (const t of [0, 7, 49]) {
      for (let k = 0; k < 4; k++) {
        const w = Math.pow(10000, -k / 4);
        expect(e[t * 8 + k]).to.be.closeTo(Math.sin(t * w), 1e-6);
        expect(e[t * 8 + 4 + k]).to.be.closeTo(Math.cos(t * w), 1e-6);
      }
    }
    expect(() => D.timeTable(10, 7)).to.throw(/even/);
  });

  it('eps(x, t) equals predict(x, [t, t, …]), with and without Fourier features; reference size has 34 inputs', () => {
    for (const fourier of [0, 16]) {
      const net = D.epsNet({ T: 100, seed: 3, fourier });
      expect(net.net.sizes[0]).to.equal(2 + fourier + 32);
      const x = tf.randomNormal([5, 2], 0, 1, 'float32', 1) as tf.Tensor2D;
      const a = net.eps(x, 42).dataSync();
      const b = net.predict(x, tf.tensor1d([42, 42, 42, 42, 42], 'int32')).dataSync();
      Array.from(a).forEach((v, i) => expect(v).to.be.closeTo(b[i], 1e-6));
      expect(() => net.eps(x, 100)).to.throw(/t = 100 is outside \[0, 100\)/);
      expect(() => net.eps(x, 1.5)).to.throw(/t = 1.5/);
      expect(() => net.eps(tf.zeros([5, 3]) as tf.Tensor2D, 1)).to.throw(/3 coordinates/);
      x.dispose();
      net.dispose();
    }
  });

  it('training is seeded, lowers the loss, leaks no tensors; save/load round-trips', async () => {
    const data = gaussianMixture(500, 1, { k: 4 });
    const run = async () => {
      const net = D.epsNet({ T: 100, seed: 5, hidden: [32, 32] });
      const before = tf.memory().numTensors;
      const states = await D.trainEps(net, data, s, { steps: 150, seed: 9, every: 10, progress: false, lrSchedule: 'cosine', lr: 3e-3 });
      expect(tf.memory().numTensors).to.equal(before);
      return { net, states };
    };
    const a = await run();
    const b = await run();
    expect(a.states.map((x) => x.loss)).to.deep.equal(b.states.map((x) => x.loss));
    const first = a.states.slice(0, 3).reduce((m, x) => m + x.loss, 0) / 3;
    const last = a.states.slice(-3).reduce((m, x) => m + x.loss, 0) / 3;
    expect(last).to.be.below(first);
    const c = D.loadEpsNet(JSON.parse(JSON.stringify(D.saveEpsNet(a.net))));
    const x = tf.randomNormal([4, 2], 0, 1, 'float32', 2) as tf.Tensor2D;
    expect(Array.from(c.eps(x, 7).dataSync())).to.deep.equal(Array.from(a.net.eps(x, 7).dataSync()));
    [a.net, b.net, c].forEach((n) => n.dispose());
    x.dispose();
  });

  it('rejects data of the wrong width and a schedule of another length', async () => {
    const net = D.epsNet({ T: 100, seed: 1, hidden: [8] });
    const bad = async (f: () => Promise<unknown>, re: RegExp) => {
      let err: Error | null = null;
      try {
        await f();
      } catch (e) {
        err = e as Error;
      }
      expect(err?.message).to.match(re);
    };
    await bad(() => D.trainEps(net, new Float32Array(5), s, { steps: 2, seed: 1, progress: false }), /multiple of dim/);
    await bad(() => D.trainEps(net, new Float32Array(8), D.linearSchedule(50), { steps: 2, seed: 1, progress: false }), /T = 50/);
    net.dispose();
  });
});
