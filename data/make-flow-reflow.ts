// Makes data/flow-reflow.json: chapter 7's 2-rectified flow, trained by lib/flow's REFLOW_RECIPE
// on (noise, end point) pairs of the chapter's 1-rectified network (data/flow-spiral.json, so
// make that first if it changed). Fixed seeds; chapter 7 loads the result.
//   npx tsx data/make-flow-reflow.ts
import * as fs from 'fs';
import * as path from 'path';
import { ready } from '../lib/backend';
import { REFLOW_RECIPE, loadFlowSpiralNet, saveVelocityNet, trainReflow } from '../lib/flow';

(async () => {
  await ready();
  const teacher = loadFlowSpiralNet();
  const { net, states } = await trainReflow(teacher);
  const last = states[states.length - 1];
  const out = path.join(__dirname, 'flow-reflow.json');
  fs.writeFileSync(out, JSON.stringify({ ...saveVelocityNet(net), made: { by: 'data/make-flow-reflow.ts', teacher: 'data/flow-spiral.json', recipe: REFLOW_RECIPE, steps: last.step, loss: last.loss, seconds: last.seconds } }));
  console.log(`wrote ${out}: ${last.step} steps, loss ${last.loss.toFixed(4)}, ${last.seconds.toFixed(1)} s`);
})();
