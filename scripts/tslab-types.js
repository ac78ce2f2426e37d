// tslab compiles each cell with its own options (tsconfig.json is ignored) and, like tsc
// without "types", includes every package under node_modules/@types as globals. That makes
// mocha's globals (setup, suite, test, before, …) visible in notebooks: a cell that uses the
// chapter's `setup` before the cell defining it ran then fails with errors about mocha's
// HookFunction instead of "Cannot find name 'setup'". This hides test-only type packages by
// giving tslab's compiler an explicit "types" list: every @types package but those.
'use strict';
const fs = require('fs');
const path = require('path');

/** @types packages that only the tests use. */
const TEST_ONLY_TYPES = ['mocha'];

/** The packages in these type roots, less the test-only ones. */
function notebookTypes(typeRoots) {
  const names = new Set();
  for (const dir of typeRoots || []) {
    let entries = [];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const e of entries) {
      if (e.name.startsWith('.')) continue;
      if (e.name.startsWith('@')) {
        // Scoped type packages: @types/@scope/x is unusual, but list them as the compiler would.
        for (const s of fs.readdirSync(path.join(dir, e.name))) names.add(`${e.name}/${s}`);
      } else names.add(e.name);
    }
  }
  for (const t of TEST_ONLY_TYPES) names.delete(t);
  return [...names].sort();
}

/**
 * Make tslab's compiler leave test-only @types out of every program it builds. The
 * TypeScript module's exports are read-only getters, so tslab gets a copy of them whose
 * createWatchCompilerHost adds an explicit "types" list. Call it before tslab loads.
 */
function hideTestTypes() {
  const id = require.resolve('@tslab/typescript-for-tslab', { paths: [require.resolve('tslab')] });
  if (require.cache[require.resolve('tslab/dist/converter')]) throw new Error('hideTestTypes: call it before tslab is loaded');
  wrapCompilerOptions(id, (options) => (options && !options.types ? { ...options, types: notebookTypes(options.typeRoots) } : options));
}

/**
 * Replace the cached module `id` (tslab's TypeScript) by one whose createWatchCompilerHost passes
 * every program's options through `transform` first; tslab must not have loaded it yet.
 */
function wrapCompilerOptions(id, transform) {
  const ts = require(id);
  const wrapped = {};
  for (const key of Object.keys(ts)) {
    if (key === 'createWatchCompilerHost') continue;
    Object.defineProperty(wrapped, key, { enumerable: true, get: () => ts[key] });
  }
  const original = ts.createWatchCompilerHost;
  Object.defineProperty(wrapped, 'createWatchCompilerHost', {
    enumerable: true,
    value(rootFiles, options, ...rest) {
      return original.call(ts, rootFiles, transform(options), ...rest);
    },
  });
  require.cache[id].exports = wrapped;
}

/**
 * Folders whose TypeScript the kernel does not diagnose again in every cell: the course's own
 * library. tslab asks for the diagnostics of a cell and of every .ts file it imports, through a
 * program rebuilt for each cell, so a cell that imports `course/check` type-checked some 70 files of
 * lib (1–4 s a cell, 3–6 s of every chapter's Run All). lib is type-checked under tslab's own
 * compiler and options by test/foundation/tslab-compile.test.ts (and by `npm test`'s tsc); cells are
 * still checked in full, against lib's types.
 */
const LIBRARY_DIRS = [path.resolve(__dirname, '..', 'lib')];

/** True when `fileName` lies in one of `dirs` (as TypeScript names files: resolved, '/' separators). */
function insideAny(fileName, dirs) {
  const f = path.resolve(fileName);
  return dirs.some((d) => f === d || f.startsWith(d + path.sep));
}

/**
 * Make tslab report diagnostics for its cells (and the learner's own .ts files they import) but not
 * for files in `dirs` (default: the course's lib). Call it before tslab is loaded.
 */
function skipLibraryDiagnostics(dirs = LIBRARY_DIRS) {
  const id = require.resolve('@tslab/typescript-for-tslab', { paths: [require.resolve('tslab')] });
  if (require.cache[require.resolve('tslab/dist/converter')]) throw new Error('skipLibraryDiagnostics: call it before tslab is loaded');
  const real = dirs.map((d) => (fs.existsSync(d) ? fs.realpathSync(d) : path.resolve(d)));
  const ts = require(id);
  const original = ts.getPreEmitDiagnosticsOfFiles;
  replaceExport(id, 'getPreEmitDiagnosticsOfFiles', function (program, sourceFiles, ...rest) {
    return original.call(ts, program, sourceFiles.filter((f) => !insideAny(f.fileName, real)), ...rest);
  });
}

/** Replace one export of the cached module `id` by `value` (a module's exports may be read-only getters). */
function replaceExport(id, name, value) {
  const mod = require(id);
  const copy = {};
  for (const key of Object.keys(mod)) {
    if (key === name) continue;
    Object.defineProperty(copy, key, { enumerable: true, get: () => mod[key] });
  }
  Object.defineProperty(copy, name, { enumerable: true, value });
  require.cache[id].exports = copy;
}

/** The hint added to "Cannot find name 'x'" in a notebook (TS2304, TS2552). */
const hintFor = (name) => ` If an earlier cell defines '${name}', run the cells above this one first (Cell > Run All Above).`;

/**
 * Cells run out of order fail on names an earlier cell defines: say so in the message.
 * Patches tslab's converter (call before tslab's main runs).
 */
function hintUndefinedNames() {
  const converter = require('tslab/dist/converter');
  const create = converter.createConverter;
  converter.createConverter = function (...args) {
    const conv = create.apply(this, args);
    const convert = conv.convert;
    conv.convert = function (...cargs) {
      const r = convert.apply(this, cargs);
      for (const d of r.diagnostics || []) {
        const m = (d.code === 2304 || d.code === 2552) && typeof d.messageText === 'string' && d.messageText.match(/^Cannot find name '([^']+)'/);
        if (m) d.messageText += hintFor(m[1]);
      }
      return r;
    };
    return conv;
  };
}

module.exports = { hideTestTypes, hintUndefinedNames, notebookTypes, wrapCompilerOptions, skipLibraryDiagnostics, insideAny, LIBRARY_DIRS, TEST_ONLY_TYPES };
