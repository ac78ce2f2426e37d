// The course kernel run from a learner's workspace (a git-ignored folder beside node_modules):
// `course` and its types resolve, tables display as HTML, and a cell using a name that an
// earlier cell defines fails with "Cannot find name", not with mocha's types.
import { expect } from 'chai';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
const { root, courseConfig, jupyterEnv } = require('../../scripts/env');
const workspace = require('../../scripts/workspace');

describe('the kernel in a workspace', function () {
  this.timeout(240000);
  it('resolves course, shows tables as HTML, and reports an undefined `setup` plainly', () => {
    const dir = fs.mkdtempSync(path.join(root, '.tmp-work-'));
    try {
      workspace.syncWorkspace(dir);
      const cells = [
        "import { table } from 'course/table';\nimport { spiral } from 'course/data';\nconst n: number = spiral(4, 0).length;\ntable([{ name: 'precision', value: 0.9940000000000001 }], { title: 'demo' });",
        'setup.test(1);',
      ];
      const nb = {
        nbformat: 4,
        nbformat_minor: 5,
        metadata: { kernelspec: { name: 'tslab', display_name: 'TypeScript (course)', language: 'typescript' } },
        cells: cells.map((source, i) => ({ cell_type: 'code', id: `c${i}`, source, metadata: {}, outputs: [], execution_count: null })),
      };
      const file = path.join(dir, '99-check.ipynb');
      fs.writeFileSync(file, JSON.stringify(nb));
      const out = path.join(dir, 'out');
      const json = path.join(dir, 'r.json');
      const { python } = courseConfig();
      spawnSync(python, [path.join(root, 'scripts', 'nbrun.py'), file, '--out', out, '--json', json, '--timeout', '200'], { env: jupyterEnv({ COURSE_QUICK: '1' }), encoding: 'utf8' });
      const [r] = JSON.parse(fs.readFileSync(json, 'utf8'));
      expect(r.failure?.cell, JSON.stringify(r.failure)).to.equal(1);
      expect(r.failure.message).to.contain("Cannot find name 'setup'");
      expect(r.failure.message).to.contain("If an earlier cell defines 'setup', run the cells above this one first");
      expect(r.failure.message).to.not.contain('HookFunction');
      const executed = JSON.parse(fs.readFileSync(path.join(out, '99-check.ipynb'), 'utf8'));
      const html = executed.cells[0].outputs.map((o: any) => [].concat(o.data?.['text/html'] ?? []).join('')).join('');
      expect(html).to.contain('class="course-table"');
      expect(html).to.contain('>0.994</td>');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
