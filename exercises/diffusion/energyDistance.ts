// Generated from solutions/ by `npm run exercises`: write your code where it says TODO.
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
  // TODO: your code here
  throw new Error('not implemented: energyDistance');
}
