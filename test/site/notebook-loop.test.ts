// Chapter 3's learner loop in its notebook page, by keyboard alone (Chromium, no COOP/COEP, quick
// mode): Run all; Tab to the ddpmStep exercise cell's editor, type a wrong ddpmStep, Shift+Enter,
// Tab to the check cell's Run and press Enter: check() shows the very table Node's check() makes
// for the same code (what Jupyter shows), and the sampling figure, run again, is the reference's,
// saying why. Then a correct ddpmStep: 6 / 6, and the figure says "your ddpmStep". A reload keeps
// the edit; "Download notebook", pressed with Enter, gives an .ipynb that `npm run grade -- <file>
// --only 03` scores 6 / 6 for ddpmStep. An error shows under its cell; "Restart kernel" stops a
// cell that never ends; "Reset this cell" brings back the course's version.
import { expect } from 'chai';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { buildNotebooks } from '../../web/notebook/build';
import { nodeSession } from '../../web/notebook/node';
import { serve } from '../../web/serve';
import { runCheck, checkHtml } from '../../lib/exercise/check';
import { forget } from '../../lib/exercise/registry';
import { launch } from './browser';

// The page's globals, inside page.evaluate (this file is compiled without the DOM's types).
declare const document: any, window: any, localStorage: any;
type HTMLElement = any;

const ROOT = path.join(__dirname, '..', '..');
const STEM = '03-ddpm';
const EXERCISE = 'diffusion/ddpmStep';

/** The cell a learner types: the solution's body in the notebook's signature, each line as typed (the editor indents). */
function typed(body: string): string {
  return [
    '// my ddpmStep',
    "import * as tf from '@tensorflow/tfjs';",
    'function ddpmStep(xt: tf.Tensor2D, epsHat: tf.Tensor2D, beta: number, alphaBarT: number, alphaBarPrev: number, z: tf.Tensor2D | null): tf.Tensor2D {',
    ...body.split('\n').map((l) => l.trim()).filter(Boolean),
    '}',
  ].join('\n');
}
const solution = fs.readFileSync(path.join(ROOT, 'solutions', 'diffusion', 'ddpmStep.ts'), 'utf8');
const BODY = /\/\/ BEGIN SOLUTION\n([\s\S]*?)\s*\/\/ END SOLUTION/.exec(solution)![1];
const CORRECT = typed(BODY);
// A common slip: the noise's standard deviation √β (DDPM's other choice) instead of the posterior's.
const WRONG = typed(BODY.replace(/const nu = [^\n]*/, 'const nu = Math.sqrt(beta);'));

/** Press Tab until the focused element matches `selector` (at most `max` presses). */
async function tabTo(page: Page, selector: string, max = 800): Promise<void> {
  for (let i = 0; i < max; i++) {
    if (await page.evaluate((s) => !!document.activeElement?.closest(s), selector)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached ${selector}`);
}

/** Wait until the cell `sel` has finished running. */
async function finished(page: Page, sel: string): Promise<void> {
  await page.waitForFunction((s) => {
    const c = document.querySelector(s);
    return !!c && !c.classList.contains('nb-running') && /\[\d+\]/.test(c.querySelector('.nb-count')!.textContent!);
  }, sel, { timeout: 120_000 });
}

describe('site: chapter 3 in the browser, by keyboard: type, check, draw, reload, download, grade', function () {
  this.timeout(600_000);
  let dir: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let base: string;
  let close: () => void;
  const cell = `[data-exercise="${EXERCISE}"]`;
  let checkCell = '';
  let figureCell = '';

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'course-notebook-loop-'));
    await buildNotebooks(dir, [path.join(ROOT, 'notebooks', `${STEM}.ipynb`)]);
    const s = await serve(dir, 0, { isolate: false });
    base = s.url;
    close = () => s.server.close();
    browser = await launch();
    context = await browser.newContext({ acceptDownloads: true });
    page = await context.newPage();
    await page.goto(`${base}${STEM}.notebook.html?quick=1`);
  });
  after(async () => {
    forget(EXERCISE);
    await browser?.close();
    close?.();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Type a ddpmStep into the exercise cell and run it, then run its check cell; returns the check table's HTML. */
  async function typeAndCheck(code: string): Promise<string> {
    await tabTo(page, `${cell} .cm-content`);
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Delete');
    await page.keyboard.type(code);
    await page.keyboard.press('Shift+Enter');
    await finished(page, cell);
    expect(await page.$$eval(`${cell} .nb-err`, (es) => es.map((e) => e.textContent))).to.deep.equal([]);
    await tabTo(page, `${checkCell} .nb-run`);
    await page.keyboard.press('Enter');
    await finished(page, checkCell);
    return page.$eval(`${checkCell} .course-check`, (e) => e.outerHTML);
  }

  /** Run the sampling figure's cell again (Tab to its Run, Enter); returns its credit line. */
  async function redraw(): Promise<string> {
    await tabTo(page, `${figureCell} .nb-run`);
    await page.keyboard.press('Enter');
    await finished(page, figureCell);
    expect(await page.$$eval(`${figureCell} .course-plot .main-svg`, (es) => es.length), 'the figure drew').to.be.greaterThan(0);
    return page.$eval(`${figureCell} .course-credit`, (e) => e.textContent!);
  }

  it('runs all by keyboard with the stub: its check fails, the figures are the reference', async () => {
    await tabTo(page, '#nb-run-all');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.documentElement.dataset.runAll === 'done' || document.documentElement.dataset.runAll === 'error', undefined, { timeout: 300_000 });
    expect(await page.getAttribute('html', 'data-run-all')).to.equal('done');
    const ids = await page.$$eval('.nb-cell', (es) => es.map((e) => ({ i: e.getAttribute('data-index'), ex: e.getAttribute('data-exercise'), credit: e.querySelector('.course-credit')?.textContent ?? '', check: e.querySelector('.course-check')?.textContent ?? '' })));
    const at = ids.findIndex((c) => c.ex === EXERCISE);
    checkCell = `[data-index="${ids[at + 1].i}"]`;
    expect(ids[at + 1].check).to.contain(`check('${EXERCISE}')`);
    const fig = ids.slice(at + 2).find((c) => c.credit.includes('ddpmStep'));
    expect(fig, 'a figure drawn with ddpmStep after the check').to.exist;
    figureCell = `[data-index="${fig!.i}"]`;
    expect(fig!.credit).to.contain('reference ddpmStep — yours fails');
  });

  it("a wrong ddpmStep: check() fails with the table Node's check() makes for it, and the figure is the reference's, saying why", async () => {
    const html = await typeAndCheck(WRONG);
    expect(html).to.contain('✘ fail');
    // Node: the same cell, the same check (lib/exercise/check.ts, as Jupyter runs it).
    const s = nodeSession();
    await s.run(WRONG);
    const node = checkHtml(await runCheck(EXERCISE, (await s.run('ddpmStep')) as Function));
    forget(EXERCISE);
    const parsed = await page.evaluate((h) => {
      const t = document.createElement('template');
      t.innerHTML = h;
      return (t.content.firstElementChild as HTMLElement).outerHTML;
    }, node);
    expect(html).to.equal(parsed);
    const credit = await redraw();
    expect(credit).to.match(/reference ddpmStep — yours fails \d+ of \d+ tests \(first: /);
  });

  it('a correct ddpmStep: check() shows 6 / 6 and the figure says "your ddpmStep"', async () => {
    const html = await typeAndCheck(CORRECT);
    expect(html).to.contain(`check('${EXERCISE}')</b>: 6 / 6 points`);
    expect(html).not.to.contain('✘');
    expect(await redraw()).to.contain('your ddpmStep');
  });

  it('an error shows its message under its cell', async () => {
    await tabTo(page, `${cell} .cm-content`);
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Delete');
    await page.keyboard.type('const broken = (undefined as any).field;');
    await page.keyboard.press('Shift+Enter');
    await finished(page, cell);
    expect(await page.$$eval(`${cell} .nb-out .nb-err`, (es) => es.map((e) => e.textContent))).to.deep.equal([
      "TypeError: Cannot read properties of undefined (reading 'field')",
    ]);
  });

  it('"Restart kernel" by keyboard stops a cell that never ends; the next run works', async () => {
    await tabTo(page, `${cell} .cm-content`);
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Delete');
    await page.keyboard.type('while (true) {}');
    await page.keyboard.press('Shift+Enter');
    await page.waitForFunction((s) => document.querySelector(s).classList.contains('nb-running'), cell);
    await tabTo(page, '#nb-restart');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => /Kernel ready/.test(document.querySelector('.nb-status').textContent), undefined, { timeout: 60_000 });
    expect(await page.$eval(`${cell} .nb-count`, (e) => e.textContent)).to.equal('[ ]');
    await tabTo(page, `${cell} .cm-content`);
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Delete');
    // The correct one again: the steps below reload and download it.
    await page.keyboard.type(CORRECT);
    await page.keyboard.press('Shift+Enter');
    await finished(page, cell);
    expect(await page.$$eval(`${cell} .nb-err`, (es) => es.length)).to.equal(0);
  });

  it('a reload keeps the edit', async () => {
    const source = async () => (JSON.parse(await page.evaluate(() => (window as unknown as { courseNotebook: { notebookJson(): string } }).courseNotebook.notebookJson())).cells as { metadata: { exercise?: string }; source: string[] }[]).find((c) => c.metadata.exercise === EXERCISE)!.source.join('');
    const before = await source();
    expect(before).to.contain('// my ddpmStep').and.to.contain('(1 - alphaBarPrev)');
    await page.reload();
    expect(await source()).to.equal(before);
    expect(await page.$eval(`${cell} .nb-note`, (e) => e.textContent)).to.contain('edited');
  });

  it('"Download notebook" by keyboard gives an .ipynb that npm run grade scores 6 / 6 for ddpmStep', async () => {
    await tabTo(page, '#nb-download');
    const [download] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
    const file = path.join(dir, `${STEM}.ipynb`);
    await download.saveAs(file);
    const nb = JSON.parse(fs.readFileSync(file, 'utf8'));
    const ex = nb.cells.filter((c: { metadata: { exercise?: string } }) => c.metadata.exercise).map((c: { metadata: { exercise: string } }) => c.metadata.exercise);
    expect(ex).to.include(EXERCISE);
    const r = spawnSync(process.execPath, [path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), path.join(ROOT, 'grader', 'grade-cli.ts'), file, '--only', '03'], { cwd: ROOT, encoding: 'utf8', timeout: 300_000 });
    const out = `${r.stdout}\n${r.stderr}`;
    const m = /diffusion\/ddpmStep\s+(\d+) \/ (\d+)/.exec(out);
    expect(m, out).to.not.equal(null);
    expect([Number(m![1]), Number(m![2])], out).to.deep.equal([6, 6]);
  });

  it('"Reset this cell", pressed with Enter, brings back the course\'s version and forgets the edit', async () => {
    const original = (JSON.parse(fs.readFileSync(path.join(ROOT, 'notebooks', `${STEM}.ipynb`), 'utf8')).cells as { metadata: { exercise?: string }; source: string[] }[]).find((c) => c.metadata.exercise === EXERCISE)!.source.join('');
    const saved = () => page.evaluate(() => Object.keys(localStorage).filter((k: string) => k.startsWith('course-notebook:')));
    const stored = await saved();
    expect(stored).to.have.length(1);
    await tabTo(page, `${cell} .nb-reset`);
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => JSON.parse(window.courseNotebook.notebookJson()).cells.find((c: any) => c.metadata.exercise === 'diffusion/ddpmStep').source.join(''))).to.equal(original);
    expect(await saved()).to.deep.equal([]);
  });
});
