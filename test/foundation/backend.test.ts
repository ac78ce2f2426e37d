import { expect } from 'chai';
import { spawnSync } from 'child_process';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { ready, backendName, skipReason } from '../../lib/backend';

const ROOT = path.resolve(__dirname, '..', '..');

function runWith(env: Record<string, string>) {
  return spawnSync(process.execPath, ['--require', 'tsx/cjs', '-e', "require('./lib/backend').ready().then(b => console.log('got', b))"], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });
}

describe('backend', () => {
  it('is chosen once and reported by name', async () => {
    const name = await ready();
    expect(['tensorflow', 'wasm', 'cpu']).to.include(name);
    expect(backendName()).to.equal(tf.getBackend());
    expect(await ready()).to.equal(name);
  });

  it('prefers tfjs-node, then wasm, printing the choice in one line', () => {
    const r = runWith({ COURSE_BACKEND: '' });
    // tfjs-node counts only if it loads: an install whose native binding was never downloaded
    // (offline) leaves the package without it.
    const hasNode = require('child_process').spawnSync(process.execPath, ['-e', "require('@tensorflow/tfjs-node')"], { encoding: 'utf8' }).status === 0;
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).to.match(new RegExp(`^tfjs backend: ${hasNode ? 'tensorflow' : 'wasm'}`));
    expect(lines[1]).to.equal(`got ${hasNode ? 'tensorflow' : 'wasm'}`);
  });

  it('can be forced with COURSE_BACKEND', () => {
    const r = runWith({ COURSE_BACKEND: 'cpu' });
    expect(r.stdout).to.contain('tfjs backend: cpu (forced by COURSE_BACKEND)');
  });

  it('names the allowed values when COURSE_BACKEND is wrong', () => {
    const r = runWith({ COURSE_BACKEND: 'gpu' });
    expect(r.status).to.not.equal(0);
    expect(r.stderr).to.contain('COURSE_BACKEND must be one of tensorflow, wasm, cpu; got "gpu"');
  });
});

describe('backend: the line a chapter prints first', () => {
  it('says a missing optional backend is not installed, instead of its loader error with a path cut short', () => {
    expect(skipReason('The Node.js native addon module (tfjs_binding.node) can not be found at path: /work/main/node_modules/@tensorflow/tfjs-node/lib/napi-v8/tfjs_binding.node')).to.equal('not installed');
    expect(skipReason("Cannot find module '@tensorflow/tfjs-node'")).to.equal('not installed');
    expect(skipReason("tf.setBackend('wasm') returned false")).to.equal("tf.setBackend('wasm') returned false");
    const why = 'the backend failed to initialise because the WebAssembly module could not be compiled on this machine today';
    const long = skipReason(why);
    expect(long.length).to.be.at.most(81);
    expect(long.endsWith('…')).to.equal(true);
    const kept = long.slice(0, -1);
    expect(why.startsWith(kept)).to.equal(true);
    expect(why[kept.length]).to.equal(' '); // cut between words
  });
});
