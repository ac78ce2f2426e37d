// Chapter 5's exercises as lib uses them: the learner's checked function, else the reference.
import { dispatch } from '../exercise/registry';

export const cfgCombine = dispatch('guidance/cfgCombine');
export const negativeCombine = dispatch('guidance/negativeCombine');
export const conditionDropout = dispatch('guidance/conditionDropout');
export const guidedDdimStep = dispatch('guidance/guidedDdimStep');
