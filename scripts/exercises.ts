// `npm run exercises`: generate exercises/ (learner stubs) from solutions/.
// In a solution file, the learner's part sits between `// BEGIN SOLUTION` and
// `// END SOLUTION`; the stub keeps everything else (signatures, doc comments,
// hints) and replaces that part with `throw new Error('not implemented: <name>')`,
// where <name> is the function the markers are in.
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..');
export const SOLUTIONS = path.join(ROOT, 'solutions');
export const EXERCISES = path.join(ROOT, 'exercises');

const BEGIN = /^([ \t]*)\/\/ BEGIN SOLUTION\s*$/;
const END = /^[ \t]*\/\/ END SOLUTION\s*$/;
const HEADER = '// Generated from solutions/ by `npm run exercises`: write your code where it says TODO.\n';

/** The stub text of one solution file. */
export function stubOf(source: string, file = '<source>'): string {
  const lines = source.split('\n');
  const out: string[] = [];
  let inside = false;
  let count = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const begin = line.match(BEGIN);
    if (begin) {
      if (inside) throw new Error(`${file}:${i + 1}: BEGIN SOLUTION inside another`);
      const name = enclosingFunction(lines, i);
      if (!name) throw new Error(`${file}:${i + 1}: BEGIN SOLUTION is not inside a named function`);
      out.push(`${begin[1]}// TODO: your code here`);
      out.push(`${begin[1]}throw new Error('not implemented: ${name}');`);
      inside = true;
      count++;
      continue;
    }
    if (END.test(line)) {
      if (!inside) throw new Error(`${file}:${i + 1}: END SOLUTION without BEGIN`);
      inside = false;
      continue;
    }
    if (!inside) out.push(line);
  }
  if (inside) throw new Error(`${file}: BEGIN SOLUTION is never closed`);
  if (count === 0) throw new Error(`${file}: no BEGIN SOLUTION / END SOLUTION markers`);
  return HEADER + out.join('\n');
}

function enclosingFunction(lines: string[], at: number): string | null {
  for (let i = at; i >= 0; i--) {
    const m = lines[i].match(/function\s+([A-Za-z_$][\w$]*)/) ?? lines[i].match(/(?:const|let)\s+([A-Za-z_$][\w$]*)\s*=\s*(?:\([^)]*\)|[A-Za-z_$][\w$]*)\s*(?::[^=]+)?=>/);
    if (m) return m[1];
  }
  return null;
}

function walk(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? walk(p) : e.name.endsWith('.ts') ? [p] : [];
  });
}

/** Every stub that `npm run exercises` would write, keyed by path relative to exercises/. */
export function expectedExercises(): Map<string, string> {
  const m = new Map<string, string>();
  for (const f of walk(SOLUTIONS)) {
    const rel = path.relative(SOLUTIONS, f);
    m.set(rel, stubOf(fs.readFileSync(f, 'utf8'), path.join('solutions', rel)));
  }
  return m;
}

/** Files in exercises/ that differ from (or are missing against, or extra to) what solutions/ generates. */
export function staleExercises(): string[] {
  const want = expectedExercises();
  const stale: string[] = [];
  for (const [rel, text] of want) {
    const f = path.join(EXERCISES, rel);
    if (!fs.existsSync(f) || fs.readFileSync(f, 'utf8') !== text) stale.push(rel);
  }
  for (const f of walk(EXERCISES)) {
    const rel = path.relative(EXERCISES, f);
    if (!want.has(rel)) stale.push(rel);
  }
  return stale.sort();
}

if (require.main === module) {
  const want = expectedExercises();
  for (const f of walk(EXERCISES)) if (!want.has(path.relative(EXERCISES, f))) fs.unlinkSync(f);
  for (const [rel, text] of want) {
    fs.mkdirSync(path.dirname(path.join(EXERCISES, rel)), { recursive: true });
    fs.writeFileSync(path.join(EXERCISES, rel), text);
  }
  console.log(`exercises: wrote ${want.size} stub(s) from solutions/ to exercises/`);
}
