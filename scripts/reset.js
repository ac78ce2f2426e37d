#!/usr/bin/env node
// `npm run reset -- <notebook|all>`: put the course's version of a notebook (03, 03-ddpm,
// 03-ddpm.ipynb) or of all of them back into the workspace. The learner's copy is kept
// in <workspace>/backup/<time>/ first (a folder Jupyter lists, so it opens from there). Close
// the notebook's tab before, or its autosave writes the old version back.
'use strict';
const path = require('path');
const { root } = require('./env');
const { resetWorkspace } = require('./workspace');

const targets = process.argv.slice(2);
if (targets.length === 0) {
  console.error('usage: npm run reset -- <notebook|all>   e.g. npm run reset -- 03   or   npm run reset -- all');
  process.exit(2);
}
try {
  for (const t of targets) {
    const r = resetWorkspace(t);
    const rel = (p) => path.relative(root, p);
    console.log(`Restored the course's version of ${r.restored.join(', ')} in ${rel(r.dir)}/` + (r.backup ? `; your copy is in ${rel(r.backup)}/ (in Jupyter: ${path.relative(r.dir, r.backup)}/)` : ''));
  }
} catch (e) {
  console.error(e.message);
  process.exit(1);
}
