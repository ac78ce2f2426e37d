import { expect } from 'chai';
import * as D from '../../lib/diffusion';

describe('diffusion/step spacing by noise level', () => {
  const s = D.linearSchedule(1000);
  const sigma = (t: number) => Math.sqrt((1 - s.alphaBar[t]) / s.alphaBar[t]);

  it('noiseLevel σ = √((1 − ᾱ)/ᾱ)', () => {
    expect(D.noiseLevel(1)).to.equal(0);
    expect(D.noiseLevel(0.2)).to.be.closeTo(2, 1e-12);
    expect(D.noiseLevel(0.5)).to.be.closeTo(1, 1e-12);
    expect(() => D.noiseLevel(0)).to.throw(/alphaBar = 0 is outside \(0, 1\]/);
  });

  it('sigmaSteps follows Karras et al.: σ_i = (σmax^(1/ρ) + i/(N−1)(σmin^(1/ρ) − σmax^(1/ρ)))^ρ, each at the nearest timestep', () => {
    for (const [count, rho] of [[10, 7], [20, 7], [10, 1], [50, 3]]) {
      const steps = D.sigmaSteps(s, count, { rho });
      expect(steps.length).to.equal(count);
      expect(steps[0]).to.equal(999);
      expect(steps[count - 1]).to.equal(0);
      steps.forEach((t, i) => i > 0 && expect(t).to.be.below(steps[i - 1]));
      // By brute force: the timestep whose log σ is nearest each target.
      const hi = sigma(999) ** (1 / rho);
      const lo = sigma(0) ** (1 / rho);
      steps.forEach((t, i) => {
        const target = (hi + (i / (count - 1)) * (lo - hi)) ** rho;
        let best = 0;
        for (let u = 1; u < 1000; u++) if (Math.abs(Math.log(sigma(u) / target)) < Math.abs(Math.log(sigma(best) / target))) best = u;
        expect(Math.abs(t - best)).to.be.at.most(1); // ties and the strictly-decreasing nudge
      });
    }
  });

  it('ρ = 1 spaces σ evenly; ρ = 7 crowds the steps at low noise (small t)', () => {
    const even = D.sigmaSteps(s, 10, { rho: 1 }).map(sigma);
    const gap = (even[0] - even[9]) / 9;
    for (let i = 1; i < 9; i++) expect(even[i - 1] - even[i]).to.be.closeTo(gap, 0.05 * gap);
    // ρ = 1 leaves one step for all of σ < σ_max/9; ρ = 7 spends several there.
    const low = (steps: number[]) => steps.filter((t) => sigma(t) < sigma(999) / 9).length;
    expect(low(D.sigmaSteps(s, 10, { rho: 1 }))).to.equal(1);
    expect(low(D.sigmaSteps(s, 10, { rho: 7 }))).to.be.at.least(5);
  });

  it('with many steps and a large ρ, the list stays strictly decreasing; bad input is named', () => {
    const steps = D.sigmaSteps(s, 300, { rho: 7 });
    expect(new Set(steps).size).to.equal(300);
    steps.forEach((t, i) => i > 0 && expect(t).to.be.below(steps[i - 1]));
    expect(D.sigmaSteps(s, 1000)).to.deep.equal(Array.from({ length: 1000 }, (_, i) => 999 - i));
    expect(D.sigmaSteps(s, 1)).to.deep.equal([999]);
    expect(() => D.sigmaSteps(s, 0)).to.throw(/count must be an integer in \[1, 1000\]/);
    expect(() => D.sigmaSteps(s, 10, { rho: 0 })).to.throw(/rho must be/);
  });
});
