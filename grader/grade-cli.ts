// `npm run grade -- <submission> [options]`: grade one submission (a folder laid out like
// exercises/, a notebook, a folder of notebooks and .ts files, or a .zip of any of these) or
// a folder of submissions (batch mode).
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ArchiveError, unzip } from './archive';
import { GradeOptions, gradeSubmission, Grader, notGraded, refuseUnsafe, startGrader, stopGrader, SubmissionResult } from './engine';
import { exercism, gradebook, gradescope, summary } from './formats';
import { DEFAULT_LIMITS, probeIsolation } from './sandbox';
import { loadPlan, selectExercises } from './specs';
import { readSubmission } from './submission';

const USAGE = `Usage: npm run grade -- <submission | folder of submissions> [options]

A submission is a folder laid out like exercises/ (e.g. basics/alphaBar.ts), a notebook (.ipynb),
a folder of notebooks and .ts files, or a .zip of one. A folder holding several submissions
(folders or .zip files) is graded in batch mode.

Options:
  --tests <dir>          also run the hidden tests in <dir> (*.spec.ts, written like test/exercises/)
  --hidden-only          run only the hidden tests, not the public ones
  --only <ids>           only these exercises, chapters or notebook numbers, comma-separated (e.g. basics,diffusion/ddpmStep or 03)
  --out <path>           one submission: write results there (format from --format);
                         batch: a folder for gradebook.csv and each submission's results (default ./grades)
  --format <f>           gradescope (default) | exercism | summary, for --out of one submission
  --batch                treat the folder as a folder of submissions
  --jobs <n>             submissions graded at once in batch mode (default: number of cores)
  --test-timeout <s>     wall-clock limit per call of a learner function (default ${DEFAULT_LIMITS.callMs / 1000})
  --timeout <s>          wall-clock limit per submission (default 600)
  --memory <MB>          heap limit per sandbox (default ${DEFAULT_LIMITS.memoryMb})
  --output-limit <kB>    output a sandbox may print before it is stopped (default ${DEFAULT_LIMITS.outputBytes / 1024})
  --tmp <MB>             size of each sandbox's private /tmp (default ${DEFAULT_LIMITS.tmpMb})
  --unsafe-no-sandbox    grade even where bubblewrap cannot run (learner code then runs as you;
                         every result says so)`;
export class UsageError extends Error {}

export interface Args {
  input: string;
  tests?: string;
  hiddenOnly: boolean;
  only?: string[];
  out?: string;
  format: 'gradescope' | 'exercism' | 'summary';
  batch: boolean;
  jobs: number;
  unsafe: boolean;
  options: Omit<GradeOptions, 'only'>;
}

function num(flag: string, v: string | undefined, min: number): number {
  const n = Number(v);
  if (v === undefined || !Number.isFinite(n) || n < min) throw new UsageError(`${flag} needs a number ≥ ${min}, got ${v ?? 'nothing'}`);
  return n;
}

export function parseArgs(argv: string[]): Args {
  const a: Args = {
    input: '',
    hiddenOnly: false,
    format: 'gradescope',
    batch: false,
    jobs: Math.max(1, os.cpus().length),
    unsafe: false,
    options: { limits: { ...DEFAULT_LIMITS }, submissionMs: 600000 },
  };
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const f = argv[i];
    const val = () => {
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new UsageError(`${f} needs a value`);
      return v;
    };
    switch (f) {
      case '--tests': a.tests = val(); break;
      case '--hidden-only': a.hiddenOnly = true; break;
      case '--only': a.only = val().split(',').map((s) => s.trim()).filter(Boolean); break;
      case '--out': a.out = val(); break;
      case '--format': {
        const v = val();
        if (v !== 'gradescope' && v !== 'exercism' && v !== 'summary') throw new UsageError(`--format must be gradescope, exercism or summary, got ${v}`);
        a.format = v;
        break;
      }
      case '--batch': a.batch = true; break;
      case '--jobs': a.jobs = Math.floor(num(f, val(), 1)); break;
      case '--test-timeout': a.options.limits.callMs = num(f, val(), 0.1) * 1000; break;
      case '--timeout': a.options.submissionMs = num(f, val(), 1) * 1000; break;
      case '--memory': a.options.limits.memoryMb = Math.floor(num(f, val(), 64)); break;
      case '--output-limit': a.options.limits.outputBytes = Math.floor(num(f, val(), 1) * 1024); break;
      case '--tmp': a.options.limits.tmpMb = Math.floor(num(f, val(), 1)); break;
      case '--unsafe-no-sandbox': a.unsafe = true; break;
      case '-h': case '--help': throw new UsageError('');
      default:
        if (f.startsWith('--')) throw new UsageError(`unknown option ${f}`);
        positional.push(f);
    }
  }
  if (positional.length !== 1) throw new UsageError(positional.length ? `one submission path expected, got ${positional.join(' ')}` : 'no submission given');
  a.input = positional[0];
  if (!fs.existsSync(a.input)) throw new UsageError(`${a.input} does not exist`);
  if (a.hiddenOnly && !a.tests) throw new UsageError('--hidden-only needs --tests <dir>');
  return a;
}

// ---------------------------------------------------------------- grading

/** Grade one submission path (folder, notebook, .ts or .zip). Bad input gets a row, never an exception. */
export async function gradePath(g: Grader, input: string, name: string, opts: GradeOptions): Promise<SubmissionResult> {
  let tmp: string | null = null;
  try {
    let where = input;
    if (fs.statSync(input).isFile()) {
      const lower = input.toLowerCase();
      if (lower.endsWith('.zip')) where = tmp = await unzip(input);
      else if (!lower.endsWith('.ipynb') && !lower.endsWith('.ts')) throw new ArchiveError(`${path.basename(input)} is not a folder, notebook, .ts or .zip file`);
    }
    const fns = new Map(g.plan.specs.filter((s) => opts.only.includes(s.spec.id)).map((s) => [s.spec.id, s.spec.fn]));
    return await gradeSubmission(g, name, readSubmission(where, fns), opts);
  } catch (e) {
    return notGraded(g, name, (e as Error).message, opts);
  } finally {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  }
}

const SUBMISSION = (e: fs.Dirent) => !e.name.startsWith('.') && (e.isDirectory() || e.name.toLowerCase().endsWith('.zip'));

/** Is this folder a folder of submissions rather than one submission? */
function looksLikeBatch(dir: string, ids: string[]): boolean {
  const entries = fs.readdirSync(dir, { withFileTypes: true });
  if (entries.some((e) => e.isFile() && e.name.endsWith('.ipynb'))) return false;
  if (ids.some((id) => fs.existsSync(path.join(dir, `${id}.ts`)) || fs.existsSync(path.join(dir, 'exercises', `${id}.ts`)))) return false;
  return entries.filter(SUBMISSION).length >= 2;
}

async function pool<T, R>(items: T[], jobs: number, f: (x: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(jobs, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await f(items[i]);
    }
  }));
  return out;
}

function write(file: string, text: string) {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  fs.writeFileSync(file, text);
}

function render(r: SubmissionResult, format: Args['format']): string {
  if (format === 'summary') return summary(r) + '\n';
  return JSON.stringify(format === 'exercism' ? exercism(r) : gradescope(r), null, 2) + '\n';
}

async function gradeBatch(g: Grader, a: Args, input: string, ids: string[]): Promise<void> {
  const entries = fs.readdirSync(input, { withFileTypes: true }).filter(SUBMISSION).map((e) => e.name).sort();
  if (!entries.length) throw new UsageError(`${a.input} holds no submissions (folders or .zip files)`);
  const outDir = path.resolve(a.out ?? 'grades');
  console.log(`grading ${entries.length} submissions, ${a.jobs} at a time; results in ${outDir}`);
  const t0 = Date.now();
  const used = new Set<string>();
  const results = await pool(entries, a.jobs, async (entry) => {
    const name = entry.replace(/\.zip$/i, '');
    const r = await gradePath(g, path.join(input, entry), name, { ...a.options, only: ids });
    let safe = name.replace(/[^\w.@-]+/g, '_').replace(/^[.-]+/, '') || 'submission';
    while (used.has(safe)) safe += '_';
    used.add(safe);
    write(path.join(outDir, safe, 'results.json'), render(r, 'gradescope'));
    write(path.join(outDir, safe, 'exercism.json'), render(r, 'exercism'));
    write(path.join(outDir, safe, 'summary.txt'), render(r, 'summary'));
    write(path.join(outDir, safe, 'teacher.txt'), summary(r, { teacher: true }) + '\n');
    console.log(`  ${JSON.stringify(name)}: ${r.score} / ${r.max} (${r.seconds} s)`);
    return r;
  });
  write(path.join(outDir, 'gradebook.csv'), gradebook(results, ids));
  console.log(`gradebook: ${path.join(outDir, 'gradebook.csv')} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
}

export async function main(argv: string[]): Promise<number> {
  const a = parseArgs(argv);
  const iso = probeIsolation(a.unsafe);
  refuseUnsafe(iso);
  const plan = loadPlan({ hiddenDir: a.tests, hiddenOnly: a.hiddenOnly, only: a.only });
  const ids = a.only ? [...new Set(a.only.flatMap((t) => selectExercises(plan, t)))] : plan.exercises;
  const g = startGrader(plan, iso, a.options.limits);
  // Cleanup from here, not at import: the run's folder goes on exit, Ctrl-C or kill.
  const stop = () => stopGrader(g);
  process.once('exit', stop);
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => process.exit(130));
  for (const w of iso.bwrap ? [] : iso.unsafe ? [`WARNING: NOT SANDBOXED (${iso.why}): grading with --unsafe-no-sandbox`] : []) console.error(w);
  try {
    const input = path.resolve(a.input);
    if (fs.statSync(input).isDirectory() && (a.batch || looksLikeBatch(input, ids))) {
      await gradeBatch(g, a, input, ids);
      return 0;
    }
    const r = await gradePath(g, input, path.basename(input).replace(/\.(zip|ipynb|ts)$/i, ''), { ...a.options, only: ids });
    console.log(summary(r));
    if (a.out) write(a.out, render(r, a.format));
    return 0;
  } finally {
    stop();
    process.removeListener('exit', stop);
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e) => {
      if (e instanceof UsageError) {
        if (e.message) console.error(`grade: ${e.message}\n`);
        console.error(USAGE);
        process.exit(2);
      }
      console.error(`grade: ${(e as Error).message}`);
      // Gradescope needs a results file even when grading itself fails.
      const argv = process.argv.slice(2);
      const i = argv.indexOf('--out');
      const out = i >= 0 ? argv[i + 1] : undefined;
      if (out && out.endsWith('.json') && !argv.includes('--batch')) {
        write(out, JSON.stringify({ score: 0, output: `The autograder could not grade this submission: ${(e as Error).message}`, tests: [] }, null, 2) + '\n');
      }
      process.exit(1);
    },
  );
}
