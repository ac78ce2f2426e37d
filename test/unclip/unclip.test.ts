import { expect } from 'chai';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import {
  buildUnclip, UnclipBuild, generate, promptAccuracy, digitPrompt, saveUnclip, loadUnclip,
  downsample, upsample, toSigned, fromSigned, digitClassifier, trainClassifier, SMALL_PIXELS,
  unclipDenoiser, unclipSchedule,
} from '../../lib/unclip';
import { trainDenoiser } from '../../lib/guidance';

describe('unclip: images', () => {
  it('downsample averages 2×2 blocks; upsample repeats them; the [−1, 1] scaling round-trips', () => {
    const im = new Float32Array(784);
    im[0] = 1; // top-left block: (1 + 0 + 0 + 0) / 4
    im[28 * 27 + 27] = 0.8; // bottom-right block
    const s = downsample(im);
    expect(s).to.have.length(196);
    expect(s[0]).to.be.closeTo(0.25, 1e-7);
    expect(s[195]).to.be.closeTo(0.2, 1e-7);
    expect(s.slice(1, 195).every((v) => v === 0)).to.equal(true);
    const back = downsample(upsample(s));
    back.forEach((v, i) => expect(v).to.be.closeTo(s[i], 1e-7));
    expect(Array.from(fromSigned(toSigned(new Float32Array([0, 0.5, 1]))))).to.deep.equal([0, 0.5, 1]);
    expect(Array.from(fromSigned(new Float32Array([-3, 3])))).to.deep.equal([0, 1]);
    expect(() => downsample(new Float32Array(100))).to.throw(/not a whole number of 28×28 images/);
  });
});

describe('unclip: quick build (CLIP, classifier, text-conditioned denoiser)', function () {
  this.timeout(300000);
  let b: UnclipBuild;
  let tensorsBefore = 0;
  before(async () => {
    b = await buildUnclip({ seed: 1, steps: 300, hidden: [128, 128], classifierSteps: 300, quickClip: true, progress: false });
    tensorsBefore = tf.memory().numTensors;
  });
  after(() => {
    b.unclip.model.dispose();
    b.classifier.dispose();
    b.unclip.clip.dispose();
  });

  it('the classifier is judged on held-out digits and is far above chance', () => {
    expect(b.classifierAccuracy).to.be.above(0.8);
  });

  it('generates n images of 14×14 in [0, 1] for a prompt, deterministic per seed, leaking no tensors', () => {
    const a = generate(b.unclip, { prompt: 'a thick seven', w: 3, n: 4, seed: 7, steps: 10 });
    const a2 = generate(b.unclip, { prompt: 'a thick seven', w: 3, n: 4, seed: 7, steps: 10 });
    const c = generate(b.unclip, { prompt: 'a thick seven', negative: 'a right-slanted seven', w: 3, n: 4, seed: 7, steps: 10 });
    expect(a).to.have.length(4 * SMALL_PIXELS);
    expect(Array.from(a).every((v) => v >= 0 && v <= 1)).to.equal(true);
    expect(Array.from(a)).to.deep.equal(Array.from(a2));
    expect(Array.from(c)).to.not.deep.equal(Array.from(a));
    expect(tf.memory().numTensors).to.equal(tensorsBefore);
  });

  it('bad input: prompts with no known words, unknown words, empty prompts, bad guidance scales', () => {
    expect(() => generate(b.unclip, { prompt: 'purple elephant', w: 3, n: 1, seed: 0 })).to.throw(/has no known word/);
    expect(() => generate(b.unclip, { prompt: 'a seven', negative: 'zebra', w: 3, n: 1, seed: 0 })).to.throw(/"zebra" has no known word/);
    // Unknown words next to known ones are dropped: "that is not" means nothing to a bag of words.
    expect(Array.from(b.unclip.embed('a seven that is not slanted'))).to.deep.equal(Array.from(b.unclip.embed('a slanted seven')));
    expect(() => generate(b.unclip, { prompt: '  ', w: 3, n: 1, seed: 0 })).to.throw(/non-empty string/);
    expect(() => generate(b.unclip, { prompt: 'a seven', w: NaN, n: 1, seed: 0 })).to.throw(/guidance scale w must be a finite number ≥ 0, got NaN/);
    expect(() => generate(b.unclip, { prompt: 'a seven', w: -2, n: 1, seed: 0 })).to.throw(/got -2/);
    expect(() => generate(b.unclip, { prompt: 'a seven', w: 1, n: 0, seed: 0 })).to.throw(/n must be a positive integer/);
    expect(() => digitPrompt(10)).to.throw(/digit must be 0..9/);
  });

  it('prompt accuracy: one figure per w, per-digit shares, same noise for every w', () => {
    const r = promptAccuracy(b.unclip, b.classifier, { ws: [0, 3], n: 5, steps: 10 });
    expect(r.map((x) => x.w)).to.deep.equal([0, 3]);
    expect(r[0].perDigit).to.have.length(10);
    expect(r[0].images[3]).to.have.length(5 * SMALL_PIXELS);
    // Each share is the classifier's verdict on that digit's images; the accuracy is their mean.
    for (const x of r) {
      x.perDigit.forEach((a, k) => expect(a).to.equal(Array.from(b.classifier.predict(x.images[k])).filter((d) => d === k).length / 5));
      expect(x.accuracy).to.be.closeTo(x.perDigit.reduce((p, q) => p + q, 0) / 10, 1e-12);
    }
    // Same starting noise for every w: at w = 1 and with a fixed seed, the images repeat exactly.
    const again = promptAccuracy(b.unclip, b.classifier, { ws: [3], n: 5, steps: 10 });
    expect(Array.from(again[0].images[7])).to.deep.equal(Array.from(r[1].images[7]));
  });

  it('save → load gives back the same denoiser, classifier and CLIP (to 16-bit rounding)', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'unclip-')), 'u.json');
    saveUnclip(b.unclip, b.classifier, file, { test: true });
    const l = loadUnclip(file);
    try {
      expect(l.meta).to.deep.equal({ test: true });
      const e1 = b.unclip.embed('a thin two');
      const e2 = l.unclip.embed('a thin two');
      e1.forEach((v, i) => expect(e2[i]).to.be.closeTo(v, 2e-3));
      const x = generate(b.unclip, { prompt: 'a thin two', w: 2, n: 3, seed: 3, steps: 8 });
      const y = generate(l.unclip, { prompt: 'a thin two', w: 2, n: 3, seed: 3, steps: 8 });
      let maxDiff = 0;
      x.forEach((v, i) => (maxDiff = Math.max(maxDiff, Math.abs(v - y[i]))));
      expect(maxDiff).to.be.below(0.05);
      expect(Array.from(l.classifier.predict(x))).to.deep.equal(Array.from(b.classifier.predict(x)));
    } finally {
      l.unclip.model.dispose();
      l.classifier.dispose();
      l.clip.dispose();
    }
    expect(() => loadUnclip(file + '.missing')).to.throw(/does not exist; make it with `npx tsx scripts\/train-unclip.ts`/);
  });
});

describe("unclip: the denoiser is chapter 5's with chapter 6's options", () => {
  const schedule = unclipSchedule();
  it('predicts x̂0 with the condition in every layer; trains with chapter 5\'s trainDenoiser, seeded, without leaking tensors', async () => {
    const m = unclipDenoiser({ dataDim: 4, condDim: 3, hidden: [8], alphaBar: schedule.alphaBar, seed: 0 });
    try {
      expect(m.target).to.equal('x0');
      expect(m.condEmbed).to.equal(128);
      const x = new Float32Array(4 * 10).map((_, i) => Math.sin(i));
      const c = new Float32Array(3 * 10).map((_, i) => Math.cos(i));
      const before = tf.memory().numTensors;
      const r = await trainDenoiser(m, { x, cond: c }, schedule, { steps: 5, batch: 8, seed: 0, progress: false, every: 1 });
      expect(r.states.map((s) => s.step)).to.deep.equal([1, 2, 3, 4, 5]);
      expect(tf.memory().numTensors).to.equal(before);
      let err: Error | null = null;
      await trainDenoiser(m, { x, cond: c.subarray(3) }, schedule, { steps: 1, seed: 0, progress: false }).catch((e: Error) => (err = e));
      expect(err!.message).to.match(/a vector model needs 10×3 condition values, got 27/);
      err = null;
      await trainDenoiser(m, { x, cond: c }, { ...schedule, alphaBar: schedule.alphaBar.map((a) => a * 0.5) }, { steps: 1, seed: 0, progress: false }).catch((e: Error) => (err = e));
      expect(err!.message).to.match(/ᾱ_0 = .* differs from the model's/);
      expect(() => m.eps([1, 2])).to.throw(/length 2, expected 3/);
      expect(() => m.eps([1, NaN, 2])).to.throw(/non-finite value at 1/);
    } finally {
      m.dispose();
    }
  });
});

describe('unclip: classifier input checks', () => {
  it('rejects labels outside 0..9 and mismatched lengths', async () => {
    const c = digitClassifier(0, [8]);
    try {
      let err: Error | null = null;
      await trainClassifier(c, new Float32Array(196 * 2), new Int32Array([1, 10]), { steps: 1, seed: 0, progress: false }).catch((e) => (err = e));
      expect(err!.message).to.match(/label 1 is 10, not a digit/);
      err = null;
      await trainClassifier(c, new Float32Array(196), new Int32Array([1, 2]), { steps: 1, seed: 0, progress: false }).catch((e) => (err = e));
      expect(err!.message).to.match(/196 pixel values for 2 labels/);
      expect(() => c.predict(new Float32Array(10))).to.throw(/not a whole number of 14×14 images/);
    } finally {
      c.dispose();
    }
  });
});
