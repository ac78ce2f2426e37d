// `npm start` serves the learner's workspace (a git-ignored copy of notebooks/) with the
// course kernel listed, and stops on Ctrl-C; `npm run reset` restores the course's version.
import { expect } from 'chai';
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { freePort } from '../../scripts/freePort';

const ROOT = path.resolve(__dirname, '..', '..');
const workspace = require('../../scripts/workspace');
const { notebooks } = require('../../scripts/env');

/** A throwaway workspace inside the course folder (beside node_modules; .tmp-work-* is git-ignored). */
function tempWorkspace(): string {
  const dir = fs.mkdtempSync(path.join(ROOT, '.tmp-work-'));
  fs.rmdirSync(dir); // the first start creates it
  return dir;
}

function withWorkspace<T>(dir: string, fn: () => T): T {
  const prev = process.env.COURSE_WORKSPACE;
  process.env.COURSE_WORKSPACE = dir;
  try {
    return fn();
  } finally {
    if (prev === undefined) delete process.env.COURSE_WORKSPACE;
    else process.env.COURSE_WORKSPACE = prev;
  }
}

describe('npm start', function () {
  this.timeout(90000);

  it('registers the kernel inside the project only', () => {
    const kernel = JSON.parse(fs.readFileSync(path.join(ROOT, '.jupyter', 'kernels', 'tslab', 'kernel.json'), 'utf8'));
    expect(kernel.display_name).to.equal('TypeScript (course)');
    expect(kernel.argv[1]).to.equal(path.join(ROOT, 'scripts', 'kernel.js'));
  });

  it('serves the workspace with the TypeScript kernel and an index, prints the URL, and stops cleanly on Ctrl-C', async () => {
    const port = await freePort();
    const dir = tempWorkspace();
    after(() => fs.rmSync(dir, { recursive: true, force: true }));
    const child = spawn(process.execPath, [path.join(ROOT, 'scripts', 'start.js')], {
      cwd: ROOT,
      env: { ...process.env, PORT: String(port), DISPLAY: '', COURSE_WORKSPACE: dir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let log = '';
    child.stdout.on('data', (d) => (log += d));
    child.stderr.on('data', (d) => (log += d));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setInterval(() => {
          const m = log.match(new RegExp(`http://127\\.0\\.0\\.1:${port}/\\?token=([0-9a-f]+)`));
          if (m) (clearInterval(timer), resolve(m[0]));
        }, 200);
        setTimeout(() => (clearInterval(timer), reject(new Error('no URL printed:\n' + log))), 60000);
      });
      const token = new URL(url).searchParams.get('token');
      const specs = (await (await fetch(`http://127.0.0.1:${port}/api/kernelspecs?token=${token}`)).json()) as any;
      expect(specs.kernelspecs).to.have.property('tslab');
      expect(specs.kernelspecs.tslab.spec.display_name).to.equal('TypeScript (course)');
      const tree = await (await fetch(`http://127.0.0.1:${port}/api/contents?token=${token}`)).json() as any;
      const names = tree.content.map((c: any) => c.name);
      expect(names).to.include('00-typescript-tensors-and-points.ipynb');
      expect(names).to.include('index.ipynb');
      expect(fs.existsSync(path.join(dir, '00-typescript-tensors-and-points.ipynb'))).to.equal(true);
      // Reset's backup opens from Jupyter (issue 24 §6): Jupyter answers 404 inside a dot-folder
      // (the former .backup/), and serves the copy in backup/.
      const chapter = '03-ddpm.ipynb';
      fs.writeFileSync(path.join(dir, chapter), JSON.stringify({ cells: [], metadata: {}, nbformat: 4, nbformat_minor: 5 }));
      const r = withWorkspace(dir, () => workspace.resetWorkspace('03'));
      const rel = path.relative(dir, path.join(r.backup, chapter)).split(path.sep).join('/');
      expect(rel.split('/').some((part: string) => part.startsWith('.')), rel).to.equal(false);
      const served = await fetch(`http://127.0.0.1:${port}/api/contents/${rel}?token=${token}`);
      expect(served.status, rel).to.equal(200);
      expect(((await served.json()) as any).name).to.equal(chapter);
      fs.mkdirSync(path.join(dir, '.hidden-probe'));
      fs.copyFileSync(path.join(r.backup, chapter), path.join(dir, '.hidden-probe', chapter));
      expect((await fetch(`http://127.0.0.1:${port}/api/contents/.hidden-probe/${chapter}?token=${token}`)).status).to.equal(404);
    } finally {
      child.kill('SIGINT');
    }
    const code = await Promise.race([exited, new Promise((r) => setTimeout(() => r('timeout'), 20000))]);
    expect(code, log.slice(-800)).to.equal(0);
    expect(log).to.contain('Jupyter stopped');
  });
});

describe('the workspace (npm start / npm run reset)', function () {
  this.timeout(60000);
  let dir = '';
  beforeEach(() => (dir = tempWorkspace()));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  const files = (notebooks() as string[]).map((f) => path.basename(f));
  const chapter = '03-ddpm.ipynb';

  it('first start copies every notebook; later starts keep the learner\'s edits and copy only missing chapters', () => {
    const first = workspace.syncWorkspace(dir);
    expect(first.copied).to.deep.equal(files);
    for (const f of files) expect(fs.readFileSync(path.join(dir, f), 'utf8')).to.equal(fs.readFileSync(path.join(ROOT, 'notebooks', f), 'utf8'));
    fs.writeFileSync(path.join(dir, chapter), '{"edited": true}');
    fs.rmSync(path.join(dir, files[0]));
    const second = workspace.syncWorkspace(dir);
    expect(second.copied).to.deep.equal([files[0]]);
    expect(fs.readFileSync(path.join(dir, chapter), 'utf8')).to.equal('{"edited": true}');
  });

  it('says when the course changed a notebook after the learner copied it', () => {
    workspace.syncWorkspace(dir);
    const m = JSON.parse(fs.readFileSync(path.join(dir, workspace.MANIFEST), 'utf8'));
    m.notebooks[chapter] = 'an older version';
    fs.writeFileSync(path.join(dir, workspace.MANIFEST), JSON.stringify(m));
    expect(workspace.syncWorkspace(dir).updatedInCourse).to.deep.equal([chapter]);
  });

  it('npm run reset -- 03 restores the course\'s version and keeps a backup; unknown names are refused', () => {
    workspace.syncWorkspace(dir);
    fs.writeFileSync(path.join(dir, chapter), '{"edited": true}');
    fs.writeFileSync(path.join(dir, files[0]), '{"also edited": true}');
    const run = (...args: string[]) =>
      spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'reset.js'), ...args], { cwd: ROOT, env: { ...process.env, COURSE_WORKSPACE: dir }, encoding: 'utf8' });
    const r = run('03');
    expect(r.status, r.stderr).to.equal(0);
    expect(r.stdout).to.contain(`Restored the course's version of ${chapter}`);
    expect(fs.readFileSync(path.join(dir, chapter), 'utf8')).to.equal(fs.readFileSync(path.join(ROOT, 'notebooks', chapter), 'utf8'));
    expect(fs.readFileSync(path.join(dir, files[0]), 'utf8')).to.equal('{"also edited": true}');
    const backups = fs.readdirSync(path.join(dir, 'backup'));
    expect(backups).to.have.length(1);
    expect(fs.readFileSync(path.join(dir, 'backup', backups[0], chapter), 'utf8')).to.equal('{"edited": true}');
    expect(r.stdout).to.contain(`(in Jupyter: backup/${backups[0]}/)`);
    expect(fs.readFileSync(path.join(dir, 'index.ipynb'), 'utf8')).to.contain('yours is kept in `backup/`').and.not.contain('.backup');
    const all = run('all');
    expect(all.status, all.stderr).to.equal(0);
    expect(fs.readFileSync(path.join(dir, files[0]), 'utf8')).to.equal(fs.readFileSync(path.join(ROOT, 'notebooks', files[0]), 'utf8'));
    // Copies kept in the former .backup/ move to backup/, beside the new ones.
    fs.mkdirSync(path.join(dir, '.backup', 'old-copy'), { recursive: true });
    fs.writeFileSync(path.join(dir, '.backup', 'old-copy', chapter), '{"older": true}');
    expect(run('03').status).to.equal(0);
    expect(fs.existsSync(path.join(dir, '.backup'))).to.equal(false);
    expect(fs.readFileSync(path.join(dir, 'backup', 'old-copy', chapter), 'utf8')).to.equal('{"older": true}');
    const bad = run('99-nope');
    expect(bad.status).to.equal(1);
    expect(bad.stderr).to.contain('reset: no notebook "99-nope"');
    expect(run().status).to.equal(2);
  });

  it('is ignored by git: writing outputs into it leaves `git status --porcelain` as it was', () => {
    const status = () => {
      const r = spawnSync('git', ['status', '--porcelain', '--untracked-files=all'], { cwd: ROOT, encoding: 'utf8' });
      expect(r.status, r.stderr).to.equal(0);
      return r.stdout;
    };
    // Others may be editing tracked files: check the workspace never shows up and notebooks/ is untouched.
    const snapshot = () => files.map((f) => fs.readFileSync(path.join(ROOT, 'notebooks', f), 'utf8'));
    const before = snapshot();
    workspace.syncWorkspace(dir);
    const nb = JSON.parse(fs.readFileSync(path.join(dir, chapter), 'utf8'));
    const code = nb.cells.find((c: any) => c.cell_type === 'code');
    code.outputs = [{ output_type: 'display_data', data: { 'text/html': '<div>plot</div>'.repeat(1000) }, metadata: {} }];
    code.execution_count = 1;
    fs.writeFileSync(path.join(dir, chapter), JSON.stringify(nb));
    fs.mkdirSync(path.join(dir, '.ipynb_checkpoints'), { recursive: true });
    fs.writeFileSync(path.join(dir, '.ipynb_checkpoints', '03-ddpm-checkpoint.ipynb'), JSON.stringify(nb));
    const after = status();
    expect(after.split('\n').filter((l) => l.includes(path.basename(dir)))).to.deep.equal([]);
    expect(snapshot()).to.deep.equal(before);
    // The default workspace, work/, is ignored too.
    const ignored = spawnSync('git', ['check-ignore', '-q', 'work/03-ddpm.ipynb'], { cwd: ROOT });
    expect(ignored.status).to.equal(0);
  });

  it('has an index: every chapter with its title, its first line and its exercises, generated from the notebooks', () => {
    workspace.syncWorkspace(dir);
    const index = JSON.parse(fs.readFileSync(path.join(dir, workspace.INDEX), 'utf8'));
    const md: string = [].concat(index.cells[0].source).join('');
    for (const f of notebooks() as string[]) {
      const { title, summary } = workspace.describeNotebook(f);
      expect(title).to.match(/^\d\d — /);
      expect(md).to.contain(`[${title}](${path.basename(f)})`);
      expect(md).to.contain(summary.slice(0, 40));
      // The summary is the paragraph's opening, whole sentences.
      const md0 = [].concat(JSON.parse(fs.readFileSync(f, 'utf8')).cells.find((c: any) => c.cell_type === 'markdown').source).join('');
      const para = md0.split('\n').filter((l: string) => l.trim() && !l.startsWith('#')).join(' ');
      expect(para.startsWith(summary), summary).to.equal(true);
      expect(summary).to.match(/[.!?]$/);
    }
    // Every exercise is listed once, under one chapter.
    for (const folder of fs.readdirSync(path.join(ROOT, 'exercises'))) {
      if (!fs.statSync(path.join(ROOT, 'exercises', folder)).isDirectory()) continue;
      for (const ex of fs.readdirSync(path.join(ROOT, 'exercises', folder))) {
        const id = `${folder}/${ex.replace(/\.ts$/, '')}`;
        const n = md.split(`\`exercises/${id}.ts\``).length - 1 + md.split(`\`${id}\` (a cell in the chapter)`).length - 1;
        expect(n, id).to.equal(1);
      }
    }
  });
});

// End to end, as a learner: `npm start`, a chapter opened in the classic Notebook in Chromium,
// Cell → Run All, File → Save; the saved workspace copy holds the outputs and the course's files
// are untouched (scripts/screenshots.ts does this for every chapter and takes the screenshots).
describe('running and saving a chapter in the live Notebook', function () {
  this.timeout(300000);
  it('saves the outputs into the workspace and adds nothing to `git status`', () => {
    const out = fs.mkdtempSync(path.join(ROOT, '.tmp-work-shots-out-'));
    try {
      const r = spawnSync(process.execPath, [require.resolve('tsx/cli'), path.join(ROOT, 'scripts', 'screenshots.ts'), '00', '--out', out], {
        cwd: ROOT,
        encoding: 'utf8',
        timeout: 280000,
      });
      const log = `${r.stdout}\n${r.stderr}`;
      expect(r.status, log.slice(-3000)).to.equal(0);
      expect(log).to.match(/00-typescript-tensors-and-points\.ipynb: Run All [\d.]+ s in the live Notebook, \d+ screenshots\n/);
      expect(log).to.contain('saved with outputs in');
      expect(log).to.match(/: 1 of 1\n/);
      expect(log).to.contain('git status --porcelain: nothing new from running and saving 1 chapter(s)');
      expect(fs.readdirSync(out).filter((f) => f.endsWith('.png')).length).to.be.above(2);
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });
});
