import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import * as D from '../../lib/diffusion';

// A trajectory from hand-written frames (each a flat [k, 2]).
function fromFrames(frames: number[][]): D.Trajectory {
  const tr = D.trajectory();
  frames.forEach((f, i) => {
    const x = tf.tensor2d(f, [f.length / 2, 2]);
    tr.add(i, x);
    x.dispose();
  });
  return tr;
}

describe('diffusion/trajectories, path length and curvature', () => {
  it('a straight path at uneven speed: length = chord, straightness 1, no turning', () => {
    const tr = fromFrames([[0, 0], [0.1, 0.2], [1, 2], [1.5, 3]]);
    expect(D.pathLengths(tr)[0]).to.be.closeTo(1.5 * Math.sqrt(5), 1e-6);
    expect(D.chordLengths(tr)[0]).to.be.closeTo(1.5 * Math.sqrt(5), 1e-6);
    expect(D.turning(tr)[0]).to.be.closeTo(0, 1e-3);
    expect(D.pathStats(tr).straightness).to.be.closeTo(1, 1e-6);
  });

  it('three sides of a unit square: length 3, chord 1, turning π; per point for two points', () => {
    // Point 0 walks the square; point 1 stands still (no direction, no turning).
    const tr = fromFrames([[0, 0, 5, 5], [1, 0, 5, 5], [1, 1, 5, 5], [0, 1, 5, 5]]);
    expect(Array.from(D.pathLengths(tr))).to.deep.equal([3, 0]);
    expect(D.chordLengths(tr)[0]).to.be.closeTo(1, 1e-6);
    expect(D.turning(tr)[0]).to.be.closeTo(Math.PI, 1e-5);
    expect(D.turning(tr)[1]).to.equal(0);
    const st = D.pathStats(tr);
    expect(st.length).to.be.closeTo(1.5, 1e-6);
    expect(st.straightness).to.be.closeTo((1 / 3 + 1) / 2, 1e-6); // a point that does not move counts as straight
    expect(st.turning).to.be.closeTo(Math.PI / 2, 1e-5);
  });

  it('a zigzag turns by its angles and is longer than its chord', () => {
    const tr = fromFrames([[0, 0], [1, 1], [2, 0], [3, 1]]);
    expect(D.turning(tr)[0]).to.be.closeTo(Math.PI, 1e-5); // two turns of 90°
    expect(D.pathLengths(tr)[0] / D.chordLengths(tr)[0]).to.be.closeTo((3 * Math.SQRT2) / Math.hypot(3, 1), 1e-6);
  });

  it('trajectory keeps the first k points and checks its frames', () => {
    const tr = D.trajectory(2);
    const a = tf.tensor2d([1, 2, 3, 4, 5, 6], [3, 2]);
    tr.add(7, a);
    expect(Array.from(tr.frames[0])).to.deep.equal([1, 2, 3, 4]);
    expect(tr.times).to.deep.equal([7]);
    const b = tf.tensor2d([1, 2, 3], [1, 3]);
    expect(() => tr.add(6, b)).to.throw(/does not match the first frame/);
    expect(() => D.trajectory(0)).to.throw(/positive integer/);
    expect(() => D.pathLengths(tr)).to.throw(/1 frames, need at least 2/);
    [a, b].forEach((x) => x.dispose());
  });

  it('pathSeries gives each point its x and y over the frames', () => {
    const tr = fromFrames([[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11]]);
    const p = D.pathSeries(tr);
    expect(p.map((q) => [Array.from(q.x), Array.from(q.y)])).to.deep.equal([[[0, 4, 8], [1, 5, 9]], [[2, 6, 10], [3, 7, 11]]]);
    expect(D.pathSeries(tr, 1).length).to.equal(1);
  });

  it('qualityBySteps scores each sampler run against the held-out data and frees the samples', () => {
    const ring = new Float32Array(200).map((_, i) => (i % 2 === 0 ? Math.cos(Math.PI * i / 100) : Math.sin(Math.PI * (i - 1) / 100)));
    const before = tf.memory().numTensors;
    // k = 1: the ring itself (perfect); k = 2: the ring 30% larger (precision 0).
    const rows = D.qualityBySteps([1, 2], (k) => tf.tensor2d(ring.map((v) => v * (k === 1 ? 1 : 1.3)), [100, 2]), ring);
    expect(tf.memory().numTensors).to.equal(before);
    expect(rows.map((r) => r.steps)).to.deep.equal([1, 2]);
    expect([rows[0].precision, rows[0].recall]).to.deep.equal([1, 1]);
    expect(rows[1].precision).to.equal(0);
    expect(rows[1].energy).to.be.above(rows[0].energy);
    expect(() => D.qualityBySteps([], () => tf.zeros([1, 2]) as tf.Tensor2D, ring)).to.throw(/non-empty/);
  });
});
