// Whose code runs: the learner's function once it passes its public tests in check(), the
// reference (lib/reference, compiled from the reference solutions) until then. lib's samplers, losses and
// figures call exercises through here, so a learner's ddpmStep draws the chapter's figures.
//
// While grading there is no reference: the grader's sandbox holds lib without lib/reference, and
// its call server installs `grading` (the submission's own function for an id). There, an
// exercise's dispatcher runs the learner's function, or throws NOT_AVAILABLE.
import type { byId } from '../reference';
import { EXERCISE_FUNCTIONS } from './ids';

export type ExerciseId = keyof typeof EXERCISE_FUNCTIONS;
type Fn<K extends ExerciseId> = (typeof byId)[K];

/** The message of every route to a reference inside the grader's sandbox. */
export const NOT_AVAILABLE = 'the reference is not available while grading';

interface State {
  yours?: Function;
  /** Why the learner's function is not used: tests failed, and the first failure. */
  failing?: { failed: number; total: number; first: string };
}

interface Store {
  states: Map<string, State>;
  used: Set<string>;
  /** Set by the grader's call server: the submission's function for an id (or a throw). */
  grading?: (id: string) => Function;
}

// One state per kernel, even if this module is loaded twice (tslab and tsx compile separately).
const KEY = Symbol.for('course.exercise.registry');
const store: Store = ((globalThis as any)[KEY] ??= { states: new Map(), used: new Set() });

/**
 * The compiled reference functions, loaded when first needed (so lib loads without them, and a
 * reference solution that imports lib finds lib's dispatchers defined).
 */
function references(): typeof byId {
  if (store.grading) throw new Error(NOT_AVAILABLE);
  try {
    return require('../reference').byId;
  } catch (e) {
    if ((e as NodeJS.ErrnoException)?.code === 'MODULE_NOT_FOUND' && /reference/.test((e as Error).message)) throw new Error(`${NOT_AVAILABLE} (this lib has no lib/reference)`);
    throw e;
  }
}

export function isExerciseId(id: string): id is ExerciseId {
  return Object.prototype.hasOwnProperty.call(EXERCISE_FUNCTIONS, id);
}

function known(id: string): ExerciseId {
  if (!isExerciseId(id)) throw new Error(`no exercise "${id}"; the exercises are ${Object.keys(EXERCISE_FUNCTIONS).join(', ')}`);
  return id;
}

/** The function that runs for `id` now: the learner's if it passed its tests, else the reference. */
export function implementation<K extends ExerciseId>(id: K): Fn<K> {
  store.used.add(id);
  const yours = store.states.get(id)?.yours;
  if (yours) return yours as Fn<K>;
  if (store.grading) return store.grading(known(id)) as Fn<K>;
  return references()[known(id) as K];
}

/** The reference function itself (for comparisons in tests and figures). */
export function reference<K extends ExerciseId>(id: K): Fn<K> {
  return references()[known(id) as K];
}

/** A function that always forwards to implementation(id): what lib exports under the exercise's name. */
export function dispatch<K extends ExerciseId>(id: K): Fn<K> {
  const f = (...args: unknown[]) => (implementation(id) as Function)(...args);
  Object.defineProperty(f, 'name', { value: id.split('/')[1] });
  return f as unknown as Fn<K>;
}

/** The learner's function passed every scored public test: use it from now on. */
export function use(id: string, fn: Function): void {
  store.states.set(known(id), { yours: fn });
}

/** The learner's function failed: keep (or go back to) the reference, and remember why. */
export function fails(id: string, failing: { failed: number; total: number; first: string }): void {
  store.states.set(known(id), { failing });
}

/** Forget the learner's function (back to the reference). */
export function forget(id?: string): void {
  if (id === undefined) store.states.clear();
  else store.states.delete(known(id));
}

/** Whose function runs for `id`, in words: "your ddpmStep" or "reference ddpmStep — …". */
export function whoRuns(id: string): string {
  const k = known(id);
  const name = EXERCISE_FUNCTIONS[k];
  const s = store.states.get(k);
  if (s?.yours) return `your ${name}`;
  if (s?.failing) {
    const f = s.failing;
    return `reference ${name} — yours fails ${f.failed} of ${f.total} tests (first: ${f.first})`;
  }
  return `reference ${name} — yours is not checked yet`;
}

/** Whether the learner's function is in use. */
export function isYours(id: string): boolean {
  return !!store.states.get(known(id))?.yours;
}

/** The exercises that ran since the last call (lib/plot's show() uses this to say whose code drew a figure). */
export function takeUsed(): string[] {
  const ids = [...store.used];
  store.used.clear();
  return ids;
}
