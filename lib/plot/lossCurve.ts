import { Figure, LayoutOptions, layout } from './figure';
import { ema } from './ema';

export interface LossCurveOptions extends LayoutOptions {
  /** Step of each value (default 1, 2, …). */
  steps?: ArrayLike<number>;
  /** Smoothing β of the moving average; by default it averages over about 1/30 of the run. */
  beta?: number;
  /** Log scale on y: a loss that keeps falling by factors shows as a steady slope. */
  log?: boolean;
  /** Name of the curve (legend): "loss" by default. */
  name?: string;
  /** At most this many points per curve are drawn (evenly spaced), to keep notebooks small. */
  maxPoints?: number;
}

/** Default β: a window of about n/30 steps, at least 5 and β ≤ 0.995. */
export function defaultBeta(n: number): number {
  return Math.min(0.995, 1 - 1 / Math.max(5, n / 30));
}

/** Every k-th index so that at most `max` remain, always keeping the last. */
function thin(n: number, max: number): number[] {
  const k = Math.max(1, Math.ceil(n / max));
  const idx: number[] = [];
  for (let i = 0; i < n; i += k) idx.push(i);
  if (idx[idx.length - 1] !== n - 1) idx.push(n - 1);
  return idx;
}

/**
 * A training loss: the raw values faint, their bias-corrected moving average (ema) bold
 * on top, so the trend shows through the minibatch noise.
 */
export function lossCurve(losses: ArrayLike<number>, opts: LossCurveOptions = {}): Figure {
  const n = losses.length;
  if (n === 0) throw new Error('lossCurve: no loss values');
  const steps = opts.steps ?? Array.from({ length: n }, (_, i) => i + 1);
  if (steps.length !== n) throw new Error(`lossCurve: ${steps.length} steps for ${n} loss values`);
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(losses[i])) throw new Error(`lossCurve: non-finite loss at index ${i} (${losses[i]})`);
    if (opts.log && losses[i] <= 0) throw new Error(`lossCurve: log axis needs positive losses; index ${i} is ${losses[i]}`);
  }
  const beta = opts.beta ?? defaultBeta(n);
  const smooth = ema(losses, beta);
  const idx = thin(n, opts.maxPoints ?? 1500);
  const name = opts.name ?? 'loss';
  const pick = (a: ArrayLike<number>) => idx.map((i) => a[i]);
  const l = layout({
    xLabel: 'training step',
    yLabel: opts.log ? `${name} (log scale)` : name,
    ...opts,
    yaxis: { ...(opts.log ? { type: 'log' } : {}), ...(opts.yaxis ?? {}) },
  });
  l.legend = { x: 1, xanchor: 'right', y: 1, bgcolor: 'rgba(255,255,255,0.7)' };
  return {
    data: [
      { type: 'scatter', mode: 'lines', x: pick(steps), y: pick(losses), name: `${name} (each step)`, line: { color: '#9ecae1', width: 1 }, opacity: 0.6 },
      { type: 'scatter', mode: 'lines', x: pick(steps), y: pick(smooth), name: `${name} (moving average)`, line: { color: '#08519c', width: 2.5 } },
    ],
    layout: l,
  };
}
