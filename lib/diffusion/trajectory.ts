// A sampler's path, kept on request: the positions of the first `points` points of the batch
// at every time the sampler visits (the start included). Pass one to a sampler as `record`, or
// feed any sampler's onStep to add() after adding the start by hand.
import * as tf from '@tensorflow/tfjs';

export interface Trajectory {
  /** How many points of the batch are kept (Infinity = all). */
  readonly points: number;
  /** The time of each frame, in the sampler's own units (timesteps, −1 = clean; or flow time t ∈ [0, 1]). */
  times: number[];
  /** Frame i: flat [k, d] positions at times[i]. */
  frames: Float32Array[];
  /** Coordinates per point (known after the first frame). */
  dim: number;
  /** Record the batch x at time t (copies the first `points` rows). */
  add: (t: number, x: tf.Tensor2D) => void;
}

export function trajectory(points = Infinity): Trajectory {
  if (!(points === Infinity || (Number.isInteger(points) && points >= 1))) throw new Error(`trajectory: points must be a positive integer (or Infinity), got ${points}`);
  const tr: Trajectory = {
    points,
    times: [],
    frames: [],
    dim: 0,
    add: (t, x) => {
      if (x.rank !== 2) throw new Error(`trajectory: need a batch of shape [n, d], got [${x.shape}]`);
      const [n, d] = x.shape;
      if (tr.frames.length > 0 && (d !== tr.dim || Math.min(n, points) * d !== tr.frames[0].length)) {
        throw new Error(`trajectory: frame of shape [${x.shape}] does not match the first frame (${tr.frames[0].length / tr.dim} points × ${tr.dim})`);
      }
      const k = Math.min(n, points);
      const all = x.dataSync() as Float32Array;
      tr.dim = d;
      tr.times.push(t);
      tr.frames.push(Float32Array.from(all.subarray(0, k * d)));
    },
  };
  return tr;
}
