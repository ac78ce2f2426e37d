// A Plotly figure as plain data: what every builder in lib/plot returns.
export interface Trace {
  type?: string;
  [key: string]: unknown;
}
export interface Frame {
  name: string;
  data: Trace[];
  layout?: Record<string, unknown>;
}
export interface Figure {
  data: Trace[];
  layout: Record<string, unknown>;
  frames?: Frame[];
  /**
   * A grid of subplots (lib/plot's subplots) records its cells here, in pixels, so that a grid
   * drawn narrower than it was built (show's FIT_WIDTH) shrinks only the plot areas and keeps
   * the room for tick labels, axis titles and subplot titles. Plotly ignores it.
   */
  grid?: GridGeometry;
}

export interface GridGeometry {
  rows: number;
  cols: number;
  /** Cell width and height in pixels, the cell's title band and axis room included. */
  cw: number;
  ch: number;
  /** Height of the band above each plot area that holds its title. */
  top: number;
  /** Room in each cell left of, right of and below its plot area (tick labels, axis titles). */
  pad: { left: number; right: number; bottom: number };
}

export interface LayoutOptions {
  /** What the figure shows; every figure should have one (figureProblems() reports a missing one). */
  title?: string;
  /** Axis labels: what is on x and on y, with units where there are any (x₁, x₂ by default with equalAxes). */
  xLabel?: string;
  yLabel?: string;
  width?: number;
  height?: number;
  xaxis?: Record<string, unknown>;
  yaxis?: Record<string, unknown>;
  /** Same scale on both axes (for 2D point clouds and vector fields). */
  equalAxes?: boolean;
  showlegend?: boolean;
}

/** Plotly's mode bar takes this band at the top of the figure; the title sits below it. */
export const MODEBAR_PX = 30;
/** Title font size and line height in pixels. */
export const TITLE_FONT = 16;
const TITLE_LINE = 22;

/**
 * Break a title into lines that fit `width` pixels (about 0.55 × font size per character),
 * at spaces; returns the lines joined with <br>, as Plotly writes line breaks.
 */
export function wrapText(text: string, width: number, fontSize = TITLE_FONT): string {
  const perLine = Math.max(8, Math.floor(width / (0.55 * fontSize)));
  return wrapLines(text, perLine).join('<br>');
}

/** Words into lines of at most `perLine` characters (a longer word gets a line of its own). */
export function wrapLines(text: string, perLine: number): string[] {
  const out: string[] = [];
  for (const para of text.split(/<br>|\n/)) {
    let line = '';
    for (const word of para.split(/\s+/).filter(Boolean)) {
      if (line && line.length + 1 + word.length > perLine) {
        out.push(line);
        line = word;
      } else line = line ? `${line} ${word}` : word;
    }
    out.push(line);
  }
  return out;
}

/**
 * The title as Plotly layout: wrapped to the width, centred, its first line just below the
 * mode bar's band (MODEBAR_PX), and a top margin that fits all its lines. Plotly anchors a
 * multi-line title by its first line and runs the others downwards, so the first line's
 * bottom is placed (in pixels from the top, as a fraction of the height: see placeTitle).
 */
export function titleLayout(title: string, width: number, height: number): { title: Record<string, unknown>; top: number } {
  const text = wrapText(title, width - 20);
  const lines = text.split('<br>').length;
  return {
    title: {
      text,
      x: 0.5,
      xref: 'container',
      xanchor: 'center',
      y: titleY(height),
      yref: 'container',
      yanchor: 'bottom',
      automargin: true,
      font: { size: TITLE_FONT },
    },
    top: MODEBAR_PX + TITLE_LINE + (lines - 1) * TITLE_LINE + 14,
  };
}

const titleY = (height: number) => 1 - (MODEBAR_PX + TITLE_LINE) / height;

/** Put the title back below the mode bar after the layout's height changed. */
export function placeTitle(l: Record<string, unknown>): void {
  const t = l.title as Record<string, unknown> | undefined;
  if (t && t.yref === 'container' && t.yanchor === 'bottom' && typeof l.height === 'number') t.y = titleY(l.height);
}

function axis(label: string | undefined, extra: Record<string, unknown> | undefined): Record<string, unknown> {
  const a: Record<string, unknown> = { automargin: true, ...(extra ?? {}) };
  if (label !== undefined && a.title === undefined) a.title = { text: label };
  return a;
}

/**
 * Layout with margins that fit the title (wrapped, below the mode bar so hovering never covers it),
 * labelled axes that grow their margins to fit tick labels (automargin), and the given size.
 */
export function layout(opts: LayoutOptions = {}): Record<string, unknown> {
  const width = opts.width ?? 520;
  const height = opts.height ?? 420;
  const l: Record<string, unknown> = {
    width,
    height,
    margin: { l: 60, r: 20, t: MODEBAR_PX, b: 50 },
    // Equal axes mean a 2D point cloud or field: its axes are the coordinates x₁ and x₂ unless named.
    xaxis: axis(opts.xLabel ?? (opts.equalAxes ? 'x₁' : undefined), opts.xaxis),
    yaxis: axis(opts.yLabel ?? (opts.equalAxes ? 'x₂' : undefined), opts.yaxis),
  };
  if (opts.title) {
    const t = titleLayout(opts.title, width, height);
    l.title = t.title;
    (l.margin as Record<string, number>).t = t.top;
  }
  if (opts.showlegend !== undefined) l.showlegend = opts.showlegend;
  if (opts.equalAxes) (l.yaxis as Record<string, unknown>).scaleanchor = 'x';
  return l;
}

/** Plotly's config for every figure: no logo; the mode bar shows on hover, in the band above the title. */
export const PLOT_CONFIG = { responsive: false, displaylogo: false, displayModeBar: 'hover' as const };

const textOf = (t: unknown): string =>
  typeof t === 'string' ? t : t && typeof t === 'object' && typeof (t as { text?: unknown }).text === 'string' ? ((t as { text: string }).text) : '';

/**
 * What a reader would miss in a figure: no title, or a visible axis without a label.
 * Empty when the figure is complete (tests and the notebook checker use it).
 */
export function figureProblems(fig: Figure): string[] {
  const problems: string[] = [];
  const l = fig.layout ?? {};
  if (!textOf(l.title).trim()) problems.push('the figure has no title');
  const axes = Object.keys(l).filter((k) => /^[xy]axis\d*$/.test(k));
  for (const k of axes.sort()) {
    const a = l[k] as Record<string, unknown>;
    if (a.visible === false) continue;
    if (!textOf(a.title).trim()) problems.push(`${k} has no label`);
  }
  return problems;
}

/** Check that x and y arrays have equal, non-zero length and finite values. */
export function checkXY(fn: string, x: ArrayLike<number>, y: ArrayLike<number>): void {
  if (x.length !== y.length) throw new Error(`${fn}: x has ${x.length} values but y has ${y.length}`);
  for (let i = 0; i < x.length; i++) {
    if (!Number.isFinite(x[i]) || !Number.isFinite(y[i])) {
      throw new Error(`${fn}: non-finite value at index ${i} (x=${x[i]}, y=${y[i]})`);
    }
  }
}

/** Plotly's default colours, in its order. */
export const COLORWAY = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];

/** Significant-digit label of a tick value: 0.2, 5, 100, 1e-4 (no SI prefixes such as 100µ). */
function tickLabel(v: number): string {
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e6)) {
    const [m, e] = v.toExponential(2).split('e');
    return `${m.replace(/\.?0+$/, '')}e${e.replace('+', '')}`;
  }
  return String(Number(v.toPrecision(3)));
}

/**
 * Ticks of a log axis from its data: Plotly labels the minor ticks of a log axis with their
 * leading digit alone (5 6 7 8 9 10 2 3 4 5: the "2" after 10 means 20) or crowds a short
 * range (0.8, 0.75, 0.7, 0.65 …), and writes powers with SI prefixes (100µ). This picks the
 * densest of 1-2-3-…, 1-2-3-5, 1-2-5 and 1 per decade that gives 3 to 8 ticks spaced apart,
 * labelled in full (20, not 2). Axes that set their own ticks or span too many decades are left
 * to Plotly. Returns a new figure; the given one is not changed.
 */
export function logTicks(fig: Figure): Figure {
  const l = fig.layout ?? {};
  const keys = Object.keys(l).filter((k) => /^[xy]axis\d*$/.test(k) && (l[k] as Record<string, unknown>)?.type === 'log');
  if (keys.length === 0) return fig;
  const out: Record<string, unknown> = { ...l };
  for (const k of keys) {
    const a = l[k] as Record<string, unknown>;
    if (a.tickvals !== undefined || a.dtick !== undefined || a.tickmode !== undefined) continue;
    const letter = k[0] as 'x' | 'y';
    const id = `${letter}${k.slice(5)}`;
    let lo = Infinity;
    let hi = -Infinity;
    if (Array.isArray(a.range) && a.range.length === 2) {
      lo = 10 ** Math.min(a.range[0] as number, a.range[1] as number);
      hi = 10 ** Math.max(a.range[0] as number, a.range[1] as number);
    } else {
      for (const t of fig.data) {
        if (((t[`${letter}axis`] as string | undefined) ?? letter) !== id) continue;
        const vs = t[letter] as ArrayLike<unknown> | undefined;
        if (!vs || typeof vs !== 'object') continue;
        for (let i = 0; i < vs.length; i++) {
          const v = vs[i];
          if (typeof v === 'number' && v > 0 && Number.isFinite(v)) {
            if (v < lo) lo = v;
            if (v > hi) hi = v;
          }
        }
      }
    }
    if (!(lo < hi)) continue;
    const span = Math.log10(hi / lo);
    let chosen: number[] | undefined;
    for (const set of [[1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 2, 3, 5], [1, 2, 5], [1]]) {
      const vals: number[] = [];
      for (let e = Math.floor(Math.log10(lo)) - 1; e <= Math.ceil(Math.log10(hi)); e++) {
        for (const m of set) {
          const v = Number((m * 10 ** e).toPrecision(6));
          if (v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9)) vals.push(v);
        }
      }
      const gap = Math.min(...vals.slice(1).map((v, i) => Math.log10(v / vals[i])));
      if (vals.length <= 8 && (vals.length < 2 || gap >= span / 14)) {
        chosen = vals;
        break;
      }
    }
    if (!chosen || chosen.length < 3) continue;
    out[k] = { ...a, tickmode: 'array', tickvals: chosen, ticktext: chosen.map(tickLabel) };
  }
  return { ...fig, layout: out };
}
