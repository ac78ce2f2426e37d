import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import * as D from '../../lib/diffusion';
import { randn } from '../../lib/random';
import { gaussianEps, moments } from './gaussian';

describe('diffusion/reverse SDE and probability-flow ODE', () => {
  const s = D.linearSchedule(1000);
  const mu = [0.5, -0.3];
  const sd = 0.4;
  const eps = gaussianEps(s, mu, sd);
  const n = 1000;
  const steps = D.timesteps(s, 200);
  let xT: tf.Tensor2D;
  const sde = D.trajectory();
  const ode = D.trajectory();
  // The exact marginal at timestep t (plain JS): N(√ᾱ μ, (ᾱ s² + 1 − ᾱ) I), a large sample of it.
  const exact = (t: number, count: number, seed: number) => {
    const ab = D.alphaBarAt(s, t);
    const z = randn(seed, [count, 2]);
    const out = Float32Array.from(z.dataSync(), (v, j) => Math.sqrt(ab) * mu[j % 2] + Math.sqrt(ab * sd * sd + 1 - ab) * v);
    z.dispose();
    return out;
  };
  before(() => {
    xT = randn(7, [n, 2]) as tf.Tensor2D;
    D.reverseSde(eps, xT, s, { steps, seed: 3, record: sde }).dispose();
    D.probabilityFlow(eps, xT, s, { steps, record: ode }).dispose();
  });
  after(() => xT.dispose());

  it('both reach the data N(μ, s²I); at every recorded t both match the exact marginal', () => {
    for (const tr of [sde, ode]) {
      expect(tr.times).to.deep.equal([...steps, -1]);
      for (const i of [50, 100, 150, 199, 200]) {
        const t = tr.times[i];
        const ab = D.alphaBarAt(s, t);
        const m = moments(tr.frames[i]);
        m.mean.forEach((v, k) => expect(v).to.be.closeTo(Math.sqrt(ab) * mu[k], 0.05));
        m.std.forEach((v) => expect(v).to.be.closeTo(Math.sqrt(ab * sd * sd + 1 - ab), 0.05 * Math.sqrt(ab * sd * sd + 1 - ab)));
      }
    }
  });

  it('Fokker–Planck: the SDE and ODE samples are at the two-sample noise floor at several t, while a 25% wider cloud is far above it', () => {
    for (const i of [50, 100, 150, 200]) {
      const t = sde.times[i];
      const floor = D.energyNoiseFloor(exact(t, 20_000, 11 + i), n, { seed: i, repeats: 12 });
      expect(floor.sd).to.be.above(0);
      const between = D.energyDistance(sde.frames[i], ode.frames[i]);
      expect(Math.abs(between)).to.be.below(floor.mean + 3 * floor.sd);
      // The floor is tight enough to see a real difference: the same cloud spread 25% wider.
      const c = moments(ode.frames[i]).mean;
      const wider = ode.frames[i].map((v, j) => c[j % 2] + 1.25 * (v - c[j % 2]));
      expect(D.energyDistance(sde.frames[i], wider)).to.be.above(floor.mean + 3 * floor.sd);
    }
  });

  it('the paths differ: the SDE walks far longer and turns far more than the ODE', () => {
    const a = D.pathStats(sde);
    const b = D.pathStats(ode);
    expect(a.length).to.be.above(5 * b.length);
    expect(b.straightness).to.be.above(0.6);
    expect(a.straightness).to.be.below(0.2);
    expect(a.turning).to.be.above(10 * b.turning);
  });

  it('the ODE is deterministic and the SDE seeded; Euler in λ agrees with odeSample (DDIM) at many steps', () => {
    const sub = xT.slice([0, 0], [200, 2]);
    const few = D.timesteps(s, 50);
    const run = (f: () => tf.Tensor2D) => {
      const x = f();
      const out = Array.from(x.dataSync());
      x.dispose();
      return out;
    };
    expect(run(() => D.reverseSde(eps, sub, s, { steps: few, seed: 4 }))).to.deep.equal(run(() => D.reverseSde(eps, sub, s, { steps: few, seed: 4 })));
    expect(run(() => D.reverseSde(eps, sub, s, { steps: few, seed: 4 }))).to.not.deep.equal(run(() => D.reverseSde(eps, sub, s, { steps: few, seed: 5 })));
    const a = run(() => D.probabilityFlow(eps, sub, s));
    const b = run(() => D.odeSample(eps, sub, s, { steps: D.timesteps(s, 1000) }));
    a.forEach((v, i) => expect(v).to.be.closeTo(b[i], 0.02));
    sub.dispose();
  });

  it('checks its input and leaks no tensors', () => {
    const before = tf.memory().numTensors;
    D.reverseSde(eps, xT, s, { steps: [999, 500, 0], seed: 1 }).dispose();
    D.probabilityFlow(eps, xT, s, { steps: [999, 500, 0] }).dispose();
    expect(tf.memory().numTensors).to.equal(before);
    expect(() => D.reverseSde(eps, xT, s, { steps: [500, 999], seed: 1 })).to.throw(/strictly decrease/);
    expect(() => D.probabilityFlow(eps, xT, s, { steps: [1000] })).to.throw(/outside \[0, 1000\)/);
    expect(() => D.probabilityFlow(eps, tf.zeros([3]) as unknown as tf.Tensor2D, s)).to.throw(/shape \[n, d\]/);
  });

  it('energyNoiseFloor: the unbiased estimate is skewed, below 0 more often than half the time', () => {
    const data = exact(-1, 5000, 22);
    const f = D.energyNoiseFloor(data, 100, { seed: 3, repeats: 300 });
    expect(Math.abs(f.mean)).to.be.below(3 * f.sd / Math.sqrt(300)); // unbiased: mean 0 within its standard error
    expect(f.belowZero).to.be.above(0.55); // yet not symmetric about 0
  });

  it('energyNoiseFloor: seeded, scatters around 0, and shrinks with the sample size', () => {
    const data = exact(-1, 5000, 21);
    const a = D.energyNoiseFloor(data, 200, { seed: 1, repeats: 20 });
    expect(D.energyNoiseFloor(data, 200, { seed: 1, repeats: 20 }).values).to.deep.equal(a.values);
    expect(Math.abs(a.mean)).to.be.below(3 * a.sd);
    expect(a.level).to.be.closeTo(a.mean + 2 * a.sd, 1e-12);
    const b = D.energyNoiseFloor(data, 800, { seed: 2, repeats: 20 });
    expect(b.sd).to.be.below(a.sd / 2);
    expect(a.belowZero).to.equal(a.values.filter((v) => v < 0).length / 20);
    expect(() => D.energyNoiseFloor(data, 1, { seed: 1 })).to.throw(/n must be an integer ≥ 2/);
    expect(() => D.energyNoiseFloor(new Float32Array(3), 10, { seed: 1 })).to.throw(/not a multiple of d = 2/);
  });
});
