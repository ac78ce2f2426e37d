// Shared by the course's scripts: the project-local Jupyter folder and its Python.
'use strict';
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const jupyterDir = path.join(root, '.jupyter');

function courseConfig() {
  const file = path.join(jupyterDir, 'course.json');
  if (!fs.existsSync(file) || !fs.existsSync(path.join(jupyterDir, 'kernels', 'tslab', 'kernel.json'))) {
    throw new Error('The course kernel is not registered yet: run `npm install` (it runs scripts/setup.js).');
  }
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

/** Environment for Jupyter processes: our kernel folder first, the user's folders untouched. */
function jupyterEnv(extra = {}) {
  const prev = process.env.JUPYTER_PATH;
  return { ...process.env, JUPYTER_PATH: prev ? `${jupyterDir}${path.delimiter}${prev}` : jupyterDir, ...extra };
}

/** The notebooks of the course, in order. */
function notebooks() {
  const dir = path.join(root, 'notebooks');
  return fs
    .readdirSync(dir)
    .filter((f) => /^\d\d-.*\.ipynb$/.test(f))
    .sort()
    .map((f) => path.join(dir, f));
}

/**
 * plotly.js where the Jupyter server serves it (<base>/nbextensions/course/plotly.min.js):
 * a plot whose page lacks Plotly (outputs cleared, page reloaded) loads it from there.
 */
function installPlotlyAsset() {
  const src = require.resolve('plotly.js-cartesian-dist-min', { paths: [root] });
  const dst = path.join(jupyterDir, 'nbextensions', 'course', 'plotly.min.js');
  if (fs.existsSync(dst) && fs.statSync(dst).size === fs.statSync(src).size) return dst;
  fs.mkdirSync(path.dirname(dst), { recursive: true });
  fs.copyFileSync(src, dst);
  return dst;
}

module.exports = { root, jupyterDir, courseConfig, jupyterEnv, notebooks, installPlotlyAsset };
