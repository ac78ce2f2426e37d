// What a submission holds: for each exercise, the module to grade (TypeScript source) or the
// reason there is none. A submission is a folder laid out like exercises/ (.ts files), a
// notebook (.ipynb), or a folder mixing both; a .zip of any of these is unpacked first.
// From a notebook only the exercise cells count (by metadata.exercise); every other cell is
// ignored, so a learner cannot add tests or change what a check cell does.
import * as fs from 'fs';
import * as path from 'path';
import { walk } from './walk';
import { ROOT } from './specs';

export interface Submission {
  /** Module source per exercise id. */
  modules: Map<string, string>;
  /** Why an exercise gets 0 without running (missing, deleted or duplicated cell…). */
  problems: Map<string, string>;
  /** Said about the submission as a whole (ignored files, notebooks that did not parse). */
  notes: string[];
  /** The course chapters (notebook file names) whose notebooks it holds. */
  chapters: string[];
  /**
   * When it is chapter notebooks only (no exercise .ts file): the exercises those chapters hold,
   * which is what it is graded on unless --only or --all says otherwise. null otherwise.
   */
  scope: string[] | null;
}

const MAX_TS = 1024 * 1024;
const MAX_NOTEBOOK = 20 * 1024 * 1024;
const MAX_FILES = 5000;

/** The exercise ids of each of the course's notebooks, by file name (e.g. '03-ddpm.ipynb'). */
export function courseNotebooks(dir = path.join(ROOT, 'notebooks')): Map<string, string[]> {
  const m = new Map<string, string[]>();
  if (!fs.existsSync(dir)) return m;
  for (const f of fs.readdirSync(dir).filter((x) => x.endsWith('.ipynb')).sort()) {
    try {
      const nb = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'));
      m.set(f, (nb.cells ?? []).map((c: { metadata?: { exercise?: unknown } }) => c.metadata?.exercise).filter((x: unknown): x is string => typeof x === 'string'));
    } catch {}
  }
  return m;
}

/**
 * The course notebook a learner's notebook is a copy of: its own name ('03-ddpm.ipynb'), or a
 * name holding the chapter's ('alice_03-ddpm.ipynb', '03-ddpm (1).ipynb', as course platforms
 * and browsers rename downloads). null for any other notebook.
 */
export function chapterOf(file: string, course: Map<string, string[]>): string | null {
  const name = path.basename(file);
  if (course.has(name)) return name;
  const hits = [...course.keys()].filter((c) => name.includes(c.replace(/\.ipynb$/, '')));
  return hits.length === 1 ? hits[0] : null;
}

/** A notebook exercise cell as a module: `export` on the exercise's function, `course/x` → the compiled lib. */
export function cellModule(source: string, fn: string): string | null {
  const lines = source.split('\n');
  const at = lines.findIndex((l) => new RegExp(`^(async\\s+)?function\\s+${fn}\\s*[(<]`).test(l) || new RegExp(`^(const|let)\\s+${fn}\\s*[=:]`).test(l));
  if (at < 0) return null;
  lines[at] = `export ${lines[at]}`;
  return lines.join('\n').replace(/(from\s+|require\(\s*)(['"])course(\/[^'"]*)?\2/g, (_m, pre: string, q: string, sub: string | undefined) => `${pre}${q}../../lib${sub ?? ''}${q}`);
}

interface Cell {
  cell_type?: unknown;
  metadata?: { exercise?: unknown };
  source?: unknown;
}

function sourceOf(c: Cell): string {
  if (typeof c.source === 'string') return c.source;
  // Strings only: String() on an object whose toString is not a function throws.
  if (Array.isArray(c.source)) return c.source.map((x) => (typeof x === 'string' ? x : '')).join('');
  return '';
}

/** Exercise cells of one notebook file, with problems named; the file's notes. */
function readNotebook(file: string, fns: Map<string, string>, course: Map<string, string[]>, sub: Submission, rel: string, ids: Set<string>): void {
  const size = fs.statSync(file).size;
  if (size > MAX_NOTEBOOK) {
    sub.notes.push(`${rel}: larger than ${MAX_NOTEBOOK / 1024 / 1024} MB, ignored`);
    return;
  }
  let nb: { cells?: unknown };
  try {
    nb = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    sub.notes.push(`${rel}: not a valid notebook (invalid JSON: ${(e as Error).message.slice(0, 120)}); its exercises were not graded`);
    return;
  }
  if (!nb || !Array.isArray(nb.cells)) {
    sub.notes.push(`${rel}: not a valid notebook (no cells array); its exercises were not graded`);
    return;
  }
  const found = new Map<string, number[]>();
  (nb.cells as Cell[]).forEach((c, i) => {
    // Only code cells are exercise cells: a markdown or raw cell with an id is text, never code.
    if (c && typeof c === 'object' && c.cell_type !== 'code') return;
    if (!c || typeof c !== 'object') return;
    const id = c.metadata?.exercise;
    if (typeof id === 'string' && fns.has(id)) ids.add(id);
    if (typeof id === 'string' && fns.has(id)) {
      found.set(id, [...(found.get(id) ?? []), i]);
      return;
    }
    // A cell that says it is an exercise but lost its id: name it, so the learner can fix it.
    const m = sourceOf(c).match(/^\/\/ Exercise ([a-z][\w]*\/[A-Za-z]\w*):/);
    if (m && fns.has(m[1]) && typeof id !== 'string') sub.problems.set(m[1], `${rel}: cell ${i + 1} holds exercise ${m[1]} but has no metadata.exercise id (was it copied or retyped?), so it is not graded`);
  });
  const chapter = chapterOf(file, course);
  if (chapter && !sub.chapters.includes(chapter)) sub.chapters.push(chapter);
  const expected = chapter ? course.get(chapter) ?? [] : [];
  for (const id of expected) ids.add(id);
  for (const id of expected) {
    if (!found.has(id) && !sub.problems.has(id) && !sub.modules.has(id)) sub.problems.set(id, `${rel}: the exercise cell of ${id} is missing (deleted?), so it is not graded`);
  }
  for (const [id, cells] of found) {
    if (cells.length > 1) {
      sub.problems.set(id, `${rel}: exercise ${id} appears in ${cells.length} cells (${cells.map((i) => i + 1).join(', ')}); keep exactly one`);
      continue;
    }
    if (sub.modules.has(id) || sub.problems.has(id)) {
      sub.modules.delete(id);
      sub.problems.set(id, `${rel}: exercise ${id} is given twice in this submission (two notebooks, or a notebook and a .ts file); keep exactly one`);
      continue;
    }
    const mod = cellModule(sourceOf((nb.cells as Cell[])[cells[0]]), fns.get(id)!);
    if (mod === null) sub.problems.set(id, `${rel}: the exercise cell of ${id} (cell ${cells[0] + 1}) has no function ${fns.get(id)}`);
    else sub.modules.set(id, mod);
  }
}

/**
 * Read a submission folder (or one notebook / .ts file). `fns` maps each exercise id to its
 * function name. .ts files are found as <id>.ts under the folder, under an exercises/ inside
 * it, under its only subfolder, or else as a unique <name>.ts anywhere.
 */
export function readSubmission(input: string, fns: Map<string, string>, course = courseNotebooks()): Submission {
  const sub: Submission = { modules: new Map(), problems: new Map(), notes: [], chapters: [], scope: null };
  const isFile = fs.statSync(input).isFile();
  const dir = isFile ? path.dirname(input) : input;
  const listed = isFile ? { regular: [input], other: [] as string[], dirs: [dir], truncated: false } : walk(dir, { maxDepth: 8, maxEntries: MAX_FILES, skip: (n) => n === 'node_modules' || n === '.git' || n === '__MACOSX' || n === '.ipynb_checkpoints' });
  if (listed.truncated) sub.notes.push(`more than ${MAX_FILES} files or deeper than 8 folders: the rest was ignored`);
  const used = new Set<string>();
  const rel = (p: string) => path.relative(dir, p) || path.basename(p);

  const ts = listed.regular.filter((p) => p.endsWith('.ts') && !p.endsWith('.d.ts'));
  const roots = [dir, path.join(dir, 'exercises')];
  if (!isFile) {
    const top = fs.readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory() && !e.name.startsWith('.') && e.name !== '__MACOSX');
    if (top.length === 1) roots.push(path.join(dir, top[0].name), path.join(dir, top[0].name, 'exercises'));
  }
  for (const id of fns.keys()) {
    let found = roots.map((r) => path.join(r, `${id}.ts`)).find((p) => ts.includes(p));
    if (!found) {
      const byName = ts.filter((p) => path.basename(p) === `${id.split('/').pop()}.ts`);
      if (byName.length === 1) found = byName[0];
    }
    if (!found) continue;
    used.add(found);
    if (fs.statSync(found).size > MAX_TS) sub.problems.set(id, `${rel(found)} is larger than ${MAX_TS / 1024 / 1024} MB, so it is not graded`);
    else sub.modules.set(id, fs.readFileSync(found, 'utf8'));
  }
  const tsUsed = used.size > 0;
  // The exercises the notebooks hold: their chapters' (course notebooks) and their cells' ids.
  const inNotebooks = new Set<string>();
  const notebooks = listed.regular.filter((p) => p.endsWith('.ipynb'));
  for (const nb of notebooks) {
    used.add(nb);
    readNotebook(nb, fns, course, sub, rel(nb), inNotebooks);
  }
  if (!tsUsed && notebooks.length && inNotebooks.size) sub.scope = [...fns.keys()].filter((id) => inNotebooks.has(id));
  for (const id of fns.keys()) if (!sub.modules.has(id) && !sub.problems.has(id)) sub.problems.set(id, `missing: the submission has no ${id}.ts and no notebook cell for ${id}`);
  const ignored = [...listed.regular.filter((p) => !used.has(p)).map(rel), ...listed.other.map((p) => `${rel(p)} (not a regular file)`)];
  if (ignored.length) sub.notes.push(`ignored files: ${ignored.slice(0, 20).join(', ')}${ignored.length > 20 ? ', …' : ''}`);
  return sub;
}
