/**
 * The energy distance between two point sets a (n points) and b (m points), each a flat
 * row-major array of d-dimensional points:
 *
 *   D = 2·E|X − Y| − E|X − X'| − E|Y − Y'|,
 *
 * X, X' drawn from a and Y, Y' from b, |·| the Euclidean length. Average the cross term over
 * all n·m pairs and each within-set term over pairs of distinct points (n(n − 1) ordered pairs),
 * so two samples of the same distribution give D ≈ 0. D is 0 only when the distributions agree.
 * Throw an error naming the set and the problem if a length is not a multiple of d or a set has
 * fewer than 2 points: "energyDistance: b has length 3, not a multiple of d = 2",
 * "energyDistance: a has 1 point, need at least 2".
 *
 * Hint: three double loops, with a helper for the distance between point i of one set and point j of another.
 */
export function energyDistance(a: Float32Array, b: Float32Array, d = 2): number {
  // BEGIN SOLUTION
  for (const [name, p] of [['a', a], ['b', b]] as const) {
    if (p.length % d !== 0) throw new Error(`energyDistance: ${name} has length ${p.length}, not a multiple of d = ${d}`);
    if (p.length / d < 2) throw new Error(`energyDistance: ${name} has ${p.length / d} point${p.length / d === 1 ? '' : 's'}, need at least 2`);
  }
  const n = a.length / d;
  const m = b.length / d;
  const dist = (p: Float32Array, i: number, q: Float32Array, j: number) => {
    let s = 0;
    for (let c = 0; c < d; c++) {
      const diff = p[i * d + c] - q[j * d + c];
      s += diff * diff;
    }
    return Math.sqrt(s);
  };
  const within = (p: Float32Array, k: number) => {
    let s = 0;
    for (let i = 0; i < k; i++) for (let j = i + 1; j < k; j++) s += dist(p, i, p, j);
    return (2 * s) / (k * (k - 1));
  };
  let cross = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) cross += dist(a, i, b, j);
  return (2 * cross) / (n * m) - within(a, n) - within(b, m);
  // END SOLUTION
}
