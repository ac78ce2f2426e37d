// A time bound on every regular expression a test body runs in the grader. A teacher's hidden
// test may match a learner's message with its own pattern (`/…/i.test(msg)`, `msg.match(…)`,
// chai's `.match`), not only through names(); a learner who knows or guesses the pattern can
// send text on which it backtracks for hours, and the grader (one process for the class) would
// hang. While a test body runs (an AsyncLocalStorage scope that follows its awaits), the
// RegExp methods every regex operation goes through (exec; @@match, @@replace and @@split, which
// loop over exec in one call) run under withinTime: past PATTERN_MS the operation throws, and the
// test fails with a message that names the pattern. Outside test bodies (the grader's own code,
// the call server's I/O) they run as they always do.
import { AsyncLocalStorage } from 'async_hooks';
import { PATTERN_MS, VerdictError } from '../lib/exercise/spec';
import { bounding, TIMED_OUT, withinTime } from '../lib/exercise/withinTime';

const scope = new AsyncLocalStorage<true>();
let installed = false;

/** The pattern as a message shows it (a teacher's pattern may be long). */
const showPattern = (re: unknown) => {
  const s = re instanceof RegExp ? `/${re.source}/${re.flags}` : 'a pattern';
  return s.length > 120 ? `${s.slice(0, 120)}…` : s;
};

function install(): void {
  if (installed) return;
  installed = true;
  const proto = RegExp.prototype as unknown as Record<PropertyKey, unknown>;
  for (const key of ['exec', Symbol.match, Symbol.replace, Symbol.split] as const) {
    const native = proto[key] as (this: RegExp, ...args: unknown[]) => unknown;
    const bounded = function (this: RegExp, ...args: unknown[]): unknown {
      if (bounding() || scope.getStore() !== true) return native.apply(this, args);
      const r = withinTime(() => native.apply(this, args), PATTERN_MS);
      if (r === TIMED_OUT) throw new VerdictError(`the test's pattern ${showPattern(this)} ran longer than ${PATTERN_MS} ms on the text it was given (a pattern that backtracks), so the test cannot pass`);
      return r;
    };
    Object.defineProperty(bounded, 'name', { value: native.name });
    Object.defineProperty(RegExp.prototype, key, { value: bounded, writable: true, configurable: true, enumerable: false });
  }
}

/** Run a test body (or a test's callback): every regular expression it runs has a time bound. */
export function asTestBody<T>(f: () => T): T {
  install();
  return scope.run(true, f);
}

/** Run grader code from inside a test body (a call into the sandbox) as grader code: unbounded. */
export function asGrader<T>(f: () => T): T {
  return scope.exit(f);
}
