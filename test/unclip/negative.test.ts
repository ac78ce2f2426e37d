// Chapter 6's negative-prompt section, measured as the chapter measures it (U.slantStudy, 16
// sevens from seed 31 per way of asking, the shipped weights), so its prose stays true.
import { expect } from 'chai';
import * as U from '../../lib/unclip';

describe('unclip: what the text encoder reads, slant bands, and the negative prompt’s overshoot', () => {
  let loaded: ReturnType<typeof U.loadUnclip>;
  before(() => {
    loaded = U.loadUnclip();
  });

  it('wordsRead lists the words kept and the words dropped, as embed reads them', () => {
    const r = U.wordsRead(loaded.unclip, 'a seven that is not slanted');
    expect(r.read).to.deep.equal(['a', 'seven', 'slanted']);
    expect(r.dropped).to.deep.equal(['that', 'is', 'not']);
    const a = loaded.unclip.embed('a seven that is not slanted');
    const b = loaded.unclip.embed(r.read.join(' '));
    expect(Math.max(...a.map((v, i) => Math.abs(v - b[i])))).to.equal(0);
    expect(() => U.wordsRead(loaded.unclip, 7 as unknown as string)).to.throw(/wordsRead: a prompt must be a string, got number/);
  });

  it('slantShares puts each image in the caption bands (left below the lower cut, right above the upper)', () => {
    const th = loaded.unclip.clip.thresholds!;
    const shares = U.slantShares(new Float32Array(196 * 2).fill(0.5), th);
    expect(shares.left + shares.upright + shares.right).to.be.closeTo(1, 1e-12);
    expect(() => U.slantShares(new Float32Array(196), undefined)).to.throw(/slantShares: no slant thresholds/);
  });

  it('the negative prompt at w = 3 overshoots into left-slanted; w = 1.5 overshoots less but stays mostly left; "an upright seven" is upright', () => {
    const [plain, neg3, neg15, upright] = U.slantStudy(loaded.unclip, loaded.classifier, { n: 16, seed: 31 });
    const [lo] = loaded.unclip.clip.thresholds!.slant;
    expect(neg3.negative).to.equal('a right-slanted seven');
    // Every (or nearly every) seven left-slanted, the mean far past the left cut.
    expect(neg3.left).to.be.at.least(0.9);
    expect(neg3.meanSlant).to.be.below(lo - 0.2);
    expect(neg3.meanSlant).to.be.below(plain.meanSlant - 0.2);
    // Gentler: between the two, still mostly left.
    expect(neg15.meanSlant).to.be.within(neg3.meanSlant, plain.meanSlant);
    expect(neg15.left).to.be.above(0.5);
    expect(neg15.left).to.be.above(neg15.upright);
    // The plain prompt already puts about half its sevens in the left band.
    expect(plain.left).to.be.within(0.3, 0.75);
    // Asking for it: all or nearly all upright.
    expect(upright.upright).to.be.at.least(0.9);
    // They are still sevens.
    [plain, neg3, neg15, upright].forEach((r) => expect(r.sevens).to.be.at.least(0.8));
  });
});
