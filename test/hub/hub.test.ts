// A class on a real JupyterHub: Debian's jupyterhub 3.0, two unix users, the dummy authenticator
// and LocalProcessSpawner on 127.0.0.1, each server started by binder/start from this course
// (installed read-only for them: root-owned), with the kernel scripts/hub-install.js registers.
// Through the hub's REST API and the kernel websocket (scripts/hub-client.py) each learner runs
// chapter 0 (quick mode) and check() cells in their own workspace (~/course). It needs root:
// useradd, and a hub that starts servers as other users. CI (.ci/run) runs as root.
import { expect } from 'chai';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { HubClass, Learner, SOLVED_ALPHABAR, alphaBarScore, pidsOf, solveAlphaBar } from '../../scripts/hub-class';

const ROOT = path.resolve(__dirname, '..', '..');
// COURSE_HUB_NOTEBOOK=06-unclip.ipynb COURSE_HUB_FULL=1 measures another chapter in full mode.
const CHAPTER = process.env.COURSE_HUB_NOTEBOOK || '00-typescript-tensors-and-points.ipynb';
const QUICK = process.env.COURSE_HUB_FULL === '1' ? '0' : '1';

describe('a class on JupyterHub: two unix users spawned from the installed course', function () {
  this.timeout(360000);
  let hub: HubClass | null = null;
  let learners: Learner[] = [];

  before(async function () {
    // Learner a solved alphaBar before the first start: the start must keep that file.
    hub = await HubClass.start({ learners: 2, quick: QUICK === '1', prepare: (l, i) => i === 0 && solveAlphaBar(l) });
    learners = hub.learners;
  });

  after(() => {
    // stop() ends each learner's processes and waits until /proc shows none before userdel
    // (userdel fails while they are still exiting), and throws what failed.
    hub?.stop();
    for (const l of learners) {
      expect(spawnSync('id', [l.name]).status, `user ${l.name} removed`).to.not.equal(0);
      expect(pidsOf(l.uid), `${l.name}'s processes stopped`).to.deep.equal([]);
    }
  });

  it('runs chapter 0 and check() in each learner\'s own workspace; each check grades that learner\'s exercises; neither sees the other\'s files', async () => {
    const [a, b] = learners;
    const probe = (other: Learner) => `import * as fs from 'fs';
import { exercisesDir } from 'course/exercise/check';
let other: string;
try { other = 'read ' + fs.readdirSync(${JSON.stringify(other.workspace)}).length + ' entries'; } catch (e) { other = (e as NodeJS.ErrnoException).code ?? String(e); }
console.log('PROBE ' + JSON.stringify({ exercises: exercisesDir(), cwd: process.cwd(), uid: process.getuid!(), other }));`;
    const run = (l: Learner, other: Learner) =>
      hub!.run(l, {
        notebook: CHAPTER,
        // The probe runs first: after a check() (loadTs unregisters a tsx namespace, which drops require's
        // .ts extension), a cell cannot import a course module the kernel had not loaded yet.
        before: [probe(other)],
        cells: ["import { check } from 'course/check';\nawait check('basics/alphaBar');"],
        timeout: QUICK === '1' ? 240 : 900,
      });
    let results: any[];
    hub!.startSampling();
    try {
      results = await Promise.all([run(a, b), run(b, a)]);
    } finally {
      hub!.stopSampling();
    }
    for (const r of results) {
      expect(r.ok, `${r.user}: ${JSON.stringify(r.failure)}\n--- hub log ---\n${hub!.log.slice(-2500)}`).to.equal(true);
      expect(r.cells.length).to.be.greaterThan(5);
      for (const c of r.cells) expect(c.ok, `${r.user} cell ${c.index}: ${c.failure}`).to.equal(true);
    }
    const [ra, rb] = results;
    // check('basics/alphaBar') graded each learner's own exercises/basics/alphaBar.ts.
    const score = (r: any) => {
      const m = alphaBarScore(r, 'extra0');
      expect(m, `${r.user}'s check output: ${r.cells.find((c: any) => c.index === 'extra0').text.slice(0, 500)}`).to.not.equal(null);
      return m!;
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
