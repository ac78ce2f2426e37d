// a · bᵀ with a gradient made of plain matMuls on operands transposed explicitly (by lib/nn's
// cache-friendly transpose2d). tf.matMul's
// own gradient uses transposeA/transposeB, which the wasm backend runs several times slower.
import * as tf from '@tensorflow/tfjs';
import { transpose2d } from '../nn/dense';

const matMulTGrad = tf.customGrad(((a: tf.Tensor, b: tf.Tensor, save: tf.GradSaveFunc) => {
  save([a, b]);
  return {
    value: tf.matMul(a as tf.Tensor2D, transpose2d(b as tf.Tensor2D)),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [as, bs] = saved as tf.Tensor2D[];
      // S = a·bᵀ: dS/da = dy·b, dS/db = dyᵀ·a.
      return [tf.matMul(dy as tf.Tensor2D, bs), tf.matMul(transpose2d(dy as tf.Tensor2D), as)];
    },
  };
}) as unknown as Parameters<typeof tf.customGrad>[0]);

/** a · bᵀ for a [n, d] and b [m, d]: the [n, m] matrix of dot products of their rows. */
export function matMulT(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  if (a.rank !== 2 || b.rank !== 2 || a.shape[1] !== b.shape[1]) {
    throw new Error(`matMulT: need [n, d] and [m, d], got [${a.shape}] and [${b.shape}]`);
  }
  return matMulTGrad(a, b) as tf.Tensor2D;
}
