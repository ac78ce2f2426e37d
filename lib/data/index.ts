// Data sets of the course.
export { spiral, spiralAngle, type SpiralOptions } from './spiral';
export { count, columns, rows, split } from './points';
export { loadDigits, subset, digitImage, DIGIT_SIZE, DIGIT_PIXELS, DIGITS_SPLIT, type Digits } from './mnist';
export { spiralClasses, pointsOfClass, type LabelledPoints } from './spiralClasses';
export { moons } from './moons';
export { gaussianMixture } from './gaussianMixture';
export { checkerboard } from './checkerboard';
export { trainHeldOut } from './heldOut';
