import { expect } from 'chai';
import { exactAlphaBar } from '../../lib/math';
import { load, points } from './harness';

type AlphaBar = typeof import('../../solutions/basics/alphaBar');

describe('basics/alphaBar', () => {
  const ex = () => load<AlphaBar>('basics/alphaBar');

  it(points(2, 'matches the exact product of (1 − β) on a linear schedule'), () => {
    const betas = Array.from({ length: 1000 }, (_, i) => 1e-4 + ((0.02 - 1e-4) * i) / 999);
    const got = ex().alphaBar(betas);
    expect(got).to.have.length(1000);
    const exact = exactAlphaBar(betas.slice(0, 40)).map((f) => Number(f.valueOf()));
    exact.forEach((v, t) => expect(got[t]).to.be.closeTo(v, 1e-6));
    // Far along the schedule almost no signal is left: ᾱ_1000 ≈ 4.0e-5 for these betas.
    expect(got[999]).to.be.closeTo(4.04e-5, 1e-6);
  });

  it(points(1, 'is decreasing and starts at 1 − β_1'), () => {
    const got = ex().alphaBar([0.5, 0.5, 0.5]);
    expect(Array.from(got)).to.deep.equal([0.5, 0.25, 0.125]);
  });

  it(points(1, 'rejects β outside [0, 1] or NaN, naming the index'), () => {
    expect(() => ex().alphaBar([0.1, 1.5])).to.throw(/beta\[1\] = 1\.5/);
    expect(() => ex().alphaBar([NaN])).to.throw(/beta\[0\] = NaN/);
  });
});
