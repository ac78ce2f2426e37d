// The posterior of a finite data set under Gaussian noise, in float64: the data points x_i
// equally likely, x | x_i ~ N(a·x_i, s²·I). Bayes' rule weights the points by
//   w_i ∝ exp(−|x − a·x_i|² / 2s²)
// and gives E[x0 | x] = Σ w_i·x_i and E[ε | x] = Σ w_i·(x − a·x_i)/s (ε the noise in x = a·x0 + s·ε).
// DDPM's forward process is a = √ᾱ, s = √(1 − ᾱ); flow matching's path is a = 1 − t, s = t.
//
// Why float64 and this form: as the noise vanishes the logits are distances over 2s² (2e-4 at
// the first DDPM step, 2e-6 at flow's t = 0.001), so any rounding in a distance moves the
// weights between neighbouring points. The difference is taken as (x − x_i) + (1 − a)·x_i with
// 1 − a given by the caller to full precision (not a − 1 rounded), and E[ε | x] averages those
// differences instead of subtracting a·E[x0 | x] from x, which would cancel and divide by a small s.
// The data sets these serve are small (a few thousand points), so plain loops are quick enough.

/**
 * E[x0 | x] and E[ε | x] for every row of x [n, d] (flat), given data [m, d] (flat, float64),
 * a, oneMinusA = 1 − a (to full precision) and s > 0.
 */
export function mixturePosterior(data: Float64Array, x: ArrayLike<number>, d: number, a: number, oneMinusA: number, s: number): { x0: Float64Array; eps: Float64Array } {
  if (!(s > 0)) throw new Error(`mixturePosterior: the noise scale s = ${s} must be > 0`);
  if (Math.abs(1 - a - oneMinusA) > 1e-12) throw new Error(`mixturePosterior: oneMinusA = ${oneMinusA} is not 1 − a for a = ${a}`);
  const m = data.length / d;
  const n = x.length / d;
  const x0 = new Float64Array(n * d);
  const eps = new Float64Array(n * d);
  const logit = new Float64Array(m);
  const scale = 1 / (2 * s * s);
  for (let r = 0; r < n; r++) {
    let max = -Infinity;
    for (let i = 0; i < m; i++) {
      let q = 0;
      for (let j = 0; j < d; j++) {
        const v = data[i * d + j];
        const u = x[r * d + j] - v + oneMinusA * v; // x − a·x_i
        q += u * u;
      }
      const l = -q * scale;
      logit[i] = l;
      if (l > max) max = l;
    }
    let z = 0;
    for (let i = 0; i < m; i++) {
      const l = logit[i] - max;
      if (l < -80) continue; // e^−80 < 1e-34: below float64's resolution of a sum that is ≥ 1
      const w = Math.exp(l);
      z += w;
      for (let j = 0; j < d; j++) {
        const v = data[i * d + j];
        x0[r * d + j] += w * v;
        eps[r * d + j] += w * (x[r * d + j] - v + oneMinusA * v);
      }
    }
    for (let j = 0; j < d; j++) {
      x0[r * d + j] /= z;
      eps[r * d + j] /= z * s;
    }
  }
  return { x0, eps };
}
