// `npm run edition -- <dir> [--solved]`: the course a teacher hands out.
//   default    the learner edition: notebooks with stub exercise cells and no outputs, the
//              exercises/ stubs, lib with its reference compiled (lib/reference), the public
//              tests; no solutions/, no grader, nothing that shows a reference solution.
//   --solved   the answer key: the same, with the reference solutions in the notebooks'
//              exercise cells (and in exercises/).
// The edition installs, starts and tests on its own (`npm install`, `npm start`, `npm test`).
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { expectedNotebooks, notebookText, readNotebook, solutionLines, solutions, solvedOf, withExerciseCells } from './exercises';

const ROOT = path.resolve(__dirname, '..');

/** Paths (relative, '/'-separated) the edition leaves out: the answers and the teacher's tools. */
const LEAVE_OUT = [
  /^solutions\//,
  /^grader\//,
  /^test\/grader\//,
  /^test\/hub\//, // a real JupyterHub as root: the teacher's deployment test
  /^test\/foundation\/exercises\.test\.ts$/, // checks the generation from solutions/
  /^scripts\/edition\.ts$/,
  /^test\/foundation\/edition\.test\.ts$/,
  /^test\/site\/notebook-loop\.test\.ts$/, // types the reference solution (solutions/) and grades the download (grader/)
];

/** npm scripts that need what the edition leaves out. */
const TEACHER_SCRIPTS = ['grade', 'grade:bundle', 'edition', 'exercises'];

/** The course's files: what git tracks (a checkout), else every file but build output. */
export function courseFiles(root = ROOT): string[] {
  const git = spawnSync('git', ['ls-files', '-z'], { cwd: root, encoding: 'utf8' });
  if (git.status === 0 && git.stdout) return git.stdout.split('\0').filter(Boolean).filter((f) => fs.existsSync(path.join(root, f)));
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
      if (['node_modules', '.git', 'work', 'site', '.jupyter'].includes(e.name)) continue;
      const rel = dir ? `${dir}/${e.name}` : e.name;
      if (e.isDirectory()) walk(rel);
      else if (e.isFile()) out.push(rel);
    }
  };
  walk('');
  return out;
}

export interface EditionOptions {
  solved?: boolean;
}

/** Write the edition into `dir` (which must be empty or absent). Returns the files written. */
export function writeEdition(dir: string, opts: EditionOptions = {}): string[] {
  const out = path.resolve(dir);
  if (fs.existsSync(out) && fs.readdirSync(out).length) throw new Error(`edition: ${dir} is not empty`);
  if (out === ROOT || out.startsWith(ROOT + path.sep)) {
    // Inside the course it would be picked up by the course's own tests and tsconfig.
    if (!out.startsWith(path.join(ROOT, 'tmp'))) throw new Error(`edition: write it outside the course folder (got ${dir})`);
  }
  const files = courseFiles().filter((f) => !LEAVE_OUT.some((re) => re.test(f)));
  const sols = new Map(solutions().map((s) => [s.id, s]));
  const notebooks = expectedNotebooks(path.join(ROOT, 'notebooks'), !!opts.solved);
  const written: string[] = [];
  for (const rel of files) {
    const dest = path.join(out, rel);
    fs.mkdirSync(path.dirname(dest), { recursive: true });
    let text: string | null = null;
    if (rel.startsWith('notebooks/') && rel.endsWith('.ipynb')) {
      // Exercise cells from the solutions (stubs or solved), and no outputs anywhere.
      const nb = readNotebook(path.join(ROOT, rel));
      const fresh = notebooks.get(rel.slice('notebooks/'.length));
      const cells = fresh ? JSON.parse(fresh).cells : withExerciseCells(nb, sols, !!opts.solved, rel).cells;
      for (const c of cells) if (c.cell_type === 'code') Object.assign(c, { outputs: [], execution_count: null });
      text = notebookText({ ...nb, cells });
    } else if (opts.solved && rel.startsWith('exercises/') && rel.endsWith('.ts')) {
      const s = sols.get(rel.slice('exercises/'.length, -3));
      if (s) text = solvedOf(s.source, s.file);
    } else if (rel === 'package.json') {
      const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, rel), 'utf8'));
      for (const k of TEACHER_SCRIPTS) delete pkg.scripts[k];
      text = JSON.stringify(pkg, null, 2) + '\n';
    }
    if (text === null) fs.copyFileSync(path.join(ROOT, rel), dest);
    else fs.writeFileSync(dest, text);
    const mode = fs.statSync(path.join(ROOT, rel)).mode & 0o777;
    fs.chmodSync(dest, mode);
    written.push(rel);
  }
  fs.writeFileSync(path.join(out, 'EDITION'), `${opts.solved ? 'answer key' : 'learner edition'} of the course, written by \`npm run edition\`\n`);
  written.push('EDITION');
  return written;
}

/** Lines of the solutions (between the markers, longer than 20 characters) found in an edition's files. */
export function leakedLines(dir: string): string[] {
  const norm = (s: string) => s.replace(/\s+/g, ' ').trim();
  const lines = solutions().flatMap((s) => solutionLines(s.source).map(norm).filter((l) => l.length > 20).map((l) => ({ id: s.id, l })));
  const found: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.name === 'node_modules' || e.name === '.git') continue;
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) {
        const text = norm(fs.readFileSync(p, 'utf8'));
        for (const { id, l } of lines) if (text.includes(l)) found.push(`${path.relative(dir, p)}: ${id}: ${l}`);
      }
    }
  };
  walk(dir);
  return found;
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const solved = args.includes('--solved');
  const rest = args.filter((a) => a !== '--solved');
  if (rest.length !== 1 || rest[0].startsWith('-')) {
    console.error('usage: npm run edition -- <dir> [--solved]');
    process.exit(2);
  }
  try {
    const files = writeEdition(rest[0], { solved });
    if (!solved) {
      const leaks = leakedLines(rest[0]);
      if (leaks.length) throw new Error(`a solution line reached the edition:\n${leaks.join('\n')}`);
    }
    console.log(`edition: wrote the ${solved ? 'answer key' : 'learner edition'} (${files.length} files) to ${rest[0]}`);
    console.log(`  next: cd ${rest[0]} && npm install && npm start`);
  } catch (e) {
    console.error(`edition: ${(e as Error).message}`);
    process.exit(1);
  }
}
