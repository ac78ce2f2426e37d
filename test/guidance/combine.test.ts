import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import { cfg, negativePrompt, guide, conditionalDenoiser, EpsModel } from '../../lib/guidance';
import { normals } from '../../lib/random';

const konst = (v: number[]): EpsModel => (xt) => tf.tidy(() => tf.tile(tf.tensor2d([v]), [xt.shape[0], 1]) as tf.Tensor2D);

describe('guidance: cfg and negative prompts as EpsModels', () => {
  let x: tf.Tensor2D;
  before(() => {
    x = tf.tensor2d(normals(1, 6), [3, 2]);
  });
  after(() => x.dispose());

  it('cfg gives uncond + w·(cond − uncond) row by row', () => {
    const e = cfg(konst([1, 2]), konst([3, -1]), 2.5);
    const got = tf.tidy(() => e(x, 10).arraySync());
    expect(got).to.have.length(3);
    for (const r of got) {
      expect(r[0]).to.be.closeTo(1 + 2.5 * 2, 1e-6);
      expect(r[1]).to.be.closeTo(2 + 2.5 * -3, 1e-6);
    }
  });

  it('negativePrompt gives neg + w·(pos − neg)', () => {
    const e = negativePrompt(konst([1, 1]), konst([0, 2]), 3);
    const r = tf.tidy(() => e(x, 0).arraySync())[0];
    expect(r[0]).to.be.closeTo(1 + 3 * -1, 1e-6);
    expect(r[1]).to.be.closeTo(1 + 3 * 1, 1e-6);
  });

  it('rejects NaN, negative and non-number guidance scales with a clear error', () => {
    for (const w of [NaN, -1, Infinity, '2' as unknown as number]) {
      expect(() => cfg(konst([0, 0]), konst([0, 0]), w)).to.throw(/guidance scale w must be a finite number ≥ 0/);
      expect(() => negativePrompt(konst([0, 0]), konst([0, 0]), w)).to.throw(/guidance scale w/);
    }
    expect(() => cfg(konst([0, 0]), konst([0, 0]), -0.5)).to.throw(/got -0\.5/);
  });

  it('guide routes prompt / negative / both to the right combination, and rejects unknown classes', () => {
    const m = conditionalDenoiser({ dataDim: 2, classes: 3, hidden: [8], seed: 1 });
    try {
      const [u, c1, c2] = [m.eps(null), m.eps(1), m.eps(2)].map((e) => tf.tidy(() => e(x, 5).dataSync()));
      const check = (e: EpsModel, f: (i: number) => number) => {
        const got = tf.tidy(() => e(x, 5).dataSync());
        got.forEach((v, i) => expect(v).to.be.closeTo(f(i), 1e-5));
      };
      check(guide(m, { prompt: 1, w: 4 }), (i) => u[i] + 4 * (c1[i] - u[i]));
      check(guide(m, { negative: 2, w: 3 }), (i) => c2[i] + 3 * (u[i] - c2[i]));
      check(guide(m, { prompt: 1, negative: 2, w: 2 }), (i) => c2[i] + 2 * (c1[i] - c2[i]));
      check(guide(m, { w: 7 }), (i) => u[i]);
      expect(() => guide(m, { prompt: 3, w: 1 })).to.throw(/unknown class 3.*0 … 2/);
      expect(() => guide(m, { negative: -1, w: 1 })).to.throw(/unknown class -1/);
      expect(() => guide(m, { prompt: 0.5, w: 1 })).to.throw(/unknown class 0\.5/);
      expect(() => guide(m, { prompt: 1, w: NaN })).to.throw(/guidance scale w .* got NaN/);
    } finally {
      m.dispose();
    }
  });
});
