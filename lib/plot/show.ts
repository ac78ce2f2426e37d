// Display a figure from tslab as HTML: a div plus a script that draws it with
// the global Plotly. The first plot of a kernel session also carries plotly.js
// itself (inline, ~1.5 MB), so it renders in classic Notebook, JupyterLab,
// VS Code and nbconvert's HTML alike; later plots wait for window.Plotly.
import * as fs from 'fs';
import { Figure } from './figure';
import { showHtml } from '../notebook';
import { creditHtml } from '../exercise/credit';

let plotlyShown = false;
let plotlySource: string | undefined;
let counter = 0;

/** The plotly.js bundle the course ships (cartesian traces, minified). */
export function plotlyJs(): string {
  if (!plotlySource) {
    const file = require.resolve('plotly.js-cartesian-dist-min');
    // A literal "</script" inside the bundle would end the inline script early.
    plotlySource = fs.readFileSync(file, 'utf8').replace(/<\/script/gi, '<\\/script');
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

/** The HTML of one plot: a div and the script that draws it (errors are written into the div). */
export function figureHtml(fig: Figure, opts: { includePlotly?: boolean } = {}): string {
  const id = `course-plot-${process.pid}-${Date.now().toString(36)}-${counter++}`;
  const lib = opts.includePlotly ? `<script type="text/javascript">${plotlyJs()}</script>\n` : '';
  const config = { responsive: false, displaylogo: false };
  return (
    lib +
    `<div id="${id}" class="course-plot"></div>\n<script type="text/javascript">\n(function () {\n` +
    `  var el = document.getElementById(${JSON.stringify(id)}), tries = 0;\n` +
    `  var fig = ${compactJson({ ...fig, config })};\n` +
    `  function fail(e) { el.className += ' course-plot-error'; el.textContent = 'plot error: ' + e; }\n` +
    `  function draw() {\n` +
    `    if (!window.Plotly) { if (++tries > 400) return fail('plotly.js did not load'); return setTimeout(draw, 25); }\n` +
    `    try { window.Plotly.newPlot(el, fig).catch(fail); } catch (e) { fail(e); }\n` +
    `  }\n  draw();\n})();\n</script>`
  );
}

/**
 * Show a figure in the notebook (returns nothing, so the cell prints no JSON).
 * Outside a kernel it does nothing.
 */
export function show(fig: Figure): void {
  // The caption says whose exercise code drew it: the learner's, or the reference and why.
  if (showHtml(figureHtml(fig, { includePlotly: !plotlyShown }) + creditHtml())) plotlyShown = true;
}
