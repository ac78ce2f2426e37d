// `npm run grade -- <submission> [options]`: grade one submission (a folder laid out like
// exercises/, or a .zip of one) or a folder of submissions (batch mode).
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DEFAULT_LIMITS, GradeOptions, gradeFiles, locate, plan, selectExercises, SubmissionResult, testFiles, TestPlan } from './engine';
import { exercism, gradebook, gradescope, summary } from './formats';
import { describeSandbox } from './sandbox';

const USAGE = `Usage: npm run grade -- <submission | folder of submissions> [options]

A submission is a folder laid out like exercises/ (e.g. basics/alphaBar.ts) or a .zip of one.
A folder holding several submissions (folders or .zip files) is graded in batch mode.

Options:
  --tests <dir>         also run the hidden tests in <dir> (*.test.ts, written like test/exercises/)
  --hidden-only         run only the hidden tests, not the public ones
  --only <ids>          only these exercises or chapters, comma-separated (e.g. basics,clip/zeroShot)
  --out <path>          one submission: write results there (format from --format);
                        batch: a folder for gradebook.csv and each submission's results (default ./grades)
  --format <f>          gradescope (default) | exercism | summary, for --out of one submission
  --batch               treat the folder as a folder of submissions
  --jobs <n>            submissions graded at once in batch mode (default: number of cores)
  --test-timeout <s>    wall-clock limit per test (default ${DEFAULT_LIMITS.testMs / 1000})
  --timeout <s>         wall-clock limit per submission (default 600)
  --memory <MB>         memory limit per sandbox (default ${DEFAULT_LIMITS.memoryMb})
  --output-limit <kB>   output a sandbox may print before it is stopped (default ${DEFAULT_LIMITS.outputBytes / 1024})
  --keep                keep the sandbox folders (debugging)`;

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
  options: GradeOptions;
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
      case '--test-timeout': a.options.limits.testMs = num(f, val(), 0.1) * 1000; break;
      case '--timeout': a.options.submissionMs = num(f, val(), 1) * 1000; break;
      case '--memory': a.options.limits.memoryMb = Math.floor(num(f, val(), 64)); break;
      case '--output-limit': a.options.limits.outputBytes = Math.floor(num(f, val(), 1) * 1024); break;
      case '--keep': a.options.keep = true; break;
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

// ---------------------------------------------------------------- zip

const MAX_UNZIPPED = 100 * 1024 * 1024;

/** Extract a .zip into a fresh temp folder with `unzip` (which drops ../ paths), after a size check. */
export function unzip(file: string): string {
  const list = spawnSync('unzip', ['-l', file], { encoding: 'utf8' });
  if (list.error) throw new Error(`cannot read ${file}: the \`unzip\` program is needed for .zip submissions (apt-get install unzip)`);
  if (list.status !== 0) throw new Error(`${file} is not a readable zip file: ${(list.stderr || list.stdout).trim().split('\n').pop()}`);
  const total = Number(list.stdout.trim().split('\n').pop()!.trim().split(/\s+/)[0]);
  if (!(total <= MAX_UNZIPPED)) throw new Error(`${file} unpacks to ${total} bytes, more than the ${MAX_UNZIPPED / 1024 / 1024} MB allowed`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'grade-zip-'));
  const r = spawnSync('unzip', ['-qq', '-o', file, '-d', dir], { encoding: 'utf8' });
  if (r.status !== 0 && r.status !== 1) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw new Error(`could not unzip ${file}: ${(r.stderr || r.stdout).trim()}`);
  }
  return dir;
}

// ---------------------------------------------------------------- grading

async function gradeOne(input: string, name: string, p: TestPlan, ids: string[], options: GradeOptions): Promise<SubmissionResult> {
  let dir = input;
  let tmp: string | null = null;
  try {
    if (fs.statSync(input).isFile()) {
      if (!input.toLowerCase().endsWith('.zip')) throw new Error(`${input} is neither a folder nor a .zip file`);
      dir = tmp = unzip(input);
    }
    return await gradeFiles(name, locate(dir, ids), p, { ...options, only: ids });
  } catch (e) {
    // Bad input still gets a results entry, so a batch goes on.
    const msg = (e as Error).message;
    const tests = p.tests.filter((t) => ids.includes(t.exercise)).map((t) => ({ ...t, passed: false, score: 0, message: `not graded: ${msg}` }));
    const max = tests.reduce((s, t) => s + t.points, 0);
    const exercises = ids.map((id) => ({ id, score: 0, max: tests.filter((t) => t.exercise === id).reduce((s, t) => s + t.points, 0) }));
    return { name, tests, exercises, score: 0, max, notes: [`not graded: ${msg}`], sandbox: describeSandbox(), seconds: 0 };
  } finally {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/** Is this folder a folder of submissions rather than one submission? */
function looksLikeBatch(dir: string, ids: string[]): boolean {
  const direct = ids.some((id) => fs.existsSync(path.join(dir, `${id}.ts`)) || fs.existsSync(path.join(dir, 'exercises', `${id}.ts`)));
  if (direct) return false;
  const entries = fs.readdirSync(dir, { withFileTypes: true }).filter((e) => !e.name.startsWith('.') && (e.isDirectory() || e.name.toLowerCase().endsWith('.zip')));
  return entries.length >= 2;
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

export async function main(argv: string[]): Promise<number> {
  const a = parseArgs(argv);
  const files = testFiles({ hiddenDir: a.tests, publicTests: !a.hiddenOnly });
  const p = await plan(files, a.options.limits);
  for (const w of p.warnings) console.error(`warning: ${w}`);
  const ids = a.only ? [...new Set(a.only.flatMap((t) => selectExercises(p, t)))] : p.exercises;
  const input = path.resolve(a.input);
  const batch = fs.statSync(input).isDirectory() && (a.batch || looksLikeBatch(input, ids));

  if (!batch) {
    const r = await gradeOne(input, path.basename(input).replace(/\.zip$/i, ''), p, ids, a.options);
    console.log(summary(r));
    if (a.out) write(a.out, render(r, a.format));
    return 0;
  }

  const entries = fs.readdirSync(input, { withFileTypes: true })
    .filter((e) => !e.name.startsWith('.') && (e.isDirectory() || e.name.toLowerCase().endsWith('.zip')))
    .map((e) => e.name)
    .sort();
  if (!entries.length) throw new UsageError(`${a.input} holds no submissions (folders or .zip files)`);
  const outDir = path.resolve(a.out ?? 'grades');
  console.log(`grading ${entries.length} submissions, ${a.jobs} at a time; results in ${outDir}`);
  const t0 = Date.now();
  const used = new Set<string>();
  const results = await pool(entries, a.jobs, async (entry) => {
    const name = entry.replace(/\.zip$/i, '');
    const r = await gradeOne(path.join(input, entry), name, p, ids, a.options);
    let safe = name.replace(/[^\w.@-]+/g, '_') || 'submission';
    while (used.has(safe)) safe += '_';
    used.add(safe);
    write(path.join(outDir, safe, 'results.json'), render(r, 'gradescope'));
    write(path.join(outDir, safe, 'exercism.json'), render(r, 'exercism'));
    write(path.join(outDir, safe, 'summary.txt'), render(r, 'summary'));
    console.log(`  ${name}: ${r.score} / ${r.max} (${r.seconds} s)`);
    return r;
  });
  write(path.join(outDir, 'gradebook.csv'), gradebook(results, ids));
  console.log(`gradebook: ${path.join(outDir, 'gradebook.csv')} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
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
