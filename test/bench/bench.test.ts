// The bench frame and the `step` workload: arguments, errors, the JSON shape.
import { expect } from 'chai';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main, parseArgs, formatTable, DEFAULT_WORKLOADS } from '../../bench/index';

const ROOT = path.join(__dirname, '..', '..');

describe('bench frame', () => {
  it('parses workloads, --json, --backend, and runs all but step by default', () => {
    expect(parseArgs([])).to.deep.equal({ workloads: DEFAULT_WORKLOADS, quick: false });
    expect(DEFAULT_WORKLOADS).to.not.include('step');
    const a = parseArgs(['step', 'spiral', '--json', 'out.json', '--backend=cpu']);
    expect(a).to.deep.equal({ workloads: ['step', 'spiral'], json: 'out.json', backend: 'cpu', quick: false });
  });

  it('rejects a bad backend, an unknown flag and a missing value by name', () => {
    expect(() => parseArgs(['--backend', 'webgl'])).to.throw(/--backend must be one of wasm, cpu, tensorflow; got "webgl"/);
    expect(() => parseArgs(['--fast'])).to.throw(/unknown option "--fast"/);
    expect(() => parseArgs(['--json'])).to.throw(/--json needs a value/);
    expect(() => parseArgs(['step', '--contend', 'two'])).to.throw(/--contend must be a whole number of busy processes from 1 to 99; got "two"/);
    expect(() => parseArgs(['step', '--contend=0'])).to.throw(/--contend must be/);
  });

  it('parses --contend N (busy processes beside the timing rounds)', () => {
    expect(parseArgs(['step', 'sample', '--contend', '1'])).to.deep.equal({ workloads: ['step', 'sample'], quick: false, contend: 1 });
    expect(parseArgs(['step', '--contend=3']).contend).to.equal(3);
  });

  it('parses --learners N for the hub workload, and names a bad count', () => {
    expect(parseArgs(['hub', '--learners', '16'])).to.deep.equal({ workloads: ['hub'], quick: false, learners: 16 });
    expect(() => parseArgs(['hub', '--learners', '-2'])).to.throw(/--learners must be a whole number/);
    expect(() => parseArgs(['hub', '--learners'])).to.throw(/--learners needs a value/);
    expect(() => parseArgs(['hub', '--learners=lots'])).to.throw(/--learners must be a whole number of learners from 1 to 999; got "lots"/);
  });

  it('names a workload whose file does not exist, before doing any work', async () => {
    let err: Error | null = null;
    try {
      await main(['step', 'no-such-workload']);
    } catch (e) {
      err = e as Error;
    }
    expect(err, 'main should throw').to.not.equal(null);
    expect(err!.message).to.match(/workload "no-such-workload" not found: bench[/\\]workloads[/\\]no-such-workload\.ts does not exist/);
  });

  it('prints nested results as a flat table', () => {
    const t = formatTable({ step: { train_steps_per_s: 312.5, peak_memory: { rss_mb: 200 } } });
    expect(t).to.match(/step\s+train_steps_per_s\s+312\.5/);
    expect(t).to.match(/peak_memory\.rss_mb\s+200/);
  });
});

describe('bench step workload (quick)', function () {
  this.timeout(120_000);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-'));
  const saved = { ...process.env };
  /**
   * A stand-in for torch_spiral.py printing the same JSON line (steps_per_s, or samples_per_s
   * with --sample). Each test writes its own, so any one of them runs alone.
   */
  const fakeTorch = () => {
    const file = fs.mkdtempSync(path.join(tmp, 'torch-')) + '/fake_torch_spiral.py';
    fs.writeFileSync(
      file,
      'import json, sys\n' +
        'if "--sample" in sys.argv: print(json.dumps({"workload": "spiral-ddpm-sample", "samples_per_s": 56.7}))\n' +
        'else: print(json.dumps({"steps_per_s": 123.4, "loss": 0.2}))\n',
    );
    return file;
  };
  afterEach(() => {
    for (const k of ['COURSE_QUICK', 'COURSE_TORCH_PYTHON', 'COURSE_TORCH_BENCH']) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
  });

  it('writes {machine, step: {train_steps_per_s, ...}} with peak memory', async () => {
    process.env.COURSE_TORCH_PYTHON = '/nonexistent/python3'; // the PyTorch side is tested below
    const file = path.join(tmp, 'step.json');
    const code = await main(['step', '--quick', '--json', file]);
    expect(code).to.equal(0);
    const j = JSON.parse(fs.readFileSync(file, 'utf8'));
    expect(Object.keys(j)).to.deep.equal(['machine', 'step']);
    expect(j.machine.cores).to.equal(os.cpus().length);
    expect(j.machine.node).to.equal(process.version);
    expect(['wasm', 'cpu', 'tensorflow']).to.include(j.machine.backend);
    expect(j.step.train_steps_per_s).to.be.a('number').greaterThan(0);
    expect(j.step.loss).to.be.a('number').within(0, 5);
    expect(j.step.train_cpu_ms_per_step).to.be.a('number').greaterThan(0);
    // 3 × 2·B·Σ in·out for [34, 128, 128, 128, 2] at B = 256, counted by hand, less the first
    // layer's dx (2·B·34·128) where lib/nn's kernels skip it; gflops follows from it.
    const all = 3 * 2 * 256 * (34 * 128 + 128 * 128 + 128 * 128 + 128 * 2);
    expect(j.step.flops_per_step).to.equal(j.machine.backend === 'tensorflow' ? all : all - 2 * 256 * 34 * 128);
    expect(j.step.gflops).to.be.closeTo((j.step.train_steps_per_s * j.step.flops_per_step) / 1e9, 0.01);
    expect(j.step.threads).to.be.oneOf([1, 2]);
    if (j.machine.backend !== 'tensorflow') {
      // Task time of both threads over twice the wall time: above 0 (the kernels ran), at most 1.
      expect(j.step.compute_share).to.be.greaterThan(0).and.at.most(1);
    }
    expect(j.step.peak_memory.rss_mb).to.be.greaterThan(10);
    expect(j.step.peak_memory.tensor_mb).to.be.greaterThan(0);
    expect(j.step).to.not.have.property('torch_steps_per_s');
  });

  // The side-by-side logic, checked with a stand-in for torch_spiral.py (same output line),
  // so the test does not depend on whether this machine has PyTorch or ../shared.
  it('reports PyTorch side by side from torch_spiral.py, and says why when it cannot run', async () => {
    const fake = fakeTorch();
    const withTorch = path.join(tmp, 'step-torch.json');
    const without = path.join(tmp, 'step-no-torch.json');
    const saved = process.env.COURSE_TORCH_BENCH;
    try {
      process.env.COURSE_TORCH_BENCH = fake;
      expect(await main(['step', '--quick', '--json', withTorch])).to.equal(0);
      process.env.COURSE_TORCH_BENCH = path.join(tmp, 'missing.py');
      expect(await main(['step', '--quick', '--json', without])).to.equal(0);
    } finally {
      if (saved === undefined) delete process.env.COURSE_TORCH_BENCH;
      else process.env.COURSE_TORCH_BENCH = saved;
    }
    const s = JSON.parse(fs.readFileSync(withTorch, 'utf8')).step;
    expect(s.torch_steps_per_s).to.equal(123.4);
    expect(s.ratio_to_torch).to.be.closeTo(s.train_steps_per_s / 123.4, 0.01);
    expect(JSON.parse(fs.readFileSync(without, 'utf8')).step).to.not.have.property('torch_steps_per_s');
  });

  it('spiral: train_steps_per_s is the reference step (as in the contract), the recipe\'s own rate beside it', async () => {
    process.env.COURSE_TORCH_BENCH = fakeTorch();
    process.env.COURSE_TORCH_PYTHON = 'python3';
    const file = path.join(tmp, 'spiral.json');
    expect(await main(['spiral', '--quick', '--json', file])).to.equal(0);
    const s = JSON.parse(fs.readFileSync(file, 'utf8')).spiral;
    expect(s.train_steps_per_s).to.be.a('number').greaterThan(0);
    expect(s.recipe_steps_per_s).to.be.a('number').greaterThan(0);
    expect(s.torch_steps_per_s).to.equal(123.4);
    expect(s.ratio_to_torch).to.be.closeTo(s.train_steps_per_s / 123.4, 0.01);
    expect(s.train_steps).to.equal(300);
    for (const k of ['ddpm', 'ddpm_no_noise', 'ddim']) expect(s).to.have.property(k);
    expect(s.ddpm.precision).to.be.within(0, 1);
  });

  it('sample: samples_per_s beside torch_spiral.py --sample, ratio_to_torch their quotient', async () => {
    process.env.COURSE_TORCH_BENCH = fakeTorch();
    process.env.COURSE_TORCH_PYTHON = 'python3';
    const file = path.join(fs.mkdtempSync(path.join(tmp, 'sample-')), 'sample.json');
    expect(await main(['sample', '--quick', '--json', file])).to.equal(0);
    const s = JSON.parse(fs.readFileSync(file, 'utf8')).sample;
    expect(s.samples).to.equal(200);
    expect(s.reverse_steps).to.equal(1000);
    expect(s.samples_per_s).to.be.a('number').greaterThan(0);
    expect(s.torch_samples_per_s).to.equal(56.7);
    expect(s.ratio_to_torch).to.be.closeTo(s.samples_per_s / 56.7, 0.01);
    // 1,000 steps × 2·(2·128 + 128·128 + 128·128 + 128·2) FLOPs a point (the time embedding folded into the bias).
    expect(s.gflops).to.be.closeTo((s.samples_per_s * 1000 * 2 * (2 * 128 + 2 * 128 * 128 + 128 * 2)) / 1e9, 0.01);
    expect(s.peak_gflops).to.be.a('number').greaterThan(0);
    expect(s.peak_share).to.be.closeTo(s.gflops / s.peak_gflops, 0.01);
  });

  it('--contend 1: step reports its rate beside a busy process, on one thread (COURSE_THREADS=1) and against PyTorch, in the same run', async function () {
    this.timeout(240_000); // a child process for the one-thread round
    process.env.COURSE_TORCH_BENCH = fakeTorch();
    process.env.COURSE_TORCH_PYTHON = 'python3';
    const file = path.join(fs.mkdtempSync(path.join(tmp, 'contend-')), 'step.json');
    expect(await main(['step', '--quick', '--contend', '1', '--json', file])).to.equal(0);
    const c = JSON.parse(fs.readFileSync(file, 'utf8')).step.contended;
    expect(c.contend).to.equal(1);
    expect(c.steps_per_s).to.be.a('number').greaterThan(0);
    expect(c.one_thread_steps_per_s).to.be.a('number').greaterThan(0);
    expect(c.ratio_to_one_thread).to.be.closeTo(c.steps_per_s / c.one_thread_steps_per_s, 0.01);
    expect(c.torch_steps_per_s).to.equal(123.4);
    expect(c.ratio_to_torch).to.be.closeTo(c.steps_per_s / 123.4, 0.01);
    expect(c.helper_aside_ms).to.be.a('number').at.least(0);
  });

  it("kernels: the matrix product's GFLOP/s in the plain and FMA builds, and which build lib/nn runs", async () => {
    const file = path.join(fs.mkdtempSync(path.join(tmp, 'kernels-')), 'kernels.json');
    expect(await main(['kernels', '--quick', '--json', file])).to.equal(0);
    const k = JSON.parse(fs.readFileSync(file, 'utf8')).kernels;
    for (const shape of ['sample_32x128x128', 'train_256x128x128']) {
      expect(k.gflops_plain[shape], shape).to.be.a('number').greaterThan(0);
      expect(k.gflops_fma[shape], shape).to.be.a('number').greaterThan(0);
      expect(k.fma_speedup[shape]).to.be.closeTo(k.gflops_fma[shape] / k.gflops_plain[shape], 0.01);
    }
    expect(k.build_in_use).to.equal('fma');
    expect(k.pool_gflops_sample_2000x128x128).to.be.a('number').greaterThan(0);
    expect(k.pool_threads).to.be.oneOf([1, 2]);
  });

  it('the npm script runs end to end and exits non-zero naming a missing workload', () => {
    const r = spawnSync('npx', ['tsx', 'bench/index.ts', 'nope'], { cwd: ROOT, encoding: 'utf8' });
    expect(r.status).to.equal(2);
    expect(r.stderr).to.match(/workload "nope" not found/);
  });
});
