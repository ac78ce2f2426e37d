import { expect } from 'chai';
import { scatter, lines, heatmap, quiver, imageGrid, animation, figureHtml, compactJson, lossCurve, ema, subplots, figureProblems, layout, logTicks, SUBPLOT_TITLE, PLOT_CONFIG } from '../../lib/plot';
import { fitCaptions } from '../../lib/plot/imageGrid';

describe('plot', () => {
  it('builds scatter and line figures, one trace per series', () => {
    const f = scatter([{ x: [1, 2], y: [3, 4], name: 'a' }, { x: [0], y: [0] }], { equalAxes: true });
    expect(f.data).to.have.length(2);
    expect(f.data[0]).to.include({ type: 'scatter', mode: 'markers', name: 'a' });
    expect((f.layout.yaxis as any).scaleanchor).to.equal('x');
    expect(lines({ x: [1, 2], y: [1, 4] }).data[0].mode).to.equal('lines');
  });

  it('gives a series its own marker shape, so series that land on the same points all show', () => {
    const f = scatter([{ x: [0], y: [0], name: 'a', symbol: 'circle-open', size: 12 }, { x: [0], y: [0], name: 'b' }, { x: [0], y: [0], name: 'c', symbol: 'diamond' }]);
    expect(f.data[0].marker).to.deep.include({ symbol: 'circle-open', size: 12, line: { width: 1.5 } });
    expect(f.data[1].marker).to.not.have.property('symbol');
    expect(f.data[1].marker).to.not.have.property('line');
    expect(f.data[2].marker).to.deep.include({ symbol: 'diamond' });
    expect(f.data[2].marker).to.not.have.property('line');
  });

  it('rejects mismatched or non-finite data, naming the problem', () => {
    expect(() => scatter({ x: [1, 2], y: [1] })).to.throw(/x has 2 values but y has 1/);
    expect(() => scatter({ x: [1, NaN], y: [1, 2] })).to.throw(/non-finite value at index 1/);
    expect(() => heatmap([[1, 2], [3]])).to.throw(/row 1 has 1 values/);
  });

  it('draws a heatmap with labelled axes and values', () => {
    const f = heatmap([[1, 0.5], [0.5, 1]], { xLabels: ['a', 'b'], yLabels: ['c', 'd'], annotate: true });
    expect(f.data[0].type).to.equal('heatmap');
    expect(f.data[0].text).to.deep.equal([['1', '0.5'], ['0.5', '1']]);
    expect(f.data[0].texttemplate).to.equal('%{text}');
  });

  it('draws each quiver arrow as a shaft and a head pointing along the vector', () => {
    const f = quiver({ x: [0], y: [0], u: [1], v: [0] }, { cell: 1 });
    const t = f.data[0] as any;
    expect(t.x.slice(0, 2)).to.deep.equal([0, 1]); // shaft from (0,0) to (1,0)
    expect(t.x[3]).to.be.below(1); // head strokes go back from the tip
    expect(t.y[3]).to.be.closeTo(-t.y[5], 1e-9);
  });

  it('tiles images into one grid with titles', () => {
    const img = new Float32Array(16).fill(0.5);
    const f = imageGrid([img, img, img], { cols: 2, titles: ['a', 'b', 'c'] });
    const z = f.data[0].z as number[][];
    expect(z[0].length).to.equal(4 + 1 + 4);
    // Each row of images has a band of empty rows above it for its captions.
    const band = z.findIndex((r) => r[0] !== null);
    expect(band).to.be.above(0);
    expect(z.length).to.equal(2 * (band + 4 + 1) - 1);
    expect(() => imageGrid([img, new Float32Array(9)])).to.throw(/image 1 has 9 pixels, expected 4×4/);
  });

  it('animates frames with a play button and a slider', () => {
    const frames = [0, 1, 2].map((k) => scatter({ x: [k], y: [k] }));
    const f = animation(frames, ['t=0', 't=1', 't=2']);
    expect(f.frames).to.have.length(3);
    expect((f.layout.sliders as any)[0].steps).to.have.length(3);
    expect((f.layout.updatemenus as any)[0].buttons[0].args[0]).to.equal(null);
  });

  it('writes compact JSON and HTML that carries plotly.js only when asked', () => {
    expect(compactJson({ a: 1.23456789, b: new Float32Array([0.5]), c: NaN })).to.equal('{"a":1.2346,"b":[0.5],"c":null}');
    const fig = scatter({ x: [1], y: [2] });
    const first = figureHtml(fig, { includePlotly: true });
    const later = figureHtml(fig);
    expect(first.length).to.be.above(1e6);
    expect(later.length).to.be.below(4000);
    expect(later).to.contain('coursePlotly(draw, fail)');
    expect(later).to.contain('nbextensions/course/plotly.min.js');
    expect(later).to.match(/<div id="course-plot-[^"]+" class="course-plot"><\/div>/);
  });
});

describe('plot: readable figures', () => {
  it('puts the title below the mode bar, wrapped to the width, and labels the axes', () => {
    const long = 'Zero-shot confusion matrix on 2000 held-out digits (rows: true class, columns: predicted class)';
    const l = layout({ title: long, xLabel: 'predicted', yLabel: 'true', width: 400 });
    const t = l.title as any;
    expect(t.automargin).to.equal(true);
    expect(t.yref).to.equal('container');
    expect((1 - t.y) * 420).to.be.closeTo(30 + 22, 1e-9); // first line just below the mode bar
    expect(t.text).to.contain('<br>');
    for (const line of t.text.split('<br>')) expect(line.length).to.be.at.most(Math.floor(380 / (0.55 * 16)));
    expect((l.margin as any).t).to.be.above(30 + 2 * 20);
    expect((l.xaxis as any).title.text).to.equal('predicted');
    expect((l.yaxis as any).automargin).to.equal(true);
    expect(PLOT_CONFIG.displaylogo).to.equal(false);
  });

  it('reports figures without a title or axis labels', () => {
    expect(figureProblems(scatter({ x: [1], y: [1] }))).to.deep.equal(['the figure has no title', 'xaxis has no label', 'yaxis has no label']);
    expect(figureProblems(scatter({ x: [1], y: [1] }, { title: 't', xLabel: 'x', yLabel: 'y' }))).to.deep.equal([]);
    // A 2D point cloud (equal axes) is labelled with its coordinates unless told otherwise.
    expect(figureProblems(scatter({ x: [1], y: [1] }, { title: 't', equalAxes: true }))).to.deep.equal([]);
    expect((quiver({ x: [0], y: [0], u: [1], v: [0] }, { title: 'f' }).layout.xaxis as any).title.text).to.equal('x₁');
    expect(figureProblems(imageGrid([new Float32Array(4)], { title: 'digits' }))).to.deep.equal([]);
  });

  it('shows every label of a categorical heatmap, digits as words not numbers', () => {
    const names = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];
    const z = names.map((_, i) => names.map((_, j) => (i === j ? 180 : 2)));
    const f = heatmap(z, { xLabels: names, yLabels: names, annotate: true, title: 'confusion' });
    for (const a of ['xaxis', 'yaxis']) {
      const ax = f.layout[a] as any;
      expect(ax.type).to.equal('category');
      expect(ax.tickvals).to.deep.equal(names);
    }
    expect((f.data[0].text as string[][])[0][0]).to.equal('180');
    const digits = heatmap([[1, 2], [3, 4]], { xLabels: ['0', '1'], yLabels: ['0', '1'] });
    expect((digits.layout.xaxis as any).type).to.equal('category');
    expect(() => heatmap([[1, 2]], { xLabels: ['a', 'a'] })).to.throw(/label "a" appears twice/);
  });

  it('wraps image captions to the image width and shrinks the font before giving up', () => {
    const c = fitCaptions(['a bold, left-slanted seven written quickly', 'one'], 28 * 3);
    const perLine = Math.floor(28 * 3 / (0.55 * c.font));
    expect(c.lines[0].length).to.be.within(2, 3);
    for (const l of c.lines.flat()) expect(l.length).to.be.at.most(perLine);
    expect(c.lines[1]).to.deep.equal(['one']);
  });

  it('gives animations a title and keeps their slider below the x axis label', () => {
    const frames = [0, 1].map((k) => scatter({ x: [k], y: [k] }, { xLabel: 'x', yLabel: 'y' }));
    const f = animation(frames, ['t=0', 't=1'], { title: 'The spiral dissolving' });
    expect((f.layout.title as any).text).to.equal('The spiral dissolving');
    expect((f.layout.margin as any).b).to.be.at.least(140);
    expect(figureProblems(f)).to.deep.equal([]);
  });

  it('smooths a loss with a bias-corrected moving average, on a log axis if asked', () => {
    for (const v of ema([2, 2, 2], 0.9)) expect(v).to.be.closeTo(2, 1e-12); // no pull towards 0 at the start
    const e = ema([0, 10], 0.5); // s1 = 0, s2 = 5; corrections 1 − 0.5, 1 − 0.25
    expect(e[1]).to.be.closeTo(5 / 0.75, 1e-12);
    expect(() => ema([1], 1)).to.throw(/beta must be in \[0, 1\)/);
    const losses = Array.from({ length: 5000 }, (_, i) => 1 / (1 + i / 100) + 0.3 * Math.sin(i * 12.9898) ** 2);
    const f = lossCurve(losses, { log: true, title: 'loss' });
    expect(f.data).to.have.length(2);
    expect((f.data[0].x as number[]).length).to.be.at.most(1501);
    expect((f.layout.yaxis as any).type).to.equal('log');
    expect((f.layout.xaxis as any).title.text).to.equal('training step');
    const raw = f.data[0].y as number[];
    const smooth = f.data[1].y as number[];
    const roughness = (y: number[]) => y.slice(1).reduce((s, v, i) => s + Math.abs(v - y[i]), 0);
    expect(roughness(smooth)).to.be.below(roughness(raw) / 10);
    expect(() => lossCurve([1, 0], { log: true })).to.throw(/log axis needs positive losses; index 1 is 0/);
  });

  it('lays out several figures as a grid of subplots with their own axes and titles', () => {
    const figs = Array.from({ length: 6 }, (_, k) => scatter({ x: [0, k], y: [0, 1] }, { title: `plot ${k}`, xLabel: 'x', yLabel: 'y', equalAxes: true }));
    const g = subplots(figs, { cols: 3, title: 'Six plots' });
    expect(g.data.map((t) => t.xaxis)).to.deep.equal(['x', 'x2', 'x3', 'x4', 'x5', 'x6']);
    expect((g.layout.yaxis4 as any).scaleanchor).to.equal('x4');
    expect((g.layout.xaxis6 as any).title.text).to.equal('x');
    const titles = (g.layout.annotations as any[]).map((a) => a.text);
    expect(titles).to.deep.equal(figs.map((_, k) => `plot ${k}`));
    // Domains: inside [0, 1] and not overlapping within a row or a column.
    const dom = (k: number, a: 'x' | 'y') => (g.layout[`${a}axis${k === 0 ? '' : k + 1}`] as any).domain as number[];
    for (let k = 0; k < 6; k++) for (const a of ['x', 'y'] as const) expect(dom(k, a)[0]).to.be.within(0, dom(k, a)[1]);
    expect(dom(0, 'x')[1]).to.be.below(dom(1, 'x')[0]);
    expect(dom(3, 'y')[1]).to.be.below(dom(0, 'y')[0]);
    expect(figureProblems(g).filter((p) => !p.includes('title'))).to.deep.equal([]);
    expect(() => subplots([animation([scatter({ x: [0], y: [0] })], ['a'])])).to.throw(/animation/);
  });
});

describe('plot: figures that fit the output area', () => {
  const { placeLegend, FIT_WIDTH, FIT_GRID } = require('../../lib/plot');
  // The browser-side function, run on a stand-in for the plot's div inside an output area `avail` px wide.
  const fit = (fig: any, avail: number) => {
    const courseFitWidth = new Function(`${FIT_GRID}\n${FIT_WIDTH}; return courseFitWidth;`)();
    courseFitWidth({ parentNode: { clientWidth: avail + 8 } }, fig);
    return fig;
  };

  it('draws a figure wider than the output area at its width, plot area scaled alike, title wrapped again', () => {
    const fig = scatter({ x: [0, 1], y: [1, 2] }, {
      width: 1400, height: 500, xLabel: 'x', yLabel: 'y',
      title: 'The spiral under each schedule (top: linear, bottom: cosine), five moments of the forward process',
    });
    const { width, height, margin } = fig.layout as any;
    const lines0 = (fig.layout as any).title.text.split('<br>').length;
    const f = fit(JSON.parse(JSON.stringify(fig)), 700);
    expect(f.layout.width).to.equal(700);
    const lines1 = f.layout.title.text.split('<br>').length;
    expect(lines1).to.be.above(lines0);
    expect(f.layout.title.text.split('<br>').join(' ')).to.equal((fig.layout as any).title.text.split('<br>').join(' ')); // every word kept
    expect(f.layout.title.text.split('<br>').every((l: string) => l.length * 0.55 * 16 <= 700)).to.equal(true);
    expect(f.layout.margin.t).to.equal(margin.t + 22 * (lines1 - lines0));
    const plotH = (h: number, t: number) => h - t - margin.b;
    expect(plotH(f.layout.height, f.layout.margin.t)).to.be.closeTo((plotH(height, margin.t) * 700) / width, 1);
  });

  it('shrinks a grid of subplots by its plot areas only: axis labels keep their room above the next row\'s titles', () => {
    const panels = Array.from({ length: 10 }, (_, k) =>
      scatter({ x: [-2, 2], y: [-2, 2] }, { title: `w = ${k}: accuracy 98.4%, spread 0.424`, equalAxes: true }));
    const grid = subplots(panels, { cols: 5, title: 'The spiral under each schedule' });
    const g = grid.grid!;
    expect(g).to.deep.include({ rows: 2, cols: 5 });
    const f = fit(JSON.parse(JSON.stringify(grid)), 760);
    expect(f.layout.width).to.equal(760);
    const H = f.layout.height - f.layout.margin.t - f.layout.margin.b;
    const W = f.layout.width - f.layout.margin.l - f.layout.margin.r;
    // Below the first row's plot area down to the top of the second row's title band: at least
    // the room for tick labels and the axis title it had before (58 px), in pixels, not scaled.
    const bottomRow1 = (1 - f.layout.yaxis.domain[0]) * H;
    const titles = (f.layout.annotations as any[]).filter((a) => a.name === SUBPLOT_TITLE);
    expect(titles).to.have.length(10);
    const lines = Math.max(...titles.map((a) => a.text.split('<br>').length));
    const titleTop2 = (1 - titles[5].y) * H - 17 * lines;
    expect(titleTop2 - bottomRow1).to.be.at.least(g.pad.bottom - 1);
    // Left of each plot area: room for the y tick labels and title, in pixels.
    expect(f.layout.xaxis2.domain[0] * W - f.layout.xaxis.domain[1] * W).to.be.at.least(g.pad.left + g.pad.right - 1);
    // Titles are wrapped again to the narrower cells (13 px font), every word kept, and each
    // stays inside the figure: centred over its plot area, its right half ends within the cell.
    const cell = W / 5;
    for (const a of titles) for (const l of a.text.split('<br>')) expect(l.length * 0.55 * 13).to.be.at.most(cell - g.pad.left + g.pad.right + 1e-9);
    for (const a of titles) {
      const half = Math.max(...a.text.split('<br>').map((l: string) => l.length)) * 0.55 * 13 / 2;
      expect(a.x * W + half).to.be.at.most(W + 1e-6);
    }
    expect(titles[1].text.split('<br>').join(' ')).to.equal('w = 1: accuracy 98.4%, spread 0.424');
    // Plot areas shrink alike in both directions (their aspect kept), and stay inside [0, 1].
    const size = (fig: any, W: number, H: number) => [(fig.layout.xaxis.domain[1] - fig.layout.xaxis.domain[0]) * W, (fig.layout.yaxis.domain[1] - fig.layout.yaxis.domain[0]) * H];
    const gl = grid.layout as any;
    const [dx0, dy0] = size(grid, gl.width - gl.margin.l - gl.margin.r, gl.height - gl.margin.t - gl.margin.b);
    const [dx, dy] = size(f, W, H);
    expect(dx).to.be.below(dx0);
    expect(dx / dy).to.be.closeTo(dx0 / dy0, 0.01);
    expect(figureHtml(grid)).to.contain('function courseFitGrid');
    expect(figureHtml(panels[0])).to.not.contain('function courseFitGrid');
    for (const k of Object.keys(f.layout).filter((k) => /^[xy]axis/.test(k))) for (const d of f.layout[k].domain) expect(d).to.be.within(0, 1);
  });

  it('gives a series one colour in every subplot and lists it once in the legend', () => {
    const panel = (title: string) => lines([{ x: [1, 2], y: [1, 2], name: 'flow matching' }, { x: [1, 2], y: [2, 1], name: 'DDIM' }], { title, xLabel: 'x', yLabel: 'y' });
    const g = subplots([panel('precision'), panel('recall'), panel('energy')], { cols: 3, showlegend: true });
    const colour = (t: any) => t.line?.color ?? t.marker?.color;
    const byName = (n: string) => g.data.filter((t) => t.name === n);
    expect(new Set(byName('DDIM').map(colour)).size).to.equal(1);
    expect(colour(byName('DDIM')[0])).to.not.equal(colour(byName('flow matching')[0]));
    expect(byName('DDIM').filter((t) => t.showlegend !== false)).to.have.length(1);
    expect(byName('DDIM').every((t) => t.legendgroup === 'DDIM')).to.equal(true);
    // A colour the figure set itself stays.
    const own = subplots([lines([{ x: [1, 2], y: [1, 2], name: 'a', color: '#123456' }], { title: 't', xLabel: 'x', yLabel: 'y' })]);
    expect(colour(own.data[0])).to.equal('#123456');
  });

  it('labels a log axis with whole values, not Plotly\'s leading digits or SI prefixes', () => {
    const steps = lines([{ x: [5, 10, 20, 50, 100], y: [1, 2, 3, 4, 5], name: 'a' }], { title: 't', xLabel: 'steps', yLabel: 'y', xaxis: { type: 'log' } });
    const x = logTicks(steps).layout.xaxis as any;
    expect(x.tickvals).to.deep.equal([5, 10, 20, 30, 50, 100]);
    expect(x.ticktext).to.deep.equal(['5', '10', '20', '30', '50', '100']);
    // A short range gets every digit, spread over the axis (no 0.75, 0.65 …).
    const loss = lossCurve([0.8, 0.5, 0.3, 0.2], { title: 'loss', log: true });
    const y = logTicks(loss).layout.yaxis as any;
    expect(y.tickvals).to.deep.equal([0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8]);
    // Seven decades: one tick per decade, written out (1e-5, not 10µ).
    const wide = lines([{ x: [1, 2], y: [2e-8, 0.05], name: 'a' }], { title: 't', xLabel: 'x', yLabel: 'y', yaxis: { type: 'log' } });
    expect((logTicks(wide).layout.yaxis as any).ticktext).to.deep.equal(['1e-7', '1e-6', '1e-5', '1e-4', '0.001', '0.01']);
    // Many decades, too few ticks, or ticks set by the figure: left to Plotly; the figure itself is not changed.
    const huge = lines([{ x: [1, 2], y: [1e-9, 1e4], name: 'a' }], { title: 't', xLabel: 'x', yLabel: 'y', yaxis: { type: 'log' } });
    expect((logTicks(huge).layout.yaxis as any).tickvals).to.equal(undefined);
    const narrow = lossCurve([0.22, 0.1], { title: 'loss', log: true });
    expect((logTicks(narrow).layout.yaxis as any).tickvals).to.equal(undefined);
    const set = lines([{ x: [5, 100], y: [1, 2], name: 'a' }], { title: 't', xLabel: 'x', yLabel: 'y', xaxis: { type: 'log', dtick: 1 } });
    expect((logTicks(set).layout.xaxis as any).tickvals).to.equal(undefined);
    expect((steps.layout.xaxis as any).tickvals).to.equal(undefined);
    expect(figureHtml(steps)).to.contain('"tickvals":[5,10,20,30,50,100]');
  });

  it('leaves a figure that fits alone', () => {
    const fig = scatter({ x: [0, 1], y: [0, 1] }, { title: 'small', xLabel: 'x', yLabel: 'y', width: 500 });
    const before = JSON.stringify(fig);
    expect(JSON.stringify(fit(fig, 700))).to.equal(before);
  });

  it('puts long legend entries in a row above the plot instead of beside it', () => {
    const long = lines([{ x: [0, 1], y: [0, 1], name: 'linear' }, { x: [0, 1], y: [1, 0], name: 'noise floor (mean + 2 sd of noise vs noise)' }], { title: 't', xLabel: 'x', yLabel: 'y' });
    const placed = placeLegend(long).layout as any;
    expect(placed.legend).to.deep.include({ orientation: 'h', yanchor: 'bottom' });
    // The row goes between the title and the plot: the top margin and the height grow alike, the title stays below the mode bar.
    expect(placed.margin.t - (long.layout as any).margin.t).to.be.at.least(22);
    expect(placed.height - (long.layout as any).height).to.equal(placed.margin.t - (long.layout as any).margin.t);
    expect(placed.title.y).to.be.closeTo(1 - 52 / placed.height, 1e-9);
    expect(figureHtml(long)).to.contain('"orientation":"h"');
    const short = lines([{ x: [0, 1], y: [0, 1], name: 'a' }, { x: [0, 1], y: [1, 0], name: 'b' }], { title: 't', xLabel: 'x', yLabel: 'y' });
    expect(placeLegend(short).layout.legend).to.equal(undefined);
    const own = { ...long, layout: { ...long.layout, legend: { x: 1 } } };
    expect(placeLegend(own).layout.legend).to.deep.equal({ x: 1 });
  });
});
