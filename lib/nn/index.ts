// The course's small, fast layers and optimiser: every chapter's model is built from these.
export { dense, denseInit, type DenseParams, type Activation } from './dense';
export { mlp, getWeights, setWeights, type Mlp } from './mlp';
export { adam, type Adam, type AdamOptions, type Grad } from './adam';
export { gradsOnKernels, GradInHeap } from './tape';
export { trainLoop, train, runToEnd, defaultTape, type TrainOptions, type TrainState } from './train';
