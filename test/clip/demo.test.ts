import { expect } from 'chai';
import { loadDigits } from '../../lib/data';
import * as tf from '@tensorflow/tfjs';
import { figureProblems } from '../../lib/plot';
import { confusionMatrix, wrapCaption, captionGrid, demoBatch, attributeThresholds, fullCaption, describeDigits, similarityHeatmap } from '../../lib/clip';

describe('clip/notebook helpers', function () {
  this.timeout(60000);

  it('confusionMatrix: rows of shares per true class', () => {
    const m = confusionMatrix([0, 1, 1, 2, 0], [0, 1, 0, 2, 0], 3);
    expect(m[0]).to.deep.equal([2 / 3, 1 / 3, 0]);
    expect(m[1]).to.deep.equal([0, 1, 0]);
    expect(m[2]).to.deep.equal([0, 0, 1]);
    expect(() => confusionMatrix([0], [0, 1])).to.throw(/1 predictions for 2 labels/);
  });

  it('wrapCaption breaks at spaces near the width; captionGrid checks its inputs', () => {
    expect(wrapCaption('a thick, left-slanted seven', 10)).to.equal('a thick,<br>left-slanted<br>seven');
    expect(wrapCaption('a one', 10)).to.equal('a one');
    expect(() => captionGrid([new Float32Array(784)], ['a', 'b'])).to.throw(/1 images and 2 captions/);
    const fig = captionGrid([new Float32Array(784), new Float32Array(784)], ['a seven', 'a one'], { cols: 2 });
    expect((fig.layout.annotations as unknown[]).length).to.equal(2);
  });

  it('similarityHeatmap: a title, both axes labelled, one column per caption', () => {
    const S = tf.tensor2d([[1, 0.5], [0.2, 0.9]]);
    const fig = similarityHeatmap(S, ['a one', 'a two'], ['image 1', 'image 2'], 'similarities');
    S.dispose();
    expect(figureProblems(fig)).to.deep.equal([]);
    expect((fig.layout.xaxis as { title: { text: string } }).title.text).to.equal('caption j');
    expect((fig.layout.yaxis as { title: { text: string } }).title.text).to.equal('image i');
  });

  it("captionGrid anchor 'left' starts each caption at its image's left edge (row titles are not cut)", () => {
    const ims = [new Float32Array(784), new Float32Array(784)];
    const centred = captionGrid(ims, ['"a bold, left-slanted seven"', ''], { cols: 2, gap: 2 }).layout.annotations as { x: number; xanchor: string }[];
    const left = captionGrid(ims, ['"a bold, left-slanted seven"', ''], { cols: 2, gap: 2, anchor: 'left' }).layout.annotations as { x: number; xanchor: string }[];
    expect(centred[0]).to.include({ x: 14, xanchor: 'center' });
    expect(left[0]).to.include({ x: -0.5, xanchor: 'left' });
    expect(left[1]).to.include({ x: 29.5, xanchor: 'left' });
    expect(() => captionGrid(ims, ['a', 'b'], { anchor: 'right' as 'left' })).to.throw(/anchor must be 'center' or 'left', got right/);
  });

  it('demoBatch: distinct digits, each with its own full caption', () => {
    const { train, test } = loadDigits();
    const t = attributeThresholds(train);
    const b = demoBatch(test, t, 8, 1);
    expect(b.images.shape).to.deep.equal([8, 784]);
    expect(new Set(b.labels).size).to.equal(8);
    const attrs = describeDigits(test, t);
    b.index.forEach((i, k) => expect(b.captions[k]).to.equal(fullCaption(test.labels[i], attrs[i])));
    b.images.dispose();
  });
});
