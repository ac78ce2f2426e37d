// The whole CLIP objective for a batch: similarities, scaled by the temperature, contrasted.
import * as tf from '@tensorflow/tfjs';
import { contrastiveLoss, similarityMatrix } from './exercises';
import { checkPair } from './checks';
import { logitScale } from './temperature';

/** logitScale · S for image and text features (normalised inside), both [n, d]. */
export function clipLogits(imageFeatures: tf.Tensor2D, textFeatures: tf.Tensor2D, logLogitScale: tf.Tensor): tf.Tensor2D {
  checkPair(imageFeatures, textFeatures, ['image embeddings', 'text embeddings'], true);
  return tf.tidy(() => tf.mul(logitScale(logLogitScale), similarityMatrix(imageFeatures, textFeatures)) as tf.Tensor2D);
}

/** The symmetric contrastive loss of n matching (image, caption) pairs. */
export function clipLoss(imageFeatures: tf.Tensor2D, textFeatures: tf.Tensor2D, logLogitScale: tf.Tensor): tf.Scalar {
  return tf.tidy(() => contrastiveLoss(clipLogits(imageFeatures, textFeatures, logLogitScale)));
}
