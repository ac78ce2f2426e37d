// `npm run check -- <exercise, chapter or notebook number>`: run the public tests of one
// exercise ('basics/alphaBar', 'basics.alphaBar'), a chapter ('diffusion') or a notebook's
// exercises ('3', '03') against your exercises/ files, in this process (lib/exercise/check.ts).
// --json prints the results as JSON; --dir <folder> checks another exercises folder.
import * as fs from 'fs';
import * as path from 'path';
import { checkText, runCheck } from '../lib/exercise/check';

const USAGE = 'Usage: npm run check -- <exercise, chapter or notebook number> [--json] [--dir <exercises folder>]\n  e.g. npm run check -- basics      npm run check -- diffusion.ddpmStep      npm run check -- 03';

async function main(argv: string[]): Promise<number> {
  const json = argv.includes('--json');
  const d = argv.indexOf('--dir');
  const rest = argv.filter((a, i) => a !== '--json' && (d < 0 || (i !== d && i !== d + 1)));
  if (rest.length !== 1 || rest[0].startsWith('-')) throw new Error(USAGE);
  let dir: string | undefined;
  if (d >= 0) {
    dir = path.resolve(argv[d + 1] ?? '');
    if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new Error(`no exercises folder at ${dir}`);
  }
  const r = await runCheck(rest[0], undefined, { dir });
  if (json) process.stdout.write(JSON.stringify(r) + '\n');
  else console.log(checkText(r));
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
