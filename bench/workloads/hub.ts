// `npm run bench -- hub --learners N`: N learners on a real JupyterHub on this node at once
// (scripts/hub-class.ts: Debian's jupyterhub, one unix user each; needs root, as test/hub does).
// Each learner's server is spawned through the hub's REST API, runs chapter 0 (full mode unless
// --quick) and check('basics/alphaBar') over the kernel websocket. Half of the learners solved
// alphaBar in their workspace before the start: each check must grade that learner's own file
// (full marks for a solver, 0 for the stub), or the learner counts as a failure.
// Reports per learner seconds (spawn to the last cell), spawn seconds, peak RSS; for the node the
// sum of the learners' RSS at its peak and the load average; scripts/hub-sizing.js reads it.
import * as os from 'os';
import type { BenchContext } from '../context';
import { HubClass, HubResult, alphaBarScore, solveAlphaBar } from '../../scripts/hub-class';

const CHAPTER = '00-typescript-tensors-and-points.ipynb';
const r1 = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

export async function run(ctx: BenchContext): Promise<Record<string, unknown>> {
  const n = ctx.learners ?? 2;
  const solved = (i: number) => i % 2 === 1;
  const load0 = os.loadavg();
  const hub = await HubClass.start({ learners: n, quick: ctx.quick, prepare: (l, i) => solved(i) && solveAlphaBar(l) });
  let results: HubResult[] = [];
  let loadMax = load0[0];
  const loadTimer = setInterval(() => (loadMax = Math.max(loadMax, os.loadavg()[0])), 1000);
  const bar = ctx.progress(n, { phase: `${n} learners`, unit: 'learners' });
  let done = 0;
  try {
    hub.startSampling();
    const t0 = performance.now();
    results = await Promise.all(
      hub.learners.map((l) =>
        hub.run(l, { notebook: CHAPTER, cells: ["import { check } from 'course/check';\nawait check('basics/alphaBar');"], timeout: ctx.quick ? 600 : 1200 }).then(async (r) => {
          await bar.update(++done);
          return r;
        }),
      ),
    );
    const wall = (performance.now() - t0) / 1000;
    hub.stopSampling();
    clearInterval(loadTimer);
    bar.done();
    const per = results.map((r, i) => {
      const l = hub.learners[i];
      const score = r.ok ? alphaBarScore(r, 'extra0') : null;
      let failure: string | undefined;
      if (!r.ok) failure = typeof r.failure === 'string' ? r.failure.slice(0, 300) : JSON.stringify(r.failure).slice(0, 300);
      else if (!score) failure = 'check printed no score';
      else if (solved(i) ? score[0] !== score[1] || score[1] === 0 : score[0] !== 0) failure = `check graded ${score[0]}/${score[1]}, not this learner's ${solved(i) ? 'solved' : 'stub'} alphaBar`;
      return { user: l.name, solved: solved(i), seconds: r1(r.seconds), spawn_seconds: r1(r.spawn_seconds), peak_rss_mb: r1(l.peak.total), kernel_rss_mb: r1(l.peak.kernel), server_rss_mb: r1(l.peak.server), ...(failure ? { failure } : {}) };
    });
    const secs = per.map((p) => p.seconds).filter(Number.isFinite);
    const failures = per.filter((p) => p.failure).length;
    for (const p of per) if (p.failure) ctx.log(`${p.user}: ${p.failure}`);
    return {
      learners: n,
      notebook: CHAPTER,
      mode: ctx.quick ? 'quick' : 'full',
      failures,
      seconds: { median: r1(median(secs)), max: r1(Math.max(...secs)), wall: r1(wall) },
      within_5_minutes: per.filter((p) => p.seconds <= 300 && !p.failure).length,
      spawn_seconds: { median: r1(median(per.map((p) => p.spawn_seconds))), max: r1(Math.max(...per.map((p) => p.spawn_seconds))) },
      peak_rss_mb: { per_learner_median: r1(median(per.map((p) => p.peak_rss_mb))), per_learner_max: r1(Math.max(...per.map((p) => p.peak_rss_mb))), server_max: r1(Math.max(...per.map((p) => p.server_rss_mb))), node_total: r1(hub.nodePeakMib) },
      load: { before: r1(load0[0], 2), max_1min: r1(loadMax, 2), after: r1(os.loadavg()[0], 2) },
      node: { cores: os.cpus().length, memory_gib: r1(os.totalmem() / 2 ** 30) },
      per_learner: per,
    };
  } finally {
    clearInterval(loadTimer);
    hub.stop();
  }
}
