// Makes data/flow-spiral.json: chapter 7's velocity network trained by lib/flow's FLOW_RECIPE
// (chapter 3's recipe with the flow-matching target, full length, fixed seeds). Chapter 7 loads it.
//   npx tsx data/make-flow-spiral.ts
import * as fs from 'fs';
import * as path from 'path';
import { ready } from '../lib/backend';
import { spiralSetup } from '../lib/diffusion';
import { saveVelocityNet, trainFlowSpiral } from '../lib/flow';

(async () => {
  await ready();
  const { net, states } = await trainFlowSpiral(spiralSetup(0));
  const last = states[states.length - 1];
  const out = path.join(__dirname, 'flow-spiral.json');
  fs.writeFileSync(out, JSON.stringify({ ...saveVelocityNet(net), made: { by: 'data/make-flow-spiral.ts', steps: last.step, loss: last.loss, seconds: last.seconds } }));
  console.log(`wrote ${out}: ${last.step} steps, loss ${last.loss.toFixed(4)}, ${last.seconds.toFixed(1)} s`);
})();
