// A synchronous call with a time bound, for regular expressions that meet a learner's text: a
// pattern that backtracks badly (nested quantifiers are exponential in the text's length) must
// not hold the process that runs it. Node's vm runs `f` with a timeout, and V8 interrupts a
// running regular expression when it expires; where there is no vm (a browser), `f` runs as is.

/** What withinTime returns when `f` ran out of time. */
export const TIMED_OUT: unique symbol = Symbol('timed out');

type Vm = typeof import('vm');
let vm: Vm | null | undefined;
let context: object | null = null;
let script: import('vm').Script | null = null;
/** Bounded calls in progress: a call inside one is already bounded by it. */
let depth = 0;

/** Whether a bounded call is running now (its inner calls need no bound of their own). */
export function bounding(): boolean {
  return depth > 0;
}

/** f(), or TIMED_OUT when it ran longer than `ms`. Errors that f throws pass through. */
export function withinTime<T>(f: () => T, ms: number): T | typeof TIMED_OUT {
  if (depth > 0) return f();
  if (vm === undefined) {
    try {
      vm = require('vm') as Vm;
    } catch {
      vm = null;
    }
  }
  if (!vm || typeof vm.createContext !== 'function') return f();
  // One context and one script for every call: a fresh context per call costs ~1 ms.
  const ctx = (context ??= vm.createContext({ f: null })) as { f: (() => T) | null };
  script ??= new vm.Script('f()');
  ctx.f = f;
  depth++;
  try {
    return script.runInContext(ctx, { timeout: ms }) as T;
  } catch (e) {
    if (e && typeof e === 'object' && (e as { code?: unknown }).code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') return TIMED_OUT;
    throw e;
  } finally {
    depth--;
    ctx.f = null;
  }
}
