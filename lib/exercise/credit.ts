// Whose code drew a figure: the exercises lib ran since the last figure, as one caption line
// ("drawn with your ddpmStep · reference forwardSample — yours is not checked yet").
//
// A chapter names the exercises a learner can check in it (creditHere, once, in its first cell);
// from then on a caption names those, and another chapter's exercise only once the learner
// checked it in this kernel (theirs runs, or theirs failed). A schedule built with alphaBar or a
// score computed with energyDistance in passing is not "drawn with reference alphaBar — yours is
// not checked yet" where the learner cannot check it. credit('flow/eulerFlowStep') names only
// what drew the figure when a cell also ran other exercises to measure it.
import { showHtml } from '../notebook';
import { isExerciseId, isYours, takeUsed, whoRuns } from './registry';

// One per kernel, like the registry (tslab and tsx may load this module twice).
const KEY = Symbol.for('course.exercise.creditHere');
const scope: { here?: Set<string> } = ((globalThis as any)[KEY] ??= {});

/**
 * The exercises a learner can check in this notebook ('<chapter>/<name>' ids). Call once, in the
 * chapter's first code cell; with no call, captions name every exercise that ran.
 */
export function creditHere(ids: string[]): void {
  if (!Array.isArray(ids)) throw new Error('creditHere: give the exercise ids checked in this chapter, e.g. [\'flow/velocityTarget\']');
  const unknown = ids.filter((id) => !isExerciseId(id));
  if (unknown.length) throw new Error(`creditHere: no exercise ${unknown.map((id) => JSON.stringify(id)).join(', ')}`);
  scope.here = new Set(ids);
}

/** The learner checked this exercise in this kernel: theirs runs, or theirs failed its tests. */
function checkedHere(id: string): boolean {
  return isYours(id) || !whoRuns(id).endsWith('yours is not checked yet');
}

/**
 * The caption text for the exercises used since the last call (only those in `only`, when given),
 * or '' if none is to be named.
 */
export function creditText(only?: string[]): string {
  const ids = takeUsed().filter((id) => (!only || only.includes(id)) && (!scope.here || scope.here.has(id) || checkedHere(id)));
  return ids.length ? `drawn with ${ids.map(whoRuns).join(' · ')}` : '';
}

/** A caption as a small HTML line (a <div>, so it wraps between words, unlike a printed <pre>). */
export function creditLine(text: string): string {
  if (!text) return '';
  const esc = text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return `<div class="course-credit" style="font-size:12px;color:#57606a;margin:2px 0 8px 0;white-space:normal;word-break:normal;overflow-wrap:anywhere">${esc}</div>`;
}

/** The same caption as a small HTML line under a figure ('' if no exercise ran). */
export function creditHtml(only?: string[]): string {
  return creditLine(creditText(only));
}

/**
 * Show the caption under what a cell just drew or printed (a table, a number): an HTML line in
 * a notebook, where a printed line would break inside words, and a console line elsewhere.
 * Nothing if no exercise ran. credit('flow/eulerFlowStep') names only that exercise (what drew
 * the figure), not those the cell ran to measure it. Returns nothing, so the cell prints no value.
 */
export function credit(...only: string[]): void {
  const text = creditText(only.length ? only : undefined);
  if (!text) return;
  if (!showHtml(creditLine(text))) console.log(text);
}
