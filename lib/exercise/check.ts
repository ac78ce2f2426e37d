// check(): a learner checks an exercise where they wrote it.
//   await check('diffusion/ddpmStep', ddpmStep)   the function just defined in the notebook
//   await check('diffusion/ddpmStep')             your exercises/diffusion/ddpmStep.ts
//   await check('diffusion') or check('03')       every exercise of a chapter (exercises/ files)
// It runs the exercise's public tests (test/exercises/<id>.spec.ts) in this process, shows one
// table, and from then on lib's figures run your function if it passed and the reference if not.
import * as fs from 'fs';
import * as path from 'path';
import { showHtml } from '../notebook';
import { ExerciseId } from './registry';
import { CheckResult, checkHtml, checkText } from './checkTable';
import { checkExercises, exercisesOfWith, specsIn } from './checkRun';
export { specsIn };
import { ExerciseSpec } from './spec';

export const ROOT = path.resolve(__dirname, '..', '..');
/** Where the public tests live: test/exercises/<chapter>/<name>.spec.ts. */
export const PUBLIC_SPECS = path.join(ROOT, 'test', 'exercises');

export type { CheckResult } from './checkTable';
export { checkHtml, checkText } from './checkTable';

/** Load a module written in TypeScript, fresh (a learner's edited file is read again). */
export function loadTs(file: string): any {
  const api = require('tsx/cjs/api') as { register(o: { namespace: string }): { require(id: string, from: string): any; unregister(): void } };
  // tsx's unregister deletes the extension handlers it installed, including ones that replaced
  // the kernel's own (tslab resolves later imports of .ts modules through them): put them back.
  const ext = require.extensions as Record<string, unknown>;
  const saved = Object.fromEntries(['.ts', '.tsx', '.cts', '.mts', '.js', '.mjs', '.cjs', '.jsx'].map((k) => [k, ext[k]]));
  const scope = api.register({ namespace: `course-${Date.now()}-${Math.random().toString(36).slice(2)}` });
  try {
    return scope.require(file, __filename);
  } finally {
    scope.unregister();
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete ext[k];
      else ext[k] = v;
    }
  }
}

/** The public spec of one exercise. */
export function publicSpec(id: string): ExerciseSpec {
  const file = path.join(PUBLIC_SPECS, `${id}.spec.ts`);
  if (!fs.existsSync(file)) throw new Error(`no public tests for "${id}" (looked for ${path.relative(ROOT, file)})`);
  const spec = specsIn(loadTs(file), file).find((s) => s.id === id);
  if (!spec) throw new Error(`${path.relative(ROOT, file)} has no exercise('${id}', …)`);
  return spec;
}

/** The learner's exercises/ folder: the nearest one above the working directory, else the course's. */
export function exercisesDir(from = process.cwd()): string {
  if (process.env.COURSE_EXERCISES_DIR) return path.resolve(process.env.COURSE_EXERCISES_DIR);
  for (let d = path.resolve(from); ; d = path.dirname(d)) {
    const cand = path.join(d, 'exercises');
    if (fs.existsSync(path.join(cand, 'basics')) || fs.existsSync(path.join(cand, 'diffusion'))) return cand;
    if (path.dirname(d) === d) break;
  }
  return path.join(ROOT, 'exercises');
}

/** Exercise ids a target names: an id ('basics/alphaBar' or 'basics.alphaBar'), a chapter ('clip'), or a notebook number ('3', '03'). */
export function exercisesOf(target: string): ExerciseId[] {
  return exercisesOfWith(target, (n) => {
    const nb = fs.readdirSync(path.join(ROOT, 'notebooks')).find((f) => f.endsWith('.ipynb') && Number(f.slice(0, 2)) === n);
    if (!nb) return null;
    const cells = JSON.parse(fs.readFileSync(path.join(ROOT, 'notebooks', nb), 'utf8')).cells as { metadata?: { exercise?: string } }[];
    return { name: nb, ids: cells.map((c) => c.metadata?.exercise).filter((x): x is string => !!x) };
  });
}

/** Run the public tests of `target`; with `fn`, against that function, else against your exercises/ files. */
export async function runCheck(target: string, fn?: Function, opts: { dir?: string } = {}): Promise<CheckResult> {
  if (typeof target !== 'string' || !target.trim()) throw new Error("check: give an exercise or chapter, e.g. check('diffusion/ddpmStep', ddpmStep)");
  return checkExercises(target, exercisesOf(target), publicSpec, fn, (id, name) => learnerFunction(id, name, opts.dir ?? exercisesDir()));
}

function learnerFunction(id: string, name: string, dir: string): Function {
  const file = path.join(dir, `${id}.ts`);
  if (!fs.existsSync(file)) throw new Error(`no file ${file}: write your ${name} there, or pass your function: check('${id}', ${name})`);
  const mod = loadTs(file);
  if (typeof mod?.[name] !== 'function') throw new Error(`${path.basename(file)} does not export a function ${name}`);
  return mod[name];
}

/**
 * Check an exercise and show one table. With a function, that function is tested; once it
 * passes, lib's figures run it instead of the reference.
 */
export async function check(target: string, fn?: Function): Promise<void> {
  const r = await runCheck(target, fn);
  if (!showHtml(checkHtml(r))) console.log(checkText(r));
}
