// lib pieces chapters 3 and 4 stand on: the exercises that drive their figures (epsLoss in
// training, sampleLoop in DDPM sampling, idealDenoiser in the exact field), the saved network,
// the forward spread, and the arrow-field summaries.
import { expect } from 'chai';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import * as D from '../../lib/diffusion';
import { randn } from '../../lib/random';
import { forget, reference, use, takeUsed } from '../../lib/exercise/registry';

describe('diffusion/chapter 3 and 4 plumbing', function () {
  this.timeout(60000);
  afterEach(() => forget());

  it('forwardRms: √(ᾱ·E|x0 − E[x0]|² + (1 − ᾱ)·d), centred like rmsRadius, and a forward sample has it', () => {
    const data = Float32Array.from([1, 0, 0, 2, -1, -1]); // mean (0, 1/3); E|x0 − mean|² = (1 + 4 + 2)/3 − 1/9
    const v = 7 / 3 - 1 / 9;
    expect(D.forwardRms(data, 1)).to.be.closeTo(Math.sqrt(v), 1e-12);
    expect(D.forwardRms(data, 1)).to.be.closeTo(D.rmsRadius(data), 1e-12);
    expect(D.forwardRms(data, 0)).to.be.closeTo(Math.sqrt(2), 1e-12);
    expect(D.forwardRms(data, 0.3)).to.be.closeTo(Math.sqrt(0.3 * v + 0.7 * 2), 1e-12);
    // A shift of the data moves the mean, not the spread.
    const shifted = data.map((x, i) => x + (i % 2 ? 5 : -3));
    expect(D.forwardRms(shifted, 0.3)).to.be.closeTo(D.forwardRms(data, 0.3), 1e-6);
    const s = D.linearSchedule(1000);
    const spiral = D.spiralSetup(0, 4000, 10).train;
    const xt = D.jumpTo(spiral, s, 400, 3);
    expect(D.rmsRadius(xt)).to.be.closeTo(D.forwardRms(spiral, s.alphaBar[400]), 0.02);
    expect(() => D.forwardRms(data, 1.5)).to.throw(/alphaBar = 1.5/);
    expect(() => D.forwardRms(Float32Array.from([1, 2, 3]), 0.5)).to.throw(/multiple of d = 2/);
  });

  it('convergencePoint finds where arrows aimed at one point meet, and refuses parallel arrows', () => {
    const pts = D.grid(6, [-2, 2, -1, 3]);
    const target = [0.37, -0.81];
    const n = pts.length / 2;
    const f = { x: new Float32Array(n), y: new Float32Array(n), u: new Float32Array(n), v: new Float32Array(n) };
    for (let i = 0; i < n; i++) {
      f.x[i] = pts[2 * i];
      f.y[i] = pts[2 * i + 1];
      const k = 0.5 + (i % 3); // any positive length
      f.u[i] = k * (target[0] - f.x[i]);
      f.v[i] = k * (target[1] - f.y[i]);
    }
    const p = D.convergencePoint(f);
    expect(p[0]).to.be.closeTo(target[0], 1e-5);
    expect(p[1]).to.be.closeTo(target[1], 1e-5);
    const parallel = { ...f, u: new Float32Array(n).fill(1), v: new Float32Array(n).fill(2) };
    expect(() => D.convergencePoint(parallel)).to.throw(/parallel/);
  });

  it('fieldAgreement: 1 and 0 for a field against itself, cos −1 and error 2 against its negative', () => {
    const s = D.linearSchedule(100);
    const eps = D.idealEps(Float32Array.from([0.5, 0.5, -0.5, 0.2]), 2, s);
    const f = D.vectorField(eps, s, 50, { n: 5, kind: 'eps' });
    const same = D.fieldAgreement(f, f);
    expect(same.cos).to.be.closeTo(1, 1e-6);
    expect(same.relErr).to.equal(0);
    const neg = { ...f, u: Float32Array.from(f.u, (v) => -v), v: Float32Array.from(f.v, (v) => -v) };
    const opp = D.fieldAgreement(neg, f);
    expect(opp.cos).to.be.closeTo(-1, 1e-6);
    expect(opp.relErr).to.be.closeTo(2, 1e-6);
    const moved = { ...f, x: Float32Array.from(f.x, (v) => v + 1) };
    expect(() => D.fieldAgreement(moved, f)).to.throw(/arrow 0 sits at/);
    eps.dispose();
  });

  it('idealEps runs idealDenoiser (the learner’s once checked) and matches a float64 posterior mean', () => {
    const s = D.linearSchedule(1000);
    const data = Float32Array.from([0.9, 0.1, -0.4, 0.7, 0.2, -1.1, -0.8, -0.3]);
    const m = data.length / 2;
    const eps = D.idealEps(data, 2, s);
    const x = Float32Array.from([0.3, 0.2, -1.5, 0.4, 0.05, -0.9]);
    for (const t of [5, 200, 999]) {
      const ab = s.alphaBar[t];
      const xt = tf.tensor2d(x, [3, 2]);
      const got = eps(xt, t).dataSync();
      for (let r = 0; r < 3; r++) {
        // float64: weights ∝ exp(−|x − √ᾱ x_i|²/2(1 − ᾱ)), x̂0 = Σ w_i x_i, ε̂ = (x − √ᾱ x̂0)/√(1 − ᾱ)
        const logw = Array.from({ length: m }, (_, i) => -((x[2 * r] - Math.sqrt(ab) * data[2 * i]) ** 2 + (x[2 * r + 1] - Math.sqrt(ab) * data[2 * i + 1]) ** 2) / (2 * (1 - ab)));
        const top = Math.max(...logw);
        const w = logw.map((l) => Math.exp(l - top));
        const z = w.reduce((a, b) => a + b, 0);
        for (let k = 0; k < 2; k++) {
          const x0 = w.reduce((a, wi, i) => a + (wi / z) * data[2 * i + k], 0);
          const want = (x[2 * r + k] - Math.sqrt(ab) * x0) / Math.sqrt(1 - ab);
          expect(got[2 * r + k], `t = ${t}, row ${r}, coordinate ${k}`).to.be.closeTo(want, 2e-3 * Math.max(1, Math.abs(want)));
        }
      }
      xt.dispose();
    }
    takeUsed();
    let calls = 0;
    use('diffusion/idealDenoiser', (d: tf.Tensor2D, xt: tf.Tensor2D, ab: number) => {
      calls++;
      return reference('diffusion/idealDenoiser')(d, xt, ab);
    });
    const xt = tf.tensor2d(x, [3, 2]);
    eps(xt, 100).dispose();
    xt.dispose();
    expect(calls).to.equal(1);
    expect(takeUsed()).to.include('diffusion/idealDenoiser');
    eps.dispose();
  });

  it('sample with every step and η = 1 runs sampleLoop, reports every x_t, and agrees with the general ddimStep loop', () => {
    const s = D.linearSchedule(50);
    const eps = D.idealEps(Float32Array.from([0.5, 0.5, -0.5, 0.2, 0.1, -0.7]), 2, s);
    const xT = randn(4, [20, 2]) as tf.Tensor2D;
    let loops = 0;
    use('diffusion/sampleLoop', (...args: Parameters<ReturnType<typeof reference<'diffusion/sampleLoop'>>>) => {
      loops++;
      return reference('diffusion/sampleLoop')(...args);
    });
    const seen: number[] = [];
    const before = tf.memory().numTensors;
    const a = D.sample(eps, xT, s, { seed: 9, onStep: (t) => seen.push(t) });
    expect(tf.memory().numTensors).to.equal(before + 1);
    expect(loops).to.equal(1);
    expect(seen).to.deep.equal([...Array.from({ length: 49 }, (_, i) => 48 - i), -1]);
    // The same update written as DDIM's with η = 1 (ddimStep), on the same noise: the same samples.
    const viaDdim = (() => {
      // Walk the general update by hand with the same noise order: sample's z for t = 49…1.
      let x = xT.clone();
      const g = (require('../../lib/random') as typeof import('../../lib/random')).toRng(9);
      for (let t = 49; t >= 0; t--) {
        const next = tf.tidy(() => {
          const z = t > 0 ? (randn(g, [20, 2]) as tf.Tensor2D) : null;
          return D.ddimStep(x, eps(x, t), s.alphaBar[t], t > 0 ? s.alphaBar[t - 1] : 1, 1, z);
        });
        x.dispose();
        x = next;
      }
      return x;
    })();
    const A = a.dataSync(), B = viaDdim.dataSync();
    for (let i = 0; i < A.length; i++) expect(A[i], `element ${i}`).to.be.closeTo(B[i], 1e-4);
    [a, viaDdim, xT].forEach((t) => t.dispose());
    eps.dispose();
  });

  it('training computes each batch loss with epsLoss (the learner’s once checked)', async () => {
    let calls = 0;
    use('diffusion/epsLoss', (...args: Parameters<ReturnType<typeof reference<'diffusion/epsLoss'>>>) => {
      calls++;
      return reference('diffusion/epsLoss')(...args);
    });
    const setup = D.spiralSetup(0, 400, 100);
    const { net } = await D.trainSpiral(setup, { steps: 4, batch: 16, progress: false });
    expect(calls).to.equal(4);
    net.dispose();
  });

  it('spiralNet: the shipped weights without a saved run; a saved full run after saveTrainedSpiralNet, which refuses short runs', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'course-net-')), 'sub', 'spiral-eps.json');
    const shipped = D.spiralNet(file);
    expect(shipped.source).to.match(/shipped/);
    const states = [{ step: D.SPIRAL_RECIPE.steps, loss: 0.2, stepsPerS: 1, seconds: 1 }];
    expect(() => D.saveTrainedSpiralNet(shipped.net, [{ ...states[0], step: 10 }], file)).to.throw(/10 steps, the recipe/);
    D.saveTrainedSpiralNet(shipped.net, states, file);
    const x = tf.tensor2d([0.1, 0.2, -0.3, 0.4], [2, 2]);
    const want = tf.tidy(() => Array.from(shipped.net.eps(x, 300).dataSync()));
    const saved = D.spiralNet(file);
    expect(saved.source).to.match(/chapter 3/);
    expect(shipped.net.params.every((p) => p.isDisposed)).to.equal(true); // the previous copy is freed
    expect(tf.tidy(() => Array.from(saved.net.eps(x, 300).dataSync()))).to.deep.equal(want);
    fs.writeFileSync(file, '{ not json');
    expect(() => D.spiralNet(file)).to.throw(/not valid JSON/);
    saved.net.dispose();
    x.dispose();
  });
});
