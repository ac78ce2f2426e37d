// Issue 24 §2, piece by piece and in-process (fast): what the grader reads from a sandbox or a
// zip can be anything, and each reader answers with a value or a named refusal, never a throw
// that escapes (the batch test, survival-batch.test.ts, shows the same end to end).
import { expect } from 'chai';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ArchiveError, unzip } from '../../grader/archive';
import { MAX_TEXT, parseToGrader, text } from '../../grader/protocol';
import { readSubmission } from '../../grader/submission';
import { decode, MAX_VALUES, plainCodec, Wire } from '../../lib/exercise/wire';
import { zipBytes } from './zip-writer';

describe('grader survival, piece by piece (issue 24 §2)', () => {
  describe('the protocol reads untrusted lines without throwing', () => {
    it('an error or reason that is an object ({"toString": "x"}) becomes a named placeholder, not String()', () => {
      expect(() => String({ toString: 'x' } as unknown)).to.throw(TypeError);
      const r = parseToGrader('{"type":"result","seq":1,"outcome":{"ok":false,"error":{"toString":"x"},"leaked":{"valueOf":3}}}');
      expect(r).to.deep.equal({ type: 'result', seq: 1, outcome: { ok: false, error: '(not a message: an object)', leaked: 0 } });
      expect(parseToGrader('{"type":"unavailable","seq":2,"reason":{"toString":"x"}}')).to.deep.equal({ type: 'unavailable', seq: 2, reason: '(not a message: an object)' });
      expect(parseToGrader('{"type":"unavailable","seq":2,"reason":[1]}')).to.deep.equal({ type: 'unavailable', seq: 2, reason: '(not a message: an array)' });
      expect(parseToGrader('{"type":"loaded","exercise":{"toString":"x"}}')).to.equal(null);
    });

    it('keeps strings, cuts long ones to MAX_TEXT with a mark', () => {
      expect(text('ddpmStep: shapes [3, 2] and [2, 2]')).to.equal('ddpmStep: shapes [3, 2] and [2, 2]');
      const long = text('x'.repeat(MAX_TEXT + 10));
      expect(long.length).to.be.below(MAX_TEXT + 60);
      expect(long).to.match(/… \(10 more characters cut\)$/);
      expect([text(undefined), text(null), text(3), text(false)]).to.deep.equal(['', '', '3', 'false']);
    });

    it('answers null for lines that are not messages', () => {
      for (const line of ['', 'not json', '[]', '"x"', '{"type":"result","seq":"1","outcome":{"ok":true,"value":1}}', '['.repeat(1e6)]) expect(parseToGrader(line)).to.equal(null);
    });
  });

  it('a notebook cell whose source holds an object ({"toString": "x"}) is read, not String()-ed', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'survival-nb-'));
    try {
      const cell = { cell_type: 'code', metadata: { exercise: 'basics/alphaBar' }, source: ['function alphaBar(b: number[]) {\n', { toString: 'x' }, '  return b;\n}\n'] };
      fs.writeFileSync(path.join(dir, 'mine.ipynb'), JSON.stringify({ cells: [cell, { cell_type: 'code', metadata: null, source: [{ toString: 'x' }] }] }));
      const sub = readSubmission(dir, new Map([['basics/alphaBar', 'alphaBar']]), new Map());
      expect(sub.modules.get('basics/alphaBar')).to.equal('export function alphaBar(b: number[]) {\n  return b;\n}\n');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  describe('decoded values are real arrays and tensors of bounded size', () => {
    const obj = (v: { [k: string]: Wire }): Wire => ({ $: 'object', v });
    const refused = (w: unknown, why: RegExp) => expect(() => decode(w as Wire, plainCodec)).to.throw(why);

    it('an object posing as an array ({values: {length: 2**32 − 2}}) or as a tensor is refused', () => {
      refused(obj({ values: obj({ length: 2 ** 32 - 2 }) }), /an object with a length is not an array/);
      refused(obj({ kind: 'tensor', shape: [2 ** 29, 3], values: [] }), /an object with kind "tensor" is not a tensor/);
      expect(decode(obj({ a: 1, kind: 'other' }), plainCodec)).to.deep.equal({ a: 1, kind: 'other' });
    });

    it('a tensor claims a bounded shape and carries exactly its values; typed arrays carry arrays', () => {
      refused({ $: 'tensor', shape: [2 ** 30, 0], dtype: 'float32', data: [] }, /bad tensor shape/);
      refused({ $: 'tensor', shape: [1, 1, 1, 1, 1, 1, 1, 1, 1], dtype: 'float32', data: [0] }, /bad tensor shape/);
      refused({ $: 'tensor', shape: [2], dtype: { toString: 'x' }, data: [1, 2] }, /bad tensor dtype/);
      refused({ $: 'tensor', shape: [3], dtype: 'float32', data: [1, 2] }, /shape \[3\] has 2 values/);
      refused({ $: 'tensor', shape: [2], dtype: 'float32', data: { length: 2 } }, /must be an array/);
      refused({ $: 'f32', data: { length: 2 ** 32 - 2 } }, /must be an array/);
      expect(decode({ $: 'tensor', shape: [2, 1], dtype: 'float32', data: [1, { $: 'num', v: 'NaN' }] }, plainCodec)).to.deep.equal({ kind: 'tensor', shape: [2, 1], dtype: 'float32', values: [1, NaN] });
    });

    it(`counts every value of one decoded value against MAX_VALUES (${MAX_VALUES})`, () => {
      const half = new Array(MAX_VALUES / 2 + 1).fill(0);
      refused([{ $: 'f64', data: half }, { $: 'f64', data: half }], new RegExp(`more than ${MAX_VALUES} values`));
      expect((decode([{ $: 'f64', data: half }], plainCodec) as Float64Array[])[0].length).to.equal(half.length);
    });
  });

  describe('zips that used to throw inside yauzl\'s callbacks are refused, and their folder removed', () => {
    // unzip's folders go under os.tmpdir(), which follows TMPDIR: a folder of this test's own.
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'survival-zip-'));
    const tmp = path.join(work, 'tmp');
    const saved = process.env.TMPDIR;
    before(() => {
      fs.mkdirSync(tmp);
      process.env.TMPDIR = tmp;
    });
    after(() => {
      if (saved === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = saved;
      fs.rmSync(work, { recursive: true, force: true });
    });
    const src = 'export function alphaBar(b: number[]) { return b; }\n';
    const zipDirs = () => fs.readdirSync(tmp).filter((f) => f.startsWith('grade-zip-'));
    const cases: [string, { name: string; data?: string }[], RegExp][] = [
      ['a file, then a file inside a folder of its name', [{ name: 'basics', data: 'x' }, { name: 'basics/alphaBar.ts', data: src }], /cannot unpack "basics\/alphaBar\.ts" \(EEXIST|ENOTDIR/],
      ['a file, then a folder entry of its name', [{ name: 'basics', data: 'x' }, { name: 'basics/' }], /a folder, but a file of that name came first/],
      ['a folder entry, then a file of its name', [{ name: 'basics/' }, { name: 'basics', data: 'x' }], /"basics" is given twice, or is a file where a folder of that name came first/],
      ['a NUL byte in a name', [{ name: 'basics/alpha\0Bar.ts', data: src }], /"basics\/alpha\\u0000Bar\.ts" has a NUL byte in its name/],
      ['a file given twice', [{ name: 'basics/alphaBar.ts', data: src }, { name: 'basics/alphaBar.ts', data: 'other' }], /"basics\/alphaBar\.ts" is given twice/],
    ];
    for (const [what, entries, why] of cases) {
      it(what, async () => {
        const file = path.join(work, 'sub.zip');
        expect(os.tmpdir()).to.equal(tmp);
        fs.writeFileSync(file, zipBytes(entries));
        const err = await unzip(file).then(() => null, (e) => e);
        expect(err).to.be.instanceOf(ArchiveError);
        expect(err.message).to.match(why);
        expect(zipDirs()).to.deep.equal([]);
      });
    }

    it('a folder entry given twice is harmless, and an honest zip unpacks', async () => {
      const file = path.join(work, 'ok.zip');
      fs.writeFileSync(file, zipBytes([{ name: 'basics/' }, { name: 'basics/alphaBar.ts', data: src }, { name: 'basics/' }]));
      const dir = await unzip(file);
      try {
        expect(fs.readFileSync(path.join(dir, 'basics', 'alphaBar.ts'), 'utf8')).to.equal(src);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});
