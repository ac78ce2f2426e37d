import { expect } from 'chai';
import { moons, gaussianMixture, checkerboard, trainHeldOut } from '../../lib/data';

describe('data/toy sets', () => {
  it('moons: seeded, two arcs of radius ~1 around their centres', () => {
    const a = moons(400, 1, { noise: 0 });
    expect(Array.from(a)).to.deep.equal(Array.from(moons(400, 1, { noise: 0 })));
    expect(Array.from(a)).to.not.deep.equal(Array.from(moons(400, 2, { noise: 0 })));
    for (let i = 0; i < 400; i++) {
      const x = a[2 * i] + 0.5, y = a[2 * i + 1] + 0.25;
      // upper moon centred at (0, 0), lower at (1, 0.5), both radius 1
      const r = i % 2 === 0 ? Math.hypot(x, y) : Math.hypot(x - 1, y - 0.5);
      expect(r).to.be.closeTo(1, 1e-5);
    }
    expect(() => moons(0, 1)).to.throw(/positive integer/);
  });

  it('gaussian mixture: every point sits near one of the k centres', () => {
    const p = gaussianMixture(1000, 3, { k: 4, std: 0.05 });
    const hits = [0, 0, 0, 0];
    for (let i = 0; i < 1000; i++) {
      const c = [0, 1, 2, 3].map((j) => Math.hypot(p[2 * i] - Math.cos((j * Math.PI) / 2), p[2 * i + 1] - Math.sin((j * Math.PI) / 2)));
      const j = c.indexOf(Math.min(...c));
      expect(c[j]).to.be.below(0.4);
      hits[j]++;
    }
    hits.forEach((h) => expect(h).to.be.within(180, 320));
    expect(() => gaussianMixture(10, 1, { k: 0 })).to.throw(/k must be/);
  });

  it('checkerboard: only dark squares (row + column even), all of them used', () => {
    const p = checkerboard(4000, 5, { cells: 4 });
    const seen = new Set<string>();
    for (let i = 0; i < 4000; i++) {
      const col = Math.floor((p[2 * i] + 1) / 0.5), row = Math.floor((p[2 * i + 1] + 1) / 0.5);
      expect((row + col) % 2).to.equal(0);
      seen.add(`${row},${col}`);
    }
    expect(seen.size).to.equal(8);
    expect(() => checkerboard(10, 1, { cells: 1 })).to.throw(/cells/);
  });

  it('train / held-out split: disjoint, complete, seeded', () => {
    const p = moons(100, 1);
    const { train, test } = trainHeldOut(p, 20, 4);
    expect(test.length).to.equal(40);
    expect(train.length).to.equal(160);
    const key = (a: Float32Array, i: number) => `${a[2 * i]},${a[2 * i + 1]}`;
    const all = new Set(Array.from({ length: 100 }, (_, i) => key(p, i)));
    const got = [...Array.from({ length: 80 }, (_, i) => key(train, i)), ...Array.from({ length: 20 }, (_, i) => key(test, i))];
    expect(new Set(got)).to.deep.equal(all);
    expect(Array.from(trainHeldOut(p, 20, 4).test)).to.deep.equal(Array.from(test));
    expect(() => trainHeldOut(p, 100, 4)).to.throw(/heldOut/);
  });
});
