import { expect } from 'chai';
import { rng } from '../../lib/random';
import { loadDigits, DIGIT_PIXELS } from '../../lib/data';
import {
  inkMass, slant, quantile, attributeThresholds, describeDigits, randomCaption, fullCaption, captionVocabulary,
  tokenizer, splitWords, THICKNESS_WORDS, SLANT_WORDS, DIGIT_WORDS, zeroShotPrompts,
} from '../../lib/clip';

/** A 28×28 image with a one-pixel line from (r0, c0) to (r1, c1). */
function line(r0: number, c0: number, r1: number, c1: number): Float32Array {
  const im = new Float32Array(DIGIT_PIXELS);
  for (let t = 0; t <= 100; t++) {
    const r = Math.round(r0 + ((r1 - r0) * t) / 100), c = Math.round(c0 + ((c1 - c0) * t) / 100);
    im[r * 28 + c] = 1;
  }
  return im;
}

describe('clip/attributes', function () {
  this.timeout(60000);

  it('ink mass is the pixel sum; slant is the shear from image moments (+ leans right)', () => {
    const im = line(4, 10, 24, 18); // top left to bottom right: leans left (\)
    expect(inkMass(im)).to.equal(im.reduce((a, b) => a + b, 0));
    expect(slant(line(4, 18, 24, 10))).to.be.closeTo(8 / 20, 0.05); // "/" : 8 columns over 20 rows
    expect(slant(im)).to.be.closeTo(-8 / 20, 0.05);
    expect(slant(line(4, 14, 24, 14))).to.equal(0);
    expect(() => inkMass(new Float32Array(10))).to.throw(/784/);
  });

  it('quantile interpolates between order statistics', () => {
    expect(quantile([3, 1, 2, 4], 0.5)).to.equal(2.5);
    expect(quantile([5, 1, 3], 0)).to.equal(1);
    expect(quantile([5, 1, 3], 1)).to.equal(5);
  });

  it('terciles from the training data split each attribute into roughly equal thirds', () => {
    const { train, test } = loadDigits();
    const t = attributeThresholds(train);
    for (const [name, d] of [['train', train], ['test', test]] as const) {
      const a = describeDigits(d, t);
      for (const k of ['thin', 'medium', 'thick']) {
        const share = a.filter((x) => x.thickness === k).length / d.n;
        expect(share, `${name} ${k}`).to.be.within(0.26, 0.41);
      }
      for (const k of ['left', 'upright', 'right']) {
        const share = a.filter((x) => x.slant === k).length / d.n;
        expect(share, `${name} ${k}`).to.be.within(0.26, 0.41);
      }
    }
  });
});

describe('clip/captions and tokenizer', () => {
  it('random captions name the digit and state only the attributes the image has', () => {
    const g = rng(3);
    const tok = tokenizer();
    for (let k = 0; k < 300; k++) {
      const label = k % 10;
      const attrs = { thickness: (['thin', 'medium', 'thick'] as const)[k % 3], slant: (['left', 'upright', 'right'] as const)[(k >> 2) % 3] };
      const c = randomCaption(label, attrs, g);
      const words = splitWords(c);
      expect(words.includes(DIGIT_WORDS[label]) || words.includes(String(label)), c).to.equal(true);
      for (const [kind, syn] of Object.entries(THICKNESS_WORDS)) if (kind !== attrs.thickness) for (const w of syn) expect(words, c).to.not.include(w);
      expect(() => tok.encode(c)).to.not.throw();
    }
    expect(fullCaption(7, { thickness: 'thick', slant: 'left' })).to.equal('a thick, left-slanted seven');
    expect(fullCaption(8, { thickness: 'medium', slant: 'upright' })).to.equal('a medium, upright eight');
    expect(SLANT_WORDS.left[0]).to.equal('left-slanted');
    expect(zeroShotPrompts(['a {digit}']).flat()).to.deep.equal(['a zero', 'a one', 'a two', 'a three', 'a four', 'a five', 'a six', 'a seven', 'an eight', 'a nine']);
    expect(fullCaption(1, { thickness: 'thin', slant: 'upright' })).to.equal('a thin, upright one');
  });

  it('every prompt and caption word is in the vocabulary, and only those', () => {
    const vocab = captionVocabulary();
    expect(new Set(vocab).size).to.equal(vocab.length);
    for (const p of zeroShotPrompts().flat()) for (const w of splitWords(p)) expect(vocab).to.include(w);
    expect(vocab).to.include.members(['thin', 'thick', 'left', 'slanted', 'seven', '7']);
  });

  it('unknown words are an error naming them; with unknown: "ignore", no known word is still an error', () => {
    const tok = tokenizer();
    expect(() => tok.encode('a purple seven')).to.throw(/unknown word "purple"/);
    expect(tok.encode('a purple seven', { unknown: 'ignore' })).to.deep.equal(tok.encode('a seven'));
    expect(() => tok.encode('purple elephants', { unknown: 'ignore' })).to.throw(/no known word/);
    expect(() => tok.encode('')).to.throw(/no known word/);
  });

  it('bag of words: counts over the token count, so each row sums to 1 (mean pooling)', () => {
    const tok = tokenizer();
    const V = tok.vocab.length;
    const bow = tok.bagOfWords(['a seven', 'a thin, thin one']);
    const row = (i: number) => Array.from(bow.subarray(i * V, (i + 1) * V));
    expect(row(0).reduce((a, b) => a + b, 0)).to.be.closeTo(1, 1e-6);
    expect(row(1)[tok.vocab.indexOf('thin')]).to.be.closeTo(0.5, 1e-6);
    expect(row(1)[tok.vocab.indexOf('one')]).to.be.closeTo(0.25, 1e-6);
  });
});
