// check('clip.contrastiveLoss') or check('clip'): run an exercise's (or a chapter's) public
// tests against your code in exercises/, in a separate sandboxed process, and show the
// results: a table in the notebook, a text table elsewhere. Resolves to the results.
import { spawn } from 'child_process';
import * as path from 'path';
import { showHtml } from './notebook';

export interface CheckedTest {
  fullTitle: string;
  exercise: string;
  passed: boolean;
  score: number;
  points: number;
  message: string;
}

export interface CheckResult {
  score: number;
  max: number;
  tests: CheckedTest[];
}

const ROOT = path.resolve(__dirname, '..');

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** The results as an HTML table: test, pass or fail, message, points. */
export function checkHtml(target: string, r: CheckResult): string {
  const rows = r.tests.map((t) =>
    `<tr><td style="text-align:left">${escapeHtml(t.fullTitle)}</td>` +
    `<td style="color:${t.passed ? '#1a7f37' : '#cf222e'};font-weight:bold">${t.passed ? '✔ pass' : '✘ fail'}</td>` +
    `<td style="text-align:left"><pre style="margin:0;white-space:pre-wrap">${escapeHtml(t.message)}</pre></td>` +
    `<td>${t.score} / ${t.points}</td></tr>`).join('');
  return `<div class="course-check"><b>check('${escapeHtml(target)}')</b>: ${r.score} / ${r.max} points` +
    `<table><thead><tr><th>test</th><th>result</th><th>message</th><th>points</th></tr></thead><tbody>${rows}</tbody></table></div>`;
}

/** The results as a text table. */
export function checkText(target: string, r: CheckResult): string {
  const lines = [`check('${target}'): ${r.score} / ${r.max} points`];
  for (const t of r.tests) {
    lines.push(`${t.passed ? '✔ pass' : '✘ FAIL'}  ${`${t.score}/${t.points}`.padStart(5)}  ${t.fullTitle}`);
    if (!t.passed) for (const l of t.message.split('\n').slice(0, 20)) lines.push(`               ${l}`);
  }
  return lines.join('\n');
}

/**
 * Run the public tests of `target` ('basics.alphaBar', 'basics/alphaBar' or a chapter such as
 * 'basics') against exercises/ (or `opts.dir`), show the table, and resolve to the results.
 */
export function check(target: string, opts: { dir?: string; quiet?: boolean } = {}): Promise<CheckResult> {
  if (typeof target !== 'string' || !target.trim()) return Promise.reject(new Error("check: give an exercise or chapter, e.g. check('basics.alphaBar')"));
  const args = [path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), path.join(ROOT, 'grader', 'check-cli.ts'), target, '--json'];
  if (opts.dir) args.push('--dir', path.resolve(opts.dir));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (b) => (out += b));
    child.stderr.on('data', (b) => (err += b));
    child.on('error', reject);
    child.on('close', () => {
      const line = out.trim().split('\n').pop() ?? '';
      let r: (CheckResult & { error?: string }) | undefined;
      try {
        r = JSON.parse(line);
      } catch {
        return reject(new Error(`check: the checker failed:\n${(err || out).slice(-2000)}`));
      }
      if (!r || r.error) return reject(new Error(`check: ${r?.error ?? 'no result'}`));
      if (!opts.quiet && !showHtml(checkHtml(target, r))) console.log(checkText(target, r));
      resolve(r);
    });
  });
}
