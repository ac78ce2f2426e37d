// Plots render after any reload: each output carries a loader, the kernel resends plotly.js
// with its first plot after each page connection, and the Jupyter server serves a copy.
// Checked in headless Chromium (exported HTML, and a live classic Notebook 6) and against the
// course's real kernel.
import { expect } from 'chai';
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { figureHtml, scatter } from '../../lib/plot';
import { checkDom, renderedDom } from '../../scripts/browser';
const { root, courseConfig, jupyterEnv, installPlotlyAsset } = require('../../scripts/env');

const fig = (k: number) => scatter({ x: [0, k], y: [k, 0] }, { title: `plot ${k}`, xLabel: 'x', yLabel: 'y' });
const page = (body: string) => `<!doctype html><html><head><meta charset="utf-8"></head><body>${body}</body></html>`;

describe('plots in a browser', function () {
  this.timeout(180000);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'course-plot-'));
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('render when one output on the page carries plotly.js (exported HTML)', () => {
    const file = path.join(tmp, 'inline.html');
    fs.writeFileSync(file, page([0, 1, 2].map((k) => figureHtml(fig(k), { includePlotly: k === 0 })).join('\n')));
    const c = checkDom(renderedDom(file));
    expect(c.errors).to.deep.equal([]);
    expect(c.plots).to.equal(3);
    expect(c.rendered).to.equal(3);
  });

  it('say how to recover when no copy of plotly.js can be found', () => {
    const file = path.join(tmp, 'none.html');
    fs.writeFileSync(file, page(figureHtml(fig(0))));
    const dom = renderedDom(file);
    expect(checkDom(dom).rendered).to.equal(0);
    expect(dom).to.contain('plotly.js did not load: run this cell again');
  });

  it('render in a live classic Notebook after outputs without plotly.js were saved and reloaded (served copy)', async () => {
    installPlotlyAsset();
    const { python } = courseConfig();
    const dir = fs.mkdtempSync(path.join(root, '.tmp-work-'));
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'course-jupyter-data-'));
    const env = jupyterEnv({ JUPYTER_DATA_DIR: dataDir });
    // A notebook as it is after "clear outputs, save, reload, run two plot cells": no inline plotly.js.
    const cells = [0, 1].map((k) => ({
      cell_type: 'code',
      id: `c${k}`,
      source: `show(fig${k})`,
      metadata: {},
      execution_count: k + 1,
      outputs: [{ output_type: 'display_data', data: { 'text/html': figureHtml(fig(k)) }, metadata: {} }],
    }));
    const nb = { nbformat: 4, nbformat_minor: 5, metadata: { kernelspec: { name: 'tslab', display_name: 'TypeScript (course)', language: 'typescript' } }, cells };
    const file = path.join(dir, 'reloaded.ipynb');
    fs.writeFileSync(file, JSON.stringify(nb));
    const sign = spawnSync(python, ['-c', 'import sys, nbformat; from nbformat.sign import NotebookNotary as N; N().sign(nbformat.read(sys.argv[1], 4))', file], { env, encoding: 'utf8' });
    expect(sign.status, sign.stderr).to.equal(0);
    const port = 20000 + Math.floor(Math.random() * 20000);
    const server = spawn(python, ['-m', 'notebook', `--notebook-dir=${dir}`, `--port=${port}`, '--ip=127.0.0.1', '--no-browser', '--allow-root', '--NotebookApp.token=check'], { env, stdio: 'ignore' });
    try {
      let up = false;
      for (let i = 0; i < 150 && !up; i++) {
        try {
          up = (await fetch(`http://127.0.0.1:${port}/api?token=check`)).ok;
        } catch {
          await new Promise((r) => setTimeout(r, 200));
        }
      }
      expect(up, 'notebook server did not start').to.equal(true);
      const served = await fetch(`http://127.0.0.1:${port}/nbextensions/course/plotly.min.js?token=check`);
      expect(served.status).to.equal(200);
      const c = checkDom(renderedDom(`http://127.0.0.1:${port}/notebooks/reloaded.ipynb?token=check`, 30000));
      expect(c.errors).to.deep.equal([]);
      expect(c.plots).to.equal(2);
      expect(c.rendered).to.equal(2);
    } finally {
      server.kill('SIGTERM');
      fs.rmSync(dir, { recursive: true, force: true });
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it("the kernel sends plotly.js with its first plot, and again after a page (re)connects", () => {
    const { python } = courseConfig();
    // Drive the real kernel: plot, plot, then a kernel_info request (what a reloaded page sends), plot.
    const script = `
import json, sys, os
from jupyter_client.manager import start_new_kernel
km, kc = start_new_kernel(kernel_name='tslab', cwd=sys.argv[1])
def run(code):
    kc.execute(code)
    htmls = []
    while True:
        m = kc.get_iopub_msg(timeout=120)
        if m['msg_type'] in ('display_data', 'update_display_data'):
            htmls.append(m['content']['data'].get('text/html', ''))
        if m['msg_type'] == 'error':
            raise SystemExit(m['content']['evalue'])
        if m['msg_type'] == 'status' and m['content']['execution_state'] == 'idle' and m['parent_header'].get('msg_type') == 'execute_request':
            return [len(h) for h in htmls]
try:
    kc.wait_for_ready(timeout=120)
    out = {}
    run("import { scatter, show } from 'course/plot';\\nconst f = scatter({ x: [0, 1], y: [1, 0] }, { title: 't', xLabel: 'x', yLabel: 'y' });")
    out['first'] = run('show(f)')
    out['second'] = run('show(f)')
    kc.kernel_info(); kc.get_shell_msg(timeout=60)
    out['after_reconnect'] = run('show(f)')
    out['then'] = run('show(f)')
    print(json.dumps(out))
finally:
    kc.stop_channels(); km.shutdown_kernel(now=True)
`;
    const dir = fs.mkdtempSync(path.join(root, '.tmp-work-'));
    try {
      const r = spawnSync(python, ['-c', script, dir], { env: jupyterEnv(), encoding: 'utf8', timeout: 170000 });
      expect(r.status, r.stderr.slice(-2000)).to.equal(0);
      const out = JSON.parse(r.stdout.trim().split('\n').pop()!);
      expect(out.first[0]).to.be.above(1e6);
      expect(out.second[0]).to.be.below(1e4);
      expect(out.after_reconnect[0]).to.be.above(1e6);
      expect(out.then[0]).to.be.below(1e4);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
