import { rng } from '../../../lib/random';
import { exercise, names, near, ok, same, test, valuesOf, value } from '../../../lib/exercise/spec';

/** The keep mask the seed gives, by hand: row i dropped when the i-th uniform is below p. */
const mask = (n: number, p: number, seed: number) => {
  const g = rng(seed);
  return Array.from({ length: n }, () => (g.uniform() < p ? 0 : 1));
};

/** A generator whose every draw is counted (it crosses to the learner's side as callbacks). */
function counted(seed: number) {
  const g = rng(seed);
  const c = { draws: 0, other: 0 };
  const gen = {
    uniform: () => (c.draws++, g.uniform()),
    normal: () => (c.other++, g.normal()),
    int: (k: number) => (c.other++, g.int(k)),
    seed: () => (c.other++, g.seed()),
  };
  return { gen, c };
}

export default exercise('guidance/conditionDropout', 'conditionDropout', [
  test(2, 'drops row i exactly when the i-th uniform of the seed is below p', async (t) => {
    const got = await t.call(200, 0.3, 42);
    ok(got instanceof Float32Array, `conditionDropout should return a Float32Array, got ${got?.constructor?.name ?? typeof got}`);
    same(got, mask(200, 0.3, 42), { what: 'keep', given: 'n = 200, p = 0.3, seed 42 (1 = keep, 0 = drop)' });
  }),
  test(1, 'drops about a share p of rows, none at p = 0 and all at p = 1', async (t) => {
    const keep = valuesOf(await t.call(20000, 0.2, 7));
    const dropped = keep.reduce((a, k) => a + (1 - k), 0) / keep.length;
    near(dropped, 0.2, { tol: 0.015, what: 'the share of rows dropped', given: 'n = 20000, p = 0.2, seed 7' });
    same(await t.call(50, 0, 1), new Array(50).fill(1), { what: 'keep', given: 'p = 0: keep every row' });
    same(await t.call(50, 1, 1), new Array(50).fill(0), { what: 'keep', given: 'p = 1: drop every row' });
  }),
  test(1, 'advances a shared generator by exactly one uniform per row', async (t) => {
    const { gen, c } = counted(5);
    same(await t.call(10, 0.5, gen), mask(10, 0.5, 5), { what: 'keep', given: 'n = 10, p = 0.5, a generator seeded 5' });
    ok(c.draws === 10 && c.other === 0, `conditionDropout drew ${c.draws} uniforms and ${c.other} other numbers from the generator for 10 rows; draw exactly one uniform per row`);
  }),
  test(1, 'still rejects a bad n or p (its own messages)', async (t) => {
    // The checks are given in the stub; this point is for keeping them while writing the loop.
    same(await t.call(4, 0.5, 3), mask(4, 0.5, 3), { what: 'keep', given: 'n = 4, p = 0.5, seed 3' });
    names(await t.throws(2.5, 0.5, 3), 'conditionDropout', [value(2.5)], 'n = 2.5');
    names(await t.throws(4, 1.5, 3), 'conditionDropout', [value(1.5)], 'p = 1.5');
    names(await t.throws(4, NaN, 3), 'conditionDropout', [value(NaN)], `p = NaN`);
  }),
]);
