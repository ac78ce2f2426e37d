// What names() checked of each learner message a running test was given, so that runTest can
// tell a message about its own input from one that names every input's values (issue 24 §3a).
// Kept by message text in one table per process (a second copy of this file shares it): two
// tests given the same text at once merge their checks, which can only make the rule weaker.

/** One names() check: the patterns the message had to show, and for which input (names()' `what`). */
export interface NamedCheck {
  message: string;
  patterns: RegExp[];
  says: string[];
  what: string;
}

interface Entry {
  refs: number;
  checks: NamedCheck[];
}

const KEY = Symbol.for('course.exercise.named');

function table(): Map<string, Entry> {
  const g = globalThis as unknown as Record<symbol, Map<string, Entry> | undefined>;
  return (g[KEY] ??= new Map());
}

/** A test was given this message (t.throws): names() records its checks until it is released. */
export function handOut(message: string): void {
  const t = table();
  const e = t.get(message);
  if (e) e.refs++;
  else t.set(message, { refs: 1, checks: [] });
}

/** The test that was given this message is over. */
export function release(message: string): void {
  const t = table();
  const e = t.get(message);
  if (e && --e.refs <= 0) t.delete(message);
}

/** names() passed on a message a test was given (other text is not recorded). */
export function noteNamed(check: NamedCheck): void {
  table().get(check.message)?.checks.push(check);
}

/** The checks made of these messages (each message's checks once), in the order they were made. */
export function checksOf(messages: string[]): NamedCheck[] {
  return [...new Set(messages)].flatMap((m) => table().get(m)?.checks ?? []);
}
