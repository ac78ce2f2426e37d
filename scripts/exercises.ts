// `npm run exercises`: everything generated from solutions/, the one source of the exercises.
// In a solution file the learner's part sits between `// BEGIN SOLUTION` and `// END SOLUTION`
// inside a named, exported function. From each solution this writes:
//   exercises/<id>.ts          the stub for learners who prefer an editor (the marked part
//                              becomes `throw new Error('not implemented: <name>')`);
//   notebooks' exercise cells  the same stub in the chapter, in the cell whose
//                              metadata.exercise is the id (and the check cell after it);
//   lib/reference/             the reference implementations lib falls back on, compiled and
//                              minified (index.js) with their declarations (no bodies), so lib
//                              never imports solutions/ and the course can ship without it.
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

const ROOT = path.resolve(__dirname, '..');
export const SOLUTIONS = path.join(ROOT, 'solutions');
export const EXERCISES = path.join(ROOT, 'exercises');
export const REFERENCE = path.join(ROOT, 'lib', 'reference');
export const NOTEBOOKS = path.join(ROOT, 'notebooks');

const BEGIN = /^([ \t]*)\/\/ BEGIN SOLUTION\s*$/;
const END = /^[ \t]*\/\/ END SOLUTION\s*$/;
const HEADER = '// Generated from solutions/ by `npm run exercises`: write your code where it says TODO.\n';

/** The stub text of one solution file (without the header). */
function stubBody(source: string, file: string): string {
  const lines = source.split('\n');
  const out: string[] = [];
  let inside = false;
  let count = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const begin = line.match(BEGIN);
    if (begin) {
      if (inside) throw new Error(`${file}:${i + 1}: BEGIN SOLUTION inside another`);
      const name = enclosingFunction(lines, i);
      if (!name) throw new Error(`${file}:${i + 1}: BEGIN SOLUTION is not inside a named function`);
      out.push(`${begin[1]}// TODO: your code here`);
      out.push(`${begin[1]}throw new Error('not implemented: ${name}');`);
      inside = true;
      count++;
      continue;
    }
    if (END.test(line)) {
      if (!inside) throw new Error(`${file}:${i + 1}: END SOLUTION without BEGIN`);
      inside = false;
      continue;
    }
    if (!inside) out.push(line);
  }
  if (inside) throw new Error(`${file}: BEGIN SOLUTION is never closed`);
  if (count === 0) throw new Error(`${file}: no BEGIN SOLUTION / END SOLUTION markers`);
  return out.join('\n');
}

/** The stub file for exercises/. */
export function stubOf(source: string, file = '<source>'): string {
  return HEADER + stubBody(source, file);
}

/** The solution with its markers removed (the answer key's cells). */
export function solvedOf(source: string, file = '<source>'): string {
  stubBody(source, file); // same checks
  return source
    .split('\n')
    .filter((l) => !BEGIN.test(l) && !END.test(l))
    .join('\n');
}

/** The lines between the markers (what the learner writes), for leak checks. */
export function solutionLines(source: string): string[] {
  const out: string[] = [];
  let inside = false;
  for (const line of source.split('\n')) {
    if (BEGIN.test(line)) inside = true;
    else if (END.test(line)) inside = false;
    else if (inside) out.push(line);
  }
  return out;
}

function enclosingFunction(lines: string[], at: number): string | null {
  for (let i = at; i >= 0; i--) {
    const m = lines[i].match(/function\s+([A-Za-z_$][\w$]*)/) ?? lines[i].match(/(?:const|let)\s+([A-Za-z_$][\w$]*)\s*=\s*(?:\([^)]*\)|[A-Za-z_$][\w$]*)\s*(?::[^=]+)?=>/);
    if (m) return m[1];
  }
  return null;
}

/** The exported function that holds the learner's part: the exercise's function name. */
export function functionOf(source: string, file = '<source>'): string {
  const lines = source.split('\n');
  const at = lines.findIndex((l) => BEGIN.test(l));
  const name = at >= 0 ? enclosingFunction(lines, at) : null;
  if (!name) throw new Error(`${file}: no BEGIN SOLUTION inside a named function`);
  return name;
}

export function walk(dir: string, ext = '.ts'): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((e) => {
      const p = path.join(dir, e.name);
      return e.isDirectory() ? walk(p, ext) : e.name.endsWith(ext) ? [p] : [];
    });
}

export interface Solution {
  /** 'chapter/name' */
  id: string;
  fn: string;
  file: string;
  source: string;
}

/** Every solution under solutions/. */
export function solutions(dir = SOLUTIONS): Solution[] {
  return walk(dir).map((file) => {
    const id = path.relative(dir, file).replace(/\.ts$/, '').split(path.sep).join('/');
    const source = fs.readFileSync(file, 'utf8');
    return { id, fn: functionOf(source, file), file, source };
  });
}

// ---------------------------------------------------------------- exercises/

/** Every stub that `npm run exercises` would write, keyed by path relative to exercises/. */
export function expectedExercises(): Map<string, string> {
  const m = new Map<string, string>();
  for (const s of solutions()) m.set(`${s.id}.ts`, stubOf(s.source, path.relative(ROOT, s.file)));
  return m;
}

// ---------------------------------------------------------------- notebook cells

/** A solution (or stub) as a notebook cell: no `export`, lib imported as the package `course`. */
export function cellSource(id: string, fn: string, text: string): string {
  const body = text
    .replace(/^\/\/ Generated from solutions\/.*\n/, '')
    .replace(/from '\.\.\/\.\.\/lib\/([^']+)'/g, "from 'course/$1'")
    .replace(/^export (function|const|async function) /gm, '$1 ');
  return `// Exercise ${id}: write the body of ${fn}, then run the next cell to check it.\n${body.trim()}\n`;
}

export function checkCellSource(id: string, fn: string): string {
  return `import { check } from 'course/check';\nawait check('${id}', ${fn});\n`;
}

export interface NotebookCell {
  cell_type: string;
  id?: string;
  metadata: { exercise?: string; check?: string; [k: string]: unknown };
  source: string[] | string;
  outputs?: unknown[];
  execution_count?: number | null;
}
export interface Notebook {
  cells: NotebookCell[];
  metadata: Record<string, unknown>;
  nbformat: number;
  nbformat_minor: number;
}

export function sourceOf(c: NotebookCell): string {
  return Array.isArray(c.source) ? c.source.join('') : c.source;
}

function toLines(text: string): string[] {
  const t = text.replace(/\n$/, '');
  return t.split(/(?<=\n)/);
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') {
    const o: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) o[k] = sortKeys((v as Record<string, unknown>)[k]);
    return o;
  }
  return v;
}

/** Serialise as nbformat does (sorted keys, indent 1, trailing newline). */
export function notebookText(nb: Notebook): string {
  return JSON.stringify(sortKeys(nb), null, 1) + '\n';
}

export function readNotebook(file: string): Notebook {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as Notebook;
}

/**
 * The notebook with its exercise cells (metadata.exercise) rewritten from the solutions, stubbed
 * or solved, and each followed by its check cell (metadata.check). Other cells are left alone.
 */
export function withExerciseCells(nb: Notebook, byId: Map<string, Solution>, solved: boolean, file = '<notebook>'): Notebook {
  const cells: NotebookCell[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < nb.cells.length; i++) {
    const c = nb.cells[i];
    if (c.metadata?.check) continue; // regenerated after its exercise cell
    const id = c.metadata?.exercise;
    if (!id) {
      cells.push(c);
      continue;
    }
    const s = byId.get(id);
    if (!s) throw new Error(`${file}: cell ${i} names exercise "${id}", which has no solution in solutions/`);
    if (seen.has(id)) throw new Error(`${file}: exercise "${id}" appears twice`);
    seen.add(id);
    const text = solved ? solvedOf(s.source, s.file) : stubBody(s.source, s.file);
    cells.push({ ...c, cell_type: 'code', source: toLines(cellSource(id, s.fn, text)), outputs: [], execution_count: null });
    const next = nb.cells[i + 1];
    const checkId = next?.metadata?.check === id ? next.id : `${c.id ?? `x${i}`}-check`;
    cells.push({ cell_type: 'code', id: checkId, metadata: { check: id }, source: toLines(checkCellSource(id, s.fn)), outputs: [], execution_count: null });
  }
  return { ...nb, cells };
}

/** The chapters: notebooks/NN-*.ipynb (not subfolders, where tests put temporary copies). */
export function chapterNotebooks(dir = NOTEBOOKS): string[] {
  return fs.readdirSync(dir).filter((f) => /^\d\d-.*\.ipynb$/.test(f)).sort().map((f) => path.join(dir, f));
}

/** Notebook files (relative to notebooks/) whose exercise cells are out of date, with the text they should have. */
export function expectedNotebooks(dir = NOTEBOOKS, solved = false): Map<string, string> {
  const byId = new Map(solutions().map((s) => [s.id, s]));
  const m = new Map<string, string>();
  for (const f of chapterNotebooks(dir)) {
    m.set(path.relative(dir, f), notebookText(withExerciseCells(readNotebook(f), byId, solved, path.relative(ROOT, f))));
  }
  return m;
}

/** Exercise ids per notebook, in order: { '03-ddpm.ipynb': ['diffusion/ddpmStep', ...] }. */
export function exercisesByNotebook(dir = NOTEBOOKS): Map<string, string[]> {
  const m = new Map<string, string[]>();
  for (const f of chapterNotebooks(dir)) {
    const ids = readNotebook(f).cells.map((c) => c.metadata?.exercise).filter((x): x is string => !!x);
    m.set(path.basename(f), ids);
  }
  return m;
}

// ---------------------------------------------------------------- lib/reference

/** The declarations of one solution: signatures and doc comments, no bodies. */
function declarationOf(s: Solution): string {
  const out = ts.transpileDeclaration(s.source, { fileName: s.file, compilerOptions: { declaration: true, target: ts.ScriptTarget.ES2022 } });
  const errors = (out.diagnostics ?? []).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  if (errors.length) throw new Error(`${s.file}: cannot declare: ${errors.join('; ')}`);
  return out.outputText.replace(/from '\.\.\/\.\.\/lib\/([^']+)'/g, "from '../../$1'");
}

const REF_HEADER = '// Generated by `npm run exercises` from the reference solutions (compiled and minified: lib runs the reference without shipping its source).\n';

/**
 * The bundle of reference functions as lib/reference/index.js holds it: base64 text, run once
 * when lib first needs a reference. It is no secret (a learner who decodes it has it), but a
 * search of the file for "ddpmStep:" or a glance at it shows no solution. Each exported
 * function is a bound copy, so `toString()` prints "function () { [native code] }", not its
 * body. The packages and lib modules the bundle needs are required by name in the open, so a
 * bundler (the live site's esbuild) still sees and includes them.
 */
function wrapReference(bundle: string): string {
  const deps = [...new Set([...bundle.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]))].sort();
  const cases = deps.map((d) => `case ${JSON.stringify(d)}:return require(${JSON.stringify(d)});`).join('');
  const b64 = Buffer.from(bundle, 'utf8').toString('base64');
  const lines = b64.match(/.{1,100}/g) ?? [];
  return [
    '"use strict";',
    `const need=(id)=>{switch(id){${cases}}throw new Error("lib/reference: unexpected module "+id)};`,
    'const text=new TextDecoder().decode(Uint8Array.from(atob(src()),(c)=>c.charCodeAt(0)));',
    'new Function("require","module","exports",text)(need,module,exports);',
    `function src(){return ${JSON.stringify('')}+`,
    lines.map((l) => JSON.stringify(l)).join('+\n') + '}',
    '',
  ].join('\n');
}

/** Files of lib/reference/, keyed by path relative to it. */
export function expectedReference(): Map<string, string> {
  const esbuild = require('esbuild') as typeof import('esbuild');
  const sols = solutions();
  const m = new Map<string, string>();
  const byId = `export const byId = { ${sols.map((s) => `'${s.id}': ${s.fn}`).join(', ')} };\n`;
  // A bound copy prints no body; it keeps the name messages use ("your ddpmStep").
  const hide = 'const hide = <F extends Function>(f: F): F => Object.defineProperty(f.bind(undefined), \'name\', { value: f.name }) as F;\n';
  const result = esbuild.buildSync({
    stdin: {
      contents: sols.map((s) => `import { ${s.fn} as ${s.fn}$ } from './${path.relative(ROOT, s.file).replace(/\.ts$/, '').split(path.sep).join('/')}';`).join('\n') +
        '\n' + hide + sols.map((s) => `export const ${s.fn} = hide(${s.fn}$);`).join('\n') + '\n' + byId,
      resolveDir: ROOT,
      sourcefile: 'reference-entry.ts',
      loader: 'ts',
    },
    bundle: true,
    minify: true,
    keepNames: true, // messages say 'your ddpmStep', not 'your k'
    format: 'cjs',
    platform: 'node',
    target: 'es2022',
    write: false,
    legalComments: 'none',
    // lib's own helpers stay lib's (one copy of every module, e.g. the wasm heap): the path
    // '../../lib/x' is the same from solutions/<chapter>/ and from lib/reference/.
    external: ['@tensorflow/*', '../../lib/*'],
  });
  m.set('index.js', REF_HEADER + wrapReference(result.outputFiles[0].text));
  const decl: string[] = [REF_HEADER.replace(' (compiled and minified: lib runs the reference without shipping its source)', ': the reference functions\' declarations')];
  for (const s of sols) {
    m.set(`${s.id}.d.ts`, REF_HEADER.replace(/ \(compiled.*\)/, '') + declarationOf(s));
    decl.push(`export { ${s.fn} } from './${s.id}';`);
  }
  decl.push(`/** Each exercise's reference function, by exercise id. */`);
  decl.push(`export declare const byId: {\n${sols.map((s) => `  '${s.id}': typeof import('./${s.id}').${s.fn};`).join('\n')}\n};`);
  m.set('index.d.ts', decl.join('\n') + '\n');
  return m;
}

// ---------------------------------------------------------------- lib/exercise/ids.ts

export const IDS = path.join(ROOT, 'lib', 'exercise', 'ids.ts');

/**
 * Every exercise id with the function the learner writes, apart from the reference: the
 * grader's sandbox holds lib without lib/reference, and lib still knows its exercises there.
 */
export function expectedIds(): string {
  const sols = solutions();
  return [
    '// Generated by `npm run exercises` from the reference solutions: every exercise id and the function the learner writes',
    '// (kept apart from lib/reference, which the grader\'s sandbox does not hold).',
    'export const EXERCISE_FUNCTIONS = {',
    ...sols.map((s) => `  '${s.id}': '${s.fn}',`),
    '} as const;',
    '',
  ].join('\n');
}

// ---------------------------------------------------------------- staleness and writing

function staleIn(dir: string, want: Map<string, string>, ext: string[]): string[] {
  const stale: string[] = [];
  for (const [rel, text] of want) {
    const f = path.join(dir, rel);
    if (!fs.existsSync(f) || fs.readFileSync(f, 'utf8') !== text) stale.push(path.relative(ROOT, f));
  }
  for (const e of ext) {
    for (const f of walk(dir, e)) if (!want.has(path.relative(dir, f))) stale.push(path.relative(ROOT, f));
  }
  return stale;
}

/** Generated files that differ from (or are missing against, or extra to) what solutions/ generates. */
export function staleExercises(): string[] {
  return [
    ...staleIn(EXERCISES, expectedExercises(), ['.ts']),
    ...staleIn(REFERENCE, expectedReference(), ['.js', '.d.ts']),
    ...(fs.existsSync(IDS) && fs.readFileSync(IDS, 'utf8') === expectedIds() ? [] : [path.relative(ROOT, IDS)]),
    ...[...expectedNotebooks()].filter(([rel, text]) => fs.readFileSync(path.join(NOTEBOOKS, rel), 'utf8') !== text).map(([rel]) => `notebooks/${rel}`),
  ].sort();
}

function writeAll(dir: string, want: Map<string, string>, ext: string[]) {
  for (const e of ext) for (const f of walk(dir, e)) if (!want.has(path.relative(dir, f))) fs.unlinkSync(f);
  for (const [rel, text] of want) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
}

export function generate(): { exercises: number; reference: number; notebooks: number } {
  const ex = expectedExercises();
  writeAll(EXERCISES, ex, ['.ts']);
  const ref = expectedReference();
  writeAll(REFERENCE, ref, ['.js', '.d.ts']);
  fs.writeFileSync(IDS, expectedIds());
  const nbs = expectedNotebooks();
  let changed = 0;
  for (const [rel, text] of nbs) {
    const f = path.join(NOTEBOOKS, rel);
    if (fs.readFileSync(f, 'utf8') !== text) {
      fs.writeFileSync(f, text);
      changed++;
    }
  }
  return { exercises: ex.size, reference: ref.size, notebooks: changed };
}

if (require.main === module) {
  const r = generate();
  console.log(`exercises: wrote ${r.exercises} stub(s) to exercises/, ${r.reference} file(s) to lib/reference/, updated ${r.notebooks} notebook(s)`);
}
