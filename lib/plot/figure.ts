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
}

export interface LayoutOptions {
  title?: string;
  width?: number;
  height?: number;
  xaxis?: Record<string, unknown>;
  yaxis?: Record<string, unknown>;
  /** Same scale on both axes (for 2D point clouds and vector fields). */
  equalAxes?: boolean;
  showlegend?: boolean;
}

export function layout(opts: LayoutOptions = {}): Record<string, unknown> {
  const l: Record<string, unknown> = {
    width: opts.width ?? 520,
    height: opts.height ?? 420,
    margin: { l: 50, r: 20, t: opts.title ? 40 : 20, b: 40 },
    xaxis: { ...(opts.xaxis ?? {}) },
    yaxis: { ...(opts.yaxis ?? {}) },
  };
  if (opts.title) l.title = { text: opts.title };
  if (opts.showlegend !== undefined) l.showlegend = opts.showlegend;
  if (opts.equalAxes) (l.yaxis as Record<string, unknown>).scaleanchor = 'x';
  return l;
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
