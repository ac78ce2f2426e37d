// Train the CLIP that notebooks load and save it to data/clip/clip.json:
//   npx tsx scripts/train-clip.ts [--out FILE] [--steps N] [--seed S]
// Same code and (by default) the same full-mode settings as `npm run bench -- clip`.
import * as path from 'path';
import { ready } from '../lib/backend';
import { loadDigits } from '../lib/data';
import { CLIP_WEIGHTS, clipTrainOptions, saveClip, trainClip, zeroShotAccuracy, retrieval } from '../lib/clip';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main() {
  const backend = await ready();
  const out = path.resolve(arg('out') ?? CLIP_WEIGHTS);
  const seed = Number(arg('seed') ?? 0);
  const opts = { ...clipTrainOptions(false) };
  if (arg('steps')) opts.steps = Number(arg('steps'));
  const data = loadDigits();
  const { clip, history, seconds } = await trainClip(data, opts, seed);
  const zeroShot = zeroShotAccuracy(clip, data.test);
  const r = retrieval(clip, data.test, clip.thresholds!);
  const meta = {
    script: 'scripts/train-clip.ts',
    seed,
    ...opts,
    backend,
    train_seconds: Math.round(seconds * 10) / 10,
    final_loss: history[history.length - 1].loss,
    logit_scale: clip.logitScale(),
    zero_shot_accuracy: zeroShot,
    text_to_image_recall: r.textToImage,
    image_to_text_recall: r.imageToText,
    history: history.map((h) => ({ step: h.step, loss: h.loss, logitScale: h.logitScale })),
  };
  saveClip(clip, out, meta);
  console.log(JSON.stringify({ out: path.relative(process.cwd(), out), ...meta, history: undefined }, null, 1));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
