// check(): a learner checks an exercise where they wrote it.
//   await check('diffusion/ddpmStep', ddpmStep)   the function just defined in the notebook
//   await check('diffusion/ddpmStep')             your exercises/diffusion/ddpmStep.ts
//   await check('diffusion') or check('03')       every exercise of a chapter (exercises/ files)
// It runs the exercise's public tests (test/exercises/<id>.spec.ts) in this process, shows one
// table, and from then on lib's figures run your function if it passed and the reference if not.
import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { showHtml } from '../notebook';
import { ExerciseId, fails, isExerciseId, use } from './registry';
import { Caller, TestResult, localCaller, runSpec } from './run';
import { ExerciseSpec } from './spec';
import { EXERCISE_FUNCTIONS } from './ids';

export const ROOT = path.resolve(__dirname, '..', '..');
/** Where the public tests live: test/exercises/<chapter>/<name>.spec.ts. */
export const PUBLIC_SPECS = path.join(ROOT, 'test', 'exercises');

export interface CheckResult {
  target: string;
  score: number;
  max: number;
  tests: TestResult[];
}

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

/** The specs (ExerciseSpec[]) a spec file exports, as `default` (one or an array). */
export function specsIn(mod: any, file: string): ExerciseSpec[] {
  const d = mod?.default ?? mod;
  const list = Array.isArray(d) ? d : [d];
  for (const s of list) {
    if (!s || typeof s.id !== 'string' || typeof s.fn !== 'string' || !Array.isArray(s.tests)) throw new Error(`${file}: export default exercise(...) (or an array of them)`);
  }
  return list;
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
  const t = target.trim().replace(/^exercises\//, '').replace(/\.ts$/, '').replace('.', '/');
  if (isExerciseId(t)) return [t];
  const all = Object.keys(EXERCISE_FUNCTIONS) as ExerciseId[];
  const chapter = all.filter((id) => id.startsWith(`${t}/`));
  if (chapter.length) return chapter;
  if (/^\d{1,2}$/.test(t)) {
    const nb = fs.readdirSync(path.join(ROOT, 'notebooks')).find((f) => f.endsWith('.ipynb') && Number(f.slice(0, 2)) === Number(t));
    if (!nb) throw new Error(`check: no notebook numbered ${t}`);
    const cells = JSON.parse(fs.readFileSync(path.join(ROOT, 'notebooks', nb), 'utf8')).cells as { metadata?: { exercise?: string } }[];
    const ids = cells.map((c) => c.metadata?.exercise).filter((x): x is ExerciseId => !!x && isExerciseId(x));
    if (!ids.length) throw new Error(`check: notebook ${nb} has no exercises`);
    return ids;
  }
  const chapters = [...new Set(all.map((id) => id.split('/')[0]))];
  throw new Error(`check: "${target}" is not an exercise, a chapter (${chapters.join(', ')}) or a notebook number`);
}

/** Run the public tests of `target`; with `fn`, against that function, else against your exercises/ files. */
export async function runCheck(target: string, fn?: Function, opts: { dir?: string } = {}): Promise<CheckResult> {
  if (typeof target !== 'string' || !target.trim()) throw new Error("check: give an exercise or chapter, e.g. check('diffusion/ddpmStep', ddpmStep)");
  const ids = exercisesOf(target);
  if (fn !== undefined && ids.length !== 1) throw new Error(`check: pass a function only with one exercise, e.g. check('${ids[0]}', ${EXERCISE_FUNCTIONS[ids[0]]})`);
  const tests: TestResult[] = [];
  for (const id of ids) {
    const spec = publicSpec(id);
    let caller: Caller;
    try {
      caller = localCaller(fn ?? learnerFunction(id, spec.fn, opts.dir ?? exercisesDir()), tf);
    } catch (e) {
      tests.push(...spec.tests.map((t) => ({ exercise: id, title: t.title, points: t.points, score: 0, passed: false, message: (e as Error).message })));
      continue;
    }
    const results = await runSpec(spec, caller);
    tests.push(...results);
    const scored = results.filter((r) => r.points > 0);
    const failed = scored.filter((r) => !r.passed);
    const f = fn ?? safeLearnerFunction(id, spec.fn, opts.dir);
    if (failed.length === 0 && f) use(id, f);
    else fails(id, { failed: failed.length, total: scored.length, first: failed[0]?.message.split('\n')[0].slice(0, 160) ?? '' });
  }
  const score = tests.reduce((a, t) => a + t.score, 0);
  const max = tests.reduce((a, t) => a + t.points, 0);
  return { target, score, max, tests };
}

function learnerFunction(id: string, name: string, dir: string): Function {
  const file = path.join(dir, `${id}.ts`);
  if (!fs.existsSync(file)) throw new Error(`no file ${file}: write your ${name} there, or pass your function: check('${id}', ${name})`);
  const mod = loadTs(file);
  if (typeof mod?.[name] !== 'function') throw new Error(`${path.basename(file)} does not export a function ${name}`);
  return mod[name];
}

function safeLearnerFunction(id: string, name: string, dir?: string): Function | null {
  try {
    return learnerFunction(id, name, dir ?? exercisesDir());
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------- showing results

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function mark(t: TestResult): string {
  if (t.points === 0) return t.passed ? '✔ ok' : '⚠ advice';
  return t.passed ? '✔ pass' : '✘ fail';
}

/**
 * The results as an HTML table: test, result, message, points. The message breaks between words
 * (the classic Notebook's Bootstrap sets `word-break: break-all` on <pre>, which cut
 * "not implemented: similarityMatrix" into "similarityMatr" / "ix"), and inside a word only
 * when the word alone is wider than the column.
 */
export function checkHtml(r: CheckResult): string {
  const rows = r.tests
    .map((t) => {
      const color = t.passed ? '#1a7f37' : t.points === 0 ? '#9a6700' : '#cf222e';
      return `<tr><td style="text-align:left">${escapeHtml(t.title)}</td>` +
        `<td style="color:${color};font-weight:bold;white-space:nowrap">${mark(t)}</td>` +
        `<td style="text-align:left"><pre style="margin:0;white-space:pre-wrap;word-break:normal;overflow-wrap:anywhere">${escapeHtml(t.message)}</pre></td>` +
        `<td style="white-space:nowrap">${t.points === 0 ? '—' : `${t.score} / ${t.points}`}</td></tr>`;
    })
    .join('');
  const ids = [...new Set(r.tests.map((t) => t.exercise))];
  return `<div class="course-check"><b>check('${escapeHtml(r.target)}')</b>: ${r.score} / ${r.max} points` +
    (ids.length > 1 ? ` over ${ids.length} exercises` : '') +
    `<table><thead><tr><th style="text-align:left">test</th><th>result</th><th style="text-align:left">message</th><th>points</th></tr></thead><tbody>${rows}</tbody></table></div>`;
}

/** The results as a text table. */
export function checkText(r: CheckResult): string {
  const lines = [`check('${r.target}'): ${r.score} / ${r.max} points`];
  let last = '';
  for (const t of r.tests) {
    if (t.exercise !== last) lines.push(`  ${t.exercise}`);
    last = t.exercise;
    lines.push(`  ${mark(t).padEnd(9)} ${(t.points === 0 ? '—' : `${t.score}/${t.points}`).padStart(5)}  ${t.title}`);
    if (!t.passed) for (const l of t.message.split('\n').slice(0, 12)) lines.push(`                   ${l}`);
  }
  return lines.join('\n');
}

/**
 * Check an exercise and show one table. With a function, that function is tested; once it
 * passes, lib's figures run it instead of the reference.
 */
export async function check(target: string, fn?: Function): Promise<void> {
  const r = await runCheck(target, fn);
  if (!showHtml(checkHtml(r))) console.log(checkText(r));
}
