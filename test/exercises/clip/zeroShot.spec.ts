import { normals } from '../../../lib/random';
import { advice, exercise, names, ok, same, show, tensor, test, shape, value, words } from '../../../lib/exercise/spec';
import { dot, rowsOf, unit } from '../common';

export default exercise('clip/zeroShot', 'zeroShotClassify', [
  test(2, 'picks the class whose ensembled prompts are most similar (plain-JS reference)', async (t) => {
    const [n, C, T, d] = [20, 3, 4, 6];
    const img = normals(7, n * d);
    const pr = normals(8, C * T * d).map((x, k) => x * (1 + (k % 5))); // prompts of very different lengths
    const got = await t.call(tensor(img, [n, d]), tensor(pr, [C, T, d]));
    ok(got instanceof Int32Array, `zeroShotClassify should return an Int32Array, got ${got?.constructor?.name ?? typeof got}`);
    ok(got.length === n, `zeroShotClassify should return one class per image (${n}), got ${got.length}`);
    const classes = Array.from({ length: C }, (_, c) => {
      const mean = new Array(d).fill(0);
      for (let k = 0; k < T; k++) unit(Array.from(pr.subarray((c * T + k) * d, (c * T + k + 1) * d))).forEach((x, j) => (mean[j] += x / T));
      return unit(mean);
    });
    rowsOf(img, n, d).forEach((r, i) => {
      const s = classes.map((c) => dot(unit(r), c));
      const want = s.indexOf(Math.max(...s));
      ok(got[i] === want, `image ${i} is labelled ${got[i]}, expected ${want} (cosine scores per class: ${s.map(show).join(', ')}; 20 images, 3 classes × 4 prompts, d = 6)`);
    });
  }),
  test(1, 'normalises each prompt before averaging (a long prompt does not outvote the others)', async (t) => {
    // Class 0: one very long prompt along x and two unit prompts along y; class 1: three along (1, 0.2).
    // Unit-then-average: class 0 ≈ (1, 2)/|.| points mostly along y, so an image along x is class 1.
    const prompts = tensor([100, 0, 0, 1, 0, 1, 1, 0.2, 1, 0.2, 1, 0.2], [2, 3, 2]);
    same(await t.call(tensor([1, 0, 0, 1], [2, 2]), prompts), [1, 0], {
      what: 'the labels',
      given: 'images (1, 0), (0, 1); class 0 prompts (100, 0), (0, 1), (0, 1); class 1 prompts 3 × (1, 0.2)',
    });
  }),
  test(1, 'breaks ties towards the first class', async (t) => {
    same(await t.call(tensor([1, 0, 0, -1], [2, 2]), tensor([1, 1, 2, 2, 1, -1, 3, -3], [2, 2, 2])), [0, 1], {
      what: 'the labels',
      given: 'image (1, 0) is equally close to class 0 (along (1, 1)) and class 1 (along (1, −1)); image (0, −1) is class 1',
    });
  }),
  test(1, 'rejects prompts of another embedding size or rank, naming the shapes', async (t) => {
    const img = tensor(new Array(8).fill(1), [2, 4]);
    names(await t.throws(img, tensor(new Array(30).fill(1), [3, 2, 5])), 'zeroShotClassify', [shape([3, 2, 5]), shape([2, 4])], 'imageEmb [2, 4] with promptEmb [3, 2, 5]');
    names(await t.throws(img, tensor(new Array(12).fill(1), [3, 4])), 'zeroShotClassify', [shape([3, 4])], 'promptEmb of shape [3, 4] (no templates axis)');
  }),
  test(1, 'rejects a zero or NaN image embedding, naming the row', async (t) => {
    const prompts = tensor([1, 0, 0, 1, 0, 1, 1, 0], [2, 2, 2]);
    names(await t.throws(tensor([1, 2, 0, 0], [2, 2]), prompts), 'zeroShotClassify', [words('row 1'), words('zero')], 'imageEmb = [[1, 2], [0, 0]]');
    names(await t.throws(tensor([NaN, 2, 3, 4], [2, 2]), prompts), 'zeroShotClassify', [words('row 0'), value(NaN)], 'imageEmb = [[NaN, 2], [3, 4]]');
  }),
  advice('leaves no tensors behind', async (t) => {
    await t.call(tensor(normals(7, 12), [2, 6]), tensor(normals(8, 36), [3, 2, 6]));
    ok(t.leaked === 0, `zeroShotClassify left ${t.leaked} tensor(s) alive: wrap the work in tf.tidy`);
  }),
]);
