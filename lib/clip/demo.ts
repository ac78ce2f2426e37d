// Small helpers for looking at a CLIP in the notebook: a demo batch, image grids of search
// results, a confusion matrix. Loops live here, not in notebook cells.
import * as tf from '@tensorflow/tfjs';
import { permutation, Seed } from '../random';
import { DIGIT_PIXELS, Digits, digitImage } from '../data/mnist';
import { AttributeThresholds, describeDigits } from './attributes';
import { fullCaption } from './captions';
import { Clip } from './model';
import { Figure, heatmap, layout } from '../plot';
import { searchCaptions, searchImages } from './evaluate';

export interface DemoBatch {
  /** [n, 784] */
  images: tf.Tensor2D;
  pixels: Float32Array[];
  labels: number[];
  captions: string[];
  /** Positions in the digit set. */
  index: number[];
}

/** n digits (distinct digits while n ≤ 10), each with its full attribute caption. */
export function demoBatch(d: Digits, t: AttributeThresholds, n = 8, seed: Seed = 0): DemoBatch {
  if (!(Number.isInteger(n) && n >= 1 && n <= d.n)) throw new Error(`demoBatch: n must be in [1, ${d.n}], got ${n}`);
  const perm = permutation(seed, d.n);
  const seen = new Set<number>();
  const index: number[] = [];
  for (const i of perm) {
    if (index.length === n) break;
    if (n <= 10 && seen.has(d.labels[i])) continue;
    seen.add(d.labels[i]);
    index.push(i);
  }
  const attrs = describeDigits(d, t);
  const pixels = index.map((i) => digitImage(d, i));
  const flat = new Float32Array(n * DIGIT_PIXELS);
  pixels.forEach((p, k) => flat.set(p, k * DIGIT_PIXELS));
  return {
    images: tf.tensor2d(flat, [n, DIGIT_PIXELS]),
    pixels,
    labels: index.map((i) => d.labels[i]),
    captions: index.map((i) => fullCaption(d.labels[i], attrs[i])),
    index,
  };
}

/** For each query, the k best-matching images of d: images and titles for imageGrid (k per row). */
export function searchGrid(clip: Clip, d: Digits, queries: string[], k = 8): { images: Float32Array[]; titles: string[] } {
  const x = tf.tensor2d(d.images, [d.n, DIGIT_PIXELS]);
  try {
    const images: Float32Array[] = [];
    const titles: string[] = [];
    for (const q of queries) {
      searchImages(clip, x, q, k).forEach((hit, j) => {
        images.push(digitImage(d, hit.index));
        titles.push(j === 0 ? `"${q}"` : '');
      });
    }
    return { images, titles };
  } finally {
    x.dispose();
  }
}

/** The best caption (of a list) for each of the given images of d. */
export function captionImages(clip: Clip, d: Digits, index: number[], captions: string[]): { caption: string; score: number }[] {
  return index.map((i) => {
    const x = tf.tensor2d(digitImage(d, i), [1, DIGIT_PIXELS]);
    try {
      return searchCaptions(clip, x, captions, 1)[0];
    } finally {
      x.dispose();
    }
  });
}

/** The pixel-wise mean of the k images that best match a query (what averaging retrieval gives). */
export function meanOfBest(clip: Clip, d: Digits, query: string, k = 16): Float32Array {
  const x = tf.tensor2d(d.images, [d.n, DIGIT_PIXELS]);
  try {
    const out = new Float32Array(DIGIT_PIXELS);
    for (const hit of searchImages(clip, x, query, k)) {
      const im = digitImage(d, hit.index);
      for (let p = 0; p < DIGIT_PIXELS; p++) out[p] += im[p] / k;
    }
    return out;
  } finally {
    x.dispose();
  }
}

/** counts[true][predicted] over 10 classes, as rows of shares (each row sums to 1). */
export function confusionMatrix(pred: ArrayLike<number>, labels: ArrayLike<number>, classes = 10): number[][] {
  if (pred.length !== labels.length) throw new Error(`confusionMatrix: ${pred.length} predictions for ${labels.length} labels`);
  const m = Array.from({ length: classes }, () => new Array(classes).fill(0));
  for (let i = 0; i < pred.length; i++) m[labels[i]][pred[i]]++;
  return m.map((r) => {
    const s = r.reduce((a, b) => a + b, 0);
    return r.map((v) => (s ? v / s : 0));
  });
}

/** A similarity matrix as an annotated heatmap, captions along the bottom, images down the side. */
export function similarityHeatmap(S: tf.Tensor2D, captions: string[], rowLabels: string[], title: string): Figure {
  const fig = heatmap(S.arraySync() as number[][], {
    xLabels: captions, yLabels: rowLabels, zmin: -1, zmax: 1, annotate: true, title, width: 760, height: 620,
    xaxis: { title: { text: 'caption j' } }, yaxis: { title: { text: 'image i' } },
  });
  fig.layout.margin = { l: 80, r: 20, t: 40, b: 190 };
  (fig.layout.xaxis as Record<string, unknown>).tickangle = 35;
  return fig;
}

/** Break a caption into lines of about `width` characters (Plotly titles take <br>). */
export function wrapCaption(text: string, width = 18): string {
  const lines: string[] = [];
  let line = '';
  for (const w of text.split(' ')) {
    if (line && line.length + 1 + w.length > width) {
      lines.push(line);
      line = w;
    } else line = line ? `${line} ${w}` : w;
  }
  if (line) lines.push(line);
  return lines.join('<br>');
}

/**
 * Digits in a grid with a (wrapped) caption above each, leaving room between rows for the text.
 * anchor 'left' starts each caption at its image's left edge instead of centring it: for a row
 * title (searchGrid's query above the first image) that is wider than one image and would
 * otherwise be cut at the figure's left edge.
 */
export function captionGrid(pixels: ArrayLike<number>[], captions: string[], opts: { cols?: number; title?: string; wrap?: number; gap?: number; anchor?: 'center' | 'left' } = {}): Figure {
  const n = pixels.length;
  if (n === 0 || captions.length !== n) throw new Error(`captionGrid: ${n} images and ${captions.length} captions`);
  const size = 28;
  pixels.forEach((im, i) => {
    if (im.length !== size * size) throw new Error(`captionGrid: image ${i} has ${im.length} pixels, expected 28×28`);
  });
  const cols = Math.min(opts.cols ?? 5, n);
  const rows = Math.ceil(n / cols);
  const wrapped = captions.map((c) => wrapCaption(c, opts.wrap ?? 20));
  const lines = Math.max(...wrapped.map((c) => c.split('<br>').length));
  const gapX = opts.gap ?? 10;
  const W = cols * (size + gapX) - gapX;
  const px = Math.max(2, Math.min(4, Math.floor(760 / W)));
  const gapY = Math.ceil((lines * 13 + 4) / px);
  const H = rows * (size + gapY);
  const z: (number | null)[][] = Array.from({ length: H }, () => new Array(W).fill(null));
  pixels.forEach((im, k) => {
    const r0 = Math.floor(k / cols) * (size + gapY) + gapY;
    const c0 = (k % cols) * (size + gapX);
    for (let i = 0; i < size; i++) for (let j = 0; j < size; j++) z[r0 + i][c0 + j] = Math.round(im[i * size + j] * 1000) / 1000;
  });
  const l = layout({ title: opts.title, width: W * px + 20, height: H * px + (opts.title ? 50 : 20) });
  l.margin = { l: 10, r: 10, t: opts.title ? 40 : 10, b: 10 };
  l.xaxis = { visible: false, range: [-0.5, W - 0.5] };
  l.yaxis = { visible: false, range: [H - 0.5, -0.5], scaleanchor: 'x' };
  const anchor = opts.anchor ?? 'center';
  if (anchor !== 'center' && anchor !== 'left') throw new Error(`captionGrid: anchor must be 'center' or 'left', got ${anchor}`);
  l.annotations = wrapped.map((t, k) => ({
    x: (k % cols) * (size + gapX) + (anchor === 'left' ? -0.5 : size / 2),
    y: Math.floor(k / cols) * (size + gapY) + gapY - 1,
    text: t,
    showarrow: false,
    xanchor: anchor,
    align: anchor,
    yanchor: 'bottom',
    font: { size: 10 },
  }));
  return {
    data: [{ type: 'heatmap', z, colorscale: 'Greys', reversescale: true, zmin: 0, zmax: 1, showscale: false, hoverinfo: 'skip' }],
    layout: l,
  };
}
