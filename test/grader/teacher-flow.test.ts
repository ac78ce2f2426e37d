// Issue 24 §6: the teacher's flow, end to end through the command line. A zip of a class (per-
// learner folders, per-learner zips, or the flat notebooks a course platform names after each
// learner) grades as a batch into a folder; a lone chapter notebook is scored out of the
// exercises its chapter holds, unless --only or --all says otherwise, and every result names
// its scope; README says what the grader does.
import { expect } from 'chai';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadPlan } from '../../grader/specs';
import { courseNotebooks } from '../../grader/submission';
import { cellSource, solvedOf } from '../../scripts/exercises';
import { cli } from './cli';
import { zipBytes } from './zip-writer';

const ROOT = path.resolve(__dirname, '..', '..');
const NB3 = '03-ddpm.ipynb';
const DDPM = 'diffusion/ddpmStep';
const ALPHA = 'basics/alphaBar';

/** The course notebook `file` with exercise `id`'s cell solved, as JSON text. */
function solved(file: string, id: string): string {
  const nb = JSON.parse(fs.readFileSync(path.join(ROOT, 'notebooks', file), 'utf8'));
  const cell = nb.cells.find((c: any) => c.metadata?.exercise === id);
  cell.source = cellSource(id, id.split('/')[1], solvedOf(fs.readFileSync(path.join(ROOT, 'solutions', `${id}.ts`), 'utf8')));
  return JSON.stringify(nb);
}
const stub = (file: string) => fs.readFileSync(path.join(ROOT, 'notebooks', file), 'utf8');

describe('the teacher\'s flow (issue 24 §6)', function () {
  this.timeout(900000);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'teacher-test-'));
  after(() => fs.rmSync(work, { recursive: true, force: true }));
  const plan = loadPlan();
  const points = (ids: string[]) => plan.specs.filter((s) => ids.includes(s.spec.id)).reduce((a, s) => a + s.spec.tests.reduce((b, t) => b + t.points, 0), 0);
  const chapter3 = courseNotebooks().get(NB3)!;
  const all = plan.exercises;
  const ddpmPoints = points([DDPM]);
  const readJson = (f: string) => JSON.parse(fs.readFileSync(f, 'utf8'));
  const grade = (args: string[]) => {
    const r = cli('grade-cli.ts', [...args, '--jobs', '2', '--test-timeout', '20']);
    expect(r.code, r.err + r.out).to.equal(0);
    return r;
  };

  it('sanity: chapter 3 holds ddpmStep and fewer exercises than the course', () => {
    expect(chapter3).to.include(DDPM);
    expect(chapter3.length).to.be.above(1).and.below(all.length);
    expect(points(chapter3)).to.be.below(points(all));
  });

  describe('a zip of a class grades as a batch, into the folder --out names', () => {
    it('per-learner folders (alice/03-ddpm.ipynb, bob/03-ddpm.ipynb), wrapped in one folder as platforms do', () => {
      const zip = path.join(work, 'class.zip');
      fs.writeFileSync(zip, zipBytes([
        { name: 'submissions/alice/' + NB3, data: solved(NB3, DDPM) },
        { name: 'submissions/bob/' + NB3, data: stub(NB3) },
      ]));
      const out = path.join(work, 'grades-class');
      const r = grade([zip, '--out', out]);
      expect(fs.statSync(out).isDirectory()).to.equal(true);
      const alice = readJson(path.join(out, 'alice', 'results.json'));
      const bob = readJson(path.join(out, 'bob', 'results.json'));
      expect([alice.score, bob.score]).to.deep.equal([ddpmPoints, 0]);
      // Out of chapter 3's exercises, never "given twice".
      for (const res of [alice, bob]) {
        expect(res.tests.reduce((a: number, t: any) => a + t.max_score, 0)).to.equal(points(chapter3));
        expect(JSON.stringify(res)).to.not.contain('given twice');
      }
      const csv = fs.readFileSync(path.join(out, 'gradebook.csv'), 'utf8').trim().split('\n');
      expect(csv[0]).to.equal(['submission', ...all.filter((id) => chapter3.includes(id)), 'total', 'max', 'notes'].join(','));
      expect(csv.slice(1).map((l) => l.split(',')[0])).to.deep.equal(['alice', 'bob']);
      expect(r.out).to.match(/grading 2 submissions/);
    });

    it('per-learner zips, and flat notebooks named after each learner (alice_12_34_03-ddpm.ipynb)', () => {
      const zips = path.join(work, 'zips.zip');
      fs.writeFileSync(zips, zipBytes([
        { name: 'carol.zip', data: zipBytes([{ name: NB3, data: solved(NB3, DDPM) }]) },
        { name: 'dave.zip', data: zipBytes([{ name: 'basics/alphaBar.ts', data: fs.readFileSync(path.join(ROOT, 'solutions', `${ALPHA}.ts`)) }]) },
      ]));
      const out = path.join(work, 'grades-zips');
      grade([zips, '--out', out]);
      expect(readJson(path.join(out, 'carol', 'results.json')).score).to.equal(ddpmPoints);
      // A .ts submission is graded on every exercise.
      const dave = readJson(path.join(out, 'dave', 'results.json'));
      expect([dave.score, dave.tests.reduce((a: number, t: any) => a + t.max_score, 0)]).to.deep.equal([points([ALPHA]), points(all)]);
      const csv = fs.readFileSync(path.join(out, 'gradebook.csv'), 'utf8').trim().split('\n');
      // Carol's row leaves blank what was not in her scope; Dave's has every column.
      const header = csv[0].split(',');
      const carol = csv.find((l) => l.startsWith('carol,'))!.split(',');
      expect(carol[header.indexOf(ALPHA)]).to.equal('');
      expect(carol[header.indexOf(DDPM)]).to.equal(String(ddpmPoints));

      const flat = path.join(work, 'flat.zip');
      fs.writeFileSync(flat, zipBytes([
        { name: `erin_12_34_${NB3}`, data: solved(NB3, DDPM) },
        { name: `frank_56_78_${NB3.replace('.ipynb', '-1.ipynb')}`, data: stub(NB3) },
      ]));
      const out2 = path.join(work, 'grades-flat');
      grade([flat, '--out', out2]);
      expect(readJson(path.join(out2, 'erin_12_34', 'results.json')).score).to.equal(ddpmPoints);
      expect(readJson(path.join(out2, 'frank_56_78', 'results.json')).score).to.equal(0);
    });
  });

  describe('a lone chapter notebook is scored out of its chapter, and every result names its scope', () => {
    let nb = '';
    before(() => {
      nb = path.join(work, 'carol', NB3);
      fs.mkdirSync(path.dirname(nb), { recursive: true });
      fs.writeFileSync(nb, solved(NB3, DDPM));
    });

    it('by default: chapter 3\'s exercises, named in the summary and in results.json', () => {
      const out = path.join(work, 'carol.json');
      const r = grade([nb, '--out', out]);
      expect(r.out).to.contain(`03-ddpm: ${ddpmPoints} / ${points(chapter3)} points`);
      expect(r.out).to.contain(`graded on: the exercises of ${NB3} (${chapter3.length} of ${all.length}; --all grades them all)`);
      expect(r.out).to.not.contain('Not submitted');
      const res = readJson(out);
      expect(res.output).to.contain(`Graded on: the exercises of ${NB3}`);
      expect([...new Set(res.tests.map((t: any) => t.name.split(':')[0]))].sort()).to.deep.equal([...chapter3].sort());
    });

    it('--all: every exercise; --only 03: chapter 3; --only diffusion: the diffusion/ folder, chapters 2, 3 and 4', () => {
      const everything = grade([nb, '--all']);
      expect(everything.out).to.contain(`03-ddpm: ${ddpmPoints} / ${points(all)} points`);
      expect(everything.out).to.contain(`graded on: every exercise (${all.length})`);
      const only03 = grade([nb, '--only', '03']);
      expect(only03.out).to.contain(`03-ddpm: ${ddpmPoints} / ${points(chapter3)} points`);
      expect(only03.out).to.contain(`graded on: --only 03: ${chapter3.length} exercise(s)`);
      const diffusion = all.filter((id) => id.startsWith('diffusion/'));
      const folder = grade([nb, '--only', 'diffusion']);
      expect(folder.out).to.contain(`03-ddpm: ${ddpmPoints} / ${points(diffusion)} points`);
      expect(folder.out).to.contain(`graded on: --only diffusion: ${diffusion.length} exercise(s)`);
      // README says which chapters --only diffusion takes; the course's notebooks agree.
      const chapters = [...courseNotebooks()].filter(([, ids]) => ids.some((id) => id.startsWith('diffusion/'))).map(([f]) => Number(f.slice(0, 2)));
      expect(chapters).to.deep.equal([2, 3, 4]);
      const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
      expect(readme).to.contain('`--only diffusion` grades every exercise in `diffusion/`, which chapters 2, 3 and 4 share');
      expect(readme).to.not.match(/03-ddpm\.ipynb --only diffusion/);
    });

    it('--only and --all together are refused, and so are --batch and --single', () => {
      const r = cli('grade-cli.ts', [nb, '--all', '--only', '03']);
      expect(r.code).to.equal(2);
      expect(r.err).to.contain('--only and --all contradict each other');
      expect(cli('grade-cli.ts', [nb, '--batch', '--single']).err).to.contain('--batch and --single contradict each other');
    });

    it('--single (what the Gradescope bundle passes): two copies of a chapter are one learner\'s, "given twice"', () => {
      const dir = path.join(work, 'one-learner');
      fs.mkdirSync(dir);
      fs.writeFileSync(path.join(dir, NB3), solved(NB3, DDPM));
      fs.writeFileSync(path.join(dir, NB3.replace('.ipynb', ' (1).ipynb')), solved(NB3, DDPM));
      const out = path.join(work, 'one-learner.json');
      const r = grade([dir, '--single', '--out', out]);
      expect(fs.statSync(out).isFile()).to.equal(true);
      expect(readJson(out).score).to.equal(0);
      expect(r.out).to.contain(`exercise ${DDPM} is given twice in this submission`);
      expect(fs.readFileSync(path.join(ROOT, 'grader', 'bundle.ts'), 'utf8')).to.match(/'--single'/);
    });
  });
});
