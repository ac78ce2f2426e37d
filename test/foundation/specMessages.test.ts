// A failing exercise test tells the learner in words what their error message should name
// ("the shape [3, 4]"), never as the regular expression the test checks (/\[3,\s*4\]/).
import { expect } from 'chai';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { names, shape, value, words, mention, readable, VerdictError } from '../../lib/exercise/spec';
import { localCaller, runSpec } from '../../lib/exercise/run';
import { byId } from '../../lib/reference';
import { specFiles } from '../exercises/harness';

/** The VerdictError message names() throws, or '' if it passed. */
function verdict(message: string, fn: string, patterns: Parameters<typeof names>[2], what = 'input'): string {
  try {
    names(message, fn, patterns, what);
    return '';
  } catch (e) {
    expect(e).to.be.instanceOf(VerdictError);
    return (e as Error).message;
  }
}

describe('names(): what an error message should contain, in words', () => {
  it('says what is missing in words, all of it, and passes a message that has it', () => {
    expect(verdict('f: bad input', 'f', [shape([3, 4]), shape([3, 5])], 'a [3, 4] with b [3, 5]')).to.equal(
      'a [3, 4] with b [3, 5]: the error should name the shape [3, 4] and the shape [3, 5]; got "f: bad input"',
    );
    expect(verdict('f: a has shape [3,4] but b has [3, 5]', 'f', [shape([3, 4]), shape([3, 5])])).to.equal('');
    expect(verdict('f: a has shape [3, 4]', 'f', [shape([3, 4]), shape([3, 5])])).to.equal('input: the error should name the shape [3, 5]; got "f: a has shape [3, 4]"');
    expect(verdict('f: logits[1, 0] = NaN', 'f', [shape([1, 0], 'the element'), value(NaN)])).to.equal('');
    expect(verdict('f: eta out of range', 'f', [value(-0.5)])).to.equal('input: the error should name the value -0.5; got "f: eta out of range"');
    expect(verdict('Operands could not be broadcast together', 'similarityMatrix', [shape([3, 4])])).to.match(/^input: the error should come from similarityMatrix itself/);
  });

  it('keeps each check exact', () => {
    expect(shape([3, 4]).re.test('[3, 45]')).to.equal(false);
    expect(shape([3, 4]).re.test('[3,4]')).to.equal(true);
    expect(shape([3, 2, 5]).re.source).to.equal(String.raw`\[3,\s*2,\s*5\]`);
    expect(value(0, { whole: true }).re.test('alphaBar = 0 is outside')).to.equal(true);
    expect(value(0, { whole: true }).re.test('alphaBar = 0.5')).to.equal(true); // \b0\b, as the test always was: "0" stands alone in "0.5" too
    expect(value(0, { whole: true }).re.test('alphaBar = 10')).to.equal(false);
    expect(value(1.5).re.test('11.5')).to.equal(true);
    expect(value(1.5).re.test('105')).to.equal(false);
    expect(value(-0.1).re.test('s = -0.1')).to.equal(true);
    expect(words('beta[1] = 1.5').re.test('alphaBar: beta[1] = 1.5 is not in [0, 1)')).to.equal(true);
    expect(words('beta[1] = 1.5').re.test('beta[1] = 105')).to.equal(false);
    expect(value(5, { whole: true, noun: 'the length' }).says).to.equal('the length 5');
    expect(() => mention(/x/, ' ')).to.throw(/say in words/);
  });

  it('writes a bare RegExp (a teacher\'s hidden test) as text where it is plain, and names real regex syntax as such', () => {
    expect(readable(/beta\[1\] = -0\.2/)).to.equal('"beta[1] = -0.2"');
    expect(readable(/\[3,\s*4\]/)).to.equal('"[3, 4]"');
    expect(readable(/\b0\b/)).to.equal('"0"');
    expect(readable(/alphaBar\w* = 0/)).to.equal(String.raw`text matching /alphaBar\w* = 0/`);
    expect(readable(/row (1|2)/)).to.equal('text matching /row (1|2)/');
    expect(verdict('alphaBar: bad', 'alphaBar', [/beta\[1\] = -0\.2/])).to.equal('input: the error should name "beta[1] = -0.2"; got "alphaBar: bad"');
  });

  it('every public exercise test that checks an error message says what it wants in words, no regular expression', async function () {
    this.timeout(120000);
    const dir = path.join(__dirname, '..', 'exercises');
    const messages: string[] = [];
    for (const file of specFiles(dir)) {
      const mod = require(file);
      const specs = [mod.default].flat();
      for (const spec of specs) {
        const ref = (byId as Record<string, Function>)[spec.id];
        // The reference, except that every error it throws names nothing but the function.
        const vague = (...args: unknown[]) => {
          try {
            return ref(...args);
          } catch {
            throw new Error(`${spec.fn}: wrong input`);
          }
        };
        for (const r of await runSpec(spec, localCaller(vague, tf))) if (!r.passed) messages.push(`${spec.id}: ${r.title}: ${r.message}`);
      }
    }
    const asked = messages.filter((m) => m.includes('the error should name'));
    if (process.env.SHOW_MESSAGES) console.log(asked.join('\n'));
    expect(asked.length, messages.join('\n')).to.be.at.least(15);
    for (const m of messages) {
      expect(m, m).to.not.match(/\\|should match|text matching/);
    }
    // A test stops at its first failing check, so also read every names(...) call: its patterns are
    // shape(), value(), words() or mention(), which carry their words (no bare /regex/).
    const fs = require('fs');
    const bare = specFiles(dir).flatMap((file) =>
      fs.readFileSync(file, 'utf8').split('\n').filter((l: string) => /\bnames\(/.test(l) && /, \[[^\]]*?(?:^|[[,]\s*)\//.test(l)).map((l: string) => `${path.basename(file)}: ${l.trim()}`),
    );
    expect(bare).to.deep.equal([]);
  });
});

describe('t.throws(): a function that returns where it should throw is told for which inputs', () => {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { showCall, showInput, runTest } = require('../../lib/exercise/run');
  const { tensor } = require('../../lib/exercise/spec');

  it('names the call compactly: numbers, short lists, tensor shapes (values when few), null and functions', () => {
    expect(showCall('alphaBar', [[0.1, 1.5]])).to.equal('alphaBar([0.1, 1.5])');
    expect(showCall('ddpmStep', [tensor([1, 2, 3, 4, 5, 6], [3, 2]), tensor([0.5, -0.25], [1, 2]), 0.01, NaN, -1, null])).to.equal(
      'ddpmStep(tensor [3, 2], tensor [1, 2] (0.5, -0.25), 0.01, NaN, -1, null)',
    );
    expect(showInput(tensor([1, 2], [2], 'int32'))).to.equal('int32 tensor [2] (1, 2)');
    expect(showInput(new Float32Array(100))).to.equal('an array of length 100');
    expect(showInput(() => 0)).to.equal('a function');
    expect(showInput('x'.repeat(50))).to.equal(JSON.stringify(`${'x'.repeat(20)}…`));
    expect(showCall('f', Array.from({ length: 100 }, (_, i) => i + 0.123456)).length).to.be.at.most(241);
  });

  it('every exercise’s error tests, run on a function that never throws, name the inputs of the call that returned', async function () {
    this.timeout(120000);
    const dir = path.join(__dirname, '..', 'exercises');
    let seen = 0;
    for (const file of specFiles(dir)) {
      for (const spec of [require(file).default].flat()) {
        for (const test of spec.tests) {
          const r = await runTest(spec, test, localCaller(() => 0, tf));
          if (!/returned normally/.test(r.message)) continue;
          seen++;
          expect(r.message, `${spec.id}: ${test.title}`).to.match(new RegExp(`^${spec.fn} should throw an error here, but it returned normally for ${spec.fn}\\(.+\\)$`));
          expect(r.message.length, r.message).to.be.below(400);
        }
      }
    }
    expect(seen, 'error tests reached').to.be.at.least(10);
  });
});
