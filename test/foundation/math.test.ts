import { expect } from 'chai';
import { exactAlphaBar, exactNoiseVariance } from '../../lib/math';

describe('math: exact forward-process identity', () => {
  it('ᾱ is the running product of (1 − β), as exact fractions', () => {
    expect(exactAlphaBar(['1/10', '1/5', '3/10']).map((f) => f.toFraction())).to.deep.equal(['9/10', '18/25', '63/125']);
  });

  it('the noise a random walk accumulates is exactly 1 − ᾱ', () => {
    const betas = Array.from({ length: 50 }, (_, i) => `${i + 1}/1000`);
    const a = exactAlphaBar(betas);
    const v = exactNoiseVariance(betas);
    a.forEach((ab, t) => expect(ab.add(v[t]).toFraction()).to.equal('1'));
  });

  it('rejects β outside [0, 1]', () => {
    expect(() => exactAlphaBar(['1/2', '3/2'])).to.throw(/beta\[1\] = 3\/2 is outside \[0, 1\]/);
  });
});
