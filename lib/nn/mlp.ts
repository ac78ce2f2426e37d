// A multilayer perceptron: dense layers with ReLU between them, linear output.
// apply() records the whole network as one gradient node (forward: one fused kernel per
// layer; backward: lib/nn/dense's hand-written layer gradients in reverse), so autodiff
// bookkeeping is paid once per network, not once per layer.
import * as tf from '@tensorflow/tfjs';
import { Seed, toRng } from '../random';
import { Activation, DenseParams, checkDenseInput, denseBackward, denseForward, denseInit } from './dense';

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
  const L = layers.length;
  const acts: Activation[] = layers.map((_, i) => (i < L - 1 ? 'relu' : 'linear'));
  // inputs: x, w0, b0, w1, b1, …; saved: x, w0, w1, …, h1, h2, …, y.
  const net = tf.customGrad(((...args: unknown[]) => {
    const save = args[args.length - 1] as tf.GradSaveFunc;
    const x = args[0] as tf.Tensor2D;
    const ws = layers.map((_, i) => args[1 + 2 * i] as tf.Tensor2D);
    const hs: tf.Tensor2D[] = [x];
    for (let i = 0; i < L; i++) hs.push(denseForward(hs[i], ws[i], args[2 + 2 * i] as tf.Tensor1D, acts[i]));
    save([...ws, ...hs]);
    return {
      value: hs[L],
      gradFunc: (dy: tf.Tensor2D, saved: tf.Tensor[]) => {
        const sw = saved.slice(0, L) as tf.Tensor2D[];
        const sh = saved.slice(L) as tf.Tensor2D[];
        const grads: tf.Tensor[] = new Array(1 + 2 * L);
        let d = dy;
        for (let i = L - 1; i >= 0; i--) {
          const [dx, dw, db] = denseBackward(d, sh[i], sw[i], sh[i + 1], acts[i]);
          grads[1 + 2 * i] = dw;
          grads[2 + 2 * i] = db;
          d = dx!;
        }
        grads[0] = d;
        return grads;
      },
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  const params = layers.flatMap((l) => [l.w, l.b]);
  return {
    sizes,
    layers,
    params,
    apply(x) {
      checkDenseInput(x, layers[0], 'mlp');
      return net(x, ...params) as tf.Tensor2D;
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
