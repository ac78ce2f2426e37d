// A class on a real JupyterHub: Debian's jupyterhub 3.0, two unix users, the dummy authenticator
// and LocalProcessSpawner on 127.0.0.1, each server started by binder/start from this course
// (installed read-only for them: root-owned), with the kernel scripts/hub-install.js registers.
// Through the hub's REST API and the kernel websocket (scripts/hub-client.py) each learner runs
// chapter 0 (quick mode) and check() cells in their own workspace (~/course). It needs root:
// useradd, and a hub that starts servers as other users. CI (.ci/run) runs as root.
import { expect } from 'chai';
import { ChildProcess, execFileSync, spawn, spawnSync } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { freePort } from '../../scripts/freePort';

const ROOT = path.resolve(__dirname, '..', '..');
const { hubInstall } = require('../../scripts/hub-install');
const PYTHON = '/usr/bin/python3'; // Debian's, with jupyterhub and tornado
// COURSE_HUB_NOTEBOOK=06-unclip.ipynb COURSE_HUB_FULL=1 measures another chapter in full mode.
const CHAPTER = process.env.COURSE_HUB_NOTEBOOK || '00-typescript-tensors-and-points.ipynb';
const QUICK = process.env.COURSE_HUB_FULL === '1' ? '0' : '1';

/** A learner's correct alphaBar, written into one workspace before its first start. */
const SOLVED_ALPHABAR = `export function alphaBar(betas: ArrayLike<number>): Float32Array {
  const out = new Float32Array(betas.length);
  let acc = 1;
  for (let t = 0; t < betas.length; t++) {
    const b = betas[t];
    if (!(b >= 0 && b <= 1)) throw new Error(\`alphaBar: beta[\${t}] = \${b} is outside [0, 1]\`);
    acc *= 1 - b;
    out[t] = acc;
  }
  return out;
}
`;

/** Pids of the processes a user owns (from /proc). */
function pidsOf(uid: number): number[] {
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
function rssOf(pid: number): { mib: number; kernel: boolean } | null {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = Number(status.match(/^VmRSS:\s+(\d+)/m)?.[1] ?? 0);
    const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return { mib: kb / 1024, kernel: cmd.includes('hub-kernel.js') };
  } catch {
    return null;
  }
}

interface Learner {
  name: string;
  uid: number;
  home: string;
  workspace: string;
  peak: { total: number; kernel: number; server: number };
}

describe('a class on JupyterHub: two unix users spawned from the installed course', function () {
  this.timeout(360000);
  const cleanups: (() => void)[] = [];
  const learners: Learner[] = [];
  let hub: ChildProcess | null = null;
  let hubLog = '';
  let hubUrl = '';
  let token = '';
  let base = '';

  before(async function () {
    if (process.getuid!() !== 0) {
      throw new Error('test/hub needs root: it creates two unix users (useradd) and runs a JupyterHub that starts their servers as them. CI runs it as root (.ci/run); locally: sudo npm test, or sudo npx mocha test/hub/hub.test.ts');
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

    base = fs.mkdtempSync(path.join(os.tmpdir(), 'course-hub-'));
    fs.chmodSync(base, 0o755);
    cleanups.push(() => fs.rmSync(base, { recursive: true, force: true }));
    const prefix = path.join(base, 'prefix');
    const { data } = hubInstall(prefix, process.execPath);

    const tag = crypto.randomBytes(3).toString('hex');
    for (const suffix of ['a', 'b']) {
      const name = `chub${tag}${suffix}`;
      const home = path.join(base, 'home', name);
      fs.mkdirSync(path.dirname(home), { recursive: true, mode: 0o755 });
      execFileSync('useradd', ['--create-home', '--home-dir', home, '--shell', '/bin/sh', '--user-group', name]);
      const uid = Number(spawnSync('id', ['-u', name], { encoding: 'utf8' }).stdout.trim());
      cleanups.unshift(() => {
        // Whatever the hub left running as this learner (it started them), then the user.
        if (uid > 0) for (const pid of pidsOf(uid)) try { process.kill(pid, 'SIGKILL'); } catch {}
        spawnSync('userdel', ['--remove', name]);
      });
      learners.push({ name, uid, home, workspace: path.join(home, 'course'), peak: { total: 0, kernel: 0, server: 0 } });
    }
    // Learner a solved alphaBar before the first start: the start must keep that file.
    const [a] = learners;
    fs.mkdirSync(path.join(a.workspace, 'exercises', 'basics'), { recursive: true });
    fs.writeFileSync(path.join(a.workspace, 'exercises', 'basics', 'alphaBar.ts'), SOLVED_ALPHABAR);
    execFileSync('chown', ['-R', `${a.name}:${a.name}`, a.workspace]);
    fs.chmodSync(a.workspace, 0o700);

    const [port, hubPort, proxyApiPort] = [await freePort(), await freePort(), await freePort()];
    token = crypto.randomBytes(24).toString('hex');
    hubUrl = `http://127.0.0.1:${port}`;
    const env = {
      COURSE_QUICK: QUICK,
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
c.Authenticator.allowed_users = ${JSON.stringify(learners.map((l) => l.name))}
c.JupyterHub.spawner_class = 'jupyterhub.spawner.LocalProcessSpawner'
c.Spawner.cmd = [${JSON.stringify(path.join(ROOT, 'binder', 'start'))}, 'jupyterhub-singleuser']
c.Spawner.environment = ${JSON.stringify(env)}
c.Spawner.default_url = '/tree/index.ipynb'
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120
c.JupyterHub.cleanup_servers = True
c.JupyterHub.services = [{'name': 'course-test', 'api_token': ${JSON.stringify(token)}}]
c.JupyterHub.load_roles = [{'name': 'course-test', 'scopes': ['admin:users', 'admin:servers', 'access:servers', 'read:users'], 'services': ['course-test']}]
`;
    fs.writeFileSync(path.join(base, 'jupyterhub_config.py'), config);
    // Debian's configurable-http-proxy finds its modules (commander, http-proxy) in /usr/share/nodejs,
    // which only Debian's own node searches by default; say so for any other node on PATH.
    const nodePath = ['/usr/share/nodejs', process.env.NODE_PATH].filter(Boolean).join(path.delimiter);
    hub = spawn('/usr/bin/jupyterhub', ['-f', path.join(base, 'jupyterhub_config.py')], { cwd: base, env: { ...process.env, NODE_PATH: nodePath }, stdio: ['ignore', 'pipe', 'pipe'] });
    hub.stdout!.on('data', (d) => (hubLog += d));
    hub.stderr!.on('data', (d) => (hubLog += d));
    cleanups.unshift(stopHub);
    const deadline = Date.now() + 60000;
    for (;;) {
      try {
        const r = await fetch(`${hubUrl}/hub/api/`, { headers: { Authorization: `token ${token}` } });
        if (r.ok) break;
      } catch {}
      if (hub.exitCode !== null || Date.now() > deadline) throw new Error(`the hub did not start:\n${hubLog.slice(-3000)}`);
      await new Promise((r) => setTimeout(r, 300));
    }
  });

  /** SIGTERM to the hub (it stops the proxy and, with cleanup_servers, the learners' servers). */
  function stopHub() {
    if (!hub || hub.pid === undefined) return;
    const alive = () => { try { process.kill(hub!.pid!, 0); return !fs.readFileSync(`/proc/${hub!.pid}/stat`, 'utf8').includes(') Z '); } catch { return false; } };
    hub.kill('SIGTERM');
    // Cleanups run synchronously (no event loop here): poll /proc for at most 20 s.
    const t0 = Date.now();
    while (alive() && Date.now() - t0 < 20000) spawnSync('sleep', ['0.2']);
    if (alive()) hub.kill('SIGKILL');
    const proxyPid = Number(fs.existsSync(path.join(base, 'proxy.pid')) ? fs.readFileSync(path.join(base, 'proxy.pid'), 'utf8') : NaN);
    if (proxyPid > 0) try { process.kill(proxyPid, 'SIGKILL'); } catch {}
  }

  after(() => {
    const errors: string[] = [];
    for (const c of cleanups) {
      try {
        c();
      } catch (e) {
        errors.push((e as Error).message);
      }
    }
    for (const l of learners) {
      expect(spawnSync('id', [l.name]).status, `user ${l.name} removed`).to.not.equal(0);
      expect(pidsOf(l.uid), `${l.name}'s processes stopped`).to.deep.equal([]);
    }
    if (errors.length) throw new Error('cleanup: ' + errors.join('; '));
  });

  it('runs chapter 0 and check() in each learner\'s own workspace; each check grades that learner\'s exercises; neither sees the other\'s files', async () => {
    const [a, b] = learners;
    const probe = (other: Learner) => `import * as fs from 'fs';
import { exercisesDir } from 'course/exercise/check';
let other: string;
try { other = 'read ' + fs.readdirSync(${JSON.stringify(other.workspace)}).length + ' entries'; } catch (e) { other = (e as NodeJS.ErrnoException).code ?? String(e); }
console.log('PROBE ' + JSON.stringify({ exercises: exercisesDir(), cwd: process.cwd(), uid: process.getuid!(), other }));`;
    const sampler = setInterval(() => {
      for (const l of learners) {
        let total = 0, kernel = 0;
        for (const pid of pidsOf(l.uid)) {
          const r = rssOf(pid);
          if (!r) continue;
          total += r.mib;
          if (r.kernel) kernel += r.mib;
        }
        if (total > l.peak.total) l.peak.total = total;
        if (kernel > l.peak.kernel) l.peak.kernel = kernel;
        if (total - kernel > l.peak.server) l.peak.server = total - kernel;
      }
    }, 250);
    const run = (l: Learner, other: Learner) =>
      new Promise<any>((resolve) => {
        const child = spawn(PYTHON, [path.join(ROOT, 'scripts', 'hub-client.py'), '--hub', hubUrl, '--token', token, '--user', l.name, '--notebook', CHAPTER,
          // The probe runs first: after a check() (loadTs unregisters a tsx namespace, which drops require's
          // .ts extension), a cell cannot import a course module the kernel had not loaded yet.
          '--before', probe(other), '--cell', "import { check } from 'course/check';\nawait check('basics/alphaBar');", '--timeout', QUICK === '1' ? '240' : '900'], { stdio: ['ignore', 'pipe', 'pipe'] });
        let out = '';
        let err = '';
        child.stdout.on('data', (d) => (out += d));
        child.stderr.on('data', (d) => (err += d));
        child.on('exit', () => {
          try {
            resolve(JSON.parse(out.trim().split('\n').pop()!));
          } catch {
            resolve({ ok: false, failure: `hub-client printed no result: ${out}\n${err}` });
          }
        });
      });
    let results: any[];
    try {
      results = await Promise.all([run(a, b), run(b, a)]);
    } finally {
      clearInterval(sampler);
    }
    for (const r of results) {
      expect(r.ok, `${r.user}: ${JSON.stringify(r.failure)}\n--- hub log ---\n${hubLog.slice(-2500)}`).to.equal(true);
      expect(r.cells.length).to.be.greaterThan(5);
      for (const c of r.cells) expect(c.ok, `${r.user} cell ${c.index}: ${c.failure}`).to.equal(true);
    }
    const [ra, rb] = results;
    // check('basics/alphaBar') graded each learner's own exercises/basics/alphaBar.ts.
    const score = (r: any) => {
      const m = r.cells.find((c: any) => c.index === 'extra0').text.match(/check\('basics\/alphaBar'\)(?:<\/b>)?: (\d+) \/ (\d+) points/);
      expect(m, `${r.user}'s check output: ${r.cells.find((c: any) => c.index === 'extra0').text.slice(0, 500)}`).to.not.equal(null);
      return [Number(m[1]), Number(m[2])];
    };
    const [sa, max] = score(ra);
    const [sb] = score(rb);
    expect(max).to.be.greaterThan(0);
    expect(sa, `${a.name} solved alphaBar in their workspace`).to.equal(max);
    expect(sb, `${b.name} has the course's stub`).to.equal(0);
    for (const [r, l, other] of [[ra, a, b], [rb, b, a]] as [any, Learner, Learner][]) {
      const line = r.cells.find((c: any) => c.index === 'before0').text.match(/PROBE (\{.*\})/);
      expect(line, r.cells.find((c: any) => c.index === 'before0').text).to.not.equal(null);
      const p = JSON.parse(line[1]);
      expect(p.uid).to.equal(l.uid);
      expect(p.cwd).to.equal(l.workspace);
      expect(p.exercises).to.equal(path.join(l.workspace, 'exercises'));
      expect(p.other, `${l.name} listing ${other.name}'s workspace`).to.equal('EACCES');
    }
    // The first start filled each workspace (owned by its learner) and kept a's own file.
    for (const l of learners) {
      for (const f of [CHAPTER, '00-typescript-tensors-and-points.ipynb', 'index.ipynb', 'exercises/basics/alphaBar.ts', 'exercises/diffusion/ddpmStep.ts']) {
        expect(fs.statSync(path.join(l.workspace, f)).uid, `${l.name}/${f}`).to.equal(l.uid);
      }
      expect(fs.readlinkSync(path.join(l.workspace, 'lib'))).to.equal(path.join(ROOT, 'lib'));
    }
    expect(fs.readFileSync(path.join(a.workspace, 'exercises', 'basics', 'alphaBar.ts'), 'utf8')).to.equal(SOLVED_ALPHABAR);
    expect(fs.readFileSync(path.join(b.workspace, 'exercises', 'basics', 'alphaBar.ts'), 'utf8')).to.equal(fs.readFileSync(path.join(ROOT, 'exercises', 'basics', 'alphaBar.ts'), 'utf8'));
    for (const l of learners) {
      const r = results.find((x) => x.user === l.name);
      console.log(`      [hub] ${l.name}: ${CHAPTER} (${QUICK === '1' ? 'quick' : 'full'} mode) + check in ${r.seconds} s (spawn ${r.spawn_seconds} s); peak RSS ${l.peak.total.toFixed(0)} MiB (kernel ${l.peak.kernel.toFixed(0)} MiB, notebook server ${l.peak.server.toFixed(0)} MiB)`);
    }
  });
});
