// The live figures on a page: each <div class="live-figure" data-kind=… data-weights=…> gets its
// controls wired to the page's one Web Worker (worker.js). A figure sends a request only when
// its previous one is answered, and then only the controls' latest values: moving a slider
// fast computes the value it stops on, not every value on the way. Work that runs longer than
// half a second shows a progress bar. Plotly (a global, from plotly.js-cartesian-dist-min) draws.
declare const Plotly: {
  react(div: HTMLElement, data: object[], layout: object, config?: object): Promise<void>;
};

type Msg = { id: number; progress?: number; frame?: { t: number; points: Float32Array }; result?: any; error?: string };

interface Figure {
  el: HTMLElement;
  kind: string;
  params(): Record<string, unknown>;
  onFrame?(f: { t: number; points: Float32Array }): void;
  onResult(r: any): void;
}

/** What the page last drew, per figure (the browser test reads it). */
const state: Record<string, { params: unknown; points?: number[]; result?: unknown; frames?: { t: number; points: number[] }[] }> = {};
(window as unknown as { courseLive: unknown }).courseLive = { state, errors: [] as string[] };

const worker = new Worker(new URL('live/worker.js', document.baseURI).href);
const pending = new Map<number, Figure>();
let nextId = 0;

function xy(points: ArrayLike<number>): { x: number[]; y: number[] } {
  const x: number[] = [], y: number[] = [];
  for (let i = 0; i < points.length; i += 2) x.push(points[i]), y.push(points[i + 1]);
  return { x, y };
}

/** One or two point clouds side by side (two: subplots with their own titles). */
function scatter(div: HTMLElement, points: ArrayLike<number>, title: string, second?: { points: ArrayLike<number>; title: string; firstTitle: string }): Promise<void> {
  const marker = { size: 3, opacity: 0.6 };
  const range = [-2.5, 2.5];
  if (!second) {
    return Plotly.react(
      div,
      [{ ...xy(points), type: 'scatter', mode: 'markers', marker }],
      { title: { text: title, font: { size: 14 } }, width: 460, height: 460, margin: { l: 40, r: 10, t: 40, b: 30 }, xaxis: { range }, yaxis: { range, scaleanchor: 'x' } },
      { displayModeBar: false },
    );
  }
  return Plotly.react(
    div,
    [
      { ...xy(points), type: 'scatter', mode: 'markers', marker, name: second.firstTitle },
      { ...xy(second.points), type: 'scatter', mode: 'markers', marker, name: second.title, xaxis: 'x2', yaxis: 'y2' },
    ],
    {
      title: { text: title, font: { size: 14 } },
      width: 820,
      height: 430,
      showlegend: false,
      margin: { l: 40, r: 10, t: 60, b: 30 },
      xaxis: { range, domain: [0, 0.48] },
      yaxis: { range, scaleanchor: 'x' },
      xaxis2: { range, domain: [0.52, 1] },
      yaxis2: { range, scaleanchor: 'x2' },
      annotations: [
        { text: second.firstTitle, x: 0.24, y: 1.04, xref: 'paper', yref: 'paper', showarrow: false },
        { text: second.title, x: 0.76, y: 1.04, xref: 'paper', yref: 'paper', showarrow: false },
      ],
    },
    { displayModeBar: false },
  );
}

/** Wire one figure: latest-value-only requests, progress after 0.5 s. */
function runner(fig: Figure) {
  const bar = fig.el.querySelector<HTMLElement>('.live-progress')!;
  const status = fig.el.querySelector<HTMLElement>('.live-status')!;
  let busy = false;
  let dirty = false;
  let showBar: number | undefined;
  const send = () => {
    if (busy) {
      dirty = true; // computed when the current request is answered, with the values then
      return;
    }
    busy = true;
    dirty = false;
    const id = nextId++;
    pending.set(id, fig);
    const params = fig.params();
    status.textContent = 'computing…';
    showBar = window.setTimeout(() => (bar.style.display = 'block'), 500);
    const url = (f?: string) => (f ? new URL(f, document.baseURI).href : undefined);
    worker.postMessage({ id, kind: fig.kind, weights: { eps: url(fig.el.dataset.eps), flow: url(fig.el.dataset.flow), guidance: url(fig.el.dataset.guidance), clip: url(fig.el.dataset.clip), digits: url(fig.el.dataset.digits) }, params });
  };
  const finish = () => {
    window.clearTimeout(showBar);
    bar.style.display = 'none';
    busy = false;
    if (dirty) send();
  };
  return { send, finish, bar, status };
}

const runners = new Map<Figure, ReturnType<typeof runner>>();

worker.onmessage = (e: MessageEvent<Msg>) => {
  const m = e.data, fig = pending.get(m.id);
  if (!fig) return;
  const r = runners.get(fig)!;
  if (m.progress !== undefined) (r.bar.firstElementChild as HTMLElement).style.width = `${(100 * m.progress).toFixed(1)}%`;
  if (m.frame) fig.onFrame?.(m.frame);
  if (m.error !== undefined) {
    pending.delete(m.id);
    r.status.textContent = 'error: ' + m.error.split('\n')[0];
    (window as any).courseLive.errors.push(m.error);
    console.error(m.error);
    r.finish();
  } else if (m.result !== undefined) {
    pending.delete(m.id);
    fig.onResult(m.result);
    r.finish();
  }
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
    onResult(r) {
      const p = fig.params();
      el.querySelector('.v-steps')!.textContent = String(p.steps);
      el.querySelector('.v-eta')!.textContent = String(p.eta);
      el.querySelector('.live-status')!.textContent =
        `energy distance ${fmt(r.energy)} · precision ${fmt(r.precision)} · recall ${fmt(r.recall)} · ${r.ms.toFixed(0)} ms in the browser`;
      state[el.id] = { params: p, points: Array.from(r.points as Float32Array), result: { energy: r.energy, precision: r.precision, recall: r.recall } };
      void scatter(plot, r.points, `DDIM, ${p.steps} steps, η = ${p.eta}`);
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
    void scatter(plot, f.points, `DDPM ${checked(el, 'noise') ? 'with' : 'without'} the noise term: x at t = ${f.t === -1 ? 0 : f.t}`);
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
      const p = fig.params();
      el.querySelector('.v-t')!.textContent = String(p.t);
      el.querySelector('.live-status')!.textContent = `${r.ms.toFixed(0)} ms in the browser`;
      state[el.id] = { params: p, points: Array.from(r.walk as Float32Array), result: { jump: Array.from(r.jump as Float32Array) } };
      void scatter(plot, r.walk, `The spiral at t = ${p.t}`, { points: r.jump, firstTitle: `random walk, ${Number(p.t) + 1} small steps`, title: 'closed form, one jump' });
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
    onResult(r) {
      const p = fig.params();
      el.querySelector('.v-steps')!.textContent = String(p.steps);
      el.querySelector('.live-status')!.textContent = `energy distance: flow ${fmt(r.flowEnergy)} · DDIM ${fmt(r.ddimEnergy)} · ${r.ms.toFixed(0)} ms in the browser`;
      state[el.id] = { params: p, points: Array.from(r.flow as Float32Array), result: { ddim: Array.from(r.ddim as Float32Array), flowEnergy: r.flowEnergy, ddimEnergy: r.ddimEnergy } };
      void scatter(plot, r.flow, `${p.steps} steps from the same noise`, { points: r.ddim, firstTitle: 'flow matching (Euler)', title: 'DDIM (η = 0)' });
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
      const p = fig.params() as { cls: number; w: number; negative: boolean };
      el.querySelector('.v-cls')!.textContent = String(p.cls);
      el.querySelector('.v-w')!.textContent = String(p.w);
      const what = p.negative ? `anything but class ${p.cls}` : `class ${p.cls}`;
      el.querySelector('.live-status')!.textContent = `share of samples nearest to class ${p.cls}: ${fmt(r.share)} · ${r.ms.toFixed(0)} ms in the browser`;
      state[el.id] = { params: fig.params(), points: Array.from(r.points as Float32Array), result: { share: r.share, labels: Array.from(r.labels as Int32Array) } };
      void Plotly.react(
        plot,
        [{ ...xy(r.points), type: 'scatter', mode: 'markers', marker: { size: 3, opacity: 0.7, color: Array.from(r.labels as Int32Array), cmin: 0, cmax: 4, colorscale: 'Viridis' } }],
        { title: { text: `${what}, w = ${p.w} (colour: nearest class)`, font: { size: 14 } }, width: 460, height: 460, margin: { l: 40, r: 10, t: 40, b: 30 }, xaxis: { range: [-2.5, 2.5] }, yaxis: { range: [-2.5, 2.5], scaleanchor: 'x' } },
        { displayModeBar: false },
      );
    },
  };
  return fig;
}

/** Draw 28×28 digits (values in [0, 1]) in a row of canvases, each with its similarity under it. */
function digitRow(div: HTMLElement, images: Float32Array[], captions: string[]): void {
  div.innerHTML = '';
  images.forEach((img, i) => {
    const cell = document.createElement('div');
    cell.className = 'live-digit';
    const cv = document.createElement('canvas');
    cv.width = cv.height = 28;
    const ctx = cv.getContext('2d')!;
    const im = ctx.createImageData(28, 28);
    for (let p = 0; p < 784; p++) {
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
      const p = fig.params();
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

const makers: Record<string, (el: HTMLElement) => Figure> = { ddim, ddpm, walk, flow, guidance, clip };

for (const el of Array.from(document.querySelectorAll<HTMLElement>('.live-figure'))) {
  const make = makers[el.dataset.kind!];
  if (!make) throw new Error(`live figure ${el.id}: unknown kind "${el.dataset.kind}"`);
  const fig = make(el);
  const r = runner(fig);
  runners.set(fig, r);
  for (const input of Array.from(el.querySelectorAll<HTMLInputElement>('input[data-recompute]'))) input.addEventListener(input.type === 'checkbox' ? 'change' : 'input', r.send);
  r.send();
}
