// credit('<id>') names only what drew a figure, when a cell also ran other exercises to measure it
// (issue 23: chapter 7 named alphaBar, ddimStep, eulerStep and energyDistance in passing).
// Which exercises a chapter names at all is creditScope's (test/foundation/creditScope.test.ts).
import { expect } from 'chai';
import { creditScope, creditText } from '../../lib/exercise/credit';
import { forget, implementation, takeUsed } from '../../lib/exercise/registry';

describe('credit(ids): captions name only what drew the figure', () => {
  beforeEach(() => {
    forget();
    takeUsed();
    creditScope();
  });
  after(() => {
    forget();
    takeUsed();
    creditScope();
  });

  const ran = (...ids: Parameters<typeof implementation>[0][]) => ids.forEach((id) => implementation(id));

  it('credit(ids) names only what drew the figure, and takes the others too', () => {
    ran('flow/eulerFlowStep', 'flow/velocityTarget');
    expect(creditText(['flow/eulerFlowStep'])).to.equal('drawn with reference eulerFlowStep — yours is not checked yet');
    expect(creditText()).to.equal(''); // the ids were taken
  });

  it('within a chapter scope, an id outside it is not named even when asked for', () => {
    creditScope('flow');
    ran('basics/alphaBar', 'flow/eulerFlowStep');
    expect(creditText(['basics/alphaBar'])).to.equal('');
  });
});
