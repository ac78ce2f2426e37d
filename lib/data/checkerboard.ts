// Points uniform on the dark squares of a checkerboard over [−1, 1]².
import { Seed, toRng } from '../random';

/** n points on the squares (i, j) with i + j even of a `cells`×`cells` board on [−1, 1]². Flat [x0, y0, …]. */
export function checkerboard(n: number, seed: Seed, opts: { cells?: number } = {}): Float32Array {
  if (!(Number.isInteger(n) && n > 0)) throw new Error(`checkerboard: n must be a positive integer, got ${n}`);
  const cells = opts.cells ?? 4;
  if (!(Number.isInteger(cells) && cells >= 2)) throw new Error(`checkerboard: cells must be an integer ≥ 2, got ${cells}`);
  const g = toRng(seed);
  const w = 2 / cells;
  const out = new Float32Array(2 * n);
  for (let p = 0; p < n; p++) {
    // Pick a row, then a column of the right parity in that row.
    const i = g.int(cells);
    const j = 2 * g.int(Math.ceil((cells - (i % 2)) / 2)) + (i % 2);
    out[2 * p] = -1 + w * (j + g.uniform());
    out[2 * p + 1] = -1 + w * (i + g.uniform());
  }
  return out;
}
