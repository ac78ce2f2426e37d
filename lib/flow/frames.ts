// One trajectory, two coordinate frames. A DDPM point x = √ᾱ·x0 + √(1 − ᾱ)·ε divided by
// s = √ᾱ + √(1 − ᾱ) is the flow point (1 − τ)·x0 + τ·ε at τ = √(1 − ᾱ)/s (noiseLevel.ts). The
// factor s lies between 1 and √2, so a path's length and straightness (chord / length) change
// from one frame to the other: compare samplers' paths only in one frame. Going back, a flow
// point at τ times s = 1/√((1 − τ)² + τ²) is the DDPM point of the same noise level.
import type { Schedule } from '../diffusion/schedule';
import { Trajectory, trajectory } from '../diffusion/trajectory';

function rescaled(tr: Trajectory, times: number[], scales: number[]): Trajectory {
  const out = trajectory(tr.points);
  out.dim = tr.dim;
  out.times.push(...times);
  out.frames.push(...tr.frames.map((f, i) => Float32Array.from(f, (v) => v * scales[i])));
  return out;
}

/**
 * A sampler's path recorded in DDPM coordinates (times = timesteps, −1 = clean, as lib/diffusion's
 * samplers report them) in flow coordinates: each frame divided by √ᾱ + √(1 − ᾱ), its time τ.
 */
export function ddpmToFlowFrame(tr: Trajectory, schedule: Schedule): Trajectory {
  const ab = tr.times.map((t) => {
    if (!(Number.isInteger(t) && t >= -1 && t < schedule.T)) throw new Error(`ddpmToFlowFrame: frame time ${t} is not a timestep in −1 … ${schedule.T - 1}`);
    return t === -1 ? 1 : schedule.alphaBar[t];
  });
  const s = ab.map((a) => Math.sqrt(a) + Math.sqrt(1 - a));
  return rescaled(tr, ab.map((a, i) => Math.sqrt(1 - a) / s[i]), s.map((v) => 1 / v));
}

/** A flow path (times τ ∈ [0, 1]) in DDPM coordinates: each frame times 1/√((1 − τ)² + τ²). */
export function flowToDdpmFrame(tr: Trajectory): Trajectory {
  tr.times.forEach((t) => {
    if (!(t >= 0 && t <= 1)) throw new Error(`flowToDdpmFrame: frame time ${t} is outside [0, 1]`);
  });
  return rescaled(tr, tr.times, tr.times.map((t) => 1 / Math.hypot(1 - t, t)));
}
