// `course/check` in the browser's kernel: lib/check.ts's exports, check() from the kernel's check.ts.
// test/site/courseCheck.test.ts holds the two export lists equal, so a chapter's import never
// finds a name missing in the tab that Jupyter has.
export { check, runCheck, checkHtml, checkText, type CheckResult } from './check';
export { whoRuns, forget } from 'course/exercise/registry';
export { credit, creditScope, creditText, creditHtml } from 'course/exercise/credit';
