import { expect } from 'chai';
import { linearSchedule, cosineSchedule, timesteps, checkSteps, alphaBarAt, fromBetas } from '../../lib/diffusion';

describe('diffusion/schedule', () => {
  it('linear: β runs from beta0 to beta1 and ᾱ is the running product of 1 − β', () => {
    const s = linearSchedule(1000, 1e-4, 0.02);
    expect(s.T).to.equal(1000);
    expect(s.betas[0]).to.be.closeTo(1e-4, 1e-9);
    expect(s.betas[999]).to.be.closeTo(0.02, 1e-9);
    expect(s.betas[500] - s.betas[499]).to.be.closeTo((0.02 - 1e-4) / 999, 1e-8);
    let p = 1;
    for (let t = 0; t < 1000; t++) {
      p *= 1 - (1e-4 + ((0.02 - 1e-4) * t) / 999);
      if (t % 97 === 0) expect(s.alphaBar[t]).to.be.closeTo(p, 1e-6 * Math.max(p, 1e-3));
    }
  });

  it('cosine: ᾱ_t follows cos²(((t+1)/T + s)/(1 + s)·π/2) / cos²(s/(1 + s)·π/2)', () => {
    const T = 200;
    const s = cosineSchedule(T);
    const f = (t: number) => Math.cos(((t / T + 0.008) / 1.008) * (Math.PI / 2)) ** 2;
    for (const t of [0, 10, 50, 100, 150, 190]) expect(s.alphaBar[t]).to.be.closeTo(f(t + 1) / f(0), 1e-5);
    for (let t = 1; t < T; t++) expect(s.alphaBar[t]).to.be.below(s.alphaBar[t - 1]);
  });

  it('timesteps: evenly spread, strictly decreasing, from T − 1 down to 0', () => {
    const s = linearSchedule();
    expect(timesteps(s, 5)).to.deep.equal([999, 749, 500, 250, 0]);
    expect(timesteps(s, 1000)[0]).to.equal(999);
    expect(timesteps(s, 1000)).to.have.length(1000);
    expect(() => timesteps(s, 0)).to.throw(/count/);
    expect(alphaBarAt(s, -1)).to.equal(1);
  });

  it('bad input: β outside [0, 1), bad T, steps that do not decrease or leave [0, T)', () => {
    expect(() => fromBetas([0.1, 1])).to.throw(/beta\[1\] = 1/);
    expect(() => linearSchedule(0)).to.throw(/T must be/);
    const s = linearSchedule(10);
    expect(() => checkSteps(s, [5, 5, 1])).to.throw(/strictly decrease.*steps\[1\] = 5/);
    expect(() => checkSteps(s, [3, 7])).to.throw(/strictly decrease/);
    expect(() => checkSteps(s, [10, 2])).to.throw(/steps\[0\] = 10 is outside \[0, 10\)/);
    expect(() => checkSteps(s, [])).to.throw(/non-empty/);
    expect(() => alphaBarAt(s, 10)).to.throw(/outside \[0, 10\)/);
  });
});
