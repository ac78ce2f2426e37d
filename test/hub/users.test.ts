// scripts/hub-class.ts's user handling, which test/hub and `bench hub` clean up with: a learner's
// user is removed only after every process it runs has exited, and has no subordinate ids (userdel
// refuses a user while any process runs as an id in its subordinate range, another job's sandbox
// included). Needs root, as test/hub does.
import { expect } from 'chai';
import { spawn, spawnSync } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { addUser, pidsOf, removeUser } from '../../scripts/hub-class';

describe('hub learners: users made and removed', function () {
  this.timeout(60000);

  it('removes a user whose processes are still running (ends them, waits until they are gone, then userdel), and gives it no subordinate ids', async () => {
    if (process.getuid!() !== 0) throw new Error('test/hub needs root (useradd); CI runs it as root (.ci/run)');
    const base = fs.mkdtempSync(path.join(os.tmpdir(), 'course-users-'));
    fs.chmodSync(base, 0o755);
    const name = `chubu${crypto.randomBytes(3).toString('hex')}`;
    const uid = addUser(name, path.join(base, name));
    try {
      for (const f of ['/etc/subuid', '/etc/subgid']) {
        const lines = fs.existsSync(f) ? fs.readFileSync(f, 'utf8').split('\n') : [];
        expect(lines.some((l) => l.startsWith(`${name}:`)), `${name} in ${f}`).to.equal(false);
      }
      // Processes as the learner whose parent has gone (as a server's kernels are once the hub
      // stops): a shell starts them in the background and exits; init adopts them.
      const starter = spawn('/bin/sh', ['-c', '(sh -c "sleep 120 & sleep 120") & sleep 120 & sleep 120 &'], { uid, gid: uid, stdio: 'ignore' });
      await new Promise((r) => starter.on('exit', r));
      const t0 = Date.now();
      while (pidsOf(uid).length < 5 && Date.now() - t0 < 10000) await new Promise((r) => setTimeout(r, 50));
      expect(pidsOf(uid).length, "the learner's processes").to.be.at.least(5);
      removeUser(name, uid);
      expect(pidsOf(uid), 'processes left').to.deep.equal([]);
      expect(spawnSync('id', [name]).status, 'the user is gone').to.not.equal(0);
    } finally {
      if (spawnSync('id', [name]).status === 0) spawnSync('userdel', ['--force', '--remove', name]);
      fs.rmSync(base, { recursive: true, force: true });
    }
  });
});
