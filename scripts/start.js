#!/usr/bin/env node
// `npm start`: Jupyter Notebook on notebooks/ with the course's TypeScript kernel.
'use strict';
const { spawn } = require('child_process');
const path = require('path');
const { root, courseConfig, jupyterEnv } = require('./env');

const { python } = courseConfig();
const port = process.env.PORT || '8888';
const args = ['-m', 'notebook', `--notebook-dir=${path.join(root, 'notebooks')}`, `--port=${port}`, '--ip=127.0.0.1'];
// On a headless machine (no display) do not try to open a browser.
if (!process.env.DISPLAY && process.platform === 'linux') args.push('--no-browser');
if (process.getuid && process.getuid() === 0) args.push('--allow-root');
args.push(...process.argv.slice(2));

console.log(`Starting Jupyter Notebook on notebooks/ (kernel "TypeScript (course)"); Ctrl-C stops it.`);
// stdin is not a terminal, so Jupyter stops on the first Ctrl-C instead of asking to confirm.
const child = spawn(python, args, { env: jupyterEnv(), stdio: ['ignore', 'inherit', 'inherit'] });
const forward = (sig) => () => child.kill(sig);
process.on('SIGINT', forward('SIGINT'));
process.on('SIGTERM', forward('SIGTERM'));
child.on('exit', (code, signal) => {
  console.log(`Jupyter stopped${signal ? ` (${signal})` : ''}.`);
  process.exit(code ?? 0);
});
