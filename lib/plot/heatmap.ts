import { Figure, LayoutOptions, layout } from './figure';

export interface HeatmapOptions extends LayoutOptions {
  xLabels?: string[];
  yLabels?: string[];
  colorscale?: string;
  zmin?: number;
  zmax?: number;
  /** Write each value in its cell. */
  annotate?: boolean;
}

/** A matrix as colours; rows run top to bottom, as printed. */
export function heatmap(z: number[][], opts: HeatmapOptions = {}): Figure {
  const rows = z.length;
  if (rows === 0) throw new Error('heatmap: z has no rows');
  const cols = z[0].length;
  z.forEach((r, i) => {
    if (r.length !== cols) throw new Error(`heatmap: row ${i} has ${r.length} values, row 0 has ${cols}`);
  });
  if (opts.xLabels && opts.xLabels.length !== cols) throw new Error(`heatmap: ${opts.xLabels.length} xLabels for ${cols} columns`);
  if (opts.yLabels && opts.yLabels.length !== rows) throw new Error(`heatmap: ${opts.yLabels.length} yLabels for ${rows} rows`);
  const l = layout(opts);
  (l.yaxis as Record<string, unknown>).autorange = 'reversed';
  const fig: Figure = {
    data: [
      {
        type: 'heatmap',
        z,
        x: opts.xLabels,
        y: opts.yLabels,
        colorscale: opts.colorscale ?? 'RdBu',
        reversescale: opts.colorscale ? false : true,
        zmin: opts.zmin,
        zmax: opts.zmax,
      },
    ],
    layout: l,
  };
  if (opts.annotate) {
    l.annotations = z.flatMap((r, i) =>
      r.map((v, j) => ({
        x: opts.xLabels ? opts.xLabels[j] : j,
        y: opts.yLabels ? opts.yLabels[i] : i,
        text: v.toFixed(2),
        showarrow: false,
        font: { size: 10 },
      })),
    );
  }
  return fig;
}
