// npm run bench -- [WORKLOAD ...] [--json FILE] [--backend wasm|cpu|tensorflow] [--quick] [--contend N] [--learners N]
// The frame of the course's benchmark (contract: ../shared/bench/README.md): picks the
// backend, runs each workload (bench/workloads/<name>.ts, `export async function run(ctx)`)
// in order, samples peak memory, prints a table and optionally writes one JSON object.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { ready } from '../lib/backend';
import { isQuick } from '../lib/config';
import { progress, Progress } from '../lib/progress';
import type { BenchContext, Workload } from './context';

/** Run without workload arguments: every workload but `step` (the contract's order). */
export const DEFAULT_WORKLOADS = ['spiral', 'clip', 'guidance', 'unclip', 'flow'];
const BACKENDS = ['wasm', 'cpu', 'tensorflow'];
const WORKLOAD_DIR = path.join(__dirname, 'workloads');

export interface BenchArgs {
  workloads: string[];
  json?: string;
  backend?: string;
  quick: boolean;
  /** Busy processes beside the timing rounds (step, sample): bench/contend.ts. */
  contend?: number;
  /** Learners at once for the hub workload. */
  learners?: number;
}

const USAGE = 'usage: npm run bench -- [WORKLOAD ...] [--json FILE] [--backend wasm|cpu|tensorflow] [--quick] [--contend N] [--learners N]';

export function parseArgs(argv: string[]): BenchArgs {
  const out: BenchArgs = { workloads: [], quick: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = (flag: string) => {
      const [, inline] = a.split(/=(.*)/s);
      if (inline !== undefined) return inline;
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new Error(`bench: ${flag} needs a value\n${USAGE}`);
      return v;
    };
    if (a === '--json' || a.startsWith('--json=')) out.json = value('--json');
    else if (a === '--backend' || a.startsWith('--backend=')) {
      const b = value('--backend');
      if (!BACKENDS.includes(b)) throw new Error(`bench: --backend must be one of ${BACKENDS.join(', ')}; got "${b}"`);
      out.backend = b;
    } else if (a === '--contend' || a.startsWith('--contend=')) {
      const v = value('--contend');
      if (!/^[1-9][0-9]?$/.test(v)) throw new Error(`bench: --contend must be a whole number of busy processes from 1 to 99; got "${v}"`);
      out.contend = Number(v);
    } else if (a === '--learners' || a.startsWith('--learners=')) {
      const v = value('--learners');
      if (!/^[1-9][0-9]{0,2}$/.test(v)) throw new Error(`bench: --learners must be a whole number of learners from 1 to 999; got "${v}"`);
      out.learners = Number(v);
    } else if (a === '--quick') out.quick = true;
    else if (a === '--help' || a === '-h') throw new Error(USAGE);
    else if (a.startsWith('-')) throw new Error(`bench: unknown option "${a}"\n${USAGE}`);
    else {
      if (!/^[a-z0-9][a-z0-9_-]*$/i.test(a)) throw new Error(`bench: "${a}" is not a workload name (letters, digits, - and _)`);
      out.workloads.push(a);
    }
  }
  if (out.workloads.length === 0) out.workloads = [...DEFAULT_WORKLOADS];
  return out;
}

export function workloadFile(name: string): string {
  return path.join(WORKLOAD_DIR, `${name}.ts`);
}

function available(): string[] {
  try {
    return fs
      .readdirSync(WORKLOAD_DIR)
      .filter((f) => f.endsWith('.ts'))
      .map((f) => f.slice(0, -3))
      .sort();
  } catch {
    return [];
  }
}

function loadWorkload(name: string): Workload {
  const file = workloadFile(name);
  if (!fs.existsSync(file)) {
    throw new Error(`bench: workload "${name}" not found: ${path.relative(process.cwd(), file)} does not exist (available: ${available().join(', ') || 'none'})`);
  }
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const mod = require(file);
  if (typeof mod.run !== 'function') {
    throw new Error(`bench: ${path.relative(process.cwd(), file)} must export "async function run(ctx: BenchContext)"`);
  }
  return mod.run as Workload;
}

/** Peak memory over one workload: sampled on a timer, on every progress update and on ctx.sample(). */
class MemoryPeak {
  rss = 0;
  tensorBytes = 0;
  private timer: NodeJS.Timeout;
  constructor() {
    this.sample();
    this.timer = setInterval(() => this.sample(), 100);
    this.timer.unref();
  }
  sample(): void {
    this.rss = Math.max(this.rss, process.memoryUsage().rss);
    this.tensorBytes = Math.max(this.tensorBytes, tf.memory().numBytes);
  }
  stop(): { rss_mb: number; tensor_mb: number } {
    clearInterval(this.timer);
    this.sample();
    return { rss_mb: round(this.rss / 2 ** 20, 1), tensor_mb: round(this.tensorBytes / 2 ** 20, 2) };
  }
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

function fmtValue(v: unknown): string {
  if (typeof v === 'number') {
    if (Number.isInteger(v)) return String(v);
    const a = Math.abs(v);
    return a !== 0 && (a < 1e-3 || a >= 1e6) ? v.toExponential(3) : v.toPrecision(4).replace(/\.?0+$/, '');
  }
  if (typeof v === 'string') return v;
  const text = JSON.stringify(v);
  // A long list (hub's per-learner rows) is in the JSON; the table says how long it is.
  return Array.isArray(v) && text.length > 60 ? `[${v.length} items: see --json]` : text;
}

/** Flatten {a: {b: 1}} into [['a.b', 1]] for the table. */
function flatten(obj: Record<string, unknown>, prefix = ''): [string, unknown][] {
  return Object.entries(obj).flatMap(([k, v]) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? flatten(v as Record<string, unknown>, `${prefix}${k}.`)
      : ([[`${prefix}${k}`, v]] as [string, unknown][]),
  );
}

export function formatTable(results: Record<string, unknown>): string {
  const rows: [string, string, string][] = [];
  for (const [workload, fields] of Object.entries(results)) {
    const flat = fields && typeof fields === 'object' ? flatten(fields as Record<string, unknown>) : [['', fields] as [string, unknown]];
    flat.forEach(([k, v], i) => rows.push([i === 0 ? workload : '', k, fmtValue(v)]));
  }
  const head: [string, string, string] = ['workload', 'metric', 'value'];
  const w = [0, 1, 2].map((c) => Math.max(head[c].length, ...rows.map((r) => r[c].length)));
  const line = (r: string[]) => `${r[0].padEnd(w[0])}  ${r[1].padEnd(w[1])}  ${r[2].padStart(w[2])}`;
  return [line(head), line(w.map((n) => '-'.repeat(n))), ...rows.map(line)].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const args = parseArgs(argv);
  if (args.quick) process.env.COURSE_QUICK = '1';
  // Fail before any work if a workload is missing.
  const runs = args.workloads.map((name) => ({ name, run: loadWorkload(name) }));
  if (args.backend) process.env.COURSE_BACKEND = args.backend;
  const backend = await ready();
  const quick = isQuick();
  const machine = { backend, cores: os.cpus().length, node: process.version, loadavg: os.loadavg().map((x) => round(x, 2)) };
  const results: Record<string, unknown> = { machine };
  console.log(`bench: ${args.workloads.join(', ')} on ${backend}, ${machine.cores} cores, node ${machine.node}${quick ? ' (quick mode)' : ''}; load ${machine.loadavg.join(' ')}`);
  let failed = 0;
  for (const { name, run } of runs) {
    const peak = new MemoryPeak();
    let bar: Progress | null = null;
    const ctx: BenchContext = {
      quick,
      backend,
      name,
      contend: args.contend,
      learners: args.learners,
      progress(total, opts = {}) {
        const p = progress(total, { label: opts.phase ? `${name}/${opts.phase}` : name, unit: opts.unit });
        bar = p;
        return {
          async update(step, info) {
            peak.sample();
            return p.update(step, info);
          },
          done(info) {
            peak.sample();
            p.done(info);
          },
          get line() {
            return p.line;
          },
        };
      },
      sample: () => peak.sample(),
      log: (m) => console.log(m.startsWith(`${name}:`) ? m : `${name}: ${m}`),
    };
    const t0 = performance.now();
    // Workloads without bars of their own get one bar for the whole run (its rate is runs/s over the wall time).
    const whole = progress(1, { label: name, unit: 'runs' });
    try {
      const fields = await run(ctx);
      const wall = (performance.now() - t0) / 1000;
      if (!bar) whole.done();
      results[name] = { ...fields, peak_memory: peak.stop(), wall_seconds: round(wall, 2) };
    } catch (e) {
      peak.stop();
      failed++;
      const msg = (e as Error).stack ?? String(e);
      console.error(`\nbench: workload "${name}" failed: ${msg}`);
      results[name] = { error: (e as Error).message };
    }
  }
  console.log('\n' + formatTable(results));
  if (args.json) {
    fs.mkdirSync(path.dirname(path.resolve(args.json)), { recursive: true });
    fs.writeFileSync(args.json, JSON.stringify(results, null, 2) + '\n');
    console.log(`\nwrote ${args.json}`);
  }
  return failed ? 1 : 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e) => {
      console.error((e as Error).message);
      process.exit(2);
    },
  );
}
