// What a trained CLIP can do without further training: classify from prompts, and retrieve.
import * as tf from '@tensorflow/tfjs';
import { valuesOf } from '../values';
import { zeroShotClassify } from './exercises';
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
 * For each query, the rank (0-based) of its first relevant item among its kmax highest-scoring
 * items, or −1 if none is there. scores is row-major [queries, items]; ties go to the lower index.
 */
export function firstRelevantRank(scores: ArrayLike<number>, queries: number, relevant: (q: number, item: number) => boolean, kmax: number): Int32Array {
  if (!(queries >= 1) || scores.length % queries !== 0) throw new Error(`recallAtK: ${scores.length} scores do not split into ${queries} queries`);
  const items = scores.length / queries;
  if (!(Number.isInteger(kmax) && kmax >= 1 && kmax <= items)) throw new Error(`recallAtK: k must be in [1, ${items}], got ${kmax}`);
  const out = new Int32Array(queries);
  const topI = new Int32Array(kmax);
  const topS = new Float64Array(kmax);
  for (let q = 0; q < queries; q++) {
    // The kmax best items by one pass of insertion into a short sorted list.
    let filled = 0;
    for (let i = 0; i < items; i++) {
      const v = scores[q * items + i];
      if (Number.isNaN(v)) throw new Error(`recallAtK: score [${q}, ${i}] is NaN`);
      if (filled === kmax && !(v > topS[kmax - 1])) continue;
      let p = filled < kmax ? filled++ : kmax - 1;
      while (p > 0 && v > topS[p - 1]) {
        topS[p] = topS[p - 1];
        topI[p] = topI[p - 1];
        p--;
      }
      topS[p] = v;
      topI[p] = i;
    }
    out[q] = -1;
    for (let r = 0; r < kmax; r++)
      if (relevant(q, topI[r])) {
        out[q] = r;
        break;
      }
  }
  return out;
}

/** recall@k from first relevant ranks: the share of ranks in [0, k). */
function recallFromRanks(ranks: ArrayLike<number>, ks: number[]): Record<number, number> {
  return Object.fromEntries(ks.map((k) => [k, Array.from(ranks).filter((r) => r >= 0 && r < k).length / ranks.length]));
}

/**
 * recall@k for each k: the share of queries with at least one relevant item among their k
 * highest-scoring items. scores is row-major [queries, items].
 */
export function recallAtK(scores: ArrayLike<number>, queries: number, relevant: (q: number, item: number) => boolean, ks: number[] = [1, 5]): Record<number, number> {
  return recallFromRanks(firstRelevantRank(scores, queries, relevant, Math.max(...ks)), ks);
}

/** The n × m cosine similarities of text and image embeddings, read back. */
function scoresOf(a: tf.Tensor2D, b: tf.Tensor2D): Float32Array {
  return valuesOf(() => tf.matMul(a, tf.transpose(b))) as Float32Array;
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
  const all = allFullCaptions();
  const key = (label: number, a: Attributes) => `${label}/${a.thickness}/${a.slant}`;
  const captionIndex = new Map(all.map((c, i) => [key(c.label, c.attrs), i]));
  const queryOf = Array.from({ length: d.n }, (_, i) => captionIndex.get(key(d.labels[i], attrs[i]))!);
  const kmax = Math.max(...ks);
  const x = imagesTensor(d);
  try {
    return tf.tidy(() => {
      const img = clip.encodeImages(x);
      const capEmb = clip.encodeTexts(all.map((c) => c.caption));
      // Every held-out image's full caption is one of the 90: score each caption once, then
      // count each image's query through its caption (a hit: an image that caption describes).
      const capRanks = firstRelevantRank(scoresOf(capEmb, img), all.length, (c, j) => queryOf[j] === c, kmax);
      const textToImage = recallFromRanks(queryOf.map((c) => capRanks[c]), ks);
      const imageToText = recallFromRanks(firstRelevantRank(scoresOf(img, capEmb), d.n, (i, c) => queryOf[i] === c, kmax), ks);
      const digits = clip.encodeTexts(DIGIT_WORDS.map((_, k) => prompt('a {digit}', k)));
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
