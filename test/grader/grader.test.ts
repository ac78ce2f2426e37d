// The autograder graded: hostile submissions (test/grader/fixtures/submissions, all on
// basics/alphaBar) each get exactly the points they earned; the reference solutions get
// full marks and the untouched stubs none; batch mode writes the gradebook and both JSON
// formats; zip input; hidden tests; check() with a TypeScript error; the Gradescope bundle.
import { expect } from 'chai';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { selectExercises, TestPlan } from '../../grader/engine';
import { parseArgs, UsageError } from '../../grader/grade-cli';
import { capabilities, describeSandbox } from '../../grader/sandbox';
import { check, checkHtml, checkText } from '../../lib/check';

const ROOT = path.resolve(__dirname, '..', '..');
const FIXTURES = path.join(__dirname, 'fixtures', 'submissions');
const TSX = [path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs')];

function cli(script: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, [...TSX, path.join(ROOT, 'grader', script), ...args], {
    cwd: ROOT, encoding: 'utf8', timeout: 400000, env: { ...process.env, ...env },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function copyDir(from: string, to: string) {
  fs.cpSync(from, to, { recursive: true });
}

const readJson = (f: string) => JSON.parse(fs.readFileSync(f, 'utf8'));
const ALPHA = 'basics/alphaBar';
const T_PRODUCT = 'basics/alphaBar matches the exact product of (1 − β) on a linear schedule [2 pts]';
const T_DECREASING = 'basics/alphaBar is decreasing and starts at 1 − β_1 [1 pt]';
const T_REJECTS = 'basics/alphaBar rejects β outside [0, 1] or NaN, naming the index [1 pt]';

/** Each hostile (or honest-but-flawed) submission and the exact points it must get for basics/alphaBar. */
const EXPECTED: Record<string, number> = {
  partial: 3,
  'hang-on-invalid': 3,
  'exit-on-invalid': 3,
  'exit-at-load': 0,
  'crash-at-load': 0,
  'fake-output': 0,
  'write-results': 0,
  'forge-channel': 0,
  'patch-chai': 0,
  'patch-globals': 0,
  'patch-mocha': 0,
  'replace-tests': 0,
  'read-solutions': 0,
  'oom-on-long': 2,
  'flood-on-short': 3,
  escape: 0,
  'zipped-partial': 3,
  'type-error': 0,
};

describe('grader', function () {
  this.timeout(600000);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'grader-test-'));
  after(() => fs.rmSync(work, { recursive: true, force: true }));

  describe('batch grading of hostile submissions, the reference and the stubs', () => {
    const subs = path.join(work, 'submissions');
    const out = path.join(work, 'grades');
    let run: ReturnType<typeof cli>;
    const results = (name: string) => readJson(path.join(out, name, 'results.json'));
    const test = (name: string, title: string) => results(name).tests.find((t: any) => t.name === title);
    const preexisting = fs.existsSync('/tmp/results.json');

    before(() => {
      copyDir(FIXTURES, subs);
      copyDir(path.join(ROOT, 'solutions'), path.join(subs, 'reference'));
      copyDir(path.join(ROOT, 'exercises'), path.join(subs, 'untouched'));
      // A .zip submission, and a TypeScript error (kept out of the repo's own type-check).
      const r = spawnSync('zip', ['-q', '-r', path.join(subs, 'zipped-partial.zip'), 'basics'], { cwd: path.join(FIXTURES, 'partial') });
      expect(r.status, 'zip').to.equal(0);
      fs.mkdirSync(path.join(subs, 'type-error', 'basics'), { recursive: true });
      const src = fs.readFileSync(path.join(ROOT, 'solutions', 'basics', 'alphaBar.ts'), 'utf8').replace('let acc = 1;', "let acc: number = 'one';");
      fs.writeFileSync(path.join(subs, 'type-error', 'basics', 'alphaBar.ts'), src);
      const t0 = Date.now();
      run = cli('grade-cli.ts', [subs, '--out', out, '--jobs', String(Math.max(2, os.cpus().length)), '--test-timeout', '15', '--memory', '256']);
      console.log(`      (batch of ${fs.readdirSync(subs).length} submissions graded in ${((Date.now() - t0) / 1000).toFixed(0)} s)`);
      if (run.code !== 0) console.log(run.out, run.err);
    });

    it('grades the whole batch and exits 0', () => {
      expect(run.code, run.err).to.equal(0);
    });

    for (const [name, points] of Object.entries(EXPECTED)) {
      it(`${name} gets exactly ${points} of 4 points for basics/alphaBar`, () => {
        const r = results(name);
        const mine = r.tests.filter((t: any) => t.name.startsWith(ALPHA + ' '));
        expect(mine.map((t: any) => t.name)).to.have.members([T_PRODUCT, T_DECREASING, T_REJECTS]);
        expect(mine.reduce((s: number, t: any) => s + t.score, 0)).to.equal(points);
        // Nothing else in the course is earned by a submission that only has basics/alphaBar.
        expect(r.score).to.equal(points);
      });
    }

    it('says why: timeout, exit, memory, output, load crash, type error, missing file', () => {
      expect(test('hang-on-invalid', T_REJECTS).output).to.match(/^timed out: still running after 15 s/);
      expect(test('hang-on-invalid', T_DECREASING).status).to.equal('passed');
      expect(test('exit-on-invalid', T_REJECTS).output).to.match(/process ended during this test \(exit code 0\)/);
      expect(test('exit-at-load', T_PRODUCT).output).to.match(/exit code 0/);
      expect(test('oom-on-long', T_PRODUCT).output).to.match(/^ran out of memory \(limit 256 MB\)/);
      expect(test('flood-on-short', T_DECREASING).output).to.match(/^printed more than 1024 kB of output/);
      expect(test('crash-at-load', T_PRODUCT).output).to.equal('crashed while loading');
      expect(test('type-error', T_PRODUCT).output).to.match(/exercises\/basics\/alphaBar\.ts\(13,7\): error TS2322: Type 'string' is not assignable to type 'number'/);
      const other = results('partial').tests.find((t: any) => !t.name.startsWith(ALPHA + ' '));
      if (other) expect(other.output).to.match(/^missing: the submission has no file /);
    });

    it('stops forgery, tampering and escapes at the layer meant to', () => {
      expect(results('forge-channel').output).to.match(/ignored \d+ forged message\(s\)/);
      expect(results('replace-tests').output).to.contain('ignored files: test/exercises/basics.test.js');
      expect(test('read-solutions', T_PRODUCT).output).to.equal('no solution found');
      expect(test('patch-chai', T_PRODUCT).output).to.match(/to have a length of 1000 but got 1001/);
      expect(test('patch-globals', T_DECREASING).output).to.match(/to deeply equal \[ 0\.5, 0\.25, 0\.125 \]/);
      if (!preexisting) expect(fs.existsSync('/tmp/results.json'), 'write-results wrote /tmp/results.json').to.equal(false);
      expect(fs.readdirSync('/tmp').filter((f) => f.startsWith('escaped-'))).to.deep.equal([]);
    });

    it('gives the reference solutions full marks and the untouched stubs none', () => {
      const ref = results('reference');
      expect(ref.tests.length).to.be.above(3);
      expect(ref.tests.filter((t: any) => t.status !== 'passed').map((t: any) => `${t.name}: ${t.output}`)).to.deep.equal([]);
      expect(ref.score).to.equal(ref.tests.reduce((s: number, t: any) => s + t.max_score, 0));
      const stub = results('untouched');
      expect(stub.score).to.equal(0);
      expect(stub.tests.length).to.equal(ref.tests.length);
    });

    it('writes a gradebook: a row per submission, a column per exercise, total and max', () => {
      const lines = fs.readFileSync(path.join(out, 'gradebook.csv'), 'utf8').trim().split('\n');
      const header = lines[0].split(',');
      expect(header[0]).to.equal('submission');
      expect(header).to.include(ALPHA);
      expect(header.slice(-3)).to.deep.equal(['total', 'max', 'notes']);
      expect(lines.length - 1).to.equal(Object.keys(EXPECTED).length + 2);
      const rows = new Map(lines.slice(1).map((l) => [l.split(',')[0], l.split(',')]));
      const col = header.indexOf(ALPHA);
      for (const [name, points] of Object.entries(EXPECTED)) {
        expect(Number(rows.get(name)![col]), name).to.equal(points);
        expect(Number(rows.get(name)![header.indexOf('total')]), name).to.equal(points);
      }
      const ref = results('reference');
      expect(Number(rows.get('reference')![header.indexOf('total')])).to.equal(ref.score);
      expect(Number(rows.get('reference')![header.indexOf('max')])).to.equal(ref.score);
    });

    it('writes Gradescope results.json with score and tests[] (name, score, max_score, status, output, visibility)', () => {
      const r = results('partial');
      expect(r).to.include.keys('score', 'tests', 'output', 'execution_time');
      for (const t of r.tests) {
        expect(t).to.have.all.keys('name', 'score', 'max_score', 'status', 'output', 'visibility');
        expect(['passed', 'failed']).to.include(t.status);
        expect(t.visibility).to.equal('visible');
      }
      expect(test('partial', T_REJECTS)).to.deep.include({ score: 0, max_score: 1, status: 'failed' });
      expect(test('partial', T_PRODUCT)).to.deep.include({ score: 2, max_score: 2, status: 'passed' });
    });

    it('writes Exercism results.json v3 (status, tests with name, status, message, test_code)', () => {
      const e = readJson(path.join(out, 'partial', 'exercism.json'));
      expect(e.version).to.equal(3);
      expect(e.status).to.equal('fail');
      for (const t of e.tests) {
        expect(t).to.include.keys('name', 'status', 'message', 'test_code', 'task_id');
        expect(['pass', 'fail', 'error']).to.include(t.status);
      }
      const rejects = e.tests.find((t: any) => t.name === T_REJECTS);
      expect(rejects.status).to.equal('fail');
      expect(rejects.message).to.match(/expected \[Function\] to throw/);
      expect(rejects.test_code).to.contain('alphaBar([0.1, 1.5])');
      expect(e.tests.find((t: any) => t.name === T_PRODUCT).status).to.equal('pass');
      const hang = readJson(path.join(out, 'hang-on-invalid', 'exercism.json')).tests.find((t: any) => t.name === T_REJECTS);
      expect(hang.status).to.equal('error');
      expect(readJson(path.join(out, 'reference', 'exercism.json')).status).to.equal('pass');
    });

    it('writes a readable summary', () => {
      const s = fs.readFileSync(path.join(out, 'partial', 'summary.txt'), 'utf8');
      expect(s).to.match(/^partial: 3 \/ \d+ points/);
      expect(s).to.contain('✘ basics/alphaBar rejects β');
    });
  });

  describe('check()', () => {
    it('runs the public tests against a folder and reports a TypeScript error with file and line', async () => {
      const dir = path.join(work, 'learner');
      fs.mkdirSync(path.join(dir, 'basics'), { recursive: true });
      const src = fs.readFileSync(path.join(ROOT, 'solutions', 'basics', 'alphaBar.ts'), 'utf8').replace('acc *= 1 - b;', 'acc *= 1 - b\n    const typo: number = acc.toFixed(2);');
      fs.writeFileSync(path.join(dir, 'basics', 'alphaBar.ts'), src);
      const r = await check('basics.alphaBar', { dir, quiet: true });
      expect(r.score).to.equal(0);
      expect(r.max).to.equal(4);
      expect(r.tests).to.have.length(3);
      for (const t of r.tests) {
        expect(t.passed).to.equal(false);
        expect(t.message).to.match(/exercises\/basics\/alphaBar\.ts\(18,11\): error TS2322: Type 'string' is not assignable to type 'number'\./);
      }
      const text = checkText('basics.alphaBar', r);
      expect(text).to.match(/^check\('basics\.alphaBar'\): 0 \/ 4 points/);
      expect(text).to.contain(`✘ FAIL    0/2  ${T_PRODUCT}`);
      const html = checkHtml('basics.alphaBar', r);
      expect(html.match(/<tr><td/g)).to.have.length(3);
      expect(html).to.contain('<th>test</th><th>result</th><th>message</th><th>points</th>');
      expect(html).to.contain('0 / 2</td>');
      expect(html).to.contain('alphaBar.ts(18,11)');
    });

    it('resolves chapters and exercises, and rejects an unknown one with the list of known ones', () => {
      const p = { exercises: ['basics/alphaBar', 'clip/zeroShot', 'clip/similarityMatrix'] } as TestPlan;
      expect(selectExercises(p, 'basics.alphaBar')).to.deep.equal(['basics/alphaBar']);
      expect(selectExercises(p, 'clip')).to.deep.equal(['clip/zeroShot', 'clip/similarityMatrix']);
      expect(selectExercises(p, 'clip/zeroShot')).to.deep.equal(['clip/zeroShot']);
      expect(() => selectExercises(p, 'basics.nope')).to.throw(/no exercise or chapter "basics\.nope"; known exercises: basics\/alphaBar, clip/);
    });

    it('rejects a call without a target', async () => {
      let err: Error | null = null;
      try {
        await check('  ', { quiet: true });
      } catch (e) {
        err = e as Error;
      }
      expect(err?.message).to.match(/give an exercise or chapter/);
    });
  });

  describe('Gradescope bundle', () => {
    it('holds setup.sh and run_autograder but not solutions/, and run_autograder grades with hidden tests', () => {
      const hidden = path.join(work, 'hidden');
      fs.mkdirSync(hidden);
      fs.writeFileSync(path.join(hidden, 'basics.test.ts'), [
        "import { expect } from 'chai';",
        "import { load, points } from './harness';",
        "describe('basics/alphaBar', () => {",
        "  const ex = () => load<{ alphaBar(b: ArrayLike<number>): Float32Array }>('basics/alphaBar');",
        "  it(points(3, 'rejects a negative β'), () => expect(() => ex().alphaBar([0.1, -0.2])).to.throw(/beta\\[1\\] = -0\\.2/));",
        "  it(points(2, 'returns an empty array for an empty schedule'), () => expect(ex().alphaBar([])).to.have.length(0));",
        '});',
      ].join('\n'));
      const zip = path.join(work, 'autograder.zip');
      const b = cli('bundle.ts', ['--tests', hidden, '--only', 'basics', '--out', zip]);
      expect(b.code, b.err).to.equal(0);
      const list = spawnSync('unzip', ['-Z1', zip], { encoding: 'utf8' }).stdout.split('\n');
      expect(list).to.include.members(['setup.sh', 'run_autograder', 'grader/grade-cli.ts', 'grader/runner.cjs', 'exercises/basics/alphaBar.ts', 'test/exercises/harness.ts', 'hidden/basics.test.ts', 'package-lock.json']);
      expect(list.filter((f) => f.startsWith('solutions/'))).to.deep.equal([]);

      const src = path.join(work, 'ag-source');
      const ag = path.join(work, 'ag-root');
      fs.mkdirSync(src);
      expect(spawnSync('unzip', ['-qq', zip, '-d', src]).status).to.equal(0);
      fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(src, 'node_modules'));
      copyDir(path.join(FIXTURES, 'partial'), path.join(ag, 'submission'));
      const r = spawnSync('bash', [path.join(src, 'run_autograder')], { encoding: 'utf8', env: { ...process.env, AUTOGRADER_ROOT: ag }, timeout: 300000 });
      expect(r.status, r.stderr).to.equal(0);
      const res = readJson(path.join(ag, 'results', 'results.json'));
      expect(res.score).to.equal(5); // 3 public + 2 hidden; the hidden validation test fails
      const hiddenTests = res.tests.filter((t: any) => t.visibility === 'after_published');
      expect(hiddenTests.map((t: any) => [t.name, t.score, t.max_score])).to.deep.equal([
        ['basics/alphaBar rejects a negative β [3 pts]', 0, 3],
        ['basics/alphaBar returns an empty array for an empty schedule [2 pts]', 2, 2],
      ]);
    });
  });

  describe('command line and sandbox', () => {
    it('rejects bad arguments with a clear message', () => {
      expect(() => parseArgs([])).to.throw(UsageError, /no submission given/);
      expect(() => parseArgs([FIXTURES, '--jobs', 'x'])).to.throw(UsageError, /--jobs needs a number/);
      expect(() => parseArgs([FIXTURES, '--format', 'xml'])).to.throw(UsageError, /--format must be/);
      expect(() => parseArgs([path.join(work, 'nope')])).to.throw(UsageError, /does not exist/);
      expect(() => parseArgs([FIXTURES, '--hidden-only'])).to.throw(UsageError, /--hidden-only needs --tests/);
      expect(parseArgs([FIXTURES, '--test-timeout', '2', '--memory', '300']).options.limits).to.deep.include({ testMs: 2000, memoryMb: 300 });
    });

    it('reports which isolation works here, with reasons for what does not', () => {
      const c = capabilities();
      const lines = describeSandbox(c);
      expect(lines).to.have.length(4);
      expect(c.permissionFlag, 'Node permission model').to.not.equal(null);
      if (!c.namespaces) expect(lines[0]).to.match(/NOT isolated \(.+\)/);
      else expect(lines[0]).to.match(/own network namespace/);
    });
  });
});
