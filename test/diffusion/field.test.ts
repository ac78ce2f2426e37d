import { expect } from 'chai';
import * as D from '../../lib/diffusion';

describe('diffusion/field', () => {
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
      const al = D.fieldAlignment(f, point, { kind: 'x0', alphaBar: s.alphaBar[t] });
      expect(al.nearest).to.equal(1);
      expect(al.mean).to.equal(1);
      expect(al.target[0]).to.be.closeTo(0.3, 1e-6);
      expect(al.target[1]).to.be.closeTo(-0.2, 1e-6);
    }
    eps.dispose();
  });

  it("kind 'eps': −ε̂ of one point points at √ᾱ_t·x0, not at x0", () => {
    const s = D.linearSchedule(1000);
    const point = Float32Array.from([1.2, 0.8]);
    const eps = D.idealEps(point, 2, s);
    for (const t of [300, 999]) {
      const ab = s.alphaBar[t];
      const f = D.vectorField(eps, s, t, { n: 7, kind: 'eps' });
      const al = D.fieldAlignment(f, point, { kind: 'eps', alphaBar: ab });
      // The target, by hand: √ᾱ·(1.2, 0.8).
      expect(al.target[0]).to.be.closeTo(Math.sqrt(ab) * 1.2, 1e-6);
      expect(al.target[1]).to.be.closeTo(Math.sqrt(ab) * 0.8, 1e-6);
      expect(al.meanCos).to.be.above(0.9999);
      expect(al.mean).to.equal(1);
      // Measured against the data point itself (the old, wrong target) many arrows miss by far:
      // the cosine of each arrow with (x0 − x), in plain JS.
      let miss = 0;
      for (let i = 0; i < f.x.length; i++) {
        const dx = 1.2 - f.x[i], dy = 0.8 - f.y[i];
        const c = (f.u[i] * dx + f.v[i] * dy) / (Math.hypot(f.u[i], f.v[i]) * Math.hypot(dx, dy));
        if (c < Math.cos((20 * Math.PI) / 180)) miss++;
      }
      if (t === 999) expect(miss / f.x.length).to.be.above(0.2);
    }
    eps.dispose();
  });

  it("kind 'eps', data away from the origin: at large t the arrows converge near the origin, √ᾱ·E[x0]", () => {
    const s = D.linearSchedule(1000);
    const data = Float32Array.from([1, 0.5, 1.4, 0.5, 1, 0.9, 1.4, 0.9]);
    const eps = D.idealEps(data, 2, s);
    const ab = s.alphaBar[999];
    const al = D.fieldAlignment(D.vectorField(eps, s, 999, { n: 9, kind: 'eps' }), data, { kind: 'eps', alphaBar: ab });
    expect(al.target[0]).to.be.closeTo(Math.sqrt(ab) * 1.2, 1e-6);
    expect(al.target[1]).to.be.closeTo(Math.sqrt(ab) * 0.7, 1e-6);
    expect(al.mean).to.be.above(0.95);
    // Against the data mean (1.2, 0.7) itself, read as an 'x0' target, far fewer arrows align.
    const wrong = D.fieldAlignment(D.vectorField(eps, s, 999, { n: 9, kind: 'eps' }), data, { kind: 'x0', alphaBar: ab });
    expect(wrong.mean).to.be.below(al.mean - 0.2);
    eps.dispose();
  });

  it('field alignment: two far clusters — towards the mean when t is large, the nearest point when t is small', () => {
    const s = D.linearSchedule(1000);
    const data = Float32Array.from([-1, 0, 1, 0, -1, 0.05, 1, 0.05]);
    const eps = D.idealEps(data, 2, s);
    const al = (t: number, minSeparationDeg?: number) =>
      D.fieldAlignment(D.vectorField(eps, s, t, { n: 9 }), data, { kind: 'x0', alphaBar: s.alphaBar[t], minSeparationDeg });
    expect(al(999).mean).to.be.above(0.85);
    expect(al(5).nearest).to.be.above(0.85); // the grid column x = 0 sits midway between clusters
    expect(al(5).mean).to.be.below(0.7);
    // Counting only grid points where the two directions are > 45° apart sharpens the contrast.
    expect(al(999, 45).counted).to.be.within(1, 80);
    expect(al(999, 45).mean).to.be.above(0.9);
    expect(al(5, 45).nearest).to.be.above(0.75); // each cluster is two points; the denoiser aims between them
    expect(al(5, 45).mean).to.be.below(0.25);
    expect(() => D.vectorField(eps, s, 1000)).to.throw(/outside \[0, 1000\)/);
    expect(() => D.grid(1, [0, 1, 0, 1])).to.throw(/n must be/);
    eps.dispose();
  });

  it('fieldAlignment names a missing kind or ᾱ', () => {
    const f = { x: Float32Array.from([0]), y: Float32Array.from([0]), u: Float32Array.from([1]), v: Float32Array.from([0]) };
    const data = Float32Array.from([1, 0]);
    expect(() => D.fieldAlignment(f, data, { kind: 'eps' } as never)).to.throw(/alphaBar = undefined/);
    expect(() => D.fieldAlignment(f, data, { kind: 'x0', alphaBar: 0 })).to.throw(/outside \(0, 1\]/);
    expect(() => D.fieldAlignment(f, data, { alphaBar: 0.5 } as never)).to.throw(/kind must be/);
  });
});
