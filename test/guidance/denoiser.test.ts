import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import { conditionalDenoiser, timeEmbedding } from '../../lib/guidance';
import { normals } from '../../lib/random';

describe('guidance: conditional denoiser', () => {
  it('predicts ε of the data shape, for classes and for vectors', () => {
    const a = conditionalDenoiser({ dataDim: 2, classes: 4, hidden: [16, 16], seed: 0 });
    const b = conditionalDenoiser({ dataDim: 5, condDim: 3, hidden: [16], seed: 0 });
    try {
      const x2 = tf.tensor2d(normals(1, 14), [7, 2]);
      const x5 = tf.tensor2d(normals(1, 35), [7, 5]);
      expect(tf.tidy(() => a.eps(2)(x2, 3).shape)).to.deep.equal([7, 2]);
      expect(tf.tidy(() => b.eps([0.1, 0.2, 0.3])(x5, 999).shape)).to.deep.equal([7, 5]);
      expect(tf.tidy(() => b.eps(null)(x5, 0).shape)).to.deep.equal([7, 5]);
      x2.dispose();
      x5.dispose();
    } finally {
      a.dispose();
      b.dispose();
    }
  });

  it('rows with keep = 0 see the learned null condition: same as the unconditional prediction', () => {
    const m = conditionalDenoiser({ dataDim: 2, classes: 3, hidden: [16], seed: 2 });
    try {
      // Make the null condition something other than zero, as after training.
      m.nullCond.assign(tf.tensor2d([[0.5, -1, 2]]));
      const [mixed, uncond, cond] = tf.tidy(() => {
        const x = tf.tensor2d(normals(3, 8), [4, 2]);
        const c = tf.oneHot(tf.tensor1d([0, 1, 2, 1], 'int32'), 3).toFloat() as tf.Tensor2D;
        const keep = tf.tensor2d([1, 0, 1, 0], [4, 1]);
        const t = [10, 10, 10, 10];
        return [m.predict(x, t, c, keep).arraySync(), m.predict(x, t, null).arraySync(), m.predict(x, t, c).arraySync()];
      });
      for (const i of [1, 3]) mixed[i].forEach((v, k) => expect(v).to.be.closeTo(uncond[i][k], 1e-6));
      for (const i of [0, 2]) mixed[i].forEach((v, k) => expect(v).to.be.closeTo(cond[i][k], 1e-6));
      expect(Math.abs(cond[1][0] - uncond[1][0]) + Math.abs(cond[1][1] - uncond[1][1])).to.be.above(1e-4);
    } finally {
      m.dispose();
    }
  });

  it('gives clear errors for unknown classes, wrong vectors, bad t and bad options', () => {
    const m = conditionalDenoiser({ dataDim: 2, classes: 3, hidden: [8], seed: 0 });
    const v = conditionalDenoiser({ dataDim: 2, condDim: 4, hidden: [8], seed: 0 });
    try {
      expect(() => m.eps(3)).to.throw(/unknown class 3; this model knows classes 0 … 2/);
      expect(() => m.eps(-1)).to.throw(/unknown class -1/);
      expect(() => m.eps(1.5)).to.throw(/unknown class 1\.5/);
      expect(() => v.eps(1)).to.throw(/conditioned on vectors of length 4, not on class labels/);
      expect(() => v.eps([1, 2])).to.throw(/length 2, expected 4/);
      expect(() => v.eps([1, NaN, 0, 0])).to.throw(/non-finite value at 1/);
      expect(() => tf.tidy(() => v.epsRows([[1, 0, 0, 0]])(tf.zeros([2, 2]) as tf.Tensor2D, 1))).to.throw(/1 condition rows for a batch of 2/);
      expect(() => v.epsRows([[1, 0]])).to.throw(/length 2, expected 4/);
      const x = tf.tensor2d([[0, 0]]);
      expect(() => m.eps(0)(x, 1000)).to.throw(/step t must be an integer in \[0, 1000\), got 1000/);
      expect(() => m.eps(0)(tf.tensor2d([[0, 0, 0]]), 1)).to.throw(/xt has shape \[1,3\], expected \[n, 2\]/);
      x.dispose();
      expect(() => conditionalDenoiser({ dataDim: 2, hidden: [8], seed: 0 })).to.throw(/exactly one of classes/);
      expect(() => conditionalDenoiser({ dataDim: 2, classes: 1, hidden: [8], seed: 0 })).to.throw(/classes must be an integer ≥ 2/);
    } finally {
      m.dispose();
      v.dispose();
    }
  });

  it("target 'x0': the samplers' ε̂ is epsFromX0 of the network's x̂0, (x_t − √ᾱ_t·x̂0)/√(1 − ᾱ_t)", () => {
    const ab = Float32Array.from({ length: 10 }, (_, t) => 0.95 - 0.09 * t);
    for (const condEmbed of [undefined, 3]) {
      const m = conditionalDenoiser({ dataDim: 3, condDim: 2, hidden: [8, 8], alphaBar: ab, target: 'x0', condEmbed, seed: 1 });
      try {
        expect(m.T).to.equal(10);
        const xs = normals(4, 6);
        const [x0Hat, eps] = tf.tidy(() => {
          const x = tf.tensor2d(xs, [2, 3]);
          const c = tf.tensor2d([[0.5, -1], [0.5, -1]]);
          return [m.predict(x, [7, 7], c).dataSync(), m.eps([0.5, -1])(x, 7).dataSync()];
        });
        xs.forEach((v, i) => expect(eps[i]).to.be.closeTo((v - Math.sqrt(ab[7]) * x0Hat[i]) / Math.sqrt(1 - ab[7]), 1e-5));
      } finally {
        m.dispose();
      }
    }
    expect(() => conditionalDenoiser({ dataDim: 3, classes: 2, hidden: [8], target: 'x0', seed: 0 })).to.throw(/target 'x0' needs the schedule's alphaBar/);
    expect(() => conditionalDenoiser({ dataDim: 3, classes: 2, hidden: [8], T: 11, alphaBar: ab, seed: 0 })).to.throw(/alphaBar has 10 values, expected T = 11/);
    expect(() => conditionalDenoiser({ dataDim: 3, classes: 2, hidden: [8], target: 'v' as 'x0', alphaBar: ab, seed: 0 })).to.throw(/target must be 'eps' or 'x0', got v/);
  });

  it('condEmbed: [time embedding, projected condition] joins every hidden layer; keep = 0 still means the null condition', () => {
    const m = conditionalDenoiser({ dataDim: 5, condDim: 4, hidden: [8, 6], condEmbed: 3, timeDim: 4, seed: 2 });
    try {
      // projection 4→3, layer 0: (5 + 4 + 3)→8, layer 1: (8 + 4 + 3)→6, out 6→5, null [1, 4]
      expect(m.params.map((p) => p.shape)).to.deep.equal([[4, 3], [3], [12, 8], [8], [15, 6], [6], [6, 5], [5], [1, 4]]);
      m.nullCond.assign(tf.tensor2d([[0.3, -0.2, 1, 0.5]]));
      const [mixed, uncond, cond] = tf.tidy(() => {
        const x = tf.tensor2d(normals(3, 10), [2, 5]);
        const c = tf.tensor2d([[1, 0, 0, 0], [0, 1, 0, 0]]);
        const t = [3, 3];
        return [m.predict(x, t, c, tf.tensor2d([[1], [0]])).arraySync(), m.predict(x, t, null).arraySync(), m.predict(x, t, c).arraySync()];
      });
      mixed[0].forEach((v, k) => expect(v).to.be.closeTo(cond[0][k], 1e-6));
      mixed[1].forEach((v, k) => expect(v).to.be.closeTo(uncond[1][k], 1e-6));
      expect(() => conditionalDenoiser({ dataDim: 5, condDim: 4, hidden: [8], condEmbed: 0, seed: 0 })).to.throw(/condEmbed must be a positive integer, got 0/);
    } finally {
      m.dispose();
    }
  });

  it('time embedding: sin/cos pairs of unit norm per frequency, distinct steps differ', () => {
    const e = timeEmbedding([0, 1, 500], 8);
    expect(Array.from(e.slice(0, 8))).to.deep.equal([0, 0, 0, 0, 1, 1, 1, 1]);
    for (let k = 0; k < 4; k++) expect(e[8 + k] ** 2 + e[12 + k] ** 2).to.be.closeTo(1, 1e-6);
    expect(() => timeEmbedding([1], 5)).to.throw(/even/);
  });
});
