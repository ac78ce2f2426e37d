// keep(): rerunning a training cell frees the previous run's network, so
// tf.memory().numTensors stays where one run left it.
import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import { keep, keepName } from '../../lib/notebook';
import { spiralSetup, trainSpiral } from '../../lib/diffusion';
import { trainSpiralGuidance } from '../../lib/guidance';
import { buildUnclip } from '../../lib/unclip';
import { trainClip, clipTrainOptions } from '../../lib/clip';
import { loadDigits } from '../../lib/data';

describe('keep (values that a rerun replaces)', function () {
  this.timeout(120000);

  it('disposes what was kept under the same name before, nothing else', () => {
    const a = tf.ones([3]);
    const b = tf.ones([3]);
    const other = tf.ones([2]);
    keep('test:a', { nested: [a] });
    keep('test:other', other);
    expect(keep('test:a', b)).to.equal(b);
    expect(a.isDisposed).to.equal(true);
    expect(b.isDisposed).to.equal(false);
    expect(other.isDisposed).to.equal(false);
    keep('test:a', b); // the same value again is not disposed
    expect(b.isDisposed).to.equal(false);
    keep('test:a', null);
    keep('test:other', null);
    expect(b.isDisposed && other.isDisposed).to.equal(true);
  });

  it('names a call by its entry and options (functions left out)', () => {
    expect(keepName('train', { steps: 5, onStep: () => 1 })).to.equal(keepName('train', { steps: 5 }));
    expect(keepName('train', { steps: 5 })).to.not.equal(keepName('train', { steps: 6 }));
  });

  it('trainSpiral twice with the same options leaves numTensors where one call left it', async () => {
    const setup = spiralSetup(0, 400, 100);
    const opts = { steps: 3, batch: 32, progress: false };
    const before = tf.memory().numTensors;
    const first = await trainSpiral(setup, opts);
    const afterOne = tf.memory().numTensors;
    expect(afterOne).to.be.above(before); // the network's weights are alive
    await trainSpiral(setup, opts);
    expect(tf.memory().numTensors).to.equal(afterOne);
    expect(() => first.net.dispose()).to.not.throw(); // disposing again is harmless
    const other = await trainSpiral(setup, { ...opts, seed: 5 }); // another call keeps its own
    expect(tf.memory().numTensors).to.be.above(afterOne);
    other.net.dispose();
  });

  it('trainSpiralGuidance twice with the same options leaves numTensors where one call left it', async () => {
    const opts = { steps: 2, hidden: [16], batch: 32, progress: false };
    await trainSpiralGuidance(opts);
    const afterOne = tf.memory().numTensors;
    await trainSpiralGuidance(opts);
    expect(tf.memory().numTensors).to.equal(afterOne);
  });
});

describe('keep in buildUnclip', function () {
  this.timeout(300000);
  it('buildUnclip twice with the same options leaves numTensors where one call left it', async () => {
    // A small CLIP of our own, passed in: the caller's, so it must survive the rerun.
    const { clip } = await trainClip(loadDigits(), { ...clipTrainOptions(true), steps: 2 }, 3, { dim: 16, imageHidden: [16] });
    const opts = { seed: 2, steps: 2, hidden: [16], classifierSteps: 2, clip, progress: false };
    await buildUnclip(opts);
    const afterOne = tf.memory().numTensors;
    await buildUnclip(opts);
    expect(tf.memory().numTensors).to.equal(afterOne);
    const e = clip.encodeTexts(['a seven']); // the CLIP still works
    expect(e.shape).to.deep.equal([1, 16]);
    e.dispose();
  });
});
