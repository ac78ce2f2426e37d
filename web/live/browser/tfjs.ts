// What the browser bundle gets for '@tensorflow/tfjs' (build.ts aliases it here): tfjs-core's
// ops plus the two registrations @tensorflow/tfjs's own index makes, chained ops (x.any(), …,
// which lib uses) and gradients; without tfjs-layers, -converter and -data, which lib does not use.
import '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
export * from '@tensorflow/tfjs-core';
