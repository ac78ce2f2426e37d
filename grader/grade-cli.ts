// `npm run grade -- <submission> [options]`: grade one submission (a folder laid out like
// exercises/, a notebook, a folder of notebooks and .ts files, or a .zip of any of these) or
// a class (batch mode): a folder or a .zip of per-learner folders, zips or notebooks, as a
// course platform's "download all submissions" gives.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ArchiveError, CLASS_ZIP_CAPS, unzip } from './archive';
import { GradeOptions, gradeSubmission, Grader, notGraded, refuseUnsafe, startGrader, stopGrader, SubmissionResult } from './engine';
import { exercism, gradebook, gradescope, summary } from './formats';
import { EXERCISE_FUNCTIONS } from '../lib/exercise/ids';
import { DEFAULT_LIMITS, probeIsolation } from './sandbox';
import { loadPlan, selectExercises } from './specs';
import { chapterOf, courseNotebooks, readSubmission } from './submission';

const USAGE = `Usage: npm run grade -- <submission | folder of submissions> [options]

A submission is a folder laid out like exercises/ (e.g. basics/alphaBar.ts), a notebook (.ipynb),
a folder of notebooks and .ts files, or a .zip of one. A class (a folder or a .zip holding a
folder, .zip or notebook per learner) is graded in batch mode. Chapter notebooks are graded on
the exercises those chapters hold; other submissions on every exercise.

Options:
  --tests <dir>          also run the hidden tests in <dir> (*.spec.ts, written like test/exercises/)
  --hidden-only          run only the hidden tests, not the public ones
  --only <ids>           only these exercises, folders or notebook numbers, comma-separated
                         (e.g. diffusion/ddpmStep, basics, or 03 for chapter 3's notebook)
  --all                  every exercise, whatever the submission holds
  --out <path>           one submission: write results there (format from --format);
                         batch: a folder for gradebook.csv and each submission's results (default ./grades)
  --format <f>           gradescope (default) | exercism | summary, for --out of one submission
  --batch                treat the folder (or .zip) as a class: one submission per entry
  --single               treat it as one learner's submission, whatever it holds
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
  /** --all: every exercise, even for a submission of chapter notebooks. */
  all: boolean;
  out?: string;
  format: 'gradescope' | 'exercism' | 'summary';
  batch: boolean;
  /** --single: never a class (Gradescope: one learner's upload, whatever it holds). */
  single: boolean;
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
    all: false,
    format: 'gradescope',
    batch: false,
    single: false,
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
      case '--all': a.all = true; break;
      case '--out': a.out = val(); break;
      case '--format': {
        const v = val();
        if (v !== 'gradescope' && v !== 'exercism' && v !== 'summary') throw new UsageError(`--format must be gradescope, exercism or summary, got ${v}`);
        a.format = v;
        break;
      }
      case '--batch': a.batch = true; break;
      case '--single': a.single = true; break;
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
  if (a.all && a.only) throw new UsageError('--only and --all contradict each other: give one');
  if (a.batch && a.single) throw new UsageError('--batch and --single contradict each other: give one');
  return a;
}

// ---------------------------------------------------------------- grading

/**
 * Which exercises a submission is graded on. `ids`: the run's (--only's, or all of them);
 * `byChapter`: a submission of chapter notebooks only is graded on those chapters' exercises
 * (neither --only nor --all was given); `label`: the scope in words, for every result.
 */
export interface Scope {
  ids: string[];
  byChapter: boolean;
  label: string;
}

/** Grade one submission path (folder, notebook, .ts or .zip). Bad input gets a row, never an exception. */
export async function gradePath(g: Grader, input: string, name: string, opts: GradeOptions, scope?: Scope): Promise<SubmissionResult> {
  const sc: Scope = scope ?? { ids: opts.only, byChapter: false, label: `${opts.only.length} exercise(s)` };
  let tmp: string | null = null;
  let only = sc.ids;
  let label = sc.label;
  try {
    let where = input;
    if (fs.statSync(input).isFile()) {
      const lower = input.toLowerCase();
      if (lower.endsWith('.zip')) where = tmp = await unzip(input);
      else if (!lower.endsWith('.ipynb') && !lower.endsWith('.ts')) throw new ArchiveError(`${path.basename(input)} is not a folder, notebook, .ts or .zip file`);
    }
    // Read every exercise the submission holds, scored or not: in the sandbox, lib's dispatchers
    // run the learner's own function for another exercise (sampleLoop calls ddpmStep), so the box
    // must hold it. Only `only` is scored.
    const fns = new Map<string, string>(Object.entries(EXERCISE_FUNCTIONS));
    for (const s of g.plan.specs) fns.set(s.spec.id, s.spec.fn);
    const sub = readSubmission(where, fns);
    const chapterIds = sub.scope?.filter((id) => sc.ids.includes(id)) ?? [];
    if (sc.byChapter && chapterIds.length) {
      only = chapterIds;
      const from = sub.chapters.length ? sub.chapters.join(', ') : 'its notebooks';
      label = `the exercises of ${from} (${only.length} of ${sc.ids.length}; --all grades them all)`;
    }
    return withScope(await gradeSubmission(g, name, sub, { ...opts, only }), label);
  } catch (e) {
    return withScope(notGraded(g, name, (e as Error).message, { ...opts, only }), label);
  } finally {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  }
}

function withScope(r: SubmissionResult, scope: string): SubmissionResult {
  return { ...r, scope };
}

const SUBMISSION = (e: fs.Dirent) => !e.name.startsWith('.') && e.name !== '__MACOSX' && (e.isDirectory() || e.name.toLowerCase().endsWith('.zip'));

/** A class's entries: a submission (folder, .zip or notebook) per learner, by name. */
export interface ClassEntry {
  name: string;
  path: string;
}

/**
 * The submissions in a folder, if it is a class rather than one submission: its folders and
 * zips, when it holds no exercise files of its own (no .ts or notebook beside them, no folder
 * named like an exercise folder: basics/, diffusion/, exercises/…); or its notebooks, when two
 * of them are copies of one chapter (one learner's would be "given twice"), one per learner,
 * named by what precedes the chapter's name ('alice_03-ddpm.ipynb' → alice). null: one submission.
 */
export function classEntries(dir: string, folders: Set<string>, force = false): ClassEntry[] | null {
  const entries = fs.readdirSync(dir, { withFileTypes: true }).filter((e) => !e.name.startsWith('.') && e.name !== '__MACOSX');
  const notebooks = entries.filter((e) => e.isFile() && e.name.toLowerCase().endsWith('.ipynb'));
  const course = courseNotebooks();
  const chapters = notebooks.map((e) => chapterOf(e.name, course));
  const sameChapter = chapters.some((c, i) => c !== null && chapters.indexOf(c) !== i);
  if (sameChapter && !entries.some((e) => e.isDirectory() || e.name.endsWith('.ts'))) {
    return notebooks.map((e, i) => {
      const stem = chapters[i] ? e.name.slice(0, e.name.indexOf(chapters[i]!.replace(/\.ipynb$/, ''))).replace(/[\s_.-]+$/, '') : '';
      return { name: stem || e.name.replace(/\.ipynb$/i, ''), path: path.join(dir, e.name) };
    });
  }
  const own = entries.some((e) => (e.isFile() && (e.name.endsWith('.ipynb') || (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')))) || (e.isDirectory() && (folders.has(e.name) || e.name === 'exercises')));
  const subs = entries.filter(SUBMISSION);
  if (!force && (own || subs.length < 2)) return null;
  // --batch on a folder of notebooks alone: one learner per notebook.
  if (!subs.length) return notebooks.map((e) => ({ name: e.name.replace(/\.ipynb$/i, ''), path: path.join(dir, e.name) }));
  return subs.map((e) => ({ name: e.name.replace(/\.zip$/i, ''), path: path.join(dir, e.name) }));
}

/** A folder that holds only one folder (a zip's wrapping folder): that folder. */
function unwrap(dir: string): string {
  const entries = fs.readdirSync(dir, { withFileTypes: true }).filter((e) => !e.name.startsWith('.') && e.name !== '__MACOSX');
  return entries.length === 1 && entries[0].isDirectory() ? unwrap(path.join(dir, entries[0].name)) : dir;
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

async function gradeBatch(g: Grader, a: Args, entries: ClassEntry[], scope: Scope): Promise<void> {
  entries = [...entries].sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
  if (!entries.length) throw new UsageError(`${a.input} holds no submissions (folders, .zip files or notebooks)`);
  const outDir = path.resolve(a.out ?? 'grades');
  console.log(`grading ${entries.length} submissions, ${a.jobs} at a time, on ${scope.byChapter ? 'the exercises of the chapters each submits (notebooks), else every exercise' : scope.label}; results in ${outDir}`);
  const t0 = Date.now();
  const used = new Set<string>();
  const results = await pool(entries, a.jobs, async (entry) => {
    const name = entry.name;
    const r = await gradePath(g, entry.path, name, { ...a.options, only: scope.ids }, scope);
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
  // A column per exercise any submission was graded on; a blank cell: not in that submission's scope.
  const graded = new Set(results.flatMap((r) => r.exercises.map((e) => e.id)));
  write(path.join(outDir, 'gradebook.csv'), gradebook(results, scope.ids.filter((id) => graded.has(id))));
  console.log(`gradebook: ${path.join(outDir, 'gradebook.csv')} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
}

export async function main(argv: string[]): Promise<number> {
  const a = parseArgs(argv);
  const iso = probeIsolation(a.unsafe);
  refuseUnsafe(iso);
  const plan = loadPlan({ hiddenDir: a.tests, hiddenOnly: a.hiddenOnly, only: a.only });
  const ids = a.only ? [...new Set(a.only.flatMap((t) => selectExercises(plan, t)))] : plan.exercises;
  const scope: Scope = a.only
    ? { ids, byChapter: false, label: `--only ${a.only.join(',')}: ${ids.length} exercise(s)` }
    : { ids, byChapter: !a.all, label: `every exercise (${ids.length})` };
  const folders = new Set(plan.exercises.map((id) => id.split('/')[0]));
  const g = startGrader(plan, iso, a.options.limits);
  // Cleanup from here, not at import: the run's folder goes on exit, Ctrl-C or kill.
  const stop = () => stopGrader(g);
  process.once('exit', stop);
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => process.exit(130));
  for (const w of iso.bwrap ? [] : iso.unsafe ? [`WARNING: NOT SANDBOXED (${iso.why}): grading with --unsafe-no-sandbox`] : []) console.error(w);
  let unpacked: string | null = null;
  try {
    const input = path.resolve(a.input);
    const name = path.basename(input).replace(/\.(zip|ipynb|ts)$/i, '');
    let where = input;
    // A zip may be a class ("download all submissions"): unpack it once and look inside.
    if (fs.statSync(input).isFile() && input.toLowerCase().endsWith('.zip')) {
      try {
        where = unpacked = await unzip(input, CLASS_ZIP_CAPS);
      } catch (e) {
        if (!(e instanceof ArchiveError)) throw e;
        return report(a, withScope(notGraded(g, name, e.message, { ...a.options, only: ids }), scope.label));
      }
    }
    if (!a.single && fs.statSync(where).isDirectory()) {
      const inner = unpacked ? unwrap(where) : where;
      const entries = classEntries(inner, folders, a.batch);
      if (entries) {
        await gradeBatch(g, a, entries, scope);
        return 0;
      }
    }
    return report(a, await gradePath(g, where, name, { ...a.options, only: ids }, scope));
  } finally {
    if (unpacked) fs.rmSync(unpacked, { recursive: true, force: true });
    stop();
    process.removeListener('exit', stop);
  }
}

/** One submission's result: the summary on the terminal, and --out in its format. */
function report(a: Args, r: SubmissionResult): number {
  console.log(summary(r));
  if (a.out) write(a.out, render(r, a.format));
  return 0;
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
