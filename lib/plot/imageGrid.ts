import { Figure, LayoutOptions, layout } from './figure';

export interface ImageGridOptions extends LayoutOptions {
  /** Images per row. */
  cols?: number;
  /** Side length of each (square) image; inferred from the first image. */
  size?: number;
  titles?: string[];
  /** Pixel range shown from black to white. */
  range?: [number, number];
}

/** Square greyscale images (flat, row-major) tiled into one heatmap, with titles. */
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
  const H = rows * (size + gap) - gap;
  const W = cols * (size + gap) - gap;
  const z: (number | null)[][] = Array.from({ length: H }, () => new Array(W).fill(null));
  images.forEach((im, k) => {
    const r0 = Math.floor(k / cols) * (size + gap);
    const c0 = (k % cols) * (size + gap);
    for (let i = 0; i < size; i++)
      for (let j = 0; j < size; j++) z[r0 + i][c0 + j] = Math.round(im[i * size + j] * 1000) / 1000;
  });
  const px = Math.max(2, Math.floor(Math.min(600 / W, 9)));
  const l = layout({
    width: W * px + 40,
    height: H * px + (opts.titles ? rows * 16 : 0) + 40,
    ...opts,
    xaxis: { visible: false, ...(opts.xaxis ?? {}) },
    yaxis: { visible: false, autorange: 'reversed', scaleanchor: 'x', ...(opts.yaxis ?? {}) },
  });
  l.margin = { l: 10, r: 10, t: opts.title ? 40 : 10, b: 10 };
  if (opts.titles) {
    l.annotations = opts.titles.map((t, k) => ({
      x: (k % cols) * (size + gap) + size / 2,
      y: Math.floor(k / cols) * (size + gap) - 0.5,
      text: t,
      showarrow: false,
      yanchor: 'bottom',
      font: { size: 10 },
    }));
  }
  const [lo, hi] = opts.range ?? [0, 1];
  return {
    data: [{ type: 'heatmap', z, colorscale: 'Greys', reversescale: true, zmin: lo, zmax: hi, showscale: false, hoverinfo: 'skip' }],
    layout: l,
  };
}
