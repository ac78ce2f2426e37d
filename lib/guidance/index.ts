// Steering generation: a conditional denoiser with a learned null condition, trained
// with condition dropout; classifier-free guidance and negative prompts as functions
// over noise predictors; a guided DDIM step; measures for the labelled spiral.
export { conditionalDenoiser, type ConditionalDenoiser, type DenoiserOptions, type EpsModel, type Condition } from './denoiser';
export { timeEmbedding } from '../diffusion/timeEmbedding';
export { trainDenoiser, type TrainDenoiserOptions, type TrainDenoiserResult, type ConditionalData, type NoiseSchedule } from './train';
export { cfg, negativePrompt, guide, type GuideOptions } from './combine';
export { guidedSample, ddimSample, ddimTimesteps, type GuidedSampleOptions } from './sample';
export { nearestLabel, share, spread, coverage, rmsRadius } from './metrics';
export { checkScale } from './checkScale';
// The exercises: the learner's checked functions, else the reference (lib/exercise/registry).
export { cfgCombine, negativeCombine, conditionDropout, guidedDdimStep } from './exercises';
export { trainSpiralGuidance, guidedSamples, guidanceSweep, negativeShares, type SpiralGuidance, type SpiralGuidanceOptions, type SweepRow, type NegativeShares } from './spiral';
