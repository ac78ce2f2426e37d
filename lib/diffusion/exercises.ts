// The exercises of chapters 0 and 2–4 as lib uses them. Each name forwards to the learner's
// function once it passed check(), and to the reference until then (lib/exercise/registry).
import { dispatch } from '../exercise/registry';

export const alphaBar = dispatch('basics/alphaBar');
export const forwardSample = dispatch('diffusion/forwardSample');
export const ddpmStep = dispatch('diffusion/ddpmStep');
export const ddimStep = dispatch('diffusion/ddimStep');
export const eulerStep = dispatch('diffusion/eulerStep');
export const energyDistance = dispatch('diffusion/energyDistance');
// Chapter 3's: the training loss on a batch (trainEps), the whole DDPM sampler (sample with
// every step and η = 1), the exact denoiser of a finite data set (idealEps).
export const epsLoss = dispatch('diffusion/epsLoss');
export const sampleLoop = dispatch('diffusion/sampleLoop');
export const idealDenoiser = dispatch('diffusion/idealDenoiser');
// Chapter 6's: the noise an x̂0 prediction implies (x̂0 from ε̂ is predictX0, lib/diffusion/predict.ts).
export const epsFromX0 = dispatch('unclip/epsFromX0');
