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
import { Figure, MODEBAR_PX, PLOT_CONFIG, logTicks, placeTitle } from './figure';
import { SUBPLOT_TITLE } from './subplots';
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
 * laptop screen). A plain figure keeps its plot area's aspect (height scaled alike). A grid of
 * subplots (fig.grid) shrinks only its plot areas: the room for tick labels, axis titles and
 * subplot titles stays as many pixels as it was, so a row's x-axis label does not run into the
 * next row's titles, and the subplot titles are wrapped again to the narrower cells. The title
 * is wrapped again to the new width, as lib/plot's titleLayout wraps it (16 px font, 22 px lines).
 */
export const FIT_WIDTH = `function courseWrap(text, width, size) {
  var per = Math.max(8, Math.floor(width / (0.55 * size))), lines = [];
  text.split('<br>').join(' ').split(/\\s+/).forEach(function (w) {
    if (!w) return;
    var last = lines.length - 1;
    if (last >= 0 && lines[last].length + 1 + w.length <= per) lines[last] += ' ' + w; else lines.push(w);
  });
  return lines;
}
function courseFitWidth(el, fig) {
  var L = fig.layout || {}, box = el.parentNode;
  var avail = box ? box.clientWidth - 8 : 0;
  if (!(avail >= 240 && typeof L.width === 'number' && L.width > avail)) return;
  var f = avail / L.width, m = L.margin || {}, t = m.t || 0, b = m.b || 0;
  if (!(fig.grid && courseFitGrid(fig, avail))) {
    L.width = avail;
    if (typeof L.height === 'number') L.height = Math.round(t + b + (L.height - t - b) * f);
  }
  var T = L.title;
  if (T && typeof T.text === 'string' && T.yref === 'container') {
    var lines = courseWrap(T.text, avail - 20, 16);
    var extra = (lines.length - T.text.split('<br>').length) * 22;
    T.text = lines.join('<br>');
    if (extra > 0) { m.t = t + extra; L.margin = m; if (typeof L.height === 'number') L.height += extra; }
    if (typeof L.height === 'number' && T.yanchor === 'bottom') T.y = 1 - (${MODEBAR_PX} + 22) / L.height;
  }
}`;

/** Browser JavaScript (ES5): the part of FIT_WIDTH for grids of subplots, sent only with a grid. */
export const FIT_GRID = `function courseFitGrid(fig, avail) {
  var L = fig.layout, G = fig.grid, m = L.margin || {}, P = G.pad;
  var cols = G.cols, rows = G.rows, cw = G.cw, ch = G.ch, top = G.top;
  var cw2 = (avail - (m.l || 0) - (m.r || 0)) / cols;
  var fx = (cw2 - P.left - P.right) / (cw - P.left - P.right);
  if (!(fx > 0.3)) return false;
  var most = 1;
  (L.annotations || []).forEach(function (a) {
    if (a.name !== ${JSON.stringify(SUBPLOT_TITLE)} || typeof a.text !== 'string') return;
    var lines = courseWrap(a.text, cw2 - P.left + P.right, 13);
    a.text = lines.join('<br>');
    if (lines.length > most) most = lines.length;
  });
  var top2 = Math.max(top, 12 + 17 * most), ch2 = top2 + P.bottom + (ch - top - P.bottom) * fx;
  var W = cols * cw, H = rows * ch, W2 = cols * cw2, H2 = rows * ch2;
  function mx(x) {
    var px = x * W, c = Math.min(cols - 1, Math.max(0, Math.floor(px / cw))), o = px - c * cw;
    var o2 = o <= P.left ? o : o >= cw - P.right ? cw2 - (cw - o) : P.left + (o - P.left) * fx;
    return (c * cw2 + o2) / W2;
  }
  function my(y) {
    var py = (1 - y) * H, r = Math.min(rows - 1, Math.max(0, Math.floor(py / ch))), o = py - r * ch;
    var o2 = o <= top ? (o * top2) / top : o >= ch - P.bottom ? ch2 - (ch - o) : top2 + (o - top) * fx;
    return 1 - (r * ch2 + o2) / H2;
  }
  Object.keys(L).forEach(function (k) {
    var a = L[k];
    if (!/^[xy]axis\\d*$/.test(k) || !a || !a.domain) return;
    a.domain = k[0] === 'x' ? [mx(a.domain[0]), mx(a.domain[1])] : [my(a.domain[0]), my(a.domain[1])];
  });
  (L.annotations || []).forEach(function (a) {
    if (a.xref === 'paper' && typeof a.x === 'number') a.x = mx(a.x);
    if (a.yref === 'paper' && typeof a.y === 'number') a.y = my(a.y);
  });
  (fig.data || []).forEach(function (t) {
    var cb = t.colorbar;
    if (!cb) return;
    if (typeof cb.x === 'number') cb.x = mx(cb.x);
    if (typeof cb.y === 'number' && typeof cb.len === 'number') {
      var y0 = my(cb.y - cb.len / 2), y1 = my(cb.y + cb.len / 2);
      cb.y = (y0 + y1) / 2; cb.len = y1 - y0;
    }
  });
  L.width = avail;
  L.height = Math.round((m.t || 0) + (m.b || 0) + H2);
  return true;
}`;

/** The HTML of one plot: a div and the script that draws it (errors are written into the div). */
export function figureHtml(fig: Figure, opts: { includePlotly?: boolean } = {}): string {
  const id = `course-plot-${process.pid}-${Date.now().toString(36)}-${counter++}`;
  const lib = opts.includePlotly ? `<script type="text/javascript">${plotlyJs()}</script>\n` : '';
  return (
    lib +
    `<div id="${id}" class="course-plot"></div>\n<script type="text/javascript">\n(function () {\n` +
    `  var el = document.getElementById(${JSON.stringify(id)});\n` +
    `  var fig = ${compactJson({ ...placeLegend(logTicks(fig)), config: PLOT_CONFIG })};\n` +
    `  function fail(e) { el.className += ' course-plot-error'; el.textContent = 'plot error: ' + e; }\n` +
    `  ${(fig.grid ? `${FIT_GRID}\n${FIT_WIDTH}` : FIT_WIDTH).replace(/\n/g, '\n  ')}\n` +
    `  function draw() { try { courseFitWidth(el, fig); window.Plotly.newPlot(el, fig).catch(fail); } catch (e) { fail(e); } }\n` +
    `  ${PLOTLY_LOADER.replace(/\n/g, '\n  ')}\n` +
    `  coursePlotly(draw, fail);\n})();\n</script>`
  );
}

/**
 * Show a figure in the notebook (returns nothing, so the cell prints no JSON).
 * Outside a kernel it does nothing. `credit` names the exercises that drew it, when the cell also
 * ran others to measure it (default: every exercise that ran, as lib/exercise/credit filters them).
 */
export function show(fig: Figure, opts: { credit?: string[] } = {}): void {
  const connection = frontendConnections();
  // The caption says whose exercise code drew it: the learner's, or the reference and why.
  if (showHtml(figureHtml(fig, { includePlotly: connection !== sentForConnection }) + creditHtml(opts.credit))) sentForConnection = connection;
}
