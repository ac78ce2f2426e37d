// The schedules workload (chapter 2): linear and cosine schedules trained and scored alike.
import { expect } from 'chai';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { main } from '../../bench/index';

describe('bench schedules workload (quick)', function () {
  this.timeout(600_000);

  it('writes schedules.{linear,cosine}.{train_seconds, ddpm, ddim50} from two runs that differ only in the schedule', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bench-schedules-')), 'out.json');
    const before = tf.memory().numTensors;
    expect(await main(['schedules', '--quick', '--json', file])).to.equal(0);
    expect(tf.memory().numTensors, 'tensors left behind').to.equal(before);
    const s = JSON.parse(fs.readFileSync(file, 'utf8')).schedules;
    expect(s.train_steps).to.equal(200);
    for (const name of ['linear', 'cosine']) {
      expect(s[name].train_seconds, name).to.be.a('number').greaterThan(0);
      for (const sampler of ['ddpm', 'ddim50']) {
        const q = s[name][sampler];
        expect(q.precision, `${name}.${sampler}.precision`).to.be.within(0, 1);
        expect(q.recall, `${name}.${sampler}.recall`).to.be.within(0, 1);
        expect(q.energy, `${name}.${sampler}.energy`).to.be.a('number');
      }
    }
    // Same seed, data and noise: had the workload ignored the schedule, the scores would be equal.
    expect(s.cosine.ddpm.energy).to.not.equal(s.linear.ddpm.energy);
  });
});
