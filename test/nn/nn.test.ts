// lib/nn: the fast layer's gradients against tf.grad of the plain computation and against
// plain-JS loops, Adam against a hand-computed reference, the loop's tensor hygiene, bad input.
// Layers, the MLP and the loop run twice: on lib/nn's wasm kernels and on tfjs ops.
import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import { dense, denseInit, mlp, adam, train, trainLoop, getWeights, setWeights, type TrainOptions } from '../../lib/nn';
import { transpose2d } from '../../lib/nn/dense';
import { rng, normals } from '../../lib/random';

const close = (a: ArrayLike<number>, b: ArrayLike<number>, tol: number, what: string) => {
  expect(a.length, `${what}: length`).to.equal(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  expect(worst, `${what}: max |diff|`).to.be.at.most(tol);
};

/** Plain JS: y = act(x·W + b) for row-major arrays. */
function jsDense(x: Float32Array, n: number, k: number, w: Float32Array, b: Float32Array, m: number, relu: boolean): Float64Array {
  const y = new Float64Array(n * m);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < m; j++) {
      let s = b[j];
      for (let q = 0; q < k; q++) s += x[i * k + q] * w[q * m + j];
      y[i * m + j] = relu ? Math.max(0, s) : s;
    }
  return y;
}

/** Run a describe block with lib/nn's kernels forced on or off (COURSE_KERNELS). */
function onBothPaths(name: string, body: () => void) {
  for (const mode of ['wasm', 'tfjs'] as const) {
    describe(`${name} (${mode === 'wasm' ? "lib/nn's wasm kernels" : 'tfjs ops'})`, () => {
      let saved: string | undefined;
      before(() => ((saved = process.env.COURSE_KERNELS), (process.env.COURSE_KERNELS = mode)));
      after(() => (saved === undefined ? delete process.env.COURSE_KERNELS : (process.env.COURSE_KERNELS = saved)));
      body();
    });
  }
}

onBothPaths('lib/nn dense', () => {
  for (const act of ['relu', 'linear'] as const) {
    it(`${act}: value and gradients match tf.grad of matMul + add${act === 'relu' ? ' + relu' : ''} within 1e-5`, () => {
      const g = rng(1);
      const p = denseInit(7, 5, g, `test-${act}`);
      // Some pre-activations are negative so the relu mask matters.
      p.b.assign(tf.tensor1d(normals(g, 5)));
      const x = tf.tensor2d(normals(g, 9 * 7), [9, 7]);
      const r = tf.tensor2d(normals(g, 9 * 5), [9, 5]); // a random cotangent
      const plain = (x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D) => {
        const z = tf.add(tf.matMul(x, w), b);
        return act === 'relu' ? tf.relu(z) : z;
      };
      const f = (fn: (x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D) => tf.Tensor) => (x: tf.Tensor, w: tf.Tensor, b: tf.Tensor) =>
        tf.sum(tf.mul(fn(x as tf.Tensor2D, w as tf.Tensor2D, b as tf.Tensor1D), r));
      const fast = (x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D) =>
        dense(x, { w: w as tf.Variable, b: b as tf.Variable }, act);
      const got = tf.grads(f(fast))([x, p.w, p.b]);
      const want = tf.grads(f(plain))([x, p.w, p.b]);
      ['dx', 'dW', 'db'].forEach((name, i) => close(got[i].dataSync(), want[i].dataSync(), 1e-5, name));
      // The value against plain JS loops (independent of tfjs).
      const y = dense(x, p, act);
      close(y.dataSync(), jsDense(x.dataSync() as Float32Array, 9, 7, p.w.dataSync() as Float32Array, p.b.dataSync() as Float32Array, 5, act === 'relu'), 1e-5, 'y');
      tf.dispose([...got, ...want, x, r, y, p.w, p.b]);
    });
  }

  it('names the shapes when the input does not fit the weights', () => {
    const p = denseInit(3, 4, rng(0), 'test-bad');
    const x = tf.zeros([2, 5]) as tf.Tensor2D;
    expect(() => dense(x, p)).to.throw(/input shape \[2,5\] does not match weights \[3,4\] \(need \[batch, 3\]\)/);
    const x1 = tf.zeros([3]) as unknown as tf.Tensor2D;
    expect(() => dense(x1, p)).to.throw(/input shape \[3\] does not match weights \[3,4\]/);
    expect(() => dense(tf.zeros([2, 3]) as tf.Tensor2D, p, 'tanh' as never)).to.throw(/activation must be one of linear, relu, got "tanh"/);
    tf.dispose([x, x1, p.w, p.b]);
  });
});

describe('lib/nn transpose2d', () => {
  for (const [r, c] of [[256, 128], [96, 5], [200, 3], [7, 9]]) {
    it(`${r}×${c} equals the plain-JS transpose`, () => {
      const x = tf.tensor2d(normals(r * c + 1, r * c), [r, c]);
      const t = transpose2d(x);
      expect(t.shape).to.deep.equal([c, r]);
      const xs = x.dataSync(), ts = t.dataSync();
      const want = new Float32Array(r * c);
      for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) want[j * r + i] = xs[i * c + j];
      close(ts, want, 0, 'transpose');
      tf.dispose([x, t]);
    });
  }
});

onBothPaths('lib/nn mlp', () => {
  it('whole-network gradients match tf.grad of the plain computation, and the output matches plain JS', () => {
    const model = mlp([6, 16, 16, 3], 3, 'test-mlp');
    const g = rng(4);
    model.params.filter((p) => p.rank === 1).forEach((b) => b.assign(tf.tensor1d(normals(g, b.size).map((v) => 0.3 * v))));
    const N = 96; // > 64 rows: the blocked transpose path on wasm
    const x = tf.tensor2d(normals(g, N * 6), [N, 6]);
    const eps = tf.tensor2d(normals(g, N * 3), [N, 3]);
    const plainApply = (x: tf.Tensor2D, ps: tf.Tensor[]) => {
      let h: tf.Tensor = x;
      for (let i = 0; i < ps.length; i += 2) {
        h = tf.add(tf.matMul(h as tf.Tensor2D, ps[i] as tf.Tensor2D), ps[i + 1]);
        if (i < ps.length - 2) h = tf.relu(h);
      }
      return h;
    };
    const loss = (out: tf.Tensor) => tf.mean(tf.square(tf.sub(out, eps))) as tf.Scalar;
    const got = tf.variableGrads(() => loss(model.apply(x)), model.params);
    const want = tf.grads((...ps: tf.Tensor[]) => loss(plainApply(x, ps)))(model.params);
    model.params.forEach((p, i) => close(got.grads[p.name].dataSync(), want[i].dataSync(), 1e-5, `d${p.name}`));
    expect(got.value.dataSync()[0]).to.be.closeTo(loss(plainApply(x, model.params)).dataSync()[0], 1e-6);
    // Output against plain JS loops.
    let h: Float64Array | Float32Array = x.dataSync() as Float32Array;
    const ws = getWeights(model.params);
    for (let l = 0; l < 3; l++) {
      const [k, m] = ws[2 * l].shape;
      h = jsDense(Float32Array.from(h), N, k, Float32Array.from(ws[2 * l].values), Float32Array.from(ws[2 * l + 1].values), m, l < 2);
    }
    close(model.apply(x).dataSync(), h, 1e-5, 'mlp output');
    tf.dispose([x, eps, got.value, ...Object.values(got.grads), ...want]);
    model.dispose();
  });

  it("apply(x, { inputGrad: false }): the same weight gradients, bit for bit, and no dx (x's gradient, asked for anyway, is zeros)", () => {
    const model = mlp([6, 16, 16, 3], 5, 'test-mlp-nodx');
    const g = rng(6);
    const x = tf.tensor2d(normals(g, 40 * 6), [40, 6]);
    const r = tf.tensor2d(normals(g, 40 * 3), [40, 3]);
    const lossOf = (opts?: { inputGrad?: boolean }) => (xx: tf.Tensor, ...ps: tf.Tensor[]) => {
      void ps;
      return tf.sum(tf.mul(model.apply(xx as tf.Tensor2D, opts), r)) as tf.Scalar;
    };
    const all = [x, ...model.params];
    const full = tf.grads(lossOf())(all), noDx = tf.grads(lossOf({ inputGrad: false }))(all);
    for (let i = 1; i < all.length; i++) expect(Array.from(noDx[i].dataSync()), `gradient ${i}`).to.deep.equal(Array.from(full[i].dataSync()));
    expect(Math.max(...Array.from(full[0].dataSync(), Math.abs)), 'dx by default').to.be.greaterThan(0);
    if (process.env.COURSE_KERNELS === 'wasm') expect(Array.from(noDx[0].dataSync()).every((v) => v === 0), 'dx skipped on the kernels').to.equal(true);
    tf.dispose([x, r, ...full, ...noDx]);
    model.dispose();
  });

  it('gradients stay right when another forward pass or a weight change comes between', () => {
    const model = mlp([5, 12, 12, 2], 8, 'test-mlp-interleave');
    const g = rng(9);
    const x = tf.tensor2d(normals(g, 10 * 5), [10, 5]);
    const other = tf.tensor2d(normals(g, 30 * 5), [30, 5]);
    const r = tf.tensor2d(normals(g, 10 * 2), [10, 2]);
    const plain = (ps: tf.Tensor[]) => {
      let h: tf.Tensor = x;
      for (let i = 0; i < ps.length; i += 2) {
        h = tf.add(tf.matMul(h as tf.Tensor2D, ps[i] as tf.Tensor2D), ps[i + 1]);
        if (i < ps.length - 2) h = tf.relu(h);
      }
      return tf.sum(tf.mul(h, r)) as tf.Scalar;
    };
    // A second forward pass on other data inside the same gradient: its activations overwrite x's.
    const got = tf.variableGrads(() => tf.add(tf.sum(tf.mul(model.apply(x), r)), tf.mul(0, tf.sum(model.apply(other)))) as tf.Scalar, model.params);
    const want = tf.grads((...ps: tf.Tensor[]) => plain(ps))(model.params);
    model.params.forEach((p, i) => close(got.grads[p.name].dataSync(), want[i].dataSync(), 1e-5, `d${p.name} (interleaved)`));
    // New weights set from outside are used by the next pass.
    const ws = getWeights(model.params);
    ws[0].values = ws[0].values.map((v) => -v);
    setWeights(model.params, ws);
    close(model.apply(x).dataSync(), jsDense(Float32Array.from(jsDense(Float32Array.from(jsDense(x.dataSync() as Float32Array, 10, 5, Float32Array.from(ws[0].values), Float32Array.from(ws[1].values), 12, true)), 10, 12, Float32Array.from(ws[2].values), Float32Array.from(ws[3].values), 12, true)), 10, 12, Float32Array.from(ws[4].values), Float32Array.from(ws[5].values), 2, false), 1e-5, 'output after setWeights');
    tf.dispose([x, other, r, got.value, ...Object.values(got.grads), ...want]);
    model.dispose();
  });

  it('rejects bad sizes and inputs with the shape in the message', () => {
    expect(() => mlp([4], 0)).to.throw(/sizes must be ≥ 2 positive integers, got \[4\]/);
    expect(() => mlp([4, 0, 2], 0)).to.throw(/got \[4,0,2\]/);
    const model = mlp([4, 8, 2], 0, 'test-mlp-bad');
    const x = tf.zeros([5, 3]) as tf.Tensor2D;
    expect(() => model.apply(x)).to.throw(/input shape \[5,3\] does not match weights \[4,8\]/);
    expect(() => setWeights(model.params, getWeights(model.params).slice(1))).to.throw(/3 arrays for 4 parameters/);
    expect(() => model.applyShared(x, new Float32Array(2))).to.throw(/input \[5,3\] plus a shared tail of 2 does not match the first layer's 4 inputs/);
    x.dispose();
    model.dispose();
  });

  it('applyShared(x, tail) equals apply on the rows [x_i, tail] to float32 rounding, and keeps no tensors', () => {
    const g = rng(12);
    const model = mlp([34, 128, 128, 2], 3, 'test-mlp-shared');
    const n = 203; // not a multiple of the row chunks
    const x = tf.tensor2d(normals(g, n * 2), [n, 2]);
    const tail = Float32Array.from(normals(g, 32));
    const full = tf.concat([x, tf.tile(tf.tensor2d(tail, [1, 32]), [n, 1])], 1) as tf.Tensor2D;
    const want = model.apply(full);
    const before = tf.memory().numTensors;
    const got = model.applyShared(x, tail);
    expect(tf.memory().numTensors).to.equal(before + 1);
    expect(got.shape).to.deep.equal([n, 2]);
    // The first layer sums x's share and the tail's share separately: float32 rounding apart.
    close(got.dataSync(), want.dataSync(), 1e-5 * Math.max(...Array.from(want.dataSync(), Math.abs)), 'applyShared vs apply');
    tf.dispose([x, full, want, got]);
    model.dispose();
  });
});

describe('lib/nn adam', () => {
  /**
   * torch.optim.Adam's update in float64: m̂ = m/(1−β1ᵗ), v̂ = v/(1−β2ᵗ), θ −= lr·m̂/(√v̂ + ε)
   * (ε after the bias correction).
   */
  function reference(p0: number[], grads: number[][], lr: number, b1 = 0.9, b2 = 0.999, eps = 1e-8): number[] {
    const p = p0.slice(), m = p0.map(() => 0), v = p0.map(() => 0);
    grads.forEach((g, s) => {
      const t = s + 1;
      for (let j = 0; j < p.length; j++) {
        m[j] = b1 * m[j] + (1 - b1) * g[j];
        v[j] = b2 * v[j] + (1 - b2) * g[j] * g[j];
        const mHat = m[j] / (1 - b1 ** t), vHat = v[j] / (1 - b2 ** t);
        p[j] -= (lr * mHat) / (Math.sqrt(vHat) + eps);
      }
    });
    return p;
  }

  /** The reordered form lib/nn used before: lr·√(1−β2ᵗ)/(1−β1ᵗ) · m/(√v + ε). */
  function kerasForm(p0: number[], grads: number[][], lr: number, b1 = 0.9, b2 = 0.999, eps = 1e-8): number[] {
    const p = p0.slice(), m = p0.map(() => 0), v = p0.map(() => 0);
    grads.forEach((g, s) => {
      const t = s + 1;
      const a = (lr * Math.sqrt(1 - b2 ** t)) / (1 - b1 ** t);
      for (let j = 0; j < p.length; j++) {
        m[j] = b1 * m[j] + (1 - b1) * g[j];
        v[j] = b2 * v[j] + (1 - b2) * g[j] * g[j];
        p[j] -= (a * m[j]) / (Math.sqrt(v[j]) + eps);
      }
    });
    return p;
  }

  /** Largest |Δgot − Δwant| over the largest |Δwant|, Δ = θ − θ₀: the update's relative error. */
  function relativeUpdateError(got: ArrayLike<number>, want: number[], p0: number[]): number {
    let num = 0, den = 0;
    for (let j = 0; j < want.length; j++) {
      num = Math.max(num, Math.abs(got[j] - want[j]));
      den = Math.max(den, Math.abs(want[j] - p0[j]));
    }
    return num / den;
  }

  // Gradients near ε (1e-7, with some at 1e-8 and 1e-6) are where the place of ε matters:
  // ε added to √v before the bias correction (Keras's reordered form) is off by ~50% here.
  for (const impl of ['kernels', 'js', 'ops'] as const) {
    it(`${impl}: gradients near ε (1e-7) match torch's formula in float64 to 1e-5 relative`, () => {
      const g = rng(21);
      const layer = denseInit(3, 5, g, `adam-small-${impl}`); // a slot for 'kernels'; lengths not multiples of 4
      const ps = [layer.w, layer.b];
      // Small weights, so float32 storage of θ costs little next to the update.
      ps.forEach((p) => p.assign(tf.tensor(normals(g, p.size).map((x) => 1e-3 * x), p.shape)));
      const p0 = ps.map((p) => Array.from(p.dataSync()));
      const opt = adam(ps, { impl });
      expect(opt.impl).to.equal(impl);
      const scale = (j: number) => [1e-8, 1e-7, 1e-6][j % 3];
      const gs: number[][][] = [];
      for (let t = 0; t < 5; t++) {
        const grads = ps.map((p) => tf.tensor(normals(g, p.size).map((x, j) => Math.fround(x * scale(j))), p.shape));
        gs.push(grads.map((x) => Array.from(x.dataSync())));
        opt.step(grads);
        tf.dispose(grads);
      }
      ps.forEach((p, i) => {
        const want = reference(p0[i], gs.map((x) => x[i]), 1e-3);
        const err = relativeUpdateError(p.dataSync(), want, p0[i]);
        expect(err, `${p.name}: relative error of the update`).to.be.at.most(1e-5);
        // The test tells the two forms apart: Keras's (ε on √v, then bias-correct) misses by far more.
        const keras = kerasForm(p0[i], gs.map((x) => x[i]), 1e-3);
        expect(relativeUpdateError(keras, want, p0[i]), 'Keras form vs torch form').to.be.greaterThan(0.1);
      });
      opt.dispose();
      tf.dispose(ps);
    });
  }

  for (const impl of ['js', 'ops'] as const) {
    it(`${impl}: four steps on two variables match the hand-computed update`, () => {
      const g = rng(7);
      const w = tf.variable(tf.tensor2d(normals(g, 6), [2, 3]), true, `adam-${impl}-w`);
      const b = tf.variable(tf.tensor1d(normals(g, 3)), true, `adam-${impl}-b`);
      const p0 = [...w.dataSync(), ...b.dataSync()];
      const opt = adam([w, b], { lr: 0.05, impl });
      expect(opt.impl).to.equal(impl);
      const gs: number[][] = [];
      for (let s = 0; s < 4; s++) {
        const gw = normals(g, 6), gb = normals(g, 3);
        gs.push([...gw, ...gb]);
        const grads = [tf.tensor2d(gw, [2, 3]), tf.tensor1d(gb)];
        opt.step(grads);
        tf.dispose(grads);
      }
      close([...w.dataSync(), ...b.dataSync()], reference(p0, gs, 0.05), 1e-5, 'params after 4 steps');
      // It moved: the test would fail on an optimiser that does nothing.
      expect(Math.abs(w.dataSync()[0] - p0[0])).to.be.greaterThan(0.01);
      opt.dispose();
      tf.dispose([w, b]);
    });
  }

  it("kernels: a dense layer's W and b (in the heap) and a plain variable (JS loop) match the hand-computed update", () => {
    const g = rng(8);
    const layer = denseInit(3, 5, g, 'adam-kernels'); // 3×5 + 5: lengths not multiples of 4
    layer.b.assign(tf.tensor1d(normals(g, 5)));
    const s = tf.variable(tf.tensor1d(normals(g, 2)), true, 'adam-kernels-s');
    const ps = [layer.w, layer.b, s];
    const p0 = ps.map((p) => Array.from(p.dataSync()));
    const opt = adam(ps, { lr: 0.05, impl: 'kernels' });
    expect(opt.impl).to.equal('kernels');
    const gs: number[][][] = [];
    for (let t = 0; t < 4; t++) {
      const grads = ps.map((p) => tf.tensor(normals(g, p.size), p.shape));
      gs.push(grads.map((x) => Array.from(x.dataSync())));
      opt.step(grads);
      tf.dispose(grads);
    }
    ps.forEach((p, i) => close(p.dataSync(), reference(p0[i], gs.map((x) => x[i]), 0.05), 1e-5, `${p.name} after 4 steps`));
    expect(Math.abs(layer.w.dataSync()[0] - p0[0][0])).to.be.greaterThan(0.01);
    opt.dispose();
    tf.dispose(ps);
  });

  it('names a gradient that does not fit its parameter', () => {
    const w = tf.variable(tf.zeros([2, 3]), true, 'adam-bad-w');
    const opt = adam([w]);
    const g = tf.zeros([3, 2]);
    const g2 = tf.zeros([4]);
    expect(() => opt.step([g, g])).to.throw(/2 gradients for 1 parameters/);
    expect(() => opt.step([g2])).to.throw(/gradient 0 has shape \[4\], parameter adam-bad-w has \[2,3\]/);
    expect(() => adam([w], { lr: NaN })).to.throw(/lr must be a finite number/);
    expect(() => adam([w], { adamEps: -1 })).to.throw(/adamEps must be a finite number ≥ 0, got -1/);
    // The old option names say what they are called now instead of being ignored.
    expect(() => adam([w], { eps: 1e-8 } as object)).to.throw(/'eps' is now called 'adamEps'/);
    opt.dispose();
    tf.dispose([w, g, g2]);
  });
});

onBothPaths('lib/nn training loop', () => {
  it('leaks no tensors: equal before and after, and flat across steps', async () => {
    const before = tf.memory().numTensors;
    const model = mlp([3, 16, 2], 0, 'test-leak');
    const g = rng(2);
    const X = tf.tensor2d(normals(g, 64 * 3), [64, 3]);
    const Y = tf.tidy(() => tf.matMul(X, tf.tensor2d([1, 0, 0, 1, 1, -1], [3, 2])));
    const afterSetup = tf.memory().numTensors;
    const counts: number[] = [];
    const losses: number[] = [];
    for await (const s of trainLoop(model.params, () => tf.mean(tf.square(tf.sub(model.apply(X), Y))) as tf.Scalar, { steps: 60, every: 10, lr: 1e-2, progress: false })) {
      counts.push(tf.memory().numTensors);
      losses.push(s.loss);
    }
    expect(counts).to.have.length(6);
    expect(new Set(counts).size, `numTensors across steps: ${counts}`).to.equal(1);
    expect(counts[0]).to.equal(afterSetup);
    expect(losses[5]).to.be.lessThan(losses[0] * 0.7); // it trains
    tf.dispose([X, Y]);
    model.dispose();
    expect(tf.memory().numTensors).to.equal(before);
  });

  it('reports a non-finite loss and bad step counts clearly', async () => {
    const w = tf.variable(tf.scalar(1), true, 'test-nan');
    let err: Error | null = null;
    try {
      await train([w], () => tf.mul(w, NaN) as tf.Scalar, { steps: 3, every: 1, progress: false });
    } catch (e) {
      err = e as Error;
    }
    expect(err?.message).to.match(/loss became NaN at step 1/);
    let err2: Error | null = null;
    try {
      await train([w], () => tf.mul(w, 1) as tf.Scalar, { steps: 0, progress: false });
    } catch (e) {
      err2 = e as Error;
    }
    expect(err2?.message).to.match(/steps must be a positive integer, got 0/);
    let err3: Error | null = null;
    try {
      await train([w], () => tf.mul(w, 1) as tf.Scalar, { steps: 2, progress: false, schedule: 'cosine' } as object as TrainOptions);
    } catch (e) {
      err3 = e as Error;
    }
    expect(err3?.message).to.match(/'schedule' is now called 'lrSchedule'/);
    w.dispose();
  });

  it("lrSchedule 'cosine' decays the learning rate as 0.5·lr·(1 + cos(π(s−1)/steps))", async () => {
    // loss = w: the gradient is 1 every step, so m̂ = v̂ = 1 and each Adam step moves w by lr/(1 + ε).
    const moved = async (lrSchedule: 'constant' | 'cosine') => {
      const w = tf.variable(tf.scalar(1), true, `test-lr-${lrSchedule}`);
      await train([w], () => tf.mul(w, 1) as tf.Scalar, { steps: 4, lr: 0.1, lrSchedule, progress: false, impl: 'js' });
      const d = 1 - w.dataSync()[0];
      w.dispose();
      return d;
    };
    const cosine = [0, 1, 2, 3].reduce((s, i) => s + 0.05 * (1 + Math.cos((Math.PI * i) / 4)), 0);
    expect(await moved('constant')).to.be.closeTo(0.4, 1e-6);
    expect(await moved('cosine')).to.be.closeTo(cosine, 1e-6);
  });
});
