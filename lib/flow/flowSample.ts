// Sampling a flow model: integrate dx/dt = v̂(x, t) from t = 1 (x_1 = pure noise) down to t = 0
// with Euler or Heun steps. Pass a Trajectory as `record` to keep the path.
import * as tf from '@tensorflow/tfjs';
import type { Trajectory } from '../diffusion/trajectory';
import { VelocityModel } from './model';
import { checkTimes, flowTimes } from './flowTimes';
import { eulerFlowStep } from './exercises';
import { heunFlowStep } from './heunFlowStep';

export interface FlowSampleOptions {
  /** Number of steps (evenly spaced from 1 to 0), or the strictly decreasing times to visit. Default 50. */
  steps?: number | number[];
  /** 'euler' (one model call per step) or 'heun' (two). Default 'euler'. */
  method?: 'euler' | 'heun';
  /** Keeps the start and every step. */
  record?: Trajectory;
  /** Called after each step with the new time and the batch (valid until the next step). */
  onStep?: (t: number, x: tf.Tensor2D) => void;
}

/** From x1 (a batch of noise, left alone) to samples at the last time (0 by default). Returns a new tensor. */
export function flowSample(v: VelocityModel, x1: tf.Tensor2D, opts: FlowSampleOptions = {}): tf.Tensor2D {
  if (x1.rank !== 2 || x1.shape[0] < 1) throw new Error(`flowSample: need a batch of noise of shape [n, d], got [${x1.shape}]`);
  const steps = opts.steps ?? 50;
  const times = typeof steps === 'number' ? flowTimes(steps) : steps;
  checkTimes(times, 'flowSample');
  const method = opts.method ?? 'euler';
  if (method !== 'euler' && method !== 'heun') throw new Error(`flowSample: method must be 'euler' or 'heun', got '${method}'`);
  const step = method === 'heun' ? heunFlowStep : eulerFlowStep;
  opts.record?.add(times[0], x1);
  let x = x1;
  for (let i = 1; i < times.length; i++) {
    const next = step(v, x, times[i - 1], times[i]);
    if (x !== x1) x.dispose();
    x = next;
    opts.record?.add(times[i], x);
    opts.onStep?.(times[i], x);
  }
  return x;
}
