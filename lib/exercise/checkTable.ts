// check()'s results as one table (HTML for a notebook, text for a console): the same in Jupyter
// and in the browser's notebook pages (web/notebook), which run the same public tests.
import type { TestResult } from './run';

export interface CheckResult {
  target: string;
  score: number;
  max: number;
  tests: TestResult[];
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function mark(t: TestResult): string {
  if (t.points === 0) return t.passed ? '✔ ok' : '⚠ advice';
  return t.passed ? '✔ pass' : '✘ fail';
}

/**
 * The results as an HTML table: test, result, message, points. The message breaks between words
 * (the classic Notebook's Bootstrap sets `word-break: break-all` on <pre>, which cut
 * "not implemented: similarityMatrix" into "similarityMatr" / "ix"), and inside a word only
 * when the word alone is wider than the column.
 */
export function checkHtml(r: CheckResult): string {
  const rows = r.tests
    .map((t) => {
      const color = t.passed ? '#1a7f37' : t.points === 0 ? '#9a6700' : '#cf222e';
      return `<tr><td style="text-align:left">${escapeHtml(t.title)}</td>` +
        `<td style="color:${color};font-weight:bold;white-space:nowrap">${mark(t)}</td>` +
        `<td style="text-align:left"><pre style="margin:0;white-space:pre-wrap;word-break:normal;overflow-wrap:anywhere">${escapeHtml(t.message)}</pre></td>` +
        `<td style="white-space:nowrap">${t.points === 0 ? '—' : `${t.score} / ${t.points}`}</td></tr>`;
    })
    .join('');
  const ids = [...new Set(r.tests.map((t) => t.exercise))];
  return `<div class="course-check"><b>check('${escapeHtml(r.target)}')</b>: ${r.score} / ${r.max} points` +
    (ids.length > 1 ? ` over ${ids.length} exercises` : '') +
    `<table><thead><tr><th style="text-align:left">test</th><th>result</th><th style="text-align:left">message</th><th>points</th></tr></thead><tbody>${rows}</tbody></table></div>`;
}

/** The results as a text table. */
export function checkText(r: CheckResult): string {
  const lines = [`check('${r.target}'): ${r.score} / ${r.max} points`];
  let last = '';
  for (const t of r.tests) {
    if (t.exercise !== last) lines.push(`  ${t.exercise}`);
    last = t.exercise;
    lines.push(`  ${mark(t).padEnd(9)} ${(t.points === 0 ? '—' : `${t.score}/${t.points}`).padStart(5)}  ${t.title}`);
    if (!t.passed) for (const l of t.message.split('\n').slice(0, 12)) lines.push(`                   ${l}`);
  }
  return lines.join('\n');
}

