// Credit lines name what drew a figure: a chapter's own exercises, and another chapter's only
// once the learner checked it in this kernel (issue 23: chapter 7 named alphaBar, ddimStep,
// eulerStep and energyDistance as "yours is not checked yet", none of which it can check).
import { expect } from 'chai';
import { creditHere, creditText } from '../../lib/exercise/credit';
import { fails, forget, implementation, takeUsed, use, reference } from '../../lib/exercise/registry';

const KEY = Symbol.for('course.exercise.creditHere');

describe('creditHere(): captions name only what a learner can check here', () => {
  beforeEach(() => {
    forget();
    takeUsed();
    delete (globalThis as any)[KEY].here;
  });
  after(() => {
    forget();
    takeUsed();
    delete (globalThis as any)[KEY].here;
  });

  const ran = (...ids: Parameters<typeof implementation>[0][]) => ids.forEach((id) => implementation(id));

  it('without creditHere, every exercise that ran is named (as before)', () => {
    ran('flow/eulerFlowStep', 'basics/alphaBar', 'diffusion/energyDistance');
    expect(creditText()).to.equal('drawn with reference eulerFlowStep — yours is not checked yet · reference alphaBar — yours is not checked yet · reference energyDistance — yours is not checked yet');
  });

  it("in chapter 7, another chapter's exercises used in passing are not named; its own are", () => {
    creditHere(['flow/velocityTarget', 'flow/eulerFlowStep']);
    ran('basics/alphaBar', 'diffusion/ddimStep', 'diffusion/eulerStep', 'diffusion/energyDistance', 'flow/eulerFlowStep');
    expect(creditText()).to.equal('drawn with reference eulerFlowStep — yours is not checked yet');
    // Only other chapters' exercises ran: no caption at all.
    ran('basics/alphaBar', 'diffusion/energyDistance');
    expect(creditText()).to.equal('');
  });

  it("another chapter's exercise is named once the learner checked it in this kernel, passing or failing", () => {
    creditHere(['flow/eulerFlowStep']);
    use('diffusion/ddimStep', reference('diffusion/ddimStep'));
    fails('diffusion/energyDistance', { failed: 1, total: 4, first: 'x' });
    ran('diffusion/ddimStep', 'diffusion/energyDistance', 'basics/alphaBar');
    expect(creditText()).to.equal('drawn with your ddimStep · reference energyDistance — yours fails 1 of 4 tests (first: x)');
  });

  it('credit(ids) names only what drew the figure', () => {
    ran('flow/eulerFlowStep', 'flow/velocityTarget');
    expect(creditText(['flow/eulerFlowStep'])).to.equal('drawn with reference eulerFlowStep — yours is not checked yet');
    expect(creditText()).to.equal(''); // the ids were taken
  });

  it('rejects an id that is no exercise', () => {
    expect(() => creditHere(['flow/nope'])).to.throw(/no exercise "flow\/nope"/);
  });
});

describe('a chapter that calls creditHere names exactly its own exercise cells', () => {
  it('creditHere([...]) in a notebook lists the ids of that notebook’s exercise cells', () => {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const { chapterNotebooks, exercisesByNotebook, readNotebook, sourceOf } = require('../../scripts/exercises');
    const path = require('path');
    const byNotebook: Map<string, string[]> = exercisesByNotebook();
    for (const file of chapterNotebooks() as string[]) {
      const calls = readNotebook(file).cells.filter((c: any) => c.cell_type === 'code').map(sourceOf).join('\n').match(/creditHere\(\[[^\]]*\]\)/g) ?? [];
      expect(calls.length, `${path.basename(file)} calls creditHere more than once`).to.be.below(2);
      if (!calls.length) continue;
      const ids = [...calls[0].matchAll(/'([^']+)'/g)].map((m) => m[1]).sort();
      expect(ids, `${path.basename(file)}: creditHere should list its exercise cells`).to.deep.equal([...byNotebook.get(path.basename(file))!].sort());
    }
  });
});
