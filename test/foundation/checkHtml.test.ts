// check()'s table as a learner reads it in the classic Notebook.
import { expect } from 'chai';
import { checkHtml } from '../../lib/exercise/check';

describe('check(): the results table', () => {
  const html = checkHtml({
    target: 'clip/similarityMatrix',
    score: 0,
    max: 2,
    tests: [{ exercise: 'clip/similarityMatrix', title: 'is N×N', points: 2, score: 0, passed: false, message: 'similarityMatrix threw: not implemented: similarityMatrix' }],
  });

  it('breaks a message between words, not inside them (Bootstrap sets word-break: break-all on <pre>)', () => {
    const pre = html.match(/<pre style="([^"]*)">not|<pre style="([^"]*)">similarityMatrix/);
    expect(pre, html).to.not.equal(null);
    const style = pre![1] ?? pre![2];
    expect(style).to.match(/word-break:\s*normal/);
    expect(style).to.match(/overflow-wrap:\s*anywhere/);
    expect(style).to.match(/white-space:\s*pre-wrap/);
  });
});
