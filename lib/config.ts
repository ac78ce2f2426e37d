// Quick mode: COURSE_QUICK=1 (set by `npm test`) shrinks training and sampling to
// seconds. Same code, fewer steps: pass both sizes and let the mode pick.
import { env } from './env';

/** True in quick mode (CI and `npm test`). */
export function isQuick(): boolean {
  const v = env('COURSE_QUICK');
  return !!v && v !== '0' && v !== 'false';
}

/** `full` normally, `quick` in quick mode. */
export function pick<T>(full: T, quick: T): T {
  return isQuick() ? quick : full;
}
