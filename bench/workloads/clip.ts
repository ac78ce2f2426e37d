// Chapter 1's numbers (../shared/bench/README.md, "clip"): a tiny CLIP trained from scratch on
// captioned MNIST digits with a fixed seed (never the shipped weights), evaluated on the 2,000
// held-out digits. Full mode: 400 steps of 128 pairs; quick mode: 100 steps of 64.
import type { BenchContext } from '../context';
import { loadDigits } from '../../lib/data';
import { clipTrainOptions, retrieval, trainClip, zeroShotAccuracy } from '../../lib/clip';

export async function run(ctx: { quick: boolean } & Partial<BenchContext>): Promise<Record<string, unknown>> {
  const data = loadDigits(); // parsing the JSON digits is not training: outside the timer
  const opts = { ...clipTrainOptions(ctx.quick), label: 'clip train' };
  const { clip, history, seconds, thresholds } = await trainClip(data, opts, 0);
  ctx.sample?.();
  const t0 = performance.now();
  const zeroShot = zeroShotAccuracy(clip, data.test);
  const r = retrieval(clip, data.test, thresholds);
  const evalSeconds = (performance.now() - t0) / 1000;
  ctx.sample?.();
  const logitScale = clip.logitScale();
  clip.dispose();
  const r4 = (v: number) => Math.round(v * 1e4) / 1e4;
  ctx.log?.(`clip: dim ${clip.config.dim}, ${opts.steps} steps × ${opts.batch} pairs; text→image = each held-out digit's attribute caption ("a thick, left-slanted seven") against all ${data.test.n} held-out digits, a hit = an image with that digit and those attributes`);
  return {
    train_seconds: Math.round(seconds * 10) / 10,
    train_steps: opts.steps,
    batch: opts.batch,
    dim: clip.config.dim,
    final_loss: r4(history[history.length - 1].loss),
    logit_scale: Math.round(logitScale * 100) / 100,
    zero_shot_accuracy: r4(zeroShot),
    text_to_image_recall_at_1: r4(r.textToImage[1]),
    text_to_image_recall_at_5: r4(r.textToImage[5]),
    image_to_text_recall_at_1: r4(r.imageToText[1]),
    image_to_text_recall_at_5: r4(r.imageToText[5]),
    digit_prompt_to_image_recall_at_1: r4(r.digitToImage[1]),
    held_out: data.test.n,
    eval_seconds: Math.round(evalSeconds * 10) / 10,
  };
}
