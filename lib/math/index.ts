export { exactAlphaBar, exactNoiseVariance } from './exact';
export { mixturePosterior } from './mixturePosterior';
