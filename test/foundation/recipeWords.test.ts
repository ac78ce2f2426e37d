// Chapter 7 shows the moons recipe as a table in words, not as the object's code keys
// (dataSeed, lrSchedule), as chapter 6 shows its weights' record.
import { expect } from 'chai';
import { MOONS_RECIPE, moonsRecipeRows } from '../../lib/flow';
import { tableHtml } from '../../lib/table';
import { isRawKey, tableCells } from './outputCheck';

describe('the moons recipe in words', () => {
  const rows = moonsRecipeRows();

  it('has one row per setting of MOONS_RECIPE, with its value', () => {
    const keys = Object.keys(MOONS_RECIPE);
    expect(rows).to.have.length(keys.length);
    const values = keys.map((k) => (MOONS_RECIPE as Record<string, unknown>)[k]);
    rows.forEach(([, v], i) => {
      if (keys[i] === 'lrSchedule') expect(v).to.equal('cosine decay to 0 over the run');
      else expect(v, keys[i]).to.equal(values[i]);
    });
  });

  it('names each setting in words: no code key, camelCase or snake_case', () => {
    const keys = new Set(Object.keys(MOONS_RECIPE));
    for (const [words] of rows) {
      expect(keys.has(words), words).to.equal(false);
      expect(words, words).to.not.match(/^[a-z]+[A-Z]\w*$|_/);
      expect(words.split(' ').length, words).to.be.above(1);
    }
    expect(tableCells(tableHtml(rows, { columns: ['setting', 'value'] })).filter(isRawKey)).to.deep.equal([]);
  });
});
