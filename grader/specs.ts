// The tests the grader runs: the public specs (test/exercises/<chapter>/<name>.spec.ts) and a
// teacher's hidden ones (any *.spec.ts in a folder, same format). They load here, in the
// trusted grader, and never go into a sandbox. Hidden specs import the course as the package
// `course` (e.g. `import { exercise, test, near } from 'course/exercise'`), wherever they live.
import * as path from 'path';
import Module = require('module');
import { PUBLIC_SPECS, exercisesOf, specsIn } from '../lib/exercise/check';
import type { ExerciseSpec } from '../lib/exercise/spec';
import { walk } from './walk';

export const ROOT = path.resolve(__dirname, '..');

export interface GradedSpec {
  spec: ExerciseSpec;
  hidden: boolean;
  file: string;
}

export interface Plan {
  specs: GradedSpec[];
  /** Every exercise id, sorted. */
  exercises: string[];
}

let courseResolver = false;

/** Let spec files outside the repository import `course/...` (the repository's lib). */
function resolveCourse(): void {
  if (courseResolver) return;
  courseResolver = true;
  const M = Module as unknown as { _resolveFilename: (req: string, ...rest: unknown[]) => string };
  const orig = M._resolveFilename;
  M._resolveFilename = function (request: string, ...rest: unknown[]) {
    if (request === 'course' || request.startsWith('course/')) request = path.join(ROOT, 'lib', request.slice('course'.length));
    return orig.call(this, request, ...rest);
  };
}

function specFiles(dir: string): string[] {
  return walk(dir, { skip: (n) => n === 'node_modules' || n.startsWith('.') }).regular.filter((f) => f.endsWith('.spec.ts'));
}

function load(file: string, hidden: boolean): GradedSpec[] {
  let mod: unknown;
  try {
    // The grader runs under tsx, so spec files load with require and share one module cache.
    mod = require(file);
  } catch (e) {
    throw new Error(`${hidden ? 'hidden' : 'public'} spec ${file} does not load: ${(e as Error).message}`);
  }
  return specsIn(mod, file).map((spec) => ({ spec, hidden, file }));
}

/** Load the public specs (unless `hiddenOnly`) and the hidden ones in `hiddenDir`. */
export function loadPlan(opts: { hiddenDir?: string; hiddenOnly?: boolean; publicDir?: string; only?: string[] } = {}): Plan {
  resolveCourse();
  const specs: GradedSpec[] = [];
  const dir = opts.publicDir ?? PUBLIC_SPECS;
  // With --only, load just the public spec files of those exercises or chapters (<chapter>/<name>.spec.ts).
  const wanted = (f: string) => {
    if (!opts.only) return true;
    const id = path.relative(dir, f).replace(/\.spec\.ts$/, '').split(path.sep).join('/');
    return opts.only.some((t) => {
      if (/^\d{1,2}$/.test(t.trim())) return (exercisesOf(t) as string[]).includes(id);
      const x = t.replace(/\.ts$/, '').replace(/^exercises\//, '').replace(/\./g, '/');
      return id === x || id.startsWith(x + '/');
    });
  };
  if (!opts.hiddenOnly) for (const f of specFiles(dir).filter(wanted)) specs.push(...load(f, false));
  if (opts.hiddenDir) {
    const found = specFiles(path.resolve(opts.hiddenDir));
    if (!found.length) throw new Error(`--tests: no *.spec.ts files in ${opts.hiddenDir}`);
    for (const f of found) specs.push(...load(f, true));
  }
  if (!specs.length) throw new Error('no exercise specs to run');
  const titles = new Set<string>();
  for (const s of specs) {
    for (const t of s.spec.tests) {
      const key = `${s.spec.id}: ${t.title}`;
      if (titles.has(key)) throw new Error(`two tests of ${s.spec.id} are titled "${t.title}" (${s.file})`);
      titles.add(key);
    }
  }
  return { specs, exercises: [...new Set(specs.map((s) => s.spec.id))].sort() };
}

/** Resolve targets ('basics', 'basics/alphaBar', 'basics.alphaBar') to exercise ids. */
export function selectExercises(p: Plan, target: string): string[] {
  // A notebook number ('3', '03'): the exercises whose cells that chapter's notebook holds.
  if (/^\d{1,2}$/.test(target.trim())) return exercisesOf(target).filter((id) => p.exercises.includes(id));
  const t = target.replace(/\.ts$/, '').replace(/^exercises\//, '').replace(/\./g, '/');
  const hit = p.exercises.filter((e) => e === t || e.startsWith(t + '/'));
  if (!hit.length) throw new Error(`no exercise or chapter "${target}"; known exercises: ${p.exercises.join(', ') || '(none)'}`);
  return hit;
}
