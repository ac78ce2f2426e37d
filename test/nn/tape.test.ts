// lib/nn's own tape (lib/nn/tape.ts): training on it gives exactly the numbers of tfjs's tape
// (tf.variableGrads), on one thread and on two, for every model the chapters train through
// lib/nn; the learner's loss still decides what the network learns.
import { expect } from 'chai';
import { execFileSync } from 'child_process';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { adam, defaultTape, denseInit, gradsOnKernels, mlp, trainLoop } from '../../lib/nn';
import { GradInHeap } from '../../lib/nn/tape';
import { slotOf } from '../../lib/nn/wasm';
import { normals, rng } from '../../lib/random';
import * as D from '../../lib/diffusion';
import { forget, reference, use } from '../../lib/exercise/registry';

const ROOT = path.join(__dirname, '..', '..');

/** tape-run.ts in a child process: the largest differences between the two tapes, per model. */
function tapeRun(threads: '1' | '2') {
  const env: NodeJS.ProcessEnv = { ...process.env, COURSE_THREADS: threads };
  delete env.COURSE_TAPE;
  const out = execFileSync(process.execPath, [path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), path.join(__dirname, 'tape-run.ts')], { cwd: ROOT, env, encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').pop()!) as Record<string, { grad: number; weights: number }> & { helped: number; threads: number; leaked: number };
}

describe("lib/nn's own tape", function () {
  this.timeout(240_000); // child processes start tsx and tfjs (slow on a loaded machine)

  // Tolerance 0: both tapes hand the same dL/dy to the same kernels, and Adam reads the same
  // gradient, so any difference at all is a bug (a gradient lost, counted twice, or stale).
  for (const threads of ['1', '2'] as const) {
    it(`${threads === '1' ? 'one thread' : 'two threads'}: first-step gradients and weights after 5 Adam steps equal tfjs's tape bit for bit (spiral MLP via epsLoss, chapter 5's and chapter 6's denoisers, an MLP called twice in one loss)`, () => {
      const r = tapeRun(threads);
      expect(r.threads).to.equal(Number(threads));
      if (threads === '2') expect(r.helped, 'tasks run by the helper thread').to.be.greaterThan(0);
      for (const model of ['spiral', 'ch5', 'ch6', 'twoCalls']) {
        expect(r[model].grad, `${model}: max |gradient difference| on the first step`).to.equal(0);
        expect(r[model].weights, `${model}: max |weight difference| after 5 steps`).to.equal(0);
      }
      expect(r.leaked, 'tensors left behind').to.equal(0);
    });
  }

  describe('in this process', () => {
    let saved: string | undefined;
    before(() => (saved = process.env.COURSE_TAPE));
    afterEach(() => {
      forget();
      if (saved === undefined) delete process.env.COURSE_TAPE;
      else process.env.COURSE_TAPE = saved;
    });

    /** Chapter 3's training for 6 steps from one seed; the weights it ends with. */
    async function trainSpiral(): Promise<Float32Array[]> {
      const setup = D.spiralSetup(0, 1000, 100);
      const net = D.epsNet({ T: setup.schedule.T, seed: 1 });
      await D.trainEps(net, setup.train, setup.schedule, { steps: 6, batch: 64, seed: 2, progress: false });
      const w = net.params.map((p) => Float32Array.from(p.dataSync()));
      net.dispose();
      return w;
    }
    const differs = (a: Float32Array[], b: Float32Array[]) => a.some((x, i) => x.some((v, j) => v !== b[i][j]));

    it("trains through the learner's epsLoss: a copy of the reference trains the same network, one with a bug a different one", async () => {
      expect(defaultTape()).to.equal('kernels'); // what the chapters use here
      const want = await trainSpiral();
      let calls = 0;
      use('diffusion/epsLoss', (...args: Parameters<ReturnType<typeof reference<'diffusion/epsLoss'>>>) => (calls++, reference('diffusion/epsLoss')(...args)));
      const same = await trainSpiral();
      expect(calls).to.equal(6);
      expect(differs(same, want), 'a faithful copy of epsLoss changed the weights').to.equal(false);
      // The bug: the noise term scaled by √ᾱ instead of √(1 − ᾱ), so the network regresses ε on the wrong x_t.
      use('diffusion/epsLoss', (model: (xt: tf.Tensor2D, t: tf.Tensor1D) => tf.Tensor2D, x0: tf.Tensor2D, eps: tf.Tensor2D, t: tf.Tensor1D, ab: tf.Tensor2D) =>
        tf.tidy(() => {
          const xt = tf.add(tf.mul(x0, tf.sqrt(ab)), tf.mul(eps, tf.sqrt(ab))) as tf.Tensor2D;
          return tf.mean(tf.square(tf.sub(model(xt, t), eps))) as tf.Scalar;
        }),
      );
      const buggy = await trainSpiral();
      expect(differs(buggy, want), "the buggy epsLoss trained the reference's network").to.equal(true);
      // And the bug reaches the weights through the gradient, not only the loss value: the
      // learner's loss with its gradient stopped at the prediction trains nothing.
      use('diffusion/epsLoss', (model: (xt: tf.Tensor2D, t: tf.Tensor1D) => tf.Tensor2D, x0: tf.Tensor2D, eps: tf.Tensor2D, t: tf.Tensor1D, ab: tf.Tensor2D) =>
        tf.tidy(() => {
          const xt = tf.add(tf.mul(x0, tf.sqrt(ab)), tf.mul(eps, tf.sqrt(tf.sub(1, ab)))) as tf.Tensor2D;
          model(xt, t);
          return tf.mean(tf.square(eps)) as tf.Scalar; // forgets the prediction
        }),
      );
      let error = '';
      await trainSpiral().catch((e) => (error = (e as Error).message));
      expect(error).to.match(/no gradient for parameter/);
    });

    it("a parameter used both by a network and by tfjs ops directly gets both parts of its gradient", () => {
      const net = mlp([3, 5, 2], 4, 'both');
      const x = tf.tensor2d(normals(rng(5), 12), [4, 3]);
      const loss = () => tf.add(tf.sum(tf.square(net.apply(x))), tf.sum(tf.mul(net.params[0], 0.5))) as tf.Scalar;
      const ours = tf.tidy(() => {
        const g = gradsOnKernels(loss, net.params).grads[0];
        expect(g).to.be.instanceOf(GradInHeap);
        const s = (g as GradInHeap).slot;
        return s.heap.f32(s.grad, 15).slice();
      });
      const theirs = tf.tidy(() => Float32Array.from(tf.variableGrads(loss, net.params).grads[net.params[0].name].dataSync()));
      expect(Array.from(ours)).to.deep.equal(Array.from(theirs));
      net.dispose();
      x.dispose();
    });

    it('says what COURSE_TAPE and the tape option must be, and Adam reads a gradient in the heap only on its kernels', async () => {
      process.env.COURSE_TAPE = 'torch';
      expect(() => defaultTape()).to.throw(/COURSE_TAPE must be kernels or tfjs; got "torch"/);
      delete process.env.COURSE_TAPE;
      const p = denseInit(2, 2, rng(1), 'tape-opt');
      const loop = trainLoop([p.w], () => tf.sum(p.w) as tf.Scalar, { steps: 1, progress: false, tape: 'gpu' as 'tfjs' });
      let error = '';
      await loop.next().catch((e) => (error = (e as Error).message));
      expect(error).to.match(/tape must be 'kernels' or 'tfjs', got "gpu"/);
      const js = adam([p.w], { impl: 'js' });
      expect(() => js.step([new GradInHeap(slotOf(p.w)!)])).to.throw(/in the kernels' heap, which only impl 'kernels' reads/);
      p.w.dispose();
      p.b.dispose();
    });
  });
});
