// The credit line ("drawn with reference ddpmStep — …") under a table or a printed number: in a
// notebook it is an HTML line, not a printed one (the classic Notebook's <pre> broke printed
// lines inside words: "not imple / mented").
import { expect } from 'chai';
import { credit, creditHtml, creditLine, creditText } from '../../lib/exercise/credit';
import { forget, implementation, takeUsed } from '../../lib/exercise/registry';

const jupyter = require('tslab/dist/jupyter') as { lastWriteDisplayData: unknown };

/** Run f with console.log captured; returns what it printed. */
function printed(f: () => void): string[] {
  const out: string[] = [];
  const log = console.log;
  console.log = (...a: unknown[]) => void out.push(a.join(' '));
  try {
    f();
  } finally {
    console.log = log;
  }
  return out;
}

describe('credit(): whose code drew what a cell shows', () => {
  const saved = jupyter.lastWriteDisplayData;
  beforeEach(() => {
    forget();
    takeUsed();
  });
  afterEach(() => {
    jupyter.lastWriteDisplayData = saved;
    forget();
  });

  it('in a notebook, shows the caption as one HTML output and prints nothing', () => {
    const shown: any[] = [];
    jupyter.lastWriteDisplayData = (content: unknown, update: boolean) => void shown.push({ content, update });
    implementation('diffusion/ddpmStep');
    const out = printed(() => expect(credit()).to.equal(undefined));
    expect(out).to.deep.equal([]);
    expect(shown).to.have.length(1);
    const html: string = shown[0].content.data['text/html'];
    expect(html).to.match(/^<div class="course-credit" style="[^"]*">drawn with reference ddpmStep — yours is not checked yet<\/div>$/);
    expect(html).to.not.contain('<pre');
    expect(html).to.match(/word-break:\s*normal/);
    expect(shown[0].content.data['text/plain']).to.equal(undefined);
    // The ids were taken: a second call shows nothing.
    credit();
    expect(shown).to.have.length(1);
  });

  it('outside a notebook, prints the caption; with no exercise run, shows nothing at all', () => {
    jupyter.lastWriteDisplayData = null;
    implementation('diffusion/forwardSample');
    expect(printed(() => credit())).to.deep.equal(['drawn with reference forwardSample — yours is not checked yet']);
    expect(printed(() => credit())).to.deep.equal([]);
    const shown: unknown[] = [];
    jupyter.lastWriteDisplayData = (c: unknown) => void shown.push(c);
    expect(printed(() => credit())).to.deep.equal([]);
    expect(shown).to.deep.equal([]);
  });

  it('escapes the caption, and creditText/creditHtml take the ids as before', () => {
    expect(creditLine('a <b> & c')).to.contain('>a &lt;b&gt; &amp; c</div>');
    expect(creditLine('')).to.equal('');
    implementation('diffusion/ddpmStep');
    expect(creditHtml()).to.contain('drawn with reference ddpmStep');
    expect(creditText()).to.equal('');
  });
});
