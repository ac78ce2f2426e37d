// Running one sandboxed child: what isolation this machine allows, and a child process
// with a wall-clock limit, a memory cap, an output cap and a private results channel.
import { spawn, spawnSync } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export interface Capabilities {
  /** unshare -n -p -f: own network namespace (no interfaces but a down loopback) and pid namespace. */
  namespaces: boolean;
  namespacesWhy: string;
  /** The unshare flags that worked. */
  namespaceArgs: string[];
  /** setpriv: drop from root to nobody (65534) inside the sandbox. */
  dropUser: boolean;
  dropUserWhy: string;
  /** prlimit: file-size and core-dump limits. */
  prlimit: boolean;
  /** The Node permission model flag of this Node version. */
  permissionFlag: string | null;
  permissionWhy: string;
  /** node --frozen-intrinsics. */
  frozenIntrinsics: boolean;
}

let caps: Capabilities | undefined;

function works(cmd: string, args: string[]): { ok: boolean; why: string } {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 10000 });
  if (r.error) return { ok: false, why: `${cmd}: ${(r.error as NodeJS.ErrnoException).code ?? r.error.message}` };
  if (r.status !== 0) return { ok: false, why: `${cmd} ${args.join(' ')} failed: ${(r.stderr || r.stdout || `exit ${r.status}`).trim().split('\n')[0]}` };
  return { ok: true, why: '' };
}

/** Probe (once) which isolation mechanisms work here. */
export function capabilities(): Capabilities {
  if (caps) return caps;
  const off = process.env.GRADER_NO_NAMESPACES === '1';
  // As root: plain namespaces. Otherwise: inside a user namespace (where the kernel allows it).
  let nsArgs: string[] = [];
  let ns = { ok: false, why: 'disabled by GRADER_NO_NAMESPACES=1' };
  if (!off) {
    for (const args of [['-n', '-p', '-f', '--kill-child'], ['-r', '-n', '-p', '-f', '--kill-child']]) {
      const r = works('unshare', [...args, '--', 'true']);
      if (r.ok) { ns = r; nsArgs = args; break; }
      if (!ns.why || ns.why.startsWith('disabled')) ns = r;
    }
  }
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  const drop = !root
    ? { ok: false, why: 'the grader does not run as root, so the sandbox keeps its user' }
    : works('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', '--', process.execPath, '-e', '0']);
  const pl = works('prlimit', ['--core=0', '--', 'true']);
  let permissionFlag: string | null = null;
  let permissionWhy = '';
  for (const flag of ['--permission', '--experimental-permission']) {
    const r = works(process.execPath, [flag, '--allow-fs-read=*', '-e', '0']);
    if (r.ok) { permissionFlag = flag; break; }
    permissionWhy = r.why;
  }
  const fz = works(process.execPath, ['--frozen-intrinsics', '--no-warnings', '-e', '0']);
  caps = {
    namespaces: ns.ok,
    namespaceArgs: nsArgs,
    namespacesWhy: ns.why,
    dropUser: drop.ok,
    dropUserWhy: drop.why,
    prlimit: pl.ok,
    permissionFlag,
    permissionWhy: permissionFlag ? '' : permissionWhy,
    frozenIntrinsics: fz.ok,
  };
  return caps;
}

/** One line per mechanism, for results files and the summary. */
export function describeSandbox(c = capabilities()): string[] {
  return [
    c.namespaces ? 'network: none (own network namespace); processes: own pid namespace' : `network: NOT isolated (${c.namespacesWhy}); only Node's network modules are disabled in-process`,
    c.dropUser ? 'user: nobody (65534)' : `user: unchanged (${c.dropUserWhy})`,
    c.permissionFlag ? `files: Node permission model (${c.permissionFlag}): read the sandbox and node_modules, write only the sandbox's tmp/; no child processes, workers or addons` : `files: NOT restricted (${c.permissionWhy})`,
    c.frozenIntrinsics ? 'JavaScript intrinsics frozen (--frozen-intrinsics); chai, globals and tfjs entry points locked' : 'JavaScript intrinsics NOT frozen (--frozen-intrinsics unavailable)',
  ];
}

export interface Limits {
  /** Wall-clock limit for one test (ms); the child is killed when it runs over. */
  testMs: number;
  /** V8 heap limit (MB); the resident-set watchdog kills at 1.5 times this plus 256 MB. */
  memoryMb: number;
  /** stdout + stderr bytes a child may write before it is killed. */
  outputBytes: number;
}

export type Message = { t: string; [k: string]: any };

export interface ChildOutcome {
  /** Why the child ended: 'exit' (normal), or the limit that killed it. */
  end: 'exit' | 'timeout' | 'memory' | 'output' | 'killed';
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The last part of what it wrote (untrusted; for messages only). */
  output: string;
  /** Lines on the results channel without the right nonce (forged). */
  forged: number;
}

const KEEP_OUTPUT = 8000;

/**
 * Start the runner in `sandbox` on `job`. `onMessage` gets each authenticated message;
 * it returns the ms the current step may take from now (or null to keep the timer).
 * Resolves when the child is gone.
 */
export function runChild(
  sandbox: string,
  base: string,
  job: Record<string, unknown>,
  limits: Limits,
  onMessage: (m: Message) => void,
  control: { deadline: () => number; stop?: (kill: (why: ChildOutcome['end']) => void) => void },
): Promise<ChildOutcome> {
  const c = capabilities();
  const nonce = crypto.randomBytes(24).toString('hex');
  const nodeModules = fs.realpathSync(path.join(sandbox, 'node_modules'));
  const nodeArgs = [
    ...(c.frozenIntrinsics ? ['--frozen-intrinsics'] : []),
    ...(c.permissionFlag ? [c.permissionFlag, `--allow-fs-read=${sandbox}/`, `--allow-fs-read=${base}/`, `--allow-fs-read=${nodeModules}/`, `--allow-fs-write=${path.join(sandbox, 'tmp')}/`] : []),
    `--max-old-space-size=${limits.memoryMb}`,
    '--no-warnings',
    '--stack-size=2000',
    path.join(sandbox, 'runner.cjs'),
  ];
  const cmd: string[] = [];
  if (c.namespaces) cmd.push('unshare', ...c.namespaceArgs, '--');
  if (c.dropUser) cmd.push('setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', '--');
  if (c.prlimit) cmd.push('prlimit', '--core=0', `--fsize=${Math.max(64 * 1024 * 1024, 2 * limits.outputBytes)}`, '--');
  cmd.push(process.execPath, ...nodeArgs);
  const env: NodeJS.ProcessEnv = {
    PATH: '/usr/local/bin:/usr/bin:/bin',
    HOME: path.join(sandbox, 'tmp'),
    TMPDIR: path.join(sandbox, 'tmp'),
    COURSE_QUICK: '1',
    COURSE_QUIET_BACKEND: '1',
    ...(process.env.COURSE_BACKEND ? { COURSE_BACKEND: process.env.COURSE_BACKEND } : {}),
  };
  return new Promise((resolve) => {
    // stdout and stderr go to a file only the grader can read: the child writes it
    // synchronously, so when a test reports its end, everything it printed is already counted.
    const logPath = path.join(os.tmpdir(), `grade-log-${crypto.randomBytes(8).toString('hex')}`);
    const logFd = fs.openSync(logPath, 'w+', 0o600);
    fs.unlinkSync(logPath);
    const child = spawn(cmd[0], cmd.slice(1), { cwd: sandbox, env, stdio: ['pipe', logFd, logFd, 'pipe'], detached: true });
    let end: ChildOutcome['end'] = 'exit';
    let forged = 0;
    let dead = false;
    const kill = (why: ChildOutcome['end']) => {
      if (dead) return;
      if (end === 'exit') end = why;
      try { process.kill(-child.pid!, 'SIGKILL'); } catch {}
    };
    const overOutput = () => {
      if (fs.fstatSync(logFd).size > limits.outputBytes) {
        kill('output');
        return true;
      }
      return false;
    };
    let pending = '';
    const channel = child.stdio[3] as NodeJS.ReadableStream;
    channel.on('data', (b: Buffer) => {
      pending += b.toString('utf8');
      if (pending.length > 4 * 1024 * 1024) { forged++; pending = ''; kill('output'); return; }
      let nl: number;
      while ((nl = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, nl);
        pending = pending.slice(nl + 1);
        const sp = line.indexOf(' ');
        if (sp !== nonce.length || line.slice(0, sp) !== nonce) {
          forged++;
          continue;
        }
        let msg: Message;
        try { msg = JSON.parse(line.slice(sp + 1)); } catch { forged++; continue; }
        // The runner reports how much had been printed when a test ended.
        if (msg.t === 'end' && typeof msg.out === 'number' && msg.out > limits.outputBytes) {
          kill('output');
          continue;
        }
        onMessage(msg);
      }
    });
    channel.on('error', () => {});
    child.stdin!.on('error', () => {});
    child.stdin!.end(JSON.stringify({ ...job, nonce }));

    // Wall clock (the controller's deadline, re-read every tick) and resident memory.
    const rssCap = (limits.memoryMb * 1.5 + 256) * 1024;
    const tick = setInterval(() => {
      if (Date.now() > control.deadline()) kill('timeout');
      else if (rssKb(child.pid!) > rssCap) kill('memory');
      else overOutput();
    }, 100);
    control.stop?.(kill);
    child.on('close', (code, signal) => {
      dead = true;
      clearInterval(tick);
      const buf = Buffer.alloc(KEEP_OUTPUT);
      const size = fs.fstatSync(logFd).size;
      const n = fs.readSync(logFd, buf, 0, KEEP_OUTPUT, Math.max(0, size - KEEP_OUTPUT));
      fs.closeSync(logFd);
      const output = buf.toString('utf8', 0, n);
      // A heap-limit crash: V8 aborts with this message.
      if (end === 'exit' && /JavaScript heap out of memory|Reached heap limit|Allocation failed/.test(output)) end = 'memory';
      resolve({ end, code, signal, output, forged });
    });
    child.on('error', (e) => {
      fs.writeSync(logFd, `\n[grader] could not start the sandbox: ${e.message}\n`);
    });
  });
}

/** Resident memory (kB) of a process and all its descendants. */
function rssKb(pid: number): number {
  let total = 0;
  const stack = [pid];
  let guard = 0;
  while (stack.length && guard++ < 64) {
    const p = stack.pop()!;
    try {
      const status = fs.readFileSync(`/proc/${p}/status`, 'utf8');
      const m = status.match(/VmRSS:\s+(\d+)/);
      if (m) total += Number(m[1]);
      const children = fs.readFileSync(`/proc/${p}/task/${p}/children`, 'utf8').trim();
      if (children) stack.push(...children.split(/\s+/).map(Number));
    } catch {}
  }
  return total;
}
