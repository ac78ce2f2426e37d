// The live figures on a page: each <div class="live-figure" data-kind=… data-weights=…> gets its
// controls wired to the page's one Web Worker (worker.js). A figure sends a request only when
// its previous one is answered, and then only the controls' latest values: moving a slider
// fast computes the value it stops on, not every value on the way. Work that runs longer than
// half a second shows a progress bar. Point clouds are drawn on a canvas (scatter below): Plotly's
// SVG scatter took 150–700 ms to redraw 2,000–4,000 points on the 2-core test machine, a third to
// over half of a redraw's time; the canvas takes a few ms, and the pages no longer download Plotly.

type Msg = { id: number; progress?: number; frame?: { t: number; points: Float32Array }; partial?: any; result?: any; error?: string };

interface Figure {
  el: HTMLElement;
  kind: string;
  params(): Record<string, unknown>;
  /** The values of the request in flight (what its answer was computed for; the controls may have moved since). */
  sent?: Record<string, any>;
  onFrame?(f: { t: number; points: Float32Array }): void;
  /** The plotted data, before the rest of the result (ddim, flow: the points before their O(n²) quality numbers). */
  onPartial?(r: any): void;
  onResult(r: any): void;
}

/** What the page last drew, per figure (the browser test reads it); drawn: its plot shows these points (on screen: the frame after drawing). */
type Shown = { params: unknown; points?: number[]; result?: unknown; frames?: { t: number; points: number[] }[]; drawn?: boolean; timing?: Timing };
/** Where a redraw's time went (ms, performance.now() of the page): request sent, computation started and ended in the worker, answer (or the points) received, plot drawn; the worker's compute and kernel ms. */
type Timing = { sent: number; received?: number; drawn?: number; computeMs?: number; kernelMs?: number; started?: number; ended?: number };
/** The timing of each figure's request in flight. */
const timings = new Map<string, Timing>();
const state: Record<string, Shown> = {};

/** Record what a figure shows; drawn turns true once `drawing` (scatter's promise) resolves. */
function record(el: HTMLElement, s: Shown, drawing?: Promise<void>): void {
  s.timing = timings.get(el.id);
  s.drawn = drawing === undefined;
  state[el.id] = s;
  if (drawing === undefined && s.timing) s.timing.drawn = performance.now();
  void drawing?.then(() => {
    if (s.timing) s.timing.drawn = performance.now();
    s.drawn = true;
  });
}
(window as unknown as { courseLive: unknown }).courseLive = { state, errors: [] as string[], threads: undefined as { threads: number; helped: number } | undefined };

const worker = new Worker(new URL('live/worker.js', document.baseURI).href);
const pending = new Map<number, Figure>();
let nextId = 0;

function xy(points: ArrayLike<number>): { x: number[]; y: number[] } {
  const x: number[] = [], y: number[] = [];
  for (let i = 0; i < points.length; i += 2) x.push(points[i]), y.push(points[i + 1]);
  return { x, y };
}

/** A point cloud to draw: flat (x, y) pairs; colors: a class per point (0–4), else one colour. */
interface Panel {
  points: ArrayLike<number>;
  title?: string;
  colors?: ArrayLike<number>;
}

/** Five classes' colours (viridis at 0, ¼, ½, ¾, 1, as chapter 5's notebook figures). */
const CLASS_COLORS = ['#440154', '#3b528b', '#21918c', '#5ec962', '#fde725'];
const RANGE = 2.5; // each panel shows [−2.5, 2.5]²

/**
 * One or more point clouds side by side, each in the square [−2.5, 2.5]² with ticks at the
 * integers, under a title, on a canvas. Resolves after the next frame (the points are on screen).
 * The div's `data` holds what it shows, one { x, y } per panel (the browser test reads it).
 */
function scatter(div: HTMLElement, title: string, panels: Panel[]): Promise<void> {
  const side = 400, pad = { l: 36, r: 14, t: panels.some((p) => p.title) ? 52 : 34, b: 28 };
  const w = panels.length * (side + pad.l + pad.r), h = side + pad.t + pad.b;
  let cv = div.querySelector('canvas');
  if (!cv) (cv = document.createElement('canvas')), div.replaceChildren(cv);
  const dpr = window.devicePixelRatio || 1;
  cv.width = w * dpr;
  cv.height = h * dpr;
  cv.style.width = `${w}px`;
  cv.style.height = `${h}px`;
  const ctx = cv.getContext('2d')!;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, w, h);
  ctx.fillStyle = '#222';
  ctx.font = '14px sans-serif';
  ctx.textAlign = 'center';
  ctx.fillText(title, w / 2, 20);
  (div as unknown as { data: { x: number[]; y: number[] }[] }).data = panels.map((p) => xy(p.points));
  panels.forEach((p, k) => {
    const x0 = k * (side + pad.l + pad.r) + pad.l, y0 = pad.t;
    const sx = (x: number) => x0 + ((x + RANGE) / (2 * RANGE)) * side, sy = (y: number) => y0 + ((RANGE - y) / (2 * RANGE)) * side;
    ctx.strokeStyle = '#eee';
    ctx.fillStyle = '#555';
    ctx.font = '11px sans-serif';
    for (let v = -2; v <= 2; v++) {
      ctx.beginPath();
      ctx.moveTo(sx(v), y0), ctx.lineTo(sx(v), y0 + side);
      ctx.moveTo(x0, sy(v)), ctx.lineTo(x0 + side, sy(v));
      ctx.stroke();
      ctx.textAlign = 'center';
      ctx.fillText(String(v), sx(v), y0 + side + 16);
      ctx.textAlign = 'right';
      ctx.fillText(String(v), x0 - 6, sy(v) + 4);
    }
    ctx.strokeStyle = '#999';
    ctx.strokeRect(x0, y0, side, side);
    if (p.title) {
      ctx.fillStyle = '#222';
      ctx.font = '13px sans-serif';
      ctx.textAlign = 'center';
      ctx.fillText(p.title, x0 + side / 2, y0 - 8);
    }
    ctx.save();
    ctx.beginPath();
    ctx.rect(x0, y0, side, side);
    ctx.clip();
    ctx.globalAlpha = 0.6;
    ctx.fillStyle = '#1f77b4';
    for (let i = 0; i < p.points.length; i += 2) {
      if (p.colors) ctx.fillStyle = CLASS_COLORS[p.colors[i / 2]] ?? '#888';
      ctx.fillRect(sx(p.points[i]) - 1.5, sy(p.points[i + 1]) - 1.5, 3, 3);
    }
    ctx.restore();
  });
  return new Promise((resolve) => requestAnimationFrame(() => resolve()));
}

/**
 * Wire one figure: latest-value-only requests, progress after 0.5 s. A figure is free for its next
 * request once its plotted data is in (the points; ddim and flow send their O(n²) quality numbers
 * after them): the worker drops the numbers of a request a newer one has replaced, so moving a
 * control never waits for numbers nobody will see.
 */
function runner(fig: Figure) {
  const bar = fig.el.querySelector<HTMLElement>('.live-progress')!;
  const status = fig.el.querySelector<HTMLElement>('.live-status')!;
  let busy = false;
  let dirty = false;
  let showBar: number | undefined;
  /** The figure's newest request: only its answers are shown. */
  let latest = -1;
  const send = () => {
    if (busy) {
      dirty = true; // computed when the current request's data is in, with the values then
      return;
    }
    busy = true;
    dirty = false;
    const id = nextId++;
    latest = id;
    pending.set(id, fig);
    const params = fig.params();
    fig.sent = params;
    timings.set(fig.el.id, { sent: performance.now() });
    status.textContent = 'computing…';
    showBar = window.setTimeout(() => (bar.style.display = 'block'), 500);
    const url = (f?: string) => (f ? new URL(f, document.baseURI).href : undefined);
    worker.postMessage({ id, fig: fig.el.id, kind: fig.kind, weights: { eps: url(fig.el.dataset.eps), flow: url(fig.el.dataset.flow), guidance: url(fig.el.dataset.guidance), clip: url(fig.el.dataset.clip), digits: url(fig.el.dataset.digits), unclip: url(fig.el.dataset.unclip) }, params });
  };
  /** The request's data is in (or it ended): free for the next one. */
  const release = () => {
    if (!busy) return;
    window.clearTimeout(showBar);
    bar.style.display = 'none';
    busy = false;
    if (dirty) send();
  };
  return { send, release, bar, status, isLatest: (id: number) => id === latest };
}

const runners = new Map<Figure, ReturnType<typeof runner>>();

worker.onmessage = (e: MessageEvent<Msg & { superseded?: boolean }>) => {
  const m = e.data, fig = pending.get(m.id);
  if (!fig) return;
  const r = runners.get(fig)!;
  const final = m.error !== undefined || m.result !== undefined || m.superseded === true;
  if (final) pending.delete(m.id);
  if (!r.isLatest(m.id)) return; // a newer request replaced it: nothing of it is shown
  if (m.progress !== undefined) (r.bar.firstElementChild as HTMLElement).style.width = `${(100 * m.progress).toFixed(1)}%`;
  if (m.frame) fig.onFrame?.(m.frame);
  const timing = timings.get(fig.el.id);
  if (timing && (m.partial || m.result) && timing.received === undefined) {
    const d = m.partial ?? m.result;
    // started, ended: when the worker's computation ran, on this page's clock.
    const [started, ended] = d.span ? d.span.map((t: number) => t - performance.timeOrigin) : [undefined, undefined];
    Object.assign(timing, { received: performance.now(), computeMs: d.ms, kernelMs: d.kernelMs, started, ended });
  }
  if (m.partial) {
    fig.onPartial?.(m.partial);
    r.release();
  }
  if (m.error !== undefined) {
    r.status.textContent = 'error: ' + m.error.split('\n')[0];
    (window as any).courseLive.errors.push(m.error);
    console.error(m.error);
  } else if (m.result !== undefined) {
    const live = (window as any).courseLive;
    live.threads = { threads: m.result.threads, helped: m.result.helped };
    const t = document.querySelector('.live-threads');
    if (t) t.textContent = m.result.threads === 2 ? ' Here it runs on two threads (this page is cross-origin isolated, so a helper Web Worker shares the work).' : ' Here it runs on one thread (a page served without COOP/COEP headers cannot share memory between threads).';
    fig.onResult(m.result);
  }
  if (final) r.release();
};
worker.onerror = (e) => {
  console.error('live worker: ' + e.message);
};

const num = (el: HTMLElement, name: string) => Number(el.querySelector<HTMLInputElement>(`[name=${name}]`)!.value);
const checked = (el: HTMLElement, name: string) => el.querySelector<HTMLInputElement>(`[name=${name}]`)!.checked;
const fmt = (v: number) => (Math.abs(v) < 1e-3 ? v.toExponential(2) : v.toFixed(3));

function ddim(el: HTMLElement): Figure {
  const plot = el.querySelector<HTMLElement>('.live-plot')!;
  const n = Number(el.dataset.n ?? 2000), seed = Number(el.dataset.seed ?? 0);
  const fig: Figure = {
    el,
    kind: 'ddim',
    params: () => ({ steps: num(el, 'steps'), eta: num(el, 'eta'), n, seed }),
    onPartial(r) {
      const p = fig.sent!;
      el.querySelector('.v-steps')!.textContent = String(p.steps);
      el.querySelector('.v-eta')!.textContent = String(p.eta);
      el.querySelector('.live-status')!.textContent = `${r.ms.toFixed(0)} ms in the browser · quality numbers…`;
      record(el, { params: p, points: Array.from(r.points as Float32Array) }, scatter(plot, `DDIM, ${p.steps} steps, η = ${p.eta}`, [{ points: r.points }]));
    },
    onResult(r) {
      el.querySelector('.live-status')!.textContent =
        `energy distance ${fmt(r.energy)} · precision ${fmt(r.precision)} · recall ${fmt(r.recall)} · ${r.ms.toFixed(0)} ms in the browser`;
      state[el.id].result = { energy: r.energy, precision: r.precision, recall: r.recall };
    },
  };
  return fig;
}

function ddpm(el: HTMLElement): Figure {
  const plot = el.querySelector<HTMLElement>('.live-plot')!;
  const slider = el.querySelector<HTMLInputElement>('[name=frame]')!;
  const n = Number(el.dataset.n ?? 500), seed = Number(el.dataset.seed ?? 0), every = Number(el.dataset.every ?? 50);
  let frames: { t: number; points: number[] }[] = [];
  let following = true; // the slider follows the newest frame until the reader moves it
  const draw = () => {
    const f = frames[Math.min(Number(slider.value), frames.length - 1)];
    if (!f) return;
    el.querySelector('.v-frame')!.textContent = f.t === -1 ? '0 (x₀)' : String(f.t);
    void scatter(plot, `DDPM ${checked(el, 'noise') ? 'with' : 'without'} the noise term: x at t = ${f.t === -1 ? 0 : f.t}`, [{ points: f.points }]);
  };
  slider.addEventListener('input', () => {
    following = Number(slider.value) >= frames.length - 1;
    draw();
  });
  const fig: Figure = {
    el,
    kind: 'ddpm',
    params: () => {
      frames = [];
      following = true;
      return { noise: checked(el, 'noise'), n, seed, every };
    },
    onFrame(f) {
      frames.push({ t: f.t, points: Array.from(f.points) });
      slider.max = String(frames.length - 1);
      if (following) (slider.value = String(frames.length - 1)), draw();
      state[el.id] = { params: { noise: checked(el, 'noise'), n, seed, every }, frames };
    },
    onResult(r) {
      el.querySelector('.live-status')!.textContent = `${frames.length} frames, ${r.ms.toFixed(0)} ms in the browser`;
      state[el.id] = { params: { noise: checked(el, 'noise'), n, seed, every }, frames, result: { done: true } };
    },
  };
  return fig;
}

function walk(el: HTMLElement): Figure {
  const plot = el.querySelector<HTMLElement>('.live-plot')!;
  const n = Number(el.dataset.n ?? 2000), seed = Number(el.dataset.seed ?? 0);
  const fig: Figure = {
    el,
    kind: 'walk',
    params: () => ({ t: num(el, 't'), n, seed }),
    onResult(r) {
      const p = fig.sent!;
      el.querySelector('.v-t')!.textContent = String(p.t);
      el.querySelector('.live-status')!.textContent = `${r.ms.toFixed(0)} ms in the browser`;
      record(
        el,
        { params: p, points: Array.from(r.walk as Float32Array), result: { jump: Array.from(r.jump as Float32Array) } },
        scatter(plot, `The spiral at t = ${p.t}`, [
          { points: r.walk, title: `random walk, ${Number(p.t) + 1} small steps` },
          { points: r.jump, title: 'closed form, one jump' },
        ]),
      );
    },
  };
  return fig;
}

function flow(el: HTMLElement): Figure {
  const plot = el.querySelector<HTMLElement>('.live-plot')!;
  const n = Number(el.dataset.n ?? 2000), seed = Number(el.dataset.seed ?? 0);
  const fig: Figure = {
    el,
    kind: 'flow',
    params: () => ({ steps: num(el, 'steps'), n, seed }),
    onPartial(r) {
      const p = fig.sent!;
      el.querySelector('.v-steps')!.textContent = String(p.steps);
      el.querySelector('.live-status')!.textContent = `${r.ms.toFixed(0)} ms in the browser · energy distances…`;
      record(
        el,
        { params: p, points: Array.from(r.flow as Float32Array), result: { ddim: Array.from(r.ddim as Float32Array) } },
        scatter(plot, `${p.steps} steps from the same noise`, [
          { points: r.flow, title: 'flow matching (Euler)' },
          { points: r.ddim, title: 'DDIM (η = 0)' },
        ]),
      );
    },
    onResult(r) {
      el.querySelector('.live-status')!.textContent = `energy distance: flow ${fmt(r.flowEnergy)} · DDIM ${fmt(r.ddimEnergy)} · ${r.ms.toFixed(0)} ms in the browser`;
      Object.assign(state[el.id].result as object, { flowEnergy: r.flowEnergy, ddimEnergy: r.ddimEnergy });
    },
  };
  return fig;
}

function guidance(el: HTMLElement): Figure {
  const plot = el.querySelector<HTMLElement>('.live-plot')!;
  const n = Number(el.dataset.n ?? 1000), seed = Number(el.dataset.seed ?? 0), steps = Number(el.dataset.steps ?? 25);
  const fig: Figure = {
    el,
    kind: 'guidance',
    params: () => ({ cls: num(el, 'cls'), w: num(el, 'w'), negative: checked(el, 'negative'), n, seed, steps }),
    onResult(r) {
      const p = fig.sent! as { cls: number; w: number; negative: boolean };
      el.querySelector('.v-cls')!.textContent = String(p.cls);
      el.querySelector('.v-w')!.textContent = String(p.w);
      const what = p.negative ? `anything but class ${p.cls}` : `class ${p.cls}`;
      el.querySelector('.live-status')!.textContent = `share of samples nearest to class ${p.cls}: ${fmt(r.share)} · ${r.ms.toFixed(0)} ms in the browser`;
      record(
        el,
        { params: fig.sent!, points: Array.from(r.points as Float32Array), result: { share: r.share, labels: Array.from(r.labels as Int32Array) } },
        scatter(plot, `${what}, w = ${p.w} (colour: nearest class)`, [{ points: r.points, colors: r.labels }]),
      );
    },
  };
  return fig;
}

/** Draw size×size digits (values in [0, 1], ink high) in a row of canvases, each with its caption under it. */
function digitRow(div: HTMLElement, images: Float32Array[], captions: string[], size = 28): void {
  div.innerHTML = '';
  images.forEach((img, i) => {
    const cell = document.createElement('div');
    cell.className = 'live-digit';
    const cv = document.createElement('canvas');
    cv.width = cv.height = size;
    const ctx = cv.getContext('2d')!;
    const im = ctx.createImageData(size, size);
    for (let p = 0; p < size * size; p++) {
      const v = 255 - Math.round(255 * img[p]);
      im.data.set([v, v, v, 255], 4 * p);
    }
    ctx.putImageData(im, 0, 0);
    const cap = document.createElement('div');
    cap.textContent = captions[i];
    cell.append(cv, cap);
    div.append(cell);
  });
}

function clip(el: HTMLElement): Figure {
  const row = el.querySelector<HTMLElement>('.live-plot')!;
  const k = Number(el.dataset.k ?? 8);
  let digits: Float32Array | undefined;
  const fig: Figure = {
    el,
    kind: 'clip',
    params: () => ({ query: el.querySelector<HTMLInputElement>('[name=query]')!.value, k }),
    async onResult(r) {
      const p = fig.sent!;
      if (r.unknown.length) {
        el.querySelector('.live-status')!.textContent = r.unknown[0]
          ? `CLIP does not know ${r.unknown.map((w: string) => `"${w}"`).join(', ')}. Its words: ${r.vocab.join(' ')}`
          : 'type a caption, e.g. "a thick seven"';
        state[el.id] = { params: p, result: { unknown: r.unknown } };
        return;
      }
      digits ??= new Float32Array(await (await fetch(new URL(el.dataset.digits! + '.bin', document.baseURI).href)).arrayBuffer());
      const hits = r.hits as { index: number; score: number; label: number }[];
      digitRow(row, hits.map((h) => digits!.subarray(h.index * 784, (h.index + 1) * 784)), hits.map((h) => h.score.toFixed(3)));
      el.querySelector('.live-status')!.textContent = `top ${hits.length} of the held-out digits by cosine similarity (under each) · labels ${hits.map((h) => h.label).join(' ')} · ${r.ms.toFixed(0)} ms in the browser`;
      state[el.id] = { params: p, result: { hits } };
    },
  };
  return fig;
}

function unclip(el: HTMLElement): Figure {
  const row = el.querySelector<HTMLElement>('.live-plot')!;
  const n = Number(el.dataset.n ?? 16), seed = Number(el.dataset.seed ?? 1), steps = Number(el.dataset.steps ?? 40);
  const text = (name: string) => el.querySelector<HTMLInputElement>(`[name=${name}]`)!.value;
  const fig: Figure = {
    el,
    kind: 'unclip',
    params: () => ({ prompt: text('prompt'), negative: text('negative'), w: num(el, 'w'), n, seed, steps }),
    onResult(r) {
      const p = fig.sent! as { w: number };
      el.querySelector('.v-w')!.textContent = String(p.w);
      const status = el.querySelector('.live-status')!;
      if (r.unknown.length) {
        status.textContent = r.unknown[0]
          ? `CLIP knows none of ${r.unknown.map((w: string) => `"${w}"`).join(', ')}. Its words: ${r.vocab.join(' ')}`
          : 'type a prompt, e.g. "a thick seven"';
        state[el.id] = { params: fig.sent!, result: { unknown: r.unknown } };
        return;
      }
      const images = r.images as Float32Array, labels = r.labels as Int32Array | null;
      const pics = Array.from({ length: images.length / 196 }, (_, i) => images.subarray(i * 196, (i + 1) * 196));
      digitRow(row, pics, pics.map((_, i) => (labels ? `reads ${labels[i]}` : '')), 14);
      const hit = r.digit !== null && labels ? ` · the classifier reads ${labels.filter((l) => l === r.digit).length} of ${labels.length} as ${r.digit}` : '';
      const ignored = r.ignored.length ? ` · ignored (not in CLIP's words): ${r.ignored.join(' ')}` : '';
      status.textContent = `w = ${p.w}${hit}${ignored} · ${r.ms.toFixed(0)} ms in the browser`;
      state[el.id] = { params: fig.sent!, points: Array.from(images), result: { labels: labels && Array.from(labels), digit: r.digit, ignored: r.ignored } };
    },
  };
  return fig;
}

const makers: Record<string, (el: HTMLElement) => Figure> = { ddim, ddpm, walk, flow, guidance, clip, unclip };

for (const el of Array.from(document.querySelectorAll<HTMLElement>('.live-figure'))) {
  const make = makers[el.dataset.kind!];
  if (!make) throw new Error(`live figure ${el.id}: unknown kind "${el.dataset.kind}"`);
  const fig = make(el);
  const r = runner(fig);
  runners.set(fig, r);
  for (const input of Array.from(el.querySelectorAll<HTMLInputElement>('input[data-recompute]'))) input.addEventListener(input.type === 'checkbox' ? 'change' : 'input', r.send);
  r.send();
}
