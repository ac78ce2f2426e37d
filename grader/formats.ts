// Result formats: Gradescope results.json, Exercism results.json v3, a readable summary,
// and the gradebook CSV.
import { SubmissionResult, TestResult } from './engine';

/** 'error' when the test did not finish (killed, crashed, could not load), else pass/fail. */
export function kind(t: TestResult): 'pass' | 'fail' | 'error' {
  if (t.passed) return 'pass';
  return /^(timed out|ran out of memory|printed more than|the test process ended|the test runner did not start|the tests could not be loaded|not run|not finished|TypeScript errors|missing:|stopped)/.test(t.message) ? 'error' : 'fail';
}

/** Gradescope's results.json (https://gradescope-autograders.readthedocs.io/en/latest/specs/). */
export function gradescope(r: SubmissionResult) {
  return {
    score: r.score,
    execution_time: r.seconds,
    output: [`${r.score} / ${r.max} points`, ...r.notes, 'Sandbox:', ...r.sandbox.map((s) => `  ${s}`)].join('\n'),
    output_format: 'text',
    visibility: 'visible',
    stdout_visibility: 'hidden',
    tests: r.tests.map((t) => ({
      name: t.fullTitle,
      score: t.score,
      max_score: t.points,
      status: t.passed ? 'passed' : 'failed',
      output: t.passed ? 'passed' : t.message,
      visibility: t.hidden ? 'after_published' : 'visible',
    })),
  };
}

/** Exercism's test-runner results.json, version 3 (exercism/docs building/tooling/test-runners/interface.md). */
export function exercism(r: SubmissionResult) {
  const kinds = r.tests.map(kind);
  const everyErrored = r.tests.length > 0 && kinds.every((k) => k === 'error');
  const status = kinds.every((k) => k === 'pass') ? 'pass' : everyErrored ? 'error' : 'fail';
  const exerciseIds = [...new Set(r.tests.map((t) => t.exercise))];
  return {
    version: 3,
    status,
    ...(status === 'error' ? { message: r.tests[0]?.message ?? 'no tests ran' } : {}),
    tests: r.tests.map((t, i) => ({
      name: t.fullTitle,
      status: kinds[i],
      message: t.passed ? null : t.message,
      output: null,
      test_code: t.body,
      task_id: exerciseIds.indexOf(t.exercise) + 1,
    })),
  };
}

/** A readable summary: per exercise, then each failing test's message. */
export function summary(r: SubmissionResult): string {
  const lines = [`${r.name}: ${r.score} / ${r.max} points (${r.seconds} s)`];
  for (const e of r.exercises) lines.push(`  ${e.score === e.max ? '✔' : '✘'} ${e.id.padEnd(28)} ${e.score} / ${e.max}`);
  const missing = [...new Set(r.tests.filter((t) => t.message.startsWith('missing:')).map((t) => t.exercise))];
  if (missing.length) lines.push('', `Not submitted (0 points): ${missing.join(', ')}`);
  const failed = r.tests.filter((t) => !t.passed && !t.message.startsWith('missing:'));
  if (failed.length) {
    lines.push('', 'Failed tests:');
    for (const t of failed) lines.push(`  ✘ ${t.fullTitle}${t.hidden ? ' (hidden)' : ''}`, ...indent(t.message, '      '));
  }
  if (r.notes.length) lines.push('', ...r.notes.map((n) => `Note: ${n}`));
  return lines.join('\n');
}

/** A test table (for check() outside a notebook). */
export function table(r: SubmissionResult): string {
  const rows = r.tests.map((t) => [t.passed ? '✔ pass' : '✘ FAIL', `${t.score}/${t.points}`, t.fullTitle]);
  const lines = rows.map(([s, p, n]) => `${s}  ${p.padStart(5)}  ${n}`);
  for (let i = r.tests.length - 1; i >= 0; i--) {
    if (!r.tests[i].passed) lines.splice(i + 1, 0, ...indent(r.tests[i].message, '               '));
  }
  return [...lines, `${r.score} / ${r.max} points`].join('\n');
}

function indent(text: string, pad: string): string[] {
  return text.split('\n').slice(0, 30).map((l) => pad + l);
}

function csvField(v: string | number): string {
  const s = String(v);
  return /[",\n\r]/.test(s) || /^[=+\-@]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The gradebook: a row per submission, a column per exercise, then total, max and notes. */
export function gradebook(results: SubmissionResult[], exercises: string[]): string {
  const header = ['submission', ...exercises, 'total', 'max', 'notes'];
  const rows = results.map((r) => [
    r.name,
    ...exercises.map((id) => r.exercises.find((e) => e.id === id)?.score ?? 0),
    r.score,
    r.max,
    r.notes.join('; '),
  ]);
  return [header, ...rows].map((row) => row.map(csvField).join(',')).join('\n') + '\n';
}
