// Helpers of the trust-*.test.ts files: the grader's CLI on a batch, its results, and the grader's
// temp folders (grade-*), which a batch must leave as it found them.
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export const ROOT = path.resolve(__dirname, '..', '..');
export const FIXTURES = path.join(__dirname, 'fixtures');
const TSX = path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');

/**
 * Run grader/grade-cli.ts under tsx, with a temp folder of its own (`tmp`, made here), so the
 * check that it leaves no grade-* folder behind does not see other jobs' folders.
 */
export function grade(args: string[], tmp: string, env: NodeJS.ProcessEnv = {}) {
  fs.mkdirSync(tmp, { recursive: true });
  // Each sandbox's own uid must reach its folder in there.
  for (let d = tmp; d !== path.dirname(d) && d.startsWith(os.tmpdir() + path.sep); d = path.dirname(d)) fs.chmodSync(d, 0o755);
  const r = spawnSync(process.execPath, [TSX, path.join(ROOT, 'grader', 'grade-cli.ts'), ...args], { cwd: ROOT, encoding: 'utf8', timeout: 500000, env: { ...process.env, TMPDIR: tmp, ...env } });
  return { code: r.status, signal: r.signal, out: r.stdout, err: r.stderr };
}

/** The grade-* folders the grader left in its temp folder (tsx keeps its cache there too). */
export const leftIn = (tmp: string) => fs.readdirSync(tmp).filter((f) => f.startsWith('grade-'));

export const readJson = (f: string) => JSON.parse(fs.readFileSync(f, 'utf8'));


/** A batch's results, by submission folder name. */
export function batch(out: string) {
  const results = (name: string) => readJson(path.join(out, name, 'results.json'));
  const test = (name: string, title: string) => {
    const t = results(name).tests.find((x: any) => x.name.startsWith(title));
    if (!t) throw new Error(`${name}: no test "${title}"`);
    return t;
  };
  return { results, test, summary: (name: string) => fs.readFileSync(path.join(out, name, 'summary.txt'), 'utf8') };
}

/** The course notebook `file` with exercise `id`'s cell holding `source`. */
export function notebookWith(file: string, id: string, source: string, edit: (cell: any) => void = () => {}): any {
  const nb = readJson(path.join(ROOT, 'notebooks', file));
  const cell = nb.cells.find((c: any) => c.metadata?.exercise === id);
  cell.source = source;
  edit(cell);
  return nb;
}

/** grade(), without blocking this process's event loop (for tests that listen on a port meanwhile). */
export function gradeAsync(args: string[], tmp: string, env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; out: string; err: string }> {
  fs.mkdirSync(tmp, { recursive: true });
  for (let d = tmp; d !== path.dirname(d) && d.startsWith(os.tmpdir() + path.sep); d = path.dirname(d)) fs.chmodSync(d, 0o755);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [TSX, path.join(ROOT, 'grader', 'grade-cli.ts'), ...args], { cwd: ROOT, env: { ...process.env, TMPDIR: tmp, ...env } });
    let out = '';
    let err = '';
    child.stdout.on('data', (b) => (out += b));
    child.stderr.on('data', (b) => (err += b));
    child.on('close', (code) => resolve({ code, out, err }));
  });
}
