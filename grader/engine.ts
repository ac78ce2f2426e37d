// Grading one submission: its modules go into a sandbox (sandbox.ts), the tests run here. Each
// test body runs in this trusted process and only its `t.call(...)` crosses into the sandbox,
// so expected values, comparisons and points never meet learner code. Hidden tests run in a
// second, fresh sandbox after the public ones, so nothing they send in can reach a public
// test's message.
import { transformSync } from 'esbuild';
import { gateErrorTests, runTest, Caller, TestResult as RunResult } from '../lib/exercise/run';
import { EXERCISE_FUNCTIONS } from '../lib/exercise/ids';
import { isExerciseId } from '../lib/exercise/registry';
import { asGrader, asTestBody } from './patterns';
import { Box, CallServer, describeIsolation, Isolation, Limits, makeBox, makeRunLayout, makeTsCache, removeBox, RunLayout } from './sandbox';
import { GradedSpec, Plan, ROOT } from './specs';
import { Submission } from './submission';

export interface TestResult extends RunResult {
  hidden: boolean;
  /** 'error': the call did not finish (timeout, crash, limit) or the exercise did not run. */
  kind: 'pass' | 'fail' | 'error';
}

export interface SubmissionResult {
  name: string;
  tests: TestResult[];
  exercises: { id: string; score: number; max: number }[];
  score: number;
  max: number;
  notes: string[];
  /**
   * For the teacher only (teacher.txt): what hidden tests' inputs could steer — the messages the
   * hidden sandbox sent that answered no call, the whole time taken.
   */
  teacherNotes: string[];
  /** How learner code was isolated (warnings first when it was not). */
  sandbox: string[];
  /** Time until the hidden tests began (reading and the public tests): the hidden ones' inputs cannot steer it. */
  seconds: number;
  /** Which exercises it was graded on, in words (grade-cli: chapter notebooks, --only, --all). */
  scope?: string;
}

export interface GradeOptions {
  limits: Limits;
  /** Wall clock for a whole submission (ms). */
  submissionMs: number;
  /** Only these exercise ids. */
  only: string[];
}

/** What a grading run shares between submissions. */
export interface Grader {
  plan: Plan;
  run: RunLayout;
  iso: Isolation;
  /** Boxes of submissions being graded (removed by stopGrader if grading is interrupted). */
  boxes: Set<Box>;
}

/** lib is trusted: compile it here, fast (esbuild, as tsx does), once per run. */
function compileLib(src: string, file: string): string {
  return transformSync(src, { loader: 'ts', format: 'cjs', target: 'es2022', sourcefile: file }).code;
}

/** Start a grading run; refuses when bwrap cannot run here, unless `iso.unsafe`. */
export function startGrader(plan: Plan, iso: Isolation, limits: Limits): Grader {
  refuseUnsafe(iso);
  const run = makeRunLayout(ROOT, compileLib);
  const g: Grader = { plan, run, iso, boxes: new Set() };
  try {
    makeTsCache(run, limits);
  } catch (e) {
    stopGrader(g);
    throw e;
  }
  return g;
}

/** Without bubblewrap, grading stops here unless --unsafe-no-sandbox was given. */
export function refuseUnsafe(iso: Isolation): void {
  if (!iso.bwrap && !iso.unsafe) {
    throw new Error(`the sandbox (bubblewrap) cannot run here: ${iso.why}. Install it (apt-get install bubblewrap) where user namespaces are allowed, or pass --unsafe-no-sandbox to grade without it (learner code then runs as you)`);
  }
}

export function stopGrader(g: Grader): void {
  for (const b of g.boxes) removeBox(b);
  g.boxes.clear();
  removeBox({ dir: g.run.dir, exercises: '', tmp: '', uid: null });
}

// ---------------------------------------------------------------- one submission

/** Message patterns of results that did not finish (for Exercism's 'error'). */
const UNFINISHED = /^(timed out|ran out of memory|printed more than|returned more than|the process running your code ended|the sandbox did not start|called back more than|asked for callbacks without|sent the grader a message|could not load|not run|not graded|missing:)/;

function result(r: RunResult, hidden: boolean): TestResult {
  const kind = r.passed ? 'pass' : UNFINISHED.test(r.message) ? 'error' : 'fail';
  return { ...r, hidden, kind };
}

function failAll(g: GradedSpec, message: string): TestResult[] {
  return g.spec.tests.map((t) => result({ exercise: g.spec.id, title: t.title, points: t.points, score: 0, passed: false, message }, g.hidden));
}

/** A Caller for one exercise on a call server. */
function callerFor(server: CallServer, exercise: string): Caller {
  // The call is grader code (unbounded patterns: the sandbox's I/O, started here, keeps that
  // scope); the test's callbacks it serves are test code again (patterns.ts).
  return { call: (args, serve, opts) => asGrader(() => server.call(exercise, args, (id, xs) => asTestBody(() => serve(id, xs)), opts)) };
}

/** Run the specs that have a module on one fresh call server. */
async function runSpecs(g: Grader, box: Box, sub: Submission, specs: GradedSpec[], opts: GradeOptions, deadline: number): Promise<{ tests: TestResult[]; ignored: number }> {
  // Every module the submission gave (graded or not), so lib's dispatchers in the sandbox can
  // run the learner's own function for another exercise (sampleLoop's ddpmStep).
  const fns = new Map<string, string>([...sub.modules.keys()].filter(isExerciseId).map((id) => [id, EXERCISE_FUNCTIONS[id]]));
  for (const s of specs) fns.set(s.spec.id, s.spec.fn);
  const server = new CallServer(g.run, box, g.iso, opts.limits, sub.modules, fns);
  const tests: TestResult[] = [];
  try {
    for (const s of specs) {
      const caller = callerFor(server, s.spec.id);
      for (const t of s.spec.tests) {
        if (Date.now() > deadline) {
          tests.push(result({ exercise: s.spec.id, title: t.title, points: t.points, score: 0, passed: false, message: `not run: the submission used up its time limit (${opts.submissionMs / 1000} s)` }, s.hidden));
          continue;
        }
        // Every regular expression the body runs has a time bound (a teacher's own pattern on a learner's text).
        tests.push(result(await asTestBody(() => runTest(s.spec, t, caller)), s.hidden));
      }
    }
  } finally {
    server.close();
  }
  return { tests, ignored: server.ignored };
}

const sum = (xs: number[]) => Math.round(xs.reduce((a, b) => a + b, 0) * 1000) / 1000;

function summarize(name: string, tests: TestResult[], notes: string[], g: Grader, opts: GradeOptions, t0: number, hiddenFrom = Date.now(), teacherNotes: string[] = []): SubmissionResult {
  const ids = [...new Set(tests.map((t) => t.exercise))].sort();
  const exercises = ids.map((id) => {
    const mine = tests.filter((t) => t.exercise === id);
    return { id, score: sum(mine.map((t) => t.score)), max: sum(mine.map((t) => t.points)) };
  });
  return {
    name,
    tests,
    exercises,
    score: sum(tests.map((t) => t.score)),
    max: sum(tests.map((t) => t.points)),
    notes,
    teacherNotes: [...teacherNotes, `graded in ${Math.round((Date.now() - t0) / 100) / 10} s, hidden tests included`],
    sandbox: describeIsolation(g.iso, opts.limits),
    seconds: Math.round((hiddenFrom - t0) / 100) / 10,
  };
}

/** Grade one submission (already read) against the run's specs. */
export async function gradeSubmission(g: Grader, name: string, sub: Submission, opts: GradeOptions): Promise<SubmissionResult> {
  const t0 = Date.now();
  const deadline = t0 + opts.submissionMs;
  const only = new Set(opts.only);
  const specs = g.plan.specs.filter((s) => only.has(s.spec.id));
  const runnable = specs.filter((s) => sub.modules.has(s.spec.id) && !sub.problems.has(s.spec.id));
  const tests: TestResult[] = [];
  for (const s of specs) if (!runnable.includes(s)) tests.push(...failAll(s, sub.problems.get(s.spec.id) ?? `missing: no ${s.spec.id}`));
  const notes = [...sub.notes];
  const teacherNotes: string[] = [];
  let hiddenFrom = 0;
  if (runnable.length) {
    const box = makeBox(g.iso, new Map([...sub.modules].filter(([id]) => !sub.problems.has(id))));
    g.boxes.add(box);
    try {
      for (const hidden of [false, true]) {
        const part = runnable.filter((s) => s.hidden === hidden);
        if (hidden) hiddenFrom = Date.now();
        if (!part.length) continue;
        const r = await runSpecs(g, box, sub, part, opts, deadline);
        tests.push(...r.tests);
        // No count: a submission could print as many lines as a hidden input says, and read it back.
        if (r.ignored && !hidden) notes.push('ignored message(s) from the sandbox that answered no call (forged or stale)');
        if (r.ignored) teacherNotes.push(`ignored ${r.ignored} message(s) from the ${hidden ? 'hidden' : 'public'} tests' sandbox that answered no call`);
      }
    } finally {
      g.boxes.delete(box);
      removeBox(box);
    }
  }
  // In the specs' order (Array.prototype.sort is stable, so each spec keeps its tests' order).
  const rank = (t: TestResult) => specs.findIndex((s) => s.spec.id === t.exercise && s.hidden === t.hidden);
  tests.sort((a, b) => rank(a) - rank(b));
  return summarize(name, gateErrorTests(tests).map((t) => (t.passed ? t : { ...t, kind: t.kind === 'pass' ? 'fail' : t.kind })), notes, g, opts, t0, hiddenFrom || Date.now(), teacherNotes);
}

/** A result for a submission that could not be read at all (bad zip…): every test 0, one reason. */
export function notGraded(g: Grader, name: string, reason: string, opts: GradeOptions): SubmissionResult {
  const only = new Set(opts.only);
  const tests = g.plan.specs.filter((s) => only.has(s.spec.id)).flatMap((s) => failAll(s, `not graded: ${reason}`));
  return summarize(name, tests, [`not graded: ${reason}`], g, opts, Date.now());
}
