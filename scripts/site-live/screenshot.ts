// Takes docs/live-figure.png, the README's picture of a live figure: chapter 4's DDIM figure,
// built with --live-only and shot in the system Chromium.
//   npx tsx scripts/site-live/screenshot.ts
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { chromium } from 'playwright-core';
import { buildLive } from './build';
import { serve } from './serve';

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
    await page.waitForFunction(() => (globalThis as any).courseLive.state.ddim?.params.steps === 25, null, { timeout: 60_000 });
    await page.waitForTimeout(300);
    const out = path.join(__dirname, '..', '..', 'docs', 'live-figure.png');
    fs.mkdirSync(path.dirname(out), { recursive: true });
    await page.locator('#ddim').screenshot({ path: out });
    console.log(`wrote ${out}: ${fs.statSync(out).size} bytes`);
  } finally {
    await browser.close();
    server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
})();
