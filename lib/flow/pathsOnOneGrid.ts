// Three samplers' paths from the same noise, in one frame on one grid, so that their straightness
// compares: the flow network with Euler, the ε-network with DDIM, and the exact velocity of the
// training set (idealVelocity) with Euler. The grid is matchedSteps: the DDPM timesteps at the
// noise levels of k even flow steps. DDIM visits those timesteps; read in flow coordinates
// (ddpmToFlowFrame) they are flow times τ_0 > τ_1 > … > 0, and the two Euler samplers visit the
// same τs, starting from the same point (the noise divided by √ᾱ + √(1 − ᾱ) at the first step).
// Since a DDIM step is an Euler step in flow coordinates (chapter 7), all three are one method on
// one grid: what differs between their paths is the field each one follows.
import * as tf from '@tensorflow/tfjs';
import type { EpsModel } from '../diffusion/eps';
import type { Schedule } from '../diffusion/schedule';
import { sample } from '../diffusion/sample';
import { Trajectory, trajectory } from '../diffusion/trajectory';
import type { VelocityModel } from './model';
import { flowSample } from './flowSample';
import { matchedSteps } from './noiseLevel';
import { ddpmToFlowFrame } from './frames';

export interface PathsOnOneGrid {
  /** The flow times visited, τ_0 … 0 (the frames' times). */
  times: number[];
  /** Each sampler's path in flow coordinates. */
  flow: Trajectory;
  eps: Trajectory;
  ideal: Trajectory;
}

export function pathsOnOneGrid(models: { velocity: VelocityModel; eps: EpsModel; ideal: VelocityModel }, x1: tf.Tensor2D, schedule: Schedule, k: number): PathsOnOneGrid {
  const steps = matchedSteps(schedule, k);
  const ddim = trajectory();
  ddim.add(steps[0], x1);
  sample(models.eps, x1, schedule, { steps, eta: 0, seed: 0, onStep: ddim.add }).dispose();
  const eps = ddpmToFlowFrame(ddim, schedule);
  const times = eps.times;
  const ab = schedule.alphaBar[steps[0]];
  const start = tf.div(x1, Math.sqrt(ab) + Math.sqrt(1 - ab)) as tf.Tensor2D; // DDIM's start, in flow coordinates
  const run = (v: VelocityModel) => {
    const tr = trajectory();
    flowSample(v, start, { steps: times, record: tr }).dispose();
    return tr;
  };
  try {
    return { times, flow: run(models.velocity), eps, ideal: run(models.ideal) };
  } finally {
    start.dispose();
  }
}
