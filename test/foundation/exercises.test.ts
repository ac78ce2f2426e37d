// The exercise convention: exercises/ is generated from solutions/, and every
// exercise test passes on solutions/ (the normal test run) and fails on the stubs.
import { expect } from 'chai';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { staleExercises, stubOf, expectedExercises } from '../../scripts/exercises';

const ROOT = path.resolve(__dirname, '..', '..');

/** Run the public exercise tests against a folder; return mocha's JSON report. */
export function runExerciseTests(folder: string): { stats: any; tests: any[]; failures: any[]; passes: any[] } {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'course-ex-')), 'report.json');
  spawnSync(
    process.execPath,
    [
      require.resolve('mocha/bin/mocha.js'), '--no-config', '--require', 'tsx/cjs', '--require', 'test/setup.ts',
      '--extension', 'ts', '--timeout', '60000', '--reporter', 'json', '--reporter-option', `output=${out}`,
      'test/exercises/**/*.test.ts',
    ],
    { cwd: ROOT, env: { ...process.env, COURSE_EXERCISES: folder, COURSE_QUIET_BACKEND: '1' }, encoding: 'utf8', timeout: 600000 },
  );
  return JSON.parse(fs.readFileSync(out, 'utf8'));
}

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

  it('exercises/ is up to date with solutions/ (run `npm run exercises`)', () => {
    expect(expectedExercises().size).to.be.above(0);
    expect(staleExercises(), 'stale files in exercises/').to.deep.equal([]);
  });

  it('every public exercise test fails on the untouched stubs', () => {
    const report = runExerciseTests(path.join(ROOT, 'exercises'));
    expect(report.stats.tests).to.be.above(0);
    const passed = report.passes.map((t: any) => t.fullTitle);
    expect(passed, 'tests that pass on the stubs').to.deep.equal([]);
    for (const f of report.failures) expect(f.err.message).to.match(/not implemented: /, f.fullTitle);
  });

  it('every exercise has public tests', () => {
    const report = runExerciseTests(path.join(ROOT, 'solutions'));
    expect(report.failures.map((t: any) => t.fullTitle + ': ' + t.err.message)).to.deep.equal([]);
    const tested = new Set(report.tests.map((t: any) => t.fullTitle.split(' ')[0]));
    for (const rel of expectedExercises().keys()) expect(tested, `tests for ${rel}`).to.include(rel.replace(/\.ts$/, ''));
  });
});
