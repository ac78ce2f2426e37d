import { expect } from 'chai';
import { linearSchedule, randomWalk, jumpTo, energyDistance } from '../../lib/diffusion';
import { moments } from './gaussian';

describe('diffusion/forward', () => {
  const s = linearSchedule(1000);
  const n = 3000;
  const start = new Float32Array(2 * n);
  for (let i = 0; i < n; i++) (start[2 * i] = 1), (start[2 * i + 1] = -0.5);

  it('the random walk and the closed-form jump give the same distribution at t = 300', () => {
    const t = 300;
    const walk = randomWalk(start, s, 1, { until: t }).x;
    const jump = jumpTo(start, s, t, 2);
    const ab = s.alphaBar[t];
    for (const p of [walk, jump]) {
      const m = moments(p);
      expect(m.mean[0]).to.be.closeTo(Math.sqrt(ab) * 1, 0.04);
      expect(m.mean[1]).to.be.closeTo(Math.sqrt(ab) * -0.5, 0.04);
      m.std.forEach((sd) => expect(sd).to.be.closeTo(Math.sqrt(1 - ab), 0.04));
    }
    // Energy distance: tiny between walk and jump, clearly larger against a jump to a different t.
    const same = energyDistance(walk.subarray(0, 2000), jump.subarray(0, 2000));
    const other = energyDistance(walk.subarray(0, 2000), jumpTo(start, s, 60, 3).subarray(0, 2000));
    expect(same).to.be.below(0.01);
    expect(other).to.be.above(10 * Math.max(same, 1e-3));
  });

  it('records snapshots at the requested timesteps and rejects bad ones', () => {
    const r = randomWalk(start.subarray(0, 20), s, 1, { record: [0, 10], until: 10 });
    expect(r.frames.map((f) => f.t)).to.deep.equal([0, 10]);
    expect(Array.from(r.frames[1].x)).to.deep.equal(Array.from(r.x));
    expect(() => randomWalk(start, s, 1, { until: 1000 })).to.throw(/outside \[0, 1000\)/);
    expect(() => jumpTo(start, s, -1, 1)).to.throw(/outside/);
    expect(() => randomWalk(new Float32Array(3), s, 1)).to.throw(/multiple of d/);
  });
});
