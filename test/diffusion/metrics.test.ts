import { expect } from 'chai';
import * as D from '../../lib/diffusion';

describe('diffusion/metrics', () => {
  it('rmsRadius: √(mean |x − mean|²)', () => {
    expect(D.rmsRadius(Float32Array.from([1, 1, 3, 1, 1, 3, 3, 3]))).to.be.closeTo(Math.SQRT2, 1e-6);
  });

  it('precision and recall tell blur from collapse', () => {
    // Held-out data: 100 points on a unit circle. r = 0.1.
    const ring = new Float32Array(200);
    for (let i = 0; i < 100; i++) (ring[2 * i] = Math.cos((2 * Math.PI * i) / 100)), (ring[2 * i + 1] = Math.sin((2 * Math.PI * i) / 100));
    const good = D.quality(ring, ring);
    expect(good.r).to.be.closeTo(0.1, 1e-6);
    expect([good.precision, good.recall]).to.deep.equal([1, 1]);
    // Collapse: every sample on one data point → precision 1, recall tiny.
    const collapsed = new Float32Array(200).map((_, i) => (i % 2 === 0 ? 1 : 0));
    const c = D.quality(collapsed, ring);
    expect(c.precision).to.equal(1);
    expect(c.recall).to.be.below(0.05);
    // Blur: samples on a circle of radius 1.3 → precision 0, recall 0.
    const blur = ring.map((v) => v * 1.3);
    const b = D.quality(blur, ring);
    expect(b.precision).to.equal(0);
    expect(c.energy).to.be.above(good.energy);
    expect(() => D.quality(Float32Array.from([NaN, 0]), ring)).to.throw(/not finite/);
  });
  // The vector field and fieldAlignment are tested in field.test.ts.
});
