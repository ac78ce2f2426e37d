// Chapter 3: the last step's noise given the start and the end, on average (driftless walk), and
// DDPM's posterior mean μ̃ as its version, both recovered from simulated walks.
import { expect } from 'chai';
import * as D from '../../lib/diffusion';

describe('diffusion/the last step given both ends', () => {
  it('driftless walk: E[z_t | x_0, x_t] = (x_t − x_0)/t with scatter 1 − 1/t', () => {
    const rows = D.driftlessLastStep([1, 2, 5, 20], { n: 20000, seed: 1 });
    for (const r of rows) {
      expect(r.expectedSlope).to.equal(1 / r.t);
      expect(r.slope, `slope at t = ${r.t}`).to.be.closeTo(1 / r.t, 0.02 / Math.sqrt(r.t));
      expect(r.scatter, `scatter at t = ${r.t}`).to.be.closeTo(1 - 1 / r.t, 0.03);
    }
    // Seeded.
    expect(D.driftlessLastStep([5], { n: 100, seed: 3 })).to.deep.equal(D.driftlessLastStep([5], { n: 100, seed: 3 }));
  });

  it('DDPM: least squares of x_{t−1} on (x_0, x_t) gives μ̃’s coefficients and β̃_t', () => {
    const s = D.linearSchedule(1000);
    const data = D.spiralSetup(0, 2000, 10).train;
    for (const r of D.posteriorFit(data, s, [1, 10, 100], { n: 40000, seed: 2 })) {
      expect(r.a, `a at t = ${r.t}`).to.be.closeTo(r.expectedA, 0.02);
      expect(r.b, `b at t = ${r.t}`).to.be.closeTo(r.expectedB, 0.02);
      expect(r.scatter / r.expectedScatter, `scatter at t = ${r.t}`).to.be.closeTo(1, 0.05);
    }
    const ab = s.alphaBar;
    const [r] = D.posteriorFit(data, s, [10], { n: 20, seed: 1 });
    expect(r.expectedA).to.be.closeTo((Math.sqrt(ab[9]) * s.betas[10]) / (1 - ab[10]), 1e-15);
    expect(r.expectedScatter).to.be.closeTo((s.betas[10] * (1 - ab[9])) / (1 - ab[10]), 1e-15);
  });

  it('bad input names the problem', () => {
    const s = D.linearSchedule(1000);
    expect(() => D.driftlessLastStep([0], { seed: 1 })).to.throw(/t must be an integer ≥ 1, got 0/);
    expect(() => D.driftlessLastStep([3], { n: 2, seed: 1 })).to.throw(/n must be an integer ≥ 10/);
    expect(() => D.posteriorFit(new Float32Array([1, 2]), s, [0], { seed: 1 })).to.throw(/t must be ≥ 1/);
    expect(() => D.posteriorFit(new Float32Array([1, 2]), s, [1000], { seed: 1 })).to.throw(/1000/);
    expect(() => D.posteriorFit(new Float32Array(0), s, [5], { seed: 1 })).to.throw(/data is empty/);
  });
});
