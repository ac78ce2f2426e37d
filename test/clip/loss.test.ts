import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import { normals } from '../../lib/random';
import { clipLoss, clipLogits, logitScale, logLogitScaleVariable, l2normalize, cosineSimilarity, MAX_LOGIT_SCALE } from '../../lib/clip';
import { matMulT } from '../../lib/clip/matmul';

function rows(v: Float32Array, n: number, d: number): number[][] {
  return Array.from({ length: n }, (_, i) => Array.from(v.subarray(i * d, (i + 1) * d)));
}
const unit = (a: number[]) => {
  const n = Math.hypot(...a);
  return a.map((x) => x / n);
};

describe('clip/loss and temperature', () => {
  it('clipLoss equals a plain-JS computation: normalise, scale by exp(logLogitScale), cross-entropy both ways', () => {
    const n = 5, d = 9;
    const A = normals(11, n * d), B = normals(12, n * d);
    const s = tf.scalar(Math.log(20));
    const got = clipLoss(tf.tensor2d(A, [n, d]), tf.tensor2d(B, [n, d]), s).dataSync()[0];
    const a = rows(A, n, d).map(unit), b = rows(B, n, d).map(unit);
    const z = a.map((ai) => b.map((bj) => 20 * ai.reduce((t, x, k) => t + x * bj[k], 0)));
    const lse = (xs: number[]) => Math.max(...xs) + Math.log(xs.reduce((t, x) => t + Math.exp(x - Math.max(...xs)), 0));
    let ref = 0;
    for (let i = 0; i < n; i++) ref += (lse(z[i]) - z[i][i] + lse(z.map((r) => r[i])) - z[i][i]) / (2 * n);
    expect(got).to.be.closeTo(ref, 1e-4);
  });

  it('logitScale starts at 1/0.07, is exp(logLogitScale), and is capped at 100 with zero gradient above the cap', () => {
    const v = logLogitScaleVariable();
    expect(logitScale(v).dataSync()[0]).to.be.closeTo(1 / 0.07, 1e-3);
    expect(logitScale(tf.scalar(Math.log(42))).dataSync()[0]).to.be.closeTo(42, 1e-3);
    expect(logitScale(tf.scalar(10)).dataSync()[0]).to.be.closeTo(MAX_LOGIT_SCALE, 1e-3);
    const g = (x: number) => tf.grad((t: tf.Tensor) => logitScale(t))(tf.scalar(x)).dataSync()[0];
    expect(g(Math.log(50))).to.be.closeTo(50, 1e-2); // d exp(t)/dt = exp(t)
    expect(g(6)).to.equal(0);
    v.dispose();
  });

  it('stays finite at logitScale 100 with nearly identical pairs', () => {
    const a = tf.tensor2d(normals(13, 8 * 16), [8, 16]);
    const loss = clipLoss(a, tf.add(a, 1e-3) as tf.Tensor2D, tf.scalar(Math.log(100))).dataSync()[0];
    expect(Number.isFinite(loss)).to.equal(true);
    expect(loss).to.be.below(1e-3);
  });

  it('mismatched batch sizes or embedding sizes are errors naming both shapes', () => {
    const s = tf.scalar(1);
    expect(() => clipLoss(tf.ones([4, 8]) as tf.Tensor2D, tf.ones([5, 8]) as tf.Tensor2D, s)).to.throw(/batch sizes differ.*\[4,8\].*\[5,8\]/);
    expect(() => clipLoss(tf.ones([4, 8]) as tf.Tensor2D, tf.ones([4, 7]) as tf.Tensor2D, s)).to.throw(/dimensions differ.*\[4,8\].*\[4,7\]/);
    expect(() => clipLogits(tf.ones([4]) as unknown as tf.Tensor2D, tf.ones([4, 7]) as tf.Tensor2D, s)).to.throw(/shape \[n, d\], got \[4\]/);
  });

  it('zero vectors and NaN give errors naming row and value, never a NaN loss', () => {
    const s = tf.scalar(1);
    const ok = tf.tensor2d(normals(14, 3 * 4), [3, 4]);
    const zero = tf.tensor2d([[1, 2, 3, 4], [0, 0, 0, 0], [1, 1, 1, 1]]);
    const nan = tf.tensor2d([[1, 2, 3, 4], [1, 1, 1, 1], [1, NaN, 1, 1]]);
    expect(() => clipLoss(zero, ok, s)).to.throw(/row 1 is a zero vector/);
    expect(() => clipLoss(ok, nan, s)).to.throw(/row 2 holds NaN at column 1/);
    expect(() => clipLoss(ok, ok, tf.scalar(NaN))).to.throw(/NaN/);
    expect(() => l2normalize(zero)).to.throw(/zero vector/);
  });

  it('cosineSimilarity of row pairs matches plain JS', () => {
    const a = [[3, 4], [1, 0]], b = [[4, 3], [0, 2]];
    expect(Array.from(cosineSimilarity(tf.tensor2d(a), tf.tensor2d(b)).dataSync()).map((x) => +x.toFixed(5))).to.deep.equal([0.96, 0]);
  });

  it('matMulT gives a·bᵀ and the same gradients as tf.matMul', () => {
    const a = tf.tensor2d(normals(15, 4 * 3), [4, 3]), b = tf.tensor2d(normals(16, 5 * 3), [5, 3]);
    const w = tf.tensor2d(normals(17, 4 * 5), [4, 5]);
    const f1 = (x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.mul(matMulT(x as tf.Tensor2D, y as tf.Tensor2D), w));
    const f2 = (x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.mul(tf.matMul(x as tf.Tensor2D, y as tf.Tensor2D, false, true), w));
    const [g1a, g1b] = tf.grads(f1)([a, b]);
    const [g2a, g2b] = tf.grads(f2)([a, b]);
    const close = (x: tf.Tensor, y: tf.Tensor) => expect(tf.max(tf.abs(tf.sub(x, y))).dataSync()[0]).to.be.below(1e-5);
    close(matMulT(a, b), tf.matMul(a, b, false, true));
    close(g1a, g2a);
    close(g1b, g2b);
    expect(() => matMulT(a, tf.ones([5, 4]) as tf.Tensor2D)).to.throw(/\[4,3\] and \[5,4\]/);
  });
});
