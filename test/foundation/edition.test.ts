// The learner edition a teacher hands out: no solutions/, no solution line anywhere, and it
// installs, runs chapter 3 and checks exercises on its own. The answer key has the solutions
// in its exercise cells.
import { expect } from 'chai';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { leakedLines, writeEdition } from '../../scripts/edition';
import { readNotebook, solutions, sourceOf } from '../../scripts/exercises';

const run = (cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) =>
  spawnSync(cmd, args, { cwd, encoding: 'utf8', env: { ...process.env, ...env }, timeout: 10 * 60 * 1000 });

describe('the learner edition (npm run edition)', function () {
  this.timeout(15 * 60 * 1000);
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'course-edition-'));
  const dir = path.join(base, 'learner');
  const key = path.join(base, 'key');

  before(() => {
    writeEdition(dir);
    writeEdition(key, { solved: true });
  });
  after(() => fs.rmSync(base, { recursive: true, force: true }));

  it('has no solutions/ and no grader, and no solution line longer than 20 characters in any file', () => {
    expect(fs.existsSync(path.join(dir, 'solutions'))).to.equal(false);
    expect(fs.existsSync(path.join(dir, 'grader'))).to.equal(false);
    expect(fs.existsSync(path.join(dir, 'lib', 'reference', 'index.js'))).to.equal(true);
    expect(leakedLines(dir)).to.deep.equal([]);
  });

  it('the leak check finds a solution line planted in an edition', () => {
    const s = solutions().find((x) => x.id === 'diffusion/ddpmStep')!;
    const line = s.source.split('\n').find((l) => l.includes('const nu ='))!;
    const planted = path.join(base, 'planted');
    fs.mkdirSync(planted);
    fs.writeFileSync(path.join(planted, 'x.ts'), `// copied\n   ${line.trim()}   \n`);
    expect(leakedLines(planted).join('\n')).to.contain('diffusion/ddpmStep');
  });

  it('the answer key has the reference solutions in the notebooks\' exercise cells; the edition has stubs', () => {
    const stubbed = readNotebook(path.join(dir, 'notebooks', '03-ddpm.ipynb'));
    const solved = readNotebook(path.join(key, 'notebooks', '03-ddpm.ipynb'));
    const cell = (nb: ReturnType<typeof readNotebook>) => sourceOf(nb.cells.find((c) => c.metadata?.exercise === 'diffusion/ddpmStep')!);
    expect(cell(stubbed)).to.contain("throw new Error('not implemented: ddpmStep')");
    expect(cell(solved)).to.not.contain('not implemented');
    expect(cell(solved)).to.contain('Math.sqrt((beta * (1 - alphaBarPrev)) / (1 - alphaBarT))');
    for (const nb of [stubbed, solved]) for (const c of nb.cells) expect(c.outputs ?? []).to.deep.equal([]);
  });

  it('installs with npm ci, runs chapter 3 top to bottom, and npm run check grades the stubs', () => {
    // Reuse the course's npm cache (the packages were just installed for the course itself).
    const ci = run('npm', ['ci', '--prefer-offline', '--no-audit', '--no-fund'], dir);
    expect(ci.status, ci.stderr.slice(-3000)).to.equal(0);
    const site = run(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'scripts/site.ts', '--out', path.join(base, 'site'), 'notebooks/03-ddpm.ipynb'], dir, { COURSE_QUICK: '1' });
    expect(site.status, (site.stdout + site.stderr).slice(-4000)).to.equal(0);
    const html = fs.readFileSync(path.join(base, 'site', '03-ddpm.html'), 'utf8');
    expect(html, 'the figures say the reference ran').to.contain('reference ddpmStep');
    const check = run('npm', ['run', '-s', 'check', '--', 'diffusion/ddpmStep'], dir);
    expect(check.status).to.equal(1);
    expect(check.stdout).to.match(/check\('diffusion\/ddpmStep'\): 0 \/ \d+ points/);
    expect(check.stdout).to.contain('not implemented: ddpmStep');
  });

  it('npm run grade gives the answer key\'s chapter 3 every point and the course\'s own chapter 3 none', () => {
    const root = path.resolve(__dirname, '..', '..');
    const grade = (nb: string) => run('npm', ['run', '-s', 'grade', '--', nb, '--only', '03'], root);
    const key3 = grade(path.join(key, 'notebooks', '03-ddpm.ipynb'));
    const m = key3.stdout.match(/03-ddpm: (\d+) \/ (\d+) points/);
    expect(m, key3.stdout + key3.stderr).to.not.equal(null);
    expect(Number(m![1])).to.equal(Number(m![2]));
    expect(Number(m![2])).to.be.above(0);
    const own = grade(path.join(root, 'notebooks', '03-ddpm.ipynb'));
    expect(own.stdout).to.match(new RegExp(`03-ddpm: 0 / ${m![2]} points`));
  });

  it('run with the answer key\'s exercise cells, chapter 3\'s figures say they were drawn with your functions', () => {
    // The key's notebook, executed inside the course (its node_modules), then removed.
    const root = path.resolve(__dirname, '..', '..');
    const tmp = fs.mkdtempSync(path.join(root, 'notebooks', 'tmp-key-'));
    try {
      fs.copyFileSync(path.join(key, 'notebooks', '03-ddpm.ipynb'), path.join(tmp, '03-ddpm.ipynb'));
      const out = path.join(base, 'site-key');
      const site = run(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'scripts/site.ts', '--out', out, path.join(tmp, '03-ddpm.ipynb')], root, { COURSE_QUICK: '1' });
      expect(site.status, (site.stdout + site.stderr).slice(-4000)).to.equal(0);
      const html = fs.readFileSync(path.join(out, '03-ddpm.html'), 'utf8');
      expect(html).to.contain('your ddpmStep');
      expect(html).to.not.match(/reference ddpmStep/);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});

