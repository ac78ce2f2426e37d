// Generated from solutions/ by `npm run exercises`.
import { Seed } from '../../random';
/**
 * Condition dropout: which rows of a training batch keep their condition.
 *
 * Returns a Float32Array of n entries, 1 = keep the row's condition, 0 = replace it
 * by the learned null condition. Draw exactly one uniform u_i from `toRng(seed)` for
 * each row i = 0, 1, …, n − 1, in order, and drop row i when u_i < p. Training on
 * such batches teaches one model both predictions that guidance needs: with the
 * condition and without it.
 *
 * Hint: const g = toRng(seed); then g.uniform() once per row.
 */
export declare function conditionDropout(n: number, p: number, seed: Seed): Float32Array;
