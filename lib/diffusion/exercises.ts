// The exercises of chapters 0 and 2–4 as lib uses them. Each name forwards to the learner's
// function once it passed check(), and to the reference until then (lib/exercise/registry).
import { dispatch } from '../exercise/registry';

export const alphaBar = dispatch('basics/alphaBar');
export const forwardSample = dispatch('diffusion/forwardSample');
export const ddpmStep = dispatch('diffusion/ddpmStep');
export const ddimStep = dispatch('diffusion/ddimStep');
export const eulerStep = dispatch('diffusion/eulerStep');
export const energyDistance = dispatch('diffusion/energyDistance');
