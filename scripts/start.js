#!/usr/bin/env node
// `npm start`: Jupyter Notebook on the learner's workspace (work/, ignored by git) with the
// course's TypeScript kernel. The workspace is filled from notebooks/ on first start; later
// starts copy only chapters it lacks, so the learner's edits and outputs are never overwritten
// and never dirty the course's tracked files.
'use strict';
const { spawn } = require('child_process');
const path = require('path');
const { root, courseConfig, jupyterEnv, installPlotlyAsset } = require('./env');
const { syncWorkspace, BACKUP } = require('./workspace');

const { python } = courseConfig();
installPlotlyAsset();
const { dir, copied, updatedInCourse } = syncWorkspace();
const rel = path.relative(root, dir) || '.';
if (copied.length) console.log(`Copied into your workspace ${rel}/: ${copied.join(', ')}`);
for (const name of updatedInCourse) {
  console.log(`The course's ${name} changed since you copied it; \`npm run reset -- ${name.slice(0, 2)}\` takes the new version (yours is kept in ${path.relative(root, path.join(dir, BACKUP))}/).`);
}
const port = process.env.PORT || '8888';
const args = ['-m', 'notebook', `--notebook-dir=${dir}`, `--port=${port}`, '--ip=127.0.0.1'];
// On a headless machine (no display) do not try to open a browser.
if (!process.env.DISPLAY && process.platform === 'linux') args.push('--no-browser');
if (process.getuid && process.getuid() === 0) args.push('--allow-root');
args.push(...process.argv.slice(2));

console.log(`Starting Jupyter Notebook on your workspace ${rel}/ (kernel "TypeScript (course)"; start at index.ipynb); Ctrl-C stops it.`);
// stdin is not a terminal, so Jupyter stops on the first Ctrl-C instead of asking to confirm.
const child = spawn(python, args, { env: jupyterEnv(), stdio: ['ignore', 'inherit', 'inherit'] });
const forward = (sig) => () => child.kill(sig);
process.on('SIGINT', forward('SIGINT'));
process.on('SIGTERM', forward('SIGTERM'));
child.on('exit', (code, signal) => {
  console.log(`Jupyter stopped${signal ? ` (${signal})` : ''}.`);
  process.exit(code ?? 0);
});
