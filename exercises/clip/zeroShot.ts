// Generated from solutions/ by `npm run exercises`: write your code where it says TODO.
import * as tf from '@tensorflow/tfjs';
import { checkMatrix, checkRows } from '../../lib/clip/checks';

/**
 * Zero-shot classification: label images using nothing but text prompts.
 *
 * imageEmb is [n, d], one embedding per image. promptEmb is [classes, templates, d]: for each class
 * c, the embeddings of several prompts naming it ("a photo of a seven", "the digit seven", ...).
 * 1. Ensemble the prompts: L2-normalise every prompt embedding, average over the templates,
 *    L2-normalise the average: one unit vector per class, [classes, d].
 * 2. Score every image against every class by cosine similarity.
 * 3. Each image's prediction is the class with the highest score (the first one on ties).
 * Returns the predicted class per image as an Int32Array of length n.
 *
 * Bad input: promptEmb not 3-D, or a d that differs from imageEmb's, is an error naming both shapes;
 * a zero or non-finite image embedding is an error naming the row and the value (use `checkRows`, with a
 * name that starts with "zeroShotClassify: " so the message says where it came from; it writes
 * "row 1 is a zero vector" and "row 0 holds NaN at column 0").
 *
 * Hint: tf.mean(x, 1) averages over the templates axis; tf.argMax(scores, 1) picks the class.
 */
export function zeroShotClassify(imageEmb: tf.Tensor2D, promptEmb: tf.Tensor3D): Int32Array {
  // TODO: your code here
  throw new Error('not implemented: zeroShotClassify');
}
