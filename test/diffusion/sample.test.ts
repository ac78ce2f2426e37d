import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import * as D from '../../lib/diffusion';
import { randn, rng } from '../../lib/random';
import { gaussianEps, moments } from './gaussian';

describe('diffusion/samplers', () => {
  const s = D.linearSchedule(1000);
  const mu = [0.5, -0.3];
  const sd = 0.4;
  const eps = gaussianEps(s, mu, sd);
  const n = 2000;
  let xT: tf.Tensor2D;
  before(() => (xT = randn(7, [n, 2]) as tf.Tensor2D));
  after(() => xT.dispose());
  const run = (f: () => tf.Tensor2D) => {
    const x = f();
    const out = x.dataSync() as Float32Array;
    x.dispose();
    return out;
  };
  const expectData = (p: Float32Array, tol = 0.04) => {
    const m = moments(p);
    m.mean.forEach((v, k) => expect(v).to.be.closeTo(mu[k], tol));
    m.std.forEach((v) => expect(v).to.be.closeTo(sd, tol));
  };

  it('DDPM (η = 1, all 1000 steps) with the exact ε̂ reaches N(μ, s²I)', () => {
    expectData(run(() => D.sample(eps, xT, s, { seed: 1 })));
  });

  it('DDIM (η = 0 and 0.5) on 50 steps, and the ODE (Euler and Heun), reach it too', () => {
    expectData(run(() => D.sample(eps, xT, s, { seed: 1, eta: 0, steps: D.timesteps(s, 50) })));
    expectData(run(() => D.sample(eps, xT, s, { seed: 1, eta: 0.5, steps: D.timesteps(s, 50) })));
    expectData(run(() => D.odeSample(eps, xT, s, { method: 'heun', steps: D.timesteps(s, 25) })));
    expectData(run(() => D.odeSample(eps, xT, s, { steps: D.timesteps(s, 100) })));
  });

  it('DDPM with the noise removed collapses: the spread shrinks far below s', () => {
    const m = moments(run(() => D.sample(eps, xT, s, { seed: 1, noise: false })));
    m.std.forEach((v) => expect(v).to.be.below(sd / 4));
  });

  it('η = 1 over every step is exactly ddpmStep with the same noise (the general update covers DDPM)', () => {
    const x0 = xT.slice([0, 0], [50, 2]);
    const general = run(() => D.sample(eps, x0, s, { seed: 3, steps: [999, 600, 599, 0] }));
    // The same walk by hand with ddpmStep where steps are adjacent (599 → 598 is not visited; use adjacent pairs only).
    const g = rng(3);
    let x = x0.clone();
    const ab = (t: number) => D.alphaBarAt(s, t);
    // 999 → 600 is a jump (η = 1 DDIM), 600 → 599 adjacent, 599 → 0 jump, 0 → clean.
    const hops: [number, number][] = [[999, 600], [600, 599], [599, 0], [0, -1]];
    for (const [t, u] of hops) {
      const z = u >= 0 ? (randn(g, [50, 2]) as tf.Tensor2D) : null;
      const e = eps(x, t);
      const next = u === t - 1 ? D.ddpmStep(x, e, s.betas[t], ab(t), ab(u), z) : D.ddimStep(x, e, ab(t), ab(u), 1, z);
      [x, e, z].forEach((v) => v?.dispose());
      x = next;
    }
    const byHand = x.dataSync();
    general.forEach((v, i) => expect(v).to.be.closeTo(byHand[i], 1e-5));
    x.dispose();
    x0.dispose();
  });

  it('Euler on the probability-flow ODE is exactly DDIM with η = 0', () => {
    const steps = D.timesteps(s, 20);
    const a = run(() => D.odeSample(eps, xT, s, { steps }));
    const b = run(() => D.sample(eps, xT, s, { steps, eta: 0, seed: 0 }));
    a.forEach((v, i) => expect(v).to.be.closeTo(b[i], 1e-4));
  });

  it('DDIM inversion round trip: data → noise → data returns close to the start', () => {
    const x0 = tf.tidy(() => tf.add(tf.mul(randn(9, [500, 2]), sd), tf.tensor1d(mu))) as tf.Tensor2D;
    const roundTrip = (k: number) => {
      const steps = D.timesteps(s, k);
      const z = D.ddimInvert(eps, x0, s, { steps });
      // The noise it finds looks like N(0, I)…
      moments(z.dataSync()).std.forEach((v) => expect(v).to.be.closeTo(1, 0.1));
      const back = D.sample(eps, z, s, { steps, eta: 0, seed: 0 });
      const err = tf.tidy(() => tf.sqrt(tf.mean(tf.sum(tf.square(tf.sub(back, x0)), 1))).dataSync()[0]);
      [z, back].forEach((v) => v.dispose());
      return err;
    };
    // …and the error of using ε̂(x_s, t) for ε̂(x_t, t) shrinks as the steps get finer.
    const e20 = roundTrip(20);
    const e100 = roundTrip(100);
    expect(e100).to.be.below(0.05);
    expect(e100).to.be.below(e20 / 2);
    x0.dispose();
  });

  it('leaks no tensors and leaves its input alone', () => {
    const before = tf.memory().numTensors;
    const x = D.sample(eps, xT, s, { seed: 1, steps: D.timesteps(s, 10) });
    const y = D.odeSample(eps, xT, s, { method: 'heun', steps: D.timesteps(s, 5) });
    const z = D.ddimInvert(eps, xT, s, { steps: D.timesteps(s, 5) });
    expect(tf.memory().numTensors).to.equal(before + 3);
    [x, y, z].forEach((v) => v.dispose());
    expect(xT.isDisposed).to.equal(false);
  });

  it('bad input: η outside [0, 1], steps not decreasing, t outside [0, T), shape mismatches', () => {
    expect(() => D.sample(eps, xT, s, { seed: 1, eta: 1.5 })).to.throw(/eta = 1.5 is outside \[0, 1\]/);
    expect(() => D.sample(eps, xT, s, { seed: 1, eta: -0.1 })).to.throw(/eta = -0.1/);
    expect(() => D.sample(eps, xT, s, { seed: 1, steps: [10, 20] })).to.throw(/strictly decrease/);
    expect(() => D.odeSample(eps, xT, s, { steps: [1000, 5] })).to.throw(/steps\[0\] = 1000 is outside \[0, 1000\)/);
    expect(() => D.ddimInvert(eps, xT, s, { steps: [5, 5] })).to.throw(/strictly decrease/);
    const wrong: D.EpsModel = (x) => tf.zeros([x.shape[0], 3]) as tf.Tensor2D;
    expect(() => D.sample(wrong, xT, s, { seed: 1, steps: [3, 0] })).to.throw(/returned shape \[2000,3\] for x_t of shape \[2000,2\]/);
    expect(() => D.sample(eps, tf.zeros([4]) as unknown as tf.Tensor2D, s, { seed: 1 })).to.throw(/shape \[n, d\]/);
    expect(() => D.odeSample(eps, xT, s, { method: 'rk4' as 'euler' })).to.throw(/method/);
    expect(() => D.ddimStep(xT, xT, 0.5, 0.9, 2, null)).to.throw(/eta = 2/);
    expect(() => D.ddimStep(xT, tf.zeros([3, 2]) as tf.Tensor2D, 0.5, 0.9, 0, null)).to.throw(/shape/);
  });
});
