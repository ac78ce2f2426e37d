// Two samplers from one noise predictor, written in the log-noise time λ = −log ᾱ (λ = 0 is clean
// data; in λ the forward process is dx = −½x dλ + dW):
//   reverse SDE           dx = [−½x − ∇log p] dλ + dW̄   (Euler–Maruyama: one Gaussian kick per step)
//   probability-flow ODE  dx = [−½x − ½∇log p] dλ       (Euler: no noise)
// Fokker–Planck: both carry the same marginals p_t, so at every t their samples agree in
// distribution while each path differs. Stepping from λ_t down to λ_s, Δ = λ_t − λ_s > 0:
//   SDE: x_s = x_t + (½x_t + score)·Δ + √Δ·z      ODE: x_s = x_t + (½x_t + ½score)·Δ
// with score = −ε̂/√(1 − ᾱ_t). (odeSample integrates the same ODE in DDIM's variables, which is
// exact for a straight-line ε̂ and so far better at few steps; these first-order steps are for the comparison.)
import * as tf from '@tensorflow/tfjs';
import { Seed, randn, toRng } from '../random';
import { EpsModel, callEps, checkBatch } from './eps';
import { Schedule, alphaBarAt, checkSteps } from './schedule';
import { scoreFromEps } from './score';
import type { Trajectory } from './trajectory';

export interface SdeOptions {
  /** Strictly decreasing timesteps (default T−1, …, 0); the last step goes on to clean data (−1). */
  steps?: number[];
  /** Keeps the start and every step (times: timesteps, −1 = clean). */
  record?: Trajectory;
  onStep?: (t: number, x: tf.Tensor2D) => void;
}

function run(fn: string, eps: EpsModel, xT: tf.Tensor2D, schedule: Schedule, opts: SdeOptions, step: (x: tf.Tensor2D, score: tf.Tensor2D, delta: number, last: boolean) => tf.Tensor2D): tf.Tensor2D {
  checkBatch(xT, fn);
  const steps = opts.steps ?? Array.from({ length: schedule.T }, (_, i) => schedule.T - 1 - i);
  checkSteps(schedule, steps, fn);
  opts.record?.add(steps[0], xT);
  let x = xT;
  for (let i = 0; i < steps.length; i++) {
    const t = steps[i];
    const s = i + 1 < steps.length ? steps[i + 1] : -1;
    const delta = Math.log(alphaBarAt(schedule, s)) - Math.log(schedule.alphaBar[t]);
    const next = tf.tidy(() => step(x, scoreFromEps(callEps(eps, x, t, fn), schedule.alphaBar[t]), delta, s < 0));
    if (x !== xT) x.dispose();
    x = next;
    opts.record?.add(s, x);
    opts.onStep?.(s, x);
  }
  return x;
}

/** The reverse SDE by Euler–Maruyama, from x_T (left alone) to clean data; no kick on the last step to clean data (as DDPM). */
export function reverseSde(eps: EpsModel, xT: tf.Tensor2D, schedule: Schedule, opts: SdeOptions & { seed: Seed }): tf.Tensor2D {
  const g = toRng(opts.seed);
  return run('reverseSde', eps, xT, schedule, opts, (x, score, delta, last) => {
    const drift = tf.add(x, tf.mul(tf.add(tf.mul(x, 0.5), score), delta));
    return (last ? drift : tf.add(drift, tf.mul(randn(g, x.shape), Math.sqrt(delta)))) as tf.Tensor2D;
  });
}

/** The probability-flow ODE by Euler steps in λ, from x_T (left alone) to clean data. Deterministic. */
export function probabilityFlow(eps: EpsModel, xT: tf.Tensor2D, schedule: Schedule, opts: SdeOptions = {}): tf.Tensor2D {
  return run('probabilityFlow', eps, xT, schedule, opts, (x, score, delta) => tf.add(x, tf.mul(tf.add(x, score), 0.5 * delta)) as tf.Tensor2D);
}
