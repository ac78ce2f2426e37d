// The image (binder/Dockerfile) as a hub or Binder runs it. Opt-in, because it needs a container
// engine and a Debian bookworm base image on this machine (CI has neither):
//   COURSE_CONTAINER_TEST=1 COURSE_CONTAINER_BASE=localhost/bookworm npx mocha test/hub/container.test.ts
// COURSE_CONTAINER_RUNTIME picks podman or docker (default: the first that answers `info`);
// COURSE_CONTAINER_ARGS adds global flags (e.g. "--runtime runc") and COURSE_CONTAINER_RUN_ARGS
// flags for build and run (e.g. "--ulimit nofile=1024:1024 --ulimit nproc=4096:4096" where the
// engine may not raise limits, as inside another container); COURSE_CONTAINER_BUILD_ARGS flags for
// the build only (e.g. "--build-arg NODE_EXTRA_CA_CERTS=…" behind a TLS-inspecting proxy).
// A base image without a registry: debootstrap --variant=minbase bookworm rootfs http://deb.debian.org/debian
// then: tar -C rootfs -c . | podman import - localhost/bookworm
// Where it ran: this repository's CI-like machine (itself a container: cgroups in hybrid mode,
// limits that cannot be raised) with Debian 12's podman 4.3 and runc, on a debootstrap base:
//   COURSE_CONTAINER_ARGS="--runtime runc" COURSE_CONTAINER_RUN_ARGS="--ulimit nofile=1024:1024 --ulimit nproc=4096:4096"
// (Debian's default runtime, crun, refuses cgroups in hybrid mode.) Not run with docker: no daemon there.
// It builds the image from that base, runs it read-only as uid 1000 with an empty volume for
// the home folder, lists the tslab kernel through /api/kernelspecs, executes chapter 0 (quick
// mode) in the learner's workspace, then starts the image again on the same volume: the
// learner's edited notebook is kept.
import { expect } from 'chai';
import { execFileSync, spawnSync } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { freePort } from '../../scripts/freePort';

const ROOT = path.resolve(__dirname, '..', '..');
const CHAPTER = '00-typescript-tensors-and-points.ipynb';
const words = (v: string | undefined) => (v || '').split(/\s+/).filter(Boolean);
const GLOBAL = words(process.env.COURSE_CONTAINER_ARGS);
const EXTRA = words(process.env.COURSE_CONTAINER_RUN_ARGS);
const BUILD = words(process.env.COURSE_CONTAINER_BUILD_ARGS);

function runtime(): string {
  const wanted = process.env.COURSE_CONTAINER_RUNTIME;
  for (const rt of wanted ? [wanted] : ['podman', 'docker']) {
    if (spawnSync(rt, [...GLOBAL, 'info'], { stdio: 'ignore' }).status === 0) return rt;
  }
  throw new Error(`COURSE_CONTAINER_TEST=1 but no container engine answers \`${wanted || 'podman/docker'} info\``);
}

if (process.env.COURSE_CONTAINER_TEST === '1') {
  describe('the image (binder/Dockerfile) run read-only as uid 1000 with an empty home volume', function () {
    this.timeout(3600000);
    const tag = `course-hub-test:${crypto.randomBytes(3).toString('hex')}`;
    let rt = '';
    let home = '';
    const containers: string[] = [];

    before(function () {
      rt = runtime();
      const base = process.env.COURSE_CONTAINER_BASE;
      if (!base) throw new Error('COURSE_CONTAINER_BASE must name a local Debian bookworm image (see the comment at the top of this file)');
      const r = spawnSync(rt, [...GLOBAL, 'build', ...EXTRA, ...BUILD, '-f', 'binder/Dockerfile', '--build-arg', `BASE=${base}`, '--build-arg', 'NB_UID=1000', '-t', tag, '.'], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 28 });
      if (r.status !== 0) throw new Error(`${rt} build failed:\n${(r.stdout + r.stderr).slice(-4000)}`);
      home = fs.mkdtempSync(path.join(os.tmpdir(), 'course-volume-'));
      fs.chownSync(home, 1000, 1000);
    });

    after(() => {
      for (const c of containers) spawnSync(rt, [...GLOBAL, 'rm', '-f', c], { stdio: 'ignore' });
      if (rt) spawnSync(rt, [...GLOBAL, 'rmi', '-f', tag], { stdio: 'ignore' });
      if (home) fs.rmSync(home, { recursive: true, force: true });
    });

    const run = (...args: string[]) =>
      execFileSync(rt, [...GLOBAL, 'run', ...EXTRA, '-d', '--read-only', '--tmpfs', '/tmp', '--user', '1000', '-v', `${home}:/home/jovyan`, '-e', 'COURSE_QUICK=1', ...args], { encoding: 'utf8' }).trim();

    it('serves the tslab kernel and runs chapter 0 in ~/course; a second start on the same volume keeps the learner\'s work', async () => {
      const port = await freePort();
      const token = crypto.randomBytes(16).toString('hex');
      // The server listens on the host's port number inside too, so that --network=host needs no mapping.
      const publish = EXTRA.some((a) => /^--net(work)?=host$/.test(a)) ? [] : ['-p', `127.0.0.1:${port}:${port}`];
      const id = run(...publish, tag, 'jupyter', 'notebook', '--ip=0.0.0.0', `--port=${port}`, `--NotebookApp.token=${token}`);
      containers.push(id);
      const url = `http://127.0.0.1:${port}`;
      const deadline = Date.now() + 120000;
      let specs: any = null;
      while (!specs) {
        try {
          const r = await fetch(`${url}/api/kernelspecs?token=${token}`);
          if (r.ok) specs = await r.json();
        } catch {}
        if (!specs && Date.now() > deadline) throw new Error('the container never answered:\n' + spawnSync(rt, [...GLOBAL, 'logs', id], { encoding: 'utf8' }).stderr.slice(-3000));
        if (!specs) await new Promise((r) => setTimeout(r, 500));
      }
      expect(specs.kernelspecs).to.have.property('tslab');
      expect(specs.kernelspecs.tslab.spec.display_name).to.equal('TypeScript (course)');
      const client = spawnSync('/usr/bin/python3', [path.join(ROOT, 'scripts', 'hub-client.py'), '--server', url, '--token', token, '--notebook', CHAPTER, '--timeout', '300'], { encoding: 'utf8' });
      const result = JSON.parse(client.stdout.trim().split('\n').pop() || '{}');
      expect(result.ok, JSON.stringify(result.failure)).to.equal(true);
      const ws = path.join(home, 'course');
      expect(fs.statSync(path.join(ws, CHAPTER)).uid).to.equal(1000);
      expect(fs.existsSync(path.join(ws, 'exercises', 'basics', 'alphaBar.ts'))).to.equal(true);
      spawnSync(rt, [...GLOBAL, 'rm', '-f', id], { stdio: 'ignore' });

      // A learner's edit survives the next start (as after an image update).
      fs.writeFileSync(path.join(ws, CHAPTER), '{"mine": true}');
      const again = spawnSync(rt, [...GLOBAL, 'run', ...EXTRA, '--rm', '--read-only', '--tmpfs', '/tmp', '--user', '1000', '-v', `${home}:/home/jovyan`, tag, 'cat', CHAPTER], { encoding: 'utf8' });
      expect(again.status, again.stderr).to.equal(0);
      expect(again.stdout).to.equal('{"mine": true}');
    });
  });
}
