#!/usr/bin/env node
// Register the course for every user of a machine or image (a hub): the kernel "tslab"
// (scripts/hub-kernel.js, which resolves `course` from this course folder wherever the
// learner's workspace is) and plotly.js for plots that reload, in <prefix>/share/jupyter,
// a folder every Jupyter searches (/usr/local by default). `npm start` keeps using the
// project-local .jupyter/ that scripts/setup.js writes; this never touches it.
//   node scripts/hub-install.js [--prefix /usr/local]
'use strict';
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');

function hubInstall(prefix = '/usr/local', node = process.execPath) {
  const data = path.join(prefix, 'share', 'jupyter');
  const kdir = path.join(data, 'kernels', 'tslab');
  fs.mkdirSync(kdir, { recursive: true });
  const kernel = {
    argv: [node, path.join(root, 'scripts', 'hub-kernel.js'), 'kernel', '--config-path', '{connection_file}'],
    display_name: 'TypeScript (course)',
    language: 'typescript',
  };
  fs.writeFileSync(path.join(kdir, 'kernel.json'), JSON.stringify(kernel, null, 2) + '\n');
  const plotly = require.resolve('plotly.js-cartesian-dist-min', { paths: [root] });
  const pdir = path.join(data, 'nbextensions', 'course');
  fs.mkdirSync(pdir, { recursive: true });
  fs.copyFileSync(plotly, path.join(pdir, 'plotly.min.js'));
  return { data, kernel: path.join(kdir, 'kernel.json') };
}

module.exports = { hubInstall };

if (require.main === module) {
  const i = process.argv.indexOf('--prefix');
  const prefix = i >= 0 ? process.argv[i + 1] : '/usr/local';
  if (!prefix) {
    console.error('usage: node scripts/hub-install.js [--prefix DIR]');
    process.exit(2);
  }
  const r = hubInstall(path.resolve(prefix));
  console.log(`[hub-install] kernel "tslab" (TypeScript (course)) in ${r.kernel}; plotly.js in ${path.join(r.data, 'nbextensions', 'course')}`);
}
