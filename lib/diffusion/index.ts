// Diffusion on points: schedules, the forward process, the noise predictor, samplers, metrics.
export { type Schedule, linearSchedule, cosineSchedule, fromBetas, alphaBar, alphaBarAt, timesteps, checkT, checkSteps } from './schedule';
export { type EpsModel, callEps, idealEps } from './eps';
export { forwardSample, randomWalk, jumpTo, type WalkOptions } from './forward';
export { ddpmStep } from '../../solutions/diffusion/ddpmStep';
export { ddimStep } from '../../solutions/diffusion/ddimStep';
export { eulerStep } from '../../solutions/diffusion/eulerStep';
export { sample, odeSample, ddimInvert, heunStep, type SampleOptions, type OdeOptions } from './sample';
export { timeEmbedding, timeTable } from './timeEmbedding';
export { epsNet, saveEpsNet, loadEpsNet, type EpsNet, type EpsNetOptions } from './net';
export { trainEps, trainEpsLoop, type TrainEpsOptions } from './train';
export { energyDistance, rmsRadius, coverage, quality, histogram, radii, type Quality } from './metrics';
export { vectorField, fieldAlignment, grid, type FieldOptions, type Alignment } from './field';
export { targetVariance, type TargetVariance } from './variance';
export { spiralSetup, trainSpiral, trainSpiralLoop, loadSpiralNet, SPIRAL_RECIPE, type SpiralSetup } from './spiral';
