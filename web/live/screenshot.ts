// Takes the README's pictures of live figures: docs/live-figure.png (chapter 4's DDIM figure) and
// docs/live-unclip.png (chapter 6's prompt box), built with --live-only and shot in the system Chromium.
//   npx tsx web/live/screenshot.ts
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { chromium } from 'playwright-core';
import { buildLive } from './build';
import { serve } from '../serve';

(async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'course-live-shot-'));
  await buildLive(dir);
  const { server, url } = await serve(dir);
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
  try {
    const page = await browser.newPage({ viewport: { width: 900, height: 800 } });
    await page.goto(url + '04-ode-and-ddim.live.html');
    await page.evaluate(() => {
      const s = (globalThis as any).document.querySelector('#ddim [name=steps]') as { value: string; checked: boolean; dispatchEvent(e: unknown): void };
      s.value = '25';
      s.dispatchEvent(new (globalThis as any).Event('input'));
    });
    await page.waitForFunction(() => (globalThis as any).courseLive.state.ddim?.params.steps === 25 && (globalThis as any).courseLive.state.ddim.result, null, { timeout: 60_000 });
    await page.waitForTimeout(300);
    const out = path.join(__dirname, '..', '..', 'docs', 'live-figure.png');
    fs.mkdirSync(path.dirname(out), { recursive: true });
    await page.locator('#ddim').screenshot({ path: out });
    console.log(`wrote ${out}: ${fs.statSync(out).size} bytes`);
    // Chapter 6: a prompt with a negative prompt.
    await page.goto(url + '06-unclip.live.html');
    await page.waitForFunction(() => (globalThis as any).courseLive.state.unclip?.result, null, { timeout: 60_000 });
    // (One evaluate per input, no helper function inside: tsx would name it with a helper the page lacks.)
    for (const [name, v] of [['prompt', 'a seven'], ['negative', 'a right-slanted seven']]) {
      await page.evaluate(([name, v]) => {
        const i = (globalThis as any).document.querySelector(`#unclip [name=${name}]`);
        i.value = v;
        i.dispatchEvent(new (globalThis as any).Event('input'));
      }, [name, v]);
    }
    await page.waitForFunction(() => (globalThis as any).courseLive.state.unclip?.params.negative === 'a right-slanted seven', null, { timeout: 60_000 });
    await page.waitForTimeout(300);
    const out6 = path.join(__dirname, '..', '..', 'docs', 'live-unclip.png');
    await page.locator('#unclip').screenshot({ path: out6 });
    console.log(`wrote ${out6}: ${fs.statSync(out6).size} bytes`);
  } finally {
    await browser.close();
    server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
})();
