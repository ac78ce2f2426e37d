import { expect } from 'chai';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main, DEFAULT_WORKLOADS } from '../../bench/index';

describe('bench/flow', () => {
  it('runs by default and writes flow.train_seconds, flow.euler."<k>".{precision,recall,energy} for k = 5, 10, 20, 50, flow.straightness, and flow.reflow.{straightness, euler."<k>"} for k = 1, 2, 5', async () => {
    expect(DEFAULT_WORKLOADS).to.include('flow');
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bench-flow-')), 'flow.json');
    expect(await main(['flow', '--quick', '--json', file])).to.equal(0);
    const f = JSON.parse(fs.readFileSync(file, 'utf8')).flow;
    expect(f.train_seconds).to.be.a('number').greaterThan(0);
    expect(f.train_steps).to.equal(300);
    expect(Object.keys(f.euler)).to.deep.equal(['5', '10', '20', '50']);
    for (const k of ['5', '10', '20', '50']) {
      expect(f.euler[k].steps).to.equal(Number(k));
      expect(f.euler[k].precision).to.be.within(0, 1);
      expect(f.euler[k].recall).to.be.within(0, 1);
      expect(f.euler[k].energy).to.be.a('number');
    }
    // Even 300 steps of training put most Euler-50 samples near the spiral (the metrics are live, not constants).
    expect(f.euler['50'].precision).to.be.above(f.euler['5'].precision);
    // Reflow from that network: its Euler samples at 1, 2, 5 steps, and both networks' straightness
    // (Euler-100 paths in flow coordinates, the same noise).
    expect(f.straightness).to.be.within(0, 1);
    expect(f.reflow.straightness).to.be.within(0, 1);
    expect(f.reflow.train_steps).to.equal(300);
    expect(f.reflow.train_seconds).to.be.a('number').greaterThan(0);
    expect(Object.keys(f.reflow.euler)).to.deep.equal(['1', '2', '5']);
    for (const k of ['1', '2', '5']) {
      expect(f.reflow.euler[k].steps).to.equal(Number(k));
      expect(f.reflow.euler[k].precision).to.be.within(0, 1);
      expect(f.reflow.euler[k].recall).to.be.within(0, 1);
      expect(f.reflow.euler[k].energy).to.be.a('number');
    }
    // Even a short reflow straightens the paths: the reason it exists.
    expect(f.reflow.straightness).to.be.above(f.straightness);
  });
});
