// `npm run bench -- live`: the live figures' redraw time in Chromium per figure, on one thread
// and on two, in the bench's JSON ("live": { "<figure>": { "threads_1_ms", "threads_2_ms" } },
// ../shared/bench/README.md). Only the shape and that each is a measured time are checked: how
// fast is the bench's to say, not a test's (a busy machine would fail a bound).
import { expect } from 'chai';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main } from '../../bench/index';
import { REDRAWS } from '../../web/live/drive';

describe('bench live: redraw ms per live figure, one and two threads', function () {
  this.timeout(600_000);
  it('writes threads_1_ms and threads_2_ms for every live figure', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'course-bench-live-test-'));
    try {
      const file = path.join(dir, 'live.json');
      expect(await main(['live', '--quick', '--json', file])).to.equal(0);
      const live = JSON.parse(fs.readFileSync(file, 'utf8')).live;
      expect(live.error, 'the workload ran').to.equal(undefined);
      for (const r of REDRAWS) {
        expect(live[r.figure], r.figure).to.have.all.keys('threads_1_ms', 'threads_2_ms');
        for (const k of ['threads_1_ms', 'threads_2_ms']) expect(live[r.figure][k], `${r.figure}.${k}`).to.be.a('number').and.above(0);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
