// Whose code runs: the learner's function once it passes its public tests in check(), the
// reference (lib/reference, compiled from the reference solutions) until then. lib's samplers, losses and
// figures call exercises through here, so a learner's ddpmStep draws the chapter's figures.
import { byId } from '../reference';

export type ExerciseId = keyof typeof byId;
type Fn<K extends ExerciseId> = (typeof byId)[K];

interface State {
  yours?: Function;
  /** Why the learner's function is not used: tests failed, and the first failure. */
  failing?: { failed: number; total: number; first: string };
}

// One state per kernel, even if this module is loaded twice (tslab and tsx compile separately).
const KEY = Symbol.for('course.exercise.registry');
const store: { states: Map<string, State>; used: Set<string> } = ((globalThis as any)[KEY] ??= { states: new Map(), used: new Set() });

export function isExerciseId(id: string): id is ExerciseId {
  return Object.prototype.hasOwnProperty.call(byId, id);
}

function known(id: string): ExerciseId {
  if (!isExerciseId(id)) throw new Error(`no exercise "${id}"; the exercises are ${Object.keys(byId).join(', ')}`);
  return id;
}

/** The function that runs for `id` now: the learner's if it passed its tests, else the reference. */
export function implementation<K extends ExerciseId>(id: K): Fn<K> {
  store.used.add(id);
  return (store.states.get(id)?.yours as Fn<K> | undefined) ?? byId[id];
}

/** The reference function itself (for comparisons in tests and figures). */
export function reference<K extends ExerciseId>(id: K): Fn<K> {
  return byId[known(id) as K];
}

/** A function that always forwards to implementation(id): what lib exports under the exercise's name. */
export function dispatch<K extends ExerciseId>(id: K): Fn<K> {
  // byId is not read here: a reference solution may import lib, which defines its dispatchers
  // while lib/reference is still loading.
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
  const name = (byId[k] as Function).name;
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
