// `npm run bench -- notebooks` (contract: ../shared/bench/README.md): each chapter executed
// headlessly from its first cell to its last (scripts/nbrun.py, the course kernel, full mode
// unless --quick), one fresh kernel per chapter, as a learner's Run All. Reports per notebook
// file name: wall seconds (kernel start included), the kernel process's peak RSS (MiB) and its
// CPU seconds (user + system, with its finished child processes such as check()'s sandboxes),
// which scripts/kernel.js writes when asked to shut down.
// COURSE_BENCH_NOTEBOOKS=00,03 (numbers, names or paths of .ipynb files, comma-separated) runs only those.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { BenchContext } from '../context';
const { root, courseConfig, jupyterEnv, notebooks } = require('../../scripts/env');

export interface NotebookBench {
  seconds: number;
  peak_rss_mb: number;
  cpu_seconds: number;
}

/** The course's notebooks that a selection names ('03', '03-ddpm', '03-ddpm.ipynb'); all without one. */
export function selectNotebooks(selection?: string): string[] {
  const all: string[] = notebooks();
  if (!selection || !selection.trim()) return all;
  return selection.split(',').map((s) => {
    // A path to any notebook (tests use a small one of their own).
    if (s.trim().endsWith('.ipynb') && fs.existsSync(s.trim())) return path.resolve(s.trim());
    const t = s.trim().replace(/\.ipynb$/, '');
    const hit = all.find((f) => {
      const stem = path.basename(f, '.ipynb');
      return stem === t || stem.slice(0, 2) === t.padStart(2, '0') || f === path.resolve(s.trim());
    });
    if (!hit) throw new Error(`bench notebooks: no notebook "${s.trim()}" (have ${all.map((f) => path.basename(f, '.ipynb')).join(', ')})`);
    return hit;
  });
}

const round = (x: number, d: number) => Math.round(x * 10 ** d) / 10 ** d;

/** Execute one notebook with a fresh kernel; its figures, or an error naming the failing cell. */
export function benchNotebook(file: string, opts: { quick: boolean; timeoutS?: number }): NotebookBench {
  const { python } = courseConfig();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'course-bench-nb-'));
  try {
    const stats = path.join(tmp, 'kernel.json');
    const results = path.join(tmp, 'results.json');
    const env = jupyterEnv({ COURSE_KERNEL_STATS: stats, COURSE_QUICK: opts.quick ? '1' : '0' });
    const r = spawnSync(python, [path.join(root, 'scripts', 'nbrun.py'), file, '--json', results, '--timeout', String(opts.timeoutS ?? 900)], {
      env,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    if (!fs.existsSync(results)) throw new Error(`bench notebooks: nbrun.py did not run ${path.basename(file)}: ${(r.stderr || String(r.error)).slice(-1500)}`);
    const [res] = JSON.parse(fs.readFileSync(results, 'utf8'));
    if (!res.ok) throw new Error(`bench notebooks: ${path.basename(file)} failed at cell ${res.failure.cell}: ${String(res.failure.message).slice(0, 1000)}`);
    if (!fs.existsSync(stats)) throw new Error(`bench notebooks: the kernel wrote no figures for ${path.basename(file)} (COURSE_KERNEL_STATS; is the kernel scripts/kernel.js?)`);
    const k = JSON.parse(fs.readFileSync(stats, 'utf8'));
    return { seconds: round(res.seconds, 2), peak_rss_mb: round(k.peak_rss_mb, 1), cpu_seconds: round(k.cpu_seconds, 2) };
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

export async function run(ctx: { quick: boolean } & Partial<BenchContext>): Promise<Record<string, unknown>> {
  const files = selectNotebooks(process.env.COURSE_BENCH_NOTEBOOKS);
  const bar = ctx.progress?.(files.length, { unit: 'notebooks' });
  const out: Record<string, NotebookBench> = {};
  for (const [i, file] of files.entries()) {
    const stem = path.basename(file, '.ipynb');
    out[stem] = benchNotebook(file, { quick: ctx.quick });
    ctx.log?.(`notebooks: ${stem} ${out[stem].seconds} s, kernel peak ${out[stem].peak_rss_mb} MiB, ${out[stem].cpu_seconds} CPU s`);
    await bar?.update(i + 1);
  }
  bar?.done();
  return out;
}
