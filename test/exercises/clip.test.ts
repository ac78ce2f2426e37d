import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import { normals } from '../../lib/random';
import { load, points } from './harness';

type Sim = typeof import('../../solutions/clip/similarityMatrix');
type Loss = typeof import('../../solutions/clip/contrastiveLoss');
type Zs = typeof import('../../solutions/clip/zeroShot');

/** Rows of a flat array. */
function rowsOf(v: ArrayLike<number>, n: number, d: number): number[][] {
  return Array.from({ length: n }, (_, i) => Array.from({ length: d }, (_, j) => v[i * d + j]));
}
const dot = (a: number[], b: number[]) => a.reduce((s, x, i) => s + x * b[i], 0);
const unit = (a: number[]) => {
  const n = Math.sqrt(dot(a, a));
  return a.map((x) => x / n);
};

/** Plain float64 reference of the symmetric contrastive loss, with log-sum-exp. */
function refLoss(z: number[][]): number {
  const n = z.length;
  const lse = (xs: number[]) => {
    const m = Math.max(...xs);
    return m + Math.log(xs.reduce((s, x) => s + Math.exp(x - m), 0));
  };
  let rows = 0, cols = 0;
  for (let i = 0; i < n; i++) rows += lse(z[i]) - z[i][i];
  for (let j = 0; j < n; j++) cols += lse(z.map((r) => r[j])) - z[j][j];
  return (rows / n + cols / n) / 2;
}

describe('clip/similarityMatrix', () => {
  const ex = () => load<Sim>('clip/similarityMatrix');

  it(points(2, 'is N×N with ones on the diagonal for identical embeddings'), () => {
    const a = tf.tensor2d(normals(1, 8 * 5), [8, 5]);
    const s = ex().similarityMatrix(a, tf.mul(a, 3) as tf.Tensor2D);
    expect(s.shape).to.deep.equal([8, 8]);
    const v = s.arraySync();
    for (let i = 0; i < 8; i++) expect(v[i][i]).to.be.closeTo(1, 1e-5);
  });

  it(points(2, 'matches cosine similarities computed in plain JS, for n ≠ m'), () => {
    const A = normals(2, 6 * 7), B = normals(3, 4 * 7);
    const got = ex().similarityMatrix(tf.tensor2d(A, [6, 7]), tf.tensor2d(B, [4, 7])).arraySync();
    const ra = rowsOf(A, 6, 7).map(unit), rb = rowsOf(B, 4, 7).map(unit);
    expect(got.length).to.equal(6);
    for (let i = 0; i < 6; i++) for (let j = 0; j < 4; j++) expect(got[i][j]).to.be.closeTo(dot(ra[i], rb[j]), 1e-5);
  });

  it(points(1, 'does not depend on the length of the vectors'), () => {
    const a = tf.tensor2d([[1, 0], [1, 1]]);
    const b = tf.tensor2d([[0, 5], [-2, 0]]);
    const v = ex().similarityMatrix(a, b).arraySync();
    expect(v[0][0]).to.be.closeTo(0, 1e-6);
    expect(v[0][1]).to.be.closeTo(-1, 1e-6);
    expect(v[1][0]).to.be.closeTo(Math.SQRT1_2, 1e-6);
  });

  it(points(1, 'rejects different embedding sizes, naming both shapes'), () => {
    expect(() => ex().similarityMatrix(tf.zeros([3, 4]) as tf.Tensor2D, tf.ones([3, 5]) as tf.Tensor2D)).to.throw(/\[3,4\].*\[3,5\]/);
  });

  it(points(1, 'rejects zero vectors and NaN, naming the row'), () => {
    const ok = tf.tensor2d([[1, 2], [3, 4]]);
    expect(() => ex().similarityMatrix(tf.tensor2d([[1, 2], [0, 0]]), ok)).to.throw(/row 1.*zero/);
    expect(() => ex().similarityMatrix(ok, tf.tensor2d([[NaN, 2], [3, 4]]))).to.throw(/row 0.*NaN/);
  });
});

describe('clip/contrastiveLoss', () => {
  const ex = () => load<Loss>('clip/contrastiveLoss');

  it(points(2, 'matches a plain-JS log-sum-exp computation on random logits'), () => {
    const n = 6;
    const z = normals(4, n * n).map((x) => 3 * x);
    const got = ex().contrastiveLoss(tf.tensor2d(z, [n, n])).dataSync()[0];
    expect(got).to.be.closeTo(refLoss(rowsOf(z, n, n)), 1e-4);
  });

  it(points(2, 'is symmetric in rows and columns: loss(Z) = loss(Zᵀ), and not just the row loss'), () => {
    const z = [[2, 0, 1], [5, 1, 0], [0, 3, 2]];
    const f = (m: number[][]) => ex().contrastiveLoss(tf.tensor2d(m)).dataSync()[0];
    const zt = z.map((_, i) => z.map((r) => r[i]));
    expect(f(z)).to.be.closeTo(f(zt), 1e-5);
    expect(f(z)).to.be.closeTo(refLoss(z), 1e-5);
  });

  it(points(2, 'stays finite and exact with logits above 80 (logitScale up to 100)'), () => {
    const n = 5;
    const sim = rowsOf(normals(5, n * n), n, n).map((r) => r.map((x) => Math.tanh(x)));
    const z = sim.map((r, i) => r.map((x, j) => 100 * (i === j ? 0.9 : x * 0.95)));
    expect(Math.max(...z.flat())).to.be.above(80);
    const got = ex().contrastiveLoss(tf.tensor2d(z)).dataSync()[0];
    expect(Number.isFinite(got)).to.equal(true);
    expect(got).to.be.closeTo(refLoss(z), 1e-3);
    const big = [[120, 95, 90], [85, 130, 100], [99, 98, 97]];
    expect(ex().contrastiveLoss(tf.tensor2d(big)).dataSync()[0]).to.be.closeTo(refLoss(big), 1e-3);
  });

  it(points(1, 'is near 0 for a confident diagonal and log n for constant logits'), () => {
    const n = 4;
    const eye = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 100 : 0)));
    expect(ex().contrastiveLoss(tf.tensor2d(eye)).dataSync()[0]).to.be.closeTo(0, 1e-5);
    expect(ex().contrastiveLoss(tf.fill([n, n], 7) as tf.Tensor2D).dataSync()[0]).to.be.closeTo(Math.log(n), 1e-5);
  });

  it(points(2, 'has the gradient (softmax − I)/2n over rows plus over columns'), () => {
    const n = 4;
    const z = rowsOf(normals(6, n * n), n, n);
    const g = tf.grad((x: tf.Tensor) => ex().contrastiveLoss(x as tf.Tensor2D))(tf.tensor2d(z)).arraySync() as number[][];
    const soft = (xs: number[]) => {
      const m = Math.max(...xs);
      const e = xs.map((x) => Math.exp(x - m));
      const s = e.reduce((a, b) => a + b, 0);
      return e.map((x) => x / s);
    };
    const rowP = z.map(soft);
    const colP = z[0].map((_, j) => soft(z.map((r) => r[j])));
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) {
        const want = (rowP[i][j] - (i === j ? 1 : 0)) / (2 * n) + (colP[j][i] - (i === j ? 1 : 0)) / (2 * n);
        expect(g[i][j]).to.be.closeTo(want, 1e-5);
      }
  });

  it(points(1, 'rejects non-square logits (naming the shape) and NaN (naming the position)'), () => {
    expect(() => ex().contrastiveLoss(tf.zeros([3, 4]) as tf.Tensor2D)).to.throw(/\[3,4\]/);
    expect(() => ex().contrastiveLoss(tf.tensor2d([[1, 2], [NaN, 0]]))).to.throw(/\[1, 0\].*NaN|NaN.*\[1, 0\]/);
  });
});

describe('clip/zeroShot', () => {
  const ex = () => load<Zs>('clip/zeroShot');

  it(points(2, 'picks the class whose ensembled prompts are most similar (plain-JS reference)'), () => {
    const n = 20, C = 3, T = 4, d = 6;
    const img = normals(7, n * d);
    const pr = normals(8, C * T * d).map((x, k) => x * (1 + (k % 5))); // prompts of very different lengths
    const got = ex().zeroShotClassify(tf.tensor2d(img, [n, d]), tf.tensor3d(pr, [C, T, d]));
    expect(got).to.be.instanceOf(Int32Array);
    const classes = Array.from({ length: C }, (_, c) => {
      const mean = new Array(d).fill(0);
      for (let t = 0; t < T; t++) {
        const u = unit(Array.from(pr.subarray((c * T + t) * d, (c * T + t + 1) * d)));
        u.forEach((x, j) => (mean[j] += x / T));
      }
      return unit(mean);
    });
    rowsOf(img, n, d).forEach((r, i) => {
      const s = classes.map((c) => dot(unit(r), c));
      expect(got[i], `image ${i}`).to.equal(s.indexOf(Math.max(...s)));
    });
  });

  it(points(1, 'normalises each prompt before averaging (a long prompt does not outvote the others)'), () => {
    // Class 0: one very long prompt along x and two unit prompts along y; class 1: three along (1, 0.2).
    const prompts = tf.tensor3d([
      [[100, 0], [0, 1], [0, 1]],
      [[1, 0.2], [1, 0.2], [1, 0.2]],
    ]);
    // Unit-then-average: class 0 ≈ (1, 2)/|.| points mostly along y, so an image along x is class 1.
    expect(Array.from(ex().zeroShotClassify(tf.tensor2d([[1, 0], [0, 1]]), prompts))).to.deep.equal([1, 0]);
  });

  it(points(1, 'rejects prompts of another embedding size, naming the shapes'), () => {
    expect(() => ex().zeroShotClassify(tf.ones([2, 4]) as tf.Tensor2D, tf.ones([3, 2, 5]) as tf.Tensor3D)).to.throw(/\[3,2,5\]/);
  });
});
