import { expect } from 'chai';
import { scatter, lines, heatmap, quiver, imageGrid, animation, figureHtml, compactJson } from '../../lib/plot';

describe('plot', () => {
  it('builds scatter and line figures, one trace per series', () => {
    const f = scatter([{ x: [1, 2], y: [3, 4], name: 'a' }, { x: [0], y: [0] }], { equalAxes: true });
    expect(f.data).to.have.length(2);
    expect(f.data[0]).to.include({ type: 'scatter', mode: 'markers', name: 'a' });
    expect((f.layout.yaxis as any).scaleanchor).to.equal('x');
    expect(lines({ x: [1, 2], y: [1, 4] }).data[0].mode).to.equal('lines');
  });

  it('rejects mismatched or non-finite data, naming the problem', () => {
    expect(() => scatter({ x: [1, 2], y: [1] })).to.throw(/x has 2 values but y has 1/);
    expect(() => scatter({ x: [1, NaN], y: [1, 2] })).to.throw(/non-finite value at index 1/);
    expect(() => heatmap([[1, 2], [3]])).to.throw(/row 1 has 1 values/);
  });

  it('draws a heatmap with labelled axes and values', () => {
    const f = heatmap([[1, 0.5], [0.5, 1]], { xLabels: ['a', 'b'], yLabels: ['c', 'd'], annotate: true });
    expect(f.data[0].type).to.equal('heatmap');
    expect(f.layout.annotations as unknown[]).to.have.length(4);
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
    expect(z.length).to.equal(4 + 1 + 4);
    expect(z[0].length).to.equal(4 + 1 + 4);
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
    expect(later.length).to.be.below(2000);
    expect(later).to.match(/<div id="course-plot-[^"]+" class="course-plot"><\/div>/);
  });
});
