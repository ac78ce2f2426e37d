// A multilayer perceptron: dense layers with ReLU between them, linear output.
import * as tf from '@tensorflow/tfjs';
import { Seed, toRng } from '../random';
import { DenseParams, dense, denseInit } from './dense';

export interface Mlp {
  sizes: number[];
  layers: DenseParams[];
  /** All trainable variables, in order. */
  params: tf.Variable[];
  apply(x: tf.Tensor2D): tf.Tensor2D;
  dispose(): void;
}

let made = 0;

export function mlp(sizes: number[], seed: Seed, name = 'mlp'): Mlp {
  if (sizes.length < 2 || sizes.some((s) => !(Number.isInteger(s) && s > 0))) {
    throw new Error(`mlp: sizes must be ≥ 2 positive integers, got [${sizes}]`);
  }
  const g = toRng(seed);
  // tfjs variable names are global: number each model so two never clash.
  const id = `${name}#${made++}`;
  const layers = sizes.slice(1).map((out, i) => denseInit(sizes[i], out, g, `${id}/${i}`));
  return {
    sizes,
    layers,
    params: layers.flatMap((l) => [l.w, l.b]),
    apply(x) {
      let h = x;
      layers.forEach((l, i) => {
        h = dense(h, l, i < layers.length - 1 ? 'relu' : 'linear');
      });
      return h;
    },
    dispose() {
      layers.forEach((l) => (l.w.dispose(), l.b.dispose()));
    },
  };
}

/** Copy the weights out (for saving) and back in (for loading). */
export function getWeights(params: tf.Variable[]): { shape: number[]; values: number[] }[] {
  return params.map((p) => ({ shape: p.shape, values: Array.from(p.dataSync()) }));
}

export function setWeights(params: tf.Variable[], weights: { shape: number[]; values: number[] }[]): void {
  if (weights.length !== params.length) throw new Error(`setWeights: ${weights.length} arrays for ${params.length} parameters`);
  params.forEach((p, i) => {
    if (weights[i].shape.join() !== p.shape.join()) throw new Error(`setWeights: parameter ${i} has shape [${p.shape}], saved [${weights[i].shape}]`);
    p.assign(tf.tensor(weights[i].values, p.shape));
  });
}
