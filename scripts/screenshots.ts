// Screenshots of every chapter as a learner sees it: `npm start` on a workspace, each chapter
// opened in the classic Notebook in Chromium, Cell → Run All, saved (File → Save), then shot page by
// page (and once with the mouse over the first plot, where Plotly shows its toolbar). Run by hand,
// not part of `npm test`; read the pictures. It also checks that running and saving every chapter
// leaves `git status --porcelain` as it was (the workspace is git-ignored).
//   npx tsx scripts/screenshots.ts [--out DIR] [--workspace DIR] [--width PX] [--height PX] [03 07 ...]
// Defaults: --out .scratch/screenshots (git-ignored), a fresh workspace .tmp-work-shots-* removed
// afterwards (--workspace work uses the learner's own), every chapter.
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { chromium, type Page } from 'playwright-core';
import { freePort } from './freePort';

const ROOT = path.resolve(__dirname, '..');
const { notebooks } = require('./env');

function arg(name: string, dflt: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : dflt;
}
const positional = process.argv.slice(2).filter((a, i, all) => !a.startsWith('--') && !(i > 0 && all[i - 1].startsWith('--')));
const outDir = path.resolve(arg('--out', path.join(ROOT, '.scratch', 'screenshots')));
const width = Number(arg('--width', '1100'));
const height = Number(arg('--height', '1300'));
const ownWorkspace = process.argv.includes('--workspace');
const workspace = path.resolve(arg('--workspace', fs.mkdtempSync(path.join(ROOT, '.tmp-work-shots-'))));
if (!ownWorkspace) fs.rmdirSync(workspace); // npm start's first start creates and fills it

const chapters: string[] = notebooks()
  .map((f: string) => path.basename(f))
  .filter((f: string) => positional.length === 0 || positional.some((p) => f.startsWith(p.padStart(2, '0'))));

function gitStatus(): string {
  const r = spawnSync('git', ['status', '--porcelain', '--untracked-files=all'], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return r.stdout;
}

// The page's globals (classic Notebook's `Jupyter`), typed loosely: this file compiles without the DOM lib.
type W = any;

/** Wait until every code cell ran (no "[*]" prompt left) and the kernel is idle. */
async function waitForRunAll(page: Page, timeoutMs: number): Promise<void> {
  const t0 = Date.now();
  await page.waitForTimeout(1000);
  for (;;) {
    const state = await page.evaluate(() => {
      const nb = (globalThis as W).Jupyter.notebook;
      const code = nb.get_cells().filter((c: W) => c.cell_type === 'code' && c.get_text().trim());
      const pending = code.filter((c: W) => c.input_prompt_number === '*' || c.input_prompt_number === undefined || c.input_prompt_number === null).length;
      return { pending, busy: nb.kernel_busy === true || (globalThis as W).document.querySelector('#kernel_indicator_icon.kernel_busy_icon') !== null };
    });
    if (state.pending === 0 && !state.busy) return;
    if (Date.now() - t0 > timeoutMs) throw new Error(`Run All did not finish in ${timeoutMs / 1000} s (${state.pending} cells pending)`);
    await page.waitForTimeout(500);
  }
}

async function shootChapter(page: Page, base: string, name: string): Promise<{ seconds: number; shots: number; errors: string[] }> {
  await page.goto(`${base}/notebooks/${name}`);
  await page.waitForFunction(() => {
    const nb = (globalThis as W).Jupyter?.notebook;
    return nb?._fully_loaded && nb.kernel?.is_connected?.() && (globalThis as W).document.querySelector('#kernel_indicator_icon.kernel_idle_icon') !== null;
  }, null, { timeout: 120_000 });
  const t0 = Date.now();
  await page.click('#celllink'); // Cell
  await page.click('#run_all_cells > a'); // Run All
  await waitForRunAll(page, 600_000);
  const seconds = (Date.now() - t0) / 1000;
  await page.waitForTimeout(1500); // plots draw after their output arrives
  await page.click('#filelink'); // File
  await page.click('#save_checkpoint > a'); // Save and Checkpoint
  await page.waitForFunction(() => (globalThis as W).Jupyter.notebook.dirty === false, null, { timeout: 30_000 });
  const errors: string[] = await page.evaluate(() => {
    const out: string[] = [];
    (globalThis as W).Jupyter.notebook.get_cells().forEach((c: W, i: number) => {
      for (const o of c.output_area?.outputs ?? []) {
        if (o.output_type === 'error') out.push(`cell ${i}: ${o.ename}: ${o.evalue}`);
        if (o.output_type === 'stream' && o.name === 'stderr') out.push(`cell ${i} stderr: ${String(o.text).slice(0, 200)}`);
      }
    });
    (globalThis as W).document.querySelectorAll('.course-plot-error').forEach((e: W) => out.push(`plot error: ${e.textContent.slice(0, 200)}`));
    return out;
  });
  // Page by page: #site is the scrolling element of the classic Notebook.
  const stem = name.replace(/\.ipynb$/, '');
  const total: number = await page.evaluate(() => (globalThis as W).document.querySelector('#site').scrollHeight);
  const view: number = await page.evaluate(() => (globalThis as W).document.querySelector('#site').clientHeight);
  let shots = 0;
  for (let y = 0; y < total; y += view - 60) {
    await page.evaluate((top) => (globalThis as W).document.querySelector('#site').scrollTo(0, top), y);
    await page.waitForTimeout(250);
    await page.screenshot({ path: path.join(outDir, `${stem}-${String(++shots).padStart(2, '0')}.png`) });
  }
  // The mouse over the first plot: Plotly's toolbar (mode bar) appears; the title must stay readable.
  const plot = page.locator('.js-plotly-plot').first();
  if (await plot.count()) {
    await plot.scrollIntoViewIfNeeded();
    await plot.hover();
    await page.waitForTimeout(400);
    await plot.screenshot({ path: path.join(outDir, `${stem}-hover.png`) });
  }
  // Shut the kernel down (File → Close and Halt would close the tab): one kernel at a time.
  await page.evaluate(() => new Promise((resolve) => (globalThis as W).Jupyter.notebook.session.delete(resolve, resolve)));
  return { seconds, shots, errors };
}

(async () => {
  fs.mkdirSync(outDir, { recursive: true });
  const statusBefore = gitStatus();
  const port = await freePort();
  const server = spawn(process.execPath, [path.join(ROOT, 'scripts', 'start.js')], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), DISPLAY: '', COURSE_WORKSPACE: workspace },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  server.stdout.on('data', (d) => (log += d));
  server.stderr.on('data', (d) => (log += d));
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
  let failed = false;
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setInterval(() => {
        const m = log.match(new RegExp(`http://127\\.0\\.0\\.1:${port}/\\?token=[0-9a-f]+`));
        if (m) (clearInterval(timer), resolve(m[0]));
      }, 200);
      setTimeout(() => (clearInterval(timer), reject(new Error('npm start printed no URL:\n' + log))), 60_000);
    });
    const base = `http://127.0.0.1:${port}`;
    const page = await browser.newPage({ viewport: { width, height } });
    await page.goto(url); // logs in with the token (a cookie for the pages after it)
    for (const name of chapters) {
      const r = await shootChapter(page, base, name);
      console.log(`${name}: Run All ${r.seconds.toFixed(1)} s in the live Notebook, ${r.shots} screenshots${r.errors.length ? `; ERRORS:\n  ${r.errors.join('\n  ')}` : ''}`);
      if (r.errors.length) failed = true;
    }
    const saved = chapters.filter((c) => JSON.parse(fs.readFileSync(path.join(workspace, c), 'utf8')).cells.some((c: W) => (c.outputs ?? []).length > 0));
    console.log(`saved with outputs in ${path.relative(ROOT, workspace)}/: ${saved.length} of ${chapters.length}`);
    if (saved.length !== chapters.length) failed = true;
  } finally {
    await browser.close();
    server.kill('SIGINT');
    await new Promise((r) => server.on('exit', r));
  }
  // Others may edit files meanwhile (a shared repository): a change outside the paths a chapter run
  // could touch is reported; any new line for notebooks/, data/ or the workspace fails.
  const statusAfter = gitStatus();
  const before = new Set(statusBefore.split('\n').filter(Boolean));
  const fresh = statusAfter.split('\n').filter((l) => l && !before.has(l));
  const rel = path.relative(ROOT, workspace);
  const bad = fresh.filter((l) => ['notebooks/', 'data/', rel].some((p) => l.slice(3).startsWith(p)));
  if (bad.length) {
    failed = true;
    console.log(`git status: running and saving the chapters changed the course's files:\n  ${bad.join('\n  ')}`);
  }
  const other = fresh.filter((l) => !bad.includes(l));
  if (other.length) console.log(`git status: changed meanwhile outside notebooks/ (others' edits?):\n  ${other.join('\n  ')}`);
  if (!bad.length) console.log(`git status --porcelain: nothing new from running and saving ${chapters.length} chapter(s) in the workspace${statusAfter.trim() ? '' : ' (clean)'}`);
  if (!ownWorkspace) fs.rmSync(workspace, { recursive: true, force: true });
  console.log(`screenshots in ${outDir}`);
  process.exit(failed ? 1 : 0);
})();
