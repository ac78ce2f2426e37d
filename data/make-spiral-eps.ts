// Makes data/spiral-eps.json: the spiral ε-network trained by the course's recipe
// (lib/diffusion/spiral.ts, SPIRAL_RECIPE, full length, fixed seeds). Chapters 3 and 4 load it.
//   npx tsx data/make-spiral-eps.ts
import * as fs from 'fs';
import * as path from 'path';
import { ready } from '../lib/backend';
import { saveEpsNet, spiralSetup, trainSpiral } from '../lib/diffusion';

(async () => {
  await ready();
  const { net, states } = await trainSpiral(spiralSetup(0));
  const last = states[states.length - 1];
  const out = path.join(__dirname, 'spiral-eps.json');
  fs.writeFileSync(out, JSON.stringify({ ...saveEpsNet(net), made: { by: 'data/make-spiral-eps.ts', steps: last.step, loss: last.loss, seconds: last.seconds } }));
  console.log(`wrote ${out}: ${last.step} steps, loss ${last.loss.toFixed(4)}, ${last.seconds.toFixed(1)} s`);
})();
