// fmt and the table helpers: the digits that matter, aligned text outside a notebook.
import { expect } from 'chai';
import { fmt, pct, table, tableHtml, tableText, keyValue, keyValueRows, cellText } from '../../lib/table';

describe('fmt', () => {
  it('keeps 4 significant digits, integers whole, tiny and huge numbers in exponent form', () => {
    expect(fmt(-0.0002646946649105253)).to.equal('-2.647e-4');
    expect(fmt(57.66271269100001)).to.equal('57.66');
    expect(fmt(0.9940000000000001)).to.equal('0.994');
    expect(fmt(0.1 + 0.2)).to.equal('0.3');
    expect(fmt(7500)).to.equal('7500');
    expect(fmt(1234567)).to.equal('1234567');
    expect(fmt(12345.6)).to.equal('12346');
    expect(fmt(9999.9)).to.equal('10000');
    expect(fmt(2.5e9 + 0.5)).to.equal('2.5e9');
    expect(fmt(0)).to.equal('0');
    expect(fmt(-0)).to.equal('0');
    expect(fmt(NaN)).to.equal('NaN');
    expect(fmt(-Infinity)).to.equal('-∞');
    expect(fmt(Math.PI, 2)).to.equal('3.1');
    expect(pct(0.9940000000000001)).to.equal('99.4%');
  });

  it('rejects what is not a number or a bad digit count', () => {
    expect(() => fmt('1' as any)).to.throw(/expected a number, got string/);
    expect(() => fmt(1, 0)).to.throw(/digits must be an integer in 1\.\.17, got 0/);
  });
});

describe('table', () => {
  const rows = [
    { sampler: 'DDPM', steps: 1000, precision: 0.9940000000000001 },
    { sampler: 'DDIM', steps: 50, precision: 0.921234 },
  ];

  it('prints aligned text with numbers right-aligned and rounded', () => {
    expect(tableText(rows, { title: 'Samplers' })).to.equal(
      ['Samplers', 'sampler  steps  precision', '-------  -----  ---------', 'DDPM      1000      0.994', 'DDIM        50     0.9212'].join('\n'),
    );
  });

  it('writes escaped HTML under its title (a line of its own, not a <caption> held to the table\'s width)', () => {
    const h = tableHtml([{ a: '<b>', n: 1.23456 }], { title: 'T <x>' });
    expect(h).to.match(/^<div class="course-table-block"><div class="course-table-title"[^>]*>T &lt;x&gt;<\/div><table class="course-table">/);
    expect(h).not.to.contain('<caption');
    expect(tableHtml([{ a: 1 }])).to.match(/^<table class="course-table">/);
    expect(h).to.contain('&lt;b&gt;');
    expect(h).to.contain('>1.235</td>');
  });

  it('takes rows as arrays with column names, and says what is wrong with bad rows', () => {
    expect(tableText([[1, 'a'], [2, 'b']], { columns: ['n', 's'] }).split('\n')[2]).to.equal('1  a');
    expect(() => tableText([[1, 2], [3]], { columns: ['a', 'b'] })).to.throw(/row 1 has 1 cells for 2 columns/);
    expect(() => tableText([{ a: 1 }, 3] as any)).to.throw(/row 1 is not an object/);
  });

  it('shows lists and nested records as readable text, not JavaScript', () => {
    expect(cellText(['a', 'b'])).to.equal('a, b');
    expect(cellText(new Float32Array([0.5, 0.1234567]))).to.equal('0.5, 0.1235');
    expect(cellText({ w: 3, acc: 0.91234 })).to.equal('w = 3, acc = 0.9123');
    expect(cellText(null)).to.equal('—');
    expect(keyValueRows({ train: { steps: 10, seconds: 1.23456 }, ok: true })).to.deep.equal([['train.steps', 10], ['train.seconds', 1.23456], ['ok', true]]);
  });

  it('prints the text table on the console outside a notebook (and returns nothing)', () => {
    const logged: string[] = [];
    const log = console.log;
    console.log = (s: string) => logged.push(s);
    try {
      expect(table(rows)).to.equal(undefined);
      keyValue({ lr: 0.001, steps: 7500 });
    } finally {
      console.log = log;
    }
    expect(logged[0]).to.equal(tableText(rows));
    expect(logged[1].split('\n')).to.deep.equal(['name   value', '-----  -----', 'lr     0.001', 'steps   7500']);
  });
});
