// A separately trained digit classifier that judges what the tiny unCLIP drew: an MLP on
// 14×14 images, trained on the training digits, its accuracy measured on held-out ones.
import * as tf from '@tensorflow/tfjs';
import { valuesOf } from '../values';
import { mlp, Mlp, train, TrainState } from '../nn';
import { Seed, toRng } from '../random';
import { SMALL_PIXELS } from './images';

export interface DigitClassifier {
  net: Mlp;
  /** Predicted digit for each 14×14 image in [0, 1] (flat n×196). */
  predict(images: Float32Array): Int32Array;
  /** Class probabilities, flat n×10. */
  probabilities(images: Float32Array): Float32Array;
  dispose(): void;
}

export function digitClassifier(seed: Seed, hidden: number[] = [256]): DigitClassifier {
  const net = mlp([SMALL_PIXELS, ...hidden, 10], seed, 'classifier');
  const logits = (images: Float32Array) => {
    if (images.length % SMALL_PIXELS !== 0) throw new Error(`classifier: ${images.length} values is not a whole number of 14×14 images`);
    return net.apply(tf.tensor2d(images, [images.length / SMALL_PIXELS, SMALL_PIXELS]));
  };
  return {
    net,
    predict(images) {
      return valuesOf<'int32'>(() => tf.argMax(logits(images), 1));
    },
    probabilities(images) {
      return valuesOf(() => tf.softmax(logits(images))) as Float32Array;
    },
    dispose: () => net.dispose(),
  };
}

export interface ClassifierTraining {
  states: TrainState[];
  seconds: number;
}

/** Cross-entropy training on images (n×196 in [0, 1]) and labels, seeded batches, progress bar. */
export async function trainClassifier(
  c: DigitClassifier,
  images: Float32Array,
  labels: Int32Array,
  opts: { steps: number; batch?: number; lr?: number; seed: Seed; progress?: boolean; label?: string },
): Promise<ClassifierTraining> {
  const n = labels.length;
  if (images.length !== n * SMALL_PIXELS) throw new Error(`trainClassifier: ${images.length} pixel values for ${n} labels (need ${n}×196)`);
  labels.forEach((l, i) => {
    if (!(Number.isInteger(l) && l >= 0 && l <= 9)) throw new Error(`trainClassifier: label ${i} is ${l}, not a digit 0..9`);
  });
  const B = opts.batch ?? 128;
  const g = toRng(opts.seed);
  const x = new Float32Array(B * SMALL_PIXELS);
  const y = new Int32Array(B);
  const t0 = performance.now();
  const states = await train(
    c.net.params,
    () => {
      for (let b = 0; b < B; b++) {
        const i = g.int(n);
        x.set(images.subarray(i * SMALL_PIXELS, (i + 1) * SMALL_PIXELS), b * SMALL_PIXELS);
        y[b] = labels[i];
      }
      const logits = c.net.apply(tf.tensor2d(x, [B, SMALL_PIXELS]));
      return tf.losses.softmaxCrossEntropy(tf.oneHot(tf.tensor1d(y, 'int32'), 10), logits) as tf.Scalar;
    },
    { steps: opts.steps, lr: opts.lr ?? 1e-3, lrSchedule: 'cosine', label: opts.label ?? 'classifier', progress: opts.progress },
  );
  return { states, seconds: (performance.now() - t0) / 1000 };
}

/** Share of images whose predicted digit equals the label. */
export function accuracy(c: DigitClassifier, images: Float32Array, labels: Int32Array): number {
  const p = c.predict(images);
  let k = 0;
  p.forEach((v, i) => (k += v === labels[i] ? 1 : 0));
  return k / labels.length;
}
