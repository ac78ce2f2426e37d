// A dense layer y = act(x·W + b) whose backward pass uses plain matMuls on
// explicitly transposed operands: tfjs-wasm's matMul with transposeA/transposeB
// is 10–25× slower than a plain one, and autodiff of matMul uses exactly those.
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../random';

export type Activation = 'linear' | 'relu';

export interface DenseParams {
  w: tf.Variable; // [in, out]
  b: tf.Variable; // [out]
}

/** He-uniform weights (suits ReLU), zero bias, from a seeded generator. */
export function denseInit(inDim: number, outDim: number, g: Rng, name = 'dense'): DenseParams {
  const limit = Math.sqrt(6 / inDim);
  const w = new Float32Array(inDim * outDim);
  for (let i = 0; i < w.length; i++) w[i] = (2 * g.uniform() - 1) * limit;
  // Made inside tidy: a variable keeps its data, the initial tensor is freed.
  return tf.tidy(() => ({
    w: tf.variable(tf.tensor2d(w, [inDim, outDim]), true, `${name}/w`),
    b: tf.variable(tf.zeros([outDim]), true, `${name}/b`),
  }));
}

const denseGrad = {
  linear: tf.customGrad(((x: tf.Tensor, w: tf.Tensor, b: tf.Tensor, save: tf.GradSaveFunc) => {
    save([x, w]);
    return {
      value: tf.add(tf.matMul(x as tf.Tensor2D, w as tf.Tensor2D), b),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [xs, ws] = saved as tf.Tensor2D[];
        return [tf.matMul(dy as tf.Tensor2D, tf.transpose(ws)), tf.matMul(tf.transpose(xs), dy as tf.Tensor2D), tf.sum(dy, 0)];
      },
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]),
  relu: tf.customGrad(((x: tf.Tensor, w: tf.Tensor, b: tf.Tensor, save: tf.GradSaveFunc) => {
    const y = tf.relu(tf.add(tf.matMul(x as tf.Tensor2D, w as tf.Tensor2D), b));
    save([x, w, y]);
    return {
      value: y,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [xs, ws, ys] = saved as tf.Tensor2D[];
        const dz = tf.mul(dy, tf.step(ys)) as tf.Tensor2D;
        return [tf.matMul(dz, tf.transpose(ws)), tf.matMul(tf.transpose(xs), dz), tf.sum(dz, 0)];
      },
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]),
};

/** y = act(x·W + b) for x of shape [batch, in]. */
export function dense(x: tf.Tensor2D, p: DenseParams, activation: Activation = 'linear'): tf.Tensor2D {
  if (x.rank !== 2 || x.shape[1] !== p.w.shape[0]) {
    throw new Error(`dense: input shape [${x.shape}] does not match weights [${p.w.shape}] (need [batch, ${p.w.shape[0]}])`);
  }
  return denseGrad[activation](x, p.w, p.b) as tf.Tensor2D;
}
