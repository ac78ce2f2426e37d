// `npm run grade:bundle -- [--tests <hidden dir>] [--only <ids>] [--out autograder.zip]`:
// a Gradescope autograder zip (setup.sh, run_autograder and the course minus solutions/).
// Gradescope unpacks it to /autograder/source, runs setup.sh once to build the image, then
// run_autograder per submission (files in /autograder/submission: .ts files, notebooks or
// both; results to /autograder/results/results.json). Each submission has its own container
// there; bubblewrap is used inside it where the container allows, and results.json says when not.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { walk } from './walk';
import { ROOT } from './specs';

const USAGE = 'Usage: npm run grade:bundle -- [--tests <hidden dir>] [--only <exercises or chapters>] [--out autograder.zip]';

export const SETUP_SH = `#!/usr/bin/env bash
# Gradescope runs this once, as root, on its Ubuntu image, from /autograder/source.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends ca-certificates curl util-linux bubblewrap
if ! command -v node >/dev/null || [ "$(node -p 'process.versions.node.split(".")[0]')" -lt 20 ]; then
  curl -fsSL https://deb.nodesource.com/setup_20.x | bash -
  apt-get install -y -qq nodejs
fi
cd "$(dirname "$0")"
# No install scripts: they set up Jupyter and Chromium for the notebooks, which grading does not need.
npm ci --ignore-scripts --no-audit --no-fund
`;

export function runAutograder(args: string[]): string {
  const quoted = args.map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(' ');
  return `#!/usr/bin/env bash
# Gradescope runs this for each submission. AUTOGRADER_ROOT lets you try it elsewhere.
set -uo pipefail
ROOT="\${AUTOGRADER_ROOT:-/autograder}"
cd "$(dirname "$0")"
mkdir -p "$ROOT/results"
# Use bubblewrap where this container allows it; else grade without it (results.json says so).
SANDBOX=""
node node_modules/tsx/dist/cli.mjs -e "process.exit(require('./grader/sandbox').probeIsolation().bwrap ? 0 : 1)" || SANDBOX="--unsafe-no-sandbox"
node node_modules/tsx/dist/cli.mjs grader/grade-cli.ts "$ROOT/submission" ${quoted} $SANDBOX --out "$ROOT/results/results.json" --format gradescope
# grade-cli writes results.json even when grading fails; never leave Gradescope without one.
[ -f "$ROOT/results/results.json" ] || echo '{"score": 0, "output": "The autograder failed before writing results.", "tests": []}' > "$ROOT/results/results.json"
`;
}

/** The project files the autograder needs (never solutions/). */
function sourceFiles(): string[] {
  const out: string[] = ['package.json', 'package-lock.json', 'tsconfig.json'];
  const add = (dir: string, keep: (f: string) => boolean) => {
    for (const f of walk(path.join(ROOT, dir)).regular) if (keep(f)) out.push(path.relative(ROOT, f));
  };
  add('lib', (f) => !f.endsWith('.ipynb'));
  add('grader', (f) => f.endsWith('.ts') || f.endsWith('.cjs') || f.endsWith('.md'));
  add('exercises', (f) => f.endsWith('.ts'));
  // The public specs and their helpers; the notebooks tell which exercise cells each chapter has.
  add('test/exercises', (f) => f.endsWith('.spec.ts') || f.endsWith('common.ts'));
  add('notebooks', (f) => f.endsWith('.ipynb') && !f.includes('.ipynb_checkpoints'));
  return out;
}

export function bundle(opts: { tests?: string; only?: string; out: string }): string[] {
  const stage = fs.mkdtempSync(path.join(os.tmpdir(), 'grade-bundle-'));
  try {
    const files = sourceFiles();
    for (const rel of files) {
      fs.mkdirSync(path.join(stage, path.dirname(rel)), { recursive: true });
      fs.copyFileSync(path.join(ROOT, rel), path.join(stage, rel));
    }
    const args: string[] = [];
    if (opts.tests) {
      const hidden = walk(path.resolve(opts.tests)).regular.filter((f) => f.endsWith('.spec.ts'));
      if (!hidden.length) throw new Error(`--tests: no *.spec.ts files in ${opts.tests}`);
      for (const f of hidden) {
        const dest = path.join(stage, 'hidden', path.relative(path.resolve(opts.tests), f));
        fs.mkdirSync(path.dirname(dest), { recursive: true });
        fs.copyFileSync(f, dest);
        files.push(path.relative(stage, dest));
      }
      args.push('--tests', 'hidden');
    }
    // The assignment's exercises are fixed here, not by which notebooks a learner uploads.
    // One learner's upload, never a class (two copies of a notebook are "given twice", not two learners).
    args.push(...(opts.only ? ['--only', opts.only] : ['--all']), '--single');
    fs.writeFileSync(path.join(stage, 'setup.sh'), SETUP_SH, { mode: 0o755 });
    fs.writeFileSync(path.join(stage, 'run_autograder'), runAutograder(args), { mode: 0o755 });
    files.push('setup.sh', 'run_autograder');
    const out = path.resolve(opts.out);
    fs.rmSync(out, { force: true });
    const r = spawnSync('zip', ['-q', '-X', out, ...files], { cwd: stage, encoding: 'utf8' });
    if (r.error) throw new Error('the `zip` program is needed to write the bundle (apt-get install zip)');
    if (r.status !== 0) throw new Error(`zip failed: ${r.stderr || r.stdout}`);
    return files.sort();
  } finally {
    fs.rmSync(stage, { recursive: true, force: true });
  }
}

if (require.main === module) {
  const argv = process.argv.slice(2);
  const opts: { tests?: string; only?: string; out: string } = { out: 'autograder.zip' };
  try {
    for (let i = 0; i < argv.length; i++) {
      const v = argv[i + 1];
      if (['--tests', '--only', '--out'].includes(argv[i]) && (v === undefined || v.startsWith('--'))) throw new Error(`${argv[i]} needs a value`);
      if (argv[i] === '--tests') opts.tests = argv[++i];
      else if (argv[i] === '--only') opts.only = argv[++i];
      else if (argv[i] === '--out') opts.out = argv[++i];
      else throw new Error(`unknown argument ${argv[i]}`);
    }
    if (!fs.existsSync(path.join(ROOT, 'exercises'))) throw new Error('exercises/ is missing: run `npm run exercises` first');
    const files = bundle(opts);
    console.log(`wrote ${opts.out}: ${files.length} files (no solutions/); upload it as the Gradescope autograder ("Zip file upload").`);
  } catch (e) {
    console.error(`grade:bundle: ${(e as Error).message}\n${USAGE}`);
    process.exit(2);
  }
}
