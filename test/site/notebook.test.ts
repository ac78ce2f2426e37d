// The chapters' notebook pages (web/notebook) in a real browser (playwright-core driving the
// system Chromium), served as GitHub Pages serves them: no COOP/COEP, so lib runs on one thread
// in the page's kernel Worker. For every chapter, in quick mode (?quick=1, COURSE_QUICK's same
// code with fewer steps): "Run all" ends with no error output and no console error, axe-core finds
// nothing serious or critical with every output on the page, and a seeded number the chapter
// computes equals Node's for the same cells (web/notebook/node.ts runs them with the same
// transpiler on Node's lib), bit for bit: both run lib's own kernels on tfjs-wasm. With COOP/COEP
// the kernel runs lib on two threads, with the same numbers. The download: the first chapter's
// page, everything it fetched, is within 2.5 MB gzip; every other chapter fetches the same
// files plus only its own weights and data.
import { expect } from 'chai';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';
import type { Browser, Page } from 'playwright-core';
import { launch, open, runAll } from './browser';
import { buildNotebooks, CHAPTER_FILES } from '../../web/notebook/build';
import { valueAfterCells } from '../../web/notebook/node';
import { serve } from '../../web/serve';

// The page's globals, inside page.evaluate (this file is compiled without the DOM's types).
declare const document: any, window: any;
type HTMLElement = any;

const ROOT = path.join(__dirname, '..', '..');
const BUDGET = 2_500_000;

/** Per chapter: after code cell `upto`, the value of `expr` (seeded: the same in every run). */
const SEEDED: Record<string, { upto: number; expr: string }> = {
  '00-typescript-tensors-and-points': { upto: 3, expr: 'Array.from(points.slice(0, 8))' },
  '01-clip': { upto: 5, expr: 'before' },
  '02-random-walks': { upto: 1, expr: 'Array.from(paths[paths.length - 1].x.slice(0, 12))' },
  '03-ddpm': { upto: 1, expr: 'tv.map((r) => [r.previous, r.totalNoise, r.signal])' },
  '04-ode-and-ddim': { upto: 0, expr: 'Array.from(xT.dataSync().slice(0, 12))' },
  '05-guidance': { upto: 3, expr: 'Array.from(keepFlags)' },
  '06-unclip': { upto: 3, expr: 'Array.from(clipped.slice(0, 196))' },
  '07-flow-matching': { upto: 0, expr: 'Array.from(noise.dataSync().slice(0, 12))' },
};

/** Chapters that train in their run (quick mode): their progress bars show, moving, while the cell runs. */
const TRAINS = ['01-clip', '03-ddpm'];

const notebooks = fs.readdirSync(path.join(ROOT, 'notebooks')).filter((f) => /^\d\d-.*\.ipynb$/.test(f)).sort();

/**
 * Equal numbers, or (doubles only) within 1e-12 relative: JavaScript's Math.pow, exp and log may
 * round the last bit differently in Node's V8 and Chromium's. A float32 value that differs does so
 * by at least 6e-8 relative, so float32 results must be bit for bit the same.
 */
function expectSame(browser: unknown, node: unknown, what: string): void {
  const b: number[] = [], n: number[] = [];
  const flat = (v: unknown, out: number[]): void => void (Array.isArray(v) ? v.forEach((x) => flat(x, out)) : out.push(v as number));
  flat(browser, b);
  flat(node, n);
  expect(b.length, `${what}: how many numbers`).to.equal(n.length);
  const worst = Math.max(0, ...b.map((x, i) => (x === n[i] ? 0 : Math.abs(x - n[i]) / Math.max(Math.abs(n[i]), 1e-300))));
  expect(worst, `${what}: largest relative difference from Node's`).to.be.at.most(1e-12);
}

async function axeSerious(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: require.resolve('axe-core') });
  const violations = (await page.evaluate(() => (window as unknown as { axe: { run(o: object): Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> } }).axe.run({ resultTypes: ['violations'] }))).violations;
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
}

describe('site: the chapters as notebook pages in the browser (no COOP/COEP: one thread)', function () {
  this.timeout(600_000);
  let dir: string;
  let browser: Browser;
  let base: string;
  let close: () => void;
  const gz = (f: string) => zlib.gzipSync(fs.readFileSync(path.join(dir, f)), { level: 9 }).length;
  const fetchedBy: Record<string, Set<string>> = {};

  let kernelInputs: string[] = [];

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'course-notebook-site-'));
    kernelInputs = (await buildNotebooks(dir, notebooks.map((f) => path.join(ROOT, 'notebooks', f)))).kernelInputs;
    const s = await serve(dir, 0, { isolate: false });
    base = s.url;
    close = () => s.server.close();
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
    close?.();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('the kernel ships what the learner edition ships: the public tests and the compiled reference, never solutions/, the grader or hidden tests', () => {
    const tests = kernelInputs.filter((f) => f.startsWith('test/'));
    const publicSpecs = fs.readdirSync(path.join(ROOT, 'test', 'exercises'), { withFileTypes: true }).filter((e) => e.isDirectory()).flatMap((e) => fs.readdirSync(path.join(ROOT, 'test', 'exercises', e.name)).filter((f) => f.endsWith('.spec.ts')).map((f) => `test/exercises/${e.name}/${f}`));
    expect(tests.filter((f) => f.endsWith('.spec.ts')).sort()).to.deep.equal(publicSpecs.sort());
    expect(tests.filter((f) => !f.startsWith('test/exercises/'))).to.deep.equal([]);
    expect(kernelInputs.filter((f) => /^(solutions|grader|exercises)\//.test(f))).to.deep.equal([]);
    expect(kernelInputs.some((f) => f.startsWith('lib/reference/'))).to.equal(true);
  });

  for (const nb of notebooks) {
    const stem = nb.replace(/\.ipynb$/, '');
    it(`${stem}: run all ends with no error, axe-core finds nothing serious, and its seeded number is Node's`, async () => {
      const seeded = SEEDED[stem];
      expect(seeded, `a seeded number for ${stem} in SEEDED`).to.exist;
      const { page, errors, fetched } = await open(browser, base, stem);
      try {
        const r = await runAll(page);
        const shown = await page.$$eval('.nb-err', (es) => es.map((e) => e.textContent));
        expect(shown, 'error outputs').to.deep.equal([]);
        expect(r.errors).to.equal(0);
        expect(r.ran).to.equal(await page.$$eval('.nb-cell', (es) => es.length));
        expect(await page.getAttribute('html', 'data-threads')).to.equal('1');
        expect(await page.getAttribute('html', 'data-page-error')).to.equal(null);
        const browserValue = await page.evaluate((e) => (window as unknown as { courseNotebook: { eval(c: string): Promise<unknown> } }).courseNotebook.eval(e), seeded.expr);
        const nodeValue = JSON.parse(JSON.stringify(await valueAfterCells(path.join(ROOT, 'notebooks', nb), seeded.upto, seeded.expr, { quick: true })));
        expectSame(browserValue, nodeValue, `${seeded.expr} after code cell ${seeded.upto}`);
        expect(JSON.stringify(nodeValue).length, 'the compared value is not empty').to.be.greaterThan(10);
        // Every figure drew and has its text alternative.
        const figs = await page.$$eval('.course-plot', (es) => es.map((e) => [e.querySelector('.main-svg') !== null, e.getAttribute('aria-label'), (e.nextElementSibling as HTMLElement | null)?.className]));
        for (const [drawn, label, next] of figs) {
          expect(drawn, 'a figure drew').to.equal(true);
          expect(label).to.match(/^Figure/);
          expect(next).to.equal('nb-fig-text');
        }
        // Progress: a bar that moves while training runs, and ends at total/total.
        const seen: string[] = await page.evaluate(() => window.__progressSeen);
        const bars = await page.$$eval('.course-progress', (es: any[]) => es.length);
        if (TRAINS.includes(stem)) expect(bars, 'progress bars in the outputs').to.be.above(0);
        if (bars > 0) {
          const steps = seen.map((t) => /(\d+)\/(\d+) ·/.exec(t)).filter((m): m is RegExpExecArray => !!m);
          expect(new Set(steps.map((m) => m[1])).size, `progress states seen: ${seen.length}`).to.be.above(1);
          const last = steps[steps.length - 1];
          expect(last[1], 'the last progress state').to.equal(last[2]);
        }
        expect(await axeSerious(page), 'axe-core: serious or critical violations').to.deep.equal([]);
        expect(errors, 'console errors').to.deep.equal([]);
        fetchedBy[stem] = fetched;
      } finally {
        await page.close();
      }
    });
  }

  it('with COOP/COEP the kernel runs lib on two threads (the helper Web Worker takes tasks), with the same numbers', async () => {
    const s = await serve(dir, 0, { isolate: true });
    const stem = '04-ode-and-ddim';
    const { page, errors } = await open(browser, s.url, stem);
    try {
      const r = await runAll(page);
      expect(await page.$$eval('.nb-err', (es: any[]) => es.map((e) => e.textContent))).to.deep.equal([]);
      expect(r.errors).to.equal(0);
      expect(await page.getAttribute('html', 'data-threads')).to.equal('2');
      const evaluate = (e: string) => page.evaluate((c) => window.courseNotebook.eval(c), e);
      expect(await evaluate("__require('course/nn/wasm/heap').heap().helped"), 'tasks the helper ran').to.be.above(0);
      const seeded = SEEDED[stem];
      expectSame(await evaluate(seeded.expr), JSON.parse(JSON.stringify(await valueAfterCells(path.join(ROOT, 'notebooks', `${stem}.ipynb`), seeded.upto, seeded.expr, { quick: true }))), seeded.expr);
      expect(errors).to.deep.equal([]);
    } finally {
      await page.close();
      s.server.close();
    }
  });

  it('the first chapter downloads at most 2.5 MB gzip; every other one adds only its own weights and data', () => {
    const first = notebooks[0].replace(/\.ipynb$/, '');
    expect(Object.keys(fetchedBy), 'chapters whose pages ran (the tests above)').to.have.length(notebooks.length);
    const firstBytes = [...fetchedBy[first]].reduce((s, f) => s + gz(f), 0);
    expect(firstBytes, `${first}: ${[...fetchedBy[first]].join(', ')}`).to.be.at.most(BUDGET);
    console.log(`      (${first}: fetched ${fetchedBy[first].size} files, ${(firstBytes / 1e6).toFixed(2)} MB gzip)`);
    for (const stem of Object.keys(fetchedBy)) {
      const extra = [...fetchedBy[stem]].filter((f) => !fetchedBy[first].has(f) && f !== `${stem}.notebook.html`);
      expect(extra.map((f) => f.replace(/^notebook\/files\//, '')).sort(), `${stem} fetches beyond the first chapter's files`).to.deep.equal([...(CHAPTER_FILES[stem] ?? [])].sort());
    }
  });
});
