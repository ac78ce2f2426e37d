// Chapter 4's claim about Heun on evenly spaced t, on the shipped network: worse than DDIM at the
// same steps, and far worse at the same number of network calls.
import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import * as D from '../../lib/diffusion';
import { randn } from '../../lib/random';

describe('diffusion/Heun against DDIM at equal network calls', function () {
  this.timeout(60000);
  const setup = D.spiralSetup(0);
  let net: D.EpsNet;
  let xT: tf.Tensor2D;
  before(() => {
    net = D.loadSpiralNet();
    xT = randn(1, [300, 2]) as tf.Tensor2D;
  });
  after(() => {
    net.dispose();
    xT.dispose();
  });

  it('counts calls (k for DDIM, 2k − 1 for Heun), and Heun loses to DDIM at equal steps and at equal calls', () => {
    const before = tf.memory().numTensors;
    const rows = D.heunAgainstDdim(net.eps, xT, setup.schedule, setup.test.subarray(0, 1200), [5, 10]);
    expect(tf.memory().numTensors).to.equal(before);
    expect(rows.map((r) => [r.sampler, r.steps, r.calls])).to.deep.equal([
      ['DDIM', 5, 5], ['Heun', 5, 9], ['DDIM', 9, 9],
      ['DDIM', 10, 10], ['Heun', 10, 19], ['DDIM', 19, 19],
    ]);
    for (let i = 0; i < rows.length; i += 3) {
      const [ddim, heun, ddimCalls] = rows.slice(i, i + 3);
      expect(heun.precision, `Heun ${heun.steps} steps against DDIM ${ddim.steps}`).to.be.below(ddim.precision);
      // "far worse" at equal calls: DDIM's precision is at least 1.5 times Heun's.
      expect(ddimCalls.precision, `DDIM ${ddimCalls.steps} steps against Heun ${heun.steps} (${heun.calls} calls)`).to.be.above(1.5 * heun.precision);
      // The even grid's step into t = 0 starts far above the smallest noise level σ_0.
      expect(heun.sigmaLastJumpFrom).to.be.above(10 * D.noiseLevel(setup.schedule.alphaBar[0]));
    }
  });

  it('refuses step counts it cannot double', () => {
    expect(() => D.heunAgainstDdim(net.eps, xT, setup.schedule, setup.test, [1])).to.throw(/k ≥ 2/);
    expect(() => D.heunAgainstDdim(net.eps, xT, setup.schedule, setup.test, [600])).to.throw(/2k − 1 ≤ T = 1000/);
  });
});
