// `npm run bench -- notebooks`: each notebook executed headlessly by the course kernel,
// reported as notebooks.<file name>.{seconds, peak_rss_mb, cpu_seconds}. Run here on one
// small notebook in quick mode.
import { expect } from 'chai';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { benchNotebook, selectNotebooks } from '../../bench/workloads/notebooks';
import { codeNotebook } from '../codeNotebook';

const ROOT = path.resolve(__dirname, '..', '..');


describe('bench: notebooks', function () {
  this.timeout(300000);
  let dir = '';
  before(() => (dir = fs.mkdtempSync(path.join(ROOT, '.tmp-work-'))));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('selects chapters by number or name and refuses unknown ones', () => {
    const all = selectNotebooks();
    expect(all.length).to.be.above(0);
    expect(selectNotebooks('00')).to.deep.equal([all[0]]);
    expect(selectNotebooks(path.basename(all[1], '.ipynb'))).to.deep.equal([all[1]]);
    expect(() => selectNotebooks('99-nope')).to.throw(/no notebook "99-nope"/);
  });

  it('reports seconds, the kernel peak RSS and CPU seconds under the notebook file name (npm run bench -- notebooks --quick)', () => {
    const file = codeNotebook(dir, 'tiny.ipynb', [
      "import { scatter, show } from 'course/plot';\nimport { spiral } from 'course/data';",
      // Work the kernel must do, so its CPU time is clearly above zero.
      'const p = spiral(20000, 0);\nlet s = 0;\nfor (let k = 0; k < 30; k++) for (let i = 0; i < p.length; i++) s += Math.sqrt(Math.abs(p[i]));\nshow(scatter({ x: [0, 1], y: [s, 0] }, { title: "t", xLabel: "x", yLabel: "y" }));',
    ]);
    const json = path.join(dir, 'bench.json');
    const r = spawnSync('npm', ['run', '--silent', 'bench', '--', 'notebooks', '--quick', '--json', json], {
      cwd: ROOT,
      env: { ...process.env, COURSE_BENCH_NOTEBOOKS: file },
      encoding: 'utf8',
    });
    expect(r.status, r.stderr.slice(-2000) + r.stdout.slice(-2000)).to.equal(0);
    const out = JSON.parse(fs.readFileSync(json, 'utf8'));
    const t = out.notebooks.tiny;
    expect(t, JSON.stringify(out.notebooks)).to.be.an('object');
    expect(t.seconds).to.be.above(0);
    expect(t.peak_rss_mb).to.be.above(50); // node + tfjs + the TypeScript compiler
    expect(t.cpu_seconds).to.be.above(0.5);
    expect(t.cpu_seconds).to.be.below(t.seconds * 4);
    expect(r.stdout).to.match(/tiny\.peak_rss_mb/);
  });

  it('fails naming the cell when a notebook fails', () => {
    const file = codeNotebook(dir, 'broken.ipynb', ['const a = 1;', "const n: number = 'three';"]);
    expect(() => benchNotebook(file, { quick: true })).to.throw(/broken\.ipynb failed at cell 1: .*Type 'string' is not assignable to type 'number'/s);
  });
});
