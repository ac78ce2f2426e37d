// scripts/hub-sizing.js: README's sizing rule from `npm run bench -- notebooks --json`.
import { expect } from 'chai';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..', '..');
const { sizing, HEADROOM } = require('../../scripts/hub-sizing');

describe('hub sizing (scripts/hub-sizing.js)', () => {
  const bench = { notebooks: { a: { peak_rss_mb: 300, cpu_seconds: 6 }, b: { peak_rss_mb: 900, cpu_seconds: 30 }, c: { peak_rss_mb: 400, cpu_seconds: 60 } } };

  it('limit: largest kernel peak × headroom + server; guarantee: median peak + server; both rounded up to 256 MiB', () => {
    const s = sizing(bench, { serverMib: 140, learners: 200, wait: 60 });
    expect(s.limitMib).to.equal(Math.ceil((900 * HEADROOM + 140) / 256) * 256);
    expect(s.guaranteeMib).to.equal(Math.ceil((400 + 140) / 256) * 256);
    expect(s.limitMib % 256).to.equal(0);
  });

  it('cores for N learners running a chapter together: N × CPU seconds / the wait', () => {
    const s = sizing(bench, { serverMib: 140, learners: 200, wait: 60 });
    expect(s.chapters.find((c: any) => c.name === 'c').cores).to.equal(200);
    expect(s.chapters.find((c: any) => c.name === 'a').cores).to.equal(20);
  });

  const hub = { learners: 16, mode: 'full', failures: 0, seconds: { median: 100, max: 180 }, peak_rss_mb: { per_learner_max: 650, server_max: 140, node_total: 9800 }, node: { cores: 2, memory_gib: 24 }, load: { max_1min: 20 } };

  it("takes bench hub's figures: what the node held, the learners its memory holds, and the notebook server when --server-mib is not given", () => {
    const s = sizing({ ...bench, hub }, { serverMib: null, learners: 200, wait: 60 });
    expect(s.serverMib).to.equal(140);
    expect(s.hub.learners).to.equal(16);
    expect(s.hub.maxSeconds).to.equal(180);
    expect(s.hub.nodeTotalMib).to.equal(9800);
    expect(s.hub.learnersByMemory).to.equal(Math.floor((24 * 1024) / (650 * HEADROOM)));
    expect(s.limitMib).to.equal(Math.ceil((900 * HEADROOM + 140) / 256) * 256);
    // A hub run alone: the limit from the largest learner's measured peak.
    const only = sizing({ hub }, { serverMib: null, learners: 200, wait: 60 });
    expect(only.limitMib).to.equal(Math.ceil((650 * HEADROOM) / 256) * 256);
    expect(() => sizing(bench, { serverMib: null, learners: 1, wait: 1 })).to.throw(/give --server-mib M/);
  });

  it('refuses a bench file without notebook measurements, and bad numbers, with a clear message', () => {
    expect(() => sizing({ spiral: {} }, { serverMib: 140, learners: 1, wait: 1 })).to.throw('run `npm run bench -- notebooks --json FILE`');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'course-sizing-'));
    try {
      fs.writeFileSync(path.join(dir, 'b.json'), JSON.stringify(bench));
      const run = (...args: string[]) => spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'hub-sizing.js'), path.join(dir, 'b.json'), ...args], { encoding: 'utf8' });
      const ok = run('--server-mib', '140');
      expect(ok.status, ok.stderr).to.equal(0);
      expect(ok.stdout).to.contain('singleuser.memory.limit: 1280M');
      fs.writeFileSync(path.join(dir, 'hub.json'), JSON.stringify({ hub }));
      const both = run(path.join(dir, 'hub.json'));
      expect(both.status, both.stderr).to.equal(0);
      expect(both.stdout).to.contain('16 learners at once, full mode, 0 failures');
      expect(both.stdout).to.contain('notebook server 140 MiB');
      const bad = run('--server-mib', 'lots');
      expect(bad.status).to.equal(1);
      expect(bad.stderr).to.contain('--server-mib needs a positive number, got "lots"');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
