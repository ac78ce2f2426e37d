// The notebook output checker flags raw JavaScript values and over-long numbers, and
// passes what lib/table prints.
import { expect } from 'chai';
import { checkOutputs, longNumbers, significantDigits, formatProblems } from './outputCheck';
import { figureHtml, scatter } from '../../lib/plot';
import { tableHtml, tableText, keyValueRows, fmt } from '../../lib/table';

const stream = (text: string) => ({ output_type: 'stream', name: 'stdout', text: [text] });
const plain = (text: string) => ({ output_type: 'execute_result', data: { 'text/plain': text }, metadata: {}, execution_count: 1 });
const html = (h: string) => ({ output_type: 'display_data', data: { 'text/html': h, 'text/plain': '<IPython.core.display.HTML object>' }, metadata: {} });
const nb = (...outputs: object[][]) => ({ cells: [{ cell_type: 'markdown', source: '[ 1, 2 ] in prose is fine' }, ...outputs.map((o) => ({ cell_type: 'code', outputs: o }))] });
const kinds = (n: object) => checkOutputs(n as any).map((p) => `${p.cell}:${p.kind}`);

describe('notebook output checker', () => {
  it('flags arrays and objects printed the way node inspects them', () => {
    expect(kinds(nb([stream("[ 'zero', 'one', 'two' ]\n")]))).to.deep.equal(['1:raw-array']);
    expect(kinds(nb([plain('[ 0.5, 0.25 ]')]))).to.deep.equal(['1:raw-array']);
    expect(kinds(nb([stream('Float32Array(3) [ 1, 2, 3 ]')]))).to.include('1:raw-array');
    expect(kinds(nb([plain('{ x: 1, y: 2 }')]))).to.deep.equal(['1:raw-object']);
    expect(kinds(nb([stream("results: { 'a b': 3 }")]))).to.deep.equal(['1:raw-object']);
    expect(kinds(nb([stream('Map(2) { ... }')]))).to.deep.equal(['1:raw-object']);
  });

  it('flags JSON dumps', () => {
    expect(kinds(nb([stream('{"steps":100,"loss":0.5}')]))).to.deep.equal(['1:json']);
    expect(kinds(nb([stream('["a","b"]')]))).to.deep.equal(['1:json']);
    expect(kinds(nb([stream('[1,2,3]')]))).to.deep.equal(['1:json']);
    expect(kinds(nb([stream('[0.5,0.25]')]))).to.deep.equal(['1:json']);
    expect(kinds(nb([stream('A·Aᵀ, shape [2,2]')]))).to.deep.equal([]);
    expect(kinds(nb([stream('{\n  "a": 1\n}')]))).to.deep.equal(['1:json']);
  });

  it('flags numbers with more than 6 significant digits, nothing shorter, no integers or versions', () => {
    expect(significantDigits('57.66271269100001')).to.equal(16);
    expect(significantDigits('-0.0002646946649105253')).to.equal(16);
    expect(significantDigits('1.5e-7')).to.equal(2);
    expect(significantDigits('0.500')).to.equal(3);
    expect(longNumbers('loss 0.9940000000000001 at step 7500; accuracy 0.994; node v20.19.0; id 12345678; t=1.234567e-5')).to.deep.equal(['0.9940000000000001', '1.234567e-5']);
    const p = checkOutputs(nb([stream('energy distance -0.0002646946649105253\n')]) as any);
    expect(p).to.deep.equal([{ cell: 1, kind: 'digits', excerpt: '-0.0002646946649105253' }]);
    expect(formatProblems(p)).to.equal('cell 1: digits: -0.0002646946649105253');
  });

  it('reads HTML outputs as text: long numbers in tables are found, plot scripts are not read', () => {
    expect(kinds(nb([html('<table><tr><td>0.123456789</td></tr></table>')]))).to.deep.equal(['1:digits']);
    const plot = figureHtml(scatter({ x: [0.123456789], y: [1] }, { title: 't', xLabel: 'x', yLabel: 'y' }));
    expect(kinds(nb([html(plot)]))).to.deep.equal([]);
  });

  it('passes what lib/table prints, and fmt keeps numbers short', () => {
    const rows = [{ name: 'ddpm', energy: 0.0002646946649105253, shift: -0.0002646946649105253, precision: 0.9940000000000001, steps: 7500 }];
    expect(kinds(nb([html(tableHtml(rows))], [stream(tableText(rows))]))).to.deep.equal([]);
    expect(kinds(nb([stream(tableText(keyValueRows({ a: { b: 57.66271269100001 }, list: ['x', 'y'] }), { columns: ['name', 'value'] }))]))).to.deep.equal([]);
    expect(fmt(57.66271269100001)).to.equal('57.66');
  });

  it('optionally reports figures without a title or axis labels', () => {
    const bare = html(figureHtml(scatter({ x: [1], y: [1] })));
    expect(kinds(nb([bare]))).to.deep.equal([]);
    expect(checkOutputs(nb([bare]) as any, { figures: true }).map((p) => p.excerpt)).to.deep.equal(['the figure has no title', 'xaxis has no label', 'yaxis has no label']);
  });
});

describe('notebook output checker: tables in words', () => {
  const { isRawKey } = require('./outputCheck');
  it('flags a table cell that is a data file key (snake_case or dotted), not words, file names or x_0', () => {
    for (const k of ['made_by', 'denoiser_steps', 'prompt_accuracy.0', 'seconds.clip', 'classifier_held_out_accuracy']) expect(isRawKey(k), k).to.equal(true);
    for (const k of ['made by', 'x_0', 'α̅_t', 'data/clip/clip.json', 'clip.json', 'scripts/train-unclip.ts', 'dataSeed', 'lr', 'training time, denoiser (s)', '0.5']) expect(isRawKey(k), k).to.equal(false);
    const raw = tableHtml(keyValueRows({ made_by: 'x', seconds: { clip: 0 } }), { columns: ['recorded', 'value'] });
    expect(kinds(nb([html(raw)]))).to.deep.equal(['1:raw-key', '1:raw-key']);
    const words = tableHtml([['made by', 'scripts/train-unclip.ts'], ['x_0', 1]], { columns: ['recorded', 'value'] });
    expect(kinds(nb([html(words)]))).to.deep.equal([]);
  });
});

describe('notebook output checker: credit lines, noise floors and plane labels', () => {
  const { tableBlocks, energyWithoutFloor, planeLabelProblems } = require('./outputCheck');

  it('flags a credit line printed as text (the Notebook breaks it inside words), not one shown as HTML', () => {
    const line = 'drawn with reference ddpmStep — yours is not checked yet';
    expect(kinds(nb([stream(line + '\n')]))).to.deep.equal(['1:credit-text']);
    expect(kinds(nb([plain(`'${line}'`)]))).to.deep.equal(['1:credit-text']);
    expect(kinds(nb([stream('trained 300 steps. drawn with your epsLoss\n')]))).to.deep.equal(['1:credit-text']);
    expect(kinds(nb([html(`<div class="course-credit">${line}</div>`)]))).to.deep.equal([]);
    expect(kinds(nb([stream('the curve is drawn with 40 points\n')]))).to.deep.equal([]);
  });

  it('flags a negative energy distance in a table with no noise floor in it, and passes one with the floor beside it', () => {
    const bare = tableHtml([{ compared: 'walk vs jump', 'energy distance': -0.00021 }, { compared: 'walk vs t = 50', 'energy distance': 0.21 }], { title: 'Same distribution?', digits: 3 });
    expect(kinds(nb([html(bare)]))).to.deep.equal(['1:energy-floor']);
    expect(checkOutputs(nb([html(bare)]) as any)[0].excerpt).to.equal('Same distribution?: energy distance -2.1e-4 without a noise floor beside it');
    const withRow = tableHtml([{ compared: 'walk vs jump', 'energy distance': -0.00021 }, { compared: 'noise floor: two draws of x_150 itself (mean ± sd)', 'energy distance': '1e-5 ± 2e-4' }]);
    expect(kinds(nb([html(withRow)]))).to.deep.equal([]);
    const inTitle = tableHtml([{ sampler: 'DDIM', energy: -0.001 }], { title: 'Quality (noise floor 0.001 ± 0.002)' });
    expect(kinds(nb([html(inTitle)]))).to.deep.equal([]);
    // Only energy columns count; positive energies need no floor.
    expect(kinds(nb([html(tableHtml([{ t: -1, energy: 0.3 }]))]))).to.deep.equal([]);
    const blocks = tableBlocks(bare);
    expect(blocks).to.have.length(1);
    expect(blocks[0]).to.deep.equal({ title: 'Same distribution?', headers: ['compared', 'energy distance'], rows: [['walk vs jump', '-2.1e-4'], ['walk vs t = 50', '0.21']] });
    expect(energyWithoutFloor(blocks[0])).to.deep.equal(['-2.1e-4']);
  });

  it('flags plane axes labelled x and y (the course writes x₁ and x₂), only with figures on', () => {
    const xy = scatter({ x: [1], y: [1] }, { title: 't', xLabel: 'x', yLabel: 'y', equalAxes: true });
    expect(planeLabelProblems(xy)).to.deep.equal([
      'xaxis is labelled "x": the plane\'s coordinates are x₁ and x₂ in every chapter',
      'yaxis is labelled "y": the plane\'s coordinates are x₁ and x₂ in every chapter',
    ]);
    expect(planeLabelProblems(scatter({ x: [1], y: [1] }, { title: 't', equalAxes: true }))).to.deep.equal([]);
    expect(planeLabelProblems(scatter({ x: [1], y: [1] }, { title: 't', xLabel: 'x₁', yLabel: 'x₂' }))).to.deep.equal([]);
    expect(checkOutputs(nb([html(figureHtml(xy))]) as any, { figures: true }).map((p) => p.kind)).to.deep.equal(['figure', 'figure']);
    expect(kinds(nb([html(figureHtml(xy))]))).to.deep.equal([]);
  });
});
