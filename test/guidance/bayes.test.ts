// Guidance as Bayes' rule on the labelled spiral: the exact classifier of a finite labelled set,
// its gradient as a difference of ideal noise predictions, classifier guidance (exactClassifierGuidance,
// which runs the exercise classifierGuidedEps) next to CFG, and chapter 5's measured claims about
// |ε̂_c − ε̂_∅| (shipped weights).
import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import * as G from '../../lib/guidance';
import { linearSchedule } from '../../lib/diffusion';

describe('guidance: the exact Bayes classifier and classifier guidance', function () {
  this.timeout(120000);
  const schedule = linearSchedule(1000);
  const tiny = { points: Float32Array.from([0.5, 0, -0.5, 0.2, 0.1, -0.6]), labels: Int32Array.from([0, 1, 1]), classes: 2 };

  it('posterior: p(c | x_t) from the per-point Gaussians of the forward process (float64 brute force)', () => {
    const clf = G.bayesClassifier(tiny, schedule);
    const x = Float32Array.from([0.3, 0.1, -0.2, -0.4]);
    for (const t of [0, 50, 400]) {
      const ab = schedule.alphaBar[t];
      const p = clf.posterior(x, t);
      for (let i = 0; i < 2; i++) {
        const like = [0, 1, 2].map((j) => Math.exp(-((x[2 * i] - Math.sqrt(ab) * tiny.points[2 * j]) ** 2 + (x[2 * i + 1] - Math.sqrt(ab) * tiny.points[2 * j + 1]) ** 2) / (2 * (1 - ab))));
        const z = like[0] + like[1] + like[2];
        expect(p[2 * i], `p(0 | x) at t = ${t}`).to.be.closeTo(like[0] / z, 1e-9);
        expect(p[2 * i + 1]).to.be.closeTo((like[1] + like[2]) / z, 1e-9);
      }
    }
    clf.dispose();
  });

  it('√(1 − ᾱ)·∇log p(c | x_t) = ε̂_∅ − ε̂_c (finite differences of the posterior)', () => {
    const clf = G.bayesClassifier(tiny, schedule);
    const t = 300;
    const ab = schedule.alphaBar[t];
    const x = [0.2, -0.1];
    const h = 1e-4;
    const logp = (a: number, b: number) => Math.log(clf.posterior(Float32Array.from([a, b]), t)[1]);
    const grad = [(logp(x[0] + h, x[1]) - logp(x[0] - h, x[1])) / (2 * h), (logp(x[0], x[1] + h) - logp(x[0], x[1] - h)) / (2 * h)];
    const diff = tf.tidy(() => {
      const xt = tf.tensor2d([x], [1, 2]);
      return Array.from(tf.sub(clf.eps(null)(xt, t), clf.eps(1)(xt, t)).dataSync());
    });
    grad.forEach((g, k) => expect(Math.sqrt(1 - ab) * g).to.be.closeTo(diff[k], 2e-3));
    clf.dispose();
  });

  it('exactClassifierGuidance agrees with the Bayes classifier: w = 0 is the base model; w = 1 on the exact unconditional model is its exact conditional', () => {
    // Two routes to the same numbers: bayesClassifier's ideal denoisers (idealEps) against
    // exactClassifierGuidance's float64 posteriors put through classifierGuidedEps.
    const clf = G.bayesClassifier(tiny, schedule);
    const xt = tf.tensor2d([[0.3, 0.1], [-0.2, -0.4]]);
    const before = tf.memory().numTensors;
    const base = clf.eps(null);
    const near = (a: tf.Tensor2D, b: tf.Tensor2D) => {
      const d = tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);
      a.dispose();
      b.dispose();
      return d;
    };
    for (const t of [50, 200, 700]) {
      expect(near(G.exactClassifierGuidance(base, tiny, 1, schedule, 0)(xt, t), base(xt, t)), `w = 0, t = ${t}`).to.be.below(1e-6);
      for (const c of [0, 1]) expect(near(G.exactClassifierGuidance(base, tiny, c, schedule, 1)(xt, t), clf.eps(c)(xt, t)), `w = 1, c = ${c}, t = ${t}`).to.be.below(1e-4);
      // w = 3: ε̂_∅ + 3·(ε̂_c − ε̂_∅), the classifier's gradient scaled.
      const want = tf.tidy(() => tf.add(base(xt, t), tf.mul(tf.sub(clf.eps(1)(xt, t), base(xt, t)), 3)) as tf.Tensor2D);
      expect(near(G.exactClassifierGuidance(base, tiny, 1, schedule, 3)(xt, t), want), `w = 3, t = ${t}`).to.be.below(3e-4);
    }
    expect(tf.memory().numTensors).to.equal(before);
    expect(() => G.exactClassifierGuidance(base, tiny, 1, schedule, -1)).to.throw(/w must be a finite number ≥ 0, got -1/);
    expect(() => G.exactClassifierGuidance(base, tiny, 2, schedule, 1)).to.throw(/class 2 is not one of 0 … 1/);
    expect(() => G.bayesClassifier({ ...tiny, labels: Int32Array.from([0, 1, 2]) }, schedule)).to.throw(/label 2 of point 2/);
    expect(() => clf.eps(2)).to.throw(/unknown class 2/);
    xt.dispose();
    clf.dispose();
  });

  describe('on the shipped chapter-5 run', () => {
    let run: G.SpiralGuidance;
    let clf: G.BayesClassifier;
    before(() => {
      run = G.loadSpiralGuidance();
      clf = G.bayesClassifier(run.train, run.schedule);
    });
    after(() => clf.dispose());
    const pair = (m: G.ConditionalDenoiser) => ({ uncond: m.eps(null), cond: (c: number) => m.eps(c) });

    it('conditionGap: the exact pair against itself has cosine 1; the trained network’s difference follows the exact one more closely than the early checkpoint’s', () => {
      const exact = { uncond: clf.eps(null), cond: (c: number) => clf.eps(c) };
      const ts = [400, 200, 100, 50];
      const self = G.conditionGap(exact, run.held, run.schedule, ts, { n: 40, seed: 1, reference: exact });
      self.forEach((r) => expect(r.cos).to.be.closeTo(1, 1e-6));
      const trained = G.conditionGap(pair(run.model), run.held, run.schedule, ts, { n: 40, seed: 1, reference: exact });
      const early = G.conditionGap(pair(run.checkpoints[0].model), run.held, run.schedule, ts, { n: 40, seed: 1, reference: exact });
      ts.forEach((t, i) => {
        expect(trained[i].ratio).to.be.closeTo(trained[i].gap / trained[i].base, 1e-12);
        expect(trained[i].cos!, `t = ${t}`).to.be.above(early[i].cos!);
      });
      // Below the largest t the early checkpoint's class difference is also the smaller one.
      expect(early[1].ratio).to.be.below(trained[1].ratio);
      expect(early[2].ratio).to.be.below(trained[2].ratio);
      expect(early[3].ratio).to.be.below(trained[3].ratio);
      [1, 2, 3].forEach((i) => expect(early[i].gap, `t = ${ts[i]}`).to.be.below(trained[i].gap));
      // At low noise the trained network's difference is larger than the exact one.
      expect(trained[2].gap).to.be.above(self[2].gap);
      expect(trained[3].gap).to.be.above(self[3].gap);
      // At the largest t the class adds little next to ε̂_∅, for every model.
      for (const p of [pair(run.model), pair(run.checkpoints[0].model), exact]) expect(G.conditionGap(p, run.held, run.schedule, [800], { n: 40, seed: 1 })[0].ratio).to.be.below(0.2);
      const none = G.conditionGap({ uncond: run.model.eps(null), cond: () => run.model.eps(null) }, run.held, run.schedule, [200], { n: 10, seed: 1 });
      expect(none[0].gap).to.equal(0);
      expect(none[0].cos).to.equal(null);
    });

    it('classifier guidance with the exact classifier (exactClassifierGuidance) beside CFG: same noise, at least CFG’s accuracy, more of each class covered at w = 2 and 3', () => {
      const ws = [2, 3];
      const opts = { ws, n: 40, steps: 20 };
      const cfgRows = G.guidanceSweep(run.model, run.held, run.schedule, opts);
      const cgRows = G.guidanceSweep(run.model, run.held, run.schedule, { ...opts, epsFor: (c, w) => G.exactClassifierGuidance(run.model.eps(null), run.train, c, run.schedule, w) });
      ws.forEach((w, i) => {
        expect(cgRows[i].accuracy, `w = ${w}`).to.be.at.least(cfgRows[i].accuracy);
        expect(cgRows[i].coverage, `w = ${w}`).to.be.above(cfgRows[i].coverage);
        expect(cgRows[i].spread, `w = ${w}`).to.be.above(cfgRows[i].spread);
      });
      // epsFor with CFG itself draws exactly the default sweep's samples (the same x_T and steps).
      const again = G.guidanceSweep(run.model, run.held, run.schedule, { ws: [2], n: 10, steps: 10, epsFor: (c, w) => G.cfg(run.model.eps(null), run.model.eps(c), w) });
      const plain = G.guidanceSweep(run.model, run.held, run.schedule, { ws: [2], n: 10, steps: 10 });
      again[0].samples.forEach((s, c) => expect(Array.from(s)).to.deep.equal(Array.from(plain[0].samples[c])));
    });
  });
});
