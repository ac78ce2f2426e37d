import { normals } from '../../../lib/random';
import { exercise, names, near, ok, test, valuesOf, mention } from '../../../lib/exercise/spec';

export default exercise('diffusion/energyDistance', 'energyDistance', [
  test(2, 'matches a direct computation on a small example', async (t) => {
    const d = (p: number[], q: number[]) => Math.hypot(p[0] - q[0], p[1] - q[1]);
    const A = [[0, 0], [1, 0], [0, 2]];
    const B = [[3, 0], [3, 1]];
    let xy = 0;
    A.forEach((p) => B.forEach((q) => (xy += d(p, q) / 6)));
    const xx = (2 * (d(A[0], A[1]) + d(A[0], A[2]) + d(A[1], A[2]))) / 6;
    const yy = (2 * d(B[0], B[1])) / 2;
    near(await t.call(Float32Array.from(A.flat()), Float32Array.from(B.flat())), 2 * xy - xx - yy, { tol: 1e-6, what: 'D', given: 'A = (0,0), (1,0), (0,2); B = (3,0), (3,1)' });
  }),
  test(1, 'is near 0 for two samples of one distribution and grows with a shift', async (t) => {
    const a = normals(11, 1000);
    const b = normals(12, 1000);
    const same = valuesOf(await t.call(a, b))[0];
    ok(Math.abs(same) < 0.01, `D of two samples of N(0, 1) should be near 0, got ${same.toPrecision(4)}`);
    const shifted = valuesOf(await t.call(a, b.map((v) => v + 1)))[0];
    ok(shifted > 0.3, `D should grow when one sample is shifted by 1, got ${shifted.toPrecision(4)}`);
  }),
  test(1, 'works in d dimensions', async (t) => {
    const a = Float32Array.from([0, 0, 0, 1, 1, 1]);
    const b = Float32Array.from([0, 0, 1, 1, 1, 2]);
    const d3 = Math.hypot(1, 1, 1);
    const cross = (1 + Math.hypot(1, 1, 2) + Math.hypot(1, 1, 0) + 1) / 4;
    near(await t.call(a, b, 3), 2 * cross - d3 - d3, { tol: 1e-6, what: 'D', given: 'd = 3' });
  }),
  test(1, 'rejects lengths that are not a multiple of d, or fewer than 2 points', async (t) => {
    const b = Float32Array.from([0, 0, 1, 1]);
    names(await t.throws(Float32Array.from([1, 2, 3]), b), 'energyDistance', [mention(/multiple/, 'that the length is not a "multiple" of d')], 'a of length 3 with d = 2');
    names(await t.throws(Float32Array.from([1, 2]), b), 'energyDistance', [mention(/at least 2/, 'that a set needs "at least 2" points')], 'a with one point');
    names(await t.throws(b, Float32Array.from([1, 2, 3])), 'energyDistance', [mention(/\bb\b/, 'the argument b'), mention(/multiple/, 'that the length is not a "multiple" of d')], 'b of length 3 with d = 2');
  }),
]);
