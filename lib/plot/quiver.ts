import { Figure, LayoutOptions, Trace, checkXY, layout } from './figure';

export interface Field {
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  u: ArrayLike<number>;
  v: ArrayLike<number>;
}

export interface QuiverOptions extends LayoutOptions {
  /** Arrow length = scale * |(u, v)|; by default the longest arrow spans `cell`. */
  scale?: number;
  /** Grid spacing used for the default scale. */
  cell?: number;
  color?: string;
  name?: string;
}

/** Arrows as one line trace: each arrow is a shaft and a two-stroke head, separated by nulls. */
export function quiverTrace(f: Field, opts: QuiverOptions = {}): Trace {
  checkXY('quiver', f.x, f.y);
  checkXY('quiver', f.u, f.v);
  if (f.u.length !== f.x.length) throw new Error(`quiver: ${f.x.length} positions but ${f.u.length} vectors`);
  let maxLen = 0;
  for (let i = 0; i < f.u.length; i++) maxLen = Math.max(maxLen, Math.hypot(f.u[i], f.v[i]));
  const scale = opts.scale ?? (maxLen > 0 ? (opts.cell ?? 0.1) / maxLen : 1);
  const xs: (number | null)[] = [];
  const ys: (number | null)[] = [];
  const r = (v: number) => Math.round(v * 1e4) / 1e4;
  for (let i = 0; i < f.x.length; i++) {
    const x0 = f.x[i];
    const y0 = f.y[i];
    const dx = f.u[i] * scale;
    const dy = f.v[i] * scale;
    const x1 = x0 + dx;
    const y1 = y0 + dy;
    // Head: two strokes at ±25° back from the tip, 30% of the shaft.
    const c = Math.cos(0.44);
    const s = Math.sin(0.44);
    const hx = -dx * 0.3;
    const hy = -dy * 0.3;
    xs.push(r(x0), r(x1), null, r(x1 + hx * c - hy * s), r(x1), r(x1 + hx * c + hy * s), null);
    ys.push(r(y0), r(y1), null, r(y1 + hx * s + hy * c), r(y1), r(y1 - hx * s + hy * c), null);
  }
  return {
    type: 'scatter',
    mode: 'lines',
    x: xs,
    y: ys,
    name: opts.name ?? 'field',
    line: { color: opts.color ?? '#1f77b4', width: 1 },
    hoverinfo: 'skip',
  };
}

/** A vector field (for example the learned denoising direction on a grid). */
export function quiver(f: Field | Field[], opts: QuiverOptions & { colors?: string[]; names?: string[] } = {}): Figure {
  const list = Array.isArray(f) ? f : [f];
  const data = list.map((g, i) =>
    quiverTrace(g, { ...opts, color: opts.colors?.[i] ?? opts.color, name: opts.names?.[i] ?? opts.name }),
  );
  return { data, layout: layout({ equalAxes: true, ...opts }) };
}
