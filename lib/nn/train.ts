// A generic training loop, smalldiffusion-style: it yields its state so the caller
// logs or plots. Seeded through the batch function, shows progress, leaks no tensors,
// and reads the loss back from the backend only when it reports.
import * as tf from '@tensorflow/tfjs';
import { adam, AdamOptions, Grad } from './adam';
import { gradsOnKernels } from './tape';
import { useKernels } from './wasm';
import { env as readEnv } from '../env';
import { progress } from '../progress';

export interface TrainOptions extends AdamOptions {
  steps: number;
  /** Learning-rate schedule: 'constant' or cosine decay to 0 over the run (not the noise schedule). */
  lrSchedule?: 'constant' | 'cosine';
  /** Report every this many steps (the loss is read back only then). */
  every?: number;
  label?: string;
  /** Show a progress bar (default true). */
  progress?: boolean;
  /**
   * Who records the gradient: 'kernels' (lib/nn's tape, ./tape.ts: tfjs differentiates the loss
   * as far as each lib/nn network's output, the networks' backward passes run on the kernels and
   * leave the weights' gradients in the heap for Adam) or 'tfjs' (tf.variableGrads: every
   * weight an input of tfjs's tape). Default: COURSE_TAPE, else 'kernels' where lib/nn runs on
   * its kernels. Both give the same numbers (test/nn/tape.test.ts).
   */
  tape?: 'kernels' | 'tfjs';
}

/** The default tape: COURSE_TAPE (kernels or tfjs), else 'kernels' where lib/nn uses its kernels. */
export function defaultTape(): 'kernels' | 'tfjs' {
  const env = readEnv('COURSE_TAPE');
  if (env === 'kernels' || env === 'tfjs') return env;
  if (env !== undefined) throw new Error(`COURSE_TAPE must be kernels or tfjs; got "${env}"`);
  return useKernels() ? 'kernels' : 'tfjs';
}

export interface TrainState {
  step: number;
  loss: number;
  stepsPerS: number;
  seconds: number;
}

/**
 * Minimise loss(step) over params with Adam. `loss` builds the batch for that step
 * (seeded by the caller) and returns a scalar; it runs inside tf.tidy.
 */
export async function* trainLoop(
  params: tf.Variable[],
  loss: (step: number) => tf.Scalar,
  opts: TrainOptions,
): AsyncGenerator<TrainState> {
  const { steps } = opts;
  if (!(Number.isInteger(steps) && steps > 0)) throw new Error(`train: steps must be a positive integer, got ${steps}`);
  if ('schedule' in opts) throw new Error("train: the option 'schedule' is now called 'lrSchedule' (the noise schedule is another idea)");
  const every = opts.every ?? Math.max(1, Math.floor(steps / 50));
  const lr0 = opts.lr ?? 1e-3;
  const tape = opts.tape ?? defaultTape();
  if (tape !== 'kernels' && tape !== 'tfjs') throw new Error(`train: tape must be 'kernels' or 'tfjs', got "${tape}"`);
  const opt = adam(params, opts);
  const bar = opts.progress === false ? null : progress(steps, { label: opts.label ?? 'train' });
  const t0 = performance.now();
  let last = NaN;
  try {
    for (let step = 1; step <= steps; step++) {
      const lr = opts.lrSchedule === 'cosine' ? 0.5 * lr0 * (1 + Math.cos((Math.PI * (step - 1)) / steps)) : lr0;
      const report = step % every === 0 || step === steps;
      let lossValue: tf.Scalar | null = null;
      tf.tidy(() => {
        let value: tf.Scalar, grads: (Grad | undefined)[];
        if (tape === 'kernels') ({ value, grads } = gradsOnKernels(() => loss(step), params));
        else {
          const r = tf.variableGrads(() => loss(step), params);
          (value = r.value), (grads = params.map((p) => r.grads[p.name]));
        }
        opt.step(grads as Grad[], lr);
        if (report) lossValue = tf.keep(value);
      });
      if (lossValue !== null) {
        const lv = lossValue as tf.Scalar;
        last = (await lv.data())[0];
        lv.dispose();
        if (!Number.isFinite(last)) throw new Error(`train: loss became ${last} at step ${step} (lr ${lr}); lower the learning rate`);
        const seconds = (performance.now() - t0) / 1000;
        const state = { step, loss: last, stepsPerS: step / seconds, seconds };
        await bar?.update(step, { loss: last });
        yield state;
      }
    }
    bar?.done({ loss: last });
  } finally {
    opt.dispose();
  }
}

/** Run trainLoop to the end; returns the loss curve it reported. */
export async function train(params: tf.Variable[], loss: (step: number) => tf.Scalar, opts: TrainOptions): Promise<TrainState[]> {
  const states: TrainState[] = [];
  for await (const s of trainLoop(params, loss, opts)) states.push(s);
  return states;
}

/**
 * Run a model's training loop (one that yields its state with the network) to the end: the
 * network it made and the loss curve. Every chapter's train-to-the-end helper is this.
 */
export async function runToEnd<N>(loop: AsyncIterable<TrainState & { net: N }>): Promise<{ net: N; states: TrainState[] }> {
  const states: TrainState[] = [];
  let net: N | undefined;
  for await (const s of loop) {
    net = s.net;
    states.push({ step: s.step, loss: s.loss, stepsPerS: s.stepsPerS, seconds: s.seconds });
  }
  if (net === undefined) throw new Error('runToEnd: the loop ran no step');
  return { net, states };
}
