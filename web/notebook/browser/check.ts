// check() in the browser's kernel: lib/exercise/check.ts's API with the public specs bundled
// (test/exercises/<id>.spec.ts, the learner edition's; never the grader's hidden ones) instead
// of read from disk. Same tests, same table (lib/exercise/checkTable.ts), same effect: once the
// learner's function passes, lib's figures run it (lib/exercise/registry.ts).
import { SPECS, NOTEBOOK_EXERCISES } from 'course-notebook:specs';
import { showHtml } from 'course/notebook';
import type { ExerciseId } from 'course/exercise/registry';
import type { ExerciseSpec } from 'course/exercise/spec';
import { CheckResult, checkHtml, checkText } from 'course/exercise/checkTable';
import { checkExercises, exercisesOfWith, specsIn } from 'course/exercise/checkRun';

export { checkHtml, checkText, specsIn, type CheckResult };
export const ROOT = '/course';
export const PUBLIC_SPECS = '/course/test/exercises';

export function publicSpec(id: string): ExerciseSpec {
  const mod = SPECS[id];
  if (!mod) throw new Error(`no public tests for "${id}" (looked for test/exercises/${id}.spec.ts)`);
  const spec = specsIn(mod, `test/exercises/${id}.spec.ts`).find((s) => s.id === id);
  if (!spec) throw new Error(`test/exercises/${id}.spec.ts has no exercise('${id}', …)`);
  return spec;
}

export function exercisesOf(target: string): ExerciseId[] {
  return exercisesOfWith(target, (n) => NOTEBOOK_EXERCISES.find((nb) => Number(nb.name.slice(0, 2)) === n) ?? null);
}

export function exercisesDir(): string {
  return '/course/exercises';
}

export function loadTs(file: string): never {
  throw new Error(`loadTs(${file}): the browser's kernel loads no files; pass your function to check()`);
}

/** Run the public tests of `target` against `fn` (the browser has no exercises/ files to read). */
export async function runCheck(target: string, fn?: Function): Promise<CheckResult> {
  if (typeof target !== 'string' || !target.trim()) throw new Error("check: give an exercise or chapter, e.g. check('diffusion/ddpmStep', ddpmStep)");
  return checkExercises(target, exercisesOf(target), publicSpec, fn, (id, name) => {
    throw new Error(`in the browser there is no exercises/${id}.ts: write ${name} in its exercise cell and pass it, check('${id}', ${name})`);
  });
}

export async function check(target: string, fn?: Function): Promise<void> {
  const r = await runCheck(target, fn);
  if (!showHtml(checkHtml(r))) console.log(checkText(r));
}
