// Running the grader's command line from a test (a helper, not a test file: importing
// grader.test.ts would register its tests too).
import { spawnSync } from 'child_process';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..', '..');
const TSX = path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');

/** Run a grader script (or another, given as a path from the root) under tsx, after `prefix` (a wrapper such as time). */
export function cli(script: string, args: string[], env: NodeJS.ProcessEnv = {}, prefix: string[] = []) {
  const cmd = [...prefix, process.execPath, TSX, path.join(ROOT, script.includes('/') ? script : path.join('grader', script)), ...args];
  const r = spawnSync(cmd[0], cmd.slice(1), { cwd: ROOT, encoding: 'utf8', timeout: 600000, env: { ...process.env, ...env } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
