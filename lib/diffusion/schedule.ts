// Noise schedules. A schedule is just its numbers: β_t for t = 0..T−1 and
// ᾱ_t = ∏_{s ≤ t} (1 − β_s), the share of the signal's variance left after step t.
// ᾱ comes from the chapter-0 exercise (one source).
import { alphaBar } from './exercises';

export { alphaBar };

export interface Schedule {
  T: number;
  betas: Float32Array;
  alphaBar: Float32Array;
}

/** A schedule from its betas (each in [0, 1)). */
export function fromBetas(betas: ArrayLike<number>): Schedule {
  const T = betas.length;
  if (T < 1) throw new Error('schedule: need at least one beta');
  for (let t = 0; t < T; t++) {
    if (!(betas[t] >= 0 && betas[t] < 1)) throw new Error(`schedule: beta[${t}] = ${betas[t]} is outside [0, 1)`);
  }
  return { T, betas: Float32Array.from(betas), alphaBar: alphaBar(betas) };
}

/** DDPM's schedule: β rises linearly from beta0 to beta1 over T steps. */
export function linearSchedule(T = 1000, beta0 = 1e-4, beta1 = 0.02): Schedule {
  if (!(Number.isInteger(T) && T >= 1)) throw new Error(`linearSchedule: T must be a positive integer, got ${T}`);
  if (!(beta0 >= 0 && beta1 < 1 && beta0 <= beta1)) throw new Error(`linearSchedule: need 0 ≤ beta0 ≤ beta1 < 1, got ${beta0}, ${beta1}`);
  const betas = new Float64Array(T);
  for (let t = 0; t < T; t++) betas[t] = T === 1 ? beta0 : beta0 + ((beta1 - beta0) * t) / (T - 1);
  return fromBetas(betas);
}

/**
 * Nichol & Dhariwal's cosine schedule: ᾱ(t) = f(t)/f(0), f(t) = cos²(((t/T + offset)/(1 + offset))·π/2),
 * so ᾱ falls slowly at both ends (the small offset keeps β_0 from being tiny).
 * β_t = 1 − ᾱ_t/ᾱ_{t−1}, clipped at maxBeta.
 */
export function cosineSchedule(T = 1000, offset = 0.008, maxBeta = 0.999): Schedule {
  if (!(Number.isInteger(T) && T >= 1)) throw new Error(`cosineSchedule: T must be a positive integer, got ${T}`);
  const f = (t: number) => Math.cos((((t / T) + offset) / (1 + offset)) * (Math.PI / 2)) ** 2;
  const betas = new Float64Array(T);
  for (let t = 0; t < T; t++) betas[t] = Math.min(1 - f(t + 1) / f(t), maxBeta);
  return fromBetas(betas);
}

/** Throw unless t is an integer timestep in [0, T). */
export function checkT(schedule: Schedule, t: number, fn = 'diffusion'): void {
  if (!(Number.isInteger(t) && t >= 0 && t < schedule.T)) throw new Error(`${fn}: timestep t = ${t} is outside [0, ${schedule.T}) or not an integer`);
}

/** ᾱ at timestep t, with ᾱ_{−1} = 1 (clean data) so the last reverse step lands on x_0. */
export function alphaBarAt(schedule: Schedule, t: number): number {
  if (t === -1) return 1;
  checkT(schedule, t, 'alphaBarAt');
  return schedule.alphaBar[t];
}

/**
 * `count` timesteps spread evenly over [0, T), largest first: the step lists that DDIM
 * walks (T−1 always included, 0 always last).
 */
export function timesteps(schedule: Schedule, count = schedule.T): number[] {
  if (!(Number.isInteger(count) && count >= 1 && count <= schedule.T)) throw new Error(`timesteps: count must be an integer in [1, ${schedule.T}], got ${count}`);
  if (count === 1) return [schedule.T - 1];
  const out: number[] = [];
  for (let i = 0; i < count; i++) out.push(Math.round(((schedule.T - 1) * (count - 1 - i)) / (count - 1)));
  return out;
}

/** Throw unless steps is a non-empty, strictly decreasing list of timesteps in [0, T). */
export function checkSteps(schedule: Schedule, steps: number[], fn = 'diffusion'): void {
  if (!Array.isArray(steps) || steps.length === 0) throw new Error(`${fn}: steps must be a non-empty array of timesteps`);
  steps.forEach((t, i) => {
    if (!(Number.isInteger(t) && t >= 0 && t < schedule.T)) throw new Error(`${fn}: steps[${i}] = ${t} is outside [0, ${schedule.T}) or not an integer`);
    if (i > 0 && !(t < steps[i - 1])) throw new Error(`${fn}: steps must strictly decrease, but steps[${i - 1}] = ${steps[i - 1]} and steps[${i}] = ${t}`);
  });
}
