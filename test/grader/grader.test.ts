// The autograder, attacked: one batch of 30 submissions (the hostile fixtures of issue 16 and
// earlier ones, honest partial answers, the reference, the stubs, notebooks, zips, a zip bomb,
// a formula for a name) graded by the CLI, each getting exactly the points it earned, every
// gradebook row filled and nothing left on disk. Then: the unsafe fallback (refused by default;
// network blocked; warned in every format), the Gradescope bundle with hidden tests that a
// submission tries to leak, `npm run check` on a learner's folder, and the command line.
import { expect } from 'chai';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseArgs, UsageError } from '../../grader/grade-cli';
import { csvField } from '../../grader/formats';
import { cellModule, readSubmission } from '../../grader/submission';
import * as ts from 'typescript';
import { cellSource, solvedOf } from '../../scripts/exercises';
import { publicSpec } from '../../lib/exercise/check';

const ROOT = path.resolve(__dirname, '..', '..');
const FIXTURES = path.join(__dirname, 'fixtures', 'submissions');
const TSX = path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');

/** Run a grader script (or another, given as a path from the root) under tsx. */
export function cli(script: string, args: string[], env: NodeJS.ProcessEnv = {}, prefix: string[] = []) {
  const cmd = [...prefix, process.execPath, TSX, path.join(ROOT, script.includes('/') ? script : path.join('grader', script)), ...args];
  const r = spawnSync(cmd[0], cmd.slice(1), { cwd: ROOT, encoding: 'utf8', timeout: 400000, env: { ...process.env, ...env } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const readJson = (f: string) => JSON.parse(fs.readFileSync(f, 'utf8'));
const ALPHA = 'basics/alphaBar';
const DDPM = 'diffusion/ddpmStep';
const T_PRODUCT = 'basics/alphaBar: matches the exact product of (1 − β) on the linear schedule [2 pts]';
const T_FAR = 'basics/alphaBar: far along the schedule: ᾱ_499 and ᾱ_999 as diffusers computes them [1 pt]';
const T_DECREASING = 'basics/alphaBar: is decreasing and starts at 1 − β_1 [1 pt]';
const T_REJECTS = 'basics/alphaBar: rejects β outside [0, 1] or NaN, naming the index and value [1 pt]';
const T_LEAK = 'diffusion/ddpmStep: leaves no tensors behind (advice, no points)';
const FORMULA = '=HYPERLINK("evil.example","click")';

/** Copy a fixture's files (a .ts answer) into a new submission folder. */
function copyFixture(name: string, to: string) {
  fs.cpSync(path.join(FIXTURES, name), to, { recursive: true });
}

/** The course notebook `file` with exercise `id`'s cell solved (as the answer key has it). */
function solvedNotebook(file: string, id: string): any {
  const nb = readJson(path.join(ROOT, 'notebooks', file));
  const src = solvedOf(fs.readFileSync(path.join(ROOT, 'solutions', `${id}.ts`), 'utf8'));
  const cell = nb.cells.find((c: any) => c.metadata?.exercise === id);
  cell.source = cellSource(id, id.split('/')[1], src);
  return nb;
}

/** A zip whose one entry expands 300 MB of zeros, with headers that claim 1,000 bytes. */
function zipBomb(file: string) {
  const py = `
import zipfile, struct, sys
z = zipfile.ZipFile(sys.argv[1], 'w', zipfile.ZIP_DEFLATED)
with z.open('basics/alphaBar.ts', 'w', force_zip64=False) as f:
    chunk = b'\\0' * (1 << 20)
    for _ in range(300): f.write(chunk)
z.close()
b = bytearray(open(sys.argv[1], 'rb').read())
i = b.find(b'PK\\x03\\x04'); struct.pack_into('<I', b, i + 22, 1000)
j = b.find(b'PK\\x01\\x02'); struct.pack_into('<I', b, j + 24, 1000)
open(sys.argv[1], 'wb').write(b)
`;
  const r = spawnSync('python3', ['-c', py, file], { encoding: 'utf8' });
  expect(r.status, r.stderr).to.equal(0);
}

/**
 * The grade-* folders a grader left in `tmp`, its TMPDIR. Each run here gets a TMPDIR of its own:
 * in the shared /tmp, a grader that runs beside this test (another job on the machine) shows
 * its folders too, and "nothing left" would flake.
 */
const graderTemp = (tmp: string) => fs.readdirSync(tmp).filter((f) => f.startsWith('grade-')).sort();

/** A TMPDIR of a test's own, which each sandbox's own uid (and `owner`, when given) can reach. */
function privateTmp(dir: string, owner?: string): string {
  fs.mkdirSync(dir, { recursive: true });
  for (let d = dir; d !== path.dirname(d) && d.startsWith(os.tmpdir() + path.sep); d = path.dirname(d)) fs.chmodSync(d, 0o755);
  if (owner) expect(spawnSync('chown', [owner, dir]).status, `chown ${owner}`).to.equal(0);
  return dir;
}

/** Each exercise's points, from its public spec (the specs' points change with their wording). */
const pointsOf = (id: string) => publicSpec(id).tests.reduce((a, t) => a + t.points, 0);
const ALPHA_POINTS = pointsOf(ALPHA);
const DDPM_POINTS = pointsOf(DDPM);
const BOTH = ALPHA_POINTS + DDPM_POINTS;

/** Each submission and its exact points for basics/alphaBar + diffusion/ddpmStep (scored tests and advice). */
export const EXPECTED: Record<string, number> = {
  // honest, partly right
  partial: 4,
  'hang-on-invalid': 4,
  'exit-on-invalid': 4,
  // Their error handling is right, but error tests score only when the exercise's value tests
  // all pass (issue 24 §3): the one value test each fails takes the rejecting test's point too.
  'oom-on-long': 1,
  'flood-on-short': 3,
  'zipped-partial': 4,
  'deep-tree': 5,
  'typecheck-bomb': 5,
  'tfjs-engine': DDPM_POINTS,
  'tfjs-leak-honest': DDPM_POINTS,
  reference: BOTH,
  untouched: 0,
  'notebook-solved': 5,
  'notebook-repo': 0,
  'notebook-broken': 0,
  'notebook-twice': 0,
  'notebook-mixed': BOTH,
  [FORMULA]: 4,
  // hostile
  'exit-at-load': 0,
  'crash-at-load': 0,
  'write-results': 0,
  'forge-results': 0,
  'patch-chai': 0,
  'patch-globals': 0,
  netns: 0,
  'read-solutions': 0,
  escape: 0,
  classmates: 0,
  'fill-disk': 0,
  'zip-bomb': 0,
};

describe('grader', function () {
  this.timeout(600000);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'grader-test-'));
  after(() => fs.rmSync(work, { recursive: true, force: true }));

  describe(`a batch of ${Object.keys(EXPECTED).length} submissions, hostile and honest`, () => {
    const subs = path.join(work, 'submissions');
    const out = path.join(work, 'grades');
    let run: ReturnType<typeof cli>;
    const tmp = path.join(work, 'tmp');
    const results = (name: string) => readJson(path.join(out, name.replace(/[^\w.@-]+/g, '_').replace(/^[.-]+/, ''), 'results.json'));
    const test = (name: string, title: string) => results(name).tests.find((t: any) => t.name === title);

    before(() => {
      fs.mkdirSync(subs);
      for (const name of Object.keys(EXPECTED)) if (fs.existsSync(path.join(FIXTURES, name))) copyFixture(name, path.join(subs, name));
      // Kept as .txt in the repository: the project's own type check would choke on it.
      fs.renameSync(path.join(subs, 'typecheck-bomb', 'basics', 'alphaBar.ts.txt'), path.join(subs, 'typecheck-bomb', 'basics', 'alphaBar.ts'));
      copyFixture('partial', path.join(subs, FORMULA));
      fs.cpSync(path.join(ROOT, 'solutions'), path.join(subs, 'reference'), { recursive: true });
      fs.cpSync(path.join(ROOT, 'exercises'), path.join(subs, 'untouched'), { recursive: true });
      // An honest answer that leaks: the same points as the one that hides its leak.
      fs.mkdirSync(path.join(subs, 'tfjs-leak-honest', 'diffusion'), { recursive: true });
      fs.writeFileSync(path.join(subs, 'tfjs-leak-honest', 'diffusion', 'ddpmStep.ts'),
        fs.readFileSync(path.join(FIXTURES, 'tfjs-engine', 'diffusion', 'ddpmStep.ts'), 'utf8').replace(/^try \{[\s\S]*?^\} catch \{\}\n/m, ''));
      // Zips: an honest one, and a bomb that lies about its size.
      expect(spawnSync('zip', ['-q', '-r', path.join(subs, 'zipped-partial.zip'), 'basics'], { cwd: path.join(FIXTURES, 'partial') }).status, 'zip').to.equal(0);
      zipBomb(path.join(subs, 'zip-bomb.zip'));
      // Notebooks: solved; the repository's own (stubs); not JSON; a cell given twice; mixed with a .ts file.
      const nb00 = '00-typescript-tensors-and-points.ipynb';
      const nb03 = '03-ddpm.ipynb';
      for (const d of ['notebook-solved', 'notebook-repo', 'notebook-broken', 'notebook-twice', 'notebook-mixed']) fs.mkdirSync(path.join(subs, d));
      fs.writeFileSync(path.join(subs, 'notebook-solved', nb00), JSON.stringify(solvedNotebook(nb00, ALPHA)));
      fs.copyFileSync(path.join(ROOT, 'notebooks', nb00), path.join(subs, 'notebook-repo', nb00));
      fs.writeFileSync(path.join(subs, 'notebook-broken', nb00), JSON.stringify(solvedNotebook(nb00, ALPHA)).slice(0, -40));
      const twice = solvedNotebook(nb00, ALPHA);
      twice.cells.push(twice.cells.find((c: any) => c.metadata?.exercise === ALPHA));
      fs.writeFileSync(path.join(subs, 'notebook-twice', nb00), JSON.stringify(twice));
      fs.writeFileSync(path.join(subs, 'notebook-mixed', nb03), JSON.stringify(solvedNotebook(nb03, DDPM)));
      fs.mkdirSync(path.join(subs, 'notebook-mixed', 'basics'));
      fs.copyFileSync(path.join(ROOT, 'solutions', 'basics', 'alphaBar.ts'), path.join(subs, 'notebook-mixed', 'basics', 'alphaBar.ts'));
      expect(fs.readdirSync(subs)).to.have.length(Object.keys(EXPECTED).length);

      privateTmp(tmp);
      const t0 = Date.now();
      // 10 s per call: long enough for oom-on-long to reach the memory limit on a loaded machine.
      run = cli('grade-cli.ts', [subs, '--only', `${ALPHA},${DDPM}`, '--out', out, '--jobs', '2', '--test-timeout', '10', '--memory', '256'], { TMPDIR: tmp });
      console.log(`      (batch of ${fs.readdirSync(subs).length} submissions graded in ${((Date.now() - t0) / 1000).toFixed(0)} s)`);
      if (run.code !== 0) console.log(run.out, run.err);
    });

    it('grades the whole batch and exits 0', () => {
      expect(run.code, run.err).to.equal(0);
    });

    for (const [name, points] of Object.entries(EXPECTED)) {
      it(`${name} gets exactly ${points} points`, () => {
        expect(results(name).score).to.equal(points);
      });
    }

    it('says why: timeout, exit, memory, output, crash at load', () => {
      expect(test('hang-on-invalid', T_REJECTS).output).to.match(/^timed out: still running after 10 s/);
      expect(test('hang-on-invalid', T_DECREASING).status).to.equal('passed');
      expect(test('exit-on-invalid', T_REJECTS).output).to.match(/process running your code ended during this call \(exit code 0\)/);
      expect(test('exit-at-load', T_PRODUCT).output).to.match(/^could not load basics\/alphaBar: .*exit code 0/);
      expect(test('exit-at-load', T_REJECTS).output).to.match(/^could not load basics\/alphaBar/);
      expect(test('crash-at-load', T_PRODUCT).output).to.match(/^could not load basics\/alphaBar: crashed while loading/);
      expect(test('oom-on-long', T_PRODUCT).output).to.match(/^ran out of memory \(limit 256 MB\)/);
      expect(test('flood-on-short', T_DECREASING).output).to.match(/^printed more than 1024 kB of output/);
      expect(test('partial', `${DDPM}: without noise (z = null) returns the mean [1 pt]`).output).to.match(/^missing: the submission has no diffusion\/ddpmStep\.ts and no notebook cell/);
    });

    it('finding 1: forged messages can only claim outputs, so a stub that forges scores 0 and is noted', () => {
      expect(results('forge-results').output).to.match(/ignored message\(s\) from the sandbox that answered no call/);
      expect(results('forge-results').output).to.not.match(/ignored \d/);
      expect(test('forge-results', T_DECREASING).output).to.match(/is 1, expected 0\.5/);
    });

    it('finding 2: solutions/ is absent from the sandbox, through node_modules/course/.. and module.constructor._load alike', () => {
      expect(test('read-solutions', T_PRODUCT).output).to.equal('alphaBar threw: no solution found');
    });

    it('finding 4: a classmate graded at the same time is invisible', () => {
      expect(test('classmates', T_FAR).output).to.match(/is 0, expected/);
    });

    it('finding 5: the zip bomb is refused, with the reason', () => {
      const r = results('zip-bomb');
      expect(r.output).to.match(/not graded: zip-bomb\.zip: (basics\/alphaBar\.ts expands more than 200 times \(a zip bomb\?\)|cannot read basics\/alphaBar\.ts \(too many bytes in the stream)/);
      expect(r.tests.every((t: any) => t.score === 0)).to.equal(true);
    });

    it('finding 6: a formula for a name gets a leading quote in the gradebook', () => {
      const csv = fs.readFileSync(path.join(out, 'gradebook.csv'), 'utf8');
      expect(csv).to.contain(`"'=HYPERLINK(""evil.example"",""click"")",4,0,4,`);
      expect(csv.split('\n').some((l) => /^"?[=+\-@\t\r]/.test(l))).to.equal(false);
      expect([csvField('+1'), csvField('-x'), csvField('@a'), csvField('\tx'), csvField('\rx'), csvField('ok'), csvField(-3)]).to.deep.equal(["'+1", "'-x", "'@a", "'\tx", "\"'\rx\"", 'ok', '-3']);
    });

    it('finding 7: a type-check bomb costs nothing (the child only transpiles) and its right answer counts', () => {
      // Behaviour, not a time bound (timings belong in the bench): no test of it ran out of time or was
      // left unrun, and its right answer earned its points (EXPECTED above).
      const r = results('typecheck-bomb');
      expect(r.tests.filter((t: any) => /timed out|time limit|not run/.test(t.output ?? '')).map((t: any) => t.name)).to.deep.equal([]);
      expect(r.score).to.equal(EXPECTED['typecheck-bomb']);
    });

    it('finding 8: the tmpfs caps bytes and files; a tree deeper than PATH_MAX is graded and gone', () => {
      expect(test('fill-disk', T_FAR).output).to.match(/is 0, expected/);
      expect(results('deep-tree').tests.filter((t: any) => t.name.startsWith(ALPHA)).every((t: any) => t.status === 'passed')).to.equal(true);
    });

    it('finding 10: patching the tfjs engine changes no score: the leak check is advice', () => {
      for (const name of ['tfjs-engine', 'tfjs-leak-honest']) {
        const leak = test(name, T_LEAK);
        expect(leak.max_score, name).to.equal(0);
        expect(leak.score, name).to.equal(0);
      }
      expect(test('tfjs-leak-honest', T_LEAK).output).to.match(/left \d+ tensor\(s\) alive/);
    });

    it('the sandbox sees only its own loopback, where the host has a network interface', () => {
      const outside = Object.values(os.networkInterfaces()).flat().some((a) => a && !a.internal);
      expect(outside, 'this check needs a host with a network interface besides loopback').to.equal(true);
      expect(test('netns', T_FAR).output).to.match(/is 0, expected/);
    });

    it('escapes, tampering and writes outside the sandbox do nothing on the host', () => {
      for (const dir of ['/tmp', '/var/tmp', '/dev/shm']) {
        if (fs.existsSync(dir)) expect(fs.readdirSync(dir).filter((f) => f.startsWith('escaped-')), dir).to.deep.equal([]);
      }
      expect(fs.existsSync(path.join(ROOT, 'results.json'))).to.equal(false);
      expect(test('escape', T_FAR).output).to.match(/is 0, expected/);
    });

    it('notebooks: exercise cells by id; invalid JSON and a cell given twice are named and get 0', () => {
      expect(results('notebook-repo').tests.find((t: any) => t.name === T_PRODUCT).output).to.match(/alphaBar threw: not implemented: alphaBar/);
      expect(results('notebook-broken').output).to.match(/00-typescript-tensors-and-points\.ipynb: not a valid notebook \(invalid JSON/);
      expect(test('notebook-twice', T_PRODUCT).output).to.match(/exercise basics\/alphaBar appears in 2 cells/);
      expect(test('notebook-mixed', T_PRODUCT).status).to.equal('passed');
    });

    it('writes a gradebook with every row filled, and leaves no files behind', () => {
      const lines = fs.readFileSync(path.join(out, 'gradebook.csv'), 'utf8').trim().split('\n');
      expect(lines[0]).to.equal(`submission,${ALPHA},${DDPM},total,max,notes`);
      expect(lines.length - 1).to.equal(Object.keys(EXPECTED).length);
      for (const l of lines.slice(1)) expect(l, l).to.match(new RegExp(`,(\\d+),(\\d+),(\\d+),${BOTH},`));
      expect(graderTemp(tmp)).to.deep.equal([]);
    });

    it('gives the reference full marks and the stubs none', () => {
      const ref = results('reference');
      expect(ref.tests.filter((t: any) => t.status !== 'passed').map((t: any) => `${t.name}: ${t.output}`)).to.deep.equal([]);
      expect(results('untouched').tests.every((t: any) => t.score === 0)).to.equal(true);
    });

    it('writes Gradescope results.json, Exercism v3 and a summary, with the sandbox described', () => {
      const r = results('partial');
      expect(r).to.include.keys('score', 'tests', 'output', 'execution_time');
      expect(r.output).to.match(/sandbox: bubblewrap/);
      if (process.getuid?.() === 0) expect(r.output).to.match(/own uid per submission, process limit/);
      for (const t of r.tests) expect(t).to.have.all.keys('name', 'score', 'max_score', 'status', 'output', 'visibility');
      expect(test('partial', T_REJECTS)).to.deep.include({ score: 0, max_score: 1, status: 'failed', output: 'alphaBar should throw an error here, but it returned normally for alphaBar([0.1, 1.5])' });
      const e = readJson(path.join(out, 'partial', 'exercism.json'));
      expect(e.version).to.equal(3);
      expect(e.status).to.equal('fail');
      expect(e.tests.find((t: any) => t.name === T_PRODUCT).status).to.equal('pass');
      expect(readJson(path.join(out, 'hang-on-invalid', 'exercism.json')).tests.find((t: any) => t.name === T_REJECTS).status).to.equal('error');
      expect(fs.readFileSync(path.join(out, 'partial', 'summary.txt'), 'utf8')).to.match(new RegExp(`^partial: 4 / ${BOTH} points`));
    });
  });

  describe('as an unprivileged user', () => {
    const isRoot = process.getuid?.() === 0;
    const names = ['partial', 'read-solutions', 'escape', 'forge-results', 'fill-disk', 'deep-tree', 'classmates', 'exit-at-load'];

    it(`grades the hostile fixtures to the same points, and the reference to full marks on every exercise, ${isRoot ? 'as nobody (setpriv)' : 'as this user'}`, () => {
      // A copy readable by nobody, and an output folder nobody may write.
      const base = path.join(work, 'nobody');
      const subs = path.join(base, 'submissions');
      const out = path.join(base, 'grades');
      for (const n of names) copyFixture(n, path.join(subs, n));
      fs.cpSync(path.join(ROOT, 'solutions'), path.join(subs, 'reference'), { recursive: true });
      fs.mkdirSync(out);
      fs.chmodSync(work, 0o755);
      for (const p of [base, subs, out]) fs.chmodSync(p, 0o755);
      if (isRoot) spawnSync('chown', ['-R', 'nobody:nogroup', out]);
      const prefix = isRoot ? ['setpriv', '--reuid=nobody', '--regid=nogroup', '--clear-groups', '--'] : [];
      const tmp = privateTmp(path.join(base, 'tmp'), isRoot ? 'nobody:nogroup' : undefined);
      const r = cli('grade-cli.ts', [subs, '--out', out, '--jobs', '2', '--test-timeout', '10', '--memory', '256'], { TMPDIR: tmp }, prefix);
      expect(r.code, r.err + r.out).to.equal(0);
      expect(graderTemp(tmp)).to.deep.equal([]);
      for (const n of names) {
        const res = readJson(path.join(out, n, 'results.json'));
        expect(res.score, n).to.equal(EXPECTED[n]);
        expect(res.output, n).to.match(/sandbox: bubblewrap/);
        if (isRoot) expect(res.output, n).to.match(/grader's uid \(the grader is not root\), own user namespace/);
      }
      const ref = readJson(path.join(out, 'reference', 'results.json'));
      expect(ref.tests.filter((t: any) => t.status !== 'passed' && t.max_score > 0).map((t: any) => `${t.name}: ${t.output}`)).to.deep.equal([]);
      expect(ref.score).to.equal(ref.tests.reduce((a: number, t: any) => a + t.max_score, 0));
      console.log(`      (reference: ${ref.tests.length} tests of ${new Set(ref.tests.map((t: any) => t.name.split(':')[0])).size} exercises graded in ${ref.execution_time} s)`);
    });
  });

  describe('without bubblewrap', () => {
    it('refuses by default, with the reason and the way out', () => {
      const sub = path.join(work, 'alone');
      copyFixture('partial', sub);
      const r = cli('grade-cli.ts', [sub, '--only', ALPHA], { GRADER_NO_BWRAP: '1' });
      expect(r.code).to.equal(1);
      expect(r.err).to.match(/the sandbox \(bubblewrap\) cannot run here: disabled by GRADER_NO_BWRAP=1\. .*--unsafe-no-sandbox/);
    });

    it('--unsafe-no-sandbox: network blocked in-process, and a warning in every output format', () => {
      const subs = path.join(work, 'unsafe');
      copyFixture('network', path.join(subs, 'network'));
      copyFixture('partial', path.join(subs, 'partial'));
      copyFixture('read-solutions', path.join(subs, 'read-solutions'));
      const out = path.join(work, 'unsafe-grades');
      const tmp = privateTmp(path.join(work, 'unsafe-tmp'));
      const r = cli('grade-cli.ts', [subs, '--only', ALPHA, '--out', out, '--unsafe-no-sandbox'], { GRADER_NO_BWRAP: '1', TMPDIR: tmp });
      expect(r.code, r.err).to.equal(0);
      expect(graderTemp(tmp)).to.deep.equal([]);
      expect(r.err).to.match(/WARNING: NOT SANDBOXED/);
      expect(readJson(path.join(out, 'network', 'results.json')).score).to.equal(0);
      expect(readJson(path.join(out, 'partial', 'results.json')).score).to.equal(4);
      // Node's permission model alone keeps solutions/ out of reach, even through node_modules/course.
      expect(readJson(path.join(out, 'read-solutions', 'results.json')).score).to.equal(0);
      expect(readJson(path.join(out, 'network', 'results.json')).output).to.match(/^WARNING: NOT SANDBOXED/);
      expect(readJson(path.join(out, 'network', 'exercism.json')).message).to.match(/^WARNING: NOT SANDBOXED/);
      expect(fs.readFileSync(path.join(out, 'network', 'summary.txt'), 'utf8')).to.match(/^WARNING: NOT SANDBOXED/);
      expect(fs.readFileSync(path.join(out, 'gradebook.csv'), 'utf8').split('\n')[1]).to.match(/WARNING: NOT SANDBOXED/);
    });
  });

  describe('Gradescope bundle', () => {
    it('holds no solutions/; run_autograder grades a notebook and a .ts file with hidden tests, whose details a submission cannot leak', () => {
      const hidden = path.join(work, 'hidden');
      fs.mkdirSync(path.join(hidden, 'basics'), { recursive: true });
      fs.writeFileSync(path.join(hidden, 'basics', 'alphaBar.spec.ts'), [
        "import { exercise, test, names, near } from 'course/exercise';",
        "export default exercise('basics/alphaBar', 'alphaBar', [",
        "  test(3, 'rejects a negative β', async (t) => names(await t.throws([0.1, -0.2, 0.8123456789]), 'alphaBar', [/beta\\[1\\] = -0\\.2/], 'SECRET-HIDDEN-WHAT')),",
        "  test(2, 'a schedule of one', async (t) => near(await t.call([0.3141592]), [0.6858408], { what: 'SECRET-HIDDEN-VALUE' })),",
        ']);',
      ].join('\n'));
      const zip = path.join(work, 'autograder.zip');
      const b = cli('bundle.ts', ['--tests', hidden, '--only', `${ALPHA},${DDPM}`, '--out', zip]);
      expect(b.code, b.err).to.equal(0);
      const list = spawnSync('unzip', ['-Z1', zip], { encoding: 'utf8' }).stdout.split('\n');
      expect(list).to.include.members(['setup.sh', 'run_autograder', 'grader/grade-cli.ts', 'grader/call-server.cjs', 'test/exercises/basics/alphaBar.spec.ts', 'hidden/basics/alphaBar.spec.ts', 'notebooks/03-ddpm.ipynb']);
      expect(list.filter((f) => f.startsWith('solutions/'))).to.deep.equal([]);
      expect(fs.readFileSync(path.join(ROOT, 'grader', 'bundle.ts'), 'utf8')).to.contain('bubblewrap');

      const src = path.join(work, 'ag-source');
      const ag = path.join(work, 'ag-root');
      expect(spawnSync('unzip', ['-qq', zip, '-d', src]).status).to.equal(0);
      fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(src, 'node_modules'));
      copyFixture('leak-hidden', path.join(ag, 'submission'));
      fs.writeFileSync(path.join(ag, 'submission', '03-ddpm.ipynb'), JSON.stringify(solvedNotebook('03-ddpm.ipynb', DDPM)));
      const r = spawnSync('bash', [path.join(src, 'run_autograder')], { encoding: 'utf8', env: { ...process.env, AUTOGRADER_ROOT: ag }, timeout: 300000 });
      expect(r.status, r.stderr).to.equal(0);
      const text = fs.readFileSync(path.join(ag, 'results', 'results.json'), 'utf8');
      const res = JSON.parse(text);
      // ddpmStep from the notebook: all its points; the leaking alphaBar always throws, so it earns nothing.
      expect(res.score).to.equal(DDPM_POINTS);
      const hiddenTests = res.tests.filter((t: any) => t.visibility === 'after_published');
      expect(hiddenTests.map((t: any) => [t.name, t.score, t.output])).to.deep.equal([
        ['basics/alphaBar: rejects a negative β [3 pts] (hidden)', 0, 'hidden test: details are withheld'],
        ['basics/alphaBar: a schedule of one [2 pts] (hidden)', 0, 'hidden test: details are withheld'],
      ]);
      // Public tests ran in their own process before the hidden ones: their messages hold no hidden input.
      expect(res.tests.find((t: any) => t.name === T_REJECTS).output).to.match(/^the error should (?:match|name)|rejects|alphaBar: leaked/);
      for (const secret of ['SECRET-HIDDEN', '0.8123456789', '0.6858408', '0.3141592', 'course/exercise']) expect(text, secret).to.not.contain(secret);
    });
  });

  describe('npm run check and the command line', () => {
    it('npm run check (scripts/check.ts) runs the public tests on a folder, by exercise or notebook number, as text or JSON', () => {
      const dir = path.join(work, 'learner');
      copyFixture('partial', dir);
      const text = cli('scripts/check.ts', ['basics.alphaBar', '--dir', dir]);
      expect(text.code).to.equal(1);
      expect(text.out).to.match(/^check\('basics\.alphaBar'\): 4 \/ 5 points/);
      const json = cli('scripts/check.ts', ['00', '--dir', dir, '--json']);
      const r = JSON.parse(json.out);
      expect([r.score, r.max, r.tests.length]).to.deep.equal([4, 5, 4]);
    });

    it('rejects bad arguments with a clear message', () => {
      expect(() => parseArgs([])).to.throw(UsageError, /no submission given/);
      expect(() => parseArgs([FIXTURES, '--jobs', 'x'])).to.throw(UsageError, /--jobs needs a number/);
      expect(() => parseArgs([FIXTURES, '--format', 'xml'])).to.throw(UsageError, /--format must be/);
      expect(() => parseArgs([path.join(work, 'nope')])).to.throw(UsageError, /does not exist/);
      expect(() => parseArgs([FIXTURES, '--hidden-only'])).to.throw(UsageError, /--hidden-only needs --tests/);
      expect(parseArgs([FIXTURES, '--test-timeout', '2', '--memory', '300', '--tmp', '8']).options.limits).to.deep.include({ callMs: 2000, memoryMb: 300, tmpMb: 8 });
    });

    it('names a deleted exercise cell and one stripped of its id, and takes nothing from other cells', () => {
      const nb = '00-typescript-tensors-and-points.ipynb';
      const fns = new Map([[ALPHA, 'alphaBar']]);
      const write = (name: string, edit: (cells: any[]) => any[]) => {
        const dir = path.join(work, name);
        fs.mkdirSync(dir);
        const n = solvedNotebook(nb, ALPHA);
        n.cells = edit(n.cells);
        fs.writeFileSync(path.join(dir, nb), JSON.stringify(n));
        return readSubmission(dir, fns);
      };
      const isCell = (c: any) => c.metadata?.exercise === ALPHA;
      const deleted = write('nb-deleted', (cells) => cells.filter((c) => !isCell(c)));
      expect(deleted.modules.size).to.equal(0);
      expect(deleted.problems.get(ALPHA)).to.equal(`${nb}: the exercise cell of ${ALPHA} is missing (deleted?), so it is not graded`);
      const idless = write('nb-idless', (cells) => cells.map((c) => (isCell(c) ? { ...c, metadata: {} } : c)));
      expect(idless.problems.get(ALPHA)).to.match(new RegExp(`^${nb.replace(/\./g, '\\.')}: cell \\d+ holds exercise basics/alphaBar but has no metadata\\.exercise id`));
      // A learner's extra cell defining alphaBar (say, a copy that always passes) is not an exercise cell.
      const extra = write('nb-extra', (cells) => [...cells.map((c) => (isCell(c) ? { ...c, source: 'function alphaBar() { throw new Error("mine"); }' } : c)), { cell_type: 'code', metadata: {}, source: 'function alphaBar(b: number[]) { return b; }' }]);
      expect(extra.modules.get(ALPHA)).to.equal('export function alphaBar() { throw new Error("mine"); }');
    });

    it('the call server type-checks (// @ts-check) against the message types it shares with the grader', () => {
      const file = path.join(ROOT, 'grader', 'call-server.cjs');
      const program = ts.createProgram([file], {
        allowJs: true, checkJs: true, noEmit: true, strict: true, skipLibCheck: true, types: ['node'],
        target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, moduleResolution: ts.ModuleResolutionKind.Node10, esModuleInterop: true,
      });
      const diags = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      expect(diags).to.deep.equal([]);
      expect(fs.readFileSync(file, 'utf8')).to.match(/^\/\/ @ts-check\n/);
    });

    it('turns a notebook cell into a module: export on the function, course/ imports to the compiled lib', () => {
      const m = cellModule("// Exercise x/y\nimport * as tf from '@tensorflow/tfjs';\nimport { checkPair } from 'course/clip/checks';\nfunction y(a: number) {\n  return a;\n}\n", 'y');
      expect(m).to.contain('\nexport function y(a: number) {');
      expect(m).to.contain("from '../../lib/clip/checks'");
      expect(m).to.contain("from '@tensorflow/tfjs'");
      expect(cellModule('const z = 1;\n', 'y')).to.equal(null);
    });
  });
});
