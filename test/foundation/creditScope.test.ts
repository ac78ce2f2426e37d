// creditScope: a chapter names in its credit lines only the exercises the learner can check there
// (its own, and any checked in this kernel), not another chapter's that lib calls on the way.
import { expect } from 'chai';
import { creditScope, creditText } from '../../lib/exercise/credit';
import { fails, forget, implementation, takeUsed, use } from '../../lib/exercise/registry';

describe('creditScope(): credit lines name what the learner can check here', () => {
  beforeEach(() => {
    forget();
    takeUsed();
  });
  afterEach(() => {
    creditScope();
    forget();
  });

  it('without a scope every exercise used is named', () => {
    implementation('flow/eulerFlowStep');
    implementation('diffusion/ddimStep');
    expect(creditText()).to.equal('drawn with reference eulerFlowStep — yours is not checked yet · reference ddimStep — yours is not checked yet');
  });

  it("with scope 'flow', an unchecked exercise of another chapter is left out, the chapter's own are kept", () => {
    creditScope('flow');
    implementation('flow/eulerFlowStep');
    implementation('diffusion/ddimStep');
    implementation('basics/alphaBar');
    expect(creditText()).to.equal('drawn with reference eulerFlowStep — yours is not checked yet');
    // Only exercises outside the scope: no line at all.
    implementation('diffusion/energyDistance');
    expect(creditText()).to.equal('');
  });

  it('another chapter’s exercise the learner checked in this kernel (passing or failing) is named', () => {
    creditScope('flow');
    use('diffusion/ddimStep', () => 0);
    fails('diffusion/energyDistance', { failed: 1, total: 3, first: 'x' });
    implementation('diffusion/ddimStep');
    implementation('diffusion/energyDistance');
    implementation('diffusion/ddpmStep');
    expect(creditText()).to.equal('drawn with your ddimStep · reference energyDistance — yours fails 1 of 3 tests (first: x)');
  });

  it('a scope may name single exercises; a bad scope is an error naming it', () => {
    creditScope('guidance', 'unclip/epsFromX0');
    implementation('unclip/epsFromX0');
    implementation('guidance/cfgCombine');
    implementation('diffusion/ddimStep');
    expect(creditText()).to.equal('drawn with reference epsFromX0 — yours is not checked yet · reference cfgCombine — yours is not checked yet');
    expect(() => creditScope('flow/nope')).to.throw(/no exercise "flow\/nope"/);
    expect(() => creditScope('')).to.throw(/non-empty string/);
    expect(() => creditScope('guidence')).to.throw(/no exercise in area "guidence"/);
  });
});
