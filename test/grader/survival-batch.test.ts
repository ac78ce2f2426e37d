// Issue 24 §2: one hostile submission never costs a classmate their grade. Each kind below used
// to end the whole grader process (no gradebook, no results for anyone) and leave a grade-*
// folder behind. Here they are graded in one batch beside two honest classmates, by the CLI,
// with the grader's temp folder private to this test: the grader must exit 0 with a row for
// everyone, each hostile submission 0 with its reason, the classmates' points exact, the
// grader's memory bounded, and no grade-* folder left in the temp folder.
import { expect } from 'chai';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { cli } from './cli';
import { zipBytes } from './zip-writer';

const ROOT = path.resolve(__dirname, '..', '..');
const FIXTURES = path.join(__dirname, 'fixtures', 'submissions');
const ALPHA = 'basics/alphaBar';
const EPS = 'diffusion/epsLoss';
const PARTIAL = fs.readFileSync(path.join(FIXTURES, 'partial', 'basics', 'alphaBar.ts'), 'utf8');

/** Each submission: its exact points for basics/alphaBar (5) + diffusion/epsLoss (5). */
const EXPECTED: Record<string, number> = {
  // honest classmates
  partial: 4,
  reference: 10,
  // a result line whose error / reason is {"toString": "x"}
  'survival-tostring': 0,
  // zips whose unpacking threw inside yauzl's callbacks
  'zip-file-and-folder': 0,
  'zip-nul-in-name': 0,
  'zip-folder-over-file': 0,
  // a callback argument {values: {length: 2**32 − 2}}: thrown back at it, or caught before an honest loss
  'survival-array-like': 0,
  'survival-array-like-then-honest': 5,
  // wraps the prototype methods a channel reader calls, to learn the call numbers
  'survival-watch-channel': 0,
  // floods of callback requests
  'survival-flood-unread': 0,
  'survival-flood-many': 0,
};

describe('grader survival: hostile submissions beside honest classmates (issue 24 §2)', function () {
  this.timeout(900000);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'survival-test-'));
  const subs = path.join(work, 'submissions');
  const out = path.join(work, 'grades');
  // The grader's own temp folder (TMPDIR): nothing else writes there, so "nothing left" is exact.
  const tmp = path.join(work, 'tmp');
  let run: ReturnType<typeof cli>;
  let maxRssMb = 0;
  const results = (name: string) => JSON.parse(fs.readFileSync(path.join(out, name, 'results.json'), 'utf8'));
  const outputs = (name: string) => results(name).tests.map((t: any) => t.output).join('\n');
  after(() => fs.rmSync(work, { recursive: true, force: true }));

  before(() => {
    for (const name of ['partial', 'survival-tostring', 'survival-array-like', 'survival-array-like-then-honest', 'survival-watch-channel', 'survival-flood-unread', 'survival-flood-many']) {
      fs.cpSync(path.join(FIXTURES, name), path.join(subs, name), { recursive: true });
    }
    fs.cpSync(path.join(ROOT, 'solutions'), path.join(subs, 'reference'), { recursive: true });
    fs.writeFileSync(path.join(subs, 'zip-file-and-folder.zip'), zipBytes([{ name: 'basics', data: 'a file' }, { name: 'basics/alphaBar.ts', data: PARTIAL }]));
    fs.writeFileSync(path.join(subs, 'zip-nul-in-name.zip'), zipBytes([{ name: 'basics/' }, { name: 'basics/alphaBar.ts\0.txt', data: PARTIAL }]));
    fs.writeFileSync(path.join(subs, 'zip-folder-over-file.zip'), zipBytes([{ name: 'basics/alphaBar.ts', data: PARTIAL }, { name: 'basics/alphaBar.ts/' }]));
    expect(fs.readdirSync(subs)).to.have.length(Object.keys(EXPECTED).length);
    fs.mkdirSync(tmp);
    // Each submission's uid (when the grader is root) must reach its box under here.
    for (const d of [work, tmp]) fs.chmodSync(d, 0o755);
    run = cli('grade-cli.ts', [subs, '--only', `${ALPHA},${EPS}`, '--out', out, '--jobs', '2', '--test-timeout', '10', '--memory', '256'], { TMPDIR: tmp }, ['/usr/bin/time', '-f', 'grader-max-rss-kb=%M']);
    maxRssMb = Number(/grader-max-rss-kb=(\d+)/.exec(run.err)?.[1] ?? NaN) / 1024;
    console.log(`      (largest process of the run: ${maxRssMb.toFixed(0)} MB resident)`);
    if (run.code !== 0) console.log(run.out, run.err);
  });

  it('the grader survives: exits 0 with a gradebook row for every submission', () => {
    expect(run.code, run.err).to.equal(0);
    const rows = fs.readFileSync(path.join(out, 'gradebook.csv'), 'utf8').trim().split('\n').slice(1);
    expect(rows.map((r) => r.split(',')[0]).sort()).to.deep.equal(Object.keys(EXPECTED).map((n) => n.replace(/\.zip$/, '')).sort());
  });

  for (const [name, points] of Object.entries(EXPECTED)) {
    it(`${name} gets exactly ${points} points`, () => {
      expect(results(name).score).to.equal(points);
    });
  }

  it('the honest classmates lose nothing: the reference passes every scored test', () => {
    const ref = results('reference');
    expect(ref.tests.filter((t: any) => t.max_score > 0 && t.status !== 'passed').map((t: any) => `${t.name}: ${t.output}`)).to.deep.equal([]);
  });

  it('a {"toString": "x"} error or reason is named as "not a message", never String()-ed', () => {
    expect(outputs('survival-tostring')).to.contain('(not a message: an object)');
  });

  it('zips with a file and a folder of one name, a NUL byte in a name, or a folder entry over a file are refused with the reason', () => {
    expect(results('zip-file-and-folder').output).to.match(/not graded: zip-file-and-folder\.zip: cannot unpack "basics\/alphaBar\.ts" \(E(EXIST|NOTDIR)/);
    expect(results('zip-nul-in-name').output).to.contain('not graded: zip-nul-in-name.zip: entry "basics/alphaBar.ts\\u0000.txt" has a NUL byte in its name');
    expect(results('zip-folder-over-file').output).to.match(/not graded: zip-folder-over-file\.zip: (entry "basics\/alphaBar\.ts\/" is a folder, but a file of that name came first|cannot unpack)/);
  });

  it('objects posing as arrays or tensors never reach a test body: the callback fails with the reason', () => {
    expect(outputs('survival-array-like')).to.contain('wire: an object with a length is not an array');
  });

  it('a flood of callbacks is stopped at its bound (answers waiting unread; callbacks per call), not at the time limit', () => {
    const scored = (name: string) => results(name).tests.filter((t: any) => t.name.startsWith(EPS) && t.max_score > 0);
    const unread = scored('survival-flood-unread');
    expect(unread[0].output).to.match(/^asked for callbacks without reading their answers \(more than 16 MB waiting\), so it was stopped/);
    const many = scored('survival-flood-many');
    expect(many[0].output).to.match(/^called back more than 20000 times in one call, so it was stopped/);
  });

  it('the call server captured the methods its channel uses: wrapping them shows a submission no call message', () => {
    // The module loads during the first call, so it is each later call it could have seen.
    const outs = results('survival-watch-channel').tests.filter((x: any) => x.name.startsWith(ALPHA) && x.max_score > 0).map((x: any) => x.output);
    expect(outs.length).to.be.above(1);
    expect(outs.filter((o: string) => !o.includes('watched the channel: saw 0 call message(s)'))).to.deep.equal([]);
  });

  it('the grader\'s memory stays bounded through the floods', () => {
    // The grader used to queue every unread answer (2.7 GB in the run); sandboxes here have 256 MB of heap.
    expect(maxRssMb).to.be.within(1, 1200);
  });

  it('leaves no grade-* folder behind', () => {
    expect(fs.readdirSync(tmp).filter((f) => f.startsWith('grade-'))).to.deep.equal([]);
  });
});
