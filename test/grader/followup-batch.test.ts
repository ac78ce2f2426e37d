// Issue 24, what the first two grader branches left:
// - `--only diffusion/sampleLoop` grades sampleLoop alone, yet sampleLoop calls the learner's own
//   ddpmStep through lib's dispatcher: the sandbox holds every module the submission gave (scored
//   or not), and only --only's exercises are scored.
// - A teacher's own regular expression in a hidden test (not names(): `/…/i.test(msg)`,
//   `msg.match(…)`) has the same time bound as names()' patterns: a learner's message on which it
//   backtracks exponentially fails that test, beside honest classmates whose points are exact, the
//   grader alive and no grade-* folder left.
import { expect } from 'chai';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { publicSpec } from '../../lib/exercise/check';
import { names, patternIn, PATTERN_MS, words } from '../../lib/exercise/spec';
import { asGrader, asTestBody } from '../../grader/patterns';
import * as tf from '@tensorflow/tfjs';
import { localCaller, runSpec } from '../../lib/exercise/run';
import { alphaBar } from '../../solutions/basics/alphaBar';
import { expectedNotebooks } from '../../scripts/exercises';
import { batch, grade, leftIn, readJson, ROOT } from './trust-common';

const ALPHA = 'basics/alphaBar';
const DDPM = 'diffusion/ddpmStep';
const LOOP = 'diffusion/sampleLoop';
const NB00 = '00-typescript-tensors-and-points.ipynb';
const NB03 = '03-ddpm.ipynb';
const points = (id: string) => publicSpec(id).tests.reduce((a, t) => a + t.points, 0);

/** A teacher's own pattern: nested quantifiers (exponential on a long run of word characters that never matches). */
const TEACHER_RE = String.raw`/^alphaBar:(\s*\w+)*\s*beta\[1\] = -0\.2/i`;
const HIDDEN = `import { exercise, test, near, ok } from 'course/exercise';

export default exercise('basics/alphaBar', 'alphaBar', [
  test(2, 'hidden: a schedule of one step', async (t) => {
    near(await t.call([0.3]), [0.7], { tol: 1e-6, given: 'β = [0.3]' });
  }),
  test(2, "hidden: the teacher's own pattern, with test()", async (t) => {
    const m = await t.throws([0.1, -0.2]);
    ok(${TEACHER_RE}.test(m), 'the error should name beta[1] = -0.2 right after "alphaBar:"');
  }),
  test(1, "hidden: the teacher's own pattern, with match()", async (t) => {
    const m = await t.throws([0.1, -0.2]);
    ok(m.match(/^alphaBar:(\\s*\\w+)*\\s*beta/i) !== null, 'the error should start with "alphaBar:" and name beta');
  }),
]);
`;
const HIDDEN_POINTS = 5;

/** Right values; every error is "alphaBar: " and a long run of letters, on which TEACHER_RE backtracks for hours. */
const BACKTRACK = `export function alphaBar(betas: ArrayLike<number>): Float32Array {
  const out = new Float32Array(betas.length);
  let acc = 1;
  for (let t = 0; t < betas.length; t++) {
    const b = betas[t];
    if (!(b >= 0 && b <= 1)) throw new Error('alphaBar: ' + 'a'.repeat(48) + '!');
    acc *= 1 - b;
    out[t] = acc;
  }
  return out;
}
`;

describe('followup: unscored modules reach the sandbox; a teacher\'s own pattern has a time bound', function () {
  this.timeout(600000);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'followup-batch-'));
  const subs = path.join(work, 'subs');
  const hidden = path.join(work, 'hidden');
  const out = path.join(work, 'grades');
  const tmp = path.join(work, 'tmp');
  after(() => fs.rmSync(work, { recursive: true, force: true }));
  const solved = expectedNotebooks(undefined, true);
  let run: ReturnType<typeof grade>;
  const { results, test } = batch(out);
  const teacher = (name: string) => fs.readFileSync(path.join(out, name, 'teacher.txt'), 'utf8');

  before(() => {
    fs.mkdirSync(path.join(hidden, 'basics'), { recursive: true });
    fs.writeFileSync(path.join(hidden, 'basics', 'alphaBar.spec.ts'), HIDDEN);
    // Honest: an exercises folder and a pair of notebooks, each with ddpmStep solved but not scored.
    for (const id of [ALPHA, DDPM, LOOP]) fs.cpSync(path.join(ROOT, 'solutions', `${id}.ts`), path.join(subs, 'folder', `${id}.ts`));
    fs.mkdirSync(path.join(subs, 'notebooks'), { recursive: true });
    for (const nb of [NB00, NB03]) fs.writeFileSync(path.join(subs, 'notebooks', nb), solved.get(nb)!);
    // sampleLoop solved beside the untouched ddpmStep stub: the loop must meet the stub, not the reference.
    fs.cpSync(path.join(ROOT, 'solutions', `${LOOP}.ts`), path.join(subs, 'stub-step', `${LOOP}.ts`));
    fs.cpSync(path.join(ROOT, 'exercises', `${DDPM}.ts`), path.join(subs, 'stub-step', `${DDPM}.ts`));
    fs.mkdirSync(path.join(subs, 'backtrack', 'basics'), { recursive: true });
    fs.writeFileSync(path.join(subs, 'backtrack', 'basics', 'alphaBar.ts'), BACKTRACK);
    run = grade([subs, '--only', `${ALPHA},${LOOP}`, '--tests', hidden, '--out', out, '--jobs', '2', '--test-timeout', '20', '--memory', '512'], tmp);
    if (run.code !== 0) console.log(run.out, run.err);
  });

  it('grades the batch, exits 0 and leaves no grade-* folder', () => {
    expect(run.code, run.err).to.equal(0);
    expect(leftIn(tmp)).to.deep.equal([]);
    expect(fs.readdirSync(out).sort()).to.deep.equal(['backtrack', 'folder', 'gradebook.csv', 'notebooks', 'stub-step']);
  });

  it('--only alphaBar,sampleLoop: sampleLoop gets every point from the learner\'s own (unscored) ddpmStep, folder and notebooks alike', () => {
    for (const name of ['folder', 'notebooks']) {
      const r = results(name);
      expect(r.score, `${name}: ${JSON.stringify(r.tests.filter((t: any) => t.score < t.max_score))}`).to.equal(points(ALPHA) + HIDDEN_POINTS + points(LOOP));
      expect(JSON.stringify(r)).not.to.include('not available');
      // Scored: only --only's exercises; ddpmStep is in the box, not in the results.
      expect(r.tests.some((t: any) => t.name.includes(DDPM))).to.equal(false);
    }
  });

  it("sampleLoop beside the learner's ddpmStep stub meets the stub (not the reference, not \"not available\")", () => {
    const r = results('stub-step');
    expect(r.score).to.equal(0);
    const loop = r.tests.filter((t: any) => t.name.includes(LOOP)).map((t: any) => t.output).join('\n');
    expect(loop).to.include('not implemented: ddpmStep');
    expect(loop).not.to.include('not available');
  });

  it("a teacher's own backtracking pattern fails only the tests it ran in, after the time bound; every other point is exact", () => {
    const r = results('backtrack');
    const rejects = publicSpec(ALPHA).tests.find((t) => t.title.startsWith('rejects'))!.points;
    // Public value tests and the hidden value test pass; the errors earn nothing.
    expect(r.score).to.equal(points(ALPHA) - rejects + 2);
    for (const title of ["hidden: the teacher's own pattern, with test()", "hidden: the teacher's own pattern, with match()"]) {
      expect(test('backtrack', `${ALPHA}: ${title}`).score).to.equal(0);
    }
    const why = teacher('backtrack');
    expect(why).to.include(`ran longer than ${PATTERN_MS} ms`);
    expect(why).to.include(String.raw`/^alphaBar:(\s*\w+)*\s*beta\[1\] = -0\.2/i`);
    // The hidden tests' messages (and their patterns) stay in teacher.txt.
    for (const f of ['results.json', 'exercism.json', 'summary.txt']) {
      expect(fs.readFileSync(path.join(out, 'backtrack', f), 'utf8'), f).not.to.include('ran longer than');
    }
  });

  it('the gradebook has a row per submission', () => {
    const rows = fs.readFileSync(path.join(out, 'gradebook.csv'), 'utf8').trim().split('\n');
    expect(rows).to.have.length(5);
  });
});

describe('followup: --only diffusion/sampleLoop on a lone chapter notebook', function () {
  this.timeout(300000);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'followup-only-'));
  after(() => fs.rmSync(work, { recursive: true, force: true }));

  it('scores sampleLoop alone, every point, with the notebook\'s own ddpmStep in the sandbox', () => {
    const nb = path.join(work, NB03);
    fs.writeFileSync(nb, expectedNotebooks(undefined, true).get(NB03)!);
    const json = path.join(work, 'results.json');
    const r = grade([nb, '--only', LOOP, '--out', json], path.join(work, 'tmp'));
    expect(r.code, r.err).to.equal(0);
    const res = readJson(json);
    expect(res.tests.every((t: any) => t.name.includes(LOOP))).to.equal(true);
    expect(res.score, JSON.stringify(res.tests)).to.equal(points(LOOP));
    expect(leftIn(path.join(work, 'tmp'))).to.deep.equal([]);
  });
});

describe('followup: patterns in a test body (in-process)', function () {
  this.timeout(60000);
  const slow = 'alphaBar: ' + 'a'.repeat(48) + '!';

  it("a backtracking pattern in a test body throws after the bound, naming the pattern; test, match, replace, split and chai's match alike", async () => {
    const ops: [string, (re: RegExp) => unknown][] = [
      ['test', (re) => re.test(slow)],
      ['match', (re) => slow.match(re)],
      ['replace', (re) => slow.replace(re, '')],
      ['split', (re) => slow.split(re)],
      ["chai's match", (re) => expect(slow).to.match(re)],
    ];
    for (const [op, f] of ops) {
      const got = await asTestBody(async () => {
        await new Promise((r) => setTimeout(r, 1)); // after an await, still inside the body
        try {
          f(/^alphaBar:(\s*\w+)*\s*beta/i);
          return 'returned';
        } catch (e) {
          return (e as Error).message;
        }
      });
      expect(got, op).to.include(`ran longer than ${PATTERN_MS} ms`).and.include(String.raw`/^alphaBar:(\s*\w+)*\s*beta/i`);
    }
  });

  it('inside a test body, regular expressions give what they give outside', async () => {
    const ops = () => {
      const g = /\d/g;
      const first = g.exec('a1b2');
      return [first?.[0], g.lastIndex, /a(b)/.exec('xab')?.[1], 'a1b2'.replace(/\d/g, (d) => String(+d * 2)), 'a-b--c'.split(/-+/), [...'a1b2'.matchAll(/\d/g)].map(String), 'abc'.search(/c/), 'x1y2'.match(/\d/g), /B/i.test('abc'), /^b/y.test('ab')];
    };
    const outside = ops();
    expect(await asTestBody(async () => ops())).to.deep.equal(outside);
    expect(asGrader(() => ops())).to.deep.equal(outside);
  });

  it("names() keeps its own bound (a pattern that times out counts as not found), inside a test body too", async () => {
    expect(patternIn(/^alphaBar:(\s*\w+)*\s*beta/i, slow)).to.equal(false);
    expect(await asTestBody(async () => patternIn(/^alphaBar:(\s*\w+)*\s*beta/i, slow))).to.equal(false);
    expect(() => names('alphaBar: beta[1] = -0.2 is outside [0, 1]', 'alphaBar', [words('beta[1] = -0.2')], 'β')).not.to.throw();
  });
});

describe('followup: an error names the value it was given, not every value (issue 24 §3a)', function () {
  this.timeout(60000);
  /** alphaBar's right values, and on bad input one message naming every bad input the tests use. */
  const everyValue = (betas: number[]) => {
    try {
      return alphaBar(betas);
    } catch {
      throw new Error('alphaBar: beta[1] = 1.5, beta[0] = NaN');
    }
  };
  const rejects = publicSpec(ALPHA).tests.find((t) => t.title.startsWith('rejects'))!;

  it('a function that computes but names every input in each error loses the error test (the value tests pass, so the gate alone lets it through)', async () => {
    const rs = await runSpec(publicSpec(ALPHA), localCaller(everyValue, tf));
    const r = rs.find((x) => x.title === rejects.title)!;
    expect(r.passed).to.equal(false);
    expect(r.message).to.include('not every value').and.include('β = [NaN]');
    expect(rs.filter((x) => x.title !== rejects.title).every((x) => x.passed)).to.equal(true);
  });

  it('the reference earns it (each error names its own input)', async () => {
    const rs = await runSpec(publicSpec(ALPHA), localCaller(alphaBar, tf));
    expect(rs.find((x) => x.title === rejects.title)!.passed).to.equal(true);
  });
});
