// A class on a real JupyterHub, for test/hub (two learners) and `npm run bench -- hub --learners N`:
// Debian's jupyterhub 3.0, N unix users, the dummy authenticator and LocalProcessSpawner on
// 127.0.0.1, each server started by binder/start from this course (installed read-only for them:
// root-owned), with the kernel scripts/hub-install.js registers. Learners run notebooks and cells
// through the hub's REST API and the kernel websocket (scripts/hub-client.py). Needs root (useradd,
// a hub that starts servers as other users).
import { ChildProcess, execFileSync, spawn, spawnSync } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { freePort } from './freePort';

const ROOT = path.resolve(__dirname, '..');
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { hubInstall } = require('./hub-install');
export const PYTHON = '/usr/bin/python3'; // Debian's, with jupyterhub and tornado

/** Pids of the processes a user owns (from /proc). */
export function pidsOf(uid: number): number[] {
  const out: number[] = [];
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      if (fs.statSync(`/proc/${d}`).uid === uid) out.push(Number(d));
    } catch {}
  }
  return out;
}

/** Resident memory of one process in MiB, and whether it is a course kernel. */
export function rssOf(pid: number): { mib: number; kernel: boolean } | null {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = Number(status.match(/^VmRSS:\s+(\d+)/m)?.[1] ?? 0);
    const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return { mib: kb / 1024, kernel: cmd.includes('hub-kernel.js') };
  } catch {
    return null;
  }
}

/** Sleep without an event loop (cleanups run synchronously). */
const nap = (s: number) => spawnSync('sleep', [String(s)]);

/**
 * End every process of uid and wait until /proc shows none (at most `seconds`): userdel refuses a
 * user whose processes are still exiting. Returns the pids still there (none when it worked).
 */
export function endProcessesOf(uid: number, seconds = 30): number[] {
  const t0 = Date.now();
  for (;;) {
    const pids = pidsOf(uid);
    if (pids.length === 0 || Date.now() - t0 > seconds * 1000) return pids;
    for (const pid of pids) try { process.kill(pid, 'SIGKILL'); } catch {}
    nap(0.1);
  }
}

/**
 * Remove a user once none of its processes is left (userdel refuses a user whose processes are
 * still exiting); userdel is retried for a while if it still says the user is busy.
 */
export function removeUser(name: string, uid: number): void {
  const left = endProcessesOf(uid);
  if (left.length) throw new Error(`user ${name}: processes ${left.join(', ')} did not exit`);
  for (let attempt = 0; ; attempt++) {
    const r = spawnSync('userdel', ['--remove', name], { encoding: 'utf8' });
    if (r.status === 0 || spawnSync('id', [name]).status !== 0) return;
    if (attempt >= 20) throw new Error(`userdel ${name} failed (${r.status}): ${r.stderr.trim()}`);
    endProcessesOf(uid, 5);
    nap(0.25);
  }
}

/**
 * A unix user with its home, its own group and no subordinate uids/gids (-K SUB_*_COUNT=0):
 * userdel counts a process of any uid in the user's subordinate range as the user's, and another
 * job's sandbox (bubblewrap in a user namespace) may run as one, so userdel would refuse a user
 * none of whose processes is left. Returns the uid.
 */
export function addUser(name: string, home: string): number {
  execFileSync('useradd', ['--create-home', '--home-dir', home, '--shell', '/bin/sh', '--user-group', '-K', 'SUB_UID_COUNT=0', '-K', 'SUB_GID_COUNT=0', name]);
  return Number(spawnSync('id', ['-u', name], { encoding: 'utf8' }).stdout.trim());
}

export interface Learner {
  name: string;
  uid: number;
  home: string;
  workspace: string;
  peak: { total: number; kernel: number; server: number };
}

export interface ClassOptions {
  learners: number;
  /** COURSE_QUICK for the learners' kernels. */
  quick: boolean;
  /** Called for each learner after useradd, before the hub starts (write files into the workspace). */
  prepare?: (l: Learner, i: number) => void;
}

export interface HubResult {
  user: string;
  ok: boolean;
  seconds: number;
  spawn_seconds: number;
  cells: { index: string; ok: boolean; seconds: number; text: string; failure?: string }[];
  failure?: unknown;
}

export class HubClass {
  readonly learners: Learner[] = [];
  hubUrl = '';
  token = '';
  log = '';
  private hub: ChildProcess | null = null;
  private base = '';
  private cleanups: (() => void)[] = [];
  private sampler: NodeJS.Timeout | null = null;
  /** Highest sum of every learner's RSS seen by the sampler (MiB). */
  nodePeakMib = 0;

  /** Check root and jupyterhub, make the users, start the hub; stop() undoes it all, even after a failure here. */
  static async start(opts: ClassOptions): Promise<HubClass> {
    const c = new HubClass();
    try {
      await c.setUp(opts);
    } catch (e) {
      c.stop();
      throw e;
    }
    return c;
  }

  private async setUp(opts: ClassOptions): Promise<void> {
    if (process.getuid!() !== 0) {
      throw new Error('a hub class needs root: it creates unix users (useradd) and runs a JupyterHub that starts their servers as them. CI runs test/hub as root (.ci/run); locally: sudo npm test, or sudo npx mocha test/hub/hub.test.ts');
    }
    if (!fs.existsSync('/usr/bin/jupyterhub')) {
      // CI installs it in .ci/run; a fresh root machine gets it here.
      execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'jupyterhub'], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    }
    // The learners run node and read the course as themselves.
    for (const p of [process.execPath, path.join(ROOT, 'node_modules', 'tslab', 'package.json'), path.join(ROOT, 'lib', 'check.ts')]) {
      const r = spawnSync('su', ['-s', '/bin/sh', 'nobody', '-c', `test -r '${p}'`]);
      if (r.status !== 0) throw new Error(`${p} is not readable by other users: the hub's learners could not run the course from ${ROOT}`);
    }
    this.base = fs.mkdtempSync(path.join(os.tmpdir(), 'course-hub-'));
    fs.chmodSync(this.base, 0o755);
    const base = this.base;
    this.cleanups.push(() => fs.rmSync(base, { recursive: true, force: true }));
    const { data } = hubInstall(path.join(base, 'prefix'), process.execPath);

    const tag = crypto.randomBytes(3).toString('hex');
    for (let i = 0; i < opts.learners; i++) {
      const name = `chub${tag}${i.toString(36)}`;
      const home = path.join(base, 'home', name);
      fs.mkdirSync(path.dirname(home), { recursive: true, mode: 0o755 });
      const uid = addUser(name, home);
      // Whatever the hub left running as this learner (it started them), then the user.
      this.cleanups.unshift(() => removeUser(name, uid));
      const l: Learner = { name, uid, home, workspace: path.join(home, 'course'), peak: { total: 0, kernel: 0, server: 0 } };
      this.learners.push(l);
      opts.prepare?.(l, i);
    }

    const [port, hubPort, proxyApiPort] = [await freePort(), await freePort(), await freePort()];
    this.token = crypto.randomBytes(24).toString('hex');
    this.hubUrl = `http://127.0.0.1:${port}`;
    const env = {
      COURSE_QUICK: opts.quick ? '1' : '0',
      COURSE_NODE: process.execPath,
      JUPYTER_PATH: data,
      // Debian's hub 3.0 defaults to jupyter_server's app; the classic Notebook 6 needs this.
      JUPYTERHUB_SINGLEUSER_APP: 'notebook.notebookapp.NotebookApp',
    };
    const config = `
c = get_config()  # noqa
c.JupyterHub.ip = '127.0.0.1'
c.JupyterHub.port = ${port}
c.JupyterHub.hub_ip = '127.0.0.1'
c.JupyterHub.hub_port = ${hubPort}
c.ConfigurableHTTPProxy.api_url = 'http://127.0.0.1:${proxyApiPort}'
c.ConfigurableHTTPProxy.pid_file = ${JSON.stringify(path.join(base, 'proxy.pid'))}
c.JupyterHub.db_url = ${JSON.stringify('sqlite:///' + path.join(base, 'hub.sqlite'))}
c.JupyterHub.cookie_secret_file = ${JSON.stringify(path.join(base, 'cookie_secret'))}
c.JupyterHub.pid_file = ${JSON.stringify(path.join(base, 'hub.pid'))}
c.JupyterHub.authenticator_class = 'jupyterhub.auth.DummyAuthenticator'
c.Authenticator.allowed_users = ${JSON.stringify(this.learners.map((l) => l.name))}
c.JupyterHub.spawner_class = 'jupyterhub.spawner.LocalProcessSpawner'
c.Spawner.cmd = [${JSON.stringify(path.join(ROOT, 'binder', 'start'))}, 'jupyterhub-singleuser']
c.Spawner.environment = ${JSON.stringify(env)}
c.Spawner.default_url = '/tree/index.ipynb'
c.Spawner.start_timeout = 300
c.Spawner.http_timeout = 300
c.JupyterHub.concurrent_spawn_limit = ${Math.max(100, opts.learners)}
c.JupyterHub.cleanup_servers = True
c.JupyterHub.services = [{'name': 'course-test', 'api_token': ${JSON.stringify(this.token)}}]
c.JupyterHub.load_roles = [{'name': 'course-test', 'scopes': ['admin:users', 'admin:servers', 'access:servers', 'read:users'], 'services': ['course-test']}]
`;
    fs.writeFileSync(path.join(base, 'jupyterhub_config.py'), config);
    // Debian's configurable-http-proxy finds its modules (commander, http-proxy) in /usr/share/nodejs,
    // which only Debian's own node searches by default; say so for any other node on PATH.
    const nodePath = ['/usr/share/nodejs', process.env.NODE_PATH].filter(Boolean).join(path.delimiter);
    const hub = spawn('/usr/bin/jupyterhub', ['-f', path.join(base, 'jupyterhub_config.py')], { cwd: base, env: { ...process.env, NODE_PATH: nodePath }, stdio: ['ignore', 'pipe', 'pipe'] });
    this.hub = hub;
    hub.stdout!.on('data', (d) => (this.log += d));
    hub.stderr!.on('data', (d) => (this.log += d));
    this.cleanups.unshift(() => this.stopHub());
    const deadline = Date.now() + 60000;
    for (;;) {
      try {
        const r = await fetch(`${this.hubUrl}/hub/api/`, { headers: { Authorization: `token ${this.token}` } });
        if (r.ok) break;
      } catch {}
      if (hub.exitCode !== null || Date.now() > deadline) throw new Error(`the hub did not start:\n${this.log.slice(-3000)}`);
      await new Promise((r) => setTimeout(r, 300));
    }
  }

  /** Sample every learner's RSS (total, kernel, notebook server) every 250 ms until stopSampling(). */
  startSampling(): void {
    this.sampler = setInterval(() => {
      let node = 0;
      for (const l of this.learners) {
        let total = 0, kernel = 0;
        for (const pid of pidsOf(l.uid)) {
          const r = rssOf(pid);
          if (!r) continue;
          total += r.mib;
          if (r.kernel) kernel += r.mib;
        }
        node += total;
        if (total > l.peak.total) l.peak.total = total;
        if (kernel > l.peak.kernel) l.peak.kernel = kernel;
        if (total - kernel > l.peak.server) l.peak.server = total - kernel;
      }
      if (node > this.nodePeakMib) this.nodePeakMib = node;
    }, 250);
  }

  stopSampling(): void {
    if (this.sampler) clearInterval(this.sampler);
    this.sampler = null;
  }

  /** Run a notebook (and cells before and after it) as learner l through the hub (scripts/hub-client.py). */
  run(l: Learner, o: { notebook: string; before?: string[]; cells?: string[]; timeout: number }): Promise<HubResult> {
    const args = [path.join(ROOT, 'scripts', 'hub-client.py'), '--hub', this.hubUrl, '--token', this.token, '--user', l.name, '--notebook', o.notebook];
    for (const b of o.before ?? []) args.push('--before', b);
    for (const c of o.cells ?? []) args.push('--cell', c);
    args.push('--timeout', String(o.timeout));
    return new Promise((resolve) => {
      const child = spawn(PYTHON, args, { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      child.stdout.on('data', (d) => (out += d));
      child.stderr.on('data', (d) => (err += d));
      child.on('exit', () => {
        try {
          resolve(JSON.parse(out.trim().split('\n').pop()!));
        } catch {
          resolve({ user: l.name, ok: false, seconds: NaN, spawn_seconds: NaN, cells: [], failure: `hub-client printed no result: ${out}\n${err}` });
        }
      });
    });
  }

  /** SIGTERM to the hub (it stops the proxy and, with cleanup_servers, the learners' servers). */
  private stopHub(): void {
    const hub = this.hub;
    if (!hub || hub.pid === undefined) return;
    const pid = hub.pid;
    const alive = () => {
      try {
        process.kill(pid, 0);
        return !fs.readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ');
      } catch {
        return false;
      }
    };
    hub.kill('SIGTERM');
    // Cleanups run synchronously (no event loop here): poll /proc for at most 20 s.
    const t0 = Date.now();
    while (alive() && Date.now() - t0 < 20000) nap(0.2);
    if (alive()) hub.kill('SIGKILL');
    const pidFile = path.join(this.base, 'proxy.pid');
    const proxyPid = Number(fs.existsSync(pidFile) ? fs.readFileSync(pidFile, 'utf8') : NaN);
    if (proxyPid > 0) try { process.kill(proxyPid, 'SIGKILL'); } catch {}
  }

  /** Stop the hub, end each learner's processes and wait for them to exit, remove the users and files. Errors are collected and thrown at the end. */
  stop(): void {
    this.stopSampling();
    const errors: string[] = [];
    for (const c of this.cleanups) {
      try {
        c();
      } catch (e) {
        errors.push((e as Error).message);
      }
    }
    this.cleanups = [];
    if (errors.length) throw new Error('cleanup: ' + errors.join('; '));
  }
}

/** A learner's correct alphaBar (chapter 0's exercise), to write into a workspace before its first start. */
// Written its own way (a running product in Float32Array.from), not as solutions/ writes it: this file
// ships in the learner edition, whose leak check refuses any solution line.
export const SOLVED_ALPHABAR = `export function alphaBar(betas: ArrayLike<number>): Float32Array {
  let prod = 1;
  return Float32Array.from(Array.from(betas), (b, t) => {
    if (!(b >= 0 && b <= 1)) throw new Error(\`alphaBar: beta[\${t}] = \${b} is outside [0, 1]\`);
    prod *= 1 - b;
    return prod;
  });
}
`;

/** Write SOLVED_ALPHABAR into a learner's workspace (owned by the learner, private), before the first start. */
export function solveAlphaBar(l: Learner): void {
  fs.mkdirSync(path.join(l.workspace, 'exercises', 'basics'), { recursive: true });
  fs.writeFileSync(path.join(l.workspace, 'exercises', 'basics', 'alphaBar.ts'), SOLVED_ALPHABAR);
  execFileSync('chown', ['-R', `${l.name}:${l.name}`, l.workspace]);
  fs.chmodSync(l.workspace, 0o700);
}

/** The score check('basics/alphaBar') printed in a result's cell `index`, or null. */
export function alphaBarScore(r: HubResult, index: string): [number, number] | null {
  const cell = r.cells.find((c) => c.index === index);
  const m = cell?.text.match(/check\('basics\/alphaBar'\)(?:<\/b>)?: (\d+) \/ (\d+) points/);
  return m ? [Number(m[1]), Number(m[2])] : null;
}
