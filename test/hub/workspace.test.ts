// A hub learner's workspace (binder/start → scripts/hub-workspace.js): the same mechanism as
// `npm start`'s work/ (scripts/workspace.js), plus the learner's own exercises/ and a lib link.
import { expect } from 'chai';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..', '..');
const { notebooks } = require('../../scripts/env');
const { hubWorkspaceDir } = require('../../scripts/hub-workspace');

describe('the hub workspace (binder/start)', function () {
  this.timeout(60000);
  let home = '';
  beforeEach(() => (home = fs.mkdtempSync(path.join(os.tmpdir(), 'course-home-'))));
  afterEach(() => fs.rmSync(home, { recursive: true, force: true }));

  /** binder/start as the server would run it; the command prints its folder and the workspace's entries. */
  const start = (env: Record<string, string> = {}) =>
    spawnSync(path.join(ROOT, 'binder', 'start'), ['sh', '-c', 'pwd; ls -A'], { env: { ...process.env, HOME: home, COURSE_NODE: process.execPath, ...env }, encoding: 'utf8' });

  it('first start fills ~/course (notebooks, exercises/, index, lib link; mode 700) and runs the command there', () => {
    const r = start();
    expect(r.status, r.stderr).to.equal(0);
    const ws = path.join(home, 'course');
    const [cwd, ...entries] = r.stdout.trim().split('\n');
    expect(cwd).to.equal(ws);
    for (const f of notebooks() as string[]) expect(entries).to.include(path.basename(f));
    expect(entries).to.include.members(['index.ipynb', 'exercises', 'lib']);
    expect(fs.statSync(ws).mode & 0o777).to.equal(0o700);
    expect(fs.readlinkSync(path.join(ws, 'lib'))).to.equal(path.join(ROOT, 'lib'));
    const course = fs.readFileSync(path.join(ROOT, 'exercises', 'diffusion', 'ddpmStep.ts'), 'utf8');
    expect(fs.readFileSync(path.join(ws, 'exercises', 'diffusion', 'ddpmStep.ts'), 'utf8')).to.equal(course);
    const index = JSON.parse(fs.readFileSync(path.join(ws, 'index.ipynb'), 'utf8'));
    const md: string = [].concat(index.cells[0].source).join('');
    expect(md).to.contain('yours, in exercises/ here');
    expect(md).to.contain('`course-reset 03`');
  });

  it('survives a new image: the learner\'s notebooks and exercises are kept, missing files come back, a moved course is linked again', () => {
    expect(start().status).to.equal(0);
    const ws = path.join(home, 'course');
    const chapter = path.basename((notebooks() as string[])[3]);
    fs.writeFileSync(path.join(ws, chapter), '{"mine": true}');
    fs.writeFileSync(path.join(ws, 'exercises', 'basics', 'alphaBar.ts'), '// my answer\n');
    fs.rmSync(path.join(ws, (path.basename((notebooks() as string[])[0]))));
    fs.rmSync(path.join(ws, 'exercises', 'flow'), { recursive: true });
    // A new image whose course lives elsewhere leaves a dangling link behind.
    fs.unlinkSync(path.join(ws, 'lib'));
    fs.symlinkSync('/nonexistent/old-course/lib', path.join(ws, 'lib'));
    const r = start();
    expect(r.status, r.stderr).to.equal(0);
    expect(fs.readFileSync(path.join(ws, chapter), 'utf8')).to.equal('{"mine": true}');
    expect(fs.readFileSync(path.join(ws, 'exercises', 'basics', 'alphaBar.ts'), 'utf8')).to.equal('// my answer\n');
    expect(fs.existsSync(path.join(ws, path.basename((notebooks() as string[])[0])))).to.equal(true);
    expect(fs.readdirSync(path.join(ws, 'exercises', 'flow')).length).to.be.greaterThan(0);
    expect(fs.readlinkSync(path.join(ws, 'lib'))).to.equal(path.join(ROOT, 'lib'));
    expect(r.stderr).to.contain('copied into your workspace');
  });

  it('COURSE_WORKSPACE names another folder (relative to home, or absolute); a lib that is not a link stops with a clear message', () => {
    expect(hubWorkspaceDir({ COURSE_WORKSPACE: 'class/ws' })).to.equal(path.join(os.homedir(), 'class', 'ws'));
    expect(hubWorkspaceDir({ COURSE_WORKSPACE: '/srv/ws' })).to.equal('/srv/ws');
    const r = start({ COURSE_WORKSPACE: 'class' });
    expect(r.status, r.stderr).to.equal(0);
    expect(r.stdout.split('\n')[0]).to.equal(path.join(home, 'class'));
    fs.unlinkSync(path.join(home, 'class', 'lib'));
    fs.mkdirSync(path.join(home, 'class', 'lib'));
    const bad = start({ COURSE_WORKSPACE: 'class' });
    expect(bad.status).to.equal(1);
    expect(bad.stderr).to.contain(`${path.join(home, 'class', 'lib')} is not a link to the course's lib`);
  });

  it('course-reset puts the course\'s notebook back and keeps the learner\'s copy', () => {
    expect(start().status).to.equal(0);
    const ws = path.join(home, 'course');
    const chapter = path.basename((notebooks() as string[])[3]);
    fs.writeFileSync(path.join(ws, chapter), '{"mine": true}');
    const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'hub-reset.js'), chapter.slice(0, 2)], { env: { ...process.env, HOME: home }, encoding: 'utf8' });
    expect(r.status, r.stderr).to.equal(0);
    expect(fs.readFileSync(path.join(ws, chapter), 'utf8')).to.equal(fs.readFileSync(path.join(ROOT, 'notebooks', chapter), 'utf8'));
    const backups = fs.readdirSync(path.join(ws, 'backup'));
    expect(fs.readFileSync(path.join(ws, 'backup', backups[0], chapter), 'utf8')).to.equal('{"mine": true}');
  });
});
