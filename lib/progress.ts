// A progress bar for long work (training, sampling): step, loss and steps/s.
// In a notebook it is one output updated in place; in a terminal one line
// redrawn with \r; in a log (CI) a line every 10%.
import { inNotebook, outputArea, yieldToEventLoop } from './notebook';
import { env } from './env';

export interface ProgressInfo {
  [name: string]: number | string | undefined;
}

export interface Progress {
  /** Record that `step` steps are done; shows at most every `everyMs`. Await it: it yields when it drew. */
  update(step: number, info?: ProgressInfo): Promise<void>;
  /** Draw the final state. */
  done(info?: ProgressInfo): void;
  /** The text of the last drawn line (for tests and logs). */
  readonly line: string;
}

export interface ProgressOptions {
  label?: string;
  everyMs?: number;
  /** Where to draw: inferred from the environment unless given. */
  mode?: 'notebook' | 'tty' | 'log' | 'silent';
  unit?: string;
}

function fmt(v: number | string | undefined): string {
  if (typeof v !== 'number') return String(v);
  if (Number.isInteger(v)) return String(v);
  const a = Math.abs(v);
  return a !== 0 && (a < 1e-3 || a >= 1e5) ? v.toExponential(3) : v.toFixed(4);
}

export function progress(total: number, opts: ProgressOptions = {}): Progress {
  if (!(Number.isInteger(total) && total > 0)) throw new Error(`progress: total must be a positive integer, got ${total}`);
  const label = opts.label ?? '';
  const unit = opts.unit ?? 'steps';
  const everyMs = opts.everyMs ?? 150;
  const mode =
    opts.mode ??
    (env('COURSE_PROGRESS') as ProgressOptions['mode']) ??
    // No process (a browser): nowhere to write a line, so silent.
    (inNotebook() ? 'notebook' : typeof process === 'undefined' ? 'silent' : process.stderr.isTTY ? 'tty' : 'log');
  const area = mode === 'notebook' ? outputArea() : null;
  const t0 = Date.now();
  let lastDraw = 0;
  let lastLoggedDecile = -1;
  let line = '';

  const render = (step: number, info: ProgressInfo) => {
    const secs = Math.max((Date.now() - t0) / 1000, 1e-9);
    const rate = step / secs;
    const frac = Math.min(step / total, 1);
    const width = 24;
    const filled = Math.round(frac * width);
    const bar = '█'.repeat(filled) + '░'.repeat(width - filled);
    const extras = Object.entries(info)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${k} ${fmt(v)}`)
      .join(' · ');
    line = `${label ? label + ' ' : ''}${bar} ${step}/${total} · ${rate.toFixed(1)} ${unit}/s · ${secs.toFixed(1)} s${extras ? ' · ' + extras : ''}`;
    if (mode === 'notebook') {
      const pct = (frac * 100).toFixed(1);
      area!.show(
        `<div class="course-progress" style="font-family:monospace;font-size:12px">` +
          `<div style="display:inline-block;width:240px;height:10px;background:#eee;vertical-align:middle">` +
          `<div style="width:${pct}%;height:10px;background:#4c78a8"></div></div> ` +
          `${escapeHtml(line.replace(bar + ' ', ''))}</div>`,
      );
    } else if (mode === 'tty') {
      process.stderr.write('\r' + line + '\x1b[K');
    } else if (mode === 'log') {
      const decile = Math.floor(frac * 10);
      if (decile > lastLoggedDecile) {
        lastLoggedDecile = decile;
        process.stderr.write(line + '\n');
      }
    }
  };

  return {
    async update(step, info = {}) {
      const now = Date.now();
      if (now - lastDraw < everyMs && step < total) return;
      lastDraw = now;
      render(step, info);
      if (mode === 'notebook') await yieldToEventLoop();
    },
    done(info = {}) {
      render(total, info);
      if (mode === 'tty') process.stderr.write('\n');
    },
    get line() {
      return line;
    },
  };
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
