// Train / held-out splits for the toy point sets.
import { Seed, permutation } from '../random';
import { split } from './points';

/** Split flat d-dimensional points into train and held-out parts (heldOut points) by a seeded shuffle. */
export function trainHeldOut(points: Float32Array, heldOut: number, seed: Seed, d = 2): { train: Float32Array; test: Float32Array } {
  if (points.length % d !== 0) throw new Error(`trainHeldOut: length ${points.length} is not a multiple of d = ${d}`);
  return split(points, d, heldOut, permutation(seed, points.length / d));
}
