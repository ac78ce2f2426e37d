// Where learner code runs: the call server (call-server.cjs) in a bubblewrap sandbox.
// Each submission gets its own mount namespace holding, read-only, only node and the libraries
// it links, the compiled lib without lib/reference, the node_modules packages the call server needs (real folders, no
// symlink leading out), the call server and the submission's own modules; a private tmpfs with
// size and inode caps as /tmp; no network; its own pid namespace; and, when the grader runs as
// root, its own uid. Node's permission model is a second layer. Limits: a wall clock per call,
// memory (V8 heap + address space + a resident-set watchdog), file size, processes (per uid),
// output bytes.
import { ChildProcess, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { StringDecoder } from 'string_decoder';
import type { CallOptions, CallOutcome, Serve } from '../lib/exercise/run';
import type { Wire } from '../lib/exercise/wire';
import { parseToGrader, ServerConfig, ToServer } from './protocol';
import { walk } from './walk';

export interface Limits {
  /** Wall clock for one call of a learner function (ms); the child is killed when it runs over. */
  callMs: number;
  /** V8 heap limit (MB); the resident-set watchdog kills at 1.5 times this plus 256 MB. */
  memoryMb: number;
  /** Bytes of stdout + stderr a sandbox may write before it is stopped. */
  outputBytes: number;
  /** Size of the sandbox's private /tmp (MB) and the files it may hold. */
  tmpMb: number;
  tmpInodes: number;
}

export const DEFAULT_LIMITS: Limits = { callMs: 30000, memoryMb: 1024, outputBytes: 1024 * 1024, tmpMb: 64, tmpInodes: 2048 };

/** A message line from the child larger than this stops it (a result is numbers, not a novel). */
const MAX_MESSAGE = 32 * 1024 * 1024;
/**
 * Callbacks one call may ask for. An honest learner function asks for one, waits for its answer,
 * then asks again (sampleLoop over T steps asks 2T − 1 times); a submission that floods requests
 * is stopped here, before the grader has spent its time answering them.
 */
export const MAX_CALLBACKS = 20000;
/**
 * Answers the grader may have queued for a child that does not read them (bytes). An honest
 * child reads each answer before it asks again, so at most one answer is ever waiting.
 */
export const MAX_QUEUED = 16 * 1024 * 1024;
/** Startup (node + tfjs) may take this long. */
const START_MS = 60000;

// ---------------------------------------------------------------- what this machine allows

export interface Isolation {
  /** bwrap works here (with the tmpfs step); false means grading refuses unless unsafe. */
  bwrap: boolean;
  why: string;
  /** The grader is root: each submission runs as its own uid with a process limit. */
  ownUid: boolean;
  /** Why not, when root (the course's files are not readable by other users). */
  ownUidWhy: string;
  /** Node's permission model flag for this Node version. */
  permissionFlag: string | null;
  /** Running without bwrap because --unsafe-no-sandbox was given. */
  unsafe: boolean;
}

function works(cmd: string, args: string[]): { ok: boolean; why: string } {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 15000 });
  if (r.error) return { ok: false, why: `${cmd}: ${(r.error as NodeJS.ErrnoException).code ?? r.error.message}` };
  if (r.status !== 0) return { ok: false, why: `${path.basename(cmd)} failed: ${(r.stderr || r.stdout || `exit ${r.status}`).trim().split('\n')[0]}` };
  return { ok: true, why: '' };
}

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

/** Probe which isolation works: the same wrapper grading uses, around `true`. */
export function probeIsolation(unsafe = false): Isolation {
  let permissionFlag: string | null = null;
  for (const flag of ['--permission', '--experimental-permission']) {
    if (works(process.execPath, [flag, '--allow-fs-read=/', '--no-warnings', '-e', '0']).ok) {
      permissionFlag = flag;
      break;
    }
  }
  let bw: { ok: boolean; why: string };
  if (process.env.GRADER_NO_BWRAP === '1') bw = { ok: false, why: 'disabled by GRADER_NO_BWRAP=1' };
  else {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'grade-probe-'));
    const uid = isRoot() ? 65534 : null;
    if (uid !== null) fs.chownSync(dir, uid, uid);
    const w = wrapper({ uid, tmpDir: dir, tmpMb: 1, tmpInodes: 16, fsizeBytes: 1 << 20 }, ['--ro-bind', '/', '/', 'true']);
    bw = works(w[0], w.slice(1));
    fs.rmdirSync(dir);
  }
  // Own uids need the course's node_modules and node readable by other users (not so in a 0700 home).
  let ownUid = bw.ok && isRoot();
  let ownUidWhy = isRoot() ? '' : 'the grader is not root';
  if (ownUid) {
    for (const f of [process.execPath, path.join(__dirname, '..', 'node_modules', '@tensorflow', 'tfjs-core', 'package.json'), path.join(__dirname, 'call-server.cjs')]) {
      if (!works('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', '--', 'test', '-r', f]).ok) {
        ownUid = false;
        ownUidWhy = `${f} is not readable by other users`;
        break;
      }
    }
  }
  return { bwrap: bw.ok, why: bw.why, ownUid, ownUidWhy, permissionFlag, unsafe: unsafe && !bw.ok };
}

/** One line per mechanism, for every output format. */
export function describeIsolation(iso: Isolation, limits: Limits): string[] {
  if (!iso.bwrap) {
    return [
      `WARNING: NOT SANDBOXED (${iso.why}); graded with --unsafe-no-sandbox: learner code ran as the grader's user and could read its files`,
      `in-process only: network modules (dgram, dns, net, http(s), http2, tls and their internals), process.getBuiltinModule and process.binding for them, child_process, workers, vm, eval and fetch disabled; ${iso.permissionFlag ? `Node permission model (${iso.permissionFlag})` : 'no Node permission model'}`,
    ];
  }
  return [
    'sandbox: bubblewrap; own mount, pid, network, ipc and uts namespaces; read-only node, compiled lib, needed packages and the submission',
    `tmp: private tmpfs of ${limits.tmpMb} MB and ${limits.tmpInodes} files; ${iso.ownUid ? 'own uid per submission, process limit' : `grader's uid (${iso.ownUidWhy}), own user namespace`}`,
    `limits: ${limits.callMs / 1000} s per call, ${limits.memoryMb} MB heap, ${Math.round(limits.outputBytes / 1024)} kB output; ${iso.permissionFlag ? `Node permission model (${iso.permissionFlag})` : 'no Node permission model'}`,
  ];
}

interface WrapOptions {
  uid: number | null;
  tmpDir: string;
  tmpMb: number;
  tmpInodes: number;
  fsizeBytes: number;
  /** Address-space cap (bytes), when given. */
  asBytes?: number;
}

/**
 * prlimit → (setpriv to the submission's uid) → unshare a user+mount namespace that mounts the
 * capped tmpfs on `tmpDir` (only this namespace sees it; it vanishes with the namespace) → bwrap.
 */
function wrapper(o: WrapOptions, bwrapArgs: string[]): string[] {
  const limits = ['prlimit', '--core=0', `--fsize=${o.fsizeBytes}`, ...(o.asBytes ? [`--as=${o.asBytes}`] : []), ...(o.uid !== null ? ['--nproc=256'] : []), '--'];
  const user = o.uid !== null ? ['setpriv', `--reuid=${o.uid}`, `--regid=${o.uid}`, '--clear-groups', '--'] : [];
  const mount = `mount -t tmpfs -o "size=$1,nr_inodes=$2,mode=1777" grader-tmp "$3" || exit 97; shift 3; exec "$@"`;
  return [...limits, ...user, 'unshare', '--user', '--map-root-user', '--mount', '--', '/bin/sh', '-c', mount, 'sh', `${o.tmpMb}m`, String(o.tmpInodes), o.tmpDir, 'bwrap', ...bwrapArgs];
}

// ---------------------------------------------------------------- the run's read-only layout

/** What every sandbox of a grading run shares (read-only): compiled lib, packages, call server. */
export interface RunLayout {
  /** Folder of the run (removed at the end). */
  dir: string;
  /** Compiled lib: <dir>/course/lib. */
  lib: string;
  /** <dir>/course/node_modules: links to the packages below (used without bwrap). */
  nodeModules: string;
  /** The packages the call server may load: name → real folder. */
  packages: Map<string, string>;
  /** <dir>/course/call-server.cjs */
  server: string;
  /** <dir>/course/typescript.cache, once made by makeTsCache. */
  tsCache: string;
}

/** The packages the call server needs: tfjs and its dependencies, and typescript (to transpile). */
export function neededPackages(root: string, roots = ['@tensorflow/tfjs', 'typescript']): Map<string, string> {
  const out = new Map<string, string>();
  const visit = (name: string) => {
    if (out.has(name) || name === '@tensorflow/tfjs-node') return;
    const dir = path.join(root, 'node_modules', name);
    if (!fs.existsSync(dir)) return;
    if (fs.lstatSync(dir).isSymbolicLink()) throw new Error(`node_modules/${name} is a symlink; the sandbox exposes only real folders`);
    out.set(name, fs.realpathSync(dir));
    const pj = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
    for (const d of Object.keys(pj.dependencies ?? {})) visit(d);
  };
  for (const r of roots) visit(r);
  return out;
}

/** Files of the run layout, written once per grading run. `compile` turns a lib .ts file into JS. */
export function makeRunLayout(root: string, compile: (src: string, file: string) => string): RunLayout {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'grade-run-'));
  fs.chmodSync(dir, 0o755);
  const course = path.join(dir, 'course');
  const lib = path.join(course, 'lib');
  const libSrc = path.join(root, 'lib');
  for (const f of walk(libSrc).regular) {
    const rel = path.relative(libSrc, f);
    if (f.endsWith('.as.ts') || f.endsWith('.ipynb')) continue;
    // No reference in the sandbox, by any route: lib/reference (the compiled reference
    // solutions) is left out, and lib's dispatchers there run the learner's own functions.
    if (rel.split(path.sep)[0] === 'reference') continue;
    const dest = path.join(lib, rel);
    fs.mkdirSync(path.dirname(dest), { recursive: true, mode: 0o755 });
    if (f.endsWith('.ts') && !f.endsWith('.d.ts')) fs.writeFileSync(dest.replace(/\.ts$/, '.js'), compile(fs.readFileSync(f, 'utf8'), f), { mode: 0o644 });
    else if (!f.endsWith('.d.ts')) fs.copyFileSync(f, dest);
  }
  fs.writeFileSync(path.join(lib, 'package.json'), JSON.stringify({ name: 'course', private: true, main: 'index.js' }) + '\n', { mode: 0o644 });
  const nodeModules = path.join(course, 'node_modules');
  const packages = neededPackages(root);
  for (const [name, real] of packages) {
    fs.mkdirSync(path.dirname(path.join(nodeModules, name)), { recursive: true, mode: 0o755 });
    fs.symlinkSync(real, path.join(nodeModules, name));
  }
  fs.symlinkSync('../lib', path.join(nodeModules, 'course'));
  const server = path.join(course, 'call-server.cjs');
  fs.copyFileSync(path.join(__dirname, 'call-server.cjs'), server);
  for (const d of walk(dir).dirs) fs.chmodSync(d, 0o755);
  return { dir, lib, nodeModules, packages, server, tsCache: path.join(course, 'typescript.cache') };
}

/**
 * Make the code cache of typescript.js the call servers use, in a plain node with their V8
 * flags (V8 rejects a cache made under other flags). Trusted: no learner input is involved.
 */
export function makeTsCache(run: RunLayout, limits: Limits): void {
  const ts = path.join(run.packages.get('typescript') ?? '', 'lib', 'typescript.js');
  const script = `const vm = require('vm'), fs = require('fs'), path = require('path'), Module = require('module');
const [file, out] = process.argv.slice(1);
const s = new vm.Script(Module.wrap(fs.readFileSync(file, 'utf8')), { filename: file });
const m = new Module(file, module); m.filename = file; m.paths = Module._nodeModulePaths(path.dirname(file));
s.runInThisContext().call(m.exports, m.exports, (id) => m.require(id), m, file, path.dirname(file));
m.exports.transpileModule('export const a: number = 1;', { compilerOptions: { module: 1 } });
fs.writeFileSync(out, s.createCachedData(), { mode: 0o644 });`;
  const v8 = nodeFlags({ bwrap: true, why: '', ownUid: false, ownUidWhy: '', permissionFlag: null, unsafe: false }, limits, [], []).filter((f) => f !== '--no-warnings');
  spawnSync(process.execPath, [...v8, '-e', script, ts, run.tsCache], { timeout: 60000 });
}

// ---------------------------------------------------------------- one submission's box

let nextUid = 0;

/** A submission's own folder: its modules (exercises/<id>.ts) and the mount point of its tmpfs. */
export interface Box {
  dir: string;
  exercises: string;
  tmp: string;
  uid: number | null;
}

export function makeBox(iso: Isolation, modules: Map<string, string>): Box {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'grade-box-'));
  const exercises = path.join(dir, 'exercises');
  for (const [id, src] of modules) {
    const f = path.join(exercises, `${id}.ts`);
    fs.mkdirSync(path.dirname(f), { recursive: true, mode: 0o700 });
    fs.writeFileSync(f, src, { mode: 0o600 });
  }
  const tmp = path.join(dir, 'tmp');
  fs.mkdirSync(tmp, { mode: 0o700 });
  // As root, each submission is its own user: only it (and root) can read its folder.
  const uid = iso.ownUid ? 200000 + (nextUid++ % 100000) : null;
  if (uid !== null) {
    const all = walk(dir);
    for (const p of [...all.dirs, ...all.regular]) fs.chownSync(p, uid, uid);
  }
  fs.chmodSync(dir, 0o700);
  return { dir, exercises, tmp, uid };
}

/** Remove a box. Its tmpfs lived only in the sandbox's mount namespace; `rm -rf` copes with any depth. */
export function removeBox(box: Box): void {
  spawnSync('rm', ['-rf', '--one-file-system', box.dir], { timeout: 60000 });
  if (fs.existsSync(box.dir)) fs.rmSync(box.dir, { recursive: true, force: true, maxRetries: 2 });
}

// ---------------------------------------------------------------- starting the call server

const ldd = new Map<string, string[]>();

/** The shared libraries a binary links (real paths), for read-only binds. */
function sharedLibraries(bin: string): string[] {
  if (ldd.has(bin)) return ldd.get(bin)!;
  const r = spawnSync('ldd', [bin], { encoding: 'utf8' });
  const libs = new Set<string>();
  for (const m of (r.stdout ?? '').matchAll(/(\/\S+)\s+\(0x/g)) libs.add(m[1]);
  ldd.set(bin, [...libs]);
  return [...libs];
}

const IN_NODE = '/usr/bin/node';
const IN_COURSE = '/course';

function bwrapArgs(run: RunLayout, box: Box, iso: Isolation, limits: Limits, config: ServerConfig): string[] {
  const node = fs.realpathSync(process.execPath);
  const a = ['--unshare-all', '--die-with-parent', '--new-session', '--clearenv', '--uid', '1000', '--gid', '1000'];
  a.push('--ro-bind', node, IN_NODE);
  for (const l of sharedLibraries(node)) a.push('--ro-bind', l, l);
  for (const l of sharedLibraries(node)) {
    const real = fs.realpathSync(l);
    if (real !== l) a.push('--ro-bind', real, real);
  }
  a.push('--ro-bind', run.lib, `${IN_COURSE}/lib`, '--ro-bind', run.lib, `${IN_COURSE}/node_modules/course`);
  for (const [name, real] of run.packages) a.push('--ro-bind', real, `${IN_COURSE}/node_modules/${name}`);
  a.push('--ro-bind', run.server, `${IN_COURSE}/call-server.cjs`, '--ro-bind', box.exercises, `${IN_COURSE}/exercises`);
  if (fs.existsSync(run.tsCache)) a.push('--ro-bind', run.tsCache, `${IN_COURSE}/typescript.cache`);
  a.push('--bind', box.tmp, '/tmp', '--proc', '/proc', '--dev', '/dev', '--chdir', '/tmp');
  // One thread, and lib/nn's plain kernels: turning V8's relaxed SIMD on at run time (the FMA
  // build, lib/nn/wasm/fma.ts) would change the flags the TypeScript code cache was made under.
  a.push('--setenv', 'HOME', '/tmp', '--setenv', 'TMPDIR', '/tmp', '--setenv', 'PATH', '/usr/bin', '--setenv', 'COURSE_QUICK', '1', '--setenv', 'COURSE_THREADS', '1', '--setenv', 'COURSE_FMA', '0');
  a.push(IN_NODE, ...nodeFlags(iso, limits, [`${IN_COURSE}/`, '/tmp/'], ['/tmp/']), `${IN_COURSE}/call-server.cjs`, JSON.stringify(config));
  return a;
}

function nodeFlags(iso: Isolation, limits: Limits, read: string[], write: string[]): string[] {
  const perm = iso.permissionFlag ? [iso.permissionFlag, ...read.map((r) => `--allow-fs-read=${r}`), ...write.map((w) => `--allow-fs-write=${w}`)] : [];
  return [...perm, `--max-old-space-size=${limits.memoryMb}`, '--stack-size=2000', '--no-warnings'];
}

function spawnServer(run: RunLayout, box: Box, iso: Isolation, limits: Limits, modules: Map<string, string>, fns: Map<string, string>, logFd: number): ChildProcess {
  const stdio: ('pipe' | number)[] = ['pipe', logFd, logFd, 'pipe'];
  const asBytes = (limits.memoryMb * 4 + 4096) * 1024 * 1024;
  const fsizeBytes = Math.max(64 << 20, limits.tmpMb << 20);
  if (iso.bwrap) {
    const config: ServerConfig = { lib: `${IN_COURSE}/lib`, modules: moduleMap(modules, fns, `${IN_COURSE}/exercises`), noNetwork: false, tsCache: `${IN_COURSE}/typescript.cache` };
    const w = wrapper({ uid: box.uid, tmpDir: box.tmp, tmpMb: limits.tmpMb, tmpInodes: limits.tmpInodes, fsizeBytes, asBytes }, bwrapArgs(run, box, iso, limits, config));
    return spawn(w[0], w.slice(1), { stdio, detached: true, env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin' } });
  }
  // The unsafe fallback: no namespaces. The submission's folder gets links to lib and node_modules.
  for (const [link, to] of [['lib', run.lib], ['node_modules', run.nodeModules]]) {
    const p = path.join(box.dir, link);
    if (!fs.existsSync(p)) fs.symlinkSync(to, p);
  }
  const config: ServerConfig = { lib: run.lib, modules: moduleMap(modules, fns, box.exercises), noNetwork: true, tsCache: run.tsCache };
  const read = [`${run.dir}/`, `${box.dir}/`, ...[...run.packages.values()].map((p) => `${p}/`)];
  // No eval or new Function: an import() compiled from a string would skip the call server's
  // guard on network modules (call-server.cjs, blockNetwork).
  const args = [...nodeFlags(iso, limits, read, [`${box.tmp}/`]), '--disallow-code-generation-from-strings', run.server, JSON.stringify(config)];
  const env = { PATH: '/usr/bin:/bin', HOME: box.tmp, TMPDIR: box.tmp, COURSE_QUICK: '1', COURSE_THREADS: '1', COURSE_FMA: '0' };
  return spawn('prlimit', ['--core=0', `--fsize=${fsizeBytes}`, '--', process.execPath, ...args], { stdio, detached: true, cwd: box.tmp, env });
}

function moduleMap(modules: Map<string, string>, fns: Map<string, string>, dir: string): ServerConfig['modules'] {
  const out: ServerConfig['modules'] = {};
  for (const id of modules.keys()) out[id] = { file: `${dir}/${id}.ts`, fn: fns.get(id) ?? '' };
  return out;
}

// ---------------------------------------------------------------- the call server, from the grader's side

type Why = 'timeout' | 'memory' | 'output' | 'message' | 'startup' | 'callbacks' | 'unread' | 'protocol';

interface Pending {
  seq: number;
  serve: Serve | null;
  /** Callbacks answered so far during this call. */
  callbacks: number;
  resolve: (o: CallOutcome | 'ready') => void;
  reject: (e: Error) => void;
}

/**
 * One sandboxed call server for a submission. `call` runs a function there and resolves to
 * its outputs; a call that runs over its time, memory or output limit kills the child (the
 * call fails with the reason) and the next call starts a fresh one.
 */
export class CallServer {
  private child: ChildProcess | null = null;
  private logFd = -1;
  private seq = 0;
  private buf = '';
  private decoder = new StringDecoder('utf8');
  private pending: Pending | null = null;
  private killedFor: Why | null = null;
  private watchdog: NodeJS.Timeout | null = null;
  /** Lines from the child that answered nothing asked (forged or stale). */
  ignored = 0;
  /** Exercises whose module loaded in the current child. */
  private loadedHere = new Set<string>();
  /** Exercises whose module ended the process while loading: their calls fail at once. */
  private loadFailed = new Map<string, string>();

  constructor(
    private run: RunLayout,
    private box: Box,
    private iso: Isolation,
    private limits: Limits,
    private modules: Map<string, string>,
    private fns: Map<string, string>,
  ) {}

  async call(exercise: string, args: Wire[], serve: Serve, opts: CallOptions = {}): Promise<CallOutcome> {
    const failed = this.loadFailed.get(exercise);
    if (failed) throw new Error(failed);
    if (!this.child) await this.start();
    const seq = ++this.seq;
    try {
      return (await this.wait(seq, serve, this.limits.callMs, () => this.send({ type: 'call', seq, exercise, args, ...(opts.grad === undefined ? {} : { grad: opts.grad }) }))) as CallOutcome;
    } catch (e) {
      // The process ended before the module finished loading: the same will happen every time.
      if (!this.child && !this.loadedHere.has(exercise)) {
        const why = `could not load ${exercise}: ${(e as Error).message}`;
        this.loadFailed.set(exercise, why);
        throw new Error(why);
      }
      throw e;
    }
  }

  close(): void {
    this.kill(null);
  }

  private async start(): Promise<void> {
    const log = path.join(this.box.dir, `log-${this.seq}`);
    this.logFd = fs.openSync(log, 'w+', 0o600);
    fs.unlinkSync(log);
    this.killedFor = null;
    this.buf = '';
    this.decoder = new StringDecoder('utf8');
    this.loadedHere.clear();
    const child = spawnServer(this.run, this.box, this.iso, this.limits, this.modules, this.fns, this.logFd);
    this.child = child;
    child.stdin!.on('error', () => {});
    const channel = child.stdio[3] as NodeJS.ReadableStream;
    // Everything the child sends is read here, in a stream listener: a throw would escape every
    // try and end the grader, so any surprise stops this child (its call fails) and nothing else.
    channel.on('data', (b: Buffer) => {
      try {
        this.onData(child, b);
      } catch (e) {
        if (child === this.child) this.kill('protocol');
      }
    });
    channel.on('error', () => {});
    child.on('error', (e) => fs.writeSync(this.logFd, `\n[grader] could not start the sandbox: ${e.message}\n`));
    child.on('close', (code, signal) => this.onClose(child, code, signal));
    const rssCap = (this.limits.memoryMb * 1.5 + 256) * 1024;
    this.watchdog = setInterval(() => {
      if (rssKb(child.pid!) > rssCap) this.kill('memory');
      else if (this.outputSize() > this.limits.outputBytes) this.kill('output');
    }, 100);
    await this.wait(0, null, START_MS, () => {});
  }

  /** Wait for the reply to `seq` (0: the ready message), with a timer that kills the child. */
  private wait(seq: number, serve: Serve | null, ms: number, send: () => void): Promise<CallOutcome | 'ready'> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => this.kill(seq === 0 ? 'startup' : 'timeout'), ms);
      const done = <T>(f: (x: T) => void) => (x: T) => {
        clearTimeout(timer);
        this.pending = null;
        f(x);
      };
      this.pending = { seq, serve, callbacks: 0, resolve: done(resolve), reject: done(reject) };
      send();
    }).then((r) => {
      // Output is written synchronously, so by the time a result arrives it is all counted.
      if (this.outputSize() > this.limits.outputBytes) {
        this.kill('output');
        throw new Error(this.why('output', null, null));
      }
      return r as CallOutcome | 'ready';
    });
  }

  private send(m: ToServer): void {
    this.child?.stdin?.write(JSON.stringify(m) + '\n');
  }

  /** Bytes written to the child that it has not read yet (Node's queue; the pipe holds 64 kB more). */
  private unread(): number {
    return this.child?.stdin?.writableLength ?? 0;
  }

  private onData(child: ChildProcess, b: Buffer): void {
    // Once a child is being stopped, nothing more it says counts.
    if (child !== this.child || this.killedFor) return;
    // A character split between two chunks is joined, not turned into two replacement marks.
    this.buf += this.decoder.write(b);
    if (this.buf.length > MAX_MESSAGE) {
      this.kill('message');
      return;
    }
    let nl: number;
    while (!this.killedFor && (nl = this.buf.indexOf('\n')) >= 0) {
      const line = this.buf.slice(0, nl);
      this.buf = this.buf.slice(nl + 1);
      this.onLine(line);
    }
  }

  private onLine(line: string): void {
    const m = parseToGrader(line);
    const p = this.pending;
    if (!m || !p) {
      this.ignored++;
      return;
    }
    // Only the submission's own exercises: a flood of made-up names must not grow this set.
    if (m.type === 'loaded') {
      if (this.modules.has(m.exercise)) this.loadedHere.add(m.exercise);
    }
    else if (m.type === 'ready' && p.seq === 0) p.resolve('ready');
    else if (m.type === 'result' && m.seq === p.seq) p.resolve(m.outcome);
    else if (m.type === 'unavailable' && m.seq === p.seq) p.reject(new Error(m.reason.slice(0, 2000)));
    else if (m.type === 'callback' && m.seq === p.seq && p.serve) {
      if (++p.callbacks > MAX_CALLBACKS) return this.kill('callbacks');
      if (this.unread() > MAX_QUEUED) return this.kill('unread');
      let answer: ToServer;
      try {
        answer = { type: 'return', seq: p.seq, ok: true, value: p.serve(m.id, m.args) };
      } catch (e) {
        answer = { type: 'return', seq: p.seq, ok: false, error: e instanceof Error ? e.message : 'the test could not answer this callback' };
      }
      this.send(answer);
    } else this.ignored++;
  }

  private onClose(child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (child !== this.child) return;
    const why = this.killedFor;
    this.child = null;
    if (this.watchdog) clearInterval(this.watchdog);
    const tail = this.tail();
    if (this.logFd >= 0) fs.closeSync(this.logFd);
    this.logFd = -1;
    this.pending?.reject(new Error(this.why(why, code, signal, tail)));
  }

  private why(why: Why | null, code: number | null, signal: NodeJS.Signals | null, tail = ''): string {
    const out = tail.trim() ? `\n--- output ---\n${tail.trim().slice(-800)}` : '';
    switch (why) {
      case 'timeout': return `timed out: still running after ${this.limits.callMs / 1000} s, so it was stopped (an infinite loop?)`;
      case 'memory': return `ran out of memory (limit ${this.limits.memoryMb} MB), so it was stopped`;
      case 'output': return `printed more than ${Math.round(this.limits.outputBytes / 1024)} kB of output, so it was stopped`;
      case 'message': return `returned more than ${MAX_MESSAGE / 1024 / 1024} MB, so it was stopped`;
      case 'callbacks': return `called back more than ${MAX_CALLBACKS} times in one call, so it was stopped`;
      case 'unread': return `asked for callbacks without reading their answers (more than ${MAX_QUEUED / 1024 / 1024} MB waiting), so it was stopped`;
      case 'protocol': return 'sent the grader a message it could not handle, so it was stopped';
      case 'startup': return `the sandbox did not start within ${START_MS / 1000} s${out}`;
    }
    if (/JavaScript heap out of memory|Reached heap limit|Allocation failed/.test(tail)) return `ran out of memory (limit ${this.limits.memoryMb} MB), so it was stopped`;
    return `the process running your code ended during this call (${signal ? `signal ${signal}` : `exit code ${code}`}); calling process.exit() or crashing Node ends it${out}`;
  }

  private kill(why: Why | null): void {
    const c = this.child;
    if (!c) return;
    if (why && !this.killedFor) this.killedFor = why;
    if (!why) {
      this.pending = null;
      this.child = null;
      if (this.watchdog) clearInterval(this.watchdog);
      if (this.logFd >= 0) fs.closeSync(this.logFd);
      this.logFd = -1;
    }
    try {
      process.kill(-c.pid!, 'SIGKILL');
    } catch {}
    // If its pipes stay open (they should not: the sandbox dies with bwrap), give up on it anyway.
    if (why) setTimeout(() => this.onClose(c, null, 'SIGKILL'), 5000).unref();
  }

  private outputSize(): number {
    try {
      return this.logFd >= 0 ? fs.fstatSync(this.logFd).size : 0;
    } catch {
      return 0;
    }
  }

  private tail(): string {
    if (this.logFd < 0) return '';
    const size = this.outputSize();
    const buf = Buffer.alloc(Math.min(4000, size));
    const n = fs.readSync(this.logFd, buf, 0, buf.length, Math.max(0, size - buf.length));
    return buf.toString('utf8', 0, n);
  }
}

/** Resident memory (kB) of a process and its descendants. */
function rssKb(pid: number): number {
  let total = 0;
  const stack = [pid];
  let guard = 0;
  while (stack.length && guard++ < 64) {
    const p = stack.pop()!;
    try {
      const m = fs.readFileSync(`/proc/${p}/status`, 'utf8').match(/VmRSS:\s+(\d+)/);
      if (m) total += Number(m[1]);
      for (const t of fs.readdirSync(`/proc/${p}/task`)) {
        const kids = fs.readFileSync(`/proc/${p}/task/${t}/children`, 'utf8').trim();
        if (kids) stack.push(...kids.split(/\s+/).map(Number));
      }
    } catch {}
  }
  return total;
}
