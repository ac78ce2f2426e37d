import { expect } from 'chai';
import * as D from '../../lib/diffusion';

describe('diffusion/metrics and field', () => {
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

  it('vector field: the exact denoiser of one point points at it, at every t, for every grid point', () => {
    const s = D.linearSchedule(100);
    const point = Float32Array.from([0.3, -0.2]);
    const eps = D.idealEps(point, 2, s);
    for (const t of [5, 50, 99]) {
      const f = D.vectorField(eps, s, t, { n: 5 });
      for (let i = 0; i < 25; i++) {
        // x̂0 − x should be exactly (point − x)
        expect(f.u[i]).to.be.closeTo(0.3 - f.x[i], 1e-3);
        expect(f.v[i]).to.be.closeTo(-0.2 - f.y[i], 1e-3);
      }
      const al = D.fieldAlignment(f, point);
      expect(al.nearest).to.equal(1);
      expect(al.mean).to.equal(1);
    }
    eps.dispose();
  });

  it('field alignment: two far clusters — towards the mean when t is large, the nearest point when t is small', () => {
    const s = D.linearSchedule(1000);
    const data = Float32Array.from([-1, 0, 1, 0, -1, 0.05, 1, 0.05]);
    const eps = D.idealEps(data, 2, s);
    const late = D.fieldAlignment(D.vectorField(eps, s, 999, { n: 9 }), data);
    const early = D.fieldAlignment(D.vectorField(eps, s, 5, { n: 9 }), data);
    expect(late.mean).to.be.above(0.85);
    expect(early.nearest).to.be.above(0.85); // the grid column x = 0 sits midway between clusters
    expect(early.mean).to.be.below(0.7);
    // Counting only grid points where the two directions are > 45° apart sharpens the contrast.
    const sep = (t: number) => D.fieldAlignment(D.vectorField(eps, s, t, { n: 9 }), data, { minSeparationDeg: 45 });
    expect(sep(999).counted).to.be.within(1, 80);
    expect(sep(999).mean).to.be.above(0.9);
    expect(sep(5).nearest).to.be.above(0.75); // each cluster is two points; the denoiser aims between them
    expect(sep(5).mean).to.be.below(0.25);
    expect(() => D.vectorField(eps, s, 1000)).to.throw(/outside \[0, 1000\)/);
    expect(() => D.grid(1, [0, 1, 0, 1])).to.throw(/n must be/);
    eps.dispose();
  });
});
