// Reflow, frames and the marginal velocity: chapter 7's claims, measured as the chapter measures them.
import { expect } from 'chai';
import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import * as F from '../../lib/flow';
import * as D from '../../lib/diffusion';
import { randn } from '../../lib/random';

const values = (t: tf.Tensor) => {
  const v = Float32Array.from(t.dataSync() as Float32Array);
  t.dispose();
  return v;
};

describe('flow/reflow: pairs, training on a coupling, the shipped 2-rectified weights', () => {
  it('reflowPairs: seeded noise and the teacher’s Euler end points for it', () => {
    const teacher = F.velocityNet({ seed: 3 });
    const a = F.reflowPairs(teacher, { pairs: 50, pairSteps: 4, pairSeed: 5 });
    const b = F.reflowPairs(teacher, { pairs: 50, pairSteps: 4, pairSeed: 5 });
    expect(a.noise.length).to.equal(100);
    expect(Array.from(a.noise)).to.deep.equal(Array.from(b.noise));
    const z = tf.tensor2d(a.noise, [50, 2]);
    const end = values(F.flowSample(teacher.velocity, z, { steps: 4 }));
    Array.from(end).forEach((v, i) => expect(a.x0[i]).to.be.closeTo(v, 1e-6));
    expect(() => F.reflowPairs(teacher, { pairs: 0 })).to.throw(/reflowPairs: pairs must be a positive integer, got 0/);
    z.dispose();
    teacher.dispose();
  });

  it('trainFlow on a coupling regresses on each point’s partner: pairs (x0, x0) have v = 0 and the net learns ≈ 0', async () => {
    const x0 = Float32Array.from({ length: 400 }, (_, i) => Math.sin(i));
    const net = F.velocityNet({ seed: 2, hidden: [32] });
    const before = tf.memory().numTensors;
    const states = await F.trainFlow(net, x0, { noise: x0, steps: 300, seed: 1, lr: 3e-3, progress: false });
    expect(tf.memory().numTensors).to.equal(before);
    expect(states[states.length - 1].loss).to.be.below(0.02);
    // Fresh noise on the same data cannot get near 0: the target ε − x0 is random given x_t.
    const other = F.velocityNet({ seed: 2, hidden: [32] });
    const fresh = await F.trainFlow(other, x0, { steps: 300, seed: 1, lr: 3e-3, progress: false });
    expect(fresh[fresh.length - 1].loss).to.be.above(0.1);
    other.dispose();
    await F.trainFlow(net, x0, { noise: x0.subarray(2), steps: 1, seed: 1, progress: false }).then(
      () => expect.fail('should reject'),
      (e: Error) => expect(e.message).to.match(/trainFlow: noise has 398 numbers but data has 400/),
    );
    net.dispose();
  });

  it('trainReflowLoop starts from the teacher’s weights, leaves the teacher alone, and is seeded', async () => {
    const teacher = F.velocityNet({ seed: 4, hidden: [16] });
    const w0 = teacher.params.map((p) => Array.from(p.dataSync()));
    const run = () => F.trainReflow(teacher, { pairs: 64, pairSteps: 3, steps: 5, progress: false });
    const a = await run();
    const b = await run(); // same call: frees a's network (keep) and trains the same one again
    expect(b.states.map((s) => s.loss)).to.deep.equal(a.states.map((s) => s.loss));
    teacher.params.forEach((p, i) => expect(Array.from(p.dataSync())).to.deep.equal(w0[i]));
    b.net.dispose();
    teacher.dispose();
  });

  it('data/flow-reflow.json is REFLOW_RECIPE’s full run from data/flow-spiral.json; one Euler step lands on the spiral (P ≥ 0.85, R ≥ 0.95) and its paths are straight (≥ 0.95)', () => {
    const saved = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'data', 'flow-reflow.json'), 'utf8'));
    expect(saved.made.steps).to.equal(F.REFLOW_RECIPE.steps);
    expect(saved.made.recipe).to.deep.equal(F.REFLOW_RECIPE);
    const re = F.loadReflowSpiralNet();
    const one = F.loadFlowSpiralNet();
    const { test } = D.spiralSetup(0);
    const x1 = randn(1, [2000, 2]) as tf.Tensor2D;
    const q = (net: F.VelocityNet, k: number) => D.quality(values(F.flowSample(net.velocity, x1, { steps: k })), test);
    const q1 = q(re, 1);
    expect(q1.precision).to.be.at.least(0.85);
    expect(q1.recall).to.be.at.least(0.95);
    // The 1-rectified network at one step lands nowhere near the spiral.
    expect(q(one, 1).precision).to.be.below(0.2);
    const x1p = x1.slice([0, 0], [300, 2]) as tf.Tensor2D;
    const straight = (net: F.VelocityNet) => {
      const tr = F.trajectory();
      F.flowSample(net.velocity, x1p, { steps: 100, record: tr }).dispose();
      return D.pathStats(tr).straightness;
    };
    expect(straight(re)).to.be.at.least(0.95);
    expect(straight(one)).to.be.below(0.7);
    [x1, x1p].forEach((t) => t.dispose());
    re.dispose();
    one.dispose();
  });

  it('chapter 7’s reflow table: at 1, 2 and 5 Euler steps the 2-rectified model is ahead in precision and energy (quick and full sample sizes)', () => {
    const re = F.loadReflowSpiralNet();
    const one = F.loadFlowSpiralNet();
    const { test } = D.spiralSetup(0);
    for (const n of [600, 1000]) {
      const x1 = randn(1, [n, 2]) as tf.Tensor2D;
      const heldOut = test.subarray(0, 2 * n);
      const q1 = D.qualityBySteps([1, 2, 5], (k) => F.flowSample(one.velocity, x1, { steps: k }), heldOut);
      const q2 = D.qualityBySteps([1, 2, 5], (k) => F.flowSample(re.velocity, x1, { steps: k }), heldOut);
      q1.forEach((a, i) => {
        expect(q2[i].precision, `precision at ${a.steps} steps, n = ${n}`).to.be.above(a.precision);
        expect(q2[i].energy, `energy at ${a.steps} steps, n = ${n}`).to.be.below(a.energy);
      });
      x1.dispose();
    }
    re.dispose();
    one.dispose();
  });
});

describe('flow/frames and paths on one grid', () => {
  const setup = D.spiralSetup(0);
  it('ddpmToFlowFrame and flowToDdpmFrame are inverse; a path’s straightness depends on the frame', () => {
    const tr = F.trajectory();
    const x = tf.tensor2d([1, 0, 0, 1], [2, 2]);
    // A straight flow path x_τ = (1 − τ)·a + τ·b, frames at three times.
    [1, 0.5, 0].forEach((t) => tr.add(t, tf.tidy(() => tf.add(tf.mul(tf.tensor2d([2, 0, 0, 2], [2, 2]), 1 - t), tf.mul(x, t)) as tf.Tensor2D)));
    const dd = F.flowToDdpmFrame(tr);
    expect(dd.frames[1][0]).to.be.closeTo(tr.frames[1][0] / Math.hypot(0.5, 0.5), 1e-6);
    expect(D.pathStats(tr).straightness).to.be.closeTo(1, 1e-6);
    expect(D.pathStats(dd).straightness).to.be.below(0.99);
    expect(() => F.ddpmToFlowFrame(tr, setup.schedule)).to.throw(/frame time 0.5 is not a timestep/);
    // DDPM timesteps → flow and back.
    const ddpm = F.trajectory();
    [999, 500, -1].forEach((t) => ddpm.add(t, x));
    const back = F.flowToDdpmFrame(F.ddpmToFlowFrame(ddpm, setup.schedule));
    back.frames.forEach((f, i) => Array.from(f).forEach((v, j) => expect(v).to.be.closeTo(ddpm.frames[i][j], 1e-5)));
    x.dispose();
  });

  it('in one frame on one grid the flow network’s paths are about as straight as the exact field’s, the ε-network’s less straight, all far from straight', () => {
    const net = F.loadFlowSpiralNet();
    const eps = D.loadSpiralNet().eps;
    const ideal = F.idealVelocity(setup.train, 2);
    const x1 = randn(1, [300, 2]) as tf.Tensor2D;
    const p = F.pathsOnOneGrid({ velocity: net.velocity, eps, ideal }, x1, setup.schedule, 50);
    expect(p.flow.times).to.deep.equal(p.eps.times);
    expect(p.ideal.times).to.deep.equal(p.eps.times);
    expect(p.times[p.times.length - 1]).to.equal(0);
    Array.from(p.flow.frames[0]).forEach((v, i) => expect(v).to.be.closeTo(p.eps.frames[0][i], 1e-5));
    for (const frame of [(t: F.Trajectory) => t, F.flowToDdpmFrame]) {
      const s = (t: F.Trajectory) => D.pathStats(frame(t)).straightness;
      expect(Math.abs(s(p.flow) - s(p.ideal))).to.be.below(0.03);
      expect(s(p.eps)).to.be.below(s(p.flow) - 0.05);
      [p.flow, p.eps, p.ideal].forEach((t) => expect(s(t)).to.be.below(0.8));
    }
    // A rerun of the chapter's cell leaves no tensor behind.
    const before = tf.memory().numTensors;
    F.pathsOnOneGrid({ velocity: net.velocity, eps, ideal }, x1.slice([0, 0], [20, 2]) as tf.Tensor2D, setup.schedule, 5);
    expect(tf.memory().numTensors).to.equal(before + 1); // the slice made here
    x1.dispose();
    ideal.dispose();
    net.dispose();
  });
});

describe('flow/marginalVelocityCheck: the network learns E[v | x_t], not v', () => {
  it('the exact field scores 0 against itself; the trained network sits far closer to it than the targets do', () => {
    const { train } = D.spiralSetup(0);
    const data = train.subarray(0, 2000);
    const ideal = F.idealVelocity(data, 2);
    const self = F.marginalVelocityCheck(ideal, data, 2, [0.5], { n: 200, seed: 1 });
    expect(self[0].networkToIdeal).to.be.below(1e-5);
    expect(self[0].targetToIdeal).to.be.above(0.5);
    ideal.dispose();
    const net = F.loadFlowSpiralNet();
    // Chapter 7's table (its quick-mode size): far closer than the targets at every t, furthest off at the two smallest.
    const rows = F.marginalVelocityCheck(net.velocity, D.spiralSetup(0).train, 2, [0.9, 0.7, 0.5, 0.3, 0.1, 0.05], { n: 500, seed: 3 });
    rows.forEach((r) => expect(r.networkToIdeal, `t = ${r.t}`).to.be.below(0.3 * r.targetToIdeal));
    const far = Math.min(rows[4].networkToIdeal, rows[5].networkToIdeal);
    rows.slice(0, 4).forEach((r) => expect(r.networkToIdeal, `t = ${r.t}`).to.be.below(far));
    expect(() => F.marginalVelocityCheck(net.velocity, data, 2, [0])).to.throw(/t must be > 0/);
    const before = tf.memory().numTensors;
    F.marginalVelocityCheck(net.velocity, data, 2, [0.5, 0.2], { n: 50 });
    expect(tf.memory().numTensors).to.equal(before);
    net.dispose();
  });
});
