// A flow model as a noise predictor, so DDPM/DDIM samplers can run it. A DDPM point
// x = √ᾱ·x0 + √(1 − ᾱ)·ε, divided by (√ᾱ + √(1 − ᾱ)), is the flow point (1 − τ)·x0 + τ·ε at
// τ = √(1 − ᾱ)/(√ᾱ + √(1 − ᾱ)); there ε̂ = x_τ + (1 − τ)·v̂(x_τ, τ) (epsFromVelocity).
// With it, a DDIM step re-mixes x̂0 and ε̂ exactly as an Euler flow step does.
import * as tf from '@tensorflow/tfjs';
import type { EpsModel } from '../diffusion/eps';
import { Schedule, checkT } from '../diffusion/schedule';
import { VelocityModel, callVelocity } from './model';
import { epsFromVelocity } from './epsFromVelocity';

export function epsModelFromVelocity(v: VelocityModel, schedule: Schedule): EpsModel {
  return (xt, t) => {
    checkT(schedule, t, 'epsModelFromVelocity');
    const a = Math.sqrt(schedule.alphaBar[t]);
    const b = Math.sqrt(1 - schedule.alphaBar[t]);
    const tau = b / (a + b);
    return tf.tidy(() => {
      const x = tf.div(xt, a + b) as tf.Tensor2D;
      return epsFromVelocity(x, callVelocity(v, x, tau, 'epsModelFromVelocity'), tau);
    });
  };
}
