// Chapter 5's exercises as lib uses them: the learner's checked function, else the reference.
import { dispatch } from '../exercise/registry';

export const cfgCombine = dispatch('guidance/cfgCombine');
// Classifier guidance from two exact denoisers (Bayes' rule and Tweedie's formula): the gradient step.
export const classifierGuidedEps = dispatch('guidance/classifierGuidedEps');
export const conditionDropout = dispatch('guidance/conditionDropout');
export const guidedDdimStep = dispatch('guidance/guidedDdimStep');
