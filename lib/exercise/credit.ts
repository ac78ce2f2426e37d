// Whose code drew a figure: every exercise lib ran since the last figure, as one caption line
// ("drawn with your ddpmStep · reference forwardSample — yours is not checked yet").
import { showHtml } from '../notebook';
import { isExerciseId, takeUsed, whoRuns } from './registry';
import { EXERCISE_FUNCTIONS } from './ids';

// One scope per kernel (as the registry's state), even if this module is loaded twice.
const SCOPE = Symbol.for('course.exercise.creditScope');
const scopeStore: { areas?: string[] } = ((globalThis as any)[SCOPE] ??= {});

/**
 * Name in credit lines only the exercises a chapter lets the learner check: those of the given
 * areas ('flow' for flow/velocityTarget, flow/eulerFlowStep) or ids, plus any exercise the learner
 * has checked in this kernel (theirs, or failing). An exercise of another chapter that lib only
 * calls on the way (chapter 7's samplers call ddimStep) is left out: "yours is not checked yet"
 * would ask for a check this notebook has no cell for. Without a call every exercise is named.
 */
export function creditScope(...areas: string[]): void {
  areas.forEach((a) => {
    if (typeof a !== 'string' || a === '') throw new Error(`creditScope: an area is a non-empty string such as 'flow', got ${JSON.stringify(a)}`);
    if (a.includes('/') && !isExerciseId(a)) throw new Error(`creditScope: no exercise "${a}"`);
    // An area with no exercises (a typo) would silently drop every caption of the chapter.
    if (!a.includes('/') && !Object.keys(EXERCISE_FUNCTIONS).some((id) => id.startsWith(`${a}/`))) throw new Error(`creditScope: no exercise in area "${a}"`);
  });
  scopeStore.areas = areas.length ? areas : undefined;
}

function inScope(id: string): boolean {
  const areas = scopeStore.areas;
  if (!areas) return true;
  return areas.some((a) => id === a || id.startsWith(`${a}/`)) || !whoRuns(id).endsWith('yours is not checked yet');
}

/**
 * The caption text for the exercises used since the last call (only those in `only`, when given),
 * or '' if none ran (or none in scope).
 */
export function creditText(only?: string[]): string {
  const ids = takeUsed().filter((id) => (!only || only.includes(id)) && inScope(id));
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
