import { Figure, LayoutOptions, Trace, checkXY, layout } from './figure';

export interface Series {
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  name?: string;
  color?: string | number[];
  size?: number;
  opacity?: number;
  /**
   * Marker shape (Plotly's marker.symbol: 'circle', 'circle-open', 'x-thin-open', 'diamond', …):
   * series that land on the same points stay visible when each has its own shape and size.
   */
  symbol?: string;
  /** Per-point hover text. */
  text?: string[];
}

function trace(kind: 'markers' | 'lines' | 'lines+markers', s: Series, fn: string): Trace {
  checkXY(fn, s.x, s.y);
  const t: Trace = { type: 'scatter', mode: kind, x: Array.from(s.x), y: Array.from(s.y) };
  if (s.name) t.name = s.name;
  if (s.text) t.text = s.text;
  if (kind === 'markers') {
    t.marker = { size: s.size ?? 4, opacity: s.opacity ?? 0.7, color: s.color };
    // An open symbol is drawn by its outline alone (Plotly's default outline width is 0).
    if (s.symbol) Object.assign(t.marker as Record<string, unknown>, s.symbol.endsWith('-open') ? { symbol: s.symbol, line: { width: 1.5 } } : { symbol: s.symbol });
    if (Array.isArray(s.color)) (t.marker as Record<string, unknown>).colorscale = 'Viridis';
  } else {
    t.line = { color: s.color, width: s.size ?? 2 };
  }
  return t;
}

/** Points: one trace per series. */
export function scatter(series: Series | Series[], opts: LayoutOptions = {}): Figure {
  const list = Array.isArray(series) ? series : [series];
  return { data: list.map((s) => trace('markers', s, 'scatter')), layout: layout(opts) };
}

/** Curves: one line per series (loss curves, metrics against steps). */
export function lines(series: Series | Series[], opts: LayoutOptions & { markers?: boolean } = {}): Figure {
  const list = Array.isArray(series) ? series : [series];
  return { data: list.map((s) => trace(opts.markers ? 'lines+markers' : 'lines', s, 'lines')), layout: layout(opts) };
}
