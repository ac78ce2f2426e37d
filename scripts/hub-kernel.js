#!/usr/bin/env node
// The course's kernel for a workspace that does not sit inside the course folder: a learner's
// home folder on a hub, beside a course installed read-only elsewhere (/opt/course).
//
// tslab compiles every cell as a file in the kernel's working directory (the notebook's folder)
// and runs it with a `require` rooted there, so both look for `course` and `@tensorflow/tfjs` in
// node_modules folders above the workspace, and there is none. This kernel points both at the
// course's own node_modules, without copying or linking it into the workspace:
//   - at run time, NODE_PATH (Node adds it after the node_modules of the parent chain), so a cell,
//     lib and the learner's exercises/ files all load the same module instances;
//   - at compile time, baseUrl <course>/node_modules with paths "*" → "*", "@types/*", and the
//     course's @types as type roots. TypeScript then also names those modules from baseUrl
//     ('fraction.js/fraction.mjs') in the declarations it emits between cells; without baseUrl it
//     can only write a relative path through node_modules and stops with TS2742 ("The inferred
//     type of 'exactBar' cannot be named without a reference to '../../…/node_modules/…'").
// Everything else is scripts/kernel.js, unchanged.
'use strict';
const path = require('path');
const Module = require('module');

const root = path.resolve(__dirname, '..');
const modules = path.join(root, 'node_modules');

process.env.NODE_PATH = [modules, process.env.NODE_PATH].filter(Boolean).join(path.delimiter);
Module._initPaths(); // Node reads NODE_PATH once at startup; read it again.

/** Compiler options that resolve bare imports and types from the course's node_modules. */
function courseResolution(options) {
  const typeRoots = [path.join(modules, '@types')];
  const { notebookTypes } = require('./tslab-types');
  return {
    ...options,
    baseUrl: modules,
    paths: { '*': ['*', '@types/*'] },
    typeRoots,
    // Test-only types stay hidden, as scripts/tslab-types.js does for the course folder.
    types: notebookTypes(typeRoots),
  };
}

/** Wrap tslab's TypeScript so every program it builds gets courseResolution (before tslab loads). */
function resolveFromCourse() {
  const id = require.resolve('@tslab/typescript-for-tslab', { paths: [require.resolve('tslab', { paths: [root] })] });
  require('./tslab-types').wrapCompilerOptions(id, courseResolution);
}

module.exports = { courseResolution, resolveFromCourse };

if (require.main === module) {
  resolveFromCourse();
  require('./kernel.js');
}
