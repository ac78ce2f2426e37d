// Chapter 1: a tiny CLIP trained on captioned handwritten digits.
export { similarityMatrix, contrastiveLoss, zeroShotClassify } from './exercises';
export { checkMatrix, checkRows, checkPair, checkFinite } from './checks';
export { l2normalize, cosineSimilarity } from './normalize';
export { logitScale, logLogitScaleVariable, MAX_LOGIT_SCALE, INITIAL_LOGIT_SCALE } from './temperature';
export { clipLogits, clipLoss } from './loss';
export {
  inkMass, slant, quantile, measureDigits, attributeThresholds, attributesOf, describeDigits, THICKNESSES, SLANTS,
  type Attributes, type AttributeThresholds, type Thickness, type Slant,
} from './attributes';
export {
  DIGIT_WORDS, THICKNESS_WORDS, SLANT_WORDS, CAPTION_TEMPLATES, ZERO_SHOT_TEMPLATES,
  digitNames, prompt, randomCaption, fullCaption, captionVocabulary, splitWords,
} from './captions';
export { tokenizer, type Tokenizer, type TokenizeOptions } from './tokenizer';
export { createClip, DEFAULT_CLIP_CONFIG, type Clip, type ClipConfig } from './model';
export { fitClip, trainClip, clipTrainOptions, captionedBatches, type ClipTrainOptions, type ClipTraining, type ClipTrainState } from './train';
export {
  imagesTensor, zeroShotPrompts, zeroShot, zeroShotAccuracy, recallAtK, firstRelevantRank, retrieval, allFullCaptions,
  searchImages, searchCaptions, type RetrievalResult,
} from './evaluate';
export { saveClip, loadClip, CLIP_WEIGHTS } from './io';
export { demoBatch, similarityHeatmap, wrapCaption, captionGrid, searchGrid, captionImages, meanOfBest, confusionMatrix, type DemoBatch } from './demo';
