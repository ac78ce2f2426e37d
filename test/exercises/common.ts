// Independent references the public exercise tests share: plain JS on plain arrays.
import { tensor } from '../../lib/exercise/spec';

/** DDPM's linear schedule, by hand: β_t and ᾱ_t for t = 0..999. */
export const T = 1000;
export const betas = Array.from({ length: T }, (_, t) => 1e-4 + ((0.02 - 1e-4) * t) / (T - 1));
export const abar: number[] = [];
betas.reduce((p, b, t) => ((abar[t] = p * (1 - b)), abar[t]), 1);

/** A [rows, flat.length / rows] float tensor input. */
export function t2(flat: ArrayLike<number>, rows: number) {
  return tensor(flat, [rows, flat.length / rows]);
}

export const fmt = (x: number) => Number(x.toPrecision(4));
