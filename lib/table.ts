// Tables for printed results: an HTML table in a notebook (through tslab's display), aligned
// text elsewhere (scripts, tests, logs). Numbers go through fmt(): the digits that matter.
import { fmt } from './format';
import { showHtml } from './notebook';

export { fmt, pct } from './format';

/** Rows as objects (columns from their keys, in first-seen order) or as arrays (give `columns`). */
export type Rows = Record<string, unknown>[] | unknown[][];

export interface TableOptions {
  /** Column headers; for object rows, also which keys to show and in what order. */
  columns?: string[];
  /** A caption above the table. */
  title?: string;
  /** Significant digits of non-integer numbers (default 4). */
  digits?: number;
}

/** One value as table text: numbers by fmt, lists joined by commas, objects as key = value pairs. */
export function cellText(v: unknown, digits = 4): string {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'number') return fmt(v, digits);
  if (typeof v === 'bigint') return String(v);
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (typeof v === 'string') return v;
  if (v instanceof Date) return v.toISOString();
  if (Array.isArray(v) || ArrayBuffer.isView(v)) {
    return Array.from(v as ArrayLike<unknown>, (x) => cellText(x, digits)).join(', ');
  }
  if (typeof v === 'object') {
    return Object.entries(v as Record<string, unknown>)
      .map(([k, x]) => `${k} = ${cellText(x, digits)}`)
      .join(', ');
  }
  return String(v);
}

interface Grid {
  columns: string[];
  cells: string[][];
  /** Columns whose every value is a number (right-aligned). */
  numeric: boolean[];
}

function grid(rows: Rows, opts: TableOptions): Grid {
  if (!Array.isArray(rows)) throw new Error(`table: rows must be an array of objects or of arrays, got ${typeof rows}`);
  const arrays = rows.length > 0 && Array.isArray(rows[0]);
  let columns: string[];
  let values: unknown[][];
  if (arrays) {
    const width = Math.max(...(rows as unknown[][]).map((r) => r.length));
    columns = opts.columns ?? Array.from({ length: width }, (_, j) => String(j));
    (rows as unknown[][]).forEach((r, i) => {
      if (!Array.isArray(r)) throw new Error(`table: row ${i} is not an array (row 0 is)`);
      if (r.length !== columns.length) throw new Error(`table: row ${i} has ${r.length} cells for ${columns.length} columns`);
    });
    values = rows as unknown[][];
  } else {
    (rows as unknown[]).forEach((r, i) => {
      if (r === null || typeof r !== 'object' || Array.isArray(r)) throw new Error(`table: row ${i} is not an object (row 0 is)`);
    });
    const keys: string[] = [];
    for (const r of rows as Record<string, unknown>[]) for (const k of Object.keys(r)) if (!keys.includes(k)) keys.push(k);
    columns = opts.columns ?? keys;
    values = (rows as Record<string, unknown>[]).map((r) => columns.map((c) => r[c]));
  }
  const digits = opts.digits ?? 4;
  const cells = values.map((r) => r.map((v) => cellText(v, digits)));
  const numeric = columns.map((_, j) => values.length > 0 && values.every((r) => typeof r[j] === 'number'));
  return { columns, cells, numeric };
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The table as HTML (a <table class="course-table">, under its title when it has one). */
export function tableHtml(rows: Rows, opts: TableOptions = {}): string {
  const g = grid(rows, opts);
  const align = (j: number) => (g.numeric[j] ? ' style="text-align:right"' : ' style="text-align:left"');
  const head = g.columns.map((c, j) => `<th${align(j)}>${esc(c)}</th>`).join('');
  const body = g.cells.map((r) => `<tr>${r.map((c, j) => `<td${align(j)}>${esc(c)}</td>`).join('')}</tr>`).join('\n');
  const table = `<table class="course-table"><thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody></table>`;
  // The title is a line of its own above the table, as wide as the output area: a <caption> is
  // held to the table's width, so a long title over a narrow table broke into a tall column.
  return opts.title ? `<div class="course-table-block"><div class="course-table-title" style="font-weight:bold;margin:0.4em 0">${esc(opts.title)}</div>${table}</div>` : table;
}

/** The table as aligned text (numbers right-aligned), with the title on its own line. */
export function tableText(rows: Rows, opts: TableOptions = {}): string {
  const g = grid(rows, opts);
  const w = g.columns.map((c, j) => Math.max(c.length, ...g.cells.map((r) => r[j].length)));
  const line = (r: string[]) => r.map((c, j) => (g.numeric[j] ? c.padStart(w[j]) : c.padEnd(w[j]))).join('  ').trimEnd();
  const out = [line(g.columns), w.map((n) => '-'.repeat(n)).join('  '), ...g.cells.map(line)];
  return (opts.title ? [opts.title, ...out] : out).join('\n');
}

/**
 * Show a table: HTML in a notebook, text on the console elsewhere. Returns nothing, so the
 * cell prints no value after it.
 */
export function table(rows: Rows, opts: TableOptions = {}): void {
  if (!showHtml(tableHtml(rows, opts))) console.log(tableText(rows, opts));
}

/** Nested objects as dotted keys: {a: {b: 1}} → [['a.b', 1]]; arrays and typed arrays stay values. */
export function flatten(record: Record<string, unknown>, prefix = ''): [string, unknown][] {
  return Object.entries(record).flatMap(([k, v]) =>
    v !== null && typeof v === 'object' && !Array.isArray(v) && !ArrayBuffer.isView(v) && !(v instanceof Date)
      ? flatten(v as Record<string, unknown>, `${prefix}${k}.`)
      : ([[`${prefix}${k}`, v]] as [string, unknown][]),
  );
}

/** A record as a two-column table (nested objects flattened to dotted keys). */
export function keyValueRows(record: Record<string, unknown>, opts: { key?: string; value?: string } = {}): unknown[][] {
  if (record === null || typeof record !== 'object' || Array.isArray(record)) throw new Error('keyValue: expected an object of named values');
  return flatten(record).map(([k, v]) => [k, v]);
}

/** Show a record (settings, results) as a key–value table. */
export function keyValue(record: Record<string, unknown>, opts: TableOptions & { key?: string; value?: string } = {}): void {
  table(keyValueRows(record), { ...opts, columns: [opts.key ?? 'name', opts.value ?? 'value'] });
}
