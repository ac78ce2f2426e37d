// Every notebook executes headlessly in quick mode with the course kernel, and
// the site built from them renders every plot in headless Chromium.
import { expect } from 'chai';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildSite, PageResult } from '../../scripts/site';
import { renderedDom, checkDom } from '../../scripts/browser';
import { checkOutputs, formatProblems } from './outputCheck';
import { codeNotebook } from '../codeNotebook';
const { notebooks, root } = require('../../scripts/env');

const MAX_NOTEBOOK_BYTES = 6 * 1024 * 1024;

describe('notebooks (quick mode) and the course site', function () {
  this.timeout(15 * 60 * 1000);
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'course-site-'));
  const files: string[] = notebooks();
  let results: PageResult[] = [];

  before(() => {
    process.env.COURSE_QUICK = '1';
    results = buildSite(out, files);
  });

  it('has notebooks, committed without outputs', () => {
    expect(files.length).to.be.above(0);
    for (const f of files) {
      const nb = JSON.parse(fs.readFileSync(f, 'utf8'));
      const dirty = nb.cells.filter((c: any) => c.cell_type === 'code' && (c.outputs?.length || c.execution_count));
      expect(dirty.length, `${path.basename(f)} has outputs`).to.equal(0);
      expect(nb.metadata.kernelspec.name).to.equal('tslab');
    }
  });

  for (const f of notebooks() as string[]) {
    const stem = path.basename(f, '.ipynb');
    it(`${stem} executes without error`, () => {
      const r = results.find((x) => path.basename(x.notebook) === path.basename(f));
      expect(r, 'no result').to.exist;
      const fail = r!.failure;
      expect(r!.ok, fail ? `cell ${fail.cell} failed:\n${fail.source}\n---\n${fail.message}` : '').to.equal(true);
      expect(fs.statSync(path.join(out, stem + '.ipynb')).size).to.be.below(MAX_NOTEBOOK_BYTES);
    });

    it(`${stem}: prints no raw JavaScript arrays or objects and no numbers past 6 significant digits; every figure has a title and labelled axes`, () => {
      const problems = checkOutputs(path.join(out, stem + '.ipynb'), { figures: true });
      expect(problems, formatProblems(problems)).to.deep.equal([]);
    });

    it(`${stem}: has exercise cells, and its exercise-driven figures say whose code drew them`, () => {
      const nb = JSON.parse(fs.readFileSync(path.join(out, stem + '.ipynb'), 'utf8'));
      const ids: string[] = nb.cells.map((c: any) => c.metadata?.exercise).filter(Boolean);
      expect(ids.length, 'exercise cells').to.be.above(0);
      const html = nb.cells.flatMap((c: any) => (c.outputs ?? []).map((o: any) => [o.data?.['text/html'] ?? o.text ?? ''].flat().join(''))).join('\n');
      // Unsolved (as committed), every credited exercise ran the reference and says so.
      const credits = html.match(/drawn with [^<]*/g) ?? [];
      expect(credits.length, 'figures with a credit line').to.be.above(0);
      for (const c of credits) expect(c).to.not.match(/\byour \w/);
      expect(credits.join(' ')).to.match(/reference \w+/);
    });

    it(`${stem}: every plot renders in headless Chromium, no errors on the page`, () => {
      const check = checkDom(renderedDom(path.join(out, stem + '.html')));
      expect(check.errors).to.deep.equal([]);
      expect(check.plots, 'plots on the page').to.be.above(0);
      expect(check.rendered).to.equal(check.plots);
    });
  }

  it('plots also render in classic Jupyter Notebook 6 (executed notebook, trusted)', async () => {
    // A throwaway Jupyter data folder holds the trust signature, so the user's own is untouched.
    const { spawn, spawnSync } = require('child_process');
    const { courseConfig, jupyterEnv } = require('../../scripts/env');
    const { python } = courseConfig();
    const dir = fs.mkdtempSync(path.join(root, 'notebooks', 'tmp-classic-'));
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'course-jupyter-data-'));
    const env = jupyterEnv({ JUPYTER_DATA_DIR: dataDir });
    fs.copyFileSync(path.join(out, path.basename(files[0])), path.join(dir, 'executed.ipynb'));
    const sign = spawnSync(python, ['-c', 'import sys, nbformat; from nbformat.sign import NotebookNotary as N; nb = nbformat.read(sys.argv[1], 4); N().sign(nb)', path.join(dir, 'executed.ipynb')], { env, encoding: 'utf8' });
    expect(sign.status, sign.stderr).to.equal(0);
    const port = 20000 + Math.floor(Math.random() * 20000);
    const server = spawn(python, ['-m', 'notebook', `--notebook-dir=${path.join(root, 'notebooks')}`, `--port=${port}`, '--ip=127.0.0.1', '--no-browser', '--allow-root', '--NotebookApp.token=check'], { env, stdio: 'ignore' });
    try {
      for (let i = 0; i < 100; i++) {
        try {
          if ((await fetch(`http://127.0.0.1:${port}/api?token=check`)).ok) break;
        } catch {}
        await new Promise((r) => setTimeout(r, 200));
      }
      const dom = renderedDom(`http://127.0.0.1:${port}/notebooks/${path.basename(dir)}/executed.ipynb?token=check`, 30000);
      const check = checkDom(dom);
      expect(check.errors).to.deep.equal([]);
      expect(check.plots).to.be.above(0);
      expect(check.rendered).to.equal(check.plots);
    } finally {
      server.kill('SIGTERM');
      fs.rmSync(dir, { recursive: true, force: true });
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('the index links every chapter with its run time', () => {
    const index = fs.readFileSync(path.join(out, 'index.html'), 'utf8');
    for (const f of files) expect(index).to.contain(`href="${path.basename(f, '.ipynb')}.html"`);
    expect(index).to.match(/<td>\d+\.\d s<\/td>/);
    expect(checkDom(renderedDom(path.join(out, 'index.html'))).errors).to.deep.equal([]);
  });
});


describe('notebook runner', function () {
  this.timeout(120000);
  it('reports the first failing cell (a compile error) and runs nothing after it', () => {
    const dir = fs.mkdtempSync(path.join(root, 'notebooks', '.tmp-'));
    try {
      const file = codeNotebook(dir, '99-broken.ipynb', [
        "import { spiral } from 'course/data';\nconst p = spiral(3, 0);",
        "const n: number = 'three';",
        "require('fs').writeFileSync('ran-after-error', 'yes')",
      ]);
      const [r] = buildSite(path.join(dir, 'out'), [file]);
      expect(r.ok).to.equal(false);
      expect(r.failure!.cell).to.equal(1);
      expect(r.failure!.source).to.equal("const n: number = 'three';");
      expect(r.failure!.message).to.contain("Type 'string' is not assignable to type 'number'");
      expect(fs.existsSync(path.join(dir, 'ran-after-error'))).to.equal(false);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('progress bar in a notebook', function () {
  this.timeout(120000);
  it('is one output, updated in place to the final step', () => {
    const dir = fs.mkdtempSync(path.join(root, 'notebooks', '.tmp-'));
    try {
      const file = codeNotebook(dir, '98-progress.ipynb', [
        "import { progress } from 'course/progress';\n" +
          'async function work() {\n  const p = progress(40, { label: "demo", everyMs: 0 });\n' +
          '  for (let i = 1; i <= 40; i++) await p.update(i, { loss: 1 / i });\n  p.done({ loss: 0.025 });\n}\nawait work();',
      ]);
      const [r] = buildSite(path.join(dir, 'out'), [file]);
      expect(r.ok, JSON.stringify(r.failure)).to.equal(true);
      const nb = JSON.parse(fs.readFileSync(path.join(dir, 'out', '98-progress.ipynb'), 'utf8'));
      const outputs = nb.cells[0].outputs;
      expect(outputs).to.have.length(1);
      const html = [].concat(outputs[0].data['text/html']).join('');
      expect(html).to.contain('course-progress');
      expect(html).to.match(/demo 40\/40 · [\d.]+ steps\/s · [\d.]+ s · loss 0\.0250/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
