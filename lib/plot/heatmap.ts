import { Figure, LayoutOptions, layout } from './figure';
import { fmt } from '../format';

export interface HeatmapOptions extends LayoutOptions {
  xLabels?: string[];
  yLabels?: string[];
  colorscale?: string;
  zmin?: number;
  zmax?: number;
  /** Write each value in its cell (integers as integers, others to `digits` significant digits). */
  annotate?: boolean;
  digits?: number;
}

/**
 * Every row or column named: a category axis (so labels such as '0'…'9' are not read as
 * numbers and thinned to 0, 2, 4, …) with one tick per label.
 */
function categoryAxis(labels: string[] | undefined, n: number, extra: Record<string, unknown> | undefined): Record<string, unknown> {
  const names = labels ?? Array.from({ length: n }, (_, i) => String(i));
  return { ...extra, type: 'category', tickmode: 'array', tickvals: names, ticktext: names, automargin: true };
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
  const dup = (ls?: string[]) => ls && ls.find((s, i) => ls.indexOf(s) !== i);
  const d = dup(opts.xLabels) ?? dup(opts.yLabels);
  // A category axis merges equal names into one column: say so instead of drawing a wrong matrix.
  if (d !== undefined) throw new Error(`heatmap: the label "${d}" appears twice; labels name rows and columns, so they must differ`);
  const xNames = opts.xLabels ?? Array.from({ length: cols }, (_, j) => String(j));
  const yNames = opts.yLabels ?? Array.from({ length: rows }, (_, i) => String(i));
  const l = layout({
    ...opts,
    xaxis: categoryAxis(opts.xLabels, cols, opts.xaxis),
    yaxis: categoryAxis(opts.yLabels, rows, { autorange: 'reversed', ...(opts.yaxis ?? {}) }),
  });
  const fig: Figure = {
    data: [
      {
        type: 'heatmap',
        z,
        x: xNames,
        y: yNames,
        colorscale: opts.colorscale ?? 'RdBu',
        reversescale: opts.colorscale ? false : true,
        zmin: opts.zmin,
        zmax: opts.zmax,
      },
    ],
    layout: l,
  };
  if (opts.annotate) {
    // Values as the cells' text; Plotly picks black or white per cell so it reads on any colour.
    const t = fig.data[0];
    t.text = z.map((r) => r.map((v) => fmt(v, opts.digits ?? 2)));
    t.texttemplate = '%{text}';
    t.textfont = { size: 10 };
    t.hovertemplate = '%{y} · %{x}: %{text}<extra></extra>';
  }
  return fig;
}
