// Issue 24 §1: the sandbox hands out no answer. Stubs that ask for the compiled reference by
// every route (a relative path into lib, module.constructor._load, reading the file and
// evaluating it, lib's registry and dispatchers, the same from a notebook's exercise cell) are
// graded in one batch beside honest classmates: each route earns 0, the classmates' points are
// exact, the grader exits 0 and leaves no grade-* folder. The same stubs, run where the
// reference exists (this process), earn full marks: the routes are real, the sandbox closes them.
import { expect } from 'chai';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { loadTs, publicSpec } from '../../lib/exercise/check';
import { localCaller, runSpec } from '../../lib/exercise/run';
import { NOT_AVAILABLE } from '../../lib/exercise/registry';
import { makeRunLayout } from '../../grader/sandbox';
import { walk } from '../../grader/walk';
import { cellModule } from '../../grader/submission';
import { expectedReference, solutionLines, solutions } from '../../scripts/exercises';
import { batch, FIXTURES, grade, leftIn, notebookWith, ROOT } from './trust-common';

const ALPHA = 'basics/alphaBar';
const DDPM = 'diffusion/ddpmStep';
const LOOP = 'diffusion/sampleLoop';
const NB00 = '00-typescript-tensors-and-points.ipynb';
const ROUTES = ['ref-relative', 'ref-load', 'ref-eval', 'ref-dispatch'];

/** A notebook exercise cell that asks for the reference through `course/…`. */
const NOTEBOOK_CELL = `// Exercise basics/alphaBar: write the body of alphaBar, then run the next cell to check it.
import { implementation, reference } from 'course/exercise/registry';
function alphaBar(beta: number[]): Float32Array {
  const tried: string[] = [];
  const routes = [
    () => require('course/reference').alphaBar(beta),
    () => (module as any).constructor._load('course/reference', module, false).alphaBar(beta),
    () => reference('basics/alphaBar')(beta),
    () => { delete (globalThis as any)[Symbol.for('course.exercise.registry')].grading; return implementation('basics/alphaBar')(beta); },
  ];
  for (const r of routes) {
    try { return r(); } catch (e) { tried.push((e as Error).message.split('\\n')[0]); }
  }
  throw new Error('alphaBar: no reference (' + tried.join('; ') + ')');
}
`;

/** A ddpmStep that only says it ran: sampleLoop's test must see it, not the reference. */
const MY_DDPM = `export function ddpmStep(): never {\n  throw new Error('ddpmStep: this is the learner\\'s own ddpmStep');\n}\n`;

describe('trust §1: no reference in the sandbox, by any route', function () {
  this.timeout(600000);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'trust-sandbox-'));
  const subs = path.join(work, 'subs');
  const out = path.join(work, 'grades');
  after(() => fs.rmSync(work, { recursive: true, force: true }));
  let run: ReturnType<typeof grade>;
  const tmp = path.join(work, 'tmp');
  const { results, test } = batch(out);

  before(() => {
    for (const r of ROUTES) fs.cpSync(path.join(FIXTURES, 'trust', r), path.join(subs, r), { recursive: true });
    fs.mkdirSync(path.join(subs, 'ref-notebook'));
    fs.writeFileSync(path.join(subs, 'ref-notebook', NB00), JSON.stringify(notebookWith(NB00, ALPHA, NOTEBOOK_CELL)));
    // Honest: a partial answer, and the reference solutions for the three exercises.
    fs.cpSync(path.join(FIXTURES, 'submissions', 'partial'), path.join(subs, 'partial'), { recursive: true });
    for (const id of [ALPHA, DDPM, LOOP]) fs.cpSync(path.join(ROOT, 'solutions', `${id}.ts`), path.join(subs, 'solved', `${id}.ts`));
    // The reference sampleLoop beside a ddpmStep of the learner's that only throws.
    fs.cpSync(path.join(ROOT, 'solutions', `${LOOP}.ts`), path.join(subs, 'own-step', `${LOOP}.ts`));
    fs.writeFileSync(path.join(subs, 'own-step', `${DDPM}.ts`), MY_DDPM);
    run = grade([subs, '--only', `${ALPHA},${DDPM},${LOOP}`, '--out', out, '--jobs', '2', '--test-timeout', '20', '--memory', '512'], tmp);
    if (run.code !== 0) console.log(run.out, run.err);
  });

  it('grades the batch, exits 0 and leaves no grade-* folder', () => {
    expect(run.code, run.err).to.equal(0);
    expect(leftIn(tmp)).to.deep.equal([]);
  });

  it('honest classmates get exactly their points: partial 4, the solutions every point', () => {
    expect(results('partial').score).to.equal(4);
    const all = [ALPHA, DDPM, LOOP].reduce((a, id) => a + publicSpec(id).tests.reduce((b, t) => b + t.points, 0), 0);
    expect(results('solved').score).to.equal(all);
  });

  for (const name of [...ROUTES, 'ref-notebook']) {
    it(`${name}: every route to the reference fails inside the sandbox, and it earns 0`, () => {
      const r = results(name);
      expect(r.score, JSON.stringify(r.tests.map((t: any) => t.output))).to.equal(0);
      expect(test(name, `${ALPHA}: matches the exact product`).output).to.match(/alphaBar threw: alphaBar: no reference/);
    });
  }

  it('lib\'s registry and dispatchers say why: the reference is not available while grading', () => {
    for (const name of ['ref-dispatch', 'ref-notebook']) {
      const msg = test(name, `${ALPHA}: matches the exact product`).output;
      expect(msg, name).to.contain(NOT_AVAILABLE);
      expect(msg, name).to.not.match(/reference\(\)[^;]*: [^;]*is not a function/);
    }
  });

  it("an exercise's dispatcher in the sandbox runs the learner's own function (sampleLoop → the learner's ddpmStep)", () => {
    const msg = test('own-step', `${LOOP}: runs the DDPM step`).output;
    expect(msg).to.contain("this is the learner's own ddpmStep");
  });

  it('the same stubs earn full marks where the reference exists (this process): the routes are real', async () => {
    const spec = publicSpec(ALPHA);
    const sources: [string, string][] = ROUTES.map((r) => [r, fs.readFileSync(path.join(FIXTURES, 'trust', r, `${ALPHA}.ts`), 'utf8')]);
    sources.push(['ref-notebook', cellModule(NOTEBOOK_CELL, 'alphaBar')!]);
    for (const [name, src] of sources) {
      // <repository>/<folder>/basics/alphaBar.ts, as the sandbox has /course/exercises/basics/alphaBar.ts.
      const tmp = fs.mkdtempSync(path.join(ROOT, `.trust-control-${name}-`));
      try {
        const file = path.join(tmp, 'basics', 'alphaBar.ts');
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, src);
        const got = await runSpec(spec, localCaller(loadTs(file).alphaBar, tf));
        expect(got.reduce((a, t) => a + t.score, 0), `${name}: ${got.map((t) => t.message).join(' | ')}`).to.equal(5);
      } finally {
        fs.rmSync(tmp, { recursive: true, force: true });
      }
    }
  });

  it("the run layout every sandbox mounts holds no file of lib/reference and no byte of the reference's bundle", () => {
    const run = makeRunLayout(ROOT, (src) => src);
    try {
      const files = walk(run.dir).regular;
      expect(files.filter((f) => /[\\/]reference([\\/]|$)/.test(path.relative(run.dir, f)))).to.deep.equal([]);
      const bundle = expectedReference().get('index.js')!;
      const b64 = bundle.match(/"([A-Za-z0-9+/]{100})"/)![1];
      const hits = files.filter((f) => f.endsWith('.js') && fs.readFileSync(f, 'utf8').includes(b64));
      expect(hits).to.deep.equal([]);
      expect(fs.existsSync(path.join(run.lib, 'exercise', 'ids.js')), 'lib still knows its exercises').to.equal(true);
    } finally {
      fs.rmSync(run.dir, { recursive: true, force: true });
    }
  });
});

describe('trust §1: the learner edition\'s reference is not one keystroke away', () => {
  it('a reference function prints no body: toString() and Function.prototype.toString show native code', () => {
    const ref = require('../../lib/reference');
    for (const s of solutions()) {
      const f = ref[s.fn];
      expect(f.name, s.id).to.equal(s.fn);
      for (const text of [f.toString(), Function.prototype.toString.call(f), String(ref.byId[s.id])]) expect(text, s.id).to.match(/^function \(\) \{ \[native code\] \}$/);
    }
  });

  it('searching lib/reference/index.js for "ddpmStep:" (or any solution line) finds nothing', () => {
    const text = fs.readFileSync(path.join(ROOT, 'lib', 'reference', 'index.js'), 'utf8');
    for (const s of solutions()) expect(text, s.fn).to.not.contain(`${s.fn}:`);
    const norm = (x: string) => x.replace(/\s+/g, '');
    const leaks = solutions().flatMap((s) => solutionLines(s.source).filter((l) => norm(l).length > 12 && norm(text).includes(norm(l))));
    expect(leaks).to.deep.equal([]);
  });
});
