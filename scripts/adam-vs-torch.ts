// npx tsx scripts/adam-vs-torch.ts
// Cross-check lib/nn's Adam against torch.optim.Adam itself: the same starting weights and the
// same gradients (sizes from 1e-8 to 1, so ε's place matters), a few steps, on every path
// (wasm kernels, JS loop, tensor ops). Prints the update's relative error per path,
// max|Δθ_course − Δθ_torch| / max|Δθ_torch|, and exits 1 if one exceeds 1e-5.
// Needs python3 with torch (COURSE_TORCH_PYTHON, default /usr/bin/python3); exits 2 naming
// the problem if it is missing. A script, not a test: the test suite does not depend on torch.
import * as tf from '@tensorflow/tfjs';
import { spawnSync } from 'child_process';
import { ready } from '../lib/backend';
import { adam, denseInit } from '../lib/nn';
import { normals, rng } from '../lib/random';

const TOL = 1e-5;
const STEPS = 5;
const LR = 1e-3;

const TORCH = `
import json, sys, torch
d = json.load(sys.stdin)
ps = [torch.tensor(p, dtype=torch.float32, requires_grad=True) for p in d["p0"]]
opt = torch.optim.Adam(ps, lr=d["lr"])
for gs in d["grads"]:
    for p, g in zip(ps, gs):
        p.grad = torch.tensor(g, dtype=torch.float32)
    opt.step()
print(json.dumps([p.detach().tolist() for p in ps]))
`;

async function main(): Promise<number> {
  const python = process.env.COURSE_TORCH_PYTHON ?? '/usr/bin/python3';
  await ready();
  const g = rng(3);
  // A 7×9 weight and a 9-long bias (lengths not multiples of 4), weights of size 1e-3.
  const p0 = [63, 9].map((n) => Array.from(normals(g, n), (x) => Math.fround(1e-3 * x)));
  const scales = [1e-8, 1e-7, 1e-6, 1e-3, 1];
  const grads = Array.from({ length: STEPS }, () => p0.map((p) => Array.from(normals(g, p.length), (x, j) => Math.fround(x * scales[j % scales.length]))));
  const r = spawnSync(python, ['-c', TORCH], { input: JSON.stringify({ p0, grads, lr: LR }), encoding: 'utf8' });
  if (r.error || r.status !== 0) {
    console.error(`adam-vs-torch: ${python} could not run torch.optim.Adam: ${r.error?.message ?? r.stderr.trim().split('\n').pop()}`);
    return 2;
  }
  const want = JSON.parse(r.stdout) as number[][];
  let failed = false;
  for (const impl of ['kernels', 'js', 'ops'] as const) {
    const layer = denseInit(7, 9, g, `adam-vs-torch-${impl}`);
    const ps = [layer.w, layer.b];
    ps.forEach((p, i) => p.assign(tf.tensor(p0[i], p.shape)));
    const opt = adam(ps, { lr: LR, impl });
    for (const gs of grads) {
      const ts = gs.map((x, i) => tf.tensor(x, ps[i].shape));
      opt.step(ts);
      tf.dispose(ts);
    }
    let num = 0, den = 0;
    ps.forEach((p, i) => {
      const got = p.dataSync();
      for (let j = 0; j < got.length; j++) {
        num = Math.max(num, Math.abs(got[j] - want[i][j]));
        den = Math.max(den, Math.abs(want[i][j] - p0[i][j]));
      }
    });
    const rel = num / den;
    failed ||= !(rel <= TOL);
    console.log(`${impl.padEnd(7)} relative error of the update after ${STEPS} steps: ${rel.toExponential(2)} (${opt.impl}; limit ${TOL})`);
    opt.dispose();
    tf.dispose(ps);
  }
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error((e as Error).stack ?? e);
    process.exit(2);
  },
);
