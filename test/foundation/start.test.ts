// `npm start` serves the notebooks with the course kernel listed, and stops on Ctrl-C.
import { expect } from 'chai';
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..', '..');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

describe('npm start', function () {
  this.timeout(90000);

  it('registers the kernel inside the project only', () => {
    const kernel = JSON.parse(fs.readFileSync(path.join(ROOT, '.jupyter', 'kernels', 'tslab', 'kernel.json'), 'utf8'));
    expect(kernel.display_name).to.equal('TypeScript (course)');
    expect(kernel.argv[1]).to.equal(path.join(ROOT, 'scripts', 'kernel.js'));
  });

  it('serves notebooks/ with the TypeScript kernel, prints the URL, and stops cleanly on Ctrl-C', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, [path.join(ROOT, 'scripts', 'start.js')], {
      cwd: ROOT,
      env: { ...process.env, PORT: String(port), DISPLAY: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let log = '';
    child.stdout.on('data', (d) => (log += d));
    child.stderr.on('data', (d) => (log += d));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setInterval(() => {
          const m = log.match(new RegExp(`http://127\\.0\\.0\\.1:${port}/\\?token=([0-9a-f]+)`));
          if (m) (clearInterval(timer), resolve(m[0]));
        }, 200);
        setTimeout(() => (clearInterval(timer), reject(new Error('no URL printed:\n' + log))), 60000);
      });
      const token = new URL(url).searchParams.get('token');
      const specs = (await (await fetch(`http://127.0.0.1:${port}/api/kernelspecs?token=${token}`)).json()) as any;
      expect(specs.kernelspecs).to.have.property('tslab');
      expect(specs.kernelspecs.tslab.spec.display_name).to.equal('TypeScript (course)');
      const tree = await (await fetch(`http://127.0.0.1:${port}/api/contents?token=${token}`)).json() as any;
      expect(tree.content.map((c: any) => c.name)).to.include('00-typescript-tensors-and-points.ipynb');
    } finally {
      child.kill('SIGINT');
    }
    const code = await Promise.race([exited, new Promise((r) => setTimeout(() => r('timeout'), 20000))]);
    expect(code, log.slice(-800)).to.equal(0);
    expect(log).to.contain('Jupyter stopped');
  });
});
