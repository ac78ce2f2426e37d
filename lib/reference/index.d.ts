// Generated from solutions/ by `npm run exercises`: the reference functions' declarations.

export { alphaBar } from './basics/alphaBar';
export { contrastiveLoss } from './clip/contrastiveLoss';
export { similarityMatrix } from './clip/similarityMatrix';
export { zeroShotClassify } from './clip/zeroShot';
export { ddimStep } from './diffusion/ddimStep';
export { ddpmStep } from './diffusion/ddpmStep';
export { energyDistance } from './diffusion/energyDistance';
export { eulerStep } from './diffusion/eulerStep';
export { forwardSample } from './diffusion/forwardSample';
export { cfgCombine } from './guidance/cfgCombine';
export { conditionDropout } from './guidance/conditionDropout';
export { guidedDdimStep } from './guidance/guidedDdimStep';
export { negativeCombine } from './guidance/negativeCombine';
/** Each exercise's reference function, by exercise id. */
export declare const byId: {
  'basics/alphaBar': typeof import('./basics/alphaBar').alphaBar;
  'clip/contrastiveLoss': typeof import('./clip/contrastiveLoss').contrastiveLoss;
  'clip/similarityMatrix': typeof import('./clip/similarityMatrix').similarityMatrix;
  'clip/zeroShot': typeof import('./clip/zeroShot').zeroShotClassify;
  'diffusion/ddimStep': typeof import('./diffusion/ddimStep').ddimStep;
  'diffusion/ddpmStep': typeof import('./diffusion/ddpmStep').ddpmStep;
  'diffusion/energyDistance': typeof import('./diffusion/energyDistance').energyDistance;
  'diffusion/eulerStep': typeof import('./diffusion/eulerStep').eulerStep;
  'diffusion/forwardSample': typeof import('./diffusion/forwardSample').forwardSample;
  'guidance/cfgCombine': typeof import('./guidance/cfgCombine').cfgCombine;
  'guidance/conditionDropout': typeof import('./guidance/conditionDropout').conditionDropout;
  'guidance/guidedDdimStep': typeof import('./guidance/guidedDdimStep').guidedDdimStep;
  'guidance/negativeCombine': typeof import('./guidance/negativeCombine').negativeCombine;
};
