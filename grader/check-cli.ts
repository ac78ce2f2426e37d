// `npm run check -- <chapter or exercise>`: run the public tests of one exercise
// ('basics/alphaBar', 'basics.alphaBar') or a chapter ('basics') against your exercises/.
// --json prints the results as JSON (lib/check.ts uses it); --dir <folder> checks another folder.
import * as fs from 'fs';
import * as path from 'path';
import { DEFAULT_LIMITS, gradeFiles, locate, plan, ROOT, selectExercises, testFiles } from './engine';
import { table } from './formats';

const USAGE = 'Usage: npm run check -- <chapter or exercise> [--json] [--dir <exercises folder>]\n  e.g. npm run check -- basics      npm run check -- clip.contrastiveLoss';

async function main(argv: string[]): Promise<number> {
  const json = argv.includes('--json');
  const d = argv.indexOf('--dir');
  const dir = path.resolve(d >= 0 ? argv[d + 1] ?? '' : path.join(ROOT, 'exercises'));
  const rest = argv.filter((a, i) => a !== '--json' && (d < 0 || (i !== d && i !== d + 1)));
  if (rest.length !== 1 || rest[0].startsWith('-')) throw new Error(USAGE);
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new Error(`no exercises folder at ${dir}`);
  // By convention a chapter's public tests are in test/exercises/<chapter>.test.ts: list only those when present.
  const chapter = rest[0].replace(/^exercises\//, '').split(/[./]/)[0];
  const all = testFiles();
  const own = all.filter((f) => path.basename(f.rel) === `${chapter}.test.ts`);
  const p = await plan(own.length ? own : all);
  const ids = selectExercises(p, rest[0]);
  const r = await gradeFiles(rest[0], locate(dir, ids), p, { limits: { ...DEFAULT_LIMITS }, submissionMs: 600000, only: ids });
  if (json) process.stdout.write(JSON.stringify(r) + '\n');
  else console.log(table(r));
  return r.score === r.max ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e) => {
    const msg = (e as Error).message;
    if (process.argv.includes('--json')) process.stdout.write(JSON.stringify({ error: msg }) + '\n');
    else console.error(`check: ${msg}`);
    process.exit(2);
  },
);
