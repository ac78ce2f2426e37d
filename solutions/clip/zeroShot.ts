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
  // BEGIN SOLUTION
  checkMatrix(imageEmb, 'zeroShotClassify: imageEmb');
  if (!(promptEmb instanceof tf.Tensor) || promptEmb.rank !== 3 || promptEmb.shape[2] !== imageEmb.shape[1]) {
    throw new Error(`zeroShotClassify: promptEmb must be [classes, templates, ${imageEmb.shape[1]}] to match imageEmb [${imageEmb.shape}], got [${promptEmb?.shape}]`);
  }
  checkRows(imageEmb, 'zeroShotClassify: imageEmb');
  const flat = tf.reshape(promptEmb, [-1, promptEmb.shape[2]]) as tf.Tensor2D;
  try {
    checkRows(flat, 'zeroShotClassify: promptEmb (classes × templates rows)');
  } finally {
    flat.dispose();
  }
  const pred = tf.tidy(() => {
    const unit = (x: tf.Tensor, axis: number) => tf.div(x, tf.norm(x, 2, axis, true));
    const classes = unit(tf.mean(unit(promptEmb, 2), 1), 1);
    const scores = tf.matMul(unit(imageEmb, 1) as tf.Tensor2D, tf.transpose(classes) as tf.Tensor2D);
    return tf.argMax(scores, 1);
  });
  const out = Int32Array.from(pred.dataSync());
  pred.dispose();
  return out;
  // END SOLUTION
}
