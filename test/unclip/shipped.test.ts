// The shipped weights (data/unclip/unclip.json) through today's denoiser give the numbers the
// code that trained them gave. fixtures/shipped-predictions.json was written once by running the
// pre-refactor lib/unclip/denoiser.ts (commit 10f3a37, before chapter 6's denoiser became chapter
// 5's with options) on the shipped file: x̂0 = the network's output, ε̂ per row, and a guided
// generate() call; its produced_by field says exactly what was run.
import { expect } from 'chai';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { loadUnclip, generate, UNCLIP_WEIGHTS } from '../../lib/unclip';
import { normals } from '../../lib/random';
import { takeUsed } from '../../lib/exercise/registry';

const fixture = JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', 'shipped-predictions.json'), 'utf8')) as {
  unclip_json_sha256: string;
  t: number[];
  x0Hat: number[];
  x0HatUncond: number[];
  epsHat: number[];
  images: number[];
};

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).to.equal(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

describe('unclip: the shipped weights give the recorded predictions', function () {
  this.timeout(60000);
  const sha = crypto.createHash('sha256').update(fs.readFileSync(UNCLIP_WEIGHTS)).digest('hex');

  it('the fixture was recorded on this data/unclip/unclip.json', () => {
    expect(sha, 'data/unclip/unclip.json changed since the fixture was recorded: re-record test/unclip/fixtures/shipped-predictions.json').to.equal(fixture.unclip_json_sha256);
  });

  it('x̂0 (conditional and unconditional) and ε̂ match the pre-refactor denoiser', () => {
    const { unclip, classifier, clip } = loadUnclip();
    try {
      const m = unclip.model;
      const n = fixture.t.length;
      const xs = normals(123, n * 196);
      const c = unclip.embed('a thick seven');
      const [x0Hat, x0HatUncond, epsHat] = tf.tidy(() => {
        const X = tf.tensor2d(xs, [n, 196]);
        const C = tf.tile(tf.tensor2d(c, [1, c.length]), [n, 1]) as tf.Tensor2D;
        // ε̂ row by row, through the EpsModel the samplers use (one t per call).
        const eps = fixture.t.map((t, r) => m.eps(c)(tf.slice(X, [r, 0], [1, 196]) as tf.Tensor2D, t));
        return [m.predict(X, fixture.t, C).dataSync(), m.predict(X, fixture.t, null).dataSync(), tf.concat(eps, 0).dataSync()];
      });
      expect(maxDiff(x0Hat, fixture.x0Hat)).to.be.below(1e-5);
      expect(maxDiff(x0HatUncond, fixture.x0HatUncond)).to.be.below(1e-5);
      expect(maxDiff(epsHat, fixture.epsHat)).to.be.below(1e-4);
      takeUsed();
      const images = generate(unclip, { prompt: 'a thick seven', negative: 'a thin seven', w: 3, n: 2, seed: 5, steps: 8 });
      expect(maxDiff(images, fixture.images)).to.be.below(1e-3);
      // Chapter 6's exercise turns every x̂0 into ε̂ (the model's and the clipping's).
      expect(takeUsed()).to.include.members(['unclip/epsFromX0', 'guidance/cfgCombine', 'diffusion/ddimStep']); // the negative prompt runs cfgCombine
      // Without the x̂0 clipping the same noise gives other images.
      const unclipped = generate(unclip, { prompt: 'a thick seven', negative: 'a thin seven', w: 3, n: 2, seed: 5, steps: 8, clip: false });
      expect(maxDiff(unclipped, images)).to.be.above(0.05);
      // Several prompts in one batch: prompt i gets the images a single call with seed + i gives.
      const batch = generate(unclip, { prompt: ['a thick seven', 'a thin two'], negative: 'a thin seven', w: 3, n: 2, seed: 5, steps: 8 });
      const second = generate(unclip, { prompt: 'a thin two', negative: 'a thin seven', w: 3, n: 2, seed: 6, steps: 8 });
      expect(maxDiff(batch.subarray(0, 2 * 196), images)).to.be.below(1e-4);
      expect(maxDiff(batch.subarray(2 * 196), second)).to.be.below(1e-4);
    } finally {
      unclip.model.dispose();
      classifier.dispose();
      clip.dispose();
    }
  });

  it('loading the same file again (a rerun notebook cell) frees the previous load: tf.memory() stays flat', () => {
    const first = loadUnclip();
    const tensors = tf.memory().numTensors;
    const second = loadUnclip();
    expect(tf.memory().numTensors).to.equal(tensors);
    expect(first.unclip.model.params[0].isDisposed).to.equal(true);
    second.unclip.model.dispose();
    second.classifier.dispose();
    second.clip.dispose();
  });
});
