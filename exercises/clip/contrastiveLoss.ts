// Generated from solutions/ by `npm run exercises`: write your code where it says TODO.
import * as tf from '@tensorflow/tfjs';

/**
 * CLIP's symmetric contrastive loss for a batch of n image–caption pairs.
 *
 * `logits` is the [n, n] matrix logitScale · S, where S[i][j] is the similarity of image i and
 * caption j; pair i (image i with caption i) matches, every other pair does not.
 * - Reading row i as scores over the n captions, image i should pick caption i:
 *   rowLoss_i = −log softmax(row i)[i].
 * - Reading column j as scores over the n images, caption j should pick image j:
 *   colLoss_j = −log softmax(column j)[j].
 * Return the scalar (mean(rowLoss) + mean(colLoss)) / 2.
 *
 * It must stay finite for large logits (CLIP's logitScale goes up to 100, so logits reach ±100 and
 * exp(100) overflows float32): compute log softmax as z − max(z) − log Σ exp(z − max(z)), which is
 * exactly what tf.logSoftmax does (it also has a cheap gradient of its own; writing it out with
 * tf.max works too, but the gradient through tf.max is slow on the wasm backend).
 * It must be differentiable (training calls it), so use tf ops, not dataSync, for the value.
 *
 * Bad input: a non-square or non-2-D `logits` is an error naming its shape. A NaN or ±Infinity in
 * `logits` is an error naming the value and its position [i, j], e.g. "contrastiveLoss: logits[1, 0] = NaN"
 * (check after computing the loss: if it is not finite, find the first bad entry and report it).
 *
 * Hint: tf.logSoftmax(z) works along the last axis, so transpose for the columns; multiply by
 * tf.eye(n) and sum to pick out the diagonal.
 */
export function contrastiveLoss(logits: tf.Tensor2D): tf.Scalar {
  // TODO: your code here
  throw new Error('not implemented: contrastiveLoss');
}
