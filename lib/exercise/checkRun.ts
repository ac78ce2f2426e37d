// What check() does wherever it runs (a tslab kernel in Node, the browser's notebook pages):
// which exercises a target names, and running their public tests, the learner's function
// taking over lib's figures once it passes. Where the specs and the learner's files come from
// is the caller's (check.ts reads them from disk; web/notebook bundles the public specs).
import * as tf from '@tensorflow/tfjs';
import { ExerciseId, fails, isExerciseId, use } from './registry';
import { Caller, TestResult, localCaller, runSpec } from './run';
import { ExerciseSpec } from './spec';
import type { CheckResult } from './checkTable';
import { EXERCISE_FUNCTIONS } from './ids';

/**
 * Exercise ids a target names: an id ('basics/alphaBar' or 'basics.alphaBar'), a chapter ('clip'),
 * or a notebook number ('3', '03'), whose exercises `notebookIds` gives (null: no such notebook).
 */
export function exercisesOfWith(target: string, notebookIds: (n: number) => { name: string; ids: string[] } | null): ExerciseId[] {
  const t = target.trim().replace(/^exercises\//, '').replace(/\.ts$/, '').replace('.', '/');
  if (isExerciseId(t)) return [t];
  const all = Object.keys(EXERCISE_FUNCTIONS) as ExerciseId[];
  const chapter = all.filter((id) => id.startsWith(`${t}/`));
  if (chapter.length) return chapter;
  if (/^\d{1,2}$/.test(t)) {
    const nb = notebookIds(Number(t));
    if (!nb) throw new Error(`check: no notebook numbered ${t}`);
    const ids = nb.ids.filter((x): x is ExerciseId => isExerciseId(x));
    if (!ids.length) throw new Error(`check: notebook ${nb.name} has no exercises`);
    return ids;
  }
  const chapters = [...new Set(all.map((id) => id.split('/')[0]))];
  throw new Error(`check: "${target}" is not an exercise, a chapter (${chapters.join(', ')}) or a notebook number`);
}

/**
 * Run the public tests of `ids` (what `target` named) against `fn`, or else against what
 * `learner(id, name)` gives (it throws with the reason when there is nothing to test).
 */
export async function checkExercises(target: string, ids: ExerciseId[], specOf: (id: ExerciseId) => ExerciseSpec, fn: Function | undefined, learner: (id: ExerciseId, name: string) => Function): Promise<CheckResult> {
  if (fn !== undefined && ids.length !== 1) throw new Error(`check: pass a function only with one exercise, e.g. check('${ids[0]}', ${EXERCISE_FUNCTIONS[ids[0]]})`);
  const tests: TestResult[] = [];
  for (const id of ids) {
    const spec = specOf(id);
    let caller: Caller;
    try {
      caller = localCaller(fn ?? learner(id, spec.fn), tf);
    } catch (e) {
      tests.push(...spec.tests.map((t) => ({ exercise: id, title: t.title, points: t.points, score: 0, passed: false, message: (e as Error).message })));
      continue;
    }
    const results = await runSpec(spec, caller);
    tests.push(...results);
    const scored = results.filter((r) => r.points > 0);
    const failed = scored.filter((r) => !r.passed);
    let f: Function | null = fn ?? null;
    if (!f) {
      try {
        f = learner(id, spec.fn);
      } catch {
        f = null;
      }
    }
    if (failed.length === 0 && f) use(id, f);
    else fails(id, { failed: failed.length, total: scored.length, first: failed[0]?.message.split('\n')[0].slice(0, 160) ?? '' });
  }
  const score = tests.reduce((a, t) => a + t.score, 0);
  const max = tests.reduce((a, t) => a + t.points, 0);
  return { target, score, max, tests };
}

/** The specs (ExerciseSpec[]) a spec file exports, as `default` (one or an array). */
export function specsIn(mod: any, file: string): ExerciseSpec[] {
  const d = mod?.default ?? mod;
  const list = Array.isArray(d) ? d : [d];
  for (const s of list) {
    if (!s || typeof s.id !== 'string' || typeof s.fn !== 'string' || !Array.isArray(s.tests)) throw new Error(`${file}: export default exercise(...) (or an array of them)`);
  }
  return list;
}
