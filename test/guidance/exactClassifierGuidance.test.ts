// Classifier guidance with the exact classifier runs chapter 5's exercise classifierGuidedEps, and
// equals ε̂_base + w·(ε̂_c − ε̂_∅) of the exact per-class denoisers (Bayes' rule and Tweedie).
import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import { spiralClasses } from '../../lib/data';
import { idealEps, linearSchedule } from '../../lib/diffusion';
import { exactClassifierGuidance } from '../../lib/guidance';
import { forget, takeUsed } from '../../lib/exercise/registry';

describe('guidance: exactClassifierGuidance', () => {
  it('is ε̂_base + w·(ε̂_c − ε̂_∅) of the exact denoisers, drawn with classifierGuidedEps', () => {
    forget();
    const data = spiralClasses(400, 5, 3);
    const s = linearSchedule();
    const of = (c: number) => Float32Array.from(Array.from(data.labels).flatMap((l, i) => (l === c ? [data.points[2 * i], data.points[2 * i + 1]] : [])));
    const all = idealEps(data.points, 2, s);
    const cls = idealEps(of(2), 2, s);
    const base = (x: tf.Tensor2D) => tf.mul(x, 0.3) as tf.Tensor2D; // any unconditional model
    const x = tf.tensor2d([0.1, 0.2, -0.5, 0.4, 0.9, -0.3], [3, 2]);
    takeUsed();
    for (const [t, w] of [[50, 2], [400, 1], [900, 3]]) {
      const guided = exactClassifierGuidance(base, data, 2, s, w);
      const got = tf.tidy(() => guided(x, t).dataSync());
      expect(takeUsed()).to.include('guidance/classifierGuidedEps');
      const want = tf.tidy(() => tf.add(base(x), tf.mul(tf.sub(cls(x, t), all(x, t)), w)).dataSync());
      got.forEach((v, i) => expect(v, `t = ${t}, w = ${w}, element ${i}`).to.be.closeTo(want[i], 1e-3 * Math.max(1, Math.abs(want[i]))));
    }
    expect(() => exactClassifierGuidance(base, data, 7, s, 1)).to.throw(/class 7 is not one of 0 … 4/);
    expect(() => exactClassifierGuidance(base, data, 1, s, -1)).to.throw(/w must be a finite number ≥ 0, got -1/);
    const before = tf.memory().numTensors;
    exactClassifierGuidance(base, data, 2, s, 2)(x, 300).dispose();
    expect(tf.memory().numTensors).to.equal(before);
    [x].forEach((q) => q.dispose());
    all.dispose();
    cls.dispose();
  });
});
