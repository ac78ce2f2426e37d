// The grading engine: build a sandbox for a submission, type-check it, run the tests in
// killable sandboxed children, and turn what the runner reports into scored results.
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ts from 'typescript';
import { pointsOf } from '../test/exercises/harness';
import { capabilities, describeSandbox, Limits, runChild, ChildOutcome } from './sandbox';

export const ROOT = path.resolve(__dirname, '..');
const PUBLIC_TESTS = path.join(ROOT, 'test', 'exercises');

export interface TestFile {
  /** Path inside the sandbox, e.g. test/exercises/basics.test.ts or test/hidden/clip.test.ts. */
  rel: string;
  /** Where it is read from. */
  src: string;
  hidden: boolean;
}

export interface ListedTest {
  file: string;
  fullTitle: string;
  title: string;
  exercise: string;
  points: number;
  hidden: boolean;
  body: string;
}

/** The tests, as the grader itself enumerated them (trusted: never from a submission's run). */
export interface TestPlan {
  files: TestFile[];
  /** The compiled lib/ and tests all sandboxes of this run link to. */
  base: string;
  tests: ListedTest[];
  exercises: string[];
  warnings: string[];
}

export interface TestResult extends ListedTest {
  score: number;
  passed: boolean;
  message: string;
}

export interface SubmissionResult {
  name: string;
  tests: TestResult[];
  exercises: { id: string; score: number; max: number }[];
  score: number;
  max: number;
  notes: string[];
  sandbox: string[];
  seconds: number;
}

export interface GradeOptions {
  limits: Limits;
  /** Wall-clock limit for a whole submission (ms). */
  submissionMs: number;
  /** Only these exercises (ids); all when absent. */
  only?: string[];
  /** Keep sandboxes (for debugging). */
  keep?: boolean;
}

export const DEFAULT_LIMITS: Limits = { testMs: 30000, memoryMb: 1024, outputBytes: 1024 * 1024 };

// ---------------------------------------------------------------- test files

/** The public test files, and the hidden ones from `hiddenDir` (any *.test.ts inside it). */
export function testFiles(opts: { hiddenDir?: string; publicTests?: boolean } = {}): TestFile[] {
  const files: TestFile[] = [];
  if (opts.publicTests !== false) {
    for (const f of fs.readdirSync(PUBLIC_TESTS).filter((f) => f.endsWith('.test.ts')).sort()) {
      files.push({ rel: `test/exercises/${f}`, src: path.join(PUBLIC_TESTS, f), hidden: false });
    }
  }
  if (opts.hiddenDir) {
    const dir = path.resolve(opts.hiddenDir);
    if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new Error(`--tests: ${opts.hiddenDir} is not a folder`);
    const found = walkFiles(dir).filter((f) => f.endsWith('.test.ts')).sort();
    if (!found.length) throw new Error(`--tests: no *.test.ts files in ${opts.hiddenDir}`);
    for (const f of found) files.push({ rel: `test/hidden/${path.relative(dir, f).split(path.sep).join('__')}`, src: f, hidden: true });
  }
  if (!files.length) throw new Error('no test files to run');
  return files;
}

function walkFiles(dir: string, depth = 0): string[] {
  if (depth > 8) return [];
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (e.name === 'node_modules' || e.name.startsWith('.')) continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...walkFiles(p, depth + 1));
    else if (e.isFile()) out.push(p);
  }
  return out;
}

// ---------------------------------------------------------------- sandbox

function transpile(src: string, file: string): string {
  return ts.transpileModule(src, {
    fileName: file,
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true, sourceMap: false },
  }).outputText;
}

/** Compile a .ts file into the sandbox as .js (the TypeScript source itself is not copied). */
function writeTs(dest: string, src: string) {
  fs.mkdirSync(path.dirname(dest), { recursive: true, mode: 0o755 });
  fs.writeFileSync(dest.replace(/\.ts$/, '.js'), transpile(src, dest), { mode: 0o644 });
}

const bases: string[] = [];
process.on('exit', () => {
  for (const b of bases) fs.rmSync(b, { recursive: true, force: true });
});
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.once(sig, () => process.exit(130));
}

/** The read-only part every sandbox of a grading run shares: lib/ and the test files, compiled. */
function makeBase(files: TestFile[]): string {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'grade-base-'));
  bases.push(base);
  fs.chmodSync(base, 0o755);
  fs.symlinkSync(fs.realpathSync(path.join(ROOT, 'node_modules')), path.join(base, 'node_modules'));
  for (const f of walkFiles(path.join(ROOT, 'lib'))) {
    if (!f.endsWith('.ts') || f.endsWith('.d.ts') || path.basename(f) === 'check.ts') continue;
    writeTs(path.join(base, 'lib', path.relative(path.join(ROOT, 'lib'), f)), fs.readFileSync(f, 'utf8'));
  }
  const harness = fs.readFileSync(path.join(PUBLIC_TESTS, 'harness.ts'), 'utf8');
  for (const f of files) {
    writeTs(path.join(base, f.rel), fs.readFileSync(f.src, 'utf8'));
    const h = path.join(base, path.dirname(f.rel), 'harness.ts');
    if (!fs.existsSync(h.replace(/\.ts$/, '.js'))) writeTs(h, harness);
  }
  return base;
}

/** A fresh sandbox: the runner, links to the shared base, the exercise files and a tmp/. */
function makeSandbox(base: string, exercises: Map<string, string>): string {
  const box = fs.mkdtempSync(path.join(os.tmpdir(), 'grade-'));
  fs.chmodSync(box, 0o755);
  fs.copyFileSync(path.join(__dirname, 'runner.cjs'), path.join(box, 'runner.cjs'));
  fs.chmodSync(path.join(box, 'runner.cjs'), 0o644);
  fs.symlinkSync(fs.realpathSync(path.join(ROOT, 'node_modules')), path.join(box, 'node_modules'));
  fs.symlinkSync(path.join(base, 'lib'), path.join(box, 'lib'));
  fs.symlinkSync(path.join(base, 'test'), path.join(box, 'test'));
  fs.mkdirSync(path.join(box, 'exercises'), { mode: 0o755 });
  for (const [id, src] of exercises) writeTs(path.join(box, 'exercises', `${id}.ts`), src);
  const tmp = path.join(box, 'tmp');
  fs.mkdirSync(tmp, { mode: 0o700 });
  if (capabilities().dropUser) fs.chownSync(tmp, 65534, 65534);
  return box;
}

function removeSandbox(box: string) {
  fs.rmSync(box, { recursive: true, force: true });
}

// ---------------------------------------------------------------- plan (trusted enumeration)

/** The project's own stubs: exercises/ as `npm run exercises` wrote it. */
function stubs(): Map<string, string> {
  const dir = path.join(ROOT, 'exercises');
  if (!fs.existsSync(dir)) throw new Error('exercises/ is missing: run `npm run exercises` first');
  const m = new Map<string, string>();
  for (const f of walkFiles(dir)) if (f.endsWith('.ts')) m.set(path.relative(dir, f).replace(/\.ts$/, '').split(path.sep).join('/'), fs.readFileSync(f, 'utf8'));
  return m;
}

/**
 * Enumerate the tests in a sandbox holding only the project's stubs, so that no
 * submission can add, drop, rename or re-weight a test.
 */
export async function plan(files: TestFile[], limits: Limits = DEFAULT_LIMITS): Promise<TestPlan> {
  const base = makeBase(files);
  const box = makeSandbox(base, stubs());
  const tests: ListedTest[] = [];
  const warnings: string[] = [];
  try {
    const listed = new Map<string, any>();
    const loadErrors = new Map<string, string>();
    let fatal: string | null = null;
    const listDeadline = Date.now() + 180000;
    const out = await runChild(box, base, { mode: 'list', tf: true, root: box, testFiles: files.map((f) => f.rel.replace(/\.ts$/, '.js')), exercises: null, start: 0, testTimeoutMs: limits.testMs }, { ...limits, testMs: 120000 }, (m) => {
      if (m.t === 'list') listed.set(m.file, m);
      if (m.t === 'loaderror') loadErrors.set(m.file, String(m.message));
      if (m.t === 'fatal') fatal = String(m.message);
    }, { deadline: () => listDeadline });
    for (const f of files) {
      const js = f.rel.replace(/\.ts$/, '.js');
      const err = loadErrors.get(js);
      if (err) throw new Error(`${f.hidden ? 'hidden' : 'public'} test file ${f.src} fails to load in the grading sandbox: ${err}\n(exercise tests may import only chai, tfjs, ./harness, lib/random, lib/math and lib modules that do not import solutions/)`);
      const l = listed.get(js);
      if (!l) throw new Error(`could not list the tests of ${f.src} (${fatal ?? `${out.end}, exit code ${out.code}`}):\n${out.output.slice(-2000)}`);
      for (const p of l.pending as string[]) warnings.push(`${path.basename(f.src)}: skipped test "${p}" is not graded`);
      for (const t of l.tests) {
        if (!t.exercise) warnings.push(`${path.basename(f.src)}: "${t.fullTitle}" is outside any describe(<exercise id>); it is graded under "(none)"`);
        tests.push({ file: f.rel, fullTitle: t.fullTitle, title: t.title, exercise: t.exercise || '(none)', points: pointsOf(t.title), hidden: f.hidden, body: t.body });
      }
    }
  } finally {
    removeSandbox(box);
  }
  const seen = new Set<string>();
  for (const t of tests) {
    const key = `${t.hidden}:${t.fullTitle}`;
    if (seen.has(key)) warnings.push(`two tests share the title "${t.fullTitle}"`);
    seen.add(key);
  }
  const exercises = [...new Set(tests.map((t) => t.exercise))].sort();
  return { files, base, tests, exercises, warnings };
}

/** Resolve a check/grade target ('clip', 'clip.contrastiveLoss', 'clip/contrastiveLoss') to exercise ids. */
export function selectExercises(p: TestPlan, target: string): string[] {
  const t = target.replace(/\.ts$/, '').replace(/^exercises\//, '').replace(/\./g, '/');
  const hit = p.exercises.filter((e) => e === t || e.startsWith(t + '/'));
  if (!hit.length) throw new Error(`no exercise or chapter "${target}"; known exercises: ${p.exercises.join(', ') || '(none)'}`);
  return hit;
}

// ---------------------------------------------------------------- submissions

export interface Located {
  files: Map<string, string>;
  missing: string[];
  ignored: string[];
}

const MAX_FILE = 1024 * 1024;

/**
 * Find each exercise's file in a submission folder: <id>.ts under the folder, under an
 * exercises/ inside it, under its only subfolder, or else a unique file <name>.ts anywhere.
 * Anything else (test files, symlinks, other files) is ignored and listed.
 */
export function locate(dir: string, ids: string[]): Located {
  const all = walkAll(dir);
  const files = new Map<string, string>();
  const used = new Set<string>();
  const missing: string[] = [];
  const ignored: string[] = [];
  const roots = [dir, path.join(dir, 'exercises')];
  const top = fs.readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory() && !e.name.startsWith('.') && e.name !== '__MACOSX');
  if (top.length === 1) roots.push(path.join(dir, top[0].name), path.join(dir, top[0].name, 'exercises'));
  for (const id of ids) {
    let found = roots.map((r) => path.join(r, `${id}.ts`)).find((p) => all.regular.includes(p));
    if (!found) {
      const byName = all.regular.filter((p) => path.basename(p) === `${id.split('/').pop()}.ts`);
      if (byName.length === 1) found = byName[0];
    }
    if (!found) { missing.push(id); continue; }
    if (fs.statSync(found).size > MAX_FILE) { missing.push(id); ignored.push(`${path.relative(dir, found)} (larger than 1 MB)`); continue; }
    files.set(id, fs.readFileSync(found, 'utf8'));
    used.add(found);
  }
  for (const p of all.regular) if (!used.has(p)) ignored.push(path.relative(dir, p));
  for (const p of all.other) ignored.push(`${path.relative(dir, p)} (not a regular file)`);
  return { files, missing, ignored };
}

function walkAll(dir: string, depth = 0, out = { regular: [] as string[], other: [] as string[] }) {
  if (depth > 8 || out.regular.length > 2000) return out;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== 'node_modules' && e.name !== '.git') walkAll(p, depth + 1, out);
    } else if (e.isFile()) out.regular.push(p);
    else out.other.push(p);
  }
  return out;
}

// ---------------------------------------------------------------- type-check

const sourceCache = new Map<string, ts.SourceFile>();
let compilerOptions: ts.CompilerOptions | undefined;

function options(): ts.CompilerOptions {
  if (compilerOptions) return compilerOptions;
  const cfg = ts.readConfigFile(path.join(ROOT, 'tsconfig.json'), ts.sys.readFile);
  const parsed = ts.parseJsonConfigFileContent(cfg.config, ts.sys, ROOT);
  compilerOptions = { ...parsed.options, noEmit: true, types: ['node'] };
  return compilerOptions;
}

/**
 * Type-check a submission's exercise files with the project's TypeScript, as if they sat
 * in exercises/. Returns the errors per exercise id, formatted `exercises/x/y.ts(line,col): error TS…`.
 */
export function typecheck(files: Map<string, string>): Map<string, string[]> {
  const exDir = path.join(ROOT, 'exercises') + path.sep;
  const virtual = new Map<string, string>();
  for (const [id, src] of files) virtual.set(path.join(ROOT, 'exercises', `${id}.ts`), src);
  const opts = options();
  const host = ts.createCompilerHost(opts);
  const inExercises = (f: string) => path.resolve(f).startsWith(exDir);
  host.fileExists = (f) => (inExercises(f) ? virtual.has(path.resolve(f)) : ts.sys.fileExists(f));
  host.readFile = (f) => (inExercises(f) ? virtual.get(path.resolve(f)) : ts.sys.readFile(f));
  host.getSourceFile = (f, lang) => {
    const abs = path.resolve(f);
    if (inExercises(abs)) {
      const src = virtual.get(abs);
      return src === undefined ? undefined : ts.createSourceFile(f, src, lang);
    }
    let sf = sourceCache.get(abs);
    if (!sf) {
      const text = ts.sys.readFile(f);
      if (text === undefined) return undefined;
      sf = ts.createSourceFile(f, text, lang);
      sourceCache.set(abs, sf);
    }
    return sf;
  };
  host.getCurrentDirectory = () => ROOT;
  const program = ts.createProgram([...virtual.keys()], opts, host);
  const errors = new Map<string, string[]>();
  const diags = [...program.getSyntacticDiagnostics(), ...program.getSemanticDiagnostics()];
  for (const d of diags) {
    if (!d.file || !inExercises(d.file.fileName) || d.category !== ts.DiagnosticCategory.Error) continue;
    const id = path.relative(path.join(ROOT, 'exercises'), path.resolve(d.file.fileName)).replace(/\.ts$/, '').split(path.sep).join('/');
    const { line, character } = d.file.getLineAndCharacterOfPosition(d.start ?? 0);
    const text = ts.flattenDiagnosticMessageText(d.messageText, '\n');
    const msg = `exercises/${id}.ts(${line + 1},${character + 1}): error TS${d.code}: ${text}`;
    if (!errors.has(id)) errors.set(id, []);
    errors.get(id)!.push(msg);
  }
  return errors;
}

// ---------------------------------------------------------------- grading

function outcomeMessage(o: ChildOutcome, limits: Limits): string {
  const tail = o.output.trim() ? `\n--- output ---\n${o.output.trim().slice(-800)}` : '';
  switch (o.end) {
    case 'timeout': return `timed out: still running after ${limits.testMs / 1000} s, so the test was stopped (an infinite loop?)`;
    case 'memory': return `ran out of memory (limit ${limits.memoryMb} MB), so the test was stopped`;
    case 'output': return `printed more than ${Math.round(limits.outputBytes / 1024)} kB of output, so the test was stopped`;
    case 'killed': return 'stopped: the submission ran out of time';
    default:
      return `the test process ended during this test (${o.signal ? `signal ${o.signal}` : `exit code ${o.code}`}); ` +
        `calling process.exit() or crashing Node ends the test without a result${tail}`;
  }
}

/** Grade one submission (its exercise files, already located) against a plan. */
export async function gradeFiles(name: string, located: Located, p: TestPlan, opts: GradeOptions): Promise<SubmissionResult> {
  const t0 = Date.now();
  const deadline = t0 + opts.submissionMs;
  const only = opts.only ? new Set(opts.only) : null;
  const tests = p.tests.filter((t) => !only || only.has(t.exercise));
  const results = new Map<ListedTest, { passed: boolean; message: string }>();
  const notes: string[] = [];
  if (located.ignored.length) notes.push(`ignored files: ${located.ignored.slice(0, 20).join(', ')}${located.ignored.length > 20 ? ', …' : ''}`);

  const runnable = new Set<string>();
  const errors = typecheck(located.files);
  for (const id of new Set(tests.map((t) => t.exercise))) {
    if (located.missing.includes(id) || !located.files.has(id)) {
      for (const t of tests) if (t.exercise === id) results.set(t, { passed: false, message: `missing: the submission has no file ${id}.ts` });
    } else if (errors.has(id)) {
      const msg = `TypeScript errors, so the tests did not run:\n${errors.get(id)!.join('\n')}`;
      for (const t of tests) if (t.exercise === id) results.set(t, { passed: false, message: msg });
    } else runnable.add(id);
  }

  const box = makeSandbox(p.base, located.files);
  let forged = 0;
  try {
    for (const f of p.files) {
      const mine = tests.filter((t) => t.file === f.rel && runnable.has(t.exercise));
      if (!mine.length) continue;
      const exercises = [...new Set(mine.map((t) => t.exercise))];
      let start = 0;
      while (start < mine.length) {
        if (Date.now() > deadline) {
          for (const t of mine.slice(start)) results.set(t, { passed: false, message: `not run: the submission used up its time limit (${opts.submissionMs / 1000} s)` });
          break;
        }
        let current = -1;
        let done = false;
        let listOk: boolean | null = null;
        let loadError: string | null = null;
        let stepDeadline = Math.min(deadline, Date.now() + 60000 + opts.limits.testMs);
        const out = await runChild(box, p.base, { mode: 'run', tf: usesTf(f), root: box, testFile: f.rel.replace(/\.ts$/, '.js'), exercises, start, testTimeoutMs: opts.limits.testMs }, opts.limits, (m) => {
          if (m.t === 'list') {
            const want = mine.map((t) => t.fullTitle);
            listOk = Array.isArray(m.tests) && m.tests.length === want.length && m.tests.every((x: unknown, i: number) => x === want[i]);
          } else if (m.t === 'loaderror' || m.t === 'fatal') {
            loadError = String(m.message);
          } else if (m.t === 'begin' && listOk && Number.isInteger(m.i) && m.i >= start && m.i < mine.length && !results.has(mine[m.i])) {
            current = m.i;
            stepDeadline = Math.min(deadline, Date.now() + opts.limits.testMs + 2000);
          } else if (m.t === 'end' && listOk && m.i === current && current >= 0) {
            results.set(mine[current], { passed: m.ok === true, message: m.ok === true ? '' : String(m.message ?? 'failed') });
            current = -1;
            stepDeadline = Math.min(deadline, Date.now() + 30000);
          } else if (m.t === 'done') {
            done = true;
          }
        }, { deadline: () => stepDeadline });
        forged += out.forged;
        if (loadError !== null) {
          for (const t of mine.slice(start)) if (!results.has(t)) results.set(t, { passed: false, message: `the tests could not be loaded: ${loadError}` });
          break;
        }
        if (listOk === false) {
          for (const t of mine) results.set(t, { passed: false, message: 'the list of tests seen while running differs from the one the grader enumerated (tests were added, removed or renamed while loading), so none count' });
          notes.push(`${f.rel}: test list tampered with while loading`);
          break;
        }
        if (listOk === null) {
          const why = out.end === 'exit' ? `the test runner did not start (exit code ${out.code})\n${out.output.slice(-1500)}` : outcomeMessage(out, opts.limits);
          for (const t of mine.slice(start)) if (!results.has(t)) results.set(t, { passed: false, message: why });
          break;
        }
        if (current >= 0) {
          results.set(mine[current], { passed: false, message: Date.now() > deadline ? `not finished: the submission used up its time limit (${opts.submissionMs / 1000} s)` : outcomeMessage(out, opts.limits) });
          start = current + 1;
          continue;
        }
        // Ended between tests: whatever did not report gets the child's fate.
        const next = mine.findIndex((t, i) => i >= start && !results.has(t));
        if (next < 0) break;
        if (done) {
          for (const t of mine.slice(next)) if (!results.has(t)) results.set(t, { passed: false, message: 'not run (a hook failed or the test was not reached)' });
          break;
        }
        results.set(mine[next], { passed: false, message: outcomeMessage(out, opts.limits) });
        start = next + 1;
      }
    }
  } finally {
    if (!opts.keep) removeSandbox(box);
  }
  if (forged) notes.push(`ignored ${forged} forged message(s) on the grader's results channel`);

  const out: TestResult[] = tests.map((t) => {
    const r = results.get(t) ?? { passed: false, message: 'no result' };
    return { ...t, passed: r.passed, score: r.passed ? t.points : 0, message: r.message };
  });
  const exercises = [...new Set(out.map((t) => t.exercise))].sort().map((id) => {
    const mine = out.filter((t) => t.exercise === id);
    return { id, score: sum(mine.map((t) => t.score)), max: sum(mine.map((t) => t.points)) };
  });
  return {
    name,
    tests: out,
    exercises,
    score: sum(out.map((t) => t.score)),
    max: sum(out.map((t) => t.points)),
    notes,
    sandbox: describeSandbox(),
    seconds: Math.round((Date.now() - t0) / 100) / 10,
  };
}

/** Preload (and lock) tfjs in the sandbox only for test files that use it: it costs a second. */
function usesTf(f: TestFile): boolean {
  return /@tensorflow|lib\/(?!math\b)/.test(fs.readFileSync(f.src, 'utf8'));
}

function sum(xs: number[]): number {
  return Math.round(xs.reduce((a, b) => a + b, 0) * 1000) / 1000;
}

export function randomId(): string {
  return crypto.randomBytes(4).toString('hex');
}
