// The site index and the workspace index show each chapter's opening paragraph as plain text, so
// markdown there (*emphasis*, `code`, $math$) would show its raw characters. Every chapter.
import { expect } from 'chai';
import * as path from 'path';
import { chapterOf } from '../../scripts/site';
const { notebooks } = require('../../scripts/env');

describe('chapter openers', () => {
  for (const f of (notebooks() as string[]).filter((n) => /^\d\d-/.test(path.basename(n)))) {
    it(`${path.basename(f)}: the opening paragraph the indexes show has no markdown markup`, () => {
      const { summary } = chapterOf(f);
      expect(summary.length, 'opening paragraph').to.be.above(0);
      expect(summary.match(/[*`$]|\b_|_\b/g) ?? [], summary).to.deep.equal([]);
    });
  }
});
