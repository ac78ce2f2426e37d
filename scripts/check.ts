// `npm run check -- <exercise | chapter | notebook number> [--json] [--dir <exercises folder>]`:
// run the public tests against your exercises/ files, in this process (it is your own code, on
// your own machine: grading untrusted code is the grader's job). Exits 0 when every point is earned.
import * as path from 'path';
import { ready } from '../lib/backend';
import { checkText, runCheck } from '../lib/exercise/check';

const USAGE = 'usage: npm run check -- <exercise, chapter or notebook number> [--json] [--dir <exercises folder>]\n  e.g. npm run check -- diffusion/ddpmStep     npm run check -- clip     npm run check -- 03';

export async function main(argv: string[]): Promise<number> {
  const json = argv.includes('--json');
  const d = argv.indexOf('--dir');
  if (d >= 0 && !argv[d + 1]) throw new Error(USAGE);
  const rest = argv.filter((a, i) => a !== '--json' && (d < 0 || (i !== d && i !== d + 1)));
  if (rest.length !== 1 || rest[0].startsWith('-')) throw new Error(USAGE);
  await ready({ quiet: true });
  const r = await runCheck(rest[0], undefined, d >= 0 ? { dir: path.resolve(argv[d + 1]) } : {});
  if (json) process.stdout.write(JSON.stringify(r) + '\n');
  else console.log(checkText(r));
  return r.score === r.max ? 0 : 1;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e) => {
      const msg = (e as Error).message;
      if (process.argv.includes('--json')) process.stdout.write(JSON.stringify({ error: msg }) + '\n');
      else console.error(`check: ${msg}`);
      process.exit(2);
    },
  );
}
