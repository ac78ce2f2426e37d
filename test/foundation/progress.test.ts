import { expect } from 'chai';
import { progress } from '../../lib/progress';

describe('progress', () => {
  it('reports step, total, steps/s and the given values', async () => {
    const p = progress(100, { mode: 'silent', label: 'train', everyMs: 0 });
    await p.update(40, { loss: 0.12345 });
    expect(p.line).to.match(/^train .* 40\/100 · [\d.]+ steps\/s · [\d.]+ s · loss 0\.1235$/);
    p.done({ loss: 0.1 });
    expect(p.line).to.match(/100\/100/);
  });

  it('writes a line per 10% to a log', async () => {
    const writes: string[] = [];
    const orig = process.stderr.write.bind(process.stderr);
    (process.stderr as any).write = (s: string) => (writes.push(s), true);
    try {
      const p = progress(50, { mode: 'log', everyMs: 0 });
      for (let i = 1; i <= 50; i++) await p.update(i, { loss: 1 / i });
      p.done();
    } finally {
      (process.stderr as any).write = orig;
    }
    expect(writes.length).to.be.within(10, 12);
    expect(writes[writes.length - 1]).to.match(/50\/50/);
  });

  it('rejects a non-positive total', () => {
    expect(() => progress(0)).to.throw(/total must be a positive integer/);
  });
});
