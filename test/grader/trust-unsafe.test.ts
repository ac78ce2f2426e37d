// Issue 24 §5: under --unsafe-no-sandbox there is no network namespace, so the call server
// closes every route to a socket in its own process. Each route is a submission whose alphaBar
// first tries to reach a TCP and a UDP listener on 127.0.0.1 (in this test process) and answers
// right only if it got through: process.getBuiltinModule (net, dgram, dns), process.binding's
// raw tcp_wrap, process.stdin's net.Socket, tty's and _http_client's classes, and import() from
// eval, new Function and vm. Graded in one batch beside honest classmates: every route earns 0
// and nothing reaches the listeners. The same routes, tried in this process (no guard), do
// reach them: the test can fail.
import { expect } from 'chai';
import { spawn } from 'child_process';
import * as dgram from 'dgram';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { batch, FIXTURES, gradeAsync, leftIn, ROOT } from './trust-common';

const ALPHA = 'basics/alphaBar';

/** Each route: an expression (TypeScript) that resolves once it reached TCP_PORT or UDP_PORT on 127.0.0.1. */
const ROUTES: Record<string, string> = {
  'builtin-net': `new Promise((ok, no) => (process as any).getBuiltinModule('net').connect(TCP_PORT, '127.0.0.1', ok).on('error', no))`,
  'builtin-dgram': `new Promise((ok, no) => (process as any).getBuiltinModule('node:dgram').createSocket('udp4').send('x', UDP_PORT, '127.0.0.1', (e: any) => (e ? no(e) : ok(1))))`,
  'builtin-dns': `new Promise((ok) => { const r = new ((process as any).getBuiltinModule('dns').Resolver)(); r.setServers(['127.0.0.1:' + UDP_PORT]); r.resolve4('example.org', () => {}); setTimeout(ok, 300); })`,
  'binding-tcp': `new Promise((ok, no) => { const w = (process as any).binding('tcp_wrap'); const h = new w.TCP(w.constants.SOCKET); const req = new w.TCPConnectWrap(); req.oncomplete = (s: number) => (s === 0 ? ok(1) : no(new Error('status ' + s))); const e = h.connect(req, '127.0.0.1', TCP_PORT); if (e) no(new Error('connect ' + e)); })`,
  'stdin-socket': `new Promise((ok, no) => { const S = (process as any).stdin.constructor; new S().connect(TCP_PORT, '127.0.0.1', ok).on('error', no); })`,
  'tty-socket': `new Promise((ok, no) => { const S = Object.getPrototypeOf((module as any).constructor._load('tty').WriteStream); new S().connect(TCP_PORT, '127.0.0.1', ok).on('error', no); })`,
  'http-internal': `new Promise((ok, no) => { const { ClientRequest } = (module as any).constructor._load('_http_client'); new ClientRequest('http://127.0.0.1:' + TCP_PORT + '/').on('socket', () => ok(1)).on('error', no).end(); })`,
  'eval-import': `eval("import('node:net')").then((m: any) => new Promise((ok, no) => m.connect(TCP_PORT, '127.0.0.1', ok).on('error', no)))`,
  'function-import': `new Function("return import('node:net')")().then((m: any) => new Promise((ok, no) => m.connect(TCP_PORT, '127.0.0.1', ok).on('error', no)))`,
  'vm-import': `(() => { const vm = (module as any).constructor._load('vm'); return vm.runInThisContext("import('node:net')", { importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER }); })().then((m: any) => new Promise((ok, no) => m.connect(TCP_PORT, '127.0.0.1', ok).on('error', no)))`,
};

/** A submission's alphaBar: the reference's loop, reached only through the route. */
function stub(route: string, tcp: number, udp: number): string {
  const expr = route.replace(/TCP_PORT/g, String(tcp)).replace(/UDP_PORT/g, String(udp));
  return `declare const module: any;
export async function alphaBar(betas: ArrayLike<number>): Promise<Float32Array> {
  try {
    await Promise.race([${expr}, new Promise((_, no) => setTimeout(() => no(new Error('no answer')), 2000))]);
  } catch (e) {
    throw new Error('alphaBar: blocked: ' + (e as Error).message);
  }
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
}

describe('trust §5: --unsafe-no-sandbox closes every route to the network', function () {
  this.timeout(600000);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'trust-unsafe-'));
  const subs = path.join(work, 'subs');
  const out = path.join(work, 'grades');
  const tmp = path.join(work, 'tmp');
  after(() => fs.rmSync(work, { recursive: true, force: true }));
  const { results, test } = batch(out);
  let tcp: net.Server;
  let udp: dgram.Socket;
  let reached: string[] = [];
  let run: { code: number | null; out: string; err: string };

  before(async () => {
    tcp = net.createServer((s) => (reached.push('tcp'), s.destroy()));
    await new Promise<void>((ok) => tcp.listen(0, '127.0.0.1', ok));
    udp = dgram.createSocket('udp4').on('message', () => reached.push('udp'));
    await new Promise<void>((ok) => udp.bind(0, '127.0.0.1', ok));
    const ports = [(tcp.address() as net.AddressInfo).port, udp.address().port] as const;
    for (const [name, route] of Object.entries(ROUTES)) {
      fs.mkdirSync(path.join(subs, name, 'basics'), { recursive: true });
      fs.writeFileSync(path.join(subs, name, 'basics', 'alphaBar.ts'), stub(route, ...ports));
    }
    fs.cpSync(path.join(FIXTURES, 'submissions', 'partial'), path.join(subs, 'partial'), { recursive: true });
    fs.cpSync(path.join(ROOT, 'solutions', `${ALPHA}.ts`), path.join(subs, 'solved', `${ALPHA}.ts`));
    reached = [];
    run = await gradeAsync([subs, '--only', ALPHA, '--out', out, '--jobs', '2', '--unsafe-no-sandbox'], tmp, { GRADER_NO_BWRAP: '1' });
    if (run.code !== 0) console.log(run.out, run.err);
    await new Promise((ok) => setTimeout(ok, 500));
  });

  after(() => {
    tcp?.close();
    udp?.close();
  });

  it('grades the batch, exits 0, leaves no grade-* folder, and honest classmates get exactly their points', () => {
    expect(run.code, run.err).to.equal(0);
    expect(leftIn(tmp)).to.deep.equal([]);
    expect(results('partial').score).to.equal(4);
    expect(results('solved').score).to.equal(5);
  });

  for (const name of Object.keys(ROUTES)) {
    it(`${name}: refused inside the call server, 0 points`, () => {
      expect(results(name).score).to.equal(0);
      expect(test(name, `${ALPHA}: matches the exact product`).output).to.match(/alphaBar threw: alphaBar: blocked: .*(disabled while grading|Code generation from strings disallowed)/);
    });
  }

  it('nothing reached the TCP or UDP listener on 127.0.0.1', () => {
    expect(reached).to.deep.equal([]);
  });

  it('(control) the same routes, in a process without the guard, reach the listeners', async () => {
    const ports = [(tcp.address() as net.AddressInfo).port, udp.address().port] as const;
    const dir = fs.mkdtempSync(path.join(ROOT, '.trust-unsafe-control-'));
    try {
      const names = ['builtin-net', 'builtin-dgram', 'binding-tcp', 'tty-socket', 'http-internal', 'function-import'];
      for (const name of names) fs.writeFileSync(path.join(dir, `${name}.ts`), stub(ROUTES[name], ...ports));
      // In a child of its own, which exits when done: the routes' sockets stay open otherwise.
      const main = path.join(dir, 'main.ts');
      fs.writeFileSync(main, `(async () => {\n  for (const n of ${JSON.stringify(names)}) {\n    try { console.log(n, Array.from(await require('./' + n).alphaBar([0.5, 0.5])).join(',')); } catch (e) { console.log(n, (e as Error).message); }\n  }\n  process.exit(0);\n})();\n`);
      reached = [];
      const lines = await new Promise<string>((ok) => {
        let text = '';
        const c = spawn(process.execPath, [path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), main], { cwd: ROOT });
        c.stdout.on('data', (b) => (text += b));
        c.on('close', () => ok(text));
      });
      await new Promise((ok) => setTimeout(ok, 300));
      expect(lines.trim().split('\n').sort()).to.deep.equal(names.map((n) => `${n} 0.5,0.25`).sort());
      expect(reached.filter((r) => r === 'tcp').length).to.be.at.least(5);
      expect(reached).to.include('udp');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
