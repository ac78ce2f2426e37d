// Whose code drew a figure: every exercise lib ran since the last figure, as one caption line
// ("drawn with your ddpmStep · reference forwardSample — yours is not checked yet").
import { showHtml } from '../notebook';
import { takeUsed, whoRuns } from './registry';

/** The caption text for the exercises used since the last call, or '' if none ran. */
export function creditText(): string {
  const ids = takeUsed();
  return ids.length ? `drawn with ${ids.map(whoRuns).join(' · ')}` : '';
}

/** A caption as a small HTML line (a <div>, so it wraps between words, unlike a printed <pre>). */
export function creditLine(text: string): string {
  if (!text) return '';
  const esc = text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return `<div class="course-credit" style="font-size:12px;color:#57606a;margin:2px 0 8px 0;white-space:normal;word-break:normal;overflow-wrap:anywhere">${esc}</div>`;
}

/** The same caption as a small HTML line under a figure ('' if no exercise ran). */
export function creditHtml(): string {
  return creditLine(creditText());
}

/**
 * Show the caption under what a cell just drew or printed (a table, a number): an HTML line in
 * a notebook, where a printed line would break inside words, and a console line elsewhere.
 * Nothing if no exercise ran. Returns nothing, so the cell prints no value after it.
 */
export function credit(): void {
  const text = creditText();
  if (!text) return;
  if (!showHtml(creditLine(text))) console.log(text);
}
