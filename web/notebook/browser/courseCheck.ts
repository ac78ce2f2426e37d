// `course/check` in the browser's kernel: lib/check.ts's exports, check() from the kernel's check.ts.
export { check, runCheck, checkHtml, checkText, type CheckResult } from './check';
export { whoRuns, forget } from 'course/exercise/registry';
export { credit, creditText, creditHtml } from 'course/exercise/credit';
