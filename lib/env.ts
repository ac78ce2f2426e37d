// The one place lib reads its settings (COURSE_QUICK, COURSE_KERNELS, …): process.env in Node,
// nothing in a browser (there is no process there), so browser builds run the defaults.

/** The setting `name`, or undefined where it is unset or there is no process environment. */
export function env(name: string): string | undefined {
  const p = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process;
  return p && p.env ? p.env[name] : undefined;
}
