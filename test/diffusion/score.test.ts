import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import * as D from '../../lib/diffusion';
import { gaussianEps } from './gaussian';

const arr = (t: tf.Tensor) => Array.from(t.dataSync());

describe('diffusion/score', () => {
  const s = D.linearSchedule(1000);

  it('score = −ε̂/√(1 − ᾱ_t): on Gaussian data it is the exact score of N(√ᾱμ, (ᾱs² + 1 − ᾱ)I)', () => {
    const mu = [0.5, -0.3];
    const sd = 0.4;
    const score = D.scoreModel(gaussianEps(s, mu, sd), s);
    const pts = [0, 0, 1, -1, -0.7, 0.2];
    const x = tf.tensor2d(pts, [3, 2]);
    for (const t of [0, 100, 500, 999]) {
      const ab = s.alphaBar[t];
      const v = ab * sd * sd + 1 - ab;
      const got = arr(score(x, t));
      // ∇ log N(x; m, vI) = −(x − m)/v
      got.forEach((g, i) => expect(g).to.be.closeTo(-(pts[i] - Math.sqrt(ab) * mu[i % 2]) / v, 1e-3 * Math.max(1, Math.abs(g))));
    }
    x.dispose();
  });

  it('idealScore is the gradient of the log density of the noised data set (finite differences, plain JS)', () => {
    const data = Float32Array.from([0.3, 0.1, -0.5, 0.4, 0.2, -0.8]);
    const score = D.idealScore(data, 2, s);
    for (const t of [50, 300, 900]) {
      const ab = s.alphaBar[t];
      // log p_t(x) = log Σ_i N(x; √ᾱ x_i, (1 − ᾱ)I) + const
      const logp = (x: number[]) => {
        let z = 0;
        for (let i = 0; i < 3; i++) z += Math.exp(-((x[0] - Math.sqrt(ab) * data[2 * i]) ** 2 + (x[1] - Math.sqrt(ab) * data[2 * i + 1]) ** 2) / (2 * (1 - ab)));
        return Math.log(z);
      };
      for (const p of [[0.1, 0.1], [-0.4, 0.5], [0.6, -0.2]]) {
        const h = 1e-4;
        const fd = [0, 1].map((k) => {
          const a = [...p], b = [...p];
          a[k] += h;
          b[k] -= h;
          return (logp(a) - logp(b)) / (2 * h);
        });
        const x = tf.tensor2d(p, [1, 2]);
        const g = arr(score(x, t));
        g.forEach((v, k) => expect(v).to.be.closeTo(fd[k], 2e-3 * Math.max(1, Math.abs(fd[k]))));
        x.dispose();
      }
    }
    score.dispose();
  });

  it('scoreField puts the score on the grid; bad input is named', () => {
    const data = Float32Array.from([0.3, 0.1]);
    const score = D.idealScore(data, 2, s);
    const f = D.scoreField(score, 400, { n: 3, extent: [-1, 1, -1, 1] });
    const ab = s.alphaBar[400];
    // One point: the score is −(x − √ᾱ x0)/(1 − ᾱ).
    for (let i = 0; i < 9; i++) {
      expect(f.u[i]).to.be.closeTo(-(f.x[i] - Math.sqrt(ab) * 0.3) / (1 - ab), 1e-3);
      expect(f.v[i]).to.be.closeTo(-(f.y[i] - Math.sqrt(ab) * 0.1) / (1 - ab), 1e-3);
    }
    const e = tf.ones([2, 2]) as tf.Tensor2D;
    expect(() => D.scoreFromEps(e, 1)).to.throw(/alphaBar = 1 is outside \(0, 1\)/);
    expect(() => score(e, 1000)).to.throw(/t = 1000/);
    e.dispose();
    score.dispose();
  });
  it('logDensity and scoreAgainstDensity: the posterior-averaged score matches finite differences of log p_t; a wrong score does not', () => {
    const data = D.spiralSetup(0, 300, 10).train;
    const logp = D.logDensity(data, 2, s);
    // Against a plain-JS log-sum-exp at one point.
    const ab = s.alphaBar[200];
    let z = 0;
    for (let i = 0; i < data.length / 2; i++) z += Math.exp(-((0.3 - Math.sqrt(ab) * data[2 * i]) ** 2 + (-0.2 - Math.sqrt(ab) * data[2 * i + 1]) ** 2) / (2 * (1 - ab)));
    expect(logp([0.3, -0.2], 200)[0]).to.be.closeTo(Math.log(z), 1e-9);
    const pts = D.grid(7, [-1.5, 1.5, -1.5, 1.5]);
    const exact = D.idealScore(data, 2, s);
    for (const r of D.scoreAgainstDensity(exact, data, s, pts, [999, 300, 100, 30])) expect(r.maxRelative, `t = ${r.t}`).to.be.below(1e-3);
    const flipped: D.ScoreModel = (x, t) => tf.tidy(() => tf.neg(exact(x, t)) as tf.Tensor2D);
    for (const r of D.scoreAgainstDensity(flipped, data, s, pts, [300])) expect(r.meanRelative).to.be.above(1.5);
    exact.dispose();
    expect(() => D.logDensity(new Float32Array(3), 2, s)).to.throw(/multiple of d = 2/);
    expect(() => logp([1, 2, 3], 10)).to.throw(/x has length 3/);
  });
});
