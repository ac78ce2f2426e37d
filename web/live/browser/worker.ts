// The live figures' Web Worker: lib runs here, off the page's thread. The page posts
// { id, fig, kind, weights: { eps?, flow?, … } (URLs of weights' .json), params }; the worker
// answers { id, progress } or { id, frame } while it works, { id, partial } with the plotted data
// where more follows (ddim and flow: the points, then their O(n²) quality numbers), and
// { id, result } (or { id, error }) at the end, or { id, superseded } if a newer request of the same
// figure came in before the quality numbers were done (they are dropped). The page sends a
// request only when the previous one's plotted data is in, and then only the latest control
// value (page.ts), so nothing queues up here.
import { ready } from 'course/backend';
import { heap } from 'course/nn/wasm/heap';
import type { VelocityNet } from 'course/flow/net';
import { loadVelocityNet } from 'course/flow/net';
import { linearSchedule } from 'course/diffusion/schedule';
import { fetchWeights } from 'course/weights';
import { energyDistance } from 'course/diffusion/metrics';
import type { SavedUnclip } from 'course/unclip/fromSaved';
import { ClipContext, clipContext, clipFigure, EpsJson, FlowJson, GuidanceContext, GuidanceJson, SpiralContext, UnclipContext, ddimPoints, ddimQualityParts, ddpmFigure, flowPoints, guidanceContext, guidanceFigure, spiralContext, unclipContext, unclipFigure, walkFigure } from '../figures';

type Req = { id: number; fig: string; kind: string; weights: { eps?: string; flow?: string; guidance?: string; clip?: string; digits?: string; unclip?: string }; params: any };

const cache = new Map<string, Promise<unknown>>();

/** Fetch a model's weights (<url> and the .bin beside it, lib/weights.ts) and load it, once per URL. */
function load<T>(url: string | undefined, make: (json: any) => T | Promise<T>): Promise<T> {
  if (!url) throw new Error('this figure needs weights the page did not name (data-eps / data-flow)');
  if (!cache.has(url)) {
    cache.set(
      url,
      (async () => {
        await ready();
        return make(await fetchWeights(url));
      })(),
    );
  }
  return cache.get(url) as Promise<T>;
}

const eps = (r: Req) => load<SpiralContext>(r.weights.eps, (j) => spiralContext(j as EpsJson));
const flow = (r: Req) => load<VelocityNet>(r.weights.flow, (j) => loadVelocityNet(j as FlowJson));
const guidance = (r: Req) => load<GuidanceContext>(r.weights.guidance, (j) => guidanceContext(j as GuidanceJson));
/** CLIP's JSON and the digits (raw float32 pixels, then labels in a JSON beside them). */
const clipCtx = (r: Req) =>
  load<ClipContext>(r.weights.clip, async (saved) => {
    const base = r.weights.digits!;
    const [pix, meta] = await Promise.all([fetch(base + '.bin'), fetch(base + '.json')]);
    if (!pix.ok || !meta.ok) throw new Error(`could not fetch the digits ${base}.bin / .json`);
    const { labels } = (await meta.json()) as { labels: number[] };
    return clipContext(saved, new Float32Array(await pix.arrayBuffer()), Int32Array.from(labels));
  });
const unclip = (r: Req) => load<UnclipContext>(r.weights.unclip, (j) => unclipContext(j as SavedUnclip));
/**
 * lib's kernels ready, their pool made: on a cross-origin-isolated page that starts the helper Web
 * Worker, which runs only once this worker yields, so it is started here, before any request.
 */
const warm = ready().then(() => heap().pool);
/** How lib ran: threads (1, or 2 with the helper) and the tasks the helper has taken so far. */
const threads = () => ({ threads: heap().pool.size, helped: heap().helped });
/** Milliseconds this thread has spent in lib's kernels so far (a redraw's share of its time). */
const kernelMs = () => heap().pool.busy.main;
/** When a computation started and ended, on the clock pages share (timeOrigin + now): the page works out the time in between. */
const span = (t0: number) => [performance.timeOrigin + t0, performance.timeOrigin + performance.now()];
const post = (m: unknown) => (self as unknown as Worker).postMessage(m);
/** A progress callback that posts at most every 50 ms (and at the end): each post costs the page's thread a style update. */
const progress = (id: number) => {
  let last = 0;
  return (done: number, total: number) => {
    const now = performance.now();
    if (done < total && now - last < 50) return;
    last = now;
    post({ id, progress: done / total });
  };
};

/** Each figure's newest request: the worker drops the quality numbers of one a newer request has replaced. */
const latest = new Map<string, number>();
/**
 * Let messages that came in meanwhile be handled (a newer request starts here), after `ms`; false if
 * this request was replaced. Before the first O(n²) pass it waits QUALITY_AFTER_MS: a reader
 * dragging a slider sends the next value within that, and its computation then starts at once
 * instead of after a pass of numbers nobody would see.
 */
const stillLatest = async (r: Req, ms = 0) => {
  await new Promise((resolve) => setTimeout(resolve, ms));
  return latest.get(r.fig) === r.id;
};
const QUALITY_AFTER_MS = 150;

self.onmessage = async (e: MessageEvent<Req>) => {
  const r = e.data, { id, kind, params } = r;
  latest.set(r.fig, id);
  try {
    await warm;
    let result: object;
    if (kind === 'ddim') {
      const c = await eps(r);
      const t0 = performance.now();
      // The points go out as soon as they are made (the page draws them); the quality numbers, O(n²), follow.
      const k0 = kernelMs();
      const points = ddimPoints(c, params, progress(id));
      const ms = performance.now() - t0;
      post({ id, partial: { points, ms, kernelMs: kernelMs() - k0, span: span(t0) } });
      const parts = ddimQualityParts(c, points);
      if (!(await stillLatest(r, QUALITY_AFTER_MS))) return post({ id, superseded: true });
      let q = parts.next();
      while (!q.done) {
        if (!(await stillLatest(r))) return post({ id, superseded: true });
        q = parts.next();
      }
      result = { points, ...q.value, ms };
    } else if (kind === 'ddpm') {
      const c = await eps(r);
      const t0 = performance.now();
      // Frames go out as they are made: the page plays the chain while it runs.
      ddpmFigure(c, params, (f, done, total) => post({ id, frame: f, progress: done / total }));
      result = { ms: performance.now() - t0 };
    } else if (kind === 'walk') {
      const t0 = performance.now();
      result = { ...walkFigure(linearSchedule(1000, 1e-4, 0.02), params), ms: performance.now() - t0 };
    } else if (kind === 'flow') {
      const [c, v] = await Promise.all([eps(r), flow(r)]);
      const t0 = performance.now();
      const k0 = kernelMs();
      const pts = flowPoints(c, v, params, progress(id));
      const ms = performance.now() - t0;
      post({ id, partial: { ...pts, ms, kernelMs: kernelMs() - k0, span: span(t0) } });
      // The two energy distances (as flowQuality), each after a look for a newer request.
      if (!(await stillLatest(r, QUALITY_AFTER_MS))) return post({ id, superseded: true });
      const flowEnergy = energyDistance(pts.flow, c.test, 2);
      if (!(await stillLatest(r))) return post({ id, superseded: true });
      result = { ...pts, flowEnergy, ddimEnergy: energyDistance(pts.ddim, c.test, 2), ms };
    } else if (kind === 'clip') {
      const c = await clipCtx(r);
      const t0 = performance.now();
      result = { ...clipFigure(c, params), ms: performance.now() - t0 };
    } else if (kind === 'unclip') {
      const u = await unclip(r);
      const t0 = performance.now();
      result = { ...unclipFigure(u, params, progress(id)), ms: performance.now() - t0 };
    } else if (kind === 'guidance') {
      const g = await guidance(r);
      const t0 = performance.now();
      result = { ...guidanceFigure(g, params, progress(id)), ms: performance.now() - t0 };
    } else {
      throw new Error(`unknown figure kind "${kind}"`);
    }
    post({ id, result: { ...result, ...threads() } });
  } catch (err) {
    post({ id, error: String((err as Error).stack ?? err) });
  }
};
