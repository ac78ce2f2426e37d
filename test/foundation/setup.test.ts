// `npm install` runs scripts/setup.js: it finds Jupyter's Python or says exactly what to run.
import { expect } from 'chai';
import { spawnSync } from 'child_process';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..', '..');
const setup = (env: Record<string, string>) =>
  spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'setup.js')], { cwd: ROOT, env: { ...process.env, ...env }, encoding: 'utf8' });

describe('setup (npm install)', function () {
  this.timeout(60000);

  it('stops with the one command to run when Jupyter is missing and it may not install packages', () => {
    const r = setup({ COURSE_PYTHON: '/nonexistent/python3', COURSE_NO_APT: '1' });
    expect(r.status).to.equal(1);
    expect(r.stderr).to.contain('Jupyter (notebook, nbconvert, nbclient, ipykernel) was not found');
    expect(r.stderr).to.match(/sudo apt-get install -y jupyter-notebook jupyter-nbconvert python3-nbclient python3-ipykernel|pip install --user notebook nbconvert nbclient ipykernel/);
  });

  it('finds a Python with notebook, nbconvert, nbclient and ipykernel and registers the kernel', () => {
    const r = setup({ COURSE_NO_APT: '1' });
    expect(r.status, r.stderr).to.equal(0);
    expect(r.stdout).to.match(/kernel "tslab" registered in \.jupyter\/kernels\/tslab \(python: \S+\)/);
  });
});

describe('setup on a Node.js that is too old', function () {
  this.timeout(30000);
  const needed = require('../../package.json').engines.node;

  it('stops with one line naming the version needed and the one found', () => {
    const r = setup({ COURSE_NODE_VERSION: 'v18.19.1', COURSE_SKIP_SETUP: '1' });
    expect(r.status).to.equal(1);
    const lines = r.stderr.trim().split('\n');
    expect(lines).to.have.length(1);
    expect(lines[0]).to.equal(`[setup] The course needs Node.js ${needed}, found 18.19.1: install a newer Node.js (https://nodejs.org), then run npm install again.`);
    expect(setup({ COURSE_NODE_VERSION: '20.18.3', COURSE_SKIP_SETUP: '1' }).status).to.equal(1);
  });

  it('passes the versions that "engines" accepts', () => {
    for (const v of ['20.19.0', '20.20.2', '24.1.0']) {
      const r = setup({ COURSE_NODE_VERSION: v, COURSE_SKIP_SETUP: '1' });
      expect(r.status, `${v}: ${r.stderr}`).to.equal(0);
    }
  });

  it('.npmrc makes npm itself refuse an old Node (engine-strict) and link file: dependencies (install-links=false)', () => {
    const get = (key: string) => spawnSync('npm', ['config', 'get', key], { cwd: ROOT, encoding: 'utf8' }).stdout.trim();
    expect(get('engine-strict')).to.equal('true');
    expect(get('install-links')).to.equal('false');
  });
});
