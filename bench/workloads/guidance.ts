// Chapter 5's numbers (../shared/bench/README.md, "guidance"): a class-conditional
// denoiser on the 5-class spiral, trained from scratch with a fixed seed; class accuracy
// per guidance scale and the negative-prompt share. Full mode: 3,000 steps, 400 samples
// per class; quick mode: 800 steps, 100 samples per class.
import type { BenchContext } from '../context';
import { guidanceSweep, negativeShares, trainSpiralGuidance } from '../../lib/guidance';

export async function run(ctx: { quick: boolean } & Partial<BenchContext>): Promise<Record<string, unknown>> {
  const steps = ctx.quick ? 800 : 3000;
  const s = await trainSpiralGuidance({ steps, lr: ctx.quick ? 3e-3 : 1e-3, seed: 0, label: 'guidance train' });
  ctx.sample?.();
  const n = ctx.quick ? 100 : 400;
  const ws = [0, 1, 2, 3, 5, 10];
  const rows = guidanceSweep(s.model, s.held, s.schedule, { ws, n, seed: 100 });
  const neg = negativeShares(s.model, s.held, s.schedule, { w: 3, n, seed: 200 });
  ctx.sample?.();
  s.model.dispose();
  const r4 = (v: number) => Math.round(v * 1e4) / 1e4;
  ctx.log?.(`guidance: ${s.held.classes} classes; spread per w ${rows.map((r) => `${r.w}:${r.spread.toFixed(3)}`).join(' ')}`);
  return {
    train_seconds: Math.round(s.seconds * 10) / 10,
    train_steps: steps,
    classes: s.held.classes,
    class_accuracy: Object.fromEntries(rows.map((r) => [String(r.w), r4(r.accuracy)])),
    spread: Object.fromEntries(rows.map((r) => [String(r.w), r4(r.spread)])),
    coverage: Object.fromEntries(rows.map((r) => [String(r.w), r4(r.coverage)])),
    negative_class_share: { unguided: r4(neg.unguided), negative_prompt: r4(neg.negative) },
  };
}
