// The one interface flow samplers take: a velocity field v̂(x_t, t), t ∈ [0, 1] the same for the batch.
import * as tf from '@tensorflow/tfjs';

/** Predicted velocity for a batch x_t [n, d] at one time t ∈ [0, 1]. */
export type VelocityModel = (xt: tf.Tensor2D, t: number) => tf.Tensor2D;

/** Throw unless t is a number in [0, 1]. */
export function checkTime(t: number, fn: string): void {
  if (!(typeof t === 'number' && t >= 0 && t <= 1)) throw new Error(`${fn}: time t = ${t} is outside [0, 1]`);
}

/** Throw unless x and y are [n, d] batches of the same shape. */
export function checkSameShape(x: tf.Tensor, y: tf.Tensor, fn: string, xName: string, yName: string): void {
  if (x.rank !== 2 || x.shape[0] < 1) throw new Error(`${fn}: ${xName} must be a batch of shape [n, d], got [${x.shape}]`);
  if (x.shape.join() !== y.shape.join()) throw new Error(`${fn}: ${xName} has shape [${x.shape}] but ${yName} has [${y.shape}]`);
}

/** Call a VelocityModel and check its answer has the batch's shape. */
export function callVelocity(v: VelocityModel, xt: tf.Tensor2D, t: number, fn = 'flowSample'): tf.Tensor2D {
  const out = v(xt, t);
  if (!out || out.rank !== 2 || out.shape.join() !== xt.shape.join()) {
    throw new Error(`${fn}: the VelocityModel returned shape [${out?.shape}] for x_t of shape [${xt.shape}] at t = ${t}`);
  }
  return out;
}
