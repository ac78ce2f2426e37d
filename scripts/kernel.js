#!/usr/bin/env node
// The course's Jupyter kernel: tslab, plus a require hook (tsx) so that the
// TypeScript under lib/ and solutions/ loads at run time. Notebooks import the
// library as the package `course` (node_modules/course -> lib), which tslab's
// compiler treats as a library, not as a source under its rootDir (no TS6059).
// Test-only type packages (mocha's globals) are kept out of the notebooks' compile.
'use strict';
require('tsx/cjs');
require('./tslab-types').hideTestTypes();
require('tslab/dist/main.js').main();
