// Makes data/guidance-spiral.json: chapter 5's class-conditional denoiser trained by the course's
// recipe (lib/guidance/spiral.ts, GUIDANCE_RECIPE, full length, fixed seeds), with the same run's
// early checkpoint (GUIDANCE_RECIPE.earlyStep) and its loss history. Chapter 5 loads it.
//   npx tsx data/make-guidance-spiral.ts
import { ready } from '../lib/backend';
import { GUIDANCE_RECIPE, GUIDANCE_WEIGHTS, saveSpiralGuidance, trainSpiralGuidance } from '../lib/guidance';

(async () => {
  await ready();
  const r = GUIDANCE_RECIPE;
  const run = await trainSpiralGuidance({ ...r, checkpoints: [r.earlyStep], label: 'guidance spiral' });
  const last = run.states[run.states.length - 1];
  saveSpiralGuidance(run, r, GUIDANCE_WEIGHTS, { by: 'data/make-guidance-spiral.ts', steps: last.step, loss: last.loss, seconds: run.seconds });
  console.log(`wrote ${GUIDANCE_WEIGHTS}: ${last.step} steps, loss ${last.loss.toFixed(4)}, ${run.seconds.toFixed(1)} s; checkpoint at step ${run.checkpoints.map((c) => c.step).join(', ')}`);
  run.dispose();
})();
