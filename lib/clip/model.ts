// A tiny CLIP: an image encoder and a text encoder, both ending in the same d-dimensional space.
import * as tf from '@tensorflow/tfjs';
import { Mlp, mlp } from '../nn';
import { Seed, toRng } from '../random';
import { DIGIT_PIXELS } from '../data/mnist';
import { checkFinite, checkMatrix } from './checks';
import { AttributeThresholds } from './attributes';
import { TokenizeOptions, Tokenizer, tokenizer } from './tokenizer';
import { logLogitScaleVariable, logitScale as scaleOf } from './temperature';

export interface ClipConfig {
  /** Shared embedding dimension (512 in CLIP). */
  dim: number;
  /** Hidden layer widths of the image encoder (784 → ... → dim). */
  imageHidden: number[];
  /** Token embedding size of the text encoder. */
  tokenDim: number;
  /** Hidden layer widths after pooling in the text encoder (tokenDim → ... → dim). */
  textHidden: number[];
}

export const DEFAULT_CLIP_CONFIG: ClipConfig = { dim: 512, imageHidden: [128], tokenDim: 64, textHidden: [128] };

export interface Clip {
  config: ClipConfig;
  tokenizer: Tokenizer;
  /** Image encoder: 784 pixels → dim (an MLP). */
  image: Mlp;
  /**
   * Text encoder: bag of words (vocab) → dim. Its first layer's weight matrix is the token
   * embedding table: the bag of words times it is the mean of the tokens' embeddings.
   */
  text: Mlp;
  /** log(logitScale), learnable. */
  logLogitScale: tf.Variable;
  /** @deprecated The same variable as logLogitScale (the old name; chapter 1's notebook still uses it). */
  logScale: tf.Variable;
  /** Thresholds used to caption the training data (kept with the weights). */
  thresholds?: AttributeThresholds;
  /** Every trainable variable. */
  params: tf.Variable[];
  /** Current logitScale = exp(logLogitScale), capped at 100. */
  logitScale(): number;
  /** Unnormalised image features [n, dim] (differentiable, for training). */
  imageFeatures(images: tf.Tensor2D): tf.Tensor2D;
  /** Unnormalised text features [n, dim] from a bag of words [n, vocab]. */
  textFeatures(bow: tf.Tensor2D): tf.Tensor2D;
  /** L2-normalised embeddings of images [n, 784] with values in [0, 1]: [n, dim]. */
  encodeImages(images: tf.Tensor2D): tf.Tensor2D;
  /** L2-normalised embeddings of captions: [n, dim]. Unknown words are an error (see TokenizeOptions). */
  encodeTexts(captions: string[], opts?: TokenizeOptions): tf.Tensor2D;
  dispose(): void;
}

function checkConfig(c: ClipConfig): void {
  const ok = (n: number) => Number.isInteger(n) && n > 0;
  if (!ok(c.dim) || !ok(c.tokenDim) || !c.imageHidden.every(ok) || !c.textHidden.every(ok)) {
    throw new Error(`createClip: sizes must be positive integers, got ${JSON.stringify(c)}`);
  }
}

function unit(x: tf.Tensor2D, name: string): tf.Tensor2D {
  return tf.tidy(() => {
    const n = tf.norm(x, 2, 1, true);
    const bad = tf.logicalNot(tf.greater(n, 0)).any().dataSync()[0] || !Number.isFinite(tf.sum(n).dataSync()[0]);
    if (bad) throw new Error(`${name}: an embedding is zero or not finite (input values NaN/Infinity?)`);
    return tf.div(x, n) as tf.Tensor2D;
  });
}

/** A freshly initialised CLIP (seeded). */
export function createClip(seed: Seed, config: Partial<ClipConfig> = {}, vocab?: string[]): Clip {
  const cfg: ClipConfig = { ...DEFAULT_CLIP_CONFIG, ...config };
  checkConfig(cfg);
  const g = toRng(seed);
  const tok = tokenizer(vocab);
  const image = mlp([DIGIT_PIXELS, ...cfg.imageHidden, cfg.dim], g.seed(), 'clip-image');
  const text = mlp([tok.vocab.length, cfg.tokenDim, ...cfg.textHidden, cfg.dim], g.seed(), 'clip-text');
  const logLogitScale = logLogitScaleVariable();
  const clip: Clip = {
    config: cfg,
    tokenizer: tok,
    image,
    text,
    logLogitScale,
    logScale: logLogitScale,
    params: [...image.params, ...text.params, logLogitScale],
    logitScale: () => tf.tidy(() => scaleOf(logLogitScale).dataSync()[0]),
    imageFeatures(images) {
      checkMatrix(images, 'images', DIGIT_PIXELS);
      return image.apply(images);
    },
    textFeatures(bow) {
      checkMatrix(bow, 'bag of words', tok.vocab.length);
      return text.apply(bow);
    },
    encodeImages(images) {
      checkMatrix(images, 'encodeImages: images', DIGIT_PIXELS);
      checkFinite(images, 'encodeImages: images');
      return tf.tidy(() => unit(image.apply(images), 'encodeImages'));
    },
    encodeTexts(captions, opts) {
      if (!Array.isArray(captions) || captions.length === 0) throw new Error('encodeTexts: expected a non-empty array of captions');
      const bow = tok.bagOfWords(captions, opts);
      return tf.tidy(() => unit(text.apply(tf.tensor2d(bow, [captions.length, tok.vocab.length])), 'encodeTexts'));
    },
    dispose() {
      image.dispose();
      text.dispose();
      logLogitScale.dispose();
    },
  };
  return clip;
}
