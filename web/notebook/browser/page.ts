// The notebook page: the chapter's cells with their outputs, a kernel (kernel.ts in a Web
// Worker) that runs them, CodeMirror 6 editors for the exercise and "try it" cells, edits kept
// in localStorage, reset, and "Download notebook" (an .ipynb whose exercise cells keep their
// metadata.exercise, for `npm run grade`). ?quick=1 runs the chapter in quick mode (COURSE_QUICK).
import { EditorState } from '@codemirror/state';
import { EditorView, keymap, lineNumbers } from '@codemirror/view';
import { defaultKeymap, history, historyKeymap } from '@codemirror/commands';
import { syntaxHighlighting, HighlightStyle } from '@codemirror/language';
import { javascript } from '@codemirror/lang-javascript';
import { tags } from '@lezer/highlight';

interface NbCell {
  cell_type: string;
  source: string | string[];
  metadata?: Record<string, unknown>;
  outputs?: unknown[];
  execution_count?: number | null;
}
type Output =
  | { kind: 'stream'; name: string; text: string }
  | { kind: 'html'; html: string; id?: string; update?: boolean }
  | { kind: 'text'; text: string }
  | { kind: 'error'; name: string; message: string; stack: string };

const data = JSON.parse(document.getElementById('nb-data')!.textContent!) as { stem: string; notebook: { cells: NbCell[] } & Record<string, unknown> };
const quick = new URLSearchParams(location.search).get('quick') === '1';
const status = document.querySelector('.nb-status') as HTMLElement;
const say = (s: string) => (status.textContent = s);
const key = (i: number) => `course-notebook:${data.stem}:${i}`;
const original = (i: number) => {
  const s = data.notebook.cells[i].source;
  return Array.isArray(s) ? s.join('') : s;
};

// Colours with at least 4.5:1 contrast on the editor's white (WCAG AA).
const highlight = HighlightStyle.define([
  { tag: tags.keyword, color: '#8250df' },
  { tag: [tags.string, tags.special(tags.string)], color: '#0a3069' },
  { tag: tags.comment, color: '#57606a', fontStyle: 'italic' },
  { tag: [tags.number, tags.bool, tags.null], color: '#0550ae' },
  { tag: [tags.typeName, tags.className], color: '#953800' },
  { tag: tags.definition(tags.variableName), color: '#116329' },
]);

interface CellView {
  index: number;
  el: HTMLElement;
  out: HTMLElement;
  count: HTMLElement;
  editor?: EditorView;
  code(): string;
}
const cells: CellView[] = [];
let runCounter = 0;
const pending = new Map<number, (ok: boolean) => void>();
const displays = new Map<string, HTMLElement>();

let worker: Worker;
let kernelReady: (v: void) => void;
let ready: Promise<void>;
/** Start the kernel (again): a fresh Worker, no names defined; cells queued or running on the old one end as not run. */
function startKernel(): void {
  worker?.terminate();
  for (const [, done] of pending) done(false);
  pending.clear();
  for (const c of cells) if (c.el.classList.contains('nb-running')) (c.el.classList.remove('nb-running'), c.el.removeAttribute('aria-busy'), (c.count.textContent = '[ ]'));
  ready = new Promise<void>((r) => (kernelReady = r));
  worker = new Worker(`notebook/kernel.js${quick ? '?quick=1' : ''}`, { name: `course kernel ${data.stem}` });
  worker.onmessage = onMessage;
  worker.onerror = (e) => say(`The kernel stopped: ${e.message}`);
}

function save(c: CellView): void {
  const text = c.code();
  if (text === original(c.index)) localStorage.removeItem(key(c.index));
  else localStorage.setItem(key(c.index), text);
  const note = c.el.querySelector('.nb-note');
  if (note) note.textContent = text === original(c.index) ? '' : 'edited (kept in this browser)';
}

for (const el of Array.from(document.querySelectorAll<HTMLElement>('.nb-cell'))) {
  const index = Number(el.dataset.index);
  const c: CellView = { index, el, out: el.querySelector('.nb-out')!, count: el.querySelector('.nb-count')!, code: () => original(index) };
  if (el.classList.contains('nb-editable')) {
    const pre = el.querySelector('.nb-code')!;
    const host = document.createElement('div');
    host.className = 'nb-editor';
    pre.replaceWith(host);
    const label = el.getAttribute('aria-label') ?? 'cell';
    c.editor = new EditorView({
      parent: host,
      state: EditorState.create({
        doc: localStorage.getItem(key(index)) ?? original(index),
        extensions: [
          lineNumbers(),
          history(),
          // Shift+Enter (or Ctrl/Cmd+Enter) runs the cell, as in Jupyter; Tab is left to the page's focus order.
          keymap.of([
            { key: 'Shift-Enter', run: () => (runCell(c), true) },
            { key: 'Mod-Enter', run: () => (runCell(c), true) },
            ...defaultKeymap,
            ...historyKeymap,
          ]),
          javascript({ typescript: true }),
          syntaxHighlighting(highlight),
          // Long lines wrap: no horizontal scrolling region to reach by keyboard.
          EditorView.lineWrapping,
          EditorView.contentAttributes.of({ 'aria-label': `${label}: TypeScript editor (Shift+Enter runs the cell)` }),
          EditorView.updateListener.of((u) => u.docChanged && save(c)),
        ],
      }),
    });
    c.code = () => c.editor!.state.doc.toString();
    save(c);
    el.querySelector('.nb-reset')!.addEventListener('click', () => resetCell(c));
  }
  el.querySelector('.nb-run')!.addEventListener('click', () => runCell(c));
  cells.push(c);
}

function resetCell(c: CellView): void {
  if (!c.editor) return;
  c.editor.dispatch({ changes: { from: 0, to: c.editor.state.doc.length, insert: original(c.index) } });
  localStorage.removeItem(key(c.index));
  save(c);
}

/** Put HTML into an output and run its scripts (as Jupyter does with text/html outputs: plots draw themselves). */
function setHtml(el: HTMLElement, html: string): void {
  el.innerHTML = html;
  for (const old of Array.from(el.querySelectorAll('script'))) {
    const s = document.createElement('script');
    s.text = old.text;
    old.replaceWith(s);
  }
  for (const p of Array.from(el.querySelectorAll<HTMLElement>('.course-plot'))) describeFigure(p);
}

/** A figure's text alternative: its title and the numbers it shows, once Plotly has drawn it. */
function describeFigure(el: HTMLElement, tries = 0): void {
  const g = el as HTMLElement & { data?: Record<string, any>[]; layout?: Record<string, any> };
  if (!g.layout) {
    if (tries < 400) setTimeout(() => describeFigure(el, tries + 1), 50);
    return;
  }
  const strip = (s: unknown) => String(s ?? '').replace(/<br>/g, ' ').replace(/<[^>]+>/g, '');
  const title = strip(g.layout.title?.text ?? g.layout.title);
  const axes = Object.keys(g.layout).filter((k) => /^[xy]axis\d*$/.test(k)).map((k) => strip(g.layout![k]?.title?.text)).filter(Boolean);
  const fmt = (v: number) => (Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(3) : String(Number(v.toPrecision(4))));
  const range = (a: unknown) => {
    const xs = Array.from((a as ArrayLike<unknown>) ?? []).flat(2).filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
    if (!xs.length) return '';
    let lo = Infinity, hi = -Infinity;
    for (const v of xs) (lo = Math.min(lo, v)), (hi = Math.max(hi, v));
    return xs.length <= 8 ? xs.map(fmt).join(', ') : `${xs.length} values from ${fmt(lo)} to ${fmt(hi)}`;
  };
  const traces = (g.data ?? []).slice(0, 12).map((t) => {
    const parts = [t.name ? `“${strip(t.name)}”` : t.type ?? 'trace'];
    for (const k of ['x', 'y', 'z']) {
      const r = range(t[k]);
      if (r) parts.push(`${k}: ${r}`);
    }
    return parts.join(' ');
  });
  const text = `Figure: ${title || 'untitled'}.${axes.length ? ` Axes: ${axes.join('; ')}.` : ''} ${traces.join('. ')}${(g.data ?? []).length > 12 ? ` and ${(g.data ?? []).length - 12} more traces` : ''}.`;
  // A figure (not an img: Plotly's mode bar inside it has buttons), described by the text beside it.
  const p = document.createElement('p');
  p.className = 'nb-fig-text';
  p.id = `${el.id}-text`;
  p.textContent = text;
  el.after(p);
  el.setAttribute('role', 'figure');
  el.setAttribute('aria-label', title ? `Figure: ${title}` : 'Figure');
  el.setAttribute('aria-describedby', p.id);
}

function show(c: CellView, o: Output): void {
  if (o.kind === 'html') {
    if (o.id && o.update && displays.has(o.id)) return setHtml(displays.get(o.id)!, o.html);
    const div = document.createElement('div');
    c.out.appendChild(div);
    if (o.id) displays.set(o.id, div);
    return setHtml(div, o.html);
  }
  const pre = document.createElement('pre');
  if (o.kind === 'stream') {
    const last = c.out.lastElementChild as HTMLElement | null;
    if (last && last.tagName === 'PRE' && last.dataset.stream === o.name) return void (last.textContent += o.text);
    pre.dataset.stream = o.name;
    pre.textContent = o.text;
  } else if (o.kind === 'text') pre.textContent = o.text;
  else {
    pre.className = 'nb-err';
    pre.textContent = `${o.name}: ${o.message}`;
    c.el.dataset.error = o.message;
  }
  c.out.appendChild(pre);
}

function onMessage(e: MessageEvent): void {
  const m = e.data as { type: string; cell: number; output: Output; ok: boolean; threads: number; error?: string; id: number; value: unknown };
  if (m.type === 'ready') {
    if (m.error) return void say(`The kernel did not start: ${m.error}`);
    document.documentElement.dataset.threads = String(m.threads);
    say(`Kernel ready: lib on ${m.threads === 2 ? 'two threads (this page is cross-origin isolated)' : 'one thread'}${quick ? ', quick mode' : ''}.`);
    return kernelReady();
  }
  if (m.type === 'value') return evals.get(m.id)?.(m);
  const c = cells.find((x) => x.index === m.cell);
  if (!c) return;
  if (m.type === 'output') show(c, m.output);
  else if (m.type === 'done') {
    c.count.textContent = `[${++runCounter}]`;
    c.el.classList.remove('nb-running');
    c.el.removeAttribute('aria-busy');
    pending.get(c.index)?.(m.ok);
    pending.delete(c.index);
  }
}
startKernel();

function runCell(c: CellView): Promise<boolean> {
  c.out.textContent = '';
  delete c.el.dataset.error;
  c.count.textContent = '[*]';
  c.el.classList.add('nb-running');
  c.el.setAttribute('aria-busy', 'true');
  const done = new Promise<boolean>((r) => pending.set(c.index, r));
  void ready.then(() => worker.postMessage({ type: 'run', cell: c.index, code: c.code() }));
  return done;
}

const html = document.documentElement;
async function runAll(): Promise<{ ran: number; errors: number }> {
  html.dataset.runAll = 'running';
  let ran = 0;
  for (const c of cells) {
    say(`Running cell ${++ran} of ${cells.length}…`);
    if (!(await runCell(c))) {
      say(`Stopped at cell ${ran} of ${cells.length}: it raised an error (shown under it).`);
      html.dataset.runAll = 'error';
      return { ran, errors: 1 };
    }
  }
  say(`Ran all ${cells.length} cells.`);
  html.dataset.runAll = 'done';
  return { ran, errors: 0 };
}

function resetAll(): void {
  if (!confirm('Bring back the course’s version of every cell you edited in this chapter?')) return;
  for (const c of cells) resetCell(c);
  say('Every cell is back to the course’s version.');
}

/** The chapter as an .ipynb with the learner's edits, no outputs; exercise cells keep metadata.exercise. */
export function notebookJson(): string {
  const nb = JSON.parse(JSON.stringify(data.notebook)) as { cells: NbCell[] };
  for (const c of cells) {
    const cell = nb.cells[c.index];
    const lines = c.code().split(/(?<=\n)/);
    cell.source = lines;
    cell.outputs = [];
    cell.execution_count = null;
  }
  return JSON.stringify(nb, null, 1) + '\n';
}

function download(): void {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(new Blob([notebookJson()], { type: 'application/x-ipynb+json' }));
  a.download = `${data.stem}.ipynb`;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  say(`Saved ${data.stem}.ipynb with your edits.`);
}

document.getElementById('nb-run-all')!.addEventListener('click', () => void runAll());
document.getElementById('nb-reset-all')!.addEventListener('click', resetAll);
document.getElementById('nb-restart')!.addEventListener('click', () => {
  startKernel();
  html.dataset.runAll = '';
  say('Restarting the kernel: the cells run again from the first.');
});
document.getElementById('nb-download')!.addEventListener('click', download);

// For the tests (and the curious, from the console): a value from the kernel's shared names.
let evalId = 0;
const evals = new Map<number, (m: { value?: unknown; error?: string }) => void>();
(window as unknown as Record<string, unknown>).courseNotebook = {
  runAll,
  notebookJson,
  eval: (code: string) =>
    new Promise((resolve, reject) => {
      const id = evalId++;
      evals.set(id, (m) => (evals.delete(id), m.error !== undefined ? reject(new Error(m.error)) : resolve(m.value)));
      void ready.then(() => worker.postMessage({ type: 'eval', id, code }));
    }),
};
