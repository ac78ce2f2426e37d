// Whose code drew a figure: every exercise lib ran since the last figure, as one caption line
// ("drawn with your ddpmStep · reference forwardSample — yours is not checked yet").
import { takeUsed, whoRuns } from './registry';

/** The caption text for the exercises used since the last call, or '' if none ran. */
export function creditText(): string {
  const ids = takeUsed();
  return ids.length ? `drawn with ${ids.map(whoRuns).join(' · ')}` : '';
}

/** The same caption as a small HTML line under a figure ('' if no exercise ran). */
export function creditHtml(): string {
  const text = creditText();
  if (!text) return '';
  const esc = text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return `<div class="course-credit" style="font-size:12px;color:#57606a;margin:2px 0 8px 0">${esc}</div>`;
}
