// Makes data/flow-moons.json: chapter 7's Try-it network on the two moons, trained by lib/flow's
// trainFlowMoons (MOONS_RECIPE: full length, fixed seeds), the same call the chapter makes when the
// learner sets trainMoons = true. Chapter 7 loads it otherwise.
//   npx tsx data/make-flow-moons.ts
import * as fs from 'fs';
import * as path from 'path';
import { ready } from '../lib/backend';
import { saveVelocityNet, trainFlowMoons } from '../lib/flow';

(async () => {
  await ready();
  const { net, states } = await trainFlowMoons();
  const last = states[states.length - 1];
  const out = path.join(__dirname, 'flow-moons.json');
  fs.writeFileSync(out, JSON.stringify({ ...saveVelocityNet(net), made: { by: 'data/make-flow-moons.ts', steps: last.step, loss: last.loss, seconds: last.seconds } }));
  console.log(`wrote ${out}: ${last.step} steps, loss ${last.loss.toFixed(4)}, ${last.seconds.toFixed(1)} s`);
})();
