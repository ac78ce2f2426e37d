// What a trained CLIP can do without further training: classify from prompts, and retrieve.
import * as tf from '@tensorflow/tfjs';
import { zeroShotClassify } from '../../solutions/clip/zeroShot';
import { DIGIT_PIXELS, Digits } from '../data/mnist';
import { Attributes, AttributeThresholds, describeDigits, SLANTS, THICKNESSES } from './attributes';
import { DIGIT_WORDS, fullCaption, prompt, ZERO_SHOT_TEMPLATES } from './captions';
import { Clip } from './model';

/** The images of a digit set as an [n, 784] tensor. */
export function imagesTensor(d: Digits): tf.Tensor2D {
  return tf.tensor2d(d.images, [d.n, DIGIT_PIXELS]);
}

/** The prompts for every class and template: [classes][templates]. */
export function zeroShotPrompts(templates: string[] = ZERO_SHOT_TEMPLATES): string[][] {
  if (templates.length === 0) throw new Error('zeroShotPrompts: no templates');
  return DIGIT_WORDS.map((_, d) => templates.map((t) => prompt(t, d)));
}

/** Class predictions for images from text prompts alone (templates ensembled). */
export function zeroShot(clip: Clip, images: tf.Tensor2D, templates: string[] = ZERO_SHOT_TEMPLATES): Int32Array {
  const prompts = zeroShotPrompts(templates);
  return tf.tidy(() => {
    const img = clip.encodeImages(images);
    const txt = clip.encodeTexts(prompts.flat()).reshape([prompts.length, templates.length, -1]) as tf.Tensor3D;
    return zeroShotClassify(img, txt);
  });
}

/** Share of digits whose zero-shot prediction is their label. */
export function zeroShotAccuracy(clip: Clip, d: Digits, templates?: string[]): number {
  const x = imagesTensor(d);
  try {
    const pred = zeroShot(clip, x, templates);
    let ok = 0;
    for (let i = 0; i < d.n; i++) if (pred[i] === d.labels[i]) ok++;
    return ok / d.n;
  } finally {
    x.dispose();
  }
}

/**
 * recall@k for each k: the share of queries with at least one relevant item among their k
 * highest-scoring items. scores is row-major [queries, items].
 */
export function recallAtK(scores: ArrayLike<number>, queries: number, relevant: (q: number, item: number) => boolean, ks: number[] = [1, 5]): Record<number, number> {
  if (queries < 1 || scores.length % queries !== 0) throw new Error(`recallAtK: ${scores.length} scores do not split into ${queries} queries`);
  const items = scores.length / queries;
  const kmax = Math.max(...ks);
  if (!(kmax >= 1 && kmax <= items)) throw new Error(`recallAtK: k must be in [1, ${items}], got ${ks}`);
  const hits = new Array(ks.length).fill(0);
  const order = new Int32Array(items);
  for (let q = 0; q < queries; q++) {
    for (let i = 0; i < items; i++) order[i] = i;
    const row = (i: number) => scores[q * items + i];
    order.sort((a, b) => row(b) - row(a) || a - b);
    const firstHit = order.slice(0, kmax).findIndex((i) => relevant(q, i));
    ks.forEach((k, j) => {
      if (firstHit >= 0 && firstHit < k) hits[j]++;
    });
  }
  return Object.fromEntries(ks.map((k, j) => [k, hits[j] / queries]));
}

/** The n × m cosine similarities of text and image embeddings, read back. */
function scoresOf(a: tf.Tensor2D, b: tf.Tensor2D): Float32Array {
  return tf.tidy(() => tf.matMul(a, tf.transpose(b))).dataSync() as Float32Array;
}

export interface RetrievalResult {
  /** Text → image: each held-out image's full caption queries all held-out images; a hit is an image the caption describes. */
  textToImage: Record<number, number>;
  /** Image → text: each image ranks all 90 full captions (10 digits × 3 thicknesses × 3 slants); a hit is its own. */
  imageToText: Record<number, number>;
  /** Text → image with bare digit prompts ("a seven"): a hit is an image of that digit. */
  digitToImage: Record<number, number>;
}

/** Every full caption: 10 digits × 3 thicknesses × 3 slants, with the attributes of each. */
export function allFullCaptions(): { caption: string; label: number; attrs: Attributes }[] {
  return DIGIT_WORDS.flatMap((_, label) =>
    THICKNESSES.flatMap((thickness) => SLANTS.map((slant) => ({ caption: fullCaption(label, { thickness, slant }), label, attrs: { thickness, slant } }))),
  );
}

/**
 * Retrieval on a digit set, with the attribute captions of its images. Captions that several
 * images fit count any of them as a hit (they are all what was asked for).
 */
export function retrieval(clip: Clip, d: Digits, thresholds: AttributeThresholds, ks: number[] = [1, 5]): RetrievalResult {
  const attrs = describeDigits(d, thresholds);
  const same = (i: number, j: number) => d.labels[i] === d.labels[j] && attrs[i].thickness === attrs[j].thickness && attrs[i].slant === attrs[j].slant;
  const all = allFullCaptions();
  const key = (label: number, a: Attributes) => `${label}/${a.thickness}/${a.slant}`;
  const captionIndex = new Map(all.map((c, i) => [key(c.label, c.attrs), i]));
  const x = imagesTensor(d);
  try {
    return tf.tidy(() => {
      const img = clip.encodeImages(x);
      const txt = clip.encodeTexts(Array.from({ length: d.n }, (_, i) => fullCaption(d.labels[i], attrs[i])));
      const textToImage = recallAtK(scoresOf(txt, img), d.n, same, ks);
      const capEmb = clip.encodeTexts(all.map((c) => c.caption));
      const imageToText = recallAtK(scoresOf(img, capEmb), d.n, (i, c) => captionIndex.get(key(d.labels[i], attrs[i])) === c, ks);
      const digits = clip.encodeTexts(DIGIT_WORDS.map((w) => prompt('a {digit}', DIGIT_WORDS.indexOf(w))));
      const digitToImage = recallAtK(scoresOf(digits, img), 10, (q, j) => d.labels[j] === q, ks);
      return { textToImage, imageToText, digitToImage };
    });
  } finally {
    x.dispose();
  }
}

/** The indices of the k images that best match a text query, with their similarities. */
export function searchImages(clip: Clip, images: tf.Tensor2D, query: string, k = 8): { index: number; score: number }[] {
  const s = tf.tidy(() => scoresOf(clip.encodeTexts([query]), clip.encodeImages(images)));
  return Array.from(s, (score, index) => ({ index, score }))
    .sort((a, b) => b.score - a.score)
    .slice(0, k);
}

/** The k captions (from a list) that best match one image. */
export function searchCaptions(clip: Clip, image: tf.Tensor2D, captions: string[], k = 5): { caption: string; score: number }[] {
  const s = tf.tidy(() => scoresOf(clip.encodeImages(image), clip.encodeTexts(captions)));
  if (s.length !== captions.length) throw new Error(`searchCaptions: expected one image [1, 784], got [${image.shape}]`);
  return Array.from(s, (score, i) => ({ caption: captions[i], score }))
    .sort((a, b) => b.score - a.score)
    .slice(0, k);
}
