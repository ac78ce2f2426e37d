// `course/check`: check an exercise where you wrote it (see lib/exercise/check.ts).
export { check, runCheck, checkHtml, checkText, type CheckResult } from './exercise/check';
export { whoRuns, forget } from './exercise/registry';
export { credit, creditHere, creditText, creditHtml } from './exercise/credit';
