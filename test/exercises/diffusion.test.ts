import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import { normals } from '../../lib/random';
import { load, points } from './harness';

type Fwd = typeof import('../../solutions/diffusion/forwardSample');
type Ddpm = typeof import('../../solutions/diffusion/ddpmStep');
type Ddim = typeof import('../../solutions/diffusion/ddimStep');
type Euler = typeof import('../../solutions/diffusion/eulerStep');
type Energy = typeof import('../../solutions/diffusion/energyDistance');

// Independent references, in plain JS on flat arrays.
const t2 = (a: Float32Array | number[], n: number) => tf.tensor2d(Float32Array.from(a), [n, a.length / n]);
const out = (x: tf.Tensor) => {
  const v = Array.from(x.dataSync());
  x.dispose();
  return v;
};
const near = (got: number[], want: number[], tol = 1e-5) => {
  expect(got).to.have.length(want.length);
  got.forEach((g, i) => expect(g).to.be.closeTo(want[i], tol));
};
// The linear DDPM schedule, by hand.
const T = 1000;
const betas = Array.from({ length: T }, (_, t) => 1e-4 + ((0.02 - 1e-4) * t) / (T - 1));
const abar: number[] = [];
betas.reduce((p, b, t) => ((abar[t] = p * (1 - b)), abar[t]), 1);

describe('diffusion/forwardSample', () => {
  const ex = () => load<Fwd>('diffusion/forwardSample');
  const x0 = normals(1, 8);
  const e = normals(2, 8);
  it(points(2, 'computes √ᾱ·x0 + √(1 − ᾱ)·ε for one ᾱ'), () => {
    near(out(ex().forwardSample(t2(x0, 4), t2(e, 4), 0.3)), Array.from(x0, (v, i) => Math.sqrt(0.3) * v + Math.sqrt(0.7) * e[i]));
  });
  it(points(2, 'uses one ᾱ per row from a column [n, 1]'), () => {
    const ab = [0.9, 0.5, 0.1, 0.01];
    const want = Array.from(x0, (v, i) => Math.sqrt(ab[i >> 1]) * v + Math.sqrt(1 - ab[i >> 1]) * e[i]);
    near(out(ex().forwardSample(t2(x0, 4), t2(e, 4), tf.tensor2d(ab, [4, 1]))), want);
  });
  it(points(1, 'rejects mismatched shapes and ᾱ outside (0, 1]'), () => {
    expect(() => ex().forwardSample(t2(x0, 4), t2(e.subarray(0, 6), 3), 0.5)).to.throw(/shape/);
    expect(() => ex().forwardSample(t2(x0, 4), t2(e, 4), 1.5)).to.throw(/1\.5/);
  });
});

describe('diffusion/ddpmStep', () => {
  const ex = () => load<Ddpm>('diffusion/ddpmStep');
  const x = normals(3, 6);
  const e = normals(4, 6);
  const z = normals(5, 6);
  it(points(2, 'matches (x − β/√(1 − ᾱ_t)·ε̂)/√(1 − β) + σ·z with σ² = β(1 − ᾱ_{t−1})/(1 − ᾱ_t)'), () => {
    const t = 400;
    const b = betas[t];
    const sig = Math.sqrt((b * (1 - abar[t - 1])) / (1 - abar[t]));
    const want = Array.from(x, (v, i) => (v - (b / Math.sqrt(1 - abar[t])) * e[i]) / Math.sqrt(1 - b) + sig * z[i]);
    near(out(ex().ddpmStep(t2(x, 3), t2(e, 3), b, abar[t], abar[t - 1], t2(z, 3))), want);
  });
  it(points(1, 'without noise (z = null) returns the mean; at t = 0 the noise has no effect'), () => {
    const b = betas[0];
    const mean = Array.from(x, (v, i) => (v - (b / Math.sqrt(1 - abar[0])) * e[i]) / Math.sqrt(1 - b));
    near(out(ex().ddpmStep(t2(x, 3), t2(e, 3), b, abar[0], 1, null)), mean);
    near(out(ex().ddpmStep(t2(x, 3), t2(e, 3), b, abar[0], 1, t2(z, 3))), mean);
  });
  it(points(1, 'rejects mismatched shapes'), () => {
    expect(() => ex().ddpmStep(t2(x, 3), t2(e.subarray(0, 4), 2), 0.01, 0.5, 0.6, null)).to.throw(/shape/);
  });
});

describe('diffusion/ddimStep', () => {
  const ex = () => load<Ddim>('diffusion/ddimStep');
  const x = normals(6, 6);
  const e = normals(7, 6);
  const z = normals(8, 6);
  it(points(2, 'η = 0 jumps from t to s: √ᾱ_s·x̂0 + √(1 − ᾱ_s)·ε̂'), () => {
    const [t, s] = [800, 300];
    const want = Array.from(x, (v, i) => {
      const x0 = (v - Math.sqrt(1 - abar[t]) * e[i]) / Math.sqrt(abar[t]);
      return Math.sqrt(abar[s]) * x0 + Math.sqrt(1 - abar[s]) * e[i];
    });
    near(out(ex().ddimStep(t2(x, 3), t2(e, 3), abar[t], abar[s], 0, t2(z, 3))), want, 1e-4);
  });
  it(points(2, 'η = 1 on one step is DDPM: the same mean and the posterior variance β(1 − ᾱ_{t−1})/(1 − ᾱ_t)'), () => {
    for (const t of [1, 250, 999]) {
      const b = betas[t];
      const mean = Array.from(x, (v, i) => (v - (b / Math.sqrt(1 - abar[t])) * e[i]) / Math.sqrt(1 - b));
      near(out(ex().ddimStep(t2(x, 3), t2(e, 3), abar[t], abar[t - 1], 1, null)), mean, 1e-4);
      // The noise coefficient: feed z and subtract the mean.
      const withZ = out(ex().ddimStep(t2(x, 3), t2(e, 3), abar[t], abar[t - 1], 1, t2(z, 3)));
      const sig = Math.sqrt((b * (1 - abar[t - 1])) / (1 - abar[t]));
      withZ.forEach((v, i) => expect((v - mean[i]) / z[i]).to.be.closeTo(sig, 1e-3));
    }
  });
  it(points(1, 'η between: σ = η·√((1 − ᾱ_s)/(1 − ᾱ_t))·√(1 − ᾱ_t/ᾱ_s)'), () => {
    const [t, s, eta] = [600, 200, 0.5];
    const sig = eta * Math.sqrt((1 - abar[s]) / (1 - abar[t])) * Math.sqrt(1 - abar[t] / abar[s]);
    const want = Array.from(x, (v, i) => {
      const x0 = (v - Math.sqrt(1 - abar[t]) * e[i]) / Math.sqrt(abar[t]);
      return Math.sqrt(abar[s]) * x0 + Math.sqrt(1 - abar[s] - sig * sig) * e[i] + sig * z[i];
    });
    near(out(ex().ddimStep(t2(x, 3), t2(e, 3), abar[t], abar[s], eta, t2(z, 3))), want, 1e-4);
  });
  it(points(1, 'rejects η outside [0, 1] and mismatched shapes'), () => {
    expect(() => ex().ddimStep(t2(x, 3), t2(e, 3), 0.5, 0.6, 1.2, null)).to.throw(/1\.2/);
    expect(() => ex().ddimStep(t2(x, 3), t2(e, 3), 0.5, 0.6, -0.5, null)).to.throw(/-0\.5/);
    expect(() => ex().ddimStep(t2(x, 3), t2(e.subarray(0, 4), 2), 0.5, 0.6, 0, null)).to.throw(/shape/);
  });
});

describe('diffusion/eulerStep', () => {
  const ex = () => load<Euler>('diffusion/eulerStep');
  const x = normals(9, 6);
  const e = normals(10, 6);
  it(points(2, 'moves x̄ = x/√ᾱ by (σ_s − σ_t)·ε̂ with σ = √((1 − ᾱ)/ᾱ)'), () => {
    const [t, s] = [700, 650];
    const sg = (a: number) => Math.sqrt((1 - a) / a);
    const want = Array.from(x, (v, i) => Math.sqrt(abar[s]) * (v / Math.sqrt(abar[t]) + (sg(abar[s]) - sg(abar[t])) * e[i]));
    near(out(ex().eulerStep(t2(x, 3), t2(e, 3), abar[t], abar[s])), want, 1e-4);
  });
  it(points(1, 'is the same move as a deterministic DDIM step (η = 0), computed independently'), () => {
    const [t, s] = [900, 100];
    const want = Array.from(x, (v, i) => Math.sqrt(abar[s]) * ((v - Math.sqrt(1 - abar[t]) * e[i]) / Math.sqrt(abar[t])) + Math.sqrt(1 - abar[s]) * e[i]);
    near(out(ex().eulerStep(t2(x, 3), t2(e, 3), abar[t], abar[s])), want, 1e-4);
  });
  it(points(1, 'rejects mismatched shapes and ᾱ outside (0, 1]'), () => {
    expect(() => ex().eulerStep(t2(x, 3), t2(e.subarray(0, 4), 2), 0.5, 0.6)).to.throw(/shape/);
    expect(() => ex().eulerStep(t2(x, 3), t2(e, 3), 0, 0.6)).to.throw(/alphaBar = 0/);
  });
});

describe('diffusion/energyDistance', () => {
  const ex = () => load<Energy>('diffusion/energyDistance');
  it(points(2, 'matches a direct computation on a small example'), () => {
    const a = Float32Array.from([0, 0, 1, 0, 0, 2]);
    const b = Float32Array.from([3, 0, 3, 1]);
    const d = (p: number[], q: number[]) => Math.hypot(p[0] - q[0], p[1] - q[1]);
    const A = [[0, 0], [1, 0], [0, 2]];
    const B = [[3, 0], [3, 1]];
    let xy = 0;
    A.forEach((p) => B.forEach((q) => (xy += d(p, q) / 6)));
    const xx = (2 * (d(A[0], A[1]) + d(A[0], A[2]) + d(A[1], A[2]))) / 6;
    const yy = (2 * d(B[0], B[1])) / 2;
    expect(ex().energyDistance(a, b)).to.be.closeTo(2 * xy - xx - yy, 1e-6);
  });
  it(points(1, 'is near 0 for two samples of one distribution and grows with a shift'), () => {
    const a = normals(11, 1000);
    const b = normals(12, 1000);
    const shifted = b.map((v) => v + 1);
    expect(Math.abs(ex().energyDistance(a, b))).to.be.below(0.01);
    expect(ex().energyDistance(a, shifted)).to.be.above(0.3);
  });
  it(points(1, 'works in d dimensions and rejects bad lengths'), () => {
    const a = Float32Array.from([0, 0, 0, 1, 1, 1]);
    const b = Float32Array.from([0, 0, 1, 1, 1, 2]);
    const d3 = Math.hypot(1, 1, 1);
    const cross = (1 + Math.hypot(1, 1, 2) + Math.hypot(1, 1, 0) + 1) / 4; // a0–b0, a0–b1, a1–b0, a1–b1
    expect(ex().energyDistance(a, b, 3)).to.be.closeTo(2 * cross - d3 - d3, 1e-6);
    expect(() => ex().energyDistance(Float32Array.from([1, 2, 3]), b)).to.throw(/multiple/);
    expect(() => ex().energyDistance(Float32Array.from([1, 2]), b)).to.throw(/at least 2/);
  });
});
