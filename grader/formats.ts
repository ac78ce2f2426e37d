// Result formats: Gradescope results.json, Exercism results.json v3, a readable summary (all
// three learner-visible), the teacher's details, and the gradebook CSV. A hidden test shows
// its title and points only: its message (which may quote its inputs or expected values) and
// its code appear in the teacher's details and nowhere else.
import { SubmissionResult, TestResult } from './engine';

const WITHHELD = 'hidden test: details are withheld';

/** The message a learner may see for a test. */
function learnerMessage(t: TestResult): string {
  if (t.passed) return '';
  return t.hidden ? WITHHELD : t.message;
}

export function testName(t: TestResult): string {
  return `${t.exercise}: ${t.title}${t.points === 0 ? ' (advice, no points)' : ` [${t.points} pt${t.points === 1 ? '' : 's'}]`}${t.hidden ? ' (hidden)' : ''}`;
}

/** Gradescope's results.json (https://gradescope-autograders.readthedocs.io/en/latest/specs/). */
export function gradescope(r: SubmissionResult) {
  return {
    score: r.score,
    execution_time: r.seconds,
    output: [...r.sandbox.filter((s) => s.startsWith('WARNING')), `${r.score} / ${r.max} points`, ...(r.scope ? [`Graded on: ${r.scope}`] : []), ...r.notes, 'Sandbox:', ...r.sandbox.map((s) => `  ${s}`)].join('\n'),
    output_format: 'text',
    visibility: 'visible',
    stdout_visibility: 'hidden',
    tests: r.tests.map((t) => ({
      name: testName(t),
      score: t.score,
      max_score: t.points,
      status: t.passed ? 'passed' : 'failed',
      output: t.passed ? 'passed' : learnerMessage(t),
      visibility: t.hidden ? 'after_published' : 'visible',
    })),
  };
}

/** Exercism's test-runner results.json, version 3 (exercism/docs building/tooling/test-runners/interface.md). */
export function exercism(r: SubmissionResult) {
  // A hidden test is 'pass' or 'fail': whether it errored (timed out, crashed) is a detail too.
  const kind = (t: TestResult) => (t.hidden && t.kind === 'error' ? 'fail' : t.kind);
  const everyErrored = r.tests.length > 0 && r.tests.every((t) => kind(t) === 'error');
  const status = r.tests.every((t) => t.passed || t.points === 0) ? 'pass' : everyErrored ? 'error' : 'fail';
  const ids = [...new Set(r.tests.map((t) => t.exercise))];
  const warning = r.sandbox.filter((s) => s.startsWith('WARNING'));
  return {
    version: 3,
    status,
    ...(status === 'error' ? { message: [...warning, learnerMessage(r.tests[0]) || 'no tests ran'].join('\n') } : warning.length ? { message: warning.join('\n') } : {}),
    tests: r.tests.map((t) => ({
      name: testName(t),
      status: kind(t),
      message: t.passed ? null : learnerMessage(t),
      output: null,
      task_id: ids.indexOf(t.exercise) + 1,
    })),
  };
}

function indent(text: string, pad: string): string[] {
  return text.split('\n').slice(0, 30).map((l) => pad + l);
}

/** A readable summary: per exercise, then each failing test's message. `teacher` adds hidden tests' messages. */
export function summary(r: SubmissionResult, opts: { teacher?: boolean } = {}): string {
  const lines = [...r.sandbox.filter((s) => s.startsWith('WARNING')), `${r.name}: ${r.score} / ${r.max} points (${r.seconds} s)`, ...(r.scope ? [`  graded on: ${r.scope}`] : [])];
  for (const e of r.exercises) lines.push(`  ${e.score === e.max ? '✔' : '✘'} ${e.id.padEnd(28)} ${e.score} / ${e.max}`);
  const missing = [...new Set(r.tests.filter((t) => t.message.startsWith('missing:')).map((t) => t.exercise))];
  if (missing.length) lines.push('', `Not submitted (0 points): ${missing.join(', ')}`);
  const failed = r.tests.filter((t) => !t.passed && !t.message.startsWith('missing:'));
  if (failed.length) {
    lines.push('', 'Failed tests:');
    for (const t of failed) lines.push(`  ${t.points === 0 ? '⚠' : '✘'} ${testName(t)}`, ...indent(opts.teacher ? t.message : learnerMessage(t), '      '));
  }
  if (r.notes.length) lines.push('', ...r.notes.map((n) => `Note: ${n}`));
  if (opts.teacher && r.teacherNotes?.length) lines.push('', ...r.teacherNotes.map((n) => `Teacher: ${n}`));
  return lines.join('\n');
}

/**
 * A gradebook cell. Quoted when it holds a comma, quote or line break; and a leading ' when it
 * starts with =, +, -, @, tab or CR, so no spreadsheet runs it as a formula (OWASP's advice on
 * CSV injection). Numbers are written as numbers.
 */
export function csvField(v: string | number): string {
  if (typeof v === 'number') return String(v);
  const s = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The gradebook: a row per submission, a column per exercise (blank: not in its scope), then total, max and notes. */
export function gradebook(results: SubmissionResult[], exercises: string[]): string {
  const header = ['submission', ...exercises, 'total', 'max', 'notes'];
  const rows = results.map((r) => [
    r.name,
    ...exercises.map((id) => r.exercises.find((e) => e.id === id)?.score ?? ''),
    r.score,
    r.max,
    [...r.sandbox.filter((s) => s.startsWith('WARNING')), ...r.notes].join('; '),
  ]);
  return [header, ...rows].map((row) => row.map(csvField).join(',')).join('\n') + '\n';
}
