// The live figures' Web Worker: lib runs here, off the page's thread. The page posts
// { id, kind, weights: { eps?, flow? } (URLs), params }; the worker answers { id, progress } or
// { id, frame } while it works and { id, result } (or { id, error }) at the end. The page sends a
// request only when the previous one is answered, and then only the latest control value
// (page.ts), so nothing queues up here.
import { ready } from 'course/backend';
import type { VelocityNet } from 'course/flow/net';
import { loadVelocityNet } from 'course/flow/net';
import { linearSchedule } from 'course/diffusion/schedule';
import { ClipContext, clipContext, clipFigure, EpsJson, FlowJson, GuidanceContext, GuidanceJson, SpiralContext, ddimFigure, ddpmFigure, flowFigure, guidanceContext, guidanceFigure, spiralContext, walkFigure } from '../figures';

type Req = { id: number; kind: string; weights: { eps?: string; flow?: string; guidance?: string; clip?: string; digits?: string }; params: any };

const cache = new Map<string, Promise<unknown>>();

/** Fetch and load a model once per URL. */
function load<T>(url: string | undefined, make: (json: any) => T | Promise<T>): Promise<T> {
  if (!url) throw new Error('this figure needs weights the page did not name (data-eps / data-flow)');
  if (!cache.has(url)) {
    cache.set(
      url,
      (async () => {
        await ready();
        const r = await fetch(url);
        if (!r.ok) throw new Error(`could not fetch ${url}: HTTP ${r.status}`);
        return make(await r.json());
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
const post = (m: unknown) => (self as unknown as Worker).postMessage(m);

self.onmessage = async (e: MessageEvent<Req>) => {
  const r = e.data, { id, kind, params } = r;
  try {
    await ready();
    let result: object;
    if (kind === 'ddim') {
      const c = await eps(r);
      const t0 = performance.now();
      result = { ...ddimFigure(c, params, (done, total) => post({ id, progress: done / total })), ms: performance.now() - t0 };
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
      result = { ...flowFigure(c, v, params, (done, total) => post({ id, progress: done / total })), ms: performance.now() - t0 };
    } else if (kind === 'clip') {
      const c = await clipCtx(r);
      const t0 = performance.now();
      result = { ...clipFigure(c, params), ms: performance.now() - t0 };
    } else if (kind === 'guidance') {
      const g = await guidance(r);
      const t0 = performance.now();
      result = { ...guidanceFigure(g, params, (done, total) => post({ id, progress: done / total })), ms: performance.now() - t0 };
    } else {
      throw new Error(`unknown figure kind "${kind}"`);
    }
    post({ id, result });
  } catch (err) {
    post({ id, error: String((err as Error).stack ?? err) });
  }
};
