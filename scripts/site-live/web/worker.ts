// The live figures' Web Worker: lib runs here, off the page's thread. The page posts
// { id, kind, params }; the worker answers { id, progress } while it works and { id, result }
// (or { id, error }) at the end. The page sends a request only when the previous one is
// answered, and then only the latest control value (page.ts), so nothing queues up here.
import { ready } from 'course/backend';
import { EpsJson, SpiralContext, ddimFigure, ddpmFigure, spiralContext } from '../figures';

type Req = { id: number; kind: 'ddim' | 'ddpm'; weights: string; params: any };

const contexts = new Map<string, Promise<SpiralContext>>();

function context(url: string): Promise<SpiralContext> {
  if (!contexts.has(url)) {
    contexts.set(
      url,
      (async () => {
        await ready();
        const r = await fetch(url);
        if (!r.ok) throw new Error(`could not fetch ${url}: HTTP ${r.status}`);
        return spiralContext((await r.json()) as EpsJson);
      })(),
    );
  }
  return contexts.get(url)!;
}

const post = (m: unknown, transfer: Transferable[] = []) => (self as unknown as Worker).postMessage(m, transfer);

self.onmessage = async (e: MessageEvent<Req>) => {
  const { id, kind, weights, params } = e.data;
  try {
    const c = await context(weights);
    const t0 = performance.now();
    if (kind === 'ddim') {
      const r = ddimFigure(c, params, (done, total) => post({ id, progress: done / total }));
      post({ id, result: { ...r, ms: performance.now() - t0 } });
    } else if (kind === 'ddpm') {
      // Frames go out as they are made: the page plays the chain while it runs.
      ddpmFigure(c, params, (f, done, total) => post({ id, frame: f, progress: done / total }));
      post({ id, result: { ms: performance.now() - t0 } });
    } else {
      throw new Error(`unknown figure kind "${kind}"`);
    }
  } catch (err) {
    post({ id, error: String((err as Error).stack ?? err) });
  }
};
