// Generated from solutions/ by `npm run exercises`: write your code where it says TODO.
import { Seed, toRng } from '../../lib/random';

/**
 * Condition dropout: which rows of a training batch keep their condition.
 *
 * Returns a Float32Array of n entries, 1 = keep the row's condition, 0 = replace it
 * by the learned null condition. Draw exactly one uniform u_i from `toRng(seed)` for
 * each row i = 0, 1, …, n − 1, in order, and drop row i when u_i < p. Training on
 * such batches teaches one model both predictions that guidance needs: with the
 * condition and without it.
 *
 * The checks are given: a bad n or p is an error naming the value.
 *
 * Hint: make one generator from toRng(seed), then call its uniform() once per row.
 */
export function conditionDropout(n: number, p: number, seed: Seed): Float32Array {
  if (!(Number.isInteger(n) && n >= 0)) throw new Error(`conditionDropout: n must be a non-negative integer, got ${n}`);
  if (!(p >= 0 && p <= 1)) throw new Error(`conditionDropout: drop probability p must be in [0, 1], got ${p}`);
  // TODO: your code here
  throw new Error('not implemented: conditionDropout');
}
