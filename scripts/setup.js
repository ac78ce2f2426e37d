#!/usr/bin/env node
// Runs after `npm install`: makes sure Jupyter (with nbconvert and nbclient) and
// Chromium are there, and registers the course's TypeScript kernel in a Jupyter
// data folder inside the project (.jupyter/), leaving the user's own folders alone.
'use strict';
const { execFileSync, spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');

// First of all: a Node.js that package.json's "engines" accepts. (.npmrc's engine-strict makes
// npm itself stop earlier; this line is for installs that skip that check.)
// COURSE_NODE_VERSION pretends another version (for the test of this message).
const found = (process.env.COURSE_NODE_VERSION || process.versions.node).replace(/^v/, '');
const needed = require(path.join(root, 'package.json')).engines.node;
if (!satisfies(found, needed)) {
  console.error(`[setup] The course needs Node.js ${needed}, found ${found}: install a newer Node.js (https://nodejs.org), then run npm install again.`);
  process.exit(1);
}

/** semver's range check for the forms "engines" uses: a || b, >=, >, <=, <, =, ^, ~ and x.y.z. */
function satisfies(version, range) {
  const parse = (v) => v.replace(/^[=v]+/, '').split('.').map((x) => parseInt(x, 10) || 0);
  const cmp = (a, b) => {
    for (let i = 0; i < 3; i++) if ((a[i] || 0) !== (b[i] || 0)) return (a[i] || 0) - (b[i] || 0);
    return 0;
  };
  const v = parse(version);
  const test = (c) => {
    const m = c.match(/^(>=|<=|>|<|=|\^|~)?\s*(.+)$/);
    const [op, w] = [m[1] || '=', parse(m[2])];
    const d = cmp(v, w);
    if (op === '>=') return d >= 0;
    if (op === '>') return d > 0;
    if (op === '<=') return d <= 0;
    if (op === '<') return d < 0;
    if (op === '^') return d >= 0 && v[0] === w[0];
    if (op === '~') return d >= 0 && v[0] === w[0] && v[1] === w[1];
    return d === 0;
  };
  return range.split('||').some((part) => part.trim().split(/\s+/).every(test));
}
const jupyterDir = path.join(root, '.jupyter');
const JUPYTER_DEBS = ['jupyter-notebook', 'jupyter-nbconvert', 'python3-nbclient', 'python3-ipykernel'];
const BROWSER_DEBS = ['chromium'];
const PY_MODULES = ['notebook', 'nbconvert', 'nbclient', 'ipykernel'];

function which(cmd) {
  const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

// The Python that runs `jupyter` (its shebang), then any python3 on PATH.
function pythonCandidates() {
  // COURSE_PYTHON names the Python to use (a path-separated list is tried in order).
  if (process.env.COURSE_PYTHON) return process.env.COURSE_PYTHON.split(path.delimiter);
  const out = [];
  const jupyter = which('jupyter');
  if (jupyter) {
    const first = fs.readFileSync(fs.realpathSync(jupyter), 'utf8').split('\n')[0];
    const m = first.match(/^#!\s*(\S+)(?:\s+(\S+))?/);
    if (m) out.push(m[1].endsWith('/env') && m[2] ? m[2] : m[1]);
  }
  for (const p of ['python3', '/usr/bin/python3']) if (!out.includes(p)) out.push(p);
  return out;
}

function findPython() {
  for (const py of pythonCandidates()) {
    const r = spawnSync(py, ['-c', `import ${PY_MODULES.join(', ')}`], { encoding: 'utf8' });
    if (r.status === 0) return which(py) || py;
  }
  return null;
}

function canApt() {
  if (process.env.COURSE_NO_APT) return false; // never install system packages
  return process.platform === 'linux' && process.getuid && process.getuid() === 0 && which('apt-get');
}

function aptInstall(pkgs) {
  console.log(`[setup] installing Debian packages: ${pkgs.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...pkgs], { stdio: 'inherit', env });
}

function stop(message) {
  console.error(`\n[setup] ${message}\n`);
  process.exit(1);
}

function ensureJupyter() {
  let py = findPython();
  if (py) return py;
  if (canApt()) {
    aptInstall(JUPYTER_DEBS);
    py = findPython();
    if (py) return py;
    stop('Jupyter was installed but its Python cannot import ' + PY_MODULES.join(', ') + '.');
  }
  const cmd = which('apt-get')
    ? `sudo apt-get install -y ${JUPYTER_DEBS.join(' ')}`
    : `python3 -m pip install --user notebook nbconvert nbclient ipykernel`;
  stop(`Jupyter (notebook, nbconvert, nbclient, ipykernel) was not found. Run this once, then npm install again:\n\n    ${cmd}`);
}

function findChromium() {
  return which('chromium') || which('chromium-browser') || which('google-chrome');
}

// Chromium is needed only by the site check in `npm test`; without it, say how to get it.
function ensureChromium() {
  let c = findChromium();
  if (c) return c;
  if (canApt()) {
    aptInstall(BROWSER_DEBS);
    c = findChromium();
  }
  if (!c) console.warn(`[setup] Chromium not found: the site check in npm test needs it. Run: sudo apt-get install -y chromium`);
  return c;
}

function registerKernel(python) {
  const kdir = path.join(jupyterDir, 'kernels', 'tslab');
  fs.mkdirSync(kdir, { recursive: true });
  const kernel = {
    argv: [process.execPath, path.join(root, 'scripts', 'kernel.js'), 'kernel', '--config-path', '{connection_file}'],
    display_name: 'TypeScript (course)',
    language: 'typescript',
  };
  fs.writeFileSync(path.join(kdir, 'kernel.json'), JSON.stringify(kernel, null, 2) + '\n');
  fs.writeFileSync(path.join(jupyterDir, 'course.json'), JSON.stringify({ python, chromium: findChromium() }, null, 2) + '\n');
  console.log(`[setup] kernel "tslab" registered in ${path.relative(root, kdir)} (python: ${python})`);
  require('./env').installPlotlyAsset();
}

if (process.env.COURSE_SKIP_SETUP) {
  console.log('[setup] skipped (COURSE_SKIP_SETUP is set)');
} else {
  const python = ensureJupyter();
  ensureChromium();
  registerKernel(python);
}
