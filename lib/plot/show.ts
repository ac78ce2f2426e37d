// Display a figure from tslab as HTML: a div plus a script that draws it with the global
// Plotly. plotly.js itself (~1.5 MB) travels inline in only one output: the first plot after
// each time a page connects to the kernel (a reload included; the kernel counts connections,
// see scripts/kernel.js). So a saved notebook carries it once per session, not once per plot,
// and renders in classic Notebook, JupyterLab, VS Code and exported HTML alike.
// Every output also carries a small loader: when the page has no Plotly (outputs cleared, then
// reloaded), it waits briefly for an inline copy, then loads the copy the Jupyter server serves
// (<base>/nbextensions/course/plotly.min.js, installed by `npm install`), and only then fails,
// saying how to recover.
import * as fs from 'fs';
import { Figure, MODEBAR_PX, PLOT_CONFIG, placeTitle } from './figure';
import { frontendConnections, showHtml } from '../notebook';
import { creditHtml } from '../exercise/credit';

/** Where the Jupyter server serves the course's plotly.js (under its nbextensions path). */
export const PLOTLY_SERVER_PATH = 'nbextensions/course/plotly.min.js';

let sentForConnection = -1;
let plotlySource: string | undefined;
let counter = 0;

/** The file of the plotly.js bundle the course ships (cartesian traces, minified). */
export function plotlyFile(): string {
  return require.resolve('plotly.js-cartesian-dist-min');
}

/** The plotly.js bundle, safe to inline in a <script>. */
export function plotlyJs(): string {
  if (!plotlySource) {
    // A literal "</script" inside the bundle would end the inline script early.
    plotlySource = fs.readFileSync(plotlyFile(), 'utf8').replace(/<\/script/gi, '<\\/script');
  }
  return plotlySource;
}

/** JSON with numbers rounded to 5 significant digits and typed arrays as lists: keeps notebooks small. */
export function compactJson(value: unknown): string {
  return JSON.stringify(value, (_k, v) => {
    if (typeof v === 'number') return Number.isFinite(v) ? Number(v.toPrecision(5)) : null;
    if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return Array.from(v as unknown as ArrayLike<number>);
    return v;
  }).replace(/<\//g, '<\\/');
}

/**
 * The loader every plot output carries (browser JavaScript, ES5): calls done() once
 * window.Plotly exists, loading it at most once per page, or fail(message).
 */
export const PLOTLY_LOADER = `function coursePlotly(done, fail) {
  var w = window;
  if (w.Plotly) return done();
  if (w.__coursePlotlyQueue) return w.__coursePlotlyQueue.push([done, fail]);
  var queue = (w.__coursePlotlyQueue = [[done, fail]]), tried = [], tries = 0, urls = [];
  var base = document.body && document.body.getAttribute('data-base-url');
  if (!base) { try { base = JSON.parse(document.getElementById('jupyter-config-data').textContent).baseUrl; } catch (e) {} }
  if (base) urls.push(base.replace(/\\/?$/, '/') + ${JSON.stringify(PLOTLY_SERVER_PATH)});
  function settle(err) {
    w.__coursePlotlyQueue = null;
    queue.forEach(function (q) { if (err) q[1](err); else q[0](); });
  }
  function next() {
    if (w.Plotly) return settle();
    var u = urls.shift();
    if (!u) return settle('plotly.js did not load' + (tried.length ? ' (tried ' + tried.join(', ') + ')' : '') +
      ': run this cell again (the kernel sends plotly.js with its first plot after the page connects)');
    tried.push(u);
    var s = document.createElement('script');
    s.src = u; s.onload = next; s.onerror = next;
    document.head.appendChild(s);
  }
  (function wait() { if (w.Plotly) return settle(); if (++tries < 80) return setTimeout(wait, 25); next(); })();
}`;

/**
 * A figure whose legend entries are long (a legend beside the plot would take more than a
 * quarter of its width and squeeze the plot) gets its legend in a row above the plot instead.
 * A legend the figure places itself is left alone.
 */
export function placeLegend(fig: Figure): Figure {
  const l = fig.layout;
  if (l.legend !== undefined || l.showlegend === false || typeof l.width !== 'number') return fig;
  const names = fig.data.filter((t) => t.showlegend !== false && typeof t.name === 'string' && t.name).map((t) => t.name as string);
  if (names.length < 2) return fig;
  const longest = Math.max(...names.map((n) => n.length));
  if (longest * 7 + 40 <= 0.25 * l.width) return fig;
  // The row (or rows) sits between the title and the plot: the top margin and the height grow by
  // its height, and the title is placed again below the mode bar.
  const margin = { ...((l.margin as Record<string, number>) ?? {}) };
  const plotWidth = l.width - (margin.l ?? 60) - (margin.r ?? 20);
  const rows = Math.ceil(names.reduce((a, n) => a + n.length * 7 + 45, 0) / Math.max(100, plotWidth));
  const extra = rows * 22 + 8;
  margin.t = (margin.t ?? 0) + extra;
  const out: Record<string, unknown> = { ...l, margin, legend: { orientation: 'h', x: 0, xanchor: 'left', y: 1.01, yanchor: 'bottom' } };
  if (typeof l.height === 'number') out.height = l.height + extra;
  if (l.title && typeof l.title === 'object') out.title = { ...(l.title as Record<string, unknown>) };
  placeTitle(out);
  return { ...fig, layout: out };
}

/**
 * Browser JavaScript (ES5) run before a plot is drawn: a figure wider than the output area is
 * drawn at the area's width instead of being cut at its right edge (a grid of subplots on a
 * laptop screen). The plot area keeps its aspect (height scaled alike) and the title is wrapped
 * again to the new width, as lib/plot's titleLayout wraps it (16 px font, 22 px lines).
 */
export const FIT_WIDTH = `function courseFitWidth(el, fig) {
  var L = fig.layout || {}, box = el.parentNode;
  var avail = box ? box.clientWidth - 8 : 0;
  if (!(avail >= 240 && typeof L.width === 'number' && L.width > avail)) return;
  var f = avail / L.width, m = L.margin || {}, t = m.t || 0, b = m.b || 0;
  L.width = avail;
  if (typeof L.height === 'number') L.height = Math.round(t + b + (L.height - t - b) * f);
  var T = L.title;
  if (T && typeof T.text === 'string' && T.yref === 'container') {
    var per = Math.max(8, Math.floor((avail - 20) / (0.55 * 16))), lines = [];
    T.text.split('<br>').join(' ').split(/\\s+/).forEach(function (w) {
      if (!w) return;
      var last = lines.length - 1;
      if (last >= 0 && lines[last].length + 1 + w.length <= per) lines[last] += ' ' + w; else lines.push(w);
    });
    var extra = (lines.length - T.text.split('<br>').length) * 22;
    T.text = lines.join('<br>');
    if (extra > 0) { m.t = t + extra; L.margin = m; if (typeof L.height === 'number') L.height += extra; }
    if (typeof L.height === 'number' && T.yanchor === 'bottom') T.y = 1 - (${MODEBAR_PX} + 22) / L.height;
  }
}`;

/** The HTML of one plot: a div and the script that draws it (errors are written into the div). */
export function figureHtml(fig: Figure, opts: { includePlotly?: boolean } = {}): string {
  const id = `course-plot-${process.pid}-${Date.now().toString(36)}-${counter++}`;
  const lib = opts.includePlotly ? `<script type="text/javascript">${plotlyJs()}</script>\n` : '';
  return (
    lib +
    `<div id="${id}" class="course-plot"></div>\n<script type="text/javascript">\n(function () {\n` +
    `  var el = document.getElementById(${JSON.stringify(id)});\n` +
    `  var fig = ${compactJson({ ...placeLegend(fig), config: PLOT_CONFIG })};\n` +
    `  function fail(e) { el.className += ' course-plot-error'; el.textContent = 'plot error: ' + e; }\n` +
    `  ${FIT_WIDTH.replace(/\n/g, '\n  ')}\n` +
    `  function draw() { try { courseFitWidth(el, fig); window.Plotly.newPlot(el, fig).catch(fail); } catch (e) { fail(e); } }\n` +
    `  ${PLOTLY_LOADER.replace(/\n/g, '\n  ')}\n` +
    `  coursePlotly(draw, fail);\n})();\n</script>`
  );
}

/**
 * Show a figure in the notebook (returns nothing, so the cell prints no JSON).
 * Outside a kernel it does nothing.
 */
export function show(fig: Figure): void {
  const connection = frontendConnections();
  // The caption says whose exercise code drew it: the learner's, or the reference and why.
  if (showHtml(figureHtml(fig, { includePlotly: connection !== sentForConnection }) + creditHtml())) sentForConnection = connection;
}
