import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import { trainSpiralGuidance, guidanceSweep, negativeShares, guidedSample, cfg, SpiralGuidance } from '../../lib/guidance';
import { sample, timesteps } from '../../lib/diffusion';
import { randn } from '../../lib/random';

describe('guidance: the chapter-5 spiral experiment (quick)', function () {
  this.timeout(120000);
  let s: SpiralGuidance;
  before(async () => {
    s = await trainSpiralGuidance({ steps: 400, hidden: [64, 64], lr: 3e-3, progress: false });
  });
  after(() => s.model.dispose());

  it('sweep: same starting noise per class for every w; accuracy rises from w = 0 and spread falls', () => {
    const rows = guidanceSweep(s.model, s.held, s.schedule, { ws: [0, 3], n: 60, steps: 20 });
    expect(rows.map((r) => r.w)).to.deep.equal([0, 3]);
    expect(rows[0].samples).to.have.length(5);
    expect(rows[0].accuracy).to.be.below(0.4);
    expect(rows[1].accuracy).to.be.above(0.75);
    expect(rows[1].spread).to.be.below(rows[0].spread);
    expect(rows[1].perClass).to.have.length(5);
  });

  it('negative prompt: the share of the negated class drops below the unguided share', () => {
    const r = negativeShares(s.model, s.held, s.schedule, { w: 3, n: 60, steps: 20 });
    expect(r.unguided).to.be.within(0.1, 0.35);
    expect(r.negative).to.be.below(r.unguided / 2);
  });

  it("lib/diffusion's sampler (η = 0) with a cfg EpsModel equals the guided-step loop", () => {
    const xT = randn(3, [40, 2]) as tf.Tensor2D;
    const a = sample(cfg(s.model.eps(null), s.model.eps(1), 2), xT, s.schedule, { steps: timesteps(s.schedule, 12), eta: 0, seed: 0 });
    const b = guidedSample(s.model.eps(null), s.model.eps(1), 2, xT, s.schedule, { steps: 12 });
    const [da, db] = [a.dataSync(), b.dataSync()];
    da.forEach((v, i) => expect(v).to.be.closeTo(db[i], 1e-4));
    [a, b, xT].forEach((t) => t.dispose());
  });
});
