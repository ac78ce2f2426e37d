import { expect } from 'chai';
import { cosineSchedule, fromBetas, linearSchedule, signalToNoise } from '../../lib/diffusion';

describe('diffusion/snr', () => {
  it('is ᾱ_t / (1 − ᾱ_t), computed by hand on a three-step schedule', () => {
    // ᾱ = 1/2, 1/4, 1/8 → SNR = 1, 1/3, 1/7
    const snr = signalToNoise(fromBetas([0.5, 0.5, 0.5]));
    expect(Array.from(snr)).to.have.length(3);
    [1, 1 / 3, 1 / 7].forEach((v, t) => expect(snr[t], `t = ${t}`).to.be.closeTo(v, 1e-7));
  });

  it('falls through 1 where ᾱ falls through 1/2, for the linear and the cosine schedule', () => {
    for (const s of [linearSchedule(), cosineSchedule()]) {
      const snr = signalToNoise(s);
      for (let t = 1; t < s.T; t++) expect(snr[t], `t = ${t}`).to.be.below(snr[t - 1]);
      const half = s.alphaBar.findIndex((a) => a < 0.5);
      expect(snr[half]).to.be.below(1);
      expect(snr[half - 1]).to.be.at.least(1);
    }
  });

  it('is Infinity before any noise (β = 0) and rejects something that is not a schedule', () => {
    expect(signalToNoise(fromBetas([0, 0.1]))[0]).to.equal(Infinity);
    expect(() => signalToNoise({ T: 0, betas: new Float32Array(0), alphaBar: new Float32Array(0) })).to.throw(/non-empty alphaBar/);
    expect(() => signalToNoise({ T: 1, betas: new Float32Array([0]), alphaBar: new Float32Array([NaN]) })).to.throw(/alphaBar\[0\] = NaN/);
  });
});
