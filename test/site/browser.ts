// The system Chromium driven by playwright-core, for the notebook pages' tests.
import type { Browser, Page } from 'playwright-core';
import { chromium } from 'playwright-core';

// The page's globals, inside page.evaluate (this file is compiled without the DOM's types).
declare const document: any, window: any, MutationObserver: any;
type HTMLElement = any;

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const BROWSER_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export async function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: BROWSER_ARGS });
}

/** Open a chapter's page; collects console errors and the site files it fetched. */
export async function open(browser: Browser, base: string, stem: string, query = '?quick=1'): Promise<{ page: Page; errors: string[]; fetched: Set<string> }> {
  const page = await browser.newPage();
  const errors: string[] = [];
  const fetched = new Set<string>();
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('request', (r) => {
    const u = r.url();
    if (u.startsWith('blob:') || u.startsWith('data:')) return;
    if (!u.startsWith(base)) errors.push(`fetched ${u}, outside the site folder`);
    else fetched.add(decodeURIComponent(new URL(u).pathname.slice(1)));
  });
  // Every state a progress bar shows while cells run (lib/progress.ts updates one output in place).
  await page.addInitScript(() => {
    const w = window as any;
    w.__progressSeen = [];
    new MutationObserver(() => {
      for (const el of Array.from(document.querySelectorAll('.course-progress')) as any[]) {
        const t = el.textContent;
        if (w.__progressSeen[w.__progressSeen.length - 1] !== t) w.__progressSeen.push(t);
      }
    }).observe(document, { childList: true, subtree: true });
  });
  await page.goto(`${base}${stem}.notebook.html${query}`);
  return { page, errors, fetched };
}

export async function runAll(page: Page): Promise<{ ran: number; errors: number }> {
  return page.evaluate(() => (window as unknown as { courseNotebook: { runAll(): Promise<{ ran: number; errors: number }> } }).courseNotebook.runAll());
}

