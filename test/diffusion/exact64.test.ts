// The exact denoiser (idealEps, through the reference idealDenoiser), its score (idealScore) and
// flow's exact velocity (idealVelocity) against a float64 computation, at every t, including
// points that sit between two neighbouring data points at t = 0, where the weights are decided by
// distances divided by 2(1 − ᾱ) = 2e-4 (or 2t²). Relative error of a batch: the largest
// |lib − float64| over the largest |float64| (a single coordinate of a near-zero ε̂ has no relative
// precision in float32, so each batch is measured as a whole; the competing points are a batch
// of their own).
import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import { spiral } from '../../lib/data';
import { cosineSchedule, idealEps, idealScore, linearSchedule } from '../../lib/diffusion';
import { idealVelocity } from '../../lib/flow';
import { forget, use } from '../../lib/exercise/registry';
import { normals } from '../../lib/random';
import { mixturePosterior } from '../../lib/math';

/** E[x0 | x] for x | x0_i ~ N(a·x0_i, s2·I), float64, from the float32 inputs. */
function posteriorMean64(data: Float32Array, x: Float32Array, d: number, a: number, s2: number): Float64Array {
  const m = data.length / d;
  const out = new Float64Array(x.length);
  const l = new Float64Array(m);
  for (let r = 0; r < x.length / d; r++) {
    let max = -Infinity;
    for (let i = 0; i < m; i++) {
      let q = 0;
      for (let j = 0; j < d; j++) q += (x[r * d + j] - a * data[i * d + j]) ** 2;
      l[i] = -q / (2 * s2);
      max = Math.max(max, l[i]);
    }
    let z = 0;
    for (let i = 0; i < m; i++) z += l[i] = Math.exp(l[i] - max);
    for (let i = 0; i < m; i++) for (let j = 0; j < d; j++) out[r * d + j] += (l[i] / z) * data[i * d + j];
  }
  return out;
}

/** max |got − want| / max |want|. */
function relError(got: ArrayLike<number>, want: ArrayLike<number>): number {
  let e = 0;
  let w = 0;
  for (let i = 0; i < want.length; i++) {
    e = Math.max(e, Math.abs(got[i] - want[i]));
    w = Math.max(w, Math.abs(want[i]));
  }
  return e / w;
}

const data = spiral(1000, 1);
const m = data.length / 2;
/** Points 0.4 of the way from a data point to its nearest neighbour: two points compete. */
const competing = (() => {
  const out: number[] = [];
  for (let k = 0; k < 12; k++) {
    const i = 80 * k;
    let best = -1;
    let bd = Infinity;
    for (let q = 0; q < m; q++) {
      const dd = Math.hypot(data[2 * q] - data[2 * i], data[2 * q + 1] - data[2 * i + 1]);
      if (q !== i && dd < bd) [bd, best] = [dd, q];
    }
    out.push(data[2 * i] + 0.4 * (data[2 * best] - data[2 * i]), data[2 * i + 1] + 0.4 * (data[2 * best + 1] - data[2 * i + 1]));
  }
  return Float32Array.from(out);
})();
const x0 = spiral(12, 2);
const z = normals(3, 24);

/** Run a model on a batch and read it back. */
function run(f: (x: tf.Tensor2D, t: number) => tf.Tensor2D, x: Float32Array, t: number): Float32Array {
  return tf.tidy(() => f(tf.tensor2d(x, [x.length / 2, 2]), t).dataSync() as Float32Array);
}

describe('the exact denoiser, its score and the exact velocity agree with float64 (issue 23)', function () {
  this.timeout(120000);
  before(() => forget());

  for (const [name, schedule] of [['linear', linearSchedule()], ['cosine', cosineSchedule()]] as const) {
    it(`idealEps and idealScore, every t of the ${name} schedule: within 1e-4, competing points at t = 0 too`, () => {
      const eps = idealEps(data, 2, schedule);
      const score = idealScore(data, 2, schedule);
      const worst = { eps: [0, -1], score: [0, -1] };
      for (let t = 0; t < schedule.T; t++) {
        const ab = schedule.alphaBar[t];
        const forward = Float32Array.from(x0, (v, i) => Math.sqrt(ab) * v + Math.sqrt(1 - ab) * z[i]);
        for (const x of [forward, competing.map((v) => Math.sqrt(ab) * v)]) {
          const mean = posteriorMean64(data, x, 2, Math.sqrt(ab), 1 - ab);
          const e64 = Array.from(x, (v, i) => (v - Math.sqrt(ab) * mean[i]) / Math.sqrt(1 - ab));
          const re = relError(run(eps, x, t), e64);
          const rs = relError(run(score, x, t), e64.map((v) => -v / Math.sqrt(1 - ab)));
          if (re > worst.eps[0]) worst.eps = [re, t];
          if (rs > worst.score[0]) worst.score = [rs, t];
        }
      }
      eps.dispose();
      score.dispose();
      expect(worst.eps[0], `ε̂: worst relative error ${worst.eps[0].toExponential(2)} at t = ${worst.eps[1]}`).to.be.below(1e-4);
      expect(worst.score[0], `score: worst relative error ${worst.score[0].toExponential(2)} at t = ${worst.score[1]}`).to.be.below(1e-4);
    });
  }

  it('idealVelocity, t from 1e-4 to 1: within 1e-4, competing points at small t too', () => {
    const v = idealVelocity(data, 2);
    const ts = [1e-4, 3e-4, 1e-3, 3e-3, ...Array.from({ length: 100 }, (_, k) => (k + 1) / 100)];
    let worst = [0, -1];
    for (const t of ts) {
      const forward = Float32Array.from(x0, (u, i) => (1 - t) * u + t * z[i]);
      for (const x of [forward, competing.map((u) => (1 - t) * u)]) {
        const mean = posteriorMean64(data, x, 2, 1 - t, t * t);
        const v64 = Array.from(x, (u, i) => (u - (1 - t) * mean[i]) / t - mean[i]);
        const r = relError(run(v, x, t), v64);
        if (r > worst[0]) worst = [r, t];
      }
    }
    v.dispose();
    expect(worst[0], `v: worst relative error ${worst[0].toExponential(2)} at t = ${worst[1]}`).to.be.below(1e-4);
  });

  it('mixturePosterior: E[x0 | x] and E[ε | x] by hand for two points, and bad input named', () => {
    // Points 0 and 1 (d = 1), x = 0.3, a = 0.8, s = 0.5: weights ∝ exp(−(x − a·x_i)²/2s²).
    const [a, s, x] = [0.8, 0.5, 0.3];
    const w = [0, 1].map((p) => Math.exp(-((x - a * p) ** 2) / (2 * s * s)));
    const x0 = w[1] / (w[0] + w[1]);
    const got = mixturePosterior(Float64Array.from([0, 1]), [x], 1, a, 1 - a, s);
    expect(got.x0[0]).to.be.closeTo(x0, 1e-15);
    expect(got.eps[0]).to.be.closeTo((x - a * x0) / s, 1e-15);
    expect(() => mixturePosterior(Float64Array.from([0, 1]), [x], 1, a, 1 - a, 0)).to.throw(/s = 0 must be > 0/);
    expect(() => mixturePosterior(Float64Array.from([0, 1]), [x], 1, a, 0.3, s)).to.throw(/oneMinusA = 0.3 is not 1 − a/);
  });

  it('the cross-check can fail: a denoiser with |a|² − 2a·b + |b|² in float32 (the old hint) misses 1e-4 at t = 0', () => {
    const expanded = (X: tf.Tensor2D, xt: tf.Tensor2D, ab: number) =>
      tf.tidy(() => {
        const mu = tf.mul(X, Math.sqrt(ab));
        const d2 = tf.add(tf.sub(tf.sum(tf.square(xt), 1, true), tf.mul(tf.matMul(xt, mu, false, true), 2)), tf.reshape(tf.sum(tf.square(mu), 1), [1, -1]));
        return tf.matMul(tf.softmax(tf.div(tf.neg(d2), 2 * (1 - ab))), X) as tf.Tensor2D;
      });
    use('diffusion/idealDenoiser', expanded); // lib's idealEps now runs it, as it would a learner's
    try {
      const schedule = linearSchedule();
      const eps = idealEps(data, 2, schedule);
      const ab = schedule.alphaBar[0];
      const x = competing.map((v) => Math.sqrt(ab) * v);
      const mean = posteriorMean64(data, x, 2, Math.sqrt(ab), 1 - ab);
      const e64 = Array.from(x, (v, i) => (v - Math.sqrt(ab) * mean[i]) / Math.sqrt(1 - ab));
      expect(relError(run(eps, x, 0), e64)).to.be.above(1e-4);
      eps.dispose();
    } finally {
      forget();
    }
  });
});
