// Load a page in headless Chromium (Debian's) and read back the DOM after its
// scripts ran: used to check that every plot on a page rendered.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export function findChromium(): string {
  for (const c of [process.env.CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome']) {
    if (c && fs.existsSync(c)) return c;
  }
  throw new Error('Chromium not found: install it with `apt-get install -y chromium` (or set CHROMIUM=/path/to/chrome)');
}

/** The DOM of a local HTML file (or an http URL) after its scripts ran. */
export function renderedDom(file: string, budgetMs = 20000): string {
  const url = /^https?:/.test(file) ? file : 'file://' + path.resolve(file);
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'course-chromium-'));
  try {
    const r = spawnSync(
      findChromium(),
      [
        '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync',
        '--disable-dev-shm-usage', `--user-data-dir=${profile}`,
        `--virtual-time-budget=${budgetMs}`, '--dump-dom', url,
      ],
      { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, timeout: 120000 },
    );
    if (r.error) throw r.error;
    if (r.status !== 0 || !r.stdout) throw new Error(`chromium exited ${r.status}: ${r.stderr.slice(-500)}`);
    return r.stdout;
  } finally {
    fs.rmSync(profile, { recursive: true, force: true });
  }
}

export interface PageCheck {
  plots: number;
  rendered: number;
  errors: string[];
}

/** Count plots and how many drew an SVG; collect plot errors, page script errors and error outputs. */
export function checkDom(dom: string): PageCheck {
  const parts = dom.split(/<div id="course-plot-[^"]*" class="course-plot/).slice(1);
  const errors: string[] = [];
  let rendered = 0;
  for (const p of parts) {
    if (p.startsWith(' course-plot-error')) errors.push(p.slice(0, 300).replace(/<[^>]+>/g, ' '));
    else if (p.slice(0, 4000).includes('class="main-svg"')) rendered++;
  }
  const pageError = dom.match(/data-page-error="([^"]*)"/);
  if (pageError) errors.push(`script error: ${pageError[1]}`);
  const stderr = dom.match(/data-mime-type="application\/vnd\.jupyter\.(stderr|error)"/g);
  if (stderr) errors.push(`${stderr.length} error output(s) on the page`);
  return { plots: parts.length, rendered, errors };
}
