// The messages between the grader (trusted) and the call server (grader/call-server.cjs, the
// sandboxed child that runs learner code). One JSON object per line: the grader writes to the
// child's stdin, the child writes to its fd 3. Nothing here is secret and the child makes no
// verdict: a forged message can only claim what a learner function returned, and claiming the
// right outputs means solving the exercise.
import type { CallOutcome } from '../lib/exercise/run';
import type { Wire } from '../lib/exercise/wire';

/** How the call server is started (its one argument, as JSON). */
export interface ServerConfig {
  /** Where the compiled lib is (a real folder; the package `course` resolves here too). */
  lib: string;
  /** Module file of each exercise the submission has, by exercise id (TypeScript, transpiled in the child). */
  modules: Record<string, { file: string; fn: string }>;
  /** A V8 code cache of typescript.js made with the child's flags (optional: it only saves time). */
  tsCache?: string;
  /** Disable dgram, dns, net, http(s), http2, tls and fetch in-process (the unsafe no-sandbox fallback). */
  noNetwork: boolean;
}

/** Grader → call server. */
export type ToServer =
  /** Call exercise `exercise`'s function with these arguments (and differentiate by argument `grad`, if given). */
  | { type: 'call'; seq: number; exercise: string; args: Wire[]; grad?: number }
  /** The answer to a callback the child asked for during call `seq`. */
  | { type: 'return'; seq: number; ok: true; value: Wire }
  | { type: 'return'; seq: number; ok: false; error: string };

/** Call server → grader. */
export type ToGrader =
  /** Started (tfjs loaded); calls may come. */
  | { type: 'ready' }
  /** Exercise `exercise`'s module loaded in this process (so a crash after this is the call's, not the load's). */
  | { type: 'loaded'; exercise: string }
  /** What call `seq` gave. */
  | { type: 'result'; seq: number; outcome: CallOutcome }
  /** Call `seq` could not run: the module did not load or has no such function. */
  | { type: 'unavailable'; seq: number; reason: string }
  /** During call `seq`, the learner's function called the test's callback `id`. */
  | { type: 'callback'; seq: number; id: number; args: Wire[] };

/** Longest error message or reason kept from the child (the rest is cut, with a mark). */
export const MAX_TEXT = 16 * 1024;

/**
 * An untrusted field as text: strings as they are (cut to MAX_TEXT), anything else (an object
 * that came through JSON.parse, whose `toString` may be a string and makes `String()` throw)
 * named by its type. Never throws.
 */
export function text(v: unknown): string {
  if (typeof v === 'string') return v.length > MAX_TEXT ? `${v.slice(0, MAX_TEXT)}… (${v.length - MAX_TEXT} more characters cut)` : v;
  if (v === undefined || v === null) return '';
  if (typeof v === 'number' || typeof v === 'boolean') return `${v}`;
  return `(not a message: ${Array.isArray(v) ? 'an array' : typeof v === 'object' ? 'an object' : `a ${typeof v}`})`;
}

/** Check the shape of a parsed line from the child (it is untrusted input). Never throws. */
export function parseToGrader(line: string): ToGrader | null {
  let m: unknown;
  try {
    m = JSON.parse(line);
  } catch {
    return null;
  }
  if (!m || typeof m !== 'object') return null;
  const o = m as { [k: string]: unknown };
  const seqOk = Number.isInteger(o.seq);
  switch (o.type) {
    case 'ready':
      return { type: 'ready' };
    case 'loaded':
      return typeof o.exercise === 'string' ? { type: 'loaded', exercise: o.exercise } : null;
    case 'result': {
      const out = o.outcome as { [k: string]: unknown } | null;
      if (!seqOk || !out || typeof out !== 'object') return null;
      const leaked = Number.isFinite(out.leaked) ? Number(out.leaked) : 0;
      if (out.ok === true && 'value' in out) {
        const grad = 'grad' in out ? { grad: out.grad as Wire } : {};
        return { type: 'result', seq: o.seq as number, outcome: { ok: true, value: out.value as Wire, ...grad, leaked } };
      }
      if (out.ok === false) return { type: 'result', seq: o.seq as number, outcome: { ok: false, error: text(out.error), leaked } };
      return null;
    }
    case 'unavailable':
      return seqOk ? { type: 'unavailable', seq: o.seq as number, reason: text(o.reason) } : null;
    case 'callback':
      return seqOk && Number.isInteger(o.id) && Array.isArray(o.args) ? { type: 'callback', seq: o.seq as number, id: o.id as number, args: o.args as Wire[] } : null;
    default:
      return null;
  }
}
