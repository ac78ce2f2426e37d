// `npm run bench -- … --contend N`: N busy processes beside the timing rounds (a laptop or hub node
// is never idle), and the course's own one-thread figure (COURSE_THREADS=1) in the same run, so a
// workload can report its ratio to PyTorch under load and to itself on one thread.
import { ChildProcess, spawn, spawnSync } from 'child_process';
import * as path from 'path';

/** Start n processes that spin on a core each until stop() (which ends exactly those, by pid). */
export function busy(n: number): { stop(): void } {
  const kids: ChildProcess[] = [];
  for (let i = 0; i < n; i++) kids.push(spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }));
  return {
    stop() {
      for (const k of kids) if (k.exitCode === null && k.signalCode === null) k.kill('SIGKILL');
    },
  };
}

/**
 * The workload's own timing (its `timeOurs(ctx, round)`) once, in a fresh process with
 * COURSE_THREADS=1: the rate it printed.
 */
export function oneThread(workload: string, quick: boolean): number {
  const tsx = path.join(__dirname, '..', 'node_modules', 'tsx', 'dist', 'cli.mjs');
  const env: NodeJS.ProcessEnv = { ...process.env, COURSE_THREADS: '1' };
  if (quick) env.COURSE_QUICK = '1';
  const r = spawnSync(process.execPath, [tsx, path.join(__dirname, 'one-thread.ts'), workload], { env, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`bench: the one-thread run of ${workload} failed (${r.status}): ${(r.stderr || r.stdout).slice(-500)}`);
  const out = JSON.parse(r.stdout.trim().split('\n').pop()!);
  if (typeof out.rate !== 'number') throw new Error(`bench: the one-thread run of ${workload} printed no rate`);
  return out.rate;
}

/**
 * The contended rounds of a timing workload: with n busy processes running, alternate the course
 * on its usual threads (here), the course on one thread (a fresh process) and PyTorch (theirs(),
 * undefined where it cannot run); each side's best round. unit names the rate (steps_per_s, …).
 */
export async function contended(
  n: number,
  workload: string,
  quick: boolean,
  rounds: number,
  unit: string,
  ours: (round: string) => Promise<number>,
  theirs: () => number | undefined,
  aside: () => number,
): Promise<Record<string, unknown>> {
  const r2 = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;
  const load = busy(n);
  const two: number[] = [], one: number[] = [], torch: number[] = [];
  const aside0 = aside();
  try {
    for (let r = 0; r < rounds; r++) {
      two.push(await ours(`contend ${n}, round ${r + 1}`));
      one.push(oneThread(workload, quick));
      const t = theirs();
      if (t !== undefined) torch.push(t);
    }
  } finally {
    load.stop();
  }
  const best = Math.max(...two), bestOne = Math.max(...one);
  const out: Record<string, unknown> = {
    contend: n,
    [unit]: r2(best),
    [`one_thread_${unit}`]: r2(bestOne),
    ratio_to_one_thread: r2(best / bestOne, 3),
    [`rounds_${unit}`]: two.map((x) => r2(x)),
    [`one_thread_rounds_${unit}`]: one.map((x) => r2(x)),
    // How long the pool ran without its helper because the helper fell behind (lib/nn/wasm/queue.ts).
    helper_aside_ms: r2(aside() - aside0, 0),
  };
  if (torch.length) {
    out[`torch_${unit}`] = r2(Math.max(...torch));
    out.ratio_to_torch = r2(best / Math.max(...torch), 3);
  }
  return out;
}
