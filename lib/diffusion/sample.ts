// Sampling: run the noising process backwards. One update covers everything
// (smalldiffusion-style): ddimStep with η interpolating between
//   η = 1, every step       → DDPM's ancestral sampler (ν² = DDPM's posterior variance β̃_t),
//   η = 0                   → deterministic DDIM = Euler on the probability-flow ODE,
// on any strictly decreasing list of timesteps. ν is the std of a step's fresh noise (σ is kept
// for the noise level √((1 − ᾱ)/ᾱ) of the ODE below). noise: false drops the ν·z term
// (DDPM "with the noise removed"). Chapter 3's sampler, every step with η = 1, runs the
// chapter-3 exercises sampleLoop and, inside it, ddpmStep (the same update, written as DDPM
// writes it), so a learner's loop and step draw chapter 3's samples.
import * as tf from '@tensorflow/tfjs';
import { Seed, randn, toRng } from '../random';
import { ddimStep, eulerStep, sampleLoop } from './exercises';
import { EpsModel, callEps, checkBatch } from './eps';
import { Schedule, alphaBarAt, checkSteps } from './schedule';

export interface SampleOptions {
  /** Strictly decreasing timesteps to visit (default T−1, …, 0: every step). */
  steps?: number[];
  /** 1 = DDPM-like noise, 0 = deterministic DDIM; in [0, 1] (default 1). */
  eta?: number;
  /** Seed of the step noise z. */
  seed: Seed;
  /** false: leave the fresh-noise term ν·z out (default true). */
  noise?: boolean;
  /** Called after each step with the new timestep (−1 = the end) and the batch (valid until the next step). */
  onStep?: (t: number, x: tf.Tensor2D) => void;
}

/** Every step with η = 1: DDPM's own update (ddpmStep) rather than the general ddimStep. */
function isDdpm(schedule: Schedule, steps: number[], eta: number): boolean {
  return eta === 1 && steps.length === schedule.T && steps.every((t, i) => t === schedule.T - 1 - i);
}

function allSteps(s: Schedule): number[] {
  return Array.from({ length: s.T }, (_, i) => s.T - 1 - i);
}

/** From x_T (pure noise) down to x_0. Returns a new tensor; xT is left alone. */
export function sample(eps: EpsModel, xT: tf.Tensor2D, schedule: Schedule, opts: SampleOptions): tf.Tensor2D {
  checkBatch(xT, 'sample');
  const steps = opts.steps ?? allSteps(schedule);
  checkSteps(schedule, steps, 'sample');
  const eta = opts.eta ?? 1;
  if (!(typeof eta === 'number' && eta >= 0 && eta <= 1)) throw new Error(`sample: eta = ${eta} is outside [0, 1]`);
  const noisy = (opts.noise ?? true) && eta > 0;
  const g = toRng(opts.seed);
  if (isDdpm(schedule, steps, eta)) return ddpmSample(eps, xT, schedule, g, noisy, opts.onStep);
  let x = xT;
  for (let i = 0; i < steps.length; i++) {
    const t = steps[i];
    const s = i + 1 < steps.length ? steps[i + 1] : -1;
    const next = tf.tidy(() => {
      const e = callEps(eps, x, t, 'sample');
      const z = noisy && s >= 0 ? (randn(g, x.shape) as tf.Tensor2D) : null;
      return ddimStep(x, e, schedule.alphaBar[t], alphaBarAt(schedule, s), eta, z);
    });
    if (x !== xT) x.dispose();
    x = next;
    opts.onStep?.(s, x);
  }
  return x === xT ? x.clone() : x;
}

/**
 * DDPM over every step, through chapter 3's exercise sampleLoop (which calls ddpmStep). The model
 * sees x_t at each t, so onStep reports x_t there (and x_0 at the end); the noise z_t is drawn in
 * the order t = T−1, …, 1, as the general loop above draws it.
 */
function ddpmSample(eps: EpsModel, xT: tf.Tensor2D, schedule: Schedule, g: ReturnType<typeof toRng>, noisy: boolean, onStep?: (t: number, x: tf.Tensor2D) => void): tf.Tensor2D {
  const T = schedule.T;
  const model = (x: tf.Tensor2D, t: number) => {
    if (t < T - 1) onStep?.(t, x);
    return callEps(eps, x, t, 'sample');
  };
  const noise = (t: number) => (noisy && t > 0 ? (randn(g, xT.shape) as tf.Tensor2D) : null);
  const x0 = sampleLoop(model, xT, schedule.betas, schedule.alphaBar, noise);
  checkBatch(x0, 'sample (sampleLoop returned)');
  if (x0.shape[0] !== xT.shape[0] || x0.shape[1] !== xT.shape[1]) throw new Error(`sample: sampleLoop returned shape [${x0.shape}] for x_T of shape [${xT.shape}]`);
  onStep?.(-1, x0);
  return x0;
}

export interface OdeOptions {
  steps?: number[];
  /** 'euler' (first order, = DDIM with η = 0) or 'heun' (second order, two model calls per step). */
  method?: 'euler' | 'heun';
  onStep?: (t: number, x: tf.Tensor2D) => void;
}

/**
 * One Heun step of the probability-flow ODE dx̄/dσ = ε̂ (x̄ = x/√ᾱ, noise level σ = √((1 − ᾱ)/ᾱ)) from t to s:
 * an Euler step, then average the slope at both ends. At s = −1 (σ = 0, no model there) it is Euler.
 */
export function heunStep(eps: EpsModel, x: tf.Tensor2D, schedule: Schedule, t: number, s: number): tf.Tensor2D {
  const abT = alphaBarAt(schedule, t);
  const abS = alphaBarAt(schedule, s);
  return tf.tidy(() => {
    const e = callEps(eps, x, t, 'heunStep');
    const xe = eulerStep(x, e, abT, abS);
    if (s < 0) return xe;
    const e2 = callEps(eps, xe, s, 'heunStep');
    return eulerStep(x, tf.mul(tf.add(e, e2), 0.5) as tf.Tensor2D, abT, abS);
  });
}

/** Integrate the probability-flow ODE from x_T to x_0 along the steps (deterministic). */
export function odeSample(eps: EpsModel, xT: tf.Tensor2D, schedule: Schedule, opts: OdeOptions = {}): tf.Tensor2D {
  checkBatch(xT, 'odeSample');
  const steps = opts.steps ?? allSteps(schedule);
  checkSteps(schedule, steps, 'odeSample');
  const method = opts.method ?? 'euler';
  if (method !== 'euler' && method !== 'heun') throw new Error(`odeSample: method must be 'euler' or 'heun', got '${method}'`);
  let x = xT;
  for (let i = 0; i < steps.length; i++) {
    const t = steps[i];
    const s = i + 1 < steps.length ? steps[i + 1] : -1;
    const next =
      method === 'heun'
        ? heunStep(eps, x, schedule, t, s)
        : tf.tidy(() => eulerStep(x, callEps(eps, x, t, 'odeSample'), alphaBarAt(schedule, t), alphaBarAt(schedule, s)));
    if (x !== xT) x.dispose();
    x = next;
    opts.onStep?.(s, x);
  }
  return x === xT ? x.clone() : x;
}

/**
 * Deterministic DDIM inversion: data → noise along the same steps, walked upwards.
 * Each step from s to t uses the η = 0 update with ε̂(x_s, t) in place of the unknown ε̂(x_t, t);
 * sampling the result with sample(..., { steps, eta: 0 }) returns close to x0.
 */
export function ddimInvert(eps: EpsModel, x0: tf.Tensor2D, schedule: Schedule, opts: { steps?: number[] } = {}): tf.Tensor2D {
  checkBatch(x0, 'ddimInvert');
  const steps = opts.steps ?? allSteps(schedule);
  checkSteps(schedule, steps, 'ddimInvert');
  let x = x0;
  for (let i = steps.length - 1; i >= 0; i--) {
    const t = steps[i];
    const s = i + 1 < steps.length ? steps[i + 1] : -1;
    const next = tf.tidy(() => ddimStep(x, callEps(eps, x, t, 'ddimInvert'), alphaBarAt(schedule, s), schedule.alphaBar[t], 0, null));
    if (x !== x0) x.dispose();
    x = next;
  }
  return x === x0 ? x.clone() : x;
}
