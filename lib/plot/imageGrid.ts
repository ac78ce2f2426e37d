import { Figure, LayoutOptions, layout, placeTitle, wrapLines } from './figure';

export interface ImageGridOptions extends LayoutOptions {
  /** Images per row. */
  cols?: number;
  /** Side length of each (square) image; inferred from the first image. */
  size?: number;
  /** A caption above each image (wrapped to the image's width, up to 3 lines). */
  titles?: string[];
  /** Pixel range shown from black to white. */
  range?: [number, number];
}

/**
 * Captions that fit their image: the largest font from 10 down to 8 px at which every caption
 * fits in 3 lines of the image's width (about 0.55 × font size per character).
 */
export function fitCaptions(titles: string[], widthPx: number): { lines: string[][]; font: number } {
  for (let font = 10; ; font--) {
    const perLine = Math.max(4, Math.floor(widthPx / (0.55 * font)));
    const lines = titles.map((t) => wrapLines(t, perLine));
    const longest = Math.max(...lines.flat().map((l) => l.length));
    if ((lines.every((l) => l.length <= 3) && longest <= perLine) || font === 8) return { lines, font };
  }
}

/** Square greyscale images (flat, row-major) tiled into one heatmap, with captions. */
export function imageGrid(images: ArrayLike<number>[], opts: ImageGridOptions = {}): Figure {
  const n = images.length;
  if (n === 0) throw new Error('imageGrid: no images');
  const size = opts.size ?? Math.round(Math.sqrt(images[0].length));
  images.forEach((im, i) => {
    if (im.length !== size * size) throw new Error(`imageGrid: image ${i} has ${im.length} pixels, expected ${size}×${size}`);
  });
  if (opts.titles && opts.titles.length !== n) throw new Error(`imageGrid: ${opts.titles.length} titles for ${n} images`);
  const cols = Math.min(opts.cols ?? 8, n);
  const rows = Math.ceil(n / cols);
  const gap = 1;
  const W = cols * (size + gap) - gap;
  // Screen pixels per image pixel: the grid about 600 px wide at most, 9 px per pixel at most.
  const px = Math.max(2, Math.floor(Math.min(600 / W, 9)));
  const captions = opts.titles ? fitCaptions(opts.titles, size * px) : null;
  const nLines = captions ? Math.max(1, ...captions.lines.map((l) => l.length)) : 0;
  // A band above each row holds its captions: lines × line height, in image pixels.
  const band = captions ? Math.ceil((nLines * captions.font * 1.25 + 4) / px) : 0;
  const rowH = band + size + gap;
  const H = rows * rowH - gap;
  const z: (number | null)[][] = Array.from({ length: H }, () => new Array(W).fill(null));
  images.forEach((im, k) => {
    const r0 = Math.floor(k / cols) * rowH + band;
    const c0 = (k % cols) * (size + gap);
    for (let i = 0; i < size; i++)
      for (let j = 0; j < size; j++) z[r0 + i][c0 + j] = Math.round(im[i * size + j] * 1000) / 1000;
  });
  const l = layout({
    width: W * px + 20,
    height: H * px + 20,
    ...opts,
    xaxis: { visible: false, ...(opts.xaxis ?? {}) },
    yaxis: { visible: false, autorange: 'reversed', scaleanchor: 'x', ...(opts.yaxis ?? {}) },
  });
  const margin = l.margin as Record<string, number>;
  margin.l = 10;
  margin.r = 10;
  margin.b = 10;
  if (opts.height === undefined) l.height = H * px + margin.t + margin.b;
  placeTitle(l);
  if (captions) {
    l.annotations = captions.lines.map((lines, k) => ({
      x: (k % cols) * (size + gap) + (size - 1) / 2,
      y: Math.floor(k / cols) * rowH + band - 0.5,
      text: lines.join('<br>'),
      showarrow: false,
      yanchor: 'bottom',
      font: { size: captions.font },
    }));
  }
  const [lo, hi] = opts.range ?? [0, 1];
  return {
    data: [{ type: 'heatmap', z, colorscale: 'Greys', reversescale: true, zmin: lo, zmax: hi, showscale: false, hoverinfo: 'skip' }],
    layout: l,
  };
}
