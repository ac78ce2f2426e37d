// The exercise convention: exercises/, lib/reference/ and the notebooks' exercise cells are
// generated from solutions/, and every scored public test passes on the solutions and fails on
// the untouched stubs with the exercise's own "not implemented" message.
import { expect } from 'chai';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { byId } from '../../lib/reference';
import { expectedExercises, exercisesByNotebook, solutionLines, solutions, staleExercises, stubOf, withExerciseCells, Notebook } from '../../scripts/exercises';

const ROOT = path.resolve(__dirname, '..', '..');

/** Run the public exercise tests against a folder (or 'reference'); return mocha's JSON report. */
export function runExerciseTests(target: string): { stats: any; tests: any[]; failures: any[]; passes: any[] } {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'course-ex-')), 'report.json');
  spawnSync(
    process.execPath,
    [
      require.resolve('mocha/bin/mocha.js'), '--no-config', '--require', 'tsx/cjs', '--require', 'test/setup.ts',
      '--extension', 'ts', '--timeout', '60000', '--reporter', 'json', '--reporter-option', `output=${out}`,
      'test/exercises/exercises.test.ts',
    ],
    { cwd: ROOT, env: { ...process.env, COURSE_EXERCISES: target, COURSE_QUIET_BACKEND: '1' }, encoding: 'utf8', timeout: 600000 },
  );
  return JSON.parse(fs.readFileSync(out, 'utf8'));
}

const scored = (t: { title: string }) => !t.title.endsWith('[advice]');

describe('exercises convention', function () {
  this.timeout(600000);

  it('stubs keep the signature and doc comment and throw "not implemented: <name>"', () => {
    const src = ['/** Doc. */', 'export function f(x: number): number {', '  // BEGIN SOLUTION', '  return x * 2;', '  // END SOLUTION', '}'].join('\n');
    const stub = stubOf(src);
    expect(stub).to.contain('/** Doc. */\nexport function f(x: number): number {');
    expect(stub).to.contain("throw new Error('not implemented: f');");
    expect(stub).to.not.contain('x * 2');
    expect(() => stubOf('function g() {\n// BEGIN SOLUTION\n}')).to.throw(/never closed/);
    expect(() => stubOf('const a = 1;')).to.throw(/no BEGIN SOLUTION/);
  });

  it('exercises/, lib/reference/ and the notebooks\' exercise cells are up to date (run `npm run exercises`)', () => {
    expect(expectedExercises().size).to.be.above(0);
    expect(staleExercises(), 'stale generated files').to.deep.equal([]);
  });

  it('lib/reference holds every solution, under its exercise id, and lib never imports solutions/', () => {
    const ids = solutions().map((s) => s.id).sort();
    expect(Object.keys(byId).sort()).to.deep.equal(ids);
    const hits = spawnSync('grep', ['-rln', 'solutions/', 'lib/'], { cwd: ROOT, encoding: 'utf8' }).stdout.trim();
    expect(hits, 'lib files naming solutions/').to.equal('');
  });

  it('the compiled reference shows no solution line (longer than 20 characters, whitespace normalised)', () => {
    const norm = (s: string) => s.replace(/\s+/g, '');
    const compiled = norm(fs.readFileSync(path.join(ROOT, 'lib', 'reference', 'index.js'), 'utf8'));
    const leaks = solutions().flatMap((s) => solutionLines(s.source).filter((l) => l.trim().length > 20 && compiled.includes(norm(l))).map((l) => `${s.id}: ${l.trim()}`));
    expect(leaks).to.deep.equal([]);
  });

  it('every notebook has an exercise cell, each followed by its check cell, and every exercise appears in one notebook', () => {
    const byNotebook = exercisesByNotebook();
    for (const [nb, ids] of byNotebook) expect(ids.length, `${nb} has no exercise cell`).to.be.above(0);
    const placed = [...byNotebook.values()].flat().sort();
    expect(new Set(placed).size, 'an exercise placed twice').to.equal(placed.length);
    expect(placed).to.deep.equal(solutions().map((s) => s.id).sort());
  });

  it('an exercise cell is the stub (or, solved, the solution) with lib imported as `course`', () => {
    const sols = new Map(solutions().map((s) => [s.id, s]));
    const nb: Notebook = { cells: [{ cell_type: 'code', id: 'a', metadata: { exercise: 'diffusion/ddimStep' }, source: [] }], metadata: {}, nbformat: 4, nbformat_minor: 5 };
    const stub = withExerciseCells(nb, sols, false);
    const text = (i: number, n: Notebook) => [n.cells[i].source].flat().join('');
    expect(text(0, stub)).to.match(/^\/\/ Exercise diffusion\/ddimStep/);
    expect(text(0, stub)).to.contain("throw new Error('not implemented: ddimStep')");
    expect(text(0, stub)).to.contain("from 'course/diffusion/predict'");
    expect(text(0, stub)).to.not.match(/^export /m);
    expect(stub.cells[1].metadata.check).to.equal('diffusion/ddimStep');
    expect(text(1, stub)).to.contain("await check('diffusion/ddimStep', ddimStep)");
    const solved = withExerciseCells(nb, sols, true);
    expect(text(0, solved)).to.contain('predictX0(xt, epsHat, alphaBarT)');
    expect(() => withExerciseCells({ ...nb, cells: [...nb.cells, ...nb.cells] }, sols, false)).to.throw(/appears twice/);
    expect(() => withExerciseCells({ ...nb, cells: [{ ...nb.cells[0], metadata: { exercise: 'diffusion/nope' } }] }, sols, false)).to.throw(/no solution/);
  });

  it('every scored public test passes on the reference and fails on the untouched stubs with "not implemented"', () => {
    const ref = runExerciseTests('reference');
    expect(ref.failures.map((t: any) => t.fullTitle + ': ' + t.err.message)).to.deep.equal([]);
    const tested = new Set(ref.tests.map((t: any) => t.fullTitle.split(' ')[0]));
    for (const s of solutions()) expect(tested, `public tests for ${s.id}`).to.include(s.id);
    const stubs = runExerciseTests(path.join(ROOT, 'exercises'));
    expect(stubs.stats.tests).to.equal(ref.stats.tests);
    expect(stubs.passes.filter(scored).map((t: any) => t.fullTitle), 'scored tests that pass on the stubs').to.deep.equal([]);
    for (const f of stubs.failures) expect(f.err.message).to.match(/not implemented: /, f.fullTitle);
  });

  it('the solutions/ sources pass the same tests as their compiled reference', () => {
    const src = runExerciseTests(path.join(ROOT, 'solutions'));
    expect(src.failures.map((t: any) => t.fullTitle + ': ' + t.err.message)).to.deep.equal([]);
    expect(src.stats.passes).to.be.above(0);
  });
});
