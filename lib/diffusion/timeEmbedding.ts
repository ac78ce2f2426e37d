// Sinusoidal embedding of integer diffusion steps t ∈ [0, T): the denoiser sees
// sin and cos of t at geometrically spaced frequencies, so nearby steps look alike.

/** Rows [sin(t·f_k)…, cos(t·f_k)…] with f_k = 10000^(−k/(dim/2)), flat n×dim. */
export function timeEmbedding(ts: ArrayLike<number>, dim: number): Float32Array {
  if (!(Number.isInteger(dim) && dim > 0 && dim % 2 === 0)) throw new Error(`timeEmbedding: dim must be a positive even integer, got ${dim}`);
  const half = dim / 2;
  const freqs = Array.from({ length: half }, (_, k) => Math.exp((-Math.log(10000) * k) / half));
  const out = new Float32Array(ts.length * dim);
  for (let i = 0; i < ts.length; i++) {
    const t = ts[i];
    for (let k = 0; k < half; k++) {
      out[i * dim + k] = Math.sin(t * freqs[k]);
      out[i * dim + half + k] = Math.cos(t * freqs[k]);
    }
  }
  return out;
}

/** The embedding of every step 0..T−1 as one flat T×dim table (row t = timeEmbedding([t], dim)). */
export function timeTable(T: number, dim: number): Float32Array {
  if (!(Number.isInteger(T) && T > 0)) throw new Error(`timeTable: T must be a positive integer, got ${T}`);
  return timeEmbedding(Array.from({ length: T }, (_, t) => t), dim);
}
