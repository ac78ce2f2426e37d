// Where flow time t sits on diffusion's noise scale. x_t = (1 − t)·x0 + t·ε has noise-to-signal
// ratio t/(1 − t); a DDPM point √ᾱ·x0 + √(1 − ᾱ)·ε has σ = √((1 − ᾱ)/ᾱ). Equal ratios, same
// noise level: σ = t/(1 − t), and then x_flow = x_ddpm/(√ᾱ + √(1 − ᾱ)) (both ODEs carry the same
// marginals up to this rescaling; only the time variable and the integrator differ).
import { Schedule } from '../diffusion/schedule';
import { stepsAtNoiseLevels } from '../diffusion/spacing';
import { checkTime } from './model';
import { flowTimes } from './flowTimes';

/** σ = t/(1 − t) (Infinity at t = 1). */
export function flowNoiseLevel(t: number): number {
  checkTime(t, 'flowNoiseLevel');
  return t === 1 ? Infinity : t / (1 - t);
}

/**
 * The k DDIM timesteps at the noise levels that k evenly spaced Euler flow steps start from
 * (t = 1, 1 − 1/k, …, 1/k); DDIM's last step then goes to clean data as the flow's goes to t = 0.
 */
export function matchedSteps(schedule: Schedule, k: number): number[] {
  return stepsAtNoiseLevels(schedule, flowTimes(k).slice(0, -1).map(flowNoiseLevel));
}
