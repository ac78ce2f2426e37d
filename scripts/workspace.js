// The learner's workspace: a copy of the course's notebooks that git ignores, so that
// autosave and outputs never touch tracked files and `git pull` never conflicts.
// `npm start` fills it (missing notebooks only, never overwriting), `npm run reset`
// puts the course's version back (after a backup), and both write its index.
//
// It sits inside the course folder (work/ by default) because the kernel resolves
// `course` and its types through the node_modules beside it.
'use strict';
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');
const { root, notebooks } = require('./env');

const MANIFEST = '.course-workspace.json';
const INDEX = 'index.ipynb';
/**
 * Where reset keeps the learner's copies: a folder Jupyter lists. Jupyter hides dot-folders and
 * answers 404 for anything inside them, so the former `.backup/` could not be opened from it.
 */
const BACKUP = 'backup';
const OLD_BACKUP = '.backup';

/** The workspace folder: COURSE_WORKSPACE (relative to the course folder) or work/. */
function workspaceDir() {
  return path.resolve(root, process.env.COURSE_WORKSPACE || 'work');
}

const sha = (file) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

function readManifest(dir) {
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, MANIFEST), 'utf8'));
  } catch {
    return { notebooks: {} };
  }
}

function writeManifest(dir, m) {
  fs.writeFileSync(path.join(dir, MANIFEST), JSON.stringify(m, null, 2) + '\n');
}

/**
 * Copy every course notebook the workspace lacks; never overwrite one that is there.
 * Returns the names copied and the names whose course version changed since they were copied.
 * With { exercises: true } (a workspace outside the course folder: a hub's home folder), the
 * learner's own exercises/ too (see syncExercises); { resetCommand } is what its index tells
 * the learner to type to reset a notebook. Both are kept in the manifest for later writes.
 */
function syncWorkspace(dir = workspaceDir(), opts = {}) {
  fs.mkdirSync(dir, { recursive: true });
  const m = readManifest(dir);
  m.options = { ...m.options, ...opts };
  const copied = [];
  const updatedInCourse = [];
  for (const src of notebooks()) {
    const name = path.basename(src);
    const dst = path.join(dir, name);
    const hash = sha(src);
    if (!fs.existsSync(dst)) {
      fs.copyFileSync(src, dst);
      m.notebooks[name] = hash;
      copied.push(name);
    } else if (m.notebooks[name] && m.notebooks[name] !== hash) {
      updatedInCourse.push(name);
    }
  }
  const ex = m.options.exercises ? syncExercises(dir, m) : { copied: [], updatedInCourse: [] };
  writeManifest(dir, m);
  writeIndex(dir);
  return { dir, copied, updatedInCourse, copiedExercises: ex.copied, exercisesUpdatedInCourse: ex.updatedInCourse };
}

/** Course exercise files (exercises/<folder>/<name>.ts), relative to exercises/. */
function exerciseFiles() {
  return exerciseIds().map((id) => `${id}.ts`);
}

/**
 * The learner's exercises/ in the workspace: every course exercise file it lacks (never
 * overwriting one), so check('<id>') in a notebook here grades this copy (lib/exercise/check.ts
 * takes the nearest exercises/ above the kernel's folder). The files import lib as ../../lib/…,
 * so the workspace gets a link lib -> the course's lib: Node loads the link's real path, the
 * same module instances as the kernel's `course` (one registry of the learner's functions).
 */
function syncExercises(dir, m) {
  m.exercises = m.exercises || {};
  const copied = [];
  const updatedInCourse = [];
  for (const rel of exerciseFiles()) {
    const src = path.join(root, 'exercises', rel);
    const dst = path.join(dir, 'exercises', rel);
    const hash = sha(src);
    if (!fs.existsSync(dst)) {
      fs.mkdirSync(path.dirname(dst), { recursive: true });
      fs.copyFileSync(src, dst);
      m.exercises[rel] = hash;
      copied.push(rel);
    } else if (m.exercises[rel] && m.exercises[rel] !== hash) {
      updatedInCourse.push(rel);
    }
  }
  const link = path.join(dir, 'lib');
  const target = path.join(root, 'lib');
  let current = null;
  try {
    current = fs.lstatSync(link).isSymbolicLink() ? fs.readlinkSync(link) : 'not a link';
  } catch {}
  if (current === 'not a link') throw new Error(`${link} is not a link to the course's lib: move it away, then start again`);
  if (current !== target) {
    if (current !== null) fs.unlinkSync(link); // the course moved (a new image): point at it again
    fs.symlinkSync(target, link);
  }
  return { copied, updatedInCourse };
}

/** Course notebooks matching a target: 'all', '03', '03-ddpm' or '03-ddpm.ipynb'. */
function matchNotebooks(target) {
  const all = notebooks();
  if (target === 'all') return all;
  const t = path.basename(String(target)).replace(/\.ipynb$/, '');
  const hits = all.filter((f) => {
    const stem = path.basename(f, '.ipynb');
    return stem === t || stem.slice(0, 2) === t.padStart(2, '0');
  });
  if (hits.length === 0) {
    const names = all.map((f) => path.basename(f, '.ipynb')).join(', ');
    throw new Error(`reset: no notebook "${target}"; give a chapter number (e.g. 03), a name (${names}) or all`);
  }
  return hits;
}

/** Copies an older version kept in `.backup/` move to `backup/`, where Jupyter shows them. */
function moveOldBackups(dir) {
  const old = path.join(dir, OLD_BACKUP);
  if (!fs.existsSync(old)) return;
  const now = path.join(dir, BACKUP);
  fs.mkdirSync(now, { recursive: true });
  for (const name of fs.readdirSync(old)) {
    if (!fs.existsSync(path.join(now, name))) fs.renameSync(path.join(old, name), path.join(now, name));
  }
  if (fs.readdirSync(old).length === 0) fs.rmdirSync(old);
}

/** Put the course's version of the target notebooks back; the learner's copies go to backup/<time>/. */
function resetWorkspace(target, dir = workspaceDir()) {
  const files = matchNotebooks(target);
  fs.mkdirSync(dir, { recursive: true });
  moveOldBackups(dir);
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const backup = path.join(dir, BACKUP, stamp);
  const m = readManifest(dir);
  const restored = [];
  const backedUp = [];
  for (const src of files) {
    const name = path.basename(src);
    const dst = path.join(dir, name);
    if (fs.existsSync(dst)) {
      fs.mkdirSync(backup, { recursive: true });
      fs.copyFileSync(dst, path.join(backup, name));
      backedUp.push(path.join(backup, name));
    }
    fs.copyFileSync(src, dst);
    m.notebooks[name] = sha(src);
    restored.push(name);
  }
  writeManifest(dir, m);
  writeIndex(dir);
  return { dir, restored, backedUp, backup: backedUp.length ? backup : null };
}

/** Title ("# NN — Title") and first sentence of a notebook's first markdown cell. */
function describeNotebook(file) {
  const nb = JSON.parse(fs.readFileSync(file, 'utf8'));
  const md = nb.cells.find((c) => c.cell_type === 'markdown');
  const text = md ? [].concat(md.source).join('') : '';
  const lines = text.split('\n');
  const heading = lines.find((l) => /^#\s/.test(l)) || path.basename(file, '.ipynb');
  const title = heading.replace(/^#+\s*/, '').trim();
  const para = lines.filter((l) => l.trim() && !/^#/.test(l)).join(' ').trim();
  // Whole sentences, until the line says something (a short opening sentence gets the next one too).
  const sentences = para.split(/(?<=[.!?])\s+/);
  let summary = '';
  for (const s of sentences) if (summary.length < 80) summary = (summary + ' ' + s.trim()).trim();
  const all = nb.cells.map((c) => [].concat(c.source).join('')).join('\n');
  return { file, name: path.basename(file), title, summary, text: all };
}

/** Exercise ids (folder/name under exercises/) in order. */
function exerciseIds() {
  const dir = path.join(root, 'exercises');
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .flatMap((e) =>
      fs
        .readdirSync(path.join(dir, e.name))
        .filter((f) => f.endsWith('.ts'))
        .map((f) => `${e.name}/${f.slice(0, -3)}`),
    )
    .sort();
}

/**
 * Which chapter each exercise belongs to: the first notebook that names it with its folder, else
 * the chapter named after its folder, else the first that names it; an exercise no notebook
 * names goes with the first chapter holding another exercise of its folder.
 */
function exercisesByChapter(chapters) {
  const by = new Map(chapters.map((c) => [c.name, []]));
  const homeless = [];
  // An exercise cell in a chapter ("// Exercise diffusion/ddpmStep: ...") says where it lives.
  const marked = new Map();
  for (const c of chapters) for (const m of c.text.matchAll(/^\/\/ Exercise ([\w-]+\/[\w-]+)\b/gm)) if (!marked.has(m[1])) marked.set(m[1], c);
  for (const [id, c] of marked) by.get(c.name).push(id);
  for (const id of exerciseIds()) {
    if (marked.has(id)) continue;
    const [folder, fn] = id.split('/');
    // Named with its folder (check('flow/eulerStep'), exercises/flow/eulerStep) first, then by name alone.
    const full = new RegExp(`\\b${folder}[/.]${fn}\\b`);
    const bare = new RegExp(`\\b${fn}\\b`);
    // ... or by the chapter whose file name has the folder as a word (flow → 07-flow-matching).
    const named = (c) => path.basename(c.name, '.ipynb').split('-').includes(folder);
    const home = chapters.find((c) => full.test(c.text)) || chapters.find(named) || chapters.find((c) => bare.test(c.text));
    if (home) by.get(home.name).push(id);
    else homeless.push(id);
  }
  for (const id of homeless) {
    const folder = id.split('/')[0];
    const home = chapters.find((c) => by.get(c.name).some((x) => x.startsWith(folder + '/')));
    if (home) by.get(home.name).push(id);
  }
  for (const list of by.values()) list.sort();
  return by;
}

/** The index notebook's markdown: a table of the chapters, their one-line summaries and exercises. */
function indexMarkdown(dir = workspaceDir()) {
  const { exercises: ownExercises, resetCommand = 'npm run reset --' } = readManifest(dir).options || {};
  const chapters = notebooks().map(describeNotebook);
  const ex = exercisesByChapter(chapters);
  const cell = (s) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const rows = chapters.map((c) => {
    const ids = ex.get(c.name);
    const inCell = (id) => new RegExp(`^// Exercise ${id}\\b`, 'm');
    const where = (id) => (inCell(id).test(c.text) ? `\`${id}\` (a cell in the chapter)` : `\`exercises/${id}.ts\``);
    const exercises = ids.length ? ids.map(where).join('<br>') : '—';
    return `| [${cell(c.title)}](${encodeURI(c.name)}) | ${cell(c.summary)} | ${exercises} |`;
  });
  return [
    '# The course: From CLIP to Diffusion',
    '',
    ...(ownExercises
      ? ['Open the chapters in order. Each notebook here, and each file in `exercises/`, is **your copy**: edit and run',
        'freely; a new version of the course never overwrites it (new chapters are added).']
      : [`Open the chapters in order. Each notebook here is **your copy** (this folder, \`${path.relative(root, dir) || '.'}/\`, is ignored by git):`,
        'edit and run freely; `git pull` never touches it.']),
    `\`${resetCommand} 03\` puts the course\'s version of chapter 3 back (yours is kept in \`${BACKUP}/\`, in a folder named by the time),`,
    `\`${resetCommand} all\` does every chapter.`,
    '',
    `| Chapter | What it is about | Exercises${ownExercises ? ' (yours, in exercises/ here)' : ''} |`,
    '|:---|:---|:---|',
    ...rows,
    '',
    'An exercise marked "a cell in the chapter" is a cell starting `// Exercise <id>`: write the body there,',
    'then run the next cell to check it.',
    '',
    ...(ownExercises
      ? ['Exercises are TypeScript files in `exercises/` here: write your code where it says TODO, then check it',
        "with `await check('<folder>/<name>')` in a notebook of this folder (from `course/check`): it grades your file."]
      : ['Exercises are TypeScript files in the course folder\'s `exercises/`: write your code where it says TODO,',
        "then check it with `await check('<folder>.<name>')` in a notebook (from `course/check`) or",
        '`npm run check -- <folder>` in a shell.']),
    '',
    `*This page is generated ${ownExercises ? 'when your server starts' : 'by `npm start`'} from the notebooks; edits to it are overwritten.*`,
  ].join('\n');
}

/** Write index.ipynb (markdown only) into the workspace when its text changed. */
function writeIndex(dir = workspaceDir()) {
  const md = indexMarkdown(dir);
  const nb = {
    nbformat: 4,
    nbformat_minor: 5,
    // No kernelspec: the index has no code, so opening it should not start a TypeScript kernel
    // (a few hundred MB); Jupyter gives it its default (Python) kernel, which ipykernel provides.
    metadata: {},
    cells: [{ cell_type: 'markdown', id: 'course-index', metadata: {}, source: md }],
  };
  const file = path.join(dir, INDEX);
  const text = JSON.stringify(nb, null, 1) + '\n';
  if (!fs.existsSync(file) || fs.readFileSync(file, 'utf8') !== text) fs.writeFileSync(file, text);
  return file;
}

module.exports = { workspaceDir, syncWorkspace, syncExercises, resetWorkspace, matchNotebooks, indexMarkdown, writeIndex, describeNotebook, MANIFEST, INDEX, BACKUP };
