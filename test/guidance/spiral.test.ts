import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { trainSpiralGuidance, loadSpiralGuidance, saveSpiralGuidance, GUIDANCE_RECIPE, guidanceSweep, negativeShares, guidedSample, cfg, SpiralGuidance } from '../../lib/guidance';
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
    const b = guidedSample(s.model.eps(null), s.model.eps(1), 2, xT, s.schedule, { steps: timesteps(s.schedule, 12) });
    const [da, db] = [a.dataSync(), b.dataSync()];
    da.forEach((v, i) => expect(v).to.be.closeTo(db[i], 1e-4));
    [a, b, xT].forEach((t) => t.dispose());
  });
});

describe('guidance: the shipped chapter-5 run (data/guidance-spiral.json)', function () {
  this.timeout(120000);
  it('loads with its early checkpoint and history; save → load keeps every weight; guidance works on it', () => {
    const s = loadSpiralGuidance();
    try {
      expect(s.made.by).to.equal('data/make-guidance-spiral.ts');
      expect(s.states.at(-1)!.step).to.equal(GUIDANCE_RECIPE.steps);
      expect(s.checkpoints.map((c) => c.step)).to.deep.equal([GUIDANCE_RECIPE.earlyStep]);
      // The checkpoint is the same network earlier in the run: same shapes, different weights.
      const w = s.model.params[0].dataSync();
      const e = s.checkpoints[0].model.params[0].dataSync();
      expect(e.length).to.equal(w.length);
      expect(Array.from(e)).to.not.deep.equal(Array.from(w));
      const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'guidance-')), 'g.json');
      saveSpiralGuidance(s, GUIDANCE_RECIPE, file, { test: true });
      const l = loadSpiralGuidance(file);
      expect(Array.from(l.model.params[2].dataSync())).to.deep.equal(Array.from(s.model.params[2].dataSync()));
      l.dispose();
      const [w1, w3] = guidanceSweep(s.model, s.held, s.schedule, { ws: [0, 3], n: 60, steps: 20 });
      expect(w1.accuracy).to.be.below(0.4);
      expect(w3.accuracy).to.be.above(0.9);
      expect(() => loadSpiralGuidance(file + '.missing')).to.throw(/does not exist; make it with `npx tsx data\/make-guidance-spiral.ts`/);
    } finally {
      s.dispose();
    }
  });
});
