import { expect } from 'chai';
import { rng, normals, permutation, randints, randn } from '../../lib/random';

describe('random', () => {
  it('gives the same numbers for the same seed, different ones for another', () => {
    const a = Array.from(normals(7, 5));
    expect(Array.from(normals(7, 5))).to.deep.equal(a);
    expect(Array.from(normals(8, 5))).to.not.deep.equal(a);
  });

  it('draws standard normals (mean 0, variance 1 within sampling error)', () => {
    const z = normals(1, 200000);
    const m = z.reduce((s, v) => s + v, 0) / z.length;
    const v = z.reduce((s, x) => s + (x - m) ** 2, 0) / z.length;
    expect(Math.abs(m)).to.be.below(0.01);
    expect(Math.abs(v - 1)).to.be.below(0.015);
  });

  it('draws uniform integers over the whole range', () => {
    const c = new Array(5).fill(0);
    for (const i of randints(3, 50000, 5)) c[i]++;
    for (const k of c) expect(k / 50000).to.be.closeTo(0.2, 0.01);
  });

  it('permutes 0..n-1', () => {
    expect(Array.from(permutation(2, 10)).sort((a, b) => a - b)).to.deep.equal([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('makes tensors of the given shape from a seed', () => {
    const t = randn(5, [3, 4]);
    expect(t.shape).to.deep.equal([3, 4]);
    expect(Array.from(t.dataSync())).to.deep.equal(Array.from(normals(5, 12)));
    t.dispose();
  });

  it('rejects bad seeds and ranges with a clear error', () => {
    expect(() => rng(NaN)).to.throw(/seed must be a finite number/);
    expect(() => rng(1).int(0)).to.throw(/positive integer/);
  });
});
