// Run by bench/contend.ts's oneThread() with COURSE_THREADS=1: one timing round of a workload's
// timeOurs(ctx, round), printed as {"rate": …} on the last line.
import * as path from 'path';
import { ready } from '../lib/backend';
import { isQuick } from '../lib/config';
import type { BenchContext } from './context';

async function main() {
  const name = process.argv[2];
  if (!/^[a-z0-9_-]+$/.test(name ?? '')) throw new Error('usage: one-thread.ts WORKLOAD');
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const mod = require(path.join(__dirname, 'workloads', `${name}.ts`));
  if (typeof mod.timeOurs !== 'function') throw new Error(`bench: workload ${name} has no timeOurs(ctx, round)`);
  const backend = await ready();
  const silent = { update: async () => '', done: () => {}, line: '' };
  const ctx: BenchContext = { quick: isQuick(), backend, name, progress: () => silent as never, sample: () => {}, log: () => {} };
  const rate = await mod.timeOurs(ctx, 'one thread');
  console.log(JSON.stringify({ rate }));
}
main().then(
  () => process.exit(0),
  (e) => {
    console.error((e as Error).stack ?? String(e));
    process.exit(1);
  },
);
