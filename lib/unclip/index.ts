// Chapter 6: a tiny unCLIP. Text → CLIP text embedding → guided denoising of 14×14 digits,
// judged by a separately trained digit classifier.
export { SMALL_SIZE, SMALL_PIXELS, downsample, upsample, toSigned, fromSigned } from './images';
export { digitClassifier, trainClassifier, accuracy, type DigitClassifier, type ClassifierTraining } from './classifier';
export {
  trainUnclip, generate, clipX0, makeUnclip, captionEmbeddings, unclipSchedule,
  type Unclip, type UnclipOptions, type UnclipTraining, type GenerateOptions,
} from './decoder';
export { unclipDenoiser, type UnclipDenoiserOptions } from './denoiser';
export { wordsRead } from './wordsRead';
export { slantStudy, SLANT_SETTINGS, type SlantSetting, type SlantRow } from './slantStudy';
export { slantShares, type SlantShares } from './slantShares';
export { buildUnclip, promptAccuracy, digitPrompt, measureImages, mean, UNCLIP_DEFAULTS, type UnclipRecipe, type UnclipBuild, type PromptAccuracy } from './experiment';
export { saveUnclip, loadUnclip, UNCLIP_WEIGHTS } from './io';
