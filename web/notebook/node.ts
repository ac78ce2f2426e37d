// A notebook's cells run in Node exactly as the browser's kernel runs them (transpile.ts: the
// same shared names, the same `with (scope)` body), but on Node's lib: what the tests compare a
// page's numbers with. Outside tslab lib shows nothing (showHtml is false); tables go to the
// console, which is muted here.
import * as fs from 'fs';
import * as path from 'path';
import { createRequire } from 'module';
import { transpile } from './browser/transpile';

const root = path.join(__dirname, '..', '..');
const requireFromCourse = createRequire(path.join(root, 'package.json'));

/** Code cells of a notebook, in order (their sources). */
export function codeCells(file: string): string[] {
  return (JSON.parse(fs.readFileSync(file, 'utf8')).cells as { cell_type: string; source: string | string[] }[])
    .filter((c) => c.cell_type === 'code')
    .map((c) => (Array.isArray(c.source) ? c.source.join('') : c.source));
}

/** A Node session of cells: run(code) runs one cell (names shared with the cells before) and returns its value. */
export function nodeSession(): { run(code: string): Promise<unknown> } {
  const scope: Record<string, unknown> = Object.create(null);
  return {
    async run(code: string) {
      const { body, names } = transpile(code);
      for (const n of names) if (!(n in scope)) scope[n] = undefined;
      const f = new Function('__scope', '__require', `with (__scope) { return (async () => {\n${body}\n})(); }`);
      return f(scope, (spec: string) => requireFromCourse(spec));
    },
  };
}

function exerciseIds(file: string): string[] {
  return (JSON.parse(fs.readFileSync(file, 'utf8')).cells as { metadata?: { exercise?: string } }[]).map((c) => c.metadata?.exercise).filter((x): x is string => !!x);
}

/** Run code cells 0…upto of `file` (quick mode if asked), then `expr` in their scope; returns its value. */
export async function valueAfterCells(file: string, upto: number, expr: string, opts: { quick?: boolean } = {}): Promise<unknown> {
  const { run } = nodeSession();
  const saved = process.env.COURSE_QUICK;
  const log = console.log;
  if (opts.quick) process.env.COURSE_QUICK = '1';
  console.log = () => {};
  try {
    for (const code of codeCells(file).slice(0, upto + 1)) await run(code);
    return await run(expr);
  } finally {
    // A check() cell among them leaves its verdict in the process's registry: forget it, so the
    // process's other users (mocha's next tests) see the reference as before.
    const { forget } = requireFromCourse('course/exercise/registry') as { forget(id: string): void };
    for (const id of exerciseIds(file)) forget(id);
    console.log = log;
    if (saved === undefined) delete process.env.COURSE_QUICK;
    else process.env.COURSE_QUICK = saved;
  }
}
