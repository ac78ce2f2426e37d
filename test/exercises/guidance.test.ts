import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import { normals, rng } from '../../lib/random';
import { load, points } from './harness';

type Cfg = typeof import('../../solutions/guidance/cfgCombine');
type Neg = typeof import('../../solutions/guidance/negativeCombine');
type Drop = typeof import('../../solutions/guidance/conditionDropout');
type Step = typeof import('../../solutions/guidance/guidedDdimStep');

const close = (got: ArrayLike<number>, want: ArrayLike<number>, tol = 1e-5) => {
  expect(got.length).to.equal(want.length);
  for (let i = 0; i < want.length; i++) expect(got[i], `index ${i}`).to.be.closeTo(want[i], tol);
};

describe('guidance/cfgCombine', () => {
  const ex = () => load<Cfg>('guidance/cfgCombine');
  const u = normals(1, 12);
  const c = normals(2, 12);

  it(points(2, 'is uncond + w·(cond − uncond) for several w'), () => {
    for (const w of [0, 1, 2.5, 7]) {
      const got = tf.tidy(() => ex().cfgCombine(tf.tensor2d(u, [6, 2]), tf.tensor2d(c, [6, 2]), w).dataSync());
      close(got, Array.from(u, (x, i) => x + w * (c[i] - x)));
    }
  });

  it(points(1, 'keeps the shape and gives back exactly uncond at w = 0 and cond at w = 1'), () => {
    const [s0, s1, shape] = tf.tidy(() => {
      const U = tf.tensor2d(u, [4, 3]);
      const C = tf.tensor2d(c, [4, 3]);
      const r0 = ex().cfgCombine(U, C, 0);
      return [r0.dataSync(), ex().cfgCombine(U, C, 1).dataSync(), r0.shape];
    });
    expect(shape).to.deep.equal([4, 3]);
    close(s0, u, 1e-6);
    close(s1, c, 1e-6);
  });
});

describe('guidance/negativeCombine', () => {
  const ex = () => load<Neg>('guidance/negativeCombine');
  const n = normals(3, 10);
  const p = normals(4, 10);

  it(points(2, 'is neg + w·(pos − neg), moving away from the negative prediction'), () => {
    for (const w of [0, 1, 3, 6]) {
      const got = tf.tidy(() => ex().negativeCombine(tf.tensor2d(n, [5, 2]), tf.tensor2d(p, [5, 2]), w).dataSync());
      close(got, Array.from(n, (x, i) => x + w * (p[i] - x)));
    }
  });

  it(points(1, 'at w = 3 lies twice as far beyond pos as pos is from neg'), () => {
    const got = tf.tidy(() => ex().negativeCombine(tf.tensor2d([[0, 0]]), tf.tensor2d([[1, -2]]), 3).dataSync());
    close(got, [3, -6]);
  });
});

describe('guidance/conditionDropout', () => {
  const ex = () => load<Drop>('guidance/conditionDropout');

  it(points(2, 'drops row i exactly when the i-th uniform of the seed is below p'), () => {
    const got = ex().conditionDropout(200, 0.3, 42);
    const g = rng(42);
    const want = Array.from({ length: 200 }, () => (g.uniform() < 0.3 ? 0 : 1));
    expect(Array.from(got)).to.deep.equal(want);
  });

  it(points(1, 'drops about a share p of rows, none at p = 0 and all at p = 1'), () => {
    const keep = ex().conditionDropout(20000, 0.2, 7);
    const dropped = keep.reduce((a, k) => a + (1 - k), 0) / keep.length;
    expect(dropped).to.be.closeTo(0.2, 0.015);
    expect(Array.from(ex().conditionDropout(50, 0, 1)).every((k) => k === 1)).to.equal(true);
    expect(Array.from(ex().conditionDropout(50, 1, 1)).every((k) => k === 0)).to.equal(true);
  });

  it(points(1, 'advances a shared generator by one draw per row'), () => {
    const g = rng(5);
    ex().conditionDropout(10, 0.5, g);
    const h = rng(5);
    for (let i = 0; i < 10; i++) h.uniform();
    expect(g.uniform()).to.equal(h.uniform());
  });
});

describe('guidance/guidedDdimStep', () => {
  const ex = () => load<Step>('guidance/guidedDdimStep');
  const x = normals(10, 8);
  const eu = normals(11, 8);
  const ec = normals(12, 8);

  /** The step in plain numbers, float64. */
  const ref = (w: number, a: number, s: number) =>
    Array.from(x, (xi, i) => {
      const e = eu[i] + w * (ec[i] - eu[i]);
      const x0 = (xi - Math.sqrt(1 - a) * e) / Math.sqrt(a);
      return Math.sqrt(s) * x0 + Math.sqrt(1 - s) * e;
    });

  it(points(2, 'matches the guided DDIM update for several w and step pairs'), () => {
    for (const [w, a, s] of [[0, 0.3, 0.6], [1, 0.05, 0.2], [3, 0.5, 0.9], [5, 0.9, 1]]) {
      const got = tf.tidy(() =>
        ex().guidedDdimStep(tf.tensor2d(x, [4, 2]), tf.tensor2d(eu, [4, 2]), tf.tensor2d(ec, [4, 2]), w, a, s).dataSync(),
      );
      close(got, ref(w, a, s), 1e-4);
    }
  });

  it(points(1, 'lands on the predicted clean point when ᾱ_s = 1, and leaks no tensors'), () => {
    const before = tf.memory().numTensors;
    const [got] = tf.tidy(() => [ex().guidedDdimStep(tf.tensor2d(x, [4, 2]), tf.tensor2d(eu, [4, 2]), tf.tensor2d(ec, [4, 2]), 2, 0.4, 1).dataSync()]);
    const want = Array.from(x, (xi, i) => (xi - Math.sqrt(0.6) * (eu[i] + 2 * (ec[i] - eu[i]))) / Math.sqrt(0.4));
    close(got, want, 1e-4);
    const r = ex().guidedDdimStep(tf.tensor2d(x, [4, 2]), tf.tensor2d(eu, [4, 2]), tf.tensor2d(ec, [4, 2]), 2, 0.4, 0.7);
    // Only the three inputs made here and the result may remain.
    expect(tf.memory().numTensors - before).to.be.at.most(4);
    r.dispose();
  });
});
