// Chapter 6's numbers (../shared/bench/README.md, "unclip"): a CLIP (chapter 1's recipe),
// a digit classifier and the text-conditioned denoiser, all trained from scratch with a
// fixed seed (never the shipped weights); prompt accuracy per guidance scale, judged by
// the classifier. train_seconds counts the unCLIP's own models (classifier + denoiser);
// the CLIP's time is reported apart as clip_seconds (the clip workload owns it).
import type { BenchContext } from '../context';
import { buildUnclip, promptAccuracy, UNCLIP_DEFAULTS } from '../../lib/unclip';

export async function run(ctx: { quick: boolean } & Partial<BenchContext>): Promise<Record<string, unknown>> {
  const b = await buildUnclip({
    seed: 0,
    steps: ctx.quick ? UNCLIP_DEFAULTS.quickSteps : UNCLIP_DEFAULTS.steps,
    classifierSteps: ctx.quick ? 300 : 2000,
    quickClip: ctx.quick,
  });
  ctx.sample?.();
  const ws = [0, 1, 3, 5];
  const acc = promptAccuracy(b.unclip, b.classifier, { ws, n: ctx.quick ? 10 : 50 });
  ctx.sample?.();
  const r4 = (v: number) => Math.round(v * 1e4) / 1e4;
  ctx.log?.(`unclip: per-digit accuracy at w = 3: ${acc[2].perDigit.map((a) => a.toFixed(2)).join(' ')}`);
  b.unclip.model.dispose();
  b.classifier.dispose();
  b.unclip.clip.dispose();
  return {
    train_seconds: Math.round((b.seconds.classifier + b.seconds.denoiser) * 10) / 10,
    denoiser_seconds: Math.round(b.seconds.denoiser * 10) / 10,
    denoiser_steps: b.denoiserSteps,
    classifier_seconds: Math.round(b.seconds.classifier * 10) / 10,
    clip_seconds: Math.round(b.seconds.clip * 10) / 10,
    classifier_accuracy: r4(b.classifierAccuracy),
    prompt_accuracy: Object.fromEntries(acc.map((a) => [String(a.w), r4(a.accuracy)])),
  };
}
