import { expect } from 'chai';
import { spiralClasses } from '../../lib/data';
import { nearestLabel, share } from '../../lib/guidance';
import { coverage, rmsRadius } from '../../lib/diffusion';

describe('guidance: labelled spiral and measures', () => {
  it('spiralClasses cuts the spiral into equal stretches of angle, inner to outer', () => {
    const { points, labels, classes } = spiralClasses(5000, 5, 1);
    expect(classes).to.equal(5);
    expect(points).to.have.length(10000);
    const r = [0, 1, 2, 3, 4].map((c) => {
      let s = 0;
      let n = 0;
      labels.forEach((l, i) => {
        if (l === c) {
          s += Math.hypot(points[2 * i], points[2 * i + 1]);
          n++;
        }
      });
      expect(n / 5000).to.be.closeTo(0.2, 0.03);
      return s / n;
    });
    for (let c = 1; c < 5; c++) expect(r[c]).to.be.above(r[c - 1]);
    expect(Array.from(spiralClasses(10, 3, 7).labels)).to.deep.equal(Array.from(spiralClasses(10, 3, 7).labels));
    expect(() => spiralClasses(10, 1, 0)).to.throw(/classes must be an integer ≥ 2/);
  });

  it('nearestLabel, share, and the spread (rmsRadius) and coverage the sweep reports, on small cases', () => {
    const ref = new Float32Array([0, 0, 1, 0, 0, 1]);
    const lab = new Int32Array([0, 1, 2]);
    expect(Array.from(nearestLabel(new Float32Array([0.1, 0, 0.9, 0.2, 0.2, 0.7]), ref, lab))).to.deep.equal([0, 1, 2]);
    expect(share(new Int32Array([1, 1, 0, 2]), 1)).to.equal(0.5);
    expect(rmsRadius(new Float32Array([1, 0, -1, 0]))).to.be.closeTo(1, 1e-9);
    // The sweep's coverage: the share of the reference rows reached by the samples (argument order: from, to).
    expect(coverage(ref, new Float32Array([0, 0]), 0.5)).to.be.closeTo(1 / 3, 1e-9);
    expect(coverage(new Float32Array([0, 0]), ref, 0.5)).to.equal(1);
    expect(() => coverage(new Float32Array(0), ref, 0.5)).to.throw(/`from` has length 0/);
    expect(() => nearestLabel(new Float32Array([NaN, 0]), ref, lab)).to.throw(/not finite/);
  });
});
