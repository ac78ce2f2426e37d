/**
 * Exponential moving average with bias correction (as TensorBoard's smoothing):
 *   s_t = β·s_{t−1} + (1 − β)·x_t,  s_0 = 0,  ŝ_t = s_t / (1 − β^t)
 * The correction removes the pull towards 0 at the start. β in [0, 1): 0 is no smoothing;
 * β = 1 − 1/k averages over about the last k values.
 */
export function ema(values: ArrayLike<number>, beta: number): Float64Array {
  if (!(beta >= 0 && beta < 1)) throw new Error(`ema: beta must be in [0, 1), got ${beta}`);
  const out = new Float64Array(values.length);
  let s = 0;
  let w = 1;
  for (let i = 0; i < values.length; i++) {
    const x = values[i];
    if (!Number.isFinite(x)) throw new Error(`ema: non-finite value at index ${i} (${x})`);
    s = beta * s + (1 - beta) * x;
    w *= beta;
    out[i] = s / (1 - w);
  }
  return out;
}
