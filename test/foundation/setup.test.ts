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
