// Make data/unclip/unclip.json: with chapter 1's shipped CLIP (data/clip/clip.json; --new-clip
// trains one with the same recipe instead), train the digit classifier and the text-conditioned
// denoiser from scratch (seeded), report the held-out numbers, and save all three together.
//   npx tsx scripts/train-unclip.ts            full mode (what ships)
//   COURSE_QUICK=1 npx tsx scripts/train-unclip.ts --out /tmp/unclip.json   quick check
import { ready } from '../lib/backend';
import { isQuick } from '../lib/config';
import { loadClip } from '../lib/clip';
import { buildUnclip, promptAccuracy, saveUnclip, UNCLIP_WEIGHTS } from '../lib/unclip';

async function main() {
  const i = process.argv.indexOf('--out');
  const out = i > 0 ? process.argv[i + 1] : UNCLIP_WEIGHTS;
  await ready();
  const clip = process.argv.includes('--new-clip') ? undefined : await loadClip();
  const j = process.argv.indexOf('--steps');
  const steps = j > 0 ? Number(process.argv[j + 1]) : undefined;
  const h = process.argv.indexOf('--hidden');
  const hidden = h > 0 ? (JSON.parse(process.argv[h + 1]) as number[]) : undefined;
  const b = await buildUnclip({ seed: 0, clip, steps, hidden });
  const acc = promptAccuracy(b.unclip, b.classifier, { ws: [0, 3], n: isQuick() ? 10 : 50 });
  const meta = {
    made_by: 'scripts/train-unclip.ts',
    clip: clip ? 'data/clip/clip.json' : 'trained by the script',
    quick: isQuick(),
    denoiser_steps: b.denoiserSteps,
    seconds: b.seconds,
    classifier_held_out_accuracy: b.classifierAccuracy,
    prompt_accuracy: Object.fromEntries(acc.map((a) => [String(a.w), a.accuracy])),
  };
  saveUnclip(b.unclip, b.classifier, out, meta);
  console.log(JSON.stringify(meta, null, 2));
  console.log(`wrote ${out}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
