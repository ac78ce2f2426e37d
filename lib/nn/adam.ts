// Adam over a list of variables, in torch.optim.Adam's form (Kingma & Ba, Algorithm 1):
//   m ← β1·m + (1−β1)·g,  v ← β2·v + (1−β2)·g²,  θ ← θ − lr·m̂/(√v̂ + ε),
//   m̂ = m/(1−β1ᵗ), v̂ = v/(1−β2ᵗ).
// ε is added after the bias correction (not to √v, as Keras's reordered form does): with
// gradients near ε the two differ a lot.
//
// Per-op overhead, not arithmetic, dominates the course's small models: Adam as tensor ops is
// ~10 kernels per variable (~100 per step for a 4-layer MLP), each with engine bookkeeping.
// On backends whose tensors live in this process and are read synchronously by a copy
// (wasm, cpu, tensorflow), the update instead runs as one fused JS loop over all parameters:
// read each gradient and parameter once, update m, v and the parameter in place in the loop,
// write the new parameter back as a fresh tensor. No kernel launches, nothing to wait for.
// Parameters of lib/nn's layers (which have slots in a kernels heap) are updated there by a
// SIMD kernel, in pieces both threads share, reading the gradient the layer's backward pass
// left in the heap.
// On other backends (webgl, webgpu: reads would stall the GPU) it falls back to tensor ops.
import * as tf from '@tensorflow/tfjs';
import { Slot, gradIn, slotOf, synced, useKernels } from './wasm';
import { GradInHeap } from './tape';

/** A gradient: a tensor, or (lib/nn's tape) the one a backward pass left in the parameter's slot. */
export type Grad = tf.Tensor | GradInHeap;

/** Floats per Adam task: the update is split so both threads take parts of it. */
const PIECE = 4096;
/** Tasks per job (they fit the job's description, kernels.as.ts's runTask). */
const TASKS_PER_JOB = 48;

/**
 * The kernel update of every parameter with a slot: p, m, v in place in the heap, as jobs of
 * PIECE-float tasks both threads share (each float's update is independent, so the result is
 * the same whoever runs which piece). scalars: step, √(1−β2ᵗ), β1, 1−β1, β2, 1−β2, ε.
 */
function updateSlots(slot: (Slot | undefined)[], grads: Grad[], scalars: number[]): void {
  const tasks: number[][] = [];
  slot.forEach((s, i) => {
    if (!s) return;
    const gi = grads[i];
    const p = synced(s), g = gi instanceof GradInHeap ? s.grad : gradIn(s, gi), n = s.variable.size;
    for (let o = 0; o < n; o += PIECE) tasks.push([p + 4 * o, g + 4 * o, s.m + 4 * o, s.v + 4 * o, Math.min(PIECE, n - o)]);
  });
  if (tasks.length === 0) return;
  const pool = slot.find((s) => s)!.heap.pool;
  const jobs: number[] = [];
  for (let t = 0; t < tasks.length; t += TASKS_PER_JOB) {
    const part = tasks.slice(t, t + TASKS_PER_JOB);
    jobs.push(pool.post(part.length, (i32, f32) => {
      i32[0] = 3;
      i32[1] = part.length;
      f32.set(scalars, 2);
      i32.set(part.flat(), 9);
    }));
  }
  jobs.forEach((j) => pool.wait(j));
}

export interface AdamOptions {
  lr?: number;
  beta1?: number;
  beta2?: number;
  /** Adam's ε, added to √v̂ (named apart from ε the noise). Default 1e-8. */
  adamEps?: number;
  /**
   * 'kernels': lib/nn's wasm kernel for layer parameters, the JS loop for the rest;
   * 'js': fused JS loop; 'ops': tensor ops; 'auto' (default): 'kernels' where lib/nn uses
   * its kernels (wasm, cpu), 'js' on tensorflow, 'ops' elsewhere.
   */
  impl?: 'auto' | 'kernels' | 'js' | 'ops';
}

export interface Adam {
  /**
   * Apply one update from gradients (same order as params); lr overrides the default. A
   * GradInHeap (lib/nn's tape) is read from the parameter's slot ('kernels' only).
   */
  step(grads: Grad[], lr?: number): void;
  /** Number of steps taken so far. */
  readonly t: number;
  /** Which implementation runs. */
  readonly impl: 'kernels' | 'js' | 'ops';
  dispose(): void;
}

const SYNC_BACKENDS = ['wasm', 'cpu', 'tensorflow'];

export function adam(params: tf.Variable[], opts: AdamOptions = {}): Adam {
  if ('eps' in opts) throw new Error("adam: the option 'eps' is now called 'adamEps' (ε the noise is another idea)");
  const { beta1 = 0.9, beta2 = 0.999, adamEps = 1e-8 } = opts;
  const lr0 = opts.lr ?? 1e-3;
  if (params.length === 0) throw new Error('adam: no parameters to optimise');
  for (const [k, v] of Object.entries({ lr: lr0, beta1, beta2, adamEps })) {
    if (!Number.isFinite(v) || v < 0) throw new Error(`adam: ${k} must be a finite number ≥ 0, got ${v}`);
  }
  if (beta1 >= 1 || beta2 >= 1) throw new Error(`adam: beta1 and beta2 must be < 1, got ${beta1}, ${beta2}`);
  const impl =
    opts.impl === undefined || opts.impl === 'auto' ? (useKernels() ? 'kernels' : SYNC_BACKENDS.includes(tf.getBackend()) ? 'js' : 'ops') : opts.impl;
  if (impl !== 'kernels' && impl !== 'js' && impl !== 'ops') throw new Error(`adam: impl must be 'auto', 'kernels', 'js' or 'ops', got "${impl}"`);
  params.forEach((p, i) => {
    if (p.dtype !== 'float32') throw new Error(`adam: parameter ${i} (${p.name}) is ${p.dtype}; Adam needs float32`);
  });
  const sizes = params.map((p) => p.size);
  let t = 0;

  const check = (grads: Grad[]): tf.Tensor[] => {
    if (grads.length !== params.length) throw new Error(`adam: ${grads.length} gradients for ${params.length} parameters`);
    grads.forEach((g, i) => {
      if (!g) throw new Error(`adam: no gradient for parameter ${i} (${params[i].name}); does the loss depend on it?`);
      if (g instanceof GradInHeap) {
        if (impl !== 'kernels' || g.slot.variable !== params[i]) throw new Error(`adam: parameter ${i} (${params[i].name})'s gradient is in the kernels' heap, which only impl 'kernels' reads, for its own parameter`);
        return;
      }
      if (g.size !== sizes[i]) throw new Error(`adam: gradient ${i} has shape [${g.shape}], parameter ${params[i].name} has [${params[i].shape}]`);
    });
    return grads as tf.Tensor[]; // where it matters (not a slot's), a tensor
  };

  if (impl === 'js' || impl === 'kernels') {
    // Slots hold one Adam state each: a new Adam over the same layers starts it afresh.
    const slot: (Slot | undefined)[] = params.map((p) => (impl === 'kernels' ? slotOf(p) : undefined));
    slot.forEach((s) => s && (s.heap.f32(s.m, s.variable.size).fill(0), s.heap.f32(s.v, s.variable.size).fill(0)));
    const m = sizes.map((n, i) => (slot[i] ? new Float32Array(0) : new Float32Array(n)));
    const v = sizes.map((n, i) => (slot[i] ? new Float32Array(0) : new Float32Array(n)));
    const c1 = 1 - beta1, c2 = 1 - beta2;
    return {
      step(grads, lr = lr0) {
        const tensors = check(grads);
        t++;
        const { stepSize, sqrtBc2 } = biasCorrection(lr, t, beta1, beta2);
        updateSlots(slot, grads, [stepSize, sqrtBc2, beta1, c1, beta2, c2, adamEps]);
        for (let i = 0; i < params.length; i++) {
          const s = slot[i];
          if (s) {
            // The variable gets a copy of p.
            const next = s.heap.tensor(s.ptr, s.variable.shape);
            s.variable.assign(next);
            next.dispose();
            s.dataId = s.variable.dataId;
            continue;
          }
          const g = tensors[i].dataSync() as Float32Array;
          const p = params[i].dataSync() as Float32Array;
          const out = new Float32Array(p.length);
          const mi = m[i], vi = v[i];
          for (let j = 0; j < out.length; j++) {
            const gj = g[j];
            const mj = beta1 * mi[j] + c1 * gj;
            const vj = beta2 * vi[j] + c2 * gj * gj;
            mi[j] = mj;
            vi[j] = vj;
            out[j] = p[j] - (stepSize * mj) / (Math.sqrt(vj) / sqrtBc2 + adamEps);
          }
          // A fresh tensor, never an in-place write: wasm caches packed weights by tensor id.
          const next = tf.tensor(out, params[i].shape, 'float32');
          params[i].assign(next);
          next.dispose();
        }
      },
      get t() {
        return t;
      },
      impl,
      dispose() {},
    };
  }

  // Made inside tidy: a variable keeps its data, the initial tensor is freed.
  const m = params.map((p) => tf.tidy(() => tf.variable(tf.zerosLike(p), false)));
  const v = params.map((p) => tf.tidy(() => tf.variable(tf.zerosLike(p), false)));
  return {
    step(grads, lr = lr0) {
      const tensors = check(grads);
      t++;
      const { stepSize, sqrtBc2 } = biasCorrection(lr, t, beta1, beta2);
      tf.tidy(() => {
        params.forEach((p, i) => {
          const g = tensors[i];
          m[i].assign(tf.add(tf.mul(m[i], beta1), tf.mul(g, 1 - beta1)));
          v[i].assign(tf.add(tf.mul(v[i], beta2), tf.mul(tf.square(g), 1 - beta2)));
          p.assign(tf.sub(p, tf.mul(stepSize, tf.div(m[i], tf.add(tf.div(tf.sqrt(v[i]), sqrtBc2), adamEps)))));
        });
      });
    },
    get t() {
      return t;
    },
    impl,
    dispose() {
      m.forEach((x) => x.dispose());
      v.forEach((x) => x.dispose());
    },
  };
}

/**
 * Adam's bias correction as torch.optim.Adam applies it: θ −= lr·m̂/(√v̂ + ε) with
 * m̂ = m/(1−β1ᵗ), v̂ = v/(1−β2ᵗ), i.e. a step size lr/(1−β1ᵗ) and √v̂ = √v/√(1−β2ᵗ).
 */
function biasCorrection(lr: number, t: number, beta1: number, beta2: number): { stepSize: number; sqrtBc2: number } {
  return { stepSize: lr / (1 - beta1 ** t), sqrtBc2: Math.sqrt(1 - beta2 ** t) };
}
