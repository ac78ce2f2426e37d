import { COLORWAY, Figure, Trace, layout, placeTitle, wrapText } from './figure';

export interface SubplotOptions {
  /** Title of the whole grid. */
  title?: string;
  /** Subplots per row (default: up to 3). */
  cols?: number;
  /** Size of each subplot in pixels, its title and axis labels included. */
  cellWidth?: number;
  cellHeight?: number;
  /** Show the legend (off by default: each subplot's title names what it shows). */
  showlegend?: boolean;
}

// Room inside each cell, in pixels, for tick labels and axis titles (below and left).
const PAD = { bottom: 58, left: 58, right: 12 };

/** The name that marks a subplot's title among the layout's annotations (FIT_WIDTH wraps them again). */
export const SUBPLOT_TITLE = 'course-subplot-title';

const axisId = (k: number) => (k === 0 ? '' : String(k + 1));
const textOf = (t: unknown) => (typeof t === 'string' ? t : ((t as { text?: string } | undefined)?.text ?? ''));

/**
 * Several figures as one: a grid of small plots, each with its own axes, labels and title
 * (figures from scatter, lines, quiver, heatmap, lossCurve …; animations cannot be combined).
 */
export function subplots(figs: Figure[], opts: SubplotOptions = {}): Figure {
  const n = figs.length;
  if (n === 0) throw new Error('subplots: no figures');
  figs.forEach((f, k) => {
    if (f.frames?.length) throw new Error(`subplots: figure ${k} is an animation; show animations on their own`);
  });
  const cols = Math.min(opts.cols ?? 3, n);
  if (!Number.isInteger(cols) || cols < 1) throw new Error(`subplots: cols must be a positive integer, got ${opts.cols}`);
  const rows = Math.ceil(n / cols);
  const cw = opts.cellWidth ?? 320;
  const ch = opts.cellHeight ?? 280;
  const base = layout({ title: opts.title, width: cols * cw + 20, height: rows * ch, showlegend: opts.showlegend ?? false });
  const margin = base.margin as { l: number; r: number; t: number; b: number };
  margin.l = 10;
  margin.r = 10;
  margin.b = 10;
  base.height = rows * ch + margin.t + margin.b;
  const W = (base.width as number) - margin.l - margin.r;
  const H = rows * ch;
  // Each subplot's title, wrapped to its cell; the tallest sets the room above every cell.
  const titles = figs.map((f) => {
    const t = textOf(f.layout.title).replace(/<br>/g, ' ').trim();
    // Centred over the plot area, which sits right of the cell's centre (more room left for the y
    // axis): wrapped to the width that keeps it inside the cell on the right.
    return t ? wrapText(t, cw - PAD.left + PAD.right, 13) : '';
  });
  const top = 12 + 17 * Math.max(1, ...titles.map((t) => (t ? t.split('<br>').length : 0)));
  delete base.xaxis;
  delete base.yaxis;
  const data: Trace[] = [];
  const annotations: Record<string, unknown>[] = [];
  // A series keeps its colour in every subplot (Plotly would give each trace the next colour of
  // its cycle, so "DDIM" would be green in one panel and red in the next), and with a legend it
  // is listed once and toggles everywhere.
  const names: string[] = [];
  for (const f of figs) for (const t of f.data) if (typeof t.name === 'string' && t.name && !names.includes(t.name)) names.push(t.name);
  let unnamed = names.length;
  const shown = new Set<string>();
  figs.forEach((f, k) => {
    const r = Math.floor(k / cols);
    const c = k % cols;
    const id = axisId(k);
    const xd = [(c * cw + PAD.left) / W, ((c + 1) * cw - PAD.right) / W];
    const yd = [1 - ((r + 1) * ch - PAD.bottom) / H, 1 - (r * ch + top) / H];
    const remap = (v: unknown, axis: 'x' | 'y') => (typeof v === 'string' && /^[xy]\d*$/.test(v) ? `${axis}${id}` : v);
    for (const t of f.data) {
      const copy: Trace = { ...t, xaxis: `x${id}`, yaxis: `y${id}` };
      const name = typeof t.name === 'string' && t.name ? t.name : undefined;
      const marker = t.marker as Record<string, unknown> | undefined;
      const line = t.line as Record<string, unknown> | undefined;
      if (t.type !== 'heatmap' && t.type !== 'image' && marker?.color === undefined && line?.color === undefined) {
        const color = COLORWAY[(name ? names.indexOf(name) : unnamed++) % COLORWAY.length];
        copy.marker = { ...(marker ?? {}), color };
        copy.line = { ...(line ?? {}), color };
      }
      if (!opts.showlegend) copy.showlegend = false;
      else if (name) {
        copy.legendgroup = name;
        if (shown.has(name)) copy.showlegend = false;
        shown.add(name);
      }
      if (t.type === 'heatmap' && t.showscale !== false) {
        copy.colorbar = { x: xd[1] + 2 / W, xanchor: 'left', y: (yd[0] + yd[1]) / 2, len: yd[1] - yd[0], thickness: 8, ...((t.colorbar as object) ?? {}) };
      }
      data.push(copy);
    }
    const fx = { ...((f.layout.xaxis as Record<string, unknown>) ?? {}) };
    const fy = { ...((f.layout.yaxis as Record<string, unknown>) ?? {}) };
    if (fy.scaleanchor) fy.scaleanchor = `x${id}`;
    if (fx.scaleanchor) fx.scaleanchor = `y${id}`;
    base[`xaxis${id}`] = { ...fx, domain: xd, anchor: `y${id}`, automargin: false };
    base[`yaxis${id}`] = { ...fy, domain: yd, anchor: `x${id}`, automargin: false };
    if (titles[k]) {
      annotations.push({
        text: titles[k],
        x: (xd[0] + xd[1]) / 2,
        y: yd[1],
        xref: 'paper',
        yref: 'paper',
        xanchor: 'center',
        yanchor: 'bottom',
        showarrow: false,
        font: { size: 13 },
        name: SUBPLOT_TITLE,
      });
    }
    for (const a of (f.layout.annotations as Record<string, unknown>[]) ?? []) {
      annotations.push({ ...a, xref: remap(a.xref ?? 'x', 'x'), yref: remap(a.yref ?? 'y', 'y') });
    }
  });
  base.annotations = annotations;
  placeTitle(base);
  return { data, layout: base, grid: { rows, cols, cw, ch, top, pad: { ...PAD } } };
}
