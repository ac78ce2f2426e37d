// Adam over a list of variables.
import * as tf from '@tensorflow/tfjs';

export interface AdamOptions {
  lr?: number;
  beta1?: number;
  beta2?: number;
  eps?: number;
}

export interface Adam {
  /** Apply one update from gradients (same order as params); lr overrides the default. */
  step(grads: tf.Tensor[], lr?: number): void;
  dispose(): void;
}

export function adam(params: tf.Variable[], opts: AdamOptions = {}): Adam {
  const { beta1 = 0.9, beta2 = 0.999, eps = 1e-8 } = opts;
  const lr0 = opts.lr ?? 1e-3;
  // Made inside tidy: a variable keeps its data, the initial tensor is freed.
  const m = params.map((p) => tf.tidy(() => tf.variable(tf.zerosLike(p), false)));
  const v = params.map((p) => tf.tidy(() => tf.variable(tf.zerosLike(p), false)));
  let t = 0;
  return {
    step(grads, lr = lr0) {
      if (grads.length !== params.length) throw new Error(`adam: ${grads.length} gradients for ${params.length} parameters`);
      t++;
      // Bias corrections folded into the step size.
      const a = (lr * Math.sqrt(1 - beta2 ** t)) / (1 - beta1 ** t);
      tf.tidy(() => {
        params.forEach((p, i) => {
          const g = grads[i];
          m[i].assign(tf.add(tf.mul(m[i], beta1), tf.mul(g, 1 - beta1)));
          v[i].assign(tf.add(tf.mul(v[i], beta2), tf.mul(tf.square(g), 1 - beta2)));
          p.assign(tf.sub(p, tf.mul(a, tf.div(m[i], tf.add(tf.sqrt(v[i]), eps)))));
        });
      });
    },
    dispose() {
      m.forEach((x) => x.dispose());
      v.forEach((x) => x.dispose());
    },
  };
}
