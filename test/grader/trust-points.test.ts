// Issue 24 §2 (ReDoS), §3 and §4, in one batch beside honest classmates: a message stuffed with
// every phrase, a 4 MB message against eulerStep's backtracking pattern, right values in the
// wrong shape, sampleLoop's callbacks fed strings, a markdown cell with an exercise id, and a
// submission that prints as many lines as a hidden input says. Each earns what it computed
// (nothing, mostly); the honest ones earn exactly their points; the grader exits 0 and leaves
// no grade-* folder; nothing a hidden input steers reaches learner-visible output.
import { expect } from 'chai';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { publicSpec } from '../../lib/exercise/check';
import { gateErrorTests, localCaller, runTest } from '../../lib/exercise/run';
import { names, patternIn, mention } from '../../lib/exercise/spec';
import { cellSource, solvedOf } from '../../scripts/exercises';
import { batch, FIXTURES, grade, leftIn, notebookWith, readJson, ROOT } from './trust-common';

const ALPHA = 'basics/alphaBar';
const DDPM = 'diffusion/ddpmStep';
const EULER = 'diffusion/eulerStep';
const LOOP = 'diffusion/sampleLoop';
const IDS = [ALPHA, DDPM, EULER, LOOP];
const NB00 = '00-typescript-tensors-and-points.ipynb';
const pointsOf = (id: string) => publicSpec(id).tests.reduce((a, t) => a + t.points, 0);
const solution = (id: string) => fs.readFileSync(path.join(ROOT, 'solutions', `${id}.ts`), 'utf8');

/** Every phrase the four exercises' error tests look for, in one message. */
const STUFFED = 'alphaBar ddpmStep eulerStep sampleLoop: beta[1] = 1.5, beta[0] = NaN, [3, 2] [2, 2] alphaBar = 0, 1.2, length 5 and 4, [6]';
const stuffed = (fn: string) => `export function ${fn}(..._args: unknown[]): never {\n  throw new Error(${JSON.stringify(STUFFED)});\n}\n`;

/** The reference ddpmStep's values, returned as [d, n] where [n, d] is due ([2, 3] for [3, 2]). */
const TRANSPOSED = solution(DDPM)
  .replace(/^export function ddpmStep/m, 'function step')
  .concat(`\nexport function ddpmStep(...a: Parameters<typeof step>): tf.Tensor2D {\n  const r = step(...a);\n  return r.shape[0] !== r.shape[1] ? (r.reshape([r.shape[1], r.shape[0]]) as tf.Tensor2D) : r;\n}\n`);

/** Asks the model once, with the string '4,3,2,1,0', and the noise at 4, 3, 2, 1; takes no step. */
const NO_STEPS = `import * as tf from '@tensorflow/tfjs';
export function sampleLoop(model: (x: tf.Tensor2D, t: any) => tf.Tensor2D, xT: tf.Tensor2D, betas: ArrayLike<number>, alphaBar: ArrayLike<number>, noise: (t: any) => tf.Tensor2D | null): tf.Tensor2D {
  if (betas.length !== alphaBar.length) throw new Error(\`sampleLoop: betas has length \${betas.length} and alphaBar \${alphaBar.length}\`);
  if (xT.rank !== 2) throw new Error(\`sampleLoop: xT must be [n, d], got [\${xT.shape}]\`);
  model(xT, '4,3,2,1,0');
  for (const t of [4, 3, 2, 1]) noise(t)?.dispose();
  return xT.clone();
}
`;

/** A 4 MB message that makes /alphaBar\w* = 0\b/ backtrack quadratically. */
const REDOS = `export function eulerStep(): never {\n  throw new Error('eulerStep: ' + 'alphaBar'.repeat(500000));\n}\n`;

/** The reference alphaBar, which also prints β₁·10⁵ forged lines when given one β (the hidden test's input). */
const STEER = solution(ALPHA).replace(/^export function alphaBar\(([^)]*)\)([^{]*)\{/m, (_m, params, ret) =>
  `export function alphaBar(${params})${ret}{\n  const b0 = ${params.split(':')[0].trim()};\n  if (b0.length === 1 && b0[0] > 0) require('fs').writeSync(3, 'x\\n'.repeat(Math.round(b0[0] * 1e5)));`);

const HIDDEN = `import { exercise, test, near } from 'course/exercise';
export default exercise('basics/alphaBar', 'alphaBar', [
  test(2, 'a schedule of one step', async (t) => near(await t.call([0.09048]), [0.90952], { tol: 1e-6 })),
]);
`;

describe('trust §2–§4: points only for work, no ReDoS, nothing steered by a hidden input', function () {
  this.timeout(600000);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'trust-points-'));
  const subs = path.join(work, 'subs');
  const out = path.join(work, 'grades');
  const tmp = path.join(work, 'tmp');
  const hidden = path.join(work, 'hidden');
  after(() => fs.rmSync(work, { recursive: true, force: true }));
  let run: ReturnType<typeof grade>;
  const { results, test, summary } = batch(out);
  const put = (sub: string, id: string, text: string) => {
    fs.mkdirSync(path.join(subs, sub, path.dirname(id)), { recursive: true });
    fs.writeFileSync(path.join(subs, sub, `${id}.ts`), text);
  };

  before(() => {
    fs.mkdirSync(path.join(hidden, 'basics'), { recursive: true });
    fs.writeFileSync(path.join(hidden, 'basics', 'alphaBar.spec.ts'), HIDDEN);
    // Honest: the solutions, a partial answer, a solved notebook.
    for (const id of IDS) put('solved', id, solution(id));
    fs.cpSync(path.join(FIXTURES, 'submissions', 'partial'), path.join(subs, 'partial'), { recursive: true });
    const solvedCell = cellSource(ALPHA, 'alphaBar', solvedOf(solution(ALPHA)));
    fs.mkdirSync(path.join(subs, 'nb-code'));
    fs.writeFileSync(path.join(subs, 'nb-code', NB00), JSON.stringify(notebookWith(NB00, ALPHA, solvedCell)));
    // Hostile.
    for (const id of IDS) put('stuffed', id, stuffed(id.split('/')[1]));
    put('redos', EULER, REDOS);
    put('redos', ALPHA, solution(ALPHA));
    put('transposed', DDPM, TRANSPOSED);
    put('no-steps', LOOP, NO_STEPS);
    put('steer', ALPHA, STEER);
    fs.mkdirSync(path.join(subs, 'nb-markdown'));
    fs.writeFileSync(path.join(subs, 'nb-markdown', NB00), JSON.stringify(notebookWith(NB00, ALPHA, solvedCell, (c) => {
      c.cell_type = 'markdown';
      delete c.outputs;
      delete c.execution_count;
    })));
    run = grade([subs, '--only', IDS.join(','), '--tests', hidden, '--out', out, '--jobs', '2', '--test-timeout', '20', '--memory', '512'], tmp);
    if (run.code !== 0) console.log(run.out, run.err);
  });

  it('grades the batch, exits 0 and leaves no grade-* folder', () => {
    expect(run.code, run.err).to.equal(0);
    expect(leftIn(tmp)).to.deep.equal([]);
  });

  it('honest classmates get exactly their points', () => {
    expect(results('solved').score).to.equal(IDS.reduce((a, id) => a + pointsOf(id), 0) + 2);
    expect(results('partial').score).to.equal(4 + 2);
    expect(results('nb-code').score).to.equal(pointsOf(ALPHA) + 2);
  });

  it('§3 a message stuffed with every phrase earns 0: error tests score only beside passing value tests, and an error names its own input, not every one', () => {
    expect(results('stuffed').score).to.equal(0);
    // Two inputs, one message naming both: it stands in for every input (followup-batch.test.ts).
    expect(test('stuffed', `${ALPHA}: rejects β outside`).output).to.match(/^β = \[0\.1, 1\.5\]: the error also names what the error for β = \[NaN\] should name .*not every value$/);
    const gated = results('stuffed').tests.filter((t: any) => /^error handling earns its points once the exercise's value tests pass/.test(t.output));
    expect(gated.length, 'error tests of one input meet the gate').to.be.above(0);
  });

  it('§3 (control) the same stub, ungated, would earn points: the error tests do pass on it', async () => {
    let raw = 0;
    let gated = 0;
    for (const id of IDS) {
      const spec = publicSpec(id);
      const fn = () => {
        throw new Error(STUFFED);
      };
      const rs = [];
      for (const t of spec.tests) rs.push(await runTest(spec, t, localCaller(fn, tf)));
      raw += rs.reduce((a, r) => a + r.score, 0);
      gated += gateErrorTests(rs).reduce((a, r) => a + r.score, 0);
    }
    expect(raw).to.be.above(0);
    expect(gated).to.equal(0);
  });

  it('§2 a 4 MB message against /alphaBar\\w* = 0\\b/ holds nothing up: it scores 0 beside its right alphaBar', () => {
    const r = results('redos');
    expect(r.score).to.equal(pointsOf(ALPHA) + 2);
    expect(r.tests.filter((t: any) => t.name.startsWith(EULER)).every((t: any) => t.score === 0)).to.equal(true);
    expect(test('redos', `${EULER}: rejects ᾱ outside`).output.length).to.be.below(3000);
  });

  it('§2 (unit) a pattern runs on the first 4000 characters, with a time bound for one that backtracks exponentially', () => {
    expect(patternIn(/alphaBar = 0\b/, 'eulerStep: alphaBar = 0')).to.equal(true);
    expect(patternIn(/tail/, 'x'.repeat(5000) + 'tail')).to.equal(false);
    const t0 = Date.now();
    expect(patternIn(/^(a+)+b$/, 'a'.repeat(64))).to.equal(false);
    expect(Date.now() - t0, 'stopped, not run to the end (which takes hours)').to.be.below(60000);
    expect(() => names('eulerStep: ' + 'alphaBar'.repeat(500000), 'eulerStep', [mention(/alphaBar\w* = 0\b/, '"alphaBar = 0"')], 'ᾱ = 0')).to.throw(/should name "alphaBar = 0"; got "eulerStep: alphaBaralphaBar.{0,300}"$/);
  });

  it('§3 right values in the wrong shape earn nothing: near() checks shape by default', () => {
    expect(results('transposed').score).to.equal(0);
    expect(test('transposed', `${DDPM}: without noise`).output).to.match(/the mean has shape \[2,3\], expected \[3,2\]/);
  });

  it("§3 sampleLoop's callbacks are compared as numbers: '4,3,2,1,0' in one call is not five steps", () => {
    expect(results('no-steps').score).to.equal(0);
    expect(test('no-steps', `${LOOP}: asks the model at t = 4, 3, 2, 1, 0`).output).to.match(/the model was asked at t = the string "4,3,2,1,0"; expected t = 4, 3, 2, 1, 0/);
  });

  it('§3 a markdown cell with an exercise id is text, not code: it earns 0, named as a missing cell', () => {
    expect(results('nb-markdown').score).to.equal(0);
    expect(test('nb-markdown', `${ALPHA}: matches the exact product`).output).to.match(/the exercise cell of basics\/alphaBar is missing/);
  });

  it('§4 no count a hidden input steers reaches learner-visible output (teacher.txt has it)', () => {
    const learner = [
      fs.readFileSync(path.join(out, 'steer', 'results.json'), 'utf8'),
      fs.readFileSync(path.join(out, 'steer', 'exercism.json'), 'utf8'),
      summary('steer'),
    ];
    for (const text of learner) {
      expect(text).to.not.contain('9048');
      expect(text).to.not.match(/ignored \d/);
    }
    expect(fs.readFileSync(path.join(out, 'steer', 'teacher.txt'), 'utf8')).to.contain('ignored 9048 message(s) from the hidden tests');
    expect(results('steer').score).to.equal(pointsOf(ALPHA) + 2);
    // The time shown stops where the hidden tests begin.
    expect(readJson(path.join(out, 'steer', 'results.json')).execution_time).to.be.a('number');
  });
});
