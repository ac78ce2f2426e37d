import { normals } from '../../../lib/random';
import { exercise, advice, names, near, ok, tensor, test, shape, value, VerdictError } from '../../../lib/exercise/spec';
import { named, t2, termOff } from '../common';

const x0 = normals(1, 8);
const e = normals(2, 8);

export default exercise('diffusion/forwardSample', 'forwardSample', [
  test(2, 'computes √ᾱ·x0 + √(1 − ᾱ)·ε for one ᾱ', async (t) => {
    const want = Array.from(x0, (v, i) => Math.sqrt(0.3) * v + Math.sqrt(0.7) * e[i]);
    try {
      near(await t.call(t2(x0, 4), t2(e, 4), 0.3), want, { shape: [4, 2], what: 'x_t', given: 'ᾱ = 0.3; x0, ε [4, 2] of standard normals' });
    } catch (err) {
      const terms = [{ name: 'the coefficient of x0, √ᾱ,', want: Math.sqrt(0.3) }, { name: 'the coefficient of ε, √(1 − ᾱ),', want: Math.sqrt(0.7) }];
      throw new VerdictError((err as Error).message + (await termOff(([a, b]) => t.call(a, b, 0.3), terms, 'ᾱ = 0.3')));
    }
  }),
  test(2, 'uses one ᾱ per row from a column [n, 1]', async (t) => {
    const ab = [0.9, 0.5, 0.1, 0.01];
    const want = Array.from(x0, (v, i) => Math.sqrt(ab[i >> 1]) * v + Math.sqrt(1 - ab[i >> 1]) * e[i]);
    near(await t.call(t2(x0, 4), t2(e, 4), tensor(ab, [4, 1])), want, { shape: [4, 2], what: 'x_t', given: 'ᾱ per row = [0.9, 0.5, 0.1, 0.01]; x0, ε [4, 2] of standard normals' });
  }),
  test(1, 'rejects mismatched shapes, naming them', async (t) => {
    names(await t.throws(t2(x0, 4), t2(e.subarray(0, 6), 3), 0.5), 'forwardSample', [shape([4, 2]), shape([3, 2])], 'x0 [4, 2] with ε [3, 2]');
  }),
  test(1, 'rejects ᾱ outside (0, 1], naming the value', async (t) => {
    names(await t.throws(t2(x0, 4), t2(e, 4), 1.5), 'forwardSample', [value(1.5)], 'ᾱ = 1.5');
    names(await t.throws(t2(x0, 4), t2(e, 4), 0), 'forwardSample', [named(0)], 'ᾱ = 0');
  }),
  test(1, 'rejects an ᾱ column that does not have one row per point, naming both shapes', async (t) => {
    names(await t.throws(t2(x0, 4), t2(e, 4), tensor([0.5, 0.5], [2, 1])), 'forwardSample', [shape([2, 1]), shape([4, 1])], 'ᾱ column [2, 1] for x0 [4, 2]');
  }),
  test(1, 'rejects ᾱ values outside (0, 1] in the column, naming the row and value', async (t) => {
    names(await t.throws(t2(x0, 4), t2(e, 4), tensor([0.5, 1.5, 0.5, 0.5], [4, 1])), 'forwardSample', [value(1.5)], 'ᾱ column with 1.5 in row 1');
  }),
  advice('leaves no tensors behind', async (t) => {
    await t.call(t2(x0, 4), t2(e, 4), tensor([0.9, 0.5, 0.1, 0.01], [4, 1]));
    ok(t.leaked === 0, `forwardSample left ${t.leaked} tensor(s) alive: wrap the work in tf.tidy`);
  }),
]);
