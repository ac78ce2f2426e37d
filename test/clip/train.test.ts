import { expect } from 'chai';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { loadDigits, subset } from '../../lib/data';
import {
  createClip, fitClip, trainClip, captionedBatches, attributeThresholds, describeDigits, zeroShotAccuracy, zeroShot,
  imagesTensor, recallAtK, retrieval, saveClip, loadClip, searchImages, Clip, CLIP_WEIGHTS,
} from '../../lib/clip';

const QUICK = { steps: 60, batch: 64, lr: 3e-3, progress: false, every: 10 };

describe('clip/training and evaluation', function () {
  this.timeout(120000);
  let clip: Clip;
  let history: { step: number; loss: number; logitScale: number }[];

  before(async () => {
    const r = await trainClip(loadDigits(), QUICK, 0);
    clip = r.clip;
    history = r.history;
  });
  after(() => clip?.dispose());

  it('the loss falls and the temperature is learned (quick training)', () => {
    expect(history).to.have.length(6);
    expect(history[history.length - 1].loss).to.be.below(history[0].loss);
    expect(history[0].loss).to.be.below(Math.log(64) + 0.5);
    expect(history[history.length - 1].logitScale).to.not.be.closeTo(1 / 0.07, 1e-3);
  });

  it('is seeded: the same seed gives the same batches and the same loss curve', async () => {
    const { train } = loadDigits();
    const attrs = describeDigits(train, attributeThresholds(train));
    const a = captionedBatches(train, attrs, 5)(8), b = captionedBatches(train, attrs, 5)(8);
    expect(a.captions).to.deep.equal(b.captions);
    expect(Array.from(a.idx)).to.deep.equal(Array.from(b.idx));
    const small = subset(train, Array.from({ length: 500 }, (_, i) => i));
    const run = async () => {
      const r = await trainClip({ train: small }, { ...QUICK, steps: 10, every: 5 }, 7, { dim: 32, imageHidden: [16] });
      r.clip.dispose();
      return r.history.map((h) => h.loss);
    };
    expect(await run()).to.deep.equal(await run());
  });

  it('leaks no tensors: numTensors is flat across training steps', async () => {
    const { train } = loadDigits();
    const m = createClip(3, { dim: 32, imageHidden: [16] });
    const counts: number[] = [];
    await fitClip(m, train, { steps: 12, batch: 16, lr: 1e-3, progress: false, every: 2 }, 1, () => counts.push(tf.memory().numTensors));
    expect(counts).to.have.length(6);
    expect(new Set(counts).size, `numTensors per report: ${counts}`).to.equal(1);
    const before = tf.memory().numTensors;
    m.dispose();
    expect(tf.memory().numTensors).to.equal(before - m.params.length);
  });

  it('zero-shot classification from prompts alone beats chance by far, even after quick training', () => {
    const acc = zeroShotAccuracy(clip, loadDigits().test);
    expect(acc).to.be.above(0.5);
    const x = imagesTensor(subset(loadDigits().test, [0, 1, 2]));
    const before = tf.memory().numTensors;
    const pred = zeroShot(clip, x);
    expect(pred).to.have.length(3);
    expect(tf.memory().numTensors).to.equal(before);
  });

  it('recallAtK counts queries with a relevant item among the top k', () => {
    // 3 queries × 4 items.
    const scores = [0.9, 0.1, 0.5, 0.3, /**/ 0.2, 0.8, 0.7, 0.1, /**/ 0.1, 0.2, 0.3, 0.4];
    const rel = (q: number, i: number) => (q === 0 && i === 0) || (q === 1 && i === 2) || (q === 2 && i === 0);
    expect(recallAtK(scores, 3, rel, [1, 2, 4])).to.deep.equal({ 1: 1 / 3, 2: 2 / 3, 4: 1 });
    expect(() => recallAtK(scores, 3, rel, [5])).to.throw(/k must be in \[1, 4\]/);
  });

  it('retrieval reports recall@1 ≤ recall@5 in [0, 1] and finds digits from a bare prompt', () => {
    const { test } = loadDigits();
    const small = subset(test, Array.from({ length: 300 }, (_, i) => i));
    const r = retrieval(clip, small, clip.thresholds!);
    for (const k of ['textToImage', 'imageToText', 'digitToImage'] as const) {
      expect(r[k][1]).to.be.within(0, 1);
      expect(r[k][5]).to.be.at.least(r[k][1]);
    }
    expect(r.textToImage[5]).to.be.above(0.5);
    const x = imagesTensor(small);
    const top = searchImages(clip, x, 'a handwritten seven', 5);
    expect(top.filter((t) => small.labels[t.index] === 7).length).to.be.at.least(3);
    x.dispose();
  });

  it('saveClip / loadClip round-trips the weights exactly', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'clip-')), 'clip.json');
    saveClip(clip, file, { note: 'test' });
    const back = await loadClip(file);
    expect(back.meta).to.deep.equal({ note: 'test' });
    const caps = ['a thin one', 'the digit 7'];
    const a = clip.encodeTexts(caps).dataSync(), b = back.encodeTexts(caps).dataSync();
    expect(Array.from(b)).to.deep.equal(Array.from(a));
    expect(back.thresholds).to.deep.equal(clip.thresholds);
    back.dispose();
    await loadClip(path.join(path.dirname(file), 'none.json')).then(
      () => expect.fail('should throw'),
      (e: Error) => expect(e.message).to.match(/does not exist/),
    );
  });

  it('encodeTexts / encodeImages are unit vectors of the model dimension and reject bad input clearly', () => {
    const t = clip.encodeTexts(['a thick, left-slanted seven', 'a 3']);
    expect(t.shape).to.deep.equal([2, 512]);
    tf.norm(t, 2, 1).dataSync().forEach((v) => expect(v).to.be.closeTo(1, 1e-5));
    expect(() => clip.encodeTexts(['a tiny dragon'])).to.throw(/unknown words "tiny", "dragon"/);
    expect(() => clip.encodeTexts(['dragon'], { unknown: 'ignore' })).to.throw(/no known word/);
    expect(() => clip.encodeImages(tf.zeros([2, 100]) as tf.Tensor2D)).to.throw(/784 columns, got shape \[2,100\]/);
    const bad = tf.buffer([2, 784]);
    bad.set(NaN, 1, 5);
    expect(() => clip.encodeImages(bad.toTensor() as tf.Tensor2D)).to.throw(/NaN at \[1,5\]/);
  });

  it('the shipped weights load and classify held-out digits zero-shot', async function () {
    if (!fs.existsSync(CLIP_WEIGHTS)) throw new Error(`${CLIP_WEIGHTS} is missing: run npx tsx scripts/train-clip.ts`);
    const shipped = await loadClip();
    expect(shipped.config.dim).to.equal(512);
    expect(zeroShotAccuracy(shipped, loadDigits().test)).to.be.above(0.9);
    shipped.dispose();
  });
});
