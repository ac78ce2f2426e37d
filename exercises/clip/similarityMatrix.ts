// Generated from solutions/ by `npm run exercises`: write your code where it says TODO.
import * as tf from '@tensorflow/tfjs';
import { checkPair, checkRows } from '../../lib/clip/checks';
import { matMulT } from '../../lib/clip/matmul';

/**
 * The cosine similarity of every row of `a` with every row of `b`.
 *
 * a is [n, d] (say, n image embeddings), b is [m, d] (m caption embeddings). Scale each row to
 * length 1 (divide by its L2 norm), then S = â · b̂ᵀ, so S[i][j] = cos(angle between a_i and b_j),
 * a number in [−1, 1]. Returns S with shape [n, m]. Differentiable: training calls it.
 *
 * Bad input must fail loudly: call `checkPair(a, b, ['a', 'b'])` (different d is an error naming
 * both shapes) and `checkRows(a, 'a')`, `checkRows(b, 'b')` (a zero vector or a NaN/Infinity is an
 * error naming the row and the value: "a: row 1 is a zero vector", "b: row 0 holds NaN at column 0")
 * before computing anything. Start each error's message with
 * "similarityMatrix: " so the learner sees where it came from.
 *
 * Hint: tf.norm(x, 2, 1, true) gives the row norms as an [n, 1] column; dividing broadcasts it.
 * For the product use matMulT(x, y) = x · yᵀ: the same values as tf.matMul(x, tf.transpose(y)),
 * with a gradient that runs several times faster on the wasm backend.
 */
export function similarityMatrix(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  // TODO: your code here
  throw new Error('not implemented: similarityMatrix');
}
