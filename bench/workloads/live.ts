// `npm run bench -- live`: the live figures' redraw time in Chromium (playwright-core driving the
// system Chromium), from a control change to the new result on screen, per figure, served
// without COOP/COEP (lib on one thread, as on GitHub Pages) and with them (two threads). JSON:
// { "<figure>": { "threads_1_ms", "threads_2_ms" } } with the median of `rounds` redraws, each
// after a fresh page load. test/site/live.test.ts checks what is drawn; the times are here.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { chromium } from 'playwright-core';
import type { BenchContext } from '../context';
import { buildLive } from '../../web/live/build';
import { REDRAWS, steer } from '../../web/live/drive';
import { serve } from '../../web/serve';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

export async function run(ctx: BenchContext): Promise<Record<string, unknown>> {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`);
  const rounds = ctx.quick ? 1 : 3;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'course-bench-live-'));
  const out: Record<string, Record<string, number>> = {};
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  const servers: { close(): void }[] = [];
  try {
    await buildLive(dir);
    const bar = ctx.progress(REDRAWS.length * 2 * rounds, { phase: 'redraws', unit: 'redraws' });
    let done = 0;
    for (const isolate of [false, true]) {
      const s = await serve(dir, 0, { isolate });
      servers.push({ close: () => s.server.close() });
      const threads = isolate ? 2 : 1;
      for (const r of REDRAWS) {
        const ms: number[] = [];
        for (let k = 0; k < rounds; k++) {
          const page = await browser.newPage();
          try {
            await page.goto(s.url + r.page);
            await page.waitForFunction(`(() => { const live = globalThis.courseLive; return !!(${r.loaded}); })()`, null, { timeout: 120_000 });
            const got = await page.evaluate(() => (globalThis as any).courseLive.threads?.threads);
            if (got !== undefined && got !== threads) throw new Error(`${r.page}: lib ran on ${got} threads, not ${threads}`);
            ms.push(await steer(page, r.selector, r.value, r.ready));
          } finally {
            await page.close();
          }
          await bar.update(++done);
        }
        (out[r.figure] ??= {})[`threads_${threads}_ms`] = Math.round(median(ms));
      }
    }
    bar.done();
  } finally {
    await browser.close();
    for (const s of servers) s.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  ctx.log(`redraw ms per figure (median of ${rounds}; load average ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores)`);
  return out;
}
