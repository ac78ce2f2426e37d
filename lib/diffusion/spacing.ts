// Step spacing by noise level. σ = √((1 − ᾱ)/ᾱ) is the noise level of the rescaled point x/√ᾱ
// (the variable in which the probability-flow ODE reads dx̄/dσ = ε̂). Karras et al. 2022 space
// the steps evenly in σ^(1/ρ): ρ = 1 evenly in σ, larger ρ crowds the steps at low noise, where
// the data's detail is decided (their default ρ = 7). The σ's are then mapped to the nearest timestep.
import { Schedule } from './schedule';

/** σ = √((1 − ᾱ)/ᾱ) for ᾱ ∈ (0, 1]. */
export function noiseLevel(alphaBar: number): number {
  if (!(alphaBar > 0 && alphaBar <= 1)) throw new Error(`noiseLevel: alphaBar = ${alphaBar} is outside (0, 1]`);
  return Math.sqrt((1 - alphaBar) / alphaBar);
}

/**
 * The timesteps at the given noise levels: each σ_i (strictly decreasing, > 0; Infinity = the
 * noisiest step) goes to the timestep with the nearest log σ; where two land on one timestep the
 * later moves one step down, so the list stays strictly decreasing (and ends at 0 at the latest).
 */
export function stepsAtNoiseLevels(schedule: Schedule, sigmas: number[]): number[] {
  const T = schedule.T;
  const count = sigmas.length;
  if (!(count >= 1 && count <= T)) throw new Error(`stepsAtNoiseLevels: need between 1 and ${T} noise levels, got ${count}`);
  sigmas.forEach((v, i) => {
    if (!(v > 0)) throw new Error(`stepsAtNoiseLevels: sigmas[${i}] = ${v} is not > 0`);
    if (i > 0 && !(v < sigmas[i - 1])) throw new Error(`stepsAtNoiseLevels: sigmas must strictly decrease, but sigmas[${i - 1}] = ${sigmas[i - 1]} and sigmas[${i}] = ${v}`);
  });
  const logSigma = Array.from(schedule.alphaBar, (ab) => Math.log(noiseLevel(ab)));
  const out: number[] = [];
  let t = T - 1; // σ increases with t, the targets decrease: walk down from the top
  for (let i = 0; i < count; i++) {
    const target = Math.log(sigmas[i]);
    if (Number.isFinite(target)) while (t > 0 && Math.abs(logSigma[t - 1] - target) <= Math.abs(logSigma[t] - target)) t--;
    // Strictly below the previous step, and leave room for the steps still to come.
    out.push(Math.max(Math.min(t, i === 0 ? T - 1 : out[i - 1] - 1), count - 1 - i));
  }
  return out;
}

/**
 * `count` strictly decreasing timesteps from T−1 to 0 whose noise levels are spaced as
 * σ_i = (σ_max^(1/ρ) + i/(count − 1)·(σ_min^(1/ρ) − σ_max^(1/ρ)))^ρ, σ_max = σ_{T−1}, σ_min = σ_0,
 * each at the nearest timestep (stepsAtNoiseLevels).
 */
export function sigmaSteps(schedule: Schedule, count: number, opts: { rho?: number } = {}): number[] {
  const T = schedule.T;
  if (!(Number.isInteger(count) && count >= 1 && count <= T)) throw new Error(`sigmaSteps: count must be an integer in [1, ${T}], got ${count}`);
  const rho = opts.rho ?? 7;
  if (!(rho > 0 && Number.isFinite(rho))) throw new Error(`sigmaSteps: rho must be a finite number > 0, got ${rho}`);
  if (count === 1) return [T - 1];
  const hi = noiseLevel(schedule.alphaBar[T - 1]) ** (1 / rho);
  const lo = noiseLevel(schedule.alphaBar[0]) ** (1 / rho);
  const sigmas = Array.from({ length: count }, (_, i) => (hi + (i / (count - 1)) * (lo - hi)) ** rho);
  // Rounding can make neighbours equal when ρ is large and count is close to T; keep them strictly decreasing.
  for (let i = 1; i < count; i++) if (!(sigmas[i] < sigmas[i - 1])) sigmas[i] = sigmas[i - 1] * (1 - 1e-12);
  return stepsAtNoiseLevels(schedule, sigmas);
}
