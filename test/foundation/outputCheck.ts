// What a learner should not have to read in an executed notebook: raw JavaScript values
// printed as output (`[ 'a', 'b' ]`, `{ x: 1 }`, `Float32Array(3) [...]`, JSON dumps) and
// numbers with more than 6 significant digits (0.9940000000000001). Optionally, figures
// without a title or axis labels. Used by test/foundation/notebooks.test.ts on executed
// notebooks; lib/table and lib/format's fmt are the fix for what it finds.
import * as fs from 'fs';
import { figureProblems, Figure } from '../../lib/plot';

export type OutputProblemKind = 'raw-array' | 'raw-object' | 'json' | 'digits' | 'figure' | 'raw-key' | 'credit-text' | 'energy-floor';

export interface OutputProblem {
  /** Index of the cell in the notebook. */
  cell: number;
  kind: OutputProblemKind;
  /** The offending text, shortened. */
  excerpt: string;
}

export interface OutputCheckOptions {
  /** Most significant digits allowed in a non-integer number (default 6). */
  maxDigits?: number;
  /** Also report figures (lib/plot's outputs) without a title or axis labels. */
  figures?: boolean;
}

/** Patterns of raw JavaScript values as node's util.inspect and JSON.stringify print them. */
const RAW: [OutputProblemKind, RegExp][] = [
  // util.inspect arrays: "[ 'a', 'b' ]", "[ 1, 2, 3 ]", "[ [Object] ]"; also typed arrays and elided items.
  ['raw-array', /\[ (?:'[^'\n]*'|"[^"\n]*"|-?\d[\d.e+-]*|true|false|null|undefined|\[|\{|[A-Za-z_$][\w$]*: )[^\n]*? \]/],
  ['raw-array', /\b(?:Float32|Float64|Int8|Int16|Int32|Uint8|Uint16|Uint32|Uint8Clamped)Array\(\d+\) \[/],
  ['raw-array', /\[(?:Array|Object)\]|\.\.\. \d+ more items?/],
  // util.inspect objects: "{ x: 1 }", "{ 'a b': 1, ... }", "Map(2) {", "Tensor {".
  ['raw-object', /\{ (?:[A-Za-z_$][\w$]*|'[^'\n]*'): [^\n]*\}?/],
  ['raw-object', /\b(?:Map|Set)\(\d+\) \{/],
  // JSON.stringify: {"a":1}, ["a","b"], [1,2,3], [{"a":
  ['json', /\{\s*"[^"\n]*"\s*:/],
  ['json', /\[\s*"[^"\n]*"\s*,\s*"/],
  // Numeric JSON arrays: three or more numbers, or any non-integer ("shape [2,2]" is left alone).
  ['json', /\[-?\d+(?:\.\d+)?(?:e[+-]?\d+)?(?:,-?\d+(?:\.\d+)?(?:e[+-]?\d+)?){2,}\]|\[-?\d*\.\d+(?:e[+-]?\d+)?,-?\d/],
];

/**
 * A table cell that is a data file's key rather than words: snake_case (made_by,
 * prompt_accuracy.0) or a dotted path of a flattened record (seconds.clip). A learner reads
 * "training time, denoiser (s)", not "seconds.denoiser". File names (clip.json) are not keys.
 */
export function isRawKey(cell: string): boolean {
  const t = cell.trim();
  if (/^[a-z]{2,}[a-z0-9]*(?:_[a-z0-9]{2,})+(?:\.\w+)*$/.test(t)) return true;
  return /^[a-z][a-zA-Z]*(?:\.[a-zA-Z0-9]+)+$/.test(t) && !/\.(?:json|ts|js|bin|png|ipynb|html|csv|txt)$/.test(t);
}

/**
 * A credit line ("drawn with reference ddpmStep — yours is not checked yet") printed as text:
 * the classic Notebook shows printed output in a <pre> that breaks lines inside words ("not
 * imple / mented"). lib's credit() shows it as an HTML line instead.
 */
export const PRINTED_CREDIT = /\bdrawn with (?:your|reference) \w/;

export interface TableBlock {
  title: string;
  headers: string[];
  rows: string[][];
}

/** lib/table's HTML tables in an output: title (if any), header cells and body rows, as text. */
export function tableBlocks(html: string): TableBlock[] {
  const out: TableBlock[] = [];
  const re = /(?:<div class="course-table-title"[^>]*>([\s\S]*?)<\/div>)?<table class="course-table">([\s\S]*?)<\/table>/g;
  for (const m of html.matchAll(re)) {
    const cells = (row: string, tag: string) => [...row.matchAll(new RegExp(`<${tag}\\b[^>]*>([\\s\\S]*?)<\\/${tag}>`, 'g'))].map((c) => htmlText(c[1]).trim());
    const rows = [...m[2].matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((r) => r[1]);
    out.push({ title: htmlText(m[1] ?? '').trim(), headers: rows.length ? cells(rows[0], 'th') : [], rows: rows.map((r) => cells(r, 'td')).filter((r) => r.length) });
  }
  return out;
}

/**
 * An energy-distance column with a value below 0 and no noise floor in the same table (title,
 * header or a row): the estimate is unbiased, so it dips below 0 by sampling noise, and only the
 * floor beside it says so in numbers. Returns the offending values.
 */
export function energyWithoutFloor(t: TableBlock): string[] {
  const all = [t.title, ...t.headers, ...t.rows.flat()].join(' ');
  if (/noise floor/i.test(all)) return [];
  const cols = t.headers.map((h, j) => (/energy/i.test(h) ? j : -1)).filter((j) => j >= 0);
  return t.rows.flatMap((r) => cols.map((j) => r[j] ?? '')).filter((c) => /^[-−]\d[\d.]*(?:e[-+]?\d+)?$/.test(c));
}

/**
 * Axes of the data plane labelled "x" and "y": every chapter names the plane's coordinates x₁ and
 * x₂ (x is a whole point, x_t a noisy one), so a bare x or y on an axis reads as something else.
 */
export function planeLabelProblems(fig: Figure): string[] {
  const l = (fig.layout ?? {}) as Record<string, any>;
  const text = (t: unknown) => (typeof t === 'string' ? t : (t as { text?: string } | undefined)?.text ?? '').trim();
  return Object.keys(l)
    .filter((k) => /^[xy]axis\d*$/.test(k) && /^[xy]$/.test(text(l[k]?.title)))
    .sort()
    .map((k) => `${k} is labelled "${text(l[k].title)}": the plane's coordinates are x₁ and x₂ in every chapter`);
}

/** The text of every cell of lib/table's HTML tables in an output. */
export function tableCells(html: string): string[] {
  const out: string[] = [];
  for (const t of html.matchAll(/<table class="course-table">([\s\S]*?)<\/table>/g)) {
    for (const c of t[1].matchAll(/<t[dh]\b[^>]*>([\s\S]*?)<\/t[dh]>/g)) out.push(htmlText(c[1]));
  }
  return out;
}

/** Significant digits of a number as written: 57.66271269100001 → 16, 0.00012 → 2, 1.5e-7 → 2. */
export function significantDigits(token: string): number {
  const mantissa = token.replace(/^[-+]/, '').split(/e/i)[0];
  const digits = mantissa.replace('.', '').replace(/^0+/, '');
  // Trailing zeros after a decimal point count (they were written on purpose); in an integer they do not.
  return (mantissa.includes('.') ? digits : digits.replace(/0+$/, '')).length;
}

/** Numbers written with a decimal point or an exponent that carry more than `max` significant digits. */
export function longNumbers(text: string, max = 6): string[] {
  const out: string[] = [];
  // Not part of a word, a version (20.19.0) or an id: no letter, digit, dot or dash right before.
  const re = /(?<![\w.\-])-?\d+(?:\.\d+(?:e[+-]?\d+)?|e[+-]?\d+)(?![\w.])/gi;
  for (const m of text.matchAll(re)) if (significantDigits(m[0]) > max) out.push(m[0]);
  return out;
}

/** The readable text of an HTML output: scripts and styles dropped, tags removed, entities decoded. */
export function htmlText(html: string): string {
  return html
    .replace(/<script\b[\s\S]*?<\/script>/gi, ' ')
    .replace(/<style\b[\s\S]*?<\/style>/gi, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

const join = (s: unknown) => (Array.isArray(s) ? s.join('') : String(s ?? ''));

/** The figures lib/plot drew into an HTML output (their JSON is in the output's script). */
export function figuresIn(html: string): Figure[] {
  const out: Figure[] = [];
  for (const m of html.matchAll(/var fig = (\{[\s\S]*?\});\n/g)) {
    try {
      out.push(JSON.parse(m[1].replace(/<\\\//g, '</')));
    } catch {
      // Not one of lib/plot's figures.
    }
  }
  return out;
}

interface NotebookJson {
  cells: { cell_type: string; outputs?: Record<string, unknown>[] }[];
}

/** Check the outputs of an executed notebook (its JSON, or the path of an .ipynb). */
export function checkOutputs(notebook: NotebookJson | string, opts: OutputCheckOptions = {}): OutputProblem[] {
  const nb: NotebookJson = typeof notebook === 'string' ? JSON.parse(fs.readFileSync(notebook, 'utf8')) : notebook;
  const max = opts.maxDigits ?? 6;
  const problems: OutputProblem[] = [];
  const short = (s: string) => (s.length > 120 ? s.slice(0, 117) + '...' : s).replace(/\s+/g, ' ').trim();
  nb.cells.forEach((cell, index) => {
    if (cell.cell_type !== 'code') return;
    for (const o of cell.outputs ?? []) {
      const texts: string[] = [];
      const printed: string[] = []; // text the Notebook shows in a <pre>
      const type = o.output_type;
      if (type === 'stream') {
        texts.push(join(o.text));
        printed.push(join(o.text));
      }
      else if (type === 'execute_result' || type === 'display_data') {
        const data = (o.data ?? {}) as Record<string, unknown>;
        if (data['text/html'] !== undefined) {
          const html = join(data['text/html']);
          texts.push(htmlText(html));
          for (const c of tableCells(html)) if (isRawKey(c)) problems.push({ cell: index, kind: 'raw-key', excerpt: c.trim() });
          for (const t of tableBlocks(html)) for (const v of energyWithoutFloor(t)) problems.push({ cell: index, kind: 'energy-floor', excerpt: `${t.title || 'a table'}: energy distance ${v} without a noise floor beside it` });
          if (opts.figures) for (const f of figuresIn(html)) for (const p of [...figureProblems(f), ...planeLabelProblems(f)]) problems.push({ cell: index, kind: 'figure', excerpt: p });
        } else if (data['text/plain'] !== undefined) {
          texts.push(join(data['text/plain']));
          printed.push(join(data['text/plain']));
        }
      } else continue; // errors are the notebook runner's business
      for (const p of printed) {
        const m = p.match(PRINTED_CREDIT);
        if (m) problems.push({ cell: index, kind: 'credit-text', excerpt: short(p.slice(m.index!, m.index! + 80)) });
      }
      for (const text of texts) {
        for (const [kind, re] of RAW) {
          const m = text.match(re);
          if (m) problems.push({ cell: index, kind, excerpt: short(text.slice(Math.max(0, m.index! - 20), m.index! + m[0].length + 20)) });
        }
        for (const n of longNumbers(text, max)) problems.push({ cell: index, kind: 'digits', excerpt: n });
      }
    }
  });
  // One report per cell, kind and excerpt.
  const seen = new Set<string>();
  return problems.filter((p) => {
    const k = `${p.cell}|${p.kind}|${p.excerpt}`;
    return seen.has(k) ? false : (seen.add(k), true);
  });
}

/** A readable list of the problems, one line each (for test messages). */
export function formatProblems(problems: OutputProblem[]): string {
  return problems.map((p) => `cell ${p.cell}: ${p.kind}: ${p.excerpt}`).join('\n');
}
