// `npm run site`: execute every notebook and write HTML pages plus an index to site/.
// COURSE_QUICK=1 shrinks training (same code); --out DIR writes elsewhere.
// Each chapter with live figures also gets <stem>.live.html (web/live), and every chapter gets
// <stem>.notebook.html, the chapter run in the browser (web/notebook). --live-only writes just
// those browser pages (no notebook is run); --serve then serves the folder on 127.0.0.1.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { LIVE_PAGES, buildLive } from '../web/live/build';
import { serve } from '../web/serve';
import { buildNotebooks } from '../web/notebook/build';
const { root, courseConfig, jupyterEnv, notebooks } = require('./env');

export interface PageResult {
  notebook: string;
  ok: boolean;
  seconds: number;
  failure: { cell: number; source: string; message: string } | null;
}

interface Chapter {
  stem: string;
  title: string;
  summary: string;
}

/** Title and first paragraph of a notebook's first markdown cell. */
export function chapterOf(file: string): Chapter {
  const nb = JSON.parse(fs.readFileSync(file, 'utf8'));
  const md = nb.cells.find((c: { cell_type: string }) => c.cell_type === 'markdown');
  const text: string = md ? [].concat(md.source).join('') : '';
  const title = (text.match(/^#\s+(.+)$/m) ?? [, path.basename(file)])[1]!.trim();
  const summary = text.split(/\n\s*\n/).map((p) => p.trim()).find((p) => p && !p.startsWith('#')) ?? '';
  return { stem: path.basename(file, '.ipynb'), title, summary };
}

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

// Any script error on a page is written into the page, so the browser check sees it.
const ERROR_HOOK =
  `<script>window.addEventListener('error',function(e){document.documentElement.setAttribute('data-page-error',String(e.message))});</script>`;

export function buildSite(outDir: string, files: string[] = notebooks()): PageResult[] {
  const { python } = courseConfig();
  fs.mkdirSync(outDir, { recursive: true });
  const json = path.join(outDir, 'results.json');
  const r = spawnSync(python, [path.join(root, 'scripts', 'nbrun.py'), ...files, '--out', outDir, '--html', '--json', json], {
    env: jupyterEnv(),
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (r.error) throw r.error;
  if (!fs.existsSync(json)) throw new Error(`nbrun.py wrote no results (exit ${r.status})`);
  const results: PageResult[] = JSON.parse(fs.readFileSync(json, 'utf8'));
  for (const f of files) {
    const html = path.join(outDir, path.basename(f, '.ipynb') + '.html');
    if (fs.existsSync(html)) {
      const page = fs.readFileSync(html, 'utf8');
      const stem = path.basename(f, '.ipynb');
      const live =
        `<p style="background:#eef4fb;padding:8px"><a href="${stem}.notebook.html">Run this chapter in your browser</a>: edit its exercises, check them, nothing to install` +
        (LIVE_PAGES.some((p) => p.stem === stem) ? ` · <a href="${stem}.live.html">live figure: steer this chapter's model</a>` : '') +
        `</p>`;
      if (!page.includes('data-page-error')) fs.writeFileSync(html, page.replace('<head>', '<head>\n' + ERROR_HOOK).replace(/<body([^>]*)>/, `<body$1>${live}`));
    }
  }
  const rows = files
    .map((f) => {
      const c = chapterOf(f);
      const res = results.find((x) => path.basename(x.notebook) === path.basename(f));
      const status = res ? (res.ok ? `${res.seconds.toFixed(1)} s` : `failed at cell ${res.failure?.cell}`) : 'not run';
      const live = LIVE_PAGES.some((p) => p.stem === c.stem) ? ` · <a href="${c.stem}.live.html">live</a>` : '';
      return `<tr><td><a href="${c.stem}.html">${escape(c.title)}</a> · <a href="${c.stem}.notebook.html">in your browser</a>${live}</td><td>${escape(c.summary)}</td><td>${status}</td></tr>`;
    })
    .join('\n');
  const quick = process.env.COURSE_QUICK ? ' (quick mode)' : '';
  fs.writeFileSync(
    path.join(outDir, 'index.html'),
    `<!doctype html><html><head><meta charset="utf-8"><title>From CLIP to Diffusion</title>${ERROR_HOOK}
<style>body{font-family:sans-serif;max-width:900px;margin:2em auto}td{padding:6px;vertical-align:top;border-bottom:1px solid #ddd}</style></head>
<body><h1>From CLIP to Diffusion</h1><p><b>Try it in your browser:</b> <a href="${path.basename(files[0], '.ipynb')}.notebook.html">start with chapter 0</a>; every chapter runs in the tab, exercises and check() included, with nothing to install.</p><p>A course in TypeScript notebooks. Each page was executed${quick} on ${new Date().toISOString().slice(0, 10)}; the last column is its run time.</p>
<table><tr><th>Chapter</th><th>What it teaches</th><th>Run time</th></tr>
${rows}
</table></body></html>\n`,
  );
  return results;
}

/** The index of a site with only the browser pages: each chapter's notebook page (and live figure). */
export function writeBrowserIndex(outDir: string, files: string[]): void {
  const rows = files
    .map((f) => {
      const c = chapterOf(f);
      const live = LIVE_PAGES.some((p) => p.stem === c.stem) ? ` · <a href="${c.stem}.live.html">live figure</a>` : '';
      return `<tr><td><a href="${c.stem}.notebook.html">${escape(c.title)}</a>${live}</td><td>${escape(c.summary)}</td></tr>`;
    })
    .join('\n');
  fs.writeFileSync(
    path.join(outDir, 'index.html'),
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>From CLIP to Diffusion</title>${ERROR_HOOK}
<style>body{font-family:sans-serif;max-width:900px;margin:2em auto}td{padding:6px;vertical-align:top;border-bottom:1px solid #ddd}</style></head>
<body><h1>From CLIP to Diffusion</h1><p><b>Try it in your browser:</b> every chapter runs in its page, exercises and check() included, with nothing to install. Start with the first.</p>
<table><tr><th>Chapter</th><th>What it teaches</th></tr>
${rows}
</table></body></html>\n`,
  );
}

async function main(): Promise<void> {
  // usage: site.ts [--out DIR] [--live-only] [--serve [PORT] [--plain]] [NOTEBOOK ...]   (default: every notebook, into site/)
  const args = process.argv.slice(2);
  const i = args.indexOf('--out');
  const out = i >= 0 ? path.resolve(args[i + 1]) : path.join(root, 'site');
  const picked = args.filter((a, k) => a.endsWith('.ipynb') && k !== i + 1).map((a) => path.resolve(a));
  const t0 = Date.now();
  let failed = 0;
  if (!args.includes('--live-only')) {
    const results = buildSite(out, picked.length ? picked : notebooks());
    failed = results.filter((r) => !r.ok).length;
    console.log(`site: ${results.length - failed}/${results.length} pages in ${((Date.now() - t0) / 1000).toFixed(1)} s -> ${path.relative(process.cwd(), out) || out}/index.html`);
  }
  for (const p of await buildLive(out)) console.log(`site: ${p.page}: ${(p.gzipBytes / 1024).toFixed(0)} KiB gzip to download`);
  const browserPages = (await buildNotebooks(out, picked.length ? picked : notebooks())).pages;
  // Without the executed chapters (--live-only), an index of the browser pages alone, unless a full build left one.
  if (!fs.existsSync(path.join(out, 'index.html'))) writeBrowserIndex(out, picked.length ? picked : notebooks());
  for (const p of browserPages)
    console.log(`site: ${p.page}: ${(p.gzipBytes / 1024).toFixed(0)} KiB gzip to download${p.dataBytes ? ` + ${(p.dataBytes / 1024).toFixed(0)} KiB of its own weights and data` : ''}`);
  const s = args.indexOf('--serve');
  if (s >= 0) {
    const port = /^\d+$/.test(args[s + 1] ?? '') ? Number(args[s + 1]) : 8080;
    // COOP/COEP unless --plain: cross-origin isolated, the pages run lib on two threads (a static host without those headers gets one).
    const isolate = !args.includes('--plain');
    const { url } = await serve(out, port, { isolate });
    console.log(`site: serving ${out} at ${url} ${isolate ? 'with COOP/COEP (cross-origin isolated: lib on two threads)' : 'without COOP/COEP, like GitHub Pages (lib on one thread)'} (Ctrl-C stops)`);
    return;
  }
  process.exit(failed ? 1 : 0);
}

if (require.main === module) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
