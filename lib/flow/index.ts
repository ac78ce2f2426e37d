// Flow matching on points: the straight path from data to noise, the velocity target and loss,
// the velocity network and its training, Euler and Heun samplers, and the way back to ε̂ and x̂0;
// paths compared in one frame on one grid, the network against the exact marginal field, and reflow.
export { type VelocityModel, callVelocity, checkTime } from './model';
export { flowPath } from './path';
export { velocityTarget, eulerFlowStep } from './exercises';
export { flowLoss } from './flowLoss';
export { x0FromVelocity } from './x0FromVelocity';
export { epsFromVelocity } from './epsFromVelocity';
export { flowTimes, checkTimes } from './flowTimes';
export { flowNoiseLevel, matchedSteps } from './noiseLevel';
export { epsModelFromVelocity } from './epsModelFromVelocity';
export { idealVelocity } from './idealVelocity';
export { heunFlowStep } from './heunFlowStep';
export { flowSample, type FlowSampleOptions } from './flowSample';
export { velocityNet, saveVelocityNet, loadVelocityNet, type VelocityNet, type VelocityNetOptions } from './net';
export { trainFlow, trainFlowLoop, type TrainFlowOptions } from './train';
export { FLOW_RECIPE, trainFlowSpiral, trainFlowSpiralLoop, loadFlowSpiralNet } from './spiral';
export { MOONS_RECIPE, moonsRecipeRows, moonsData, trainFlowMoons, loadFlowMoonsNet } from './moons';
export { trajectory, type Trajectory } from '../diffusion/trajectory';
export { REFLOW_RECIPE, reflowPairs, copyVelocityNet, trainReflowLoop, trainReflow, loadReflowSpiralNet, type ReflowOptions, type ReflowPairs } from './reflow';
export { ddpmToFlowFrame, flowToDdpmFrame } from './frames';
export { marginalVelocityCheck, type MarginalRow } from './marginalVelocity';
export { pathsOnOneGrid, type PathsOnOneGrid } from './pathsOnOneGrid';
