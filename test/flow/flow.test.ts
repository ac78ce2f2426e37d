import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import * as F from '../../lib/flow';
import * as D from '../../lib/diffusion';
import { quality, spiralSetup } from '../../lib/diffusion';
import { gaussianMixture } from '../../lib/data';
import { randn } from '../../lib/random';
import { moments } from '../diffusion/gaussian';
import { gaussianVelocity, gaussianVelocityAt } from './gaussianVelocity';
import { gaussianEps as gaussianEpsFor } from '../diffusion/gaussian';

const arr = (t: tf.Tensor) => Array.from(t.dataSync());

describe('flow/path, target, loss and the relation to ε̂ and x̂0', () => {
  const x0v = [0.5, -1, 2, 0.25, -0.3, 0.7];
  const ev = [1, 0.2, -0.4, 1.5, 0.9, -2];
  let x0: tf.Tensor2D, eps: tf.Tensor2D;
  before(() => ((x0 = tf.tensor2d(x0v, [3, 2])), (eps = tf.tensor2d(ev, [3, 2]))));
  after(() => [x0, eps].forEach((t) => t.dispose()));

  it('x_t = (1 − t)·x0 + t·ε, for one t and for a t per row', () => {
    arr(F.flowPath(x0, eps, 0.3)).forEach((v, i) => expect(v).to.be.closeTo(0.7 * x0v[i] + 0.3 * ev[i], 1e-6));
    const ts = [0, 0.5, 1];
    const col = tf.tensor2d(ts, [3, 1]);
    arr(F.flowPath(x0, eps, col)).forEach((v, i) => {
      const t = ts[Math.floor(i / 2)];
      expect(v).to.be.closeTo((1 - t) * x0v[i] + t * ev[i], 1e-6);
    });
    expect(() => F.flowPath(x0, eps, 1.5)).to.throw(/t = 1.5 is outside \[0, 1\]/);
    expect(() => F.flowPath(x0, eps, tf.zeros([2, 1]) as tf.Tensor2D)).to.throw(/\[2,1\], need \[3, 1\]/);
    expect(() => F.flowPath(x0, tf.zeros([3, 3]) as tf.Tensor2D, 0.5)).to.throw(/x0 has shape \[3,2\] but eps has \[3,3\]/);
    col.dispose();
  });

  it('v = ε − x0 and the loss is the mean over batch and coordinates of (v̂ − v)², as epsLoss', () => {
    const v = F.velocityTarget(x0, eps);
    arr(v).forEach((a, i) => expect(a).to.be.closeTo(ev[i] - x0v[i], 1e-6));
    const vHat = tf.tensor2d([0, 0, 1, 1, -1, 2], [3, 2]);
    const vv = arr(v);
    const vh = arr(vHat);
    let want = 0;
    for (let r = 0; r < 3; r++) want += ((vh[2 * r] - vv[2 * r]) ** 2 + (vh[2 * r + 1] - vv[2 * r + 1]) ** 2) / 6;
    expect(F.flowLoss(vHat, v).dataSync()[0]).to.be.closeTo(want, 1e-5);
    expect(() => F.flowLoss(vHat, tf.zeros([2, 2]) as tf.Tensor2D)).to.throw(/vHat has shape \[3,2\] but v has \[2,2\]/);
    [v, vHat].forEach((t) => t.dispose());
  });

  it('x̂0 = x_t − t·v̂ and ε̂ = x_t + (1 − t)·v̂ recover x0 and ε from the true velocity', () => {
    for (const t of [0, 0.2, 0.9, 1]) {
      const xt = F.flowPath(x0, eps, t);
      const v = F.velocityTarget(x0, eps);
      arr(F.x0FromVelocity(xt, v, t)).forEach((a, i) => expect(a).to.be.closeTo(x0v[i], 1e-5));
      arr(F.epsFromVelocity(xt, v, t)).forEach((a, i) => expect(a).to.be.closeTo(ev[i], 1e-5));
      [xt, v].forEach((x) => x.dispose());
    }
    expect(() => F.x0FromVelocity(x0, eps, -0.1)).to.throw(/outside \[0, 1\]/);
  });

  it('on a Gaussian, ε̂ from the optimal velocity is E[ε | x_t] (closed form)', () => {
    const mu = [0.5, -0.3];
    const s = 0.4;
    const v = gaussianVelocity(mu, s);
    const x = tf.tensor2d([0.1, 0.2, -1, 0.5], [2, 2]);
    for (const t of [0.1, 0.5, 0.95]) {
      const a = 1 - t;
      const c2 = a * a * s * s + t * t;
      const vh = v(x, t);
      const e = F.epsFromVelocity(x, vh, t);
      const xs = arr(x);
      arr(e).forEach((val, i) => expect(val).to.be.closeTo((t / c2) * (xs[i] - a * mu[i % 2]), 1e-5));
      // and the tensor form agrees with the plain-JS one
      const vj = gaussianVelocityAt(mu, s, xs.slice(0, 2), t);
      arr(vh).slice(0, 2).forEach((val, k) => expect(val).to.be.closeTo(vj[k], 1e-5));
      [vh, e].forEach((q) => q.dispose());
    }
    x.dispose();
  });
});

describe('flow/samplers', () => {
  const mu = [0.5, -0.3];
  const s = 0.4;
  const v = gaussianVelocity(mu, s);
  let x1: tf.Tensor2D;
  before(() => (x1 = randn(3, [400, 2]) as tf.Tensor2D));
  after(() => x1.dispose());
  // The exact ODE maps each noise point x_1 to μ + s·x_1; the RMS distance to it is the sampler's error.
  const err = (method: 'euler' | 'heun', k: number) => {
    const x = F.flowSample(v, x1, { steps: k, method });
    const a = arr(x);
    const b = arr(x1);
    x.dispose();
    let e = 0;
    for (let i = 0; i < a.length; i++) e += (a[i] - (mu[i % 2] + s * b[i])) ** 2 / (a.length / 2);
    return Math.sqrt(e);
  };

  it('Euler converges to the exact transport at first order, Heun at second order', () => {
    const e = [10, 20, 40].map((k) => err('euler', k));
    const h = [10, 20, 40].map((k) => err('heun', k));
    // Halving the step halves Euler's error and quarters Heun's.
    expect(e[0] / e[1]).to.be.within(1.6, 2.5);
    expect(e[1] / e[2]).to.be.within(1.7, 2.3);
    expect(h[0] / h[1]).to.be.within(3, 5.5);
    expect(h[2]).to.be.below(e[2] / 10);
    expect(err('heun', 200)).to.be.below(1e-3);
  });

  it('visits the given times, records the start and every step, and checks its input', () => {
    const tr = F.trajectory(5);
    const seen: number[] = [];
    const x = F.flowSample(v, x1, { steps: [1, 0.5, 0.2, 0], record: tr, onStep: (t) => seen.push(t) });
    expect(tr.times).to.deep.equal([1, 0.5, 0.2, 0]);
    expect(seen).to.deep.equal([0.5, 0.2, 0]);
    expect(tr.frames.map((f) => f.length)).to.deep.equal([10, 10, 10, 10]);
    expect(Array.from(tr.frames[0])).to.deep.equal(arr(x1).slice(0, 10));
    expect(Array.from(tr.frames[3])).to.deep.equal(arr(x).slice(0, 10));
    x.dispose();
    expect(F.flowTimes(4)).to.deep.equal([1, 0.75, 0.5, 0.25, 0]);
    expect(() => F.flowSample(v, x1, { steps: [1, 0.5, 0.5, 0] })).to.throw(/strictly decrease/);
    expect(() => F.flowSample(v, x1, { steps: 0 })).to.throw(/positive integer, got 0/);
    expect(() => F.flowSample(v, x1, { method: 'rk4' as never })).to.throw(/'euler' or 'heun'/);
    expect(() => F.flowSample(() => tf.zeros([1, 2]) as tf.Tensor2D, x1, { steps: 2 })).to.throw(/returned shape \[1,2\]/);
  });

  it("an Euler step is DDIM's move on the straight path: x_s = (1 − s)·x̂0 + s·ε̂ with x̂0, ε̂ read from v̂ at t", () => {
    const x = x1.slice([0, 0], [20, 2]);
    for (const [t, sNext] of [[1, 0.8], [0.6, 0.3], [0.2, 0]]) {
      const step = arr(F.eulerFlowStep(v, x, t, sNext));
      const vh = v(x, t);
      const x0 = arr(F.x0FromVelocity(x, vh, t));
      const e = arr(F.epsFromVelocity(x, vh, t));
      step.forEach((val, i) => expect(val).to.be.closeTo((1 - sNext) * x0[i] + sNext * e[i], 1e-5));
      vh.dispose();
    }
    x.dispose();
  });

  it('leaks no tensors', () => {
    const before = tf.memory().numTensors;
    for (const method of ['euler', 'heun'] as const) F.flowSample(v, x1, { steps: 7, method }).dispose();
    expect(tf.memory().numTensors).to.equal(before);
  });
});

describe('flow/velocity network and training', () => {
  it('velocity(x, t) equals predict(x, [t, t, …]); bad input is named', () => {
    const net = F.velocityNet({ seed: 2, fourier: 16 });
    expect(net.net.sizes).to.deep.equal([2 + 16 + 32, 128, 128, 128, 2]);
    const x = randn(4, [5, 2]) as tf.Tensor2D;
    const a = arr(net.velocity(x, 0.37));
    const b = arr(net.predict(x, [0.37, 0.37, 0.37, 0.37, 0.37]));
    a.forEach((v, i) => expect(v).to.be.closeTo(b[i], 1e-6));
    expect(() => net.velocity(x, 1.2)).to.throw(/t = 1.2 is outside \[0, 1\]/);
    expect(() => net.predict(x, [0.1])).to.throw(/1 times for 5 points/);
    expect(() => net.velocity(tf.zeros([5, 3]) as tf.Tensor2D, 0.5)).to.throw(/3 coordinates/);
    x.dispose();
    net.dispose();
  });

  it('training is seeded, lowers the loss, keeps numTensors flat; save/load round-trips', async () => {
    const data = gaussianMixture(500, 1, { k: 4 });
    const run = async () => {
      const net = F.velocityNet({ seed: 5, hidden: [32, 32] });
      const before = tf.memory().numTensors;
      const counts: number[] = [];
      const states = [];
      for await (const st of F.trainFlowLoop(net, data, { steps: 150, seed: 9, every: 10, progress: false, lrSchedule: 'cosine', lr: 3e-3 })) {
        states.push(st);
        counts.push(tf.memory().numTensors);
      }
      expect(new Set(counts).size).to.equal(1);
      expect(tf.memory().numTensors).to.equal(before);
      return { net, states };
    };
    const a = await run();
    const b = await run();
    expect(a.states.map((x) => x.loss)).to.deep.equal(b.states.map((x) => x.loss));
    const first = a.states.slice(0, 3).reduce((m, x) => m + x.loss, 0) / 3;
    const last = a.states.slice(-3).reduce((m, x) => m + x.loss, 0) / 3;
    expect(last).to.be.below(first);
    const c = F.loadVelocityNet(JSON.parse(JSON.stringify(F.saveVelocityNet(a.net))));
    const x = randn(2, [4, 2]) as tf.Tensor2D;
    expect(arr(c.velocity(x, 0.3))).to.deep.equal(arr(a.net.velocity(x, 0.3)));
    [a.net, b.net, c].forEach((n) => n.dispose());
    x.dispose();
  });

  it('on Gaussian data the trained network learns the optimal velocity, and its samples have the data moments', async () => {
    const mu = [0.5, -0.3];
    const sd = 0.4;
    const data = Float32Array.from(randn(11, [4000, 2]).dataSync(), (v, i) => mu[i % 2] + sd * v);
    const net = F.velocityNet({ seed: 1, hidden: [64, 64] });
    await F.trainFlow(net, data, { steps: 1500, seed: 2, lr: 3e-3, lrSchedule: 'cosine', progress: false });
    // v̂ against v* (plain JS) at points around the data's path, t away from the ends.
    const pts = [[0, 0], [0.5, -0.3], [1, 0.5], [-0.5, -0.5]];
    let e2 = 0, n2 = 0;
    for (const t of [0.2, 0.5, 0.8]) {
      const x = tf.tensor2d(pts.flat(), [4, 2]);
      const vh = arr(net.velocity(x, t));
      pts.forEach((p, i) => {
        const vs = gaussianVelocityAt(mu, sd, p, t);
        e2 += (vh[2 * i] - vs[0]) ** 2 + (vh[2 * i + 1] - vs[1]) ** 2;
        n2 += vs[0] ** 2 + vs[1] ** 2;
      });
      x.dispose();
    }
    expect(Math.sqrt(e2 / n2)).to.be.below(0.15);
    const x1 = randn(5, [2000, 2]) as tf.Tensor2D;
    const x = F.flowSample(net.velocity, x1, { steps: 50, method: 'heun' });
    const m = moments(arr(x));
    m.mean.forEach((v, k) => expect(v).to.be.closeTo(mu[k], 0.05));
    m.std.forEach((v) => expect(v).to.be.closeTo(sd, 0.05));
    [x, x1].forEach((q) => q.dispose());
    net.dispose();
  });

  it('rejects data of the wrong width and non-finite data', async () => {
    const net = F.velocityNet({ seed: 1, hidden: [8] });
    const bad = async (data: Float32Array, re: RegExp) => {
      let err: Error | null = null;
      try {
        await F.trainFlow(net, data, { steps: 2, seed: 1, progress: false });
      } catch (e) {
        err = e as Error;
      }
      expect(err?.message).to.match(re);
    };
    await bad(new Float32Array(5), /multiple of dim/);
    await bad(Float32Array.from([0, 1, NaN, 2]), /data\[2\] = NaN/);
    net.dispose();
  });

  it('the shipped spiral weights (data/flow-spiral.json) sample the spiral with Euler in 10 steps', () => {
    const net = F.loadFlowSpiralNet();
    expect(net.options.fourier).to.equal(F.FLOW_RECIPE.fourier);
    const { test } = spiralSetup(0);
    const heldOut = test.subarray(0, 1000);
    const x1 = randn(1, [500, 2]) as tf.Tensor2D;
    const x = F.flowSample(net.velocity, x1, { steps: 10 });
    const q = quality(x.dataSync() as Float32Array, heldOut);
    expect(q.precision).to.be.above(0.8);
    expect(q.recall).to.be.above(0.9);
    [x, x1].forEach((t) => t.dispose());
    net.dispose();
  });

  it("the shipped moons weights (data/flow-moons.json) are MOONS_RECIPE's full run and sample the moons", () => {
    const saved = JSON.parse(require('fs').readFileSync(require('path').join(__dirname, '..', '..', 'data', 'flow-moons.json'), 'utf8'));
    expect(saved.made.steps).to.equal(F.MOONS_RECIPE.steps);
    const net = F.loadFlowMoonsNet();
    expect(net.options.fourier).to.equal(F.MOONS_RECIPE.fourier);
    const data = F.moonsData();
    expect(data.length).to.equal(2 * F.MOONS_RECIPE.points);
    const x1 = randn(1, [500, 2]) as tf.Tensor2D;
    const x = F.flowSample(net.velocity, x1, { steps: 20 });
    const q = quality(x.dataSync() as Float32Array, data.subarray(0, 1000));
    expect(q.precision).to.be.above(0.8);
    expect(q.recall).to.be.above(0.8);
    [x, x1].forEach((t) => t.dispose());
    net.dispose();
  });

  it('trainFlowMoons runs the recipe (fewer steps here), seeded, and frees the previous network on a rerun', async () => {
    const before = tf.memory().numTensors;
    const a = await F.trainFlowMoons({ steps: 20, progress: false });
    const afterFirst = tf.memory().numTensors;
    const b = await F.trainFlowMoons({ steps: 20, progress: false });
    expect(tf.memory().numTensors).to.equal(afterFirst);
    expect(b.states.map((s) => s.loss)).to.deep.equal(a.states.map((s) => s.loss));
    expect(b.states[b.states.length - 1].step).to.equal(20);
    b.net.dispose();
    expect(tf.memory().numTensors).to.equal(before);
  });
});

describe('flow/noise levels matched to diffusion', () => {
  it('σ = t/(1 − t); matchedSteps puts k DDIM steps at the noise levels of k Euler flow steps', () => {
    expect(F.flowNoiseLevel(0.5)).to.equal(1);
    expect(F.flowNoiseLevel(0.2)).to.be.closeTo(0.25, 1e-12);
    expect(F.flowNoiseLevel(1)).to.equal(Infinity);
    const s = D.linearSchedule(1000);
    const sigma = (t: number) => Math.sqrt((1 - s.alphaBar[t]) / s.alphaBar[t]);
    for (const k of [5, 10, 20]) {
      const steps = F.matchedSteps(s, k);
      expect(steps.length).to.equal(k);
      expect(steps[0]).to.equal(999);
      steps.forEach((t, i) => {
        if (i === 0) return;
        const ft = 1 - i / k;
        const want = ft / (1 - ft);
        // brute force: no timestep has a log σ nearer the target (up to the strictly-decreasing nudge)
        let best = 0;
        for (let u = 1; u < 1000; u++) if (Math.abs(Math.log(sigma(u) / want)) < Math.abs(Math.log(sigma(best) / want))) best = u;
        expect(Math.abs(t - best)).to.be.at.most(1);
      });
    }
    expect(() => D.stepsAtNoiseLevels(s, [2, 2])).to.throw(/strictly decrease/);
    expect(() => D.stepsAtNoiseLevels(s, [0])).to.throw(/not > 0/);
  });

  it('DDIM run on the flow model (epsModelFromVelocity) at the matched steps lands where Euler flow steps do', () => {
    const s = D.linearSchedule(1000);
    const mu = [0.5, -0.3];
    const v = gaussianVelocity(mu, 0.4);
    const x1 = randn(8, [300, 2]) as tf.Tensor2D;
    const eps = F.epsModelFromVelocity(v, s);
    const gap = (k: number, steps: number[]) => {
      const a = arr(F.flowSample(v, x1, { steps: k }));
      // DDIM starts at ᾱ_999 (not exactly pure noise) and its steps sit at the nearest timesteps,
      // so the two agree up to that rounding, not bit for bit.
      const b = arr(D.sample(eps, x1, s, { steps, eta: 0, seed: 0 }));
      let e = 0;
      for (let i = 0; i < a.length; i++) e += (a[i] - b[i]) ** 2 / (a.length / 2);
      return Math.sqrt(e);
    };
    for (const k of [5, 10, 20]) expect(gap(k, F.matchedSteps(s, k))).to.be.below(0.005);
    // The same model with DDIM's usual evenly spaced timesteps lands elsewhere: the steps' placement is what differs.
    expect(gap(5, D.timesteps(s, 5))).to.be.above(0.05);
    // ε̂ from the optimal velocity is the optimal ε̂ of the DDPM model (test/diffusion/gaussian.ts).
    const xt = tf.tensor2d([0.3, -0.2, 1, 1], [2, 2]);
    const ref = gaussianEpsFor(s, mu, 0.4);
    for (const t of [50, 500, 950]) arr(eps(xt, t)).forEach((val, i) => expect(val).to.be.closeTo(arr(ref(xt, t))[i], 1e-4));
    [x1, xt].forEach((q) => q.dispose());
  });

  it('idealVelocity: the exact v* of a finite data set, in plain JS; as an ε-model it is idealEps', () => {
    const data = Float32Array.from([0.3, 0.1, -0.5, 0.4, 0.2, -0.8]);
    const v = F.idealVelocity(data, 2);
    const pts = [[0.1, 0.1], [-0.4, 0.5], [1.2, -0.3]];
    const x = tf.tensor2d(pts.flat(), [3, 2]);
    for (const t of [0.05, 0.4, 0.9]) {
      const got = arr(v(x, t));
      pts.forEach((p, r) => {
        // weights ∝ exp(−|x − (1 − t)x_i|²/2t²), by hand
        const w = [0, 1, 2].map((i) => Math.exp(-((p[0] - (1 - t) * data[2 * i]) ** 2 + (p[1] - (1 - t) * data[2 * i + 1]) ** 2) / (2 * t * t)));
        const z = w.reduce((a, b) => a + b, 0);
        const x0 = [0, 1].map((k) => w.reduce((a, wi, i) => a + (wi / z) * data[2 * i + k], 0));
        [0, 1].forEach((k) => expect(got[2 * r + k]).to.be.closeTo((p[k] - (1 - t) * x0[k]) / t - x0[k], 1e-3 * Math.max(1, Math.abs(got[2 * r + k]))));
      });
    }
    // Through epsModelFromVelocity the exact velocity gives the exact ε̂ of the DDPM model.
    const s = D.linearSchedule(1000);
    const asEps = F.epsModelFromVelocity(v, s);
    const ideal = D.idealEps(data, 2, s);
    for (const t of [100, 500, 900]) arr(asEps(x, t)).forEach((val, i) => expect(val).to.be.closeTo(arr(ideal(x, t))[i], 1e-3));
    expect(() => v(x, 0)).to.throw(/t = 0 has no finite velocity/);
    expect(() => F.idealVelocity(new Float32Array(3), 2)).to.throw(/multiple of d = 2/);
    x.dispose();
    v.dispose();
    ideal.dispose();
  });
});
