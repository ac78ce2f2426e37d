// "Divide the total noise by the number of steps and you have the last step's noise" holds only
// on average. For a driftless walk x_t = x_0 + z_1 + … + z_t (z_k ~ N(0, 1), independent), the t
// steps play symmetric roles given their sum, so
//   E[z_t | x_0, x_t] = (x_t − x_0)/t,   Var[z_t | x_0, x_t] = 1 − 1/t:
// the average is the total divided by t, but any one walk's last step scatters around it.
// DDPM's walk has a pull to the origin, and its version of the same statement is the posterior
// mean μ̃_t(x_t, x_0) = a·x_0 + b·x_t, a = √ᾱ_{t−1}·β_t/(1 − ᾱ_t), b = √α_t·(1 − ᾱ_{t−1})/(1 − ᾱ_t),
// with scatter β̃_t = β_t·(1 − ᾱ_{t−1})/(1 − ᾱ_t). Both are measured here by least squares on
// simulated walks: the regression of a quantity on what we condition on recovers E[· | ·] when
// that is linear, as it is for Gaussian steps.
import { Seed, toRng } from '../random';
import { Schedule, alphaBarAt, checkT } from './schedule';

export interface DriftlessRow {
  t: number;
  /** Least-squares slope of z_t on x_t − x_0 over the walks, and the theory's 1/t. */
  slope: number;
  expectedSlope: number;
  /** Mean squared residual around that line, and the theory's 1 − 1/t. */
  scatter: number;
  expectedScatter: number;
}

/** Simulate n driftless walks of t unit-variance steps for each t; fit z_t against (x_t − x_0). */
export function driftlessLastStep(ts: number[], opts: { n?: number; seed: Seed }): DriftlessRow[] {
  const n = opts.n ?? 5000;
  if (!(Number.isInteger(n) && n >= 10)) throw new Error(`driftlessLastStep: n must be an integer ≥ 10, got ${n}`);
  const g = toRng(opts.seed);
  return ts.map((t) => {
    if (!(Number.isInteger(t) && t >= 1)) throw new Error(`driftlessLastStep: t must be an integer ≥ 1, got ${t}`);
    const disp = new Float64Array(n);
    const last = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let x = 0; // x_t − x_0
      let z = 0;
      for (let k = 1; k <= t; k++) {
        z = g.normal();
        x += z;
      }
      disp[i] = x;
      last[i] = z;
    }
    let sxy = 0, sxx = 0;
    for (let i = 0; i < n; i++) {
      sxy += disp[i] * last[i];
      sxx += disp[i] * disp[i];
    }
    const slope = sxy / sxx;
    let res = 0;
    for (let i = 0; i < n; i++) res += (last[i] - slope * disp[i]) ** 2 / n;
    return { t, slope, expectedSlope: 1 / t, scatter: res, expectedScatter: 1 - 1 / t };
  });
}

export interface PosteriorRow {
  t: number;
  /** Least-squares x_{t−1} ≈ a·x_0 + b·x_t over simulated walks, and μ̃'s coefficients. */
  a: number;
  b: number;
  expectedA: number;
  expectedB: number;
  /** Mean squared residual, and β̃_t. */
  scatter: number;
  expectedScatter: number;
}

/**
 * DDPM's walk from data coordinates (each coordinate of `data` is one x_0): x_{t−1} in closed
 * form, then one step x_t = √(1 − β_t)·x_{t−1} + √β_t·z. Fit x_{t−1} on (x_0, x_t).
 */
export function posteriorFit(data: Float32Array, schedule: Schedule, ts: number[], opts: { n?: number; seed: Seed }): PosteriorRow[] {
  if (data.length === 0) throw new Error('posteriorFit: data is empty');
  const n = opts.n ?? 5000;
  if (!(Number.isInteger(n) && n >= 10)) throw new Error(`posteriorFit: n must be an integer ≥ 10, got ${n}`);
  const g = toRng(opts.seed);
  return ts.map((t) => {
    checkT(schedule, t, 'posteriorFit');
    if (t < 1) throw new Error(`posteriorFit: t must be ≥ 1 (at t = 0 there is no x_{t−1} to infer), got ${t}`);
    const b = schedule.betas[t];
    const ab = schedule.alphaBar[t];
    const abPrev = alphaBarAt(schedule, t - 1);
    // Normal equations for two regressors, no intercept.
    let s00 = 0, s01 = 0, s11 = 0, s0y = 0, s1y = 0;
    const rows: [number, number, number][] = [];
    for (let i = 0; i < n; i++) {
      const x0 = data[g.int(data.length)];
      const xp = Math.sqrt(abPrev) * x0 + Math.sqrt(1 - abPrev) * g.normal();
      const xt = Math.sqrt(1 - b) * xp + Math.sqrt(b) * g.normal();
      rows.push([x0, xt, xp]);
      s00 += x0 * x0;
      s01 += x0 * xt;
      s11 += xt * xt;
      s0y += x0 * xp;
      s1y += xt * xp;
    }
    const det = s00 * s11 - s01 * s01;
    const a = (s11 * s0y - s01 * s1y) / det;
    const c = (s00 * s1y - s01 * s0y) / det;
    let res = 0;
    for (const [x0, xt, xp] of rows) res += (xp - a * x0 - c * xt) ** 2 / n;
    return {
      t,
      a,
      b: c,
      expectedA: (Math.sqrt(abPrev) * b) / (1 - ab),
      expectedB: (Math.sqrt(1 - b) * (1 - abPrev)) / (1 - ab),
      scatter: res,
      expectedScatter: (b * (1 - abPrev)) / (1 - ab),
    };
  });
}
