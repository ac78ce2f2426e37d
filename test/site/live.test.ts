// The live figures in a real browser (playwright-core driving the system Chromium, no browser
// download), served twice: without COOP/COEP headers, as GitHub Pages serves them (lib runs on one
// thread in the page's Web Worker), and with them (cross-origin isolated: lib's kernels share
// their work with a helper Web Worker, lib/nn/wasm/pool.browser.ts). For each: every figure's
// control changes the plotted data, progress shows while a long run goes on, the page logs no
// console error, and the numbers the browser computed equal Node's for the same seed. How long a
// redraw takes is measured by `npm run bench -- live` (a time bound here would fail on a busy machine).
// Equal means bit for bit: both run lib's own kernels on tfjs-wasm, and lib's kernels give the
// same floats on one thread or two. (On a machine where Node picks tfjs-node, the MLP runs on
// TensorFlow's own matmul instead, so there the test allows 1e-4: float32 sums in another order.)
// The pages' download sizes are checked from the built folder: the files each page fetched,
// gzipped, are within the 1.5 MB budget and what the page says it downloads.
import { expect } from 'chai';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';
import * as tf from '@tensorflow/tfjs';
import type { Browser, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import { buildLive, LIVE_PAGES, WEIGHTS } from '../../web/live/build';
import { serve } from '../../web/serve';
import { steer } from '../../web/live/drive';
import { ddimFigure, ddpmFigure, flowFigure, guidanceContext, spiralContext, spiralHeldOut, walkFigure, SpiralContext } from '../../web/live/figures';
import { guidedSamples, loadSpiralGuidance } from '../../lib/guidance/spiral';
import { loadClip } from '../../lib/clip/io';
import { searchImages } from '../../lib/clip/evaluate';
import { loadDigits } from '../../lib/data/mnist';
import { DIGITS_SHOWN } from '../../web/live/build';
import { loadVelocityNet } from '../../lib/flow/net';
import { linearSchedule } from '../../lib/diffusion/schedule';
import { spiralSetup } from '../../lib/diffusion/spiral';
import { generate, loadUnclip } from '../../lib/unclip';
import { readWeights } from '../../lib/weightsFile';
import { loadEpsNet } from '../../lib/diffusion/net';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'];

type Live = { state: Record<string, any>; errors: string[] };

/** The download budget per page, gzip, everything it fetches (scripts, tfjs-wasm's binary, weights) included. */
const PAGE_BYTES = 1_500_000;

function expectSame(browser: number[], node: Float32Array, what: string): void {
  expect(browser.length, `${what}: length`).to.equal(node.length);
  const tol = tf.getBackend() === 'wasm' ? 0 : 1e-4;
  let worst = 0, differ = 0;
  for (let i = 0; i < node.length; i++) {
    const d = Math.abs(browser[i] - node[i]);
    if (d > 0) differ++;
    if (!(d <= worst)) worst = d;
  }
  expect(worst, `${what}: ${differ} of ${node.length} values differ (largest by ${worst}; allowed ${tol} on Node's ${tf.getBackend()} backend)`).to.be.at.most(tol);
}

/** Numbers computed in double precision (energy distance, precision, recall): equal, or within 1e-4 relative off wasm. */
function expectSameNumbers(browser: number[], node: number[], what: string): void {
  if (tf.getBackend() === 'wasm') expect(browser, what).to.deep.equal(node);
  else browser.forEach((b, i) => expect(b, `${what} [${i}]`).to.be.closeTo(node[i], 1e-4 * Math.max(1e-3, Math.abs(node[i]))));
}

const root = path.join(__dirname, '..', '..');
const readJson = (f: string) => JSON.parse(fs.readFileSync(path.join(root, 'data', f), 'utf8'));

describe('site: live figures in Chromium', function () {
  this.timeout(180_000);
  let dir: string;
  const servers: Record<'plain' | 'isolated', { url: string; close(): void }> = {} as never;
  let browser: Browser;
  let ctx: SpiralContext;
  const consoleErrors: string[] = [];
  /** Per page: the files it fetched (paths in the site folder), on the plain server. */
  const fetched = new Map<string, Set<string>>();

  before(async function () {
    if (!fs.existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'course-live-'));
    await buildLive(dir);
    for (const [name, isolate] of [['plain', false], ['isolated', true]] as const) {
      const s = await serve(dir, 0, { isolate });
      servers[name] = { url: s.url, close: () => s.server.close() };
    }
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
    ctx = spiralContext(readJson('spiral-eps.json'));
  });

  after(async function () {
    await browser?.close();
    for (const s of Object.values(servers)) s.close();
    ctx?.net.dispose();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('the held-out spiral the figures score against is spiralSetup()’s', function () {
    const a = spiralHeldOut().test, b = spiralSetup().test;
    expect(Array.from(a)).to.deep.equal(Array.from(b));
  });

  it('the shipped weights (.json + .bin, lib/weights.ts) read in Node give exactly the floats of data/’s JSON', function () {
    const fromBin = loadEpsNet(readWeights(path.join(dir, 'live', 'spiral-eps.json')));
    try {
      ctx.net.params.forEach((p, i) => expect(Array.from(fromBin.params[i].dataSync()), `spiral-eps parameter ${i}`).to.deep.equal(Array.from(p.dataSync())));
    } finally {
      fromBin.dispose();
    }
    // Every weights file: each tensor's values equal the data/ JSON's, decoded (base64 float32, or chapter 6's 16-bit codes).
    for (const [name, w] of Object.entries(WEIGHTS)) {
      const bin = readWeights(path.join(dir, 'live', `${name}.json`));
      const want = w.slim(readJson(w.file));
      let tensors = 0;
      const walk = (a: any, b: any, at: string): void => {
        if (b && typeof b === 'object' && Array.isArray(b.shape) && (typeof b.b64 === 'string' || typeof b.data === 'string')) {
          tensors++;
          expect(a.shape, at).to.deep.equal(b.shape);
          const floats = typeof b.min === 'number' ? Float32Array.from(new Uint16Array(Uint8Array.from(Buffer.from(b.data, 'base64')).buffer), (c) => b.min + (c / 65535) * (b.max - b.min || 1)) : new Float32Array(Uint8Array.from(Buffer.from(b.b64 ?? b.data, 'base64')).buffer);
          expect(Buffer.from(a.values.buffer, a.values.byteOffset, a.values.byteLength).equals(Buffer.from(floats.buffer)), `${name} ${at}: values`).to.equal(true);
        } else if (b && typeof b === 'object') for (const k of Object.keys(b)) walk(a[k], b[k], `${at}.${k}`);
        else expect(a, at).to.deep.equal(b);
      };
      walk(bin, want, name);
      expect(tensors, `${name}: tensors`).to.be.above(3);
    }
  });

  for (const mode of ['plain', 'isolated'] as const) {
    const threads = mode === 'isolated' ? 2 : 1;
    describe(mode === 'plain' ? 'served without COOP/COEP (as GitHub Pages): lib on one thread' : 'served with COOP/COEP (npm run site -- --serve): lib on two threads', function () {
      async function open(file: string): Promise<Page> {
        const page = await browser.newPage();
        const base = servers[mode].url;
        page.on('console', (m) => m.type() === 'error' && consoleErrors.push(`${mode} ${file}: ${m.text()}`));
        page.on('pageerror', (e) => consoleErrors.push(`${mode} ${file}: ${e.message}`));
        const got = new Set<string>();
        if (mode === 'plain') fetched.set(file, got);
        page.on('request', (r) => {
          const u = r.url();
          if (u.startsWith('blob:') || u.startsWith('data:')) return;
          if (!u.startsWith(base)) consoleErrors.push(`${mode} ${file}: fetched ${u}, outside the site folder`);
          else got.add(decodeURIComponent(new URL(u).pathname).slice(1));
        });
        await page.goto(base + file);
        return page;
      }

      /** How lib ran for the page's last answer: threads, and tasks the helper took. */
      async function expectThreads(page: Page, afterWork: boolean): Promise<void> {
        const t = await page.evaluate(() => (globalThis as any).courseLive.threads as { threads: number; helped: number });
        expect(t.threads, 'threads lib ran on').to.equal(threads);
        if (threads === 2 && afterWork) expect(t.helped, 'tasks the helper Web Worker ran').to.be.above(0);
        if (threads === 1) expect(t.helped).to.equal(0);
      }

      it('chapter 4: the steps and η sliders redraw DDIM-100 at 2,000 points, with the same points and quality as Node', async function () {
        const page = await open('04-ode-and-ddim.live.html');
        await page.waitForFunction(() => (globalThis as any).courseLive.state.ddim?.result, null, { timeout: 60_000 });
        const first = (await page.evaluate(() => (globalThis as any).courseLive as Live)).state.ddim;
        expect(first.params).to.deep.equal({ steps: 10, eta: 0, n: 2000, seed: 0 });
        expectSame(first.points, ddimFigure(ctx, first.params).points, 'DDIM-10, η = 0');
        await expectThreads(page, false);

        await steer(page, '#ddim [name=steps]', '100', 'live.state.ddim.params.steps === 100 && live.state.ddim.drawn');
        await page.waitForFunction(() => (globalThis as any).courseLive.state.ddim.result, null, { timeout: 30_000 });
        const live = await page.evaluate(() => (globalThis as any).courseLive as Live);
        const node = ddimFigure(ctx, { steps: 100, eta: 0, n: 2000, seed: 0 });
        expectSame(live.state.ddim.points, node.points, 'DDIM-100, η = 0');
        expect(live.state.ddim.points).to.not.deep.equal(first.points);
        const q = live.state.ddim.result;
        expectSameNumbers([q.energy, q.precision, q.recall], [node.energy, node.precision, node.recall], 'energy distance, precision and recall of DDIM-100');
        expect(await page.textContent('#ddim .live-status')).to.match(/energy distance .* precision .* recall/);
        await expectThreads(page, true);

        await steer(page, '#ddim [name=eta]', '0.5', 'live.state.ddim.params.eta === 0.5 && live.state.ddim.drawn');
        const withEta = await page.evaluate(() => (globalThis as any).courseLive.state.ddim.points as number[]);
        expectSame(withEta, ddimFigure(ctx, { steps: 100, eta: 0.5, n: 2000, seed: 0 }).points, 'DDIM-100, η = 0.5');
        expect(await page.textContent('.live-size')).to.match(/downloads \d+ KiB \(gzip\)/);
        expect(await page.textContent('.live-threads')).to.match(threads === 2 ? /two threads/ : /one thread/);
        await page.close();
      });

      it('chapter 3: DDPM plays frame by frame; the noise switch shows new frames and progress; frames equal Node’s', async function () {
        const page = await open('03-ddpm.live.html');
        await page.waitForFunction(() => (globalThis as any).courseLive.state.ddpm?.result, null, { timeout: 120_000 });
        const on = (await page.evaluate(() => (globalThis as any).courseLive as Live)).state.ddpm;
        expect(on.params.noise).to.equal(true);
        await expectThreads(page, false);
        // The frame slider replays the chain: moving it redraws another x_t.
        const before = await page.evaluate(() => JSON.stringify(((globalThis as any).document.querySelector('#ddpm .live-plot') as any).data[0].x));
        await steer(page, '#ddpm [name=frame]', '0', 'true');
        const after = await page.evaluate(() => JSON.stringify(((globalThis as any).document.querySelector('#ddpm .live-plot') as any).data[0].x));
        expect(after).to.not.equal(before);
        // The noise switch: the chain without σ·z differs from its first step on; its first new frame comes after `every` of the T steps.
        await steer(page, '#ddpm [name=noise]', false, 'live.state.ddpm.params.noise === false && live.state.ddpm.frames.length >= 2');
        // The run takes a while: its progress bar shows, with a width above 0 (checked on every frame until it does).
        const bar = await page.waitForFunction(() => {
          const el = (globalThis as any).document.querySelector('#ddpm .live-progress');
          return el.style.display === 'block' && parseFloat(el.firstElementChild.style.width) > 0 ? { width: el.firstElementChild.style.width } : null;
        }, null, { polling: 'raf', timeout: 120_000 });
        expect(parseFloat((await bar.jsonValue())!.width)).to.be.above(0);
        const off = (await page.evaluate(() => (globalThis as any).courseLive as Live)).state.ddpm;
        expect(off.frames[1].points).to.not.deep.equal(on.frames[1].points);
        const node = ddpmFigure(ctx, on.params);
        expect(on.frames.map((f: { t: number }) => f.t)).to.deep.equal(node.map((f) => f.t));
        on.frames.forEach((f: { t: number; points: number[] }, i: number) => expectSame(f.points, node[i].points, `DDPM with noise, frame t = ${f.t}`));
        await page.close();
      });

      it('chapter 2: the t slider redraws walk and closed form, equal to Node’s', async function () {
        const page = await open('02-random-walks.live.html');
        await page.waitForFunction(() => (globalThis as any).courseLive.state.walk?.drawn, null, { timeout: 60_000 });
        const first = (await page.evaluate(() => (globalThis as any).courseLive as Live)).state.walk;
        await steer(page, '#walk [name=t]', '999', 'live.state.walk.params.t === 999 && live.state.walk.drawn');
        const live = (await page.evaluate(() => (globalThis as any).courseLive as Live)).state.walk;
        const node = walkFigure(linearSchedule(1000, 1e-4, 0.02), { t: 999, n: 1000, seed: 0 });
        expect(live.points).to.not.deep.equal(first.points);
        expectSame(live.points, node.walk, 'random walk to t = 999');
        expectSame(live.result.jump, node.jump, 'closed-form jump to t = 999');
        await page.close();
      });

      it('chapter 7: the steps slider redraws flow and DDIM, equal to Node’s', async function () {
        const page = await open('07-flow-matching.live.html');
        await page.waitForFunction(() => (globalThis as any).courseLive.state.flow?.result?.flowEnergy !== undefined, null, { timeout: 60_000 });
        const first = (await page.evaluate(() => (globalThis as any).courseLive as Live)).state.flow;
        await steer(page, '#flow [name=steps]', '20', 'live.state.flow.params.steps === 20 && live.state.flow.drawn');
        await page.waitForFunction(() => (globalThis as any).courseLive.state.flow.result.flowEnergy !== undefined, null, { timeout: 30_000 });
        const live = (await page.evaluate(() => (globalThis as any).courseLive as Live)).state.flow;
        const v = loadVelocityNet(readJson('flow-spiral.json'));
        try {
          const node = flowFigure(ctx, v, { steps: 20, n: 2000, seed: 0 });
          expect(live.points).to.not.deep.equal(first.points);
          expectSame(live.points, node.flow, 'flow, 20 Euler steps');
          expectSame(live.result.ddim, node.ddim, 'DDIM-20 from the same noise');
          expectSameNumbers([live.result.flowEnergy, live.result.ddimEnergy], [node.flowEnergy, node.ddimEnergy], 'energy distances');
        } finally {
          v.dispose();
        }
        await expectThreads(page, true);
        await page.close();
      });

      it('chapter 5: class, w and the negative-prompt switch redraw; samples equal lib’s guidedSamples in Node', async function () {
        const page = await open('05-guidance.live.html');
        await page.waitForFunction(() => (globalThis as any).courseLive.state.guidance?.drawn, null, { timeout: 60_000 });
        const first = (await page.evaluate(() => (globalThis as any).courseLive as Live)).state.guidance;
        expect(first.params).to.deep.equal({ cls: 2, w: 3, negative: false, n: 1000, seed: 0, steps: 25 });
        const run = loadSpiralGuidance();
        try {
          // The page's context is the one chapter 5 loads: same held-out labelled points.
          const ctx5 = guidanceContext(readJson('guidance-spiral.json'));
          expect(Array.from(ctx5.held.points)).to.deep.equal(Array.from(run.held.points));
          expect(Array.from(ctx5.held.labels)).to.deep.equal(Array.from(run.held.labels));
          ctx5.model.dispose();
          expectSame(first.points, guidedSamples(run.model, run.schedule, { prompt: 2, w: 3, n: 1000, seed: 0, steps: 25 }), 'class 2, w = 3');

          await steer(page, '#guidance [name=cls]', '4', 'live.state.guidance.params.cls === 4 && live.state.guidance.drawn');
          const cls4 = (await page.evaluate(() => (globalThis as any).courseLive as Live)).state.guidance;
          expectSame(cls4.points, guidedSamples(run.model, run.schedule, { prompt: 4, w: 3, n: 1000, seed: 0, steps: 25 }), 'class 4, w = 3');

          await steer(page, '#guidance [name=negative]', true, 'live.state.guidance.params.negative === true && live.state.guidance.drawn');
          const neg = (await page.evaluate(() => (globalThis as any).courseLive as Live)).state.guidance;
          expectSame(neg.points, guidedSamples(run.model, run.schedule, { negative: 4, w: 3, n: 1000, seed: 0, steps: 25 }), 'negative class 4, w = 3');
          expect(neg.result.share, 'a negative prompt makes its class rarer than the prompt does').to.be.below(cls4.result.share);
        } finally {
          run.dispose();
        }
        await expectThreads(page, true);
        await page.close();
      });

      it('chapter 1: typing a caption re-ranks the digits, the same digits and similarities as Node; unknown words are listed, not thrown', async function () {
        const page = await open('01-clip.live.html');
        await page.waitForFunction(() => (globalThis as any).courseLive.state.clip?.result?.hits, null, { timeout: 60_000 });
        const first = (await page.evaluate(() => (globalThis as any).courseLive as Live)).state.clip;
        const clip = await loadClip();
        const images = tf.tensor2d(loadDigits().test.images.slice(0, DIGITS_SHOWN * 784), [DIGITS_SHOWN, 784]);
        try {
          const same = (got: { index: number; score: number }[], want: { index: number; score: number }[], what: string) => {
            expect(got.map((h) => h.index), `${what}: the digits`).to.deep.equal(want.map((h) => h.index));
            expectSame(got.map((h) => h.score), Float32Array.from(want, (h) => h.score), `${what}: the similarities`);
          };
          same(first.result.hits, searchImages(clip, images, 'a thick seven', 8), '"a thick seven"');
          await steer(page, '#clip [name=query]', 'a thin one', "live.state.clip.params.query === 'a thin one' && !!live.state.clip.result.hits");
          same((await page.evaluate(() => (globalThis as any).courseLive as Live)).state.clip.result.hits, searchImages(clip, images, 'a thin one', 8), '"a thin one"');
          await steer(page, '#clip [name=query]', 'a zebra', "live.state.clip.params.query === 'a zebra' && !!live.state.clip.result.unknown");
          expect(await page.textContent('#clip .live-status')).to.match(/does not know "zebra"/);
        } finally {
          images.dispose();
          clip.dispose();
        }
        await page.close();
      });

      it('chapter 6: a prompt, a negative prompt and w redraw unCLIP digits, equal to lib/unclip’s generate() in Node on data/unclip/unclip.json', async function () {
        const page = await open('06-unclip.live.html');
        await page.waitForFunction(() => (globalThis as any).courseLive.state.unclip?.result?.labels, null, { timeout: 60_000 });
        const first = (await page.evaluate(() => (globalThis as any).courseLive as Live)).state.unclip;
        expect(first.params).to.deep.equal({ prompt: 'a thick seven', negative: '', w: 3, n: 16, seed: 1, steps: 40 });
        const { unclip, classifier } = loadUnclip();
        const node = (o: { prompt: string; negative?: string; w: number }) => generate(unclip, { ...o, n: 16, seed: 1, steps: 40 });
        const a = node({ prompt: 'a thick seven', w: 3 });
        expectSame(first.points, a, '"a thick seven", w = 3');
        expect(first.result.labels).to.deep.equal(Array.from(classifier.predict(a)));
        expect(first.result.digit).to.equal(7);

        await steer(page, '#unclip [name=prompt]', 'a thin one', "live.state.unclip.params.prompt === 'a thin one' && !!live.state.unclip.result.labels");
        const one = (await page.evaluate(() => (globalThis as any).courseLive as Live)).state.unclip;
        expectSame(one.points, node({ prompt: 'a thin one', w: 3 }), '"a thin one", w = 3');
        expect(one.result.digit).to.equal(1);

        await steer(page, '#unclip [name=w]', '6', 'live.state.unclip.params.w === 6 && !!live.state.unclip.result.labels');
        expectSame((await page.evaluate(() => (globalThis as any).courseLive as Live)).state.unclip.points, node({ prompt: 'a thin one', w: 6 }), '"a thin one", w = 6');

        await steer(page, '#unclip [name=prompt]', 'a seven', "live.state.unclip.params.prompt === 'a seven' && !!live.state.unclip.result.labels");
        await steer(page, '#unclip [name=negative]', 'a right-slanted seven', "live.state.unclip.params.negative === 'a right-slanted seven' && !!live.state.unclip.result.labels");
        expectSame((await page.evaluate(() => (globalThis as any).courseLive as Live)).state.unclip.points, node({ prompt: 'a seven', negative: 'a right-slanted seven', w: 6 }), '"a seven" without "a right-slanted seven", w = 6');

        await steer(page, '#unclip [name=prompt]', 'zebra', "live.state.unclip.params.prompt === 'zebra' && !!live.state.unclip.result.unknown");
        expect(await page.textContent('#unclip .live-status')).to.match(/knows none of "zebra"/);
        await expectThreads(page, true);
        await page.close();
      });
    });
  }

  // (A suite of its own: mocha runs a suite's own tests before its nested suites, and these read what the pages above did.)
  describe('all pages', function () {
    it('every live page fetches only files of the site folder, within 1.5 MB gzip, and says how much', async function () {
      const gz = (f: string) => zlib.gzipSync(fs.readFileSync(path.join(dir, f)), { level: 9 }).length;
      expect([...fetched.keys()].sort()).to.deep.equal(LIVE_PAGES.map((p) => `${p.stem}.live.html`).sort());
      for (const [file, files] of fetched) {
        const bytes = [...files].reduce((s, f) => s + gz(f), 0);
        const said = Number((/downloads (\d+) KiB \(gzip\)/.exec(fs.readFileSync(path.join(dir, file), 'utf8')) ?? [])[1]);
        expect(files.has('live/tfjs-backend-wasm-simd.wasm'), `${file} loads the SIMD tfjs-wasm binary`).to.equal(true);
        expect(bytes, `${file}: ${[...files].join(', ')}`).to.be.at.most(PAGE_BYTES);
        expect(said * 1024, `${file} says it downloads ${said} KiB; it fetched ${bytes} bytes gzip`).to.be.at.least(bytes - 512);
        expect(said * 1024, `${file} says ${said} KiB`).to.be.at.most(PAGE_BYTES);
        console.log(`      (${file}: fetched ${files.size} files, ${(bytes / 1024).toFixed(0)} KiB gzip; says ${said} KiB)`);
      }
    });

    it('no console errors on any live page', function () {
      expect(consoleErrors).to.deep.equal([]);
    });
  });
});
