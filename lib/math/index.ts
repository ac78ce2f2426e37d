export { exactAlphaBar, exactNoiseVariance } from './exact';
