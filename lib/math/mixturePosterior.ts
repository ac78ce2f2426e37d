// The posterior of a finite data set under Gaussian noise, in float64: the data points x_i
// equally likely, x | x_i ~ N(a·x_i, s²·I). Bayes' rule weights the points by
//   w_i ∝ exp(−|x − a·x_i|² / 2s²)
// and gives E[x0 | x] = Σ w_i·x_i and E[ε | x] = Σ w_i·(x − a·x_i)/s (ε the noise in x = a·x0 + s·ε).
// DDPM's forward process is a = √ᾱ, s = √(1 − ᾱ); flow matching's path is a = 1 − t, s = t.
//
// Why float64 and this form: as the noise vanishes the logits are distances over 2s² (2e-4 at
// the first DDPM step, 2e-6 at flow's t = 0.001), so any rounding in a distance moves the
// weights between neighbouring points. The difference is taken as (x − x_i) + (1 − a)·x_i with
// 1 − a given by the caller to full precision (not recomputed from a rounded a), and E[ε | x] is formed in
// float64, where x − a·E[x0 | x] loses nothing a small s could make visible (in float32 it lost
// 1e-7·|x|, divided by s = 0.01 at the first DDPM step).
// The data sets these serve are small (up to 10,000 points), and plain loops over them run about
// as fast as tfjs's float32 matMul form did on the wasm backend (d = 2 is unrolled).

/**
 * E[x0 | x] and E[ε | x] for every row of x [n, d] (flat), given data [m, d] (flat, float64),
 * a, oneMinusA = 1 − a (to full precision) and s > 0.
 */
export function mixturePosterior(data: Float64Array, x: ArrayLike<number>, d: number, a: number, oneMinusA: number, s: number): { x0: Float64Array; eps: Float64Array } {
  if (!(s > 0)) throw new Error(`mixturePosterior: the noise scale s = ${s} must be > 0`);
  if (Math.abs(1 - a - oneMinusA) > 1e-12) throw new Error(`mixturePosterior: oneMinusA = ${oneMinusA} is not 1 − a for a = ${a}`);
  if (!(Number.isInteger(d) && d >= 1) || data.length % d !== 0 || x.length % d !== 0) throw new Error(`mixturePosterior: lengths ${data.length} and ${x.length} are not multiples of d = ${d}`);
  const m = data.length / d;
  const n = x.length / d;
  const x0 = new Float64Array(n * d);
  const eps = new Float64Array(n * d);
  const logit = new Float64Array(m);
  const scale = 1 / (2 * s * s);
  const sum = new Float64Array(d);
  for (let r = 0; r < n; r++) {
    let max = -Infinity;
    if (d === 2) {
      // The common case, unrolled (about twice as fast).
      const px = x[2 * r];
      const py = x[2 * r + 1];
      for (let i = 0; i < m; i++) {
        const vx = data[2 * i];
        const vy = data[2 * i + 1];
        const ux = px - vx + oneMinusA * vx; // x − a·x_i
        const uy = py - vy + oneMinusA * vy;
        const l = -(ux * ux + uy * uy) * scale;
        logit[i] = l;
        if (l > max) max = l;
      }
    } else {
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
    }
    // Weights e^(l − max), skipping those below e^−80 (< 1e-34 of the largest, which is 1).
    const floor = max - 80;
    let z = 0;
    sum.fill(0);
    for (let i = 0; i < m; i++) {
      const l = logit[i];
      if (l < floor) continue;
      const w = Math.exp(l - max);
      z += w;
      for (let j = 0; j < d; j++) sum[j] += w * data[i * d + j];
    }
    for (let j = 0; j < d; j++) {
      const mean = sum[j] / z;
      x0[r * d + j] = mean;
      // E[ε | x] = (x − a·E[x0 | x])/s = ((x − E[x0 | x]) + (1 − a)·E[x0 | x])/s: in float64 the
      // subtraction keeps ~1e-16·|x| absolute, far below what dividing by s can make visible.
      eps[r * d + j] = (x[r * d + j] - mean + oneMinusA * mean) / s;
    }
  }
  return { x0, eps };
}
