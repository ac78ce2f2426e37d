// Steering generation: a conditional denoiser with a learned null condition, trained
// with condition dropout; classifier-free guidance and negative prompts as functions
// over noise predictors; a guided DDIM step; measures for the labelled spiral.
export { conditionalDenoiser, type ConditionalDenoiser, type DenoiserOptions, type DenoiserTarget, type EpsModel, type Condition } from './denoiser';
export { timeEmbedding } from '../diffusion/timeEmbedding';
export { trainDenoiser, type TrainDenoiserOptions, type TrainDenoiserResult, type ConditionalData, type Checkpoint } from './train';
export { saveDenoiser, loadDenoiser, setDenoiserWeights, type SavedDenoiser } from './io';
export { cfg, negativePrompt, guide, type GuideOptions } from './combine';
export { guidedSample } from './sample';
export { nearestLabel, share } from './metrics';
export { checkScale } from './checkScale';
export { bayesClassifier, type BayesClassifier } from './bayes';
export { conditionGap, type GapPair, type GapRow } from './gap';
export { exactClassifierGuidance } from './exactClassifierGuidance';
// The exercises: the learner's checked functions, else the reference (lib/exercise/registry).
export { cfgCombine, classifierGuidedEps, conditionDropout, guidedDdimStep } from './exercises';
export {
  trainSpiralGuidance, loadSpiralGuidance, saveSpiralGuidance, guidedSamples, guidanceSweep, negativeShares, GUIDANCE_WEIGHTS, GUIDANCE_RECIPE,
  type SpiralGuidance, type SpiralGuidanceOptions, type GuidedSamplesOptions, type SweepRow, type NegativeShares,
} from './spiral';
