// Writes the live figures into a site folder: live/ (the worker and page bundles,
// tfjs-wasm's .wasm files, the weights as .json + .bin) and, beside each chapter page,
// <stem>.live.html. Everything is fetched from the folder itself (no CDN) and needs no special
// headers: without them the pages run lib on one thread in a Web Worker on unshared memory;
// served with COOP/COEP (cross-origin isolated), lib's kernels add a helper Web Worker.
import * as esbuild from 'esbuild';
import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';
import { writeWeights } from '../../lib/weightsFile';
import { clipImageTensors } from '../../lib/unclip/fromSaved';

const root = path.join(__dirname, '..', '..');

interface LivePage {
  stem: string;
  title: string;
  intro: string;
  /** Weights this page needs (WEIGHTS' names): live/<name>.json + live/<name>.bin. */
  data: string[];
  /** Files the build makes in live/ for this page (besides the data). */
  made?: string[];
  figures: string;
}

const slider = (name: string, label: string, min: number, max: number, step: number, value: number) =>
  `<label>${label} <input type="range" name="${name}" min="${min}" max="${max}" step="${step}" value="${value}" data-recompute> <b class="v-${name}">${value}</b></label>`;

const figureBox = (id: string, kind: string, attrs: string, controls: string) =>
  `<div class="live-figure" id="${id}" data-kind="${kind}" ${attrs}>
<div class="live-controls">${controls}</div>
<div class="live-progress"><div></div></div>
<div class="live-plot"></div>
<div class="live-status">loading…</div>
</div>`;

export const LIVE_PAGES: LivePage[] = [
  {
    stem: '01-clip',
    title: 'Search the digits with a caption',
    intro:
      'Chapter 1’s tiny CLIP (data/clip/clip.json) runs in your browser: type a caption and it embeds the text, compares it with the embeddings of 500 held-out handwritten digits, and shows the best matches with their cosine similarity. It knows only the words of its training captions; try “a thick seven” or “a digit eight leaning right”.',
    data: ['clip'],
    made: ['digits.bin', 'digits.json'],
    figures: figureBox(
      'clip',
      'clip',
      'data-clip="live/clip.json" data-digits="live/digits" data-k="8"',
      `<label>caption <input type="text" name="query" value="a thick seven" size="32" data-recompute></label>`,
    ),
  },
  {
    stem: '02-random-walks',
    title: 'The random walk and its closed form',
    intro:
      'A thousand spiral points are noised to step t of the linear schedule two ways, in your browser: on the left by t + 1 small random steps, on the right by one jump with the closed form x<sub>t</sub> = √ᾱ<sub>t</sub> x<sub>0</sub> + √(1 − ᾱ<sub>t</sub>) ε. Different random numbers, the same distribution: move t and the two clouds blur alike.',
    data: [],
    figures: figureBox('walk', 'walk', 'data-n="1000" data-seed="0"', slider('t', 't', 0, 999, 1, 100)),
  },
  {
    stem: '03-ddpm',
    title: 'DDPM, step by step',
    intro:
      'The shipped spiral network (data/spiral-eps.json) runs DDPM over all 1,000 steps in your browser. Each frame is x<sub>t</sub>; drag the slider to replay the chain. Untick the noise term to drop σ·z from every step and watch the samples collapse toward the middle.',
    data: ['spiral-eps'],
    figures: figureBox(
      'ddpm',
      'ddpm',
      'data-eps="live/spiral-eps.json" data-n="300" data-seed="0" data-every="25"',
      `<label><input type="checkbox" name="noise" checked data-recompute> noise term σ·z</label> <label>frame <input type="range" name="frame" min="0" max="0" step="1" value="0"> t = <b class="v-frame">1000</b></label>`,
    ),
  },
  {
    stem: '04-ode-and-ddim',
    title: 'DDIM: steps and η',
    intro:
      'The shipped spiral network (data/spiral-eps.json) samples 2,000 points with DDIM in your browser. Fewer steps blur the arms; η adds back DDPM-like noise. Below the plot: the energy distance to held-out spiral points (lower is better), and precision and recall.',
    data: ['spiral-eps'],
    figures: figureBox(
      'ddim',
      'ddim',
      'data-eps="live/spiral-eps.json" data-n="2000" data-seed="0"',
      slider('steps', 'steps', 1, 100, 1, 10) + ' ' + slider('eta', 'η', 0, 1, 0.1, 0),
    ),
  },
  {
    stem: '05-guidance',
    title: 'Guidance: class, scale w and a negative prompt',
    intro:
      'The shipped class-conditional denoiser (data/guidance-spiral.json: five stretches of the spiral) samples 1,000 points with 25 DDIM steps in your browser, guided by classifier-free guidance at scale w. Tick <i>negative</i> to make the class a negative prompt instead: the samples avoid it. Colour is each sample’s nearest held-out class; below, the share that lands in the chosen class.',
    data: ['guidance-spiral'],
    figures: figureBox(
      'guidance',
      'guidance',
      'data-guidance="live/guidance-spiral.json" data-n="1000" data-seed="0" data-steps="25"',
      slider('cls', 'class', 0, 4, 1, 2) + ' ' + slider('w', 'w', 0, 8, 0.5, 3) + ` <label><input type="checkbox" name="negative" data-recompute> negative prompt</label>`,
    ),
  },
  {
    stem: '06-unclip',
    title: 'Type a prompt, get unCLIP digits',
    intro:
      'Chapter 6’s tiny unCLIP (data/unclip/unclip.json) runs in your browser: your prompt goes through its CLIP text encoder, and the text-conditioned denoiser draws 16 digits of 14×14 pixels with 40 DDIM steps, guided at scale w. A negative prompt steers away from what it says. Under each digit: what chapter 6’s digit classifier reads. CLIP knows only the words of its training captions; try “a thick seven”, “a thin one”, or “a seven” with the negative prompt “a right-slanted seven”.',
    data: ['unclip'],
    figures: figureBox(
      'unclip',
      'unclip',
      'data-unclip="live/unclip.json" data-n="16" data-seed="1" data-steps="40"',
      `<label>prompt <input type="text" name="prompt" value="a thick seven" size="28" data-recompute></label> <label>negative prompt <input type="text" name="negative" value="" size="24" data-recompute></label> ` +
        slider('w', 'w', 0, 8, 0.5, 3),
    ),
  },
  {
    stem: '07-flow-matching',
    title: 'Flow matching against DDIM',
    intro:
      'From the same 2,000 noise points, the shipped flow-matching network (data/flow-spiral.json) takes k Euler steps along its straight paths, and the shipped ε-network (data/spiral-eps.json) takes k DDIM steps. Below: each one’s energy distance to held-out spiral points (lower is better).',
    data: ['spiral-eps', 'flow-spiral'],
    figures: figureBox('flow', 'flow', 'data-eps="live/spiral-eps.json" data-flow="live/flow-spiral.json" data-n="2000" data-seed="0"', slider('steps', 'steps', 1, 50, 1, 5)),
  },
];

/**
 * The weights the pages download, made from data/ at build time as raw binary beside JSON metadata
 * (lib/weights.ts: float32, or the 16-bit codes chapter 6's file stores): only what a page uses.
 */
export const WEIGHTS: Record<string, { file: string; slim(json: any): unknown }> = {
  'spiral-eps': { file: 'spiral-eps.json', slim: (j) => j },
  'flow-spiral': { file: 'flow-spiral.json', slim: (j) => j },
  // The guidance file's early checkpoint and loss history stay out.
  'guidance-spiral': { file: 'guidance-spiral.json', slim: (j) => ({ format: j.format, recipe: j.recipe, denoiser: j.denoiser }) },
  clip: { file: 'clip/clip.json', slim: (j) => j },
  // Drawing uses the denoiser, the classifier (to read the digits) and CLIP's text encoder: CLIP's
  // image-encoder tensors are left out (null; lib/unclip/fromSaved.ts sets them to NaN), which keeps
  // the page within 1.5 MB. The 16-bit codes stay codes: as float32 the denoiser alone would be 1.4 MB gzip.
  unclip: {
    file: 'unclip/unclip.json',
    slim: (j) => {
      const image = clipImageTensors(j.clip.config);
      return { ...j, clip: { ...j.clip, params: j.clip.params.map((p: unknown, i: number) => (i < image ? null : p)) }, meta: { slimmed: 'for the live site: CLIP image encoder left out' } };
    },
  },
};

const gz = (file: string) => zlib.gzipSync(fs.readFileSync(file), { level: 9 }).length;
const kb = (b: number) => `${(b / 1024).toFixed(0)} KiB`;

/** Bundle and copy the live figures into outDir; returns the pages written. */
export async function buildLive(outDir: string): Promise<{ page: string; gzipBytes: number }[]> {
  const live = path.join(outDir, 'live');
  fs.mkdirSync(live, { recursive: true });
  const common = {
    bundle: true,
    platform: 'browser' as const,
    format: 'iife' as const,
    minify: true,
    target: 'es2020',
    logLevel: 'warning' as const,
    // lib imports '@tensorflow/tfjs', but uses only tfjs-core's ops (browser/tfjs.ts; the backend is tfjs-wasm, lib/backend.browser.ts).
    alias: { '@tensorflow/tfjs': path.join(__dirname, 'browser', 'tfjs.ts') },
  };
  await esbuild.build({ ...common, entryPoints: [path.join(__dirname, 'browser', 'worker.ts')], outfile: path.join(live, 'worker.js') });
  await esbuild.build({ ...common, entryPoints: [path.join(__dirname, 'browser', 'page.ts')], outfile: path.join(live, 'page.js') });
  const wasmDir = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));
  for (const f of ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm']) fs.copyFileSync(path.join(wasmDir, f), path.join(live, f));
  for (const name of new Set(LIVE_PAGES.flatMap((p) => p.data))) {
    const w = WEIGHTS[name];
    if (!w) throw new Error(`live page weights "${name}": not in WEIGHTS`);
    writeWeights(w.slim(JSON.parse(fs.readFileSync(path.join(root, 'data', w.file), 'utf8'))), path.join(live, `${name}.json`));
  }
  writeDigits(live);
  fs.writeFileSync(path.join(live, 'live.css'), CSS);
  // GitHub Pages runs Jekyll on a pushed branch unless told not to; nothing here needs it.
  fs.writeFileSync(path.join(outDir, '.nojekyll'), '');

  const out: { page: string; gzipBytes: number }[] = [];
  for (const p of LIVE_PAGES) {
    // What a reader downloads: the page, its scripts, the SIMD tfjs-wasm binary (what Chromium,
    // Firefox and Safari load; lib/backend.browser.ts keeps tfjs-wasm's own threads off) and the weights.
    const shared = ['live/page.js', 'live/worker.js', 'live/live.css', 'live/tfjs-backend-wasm-simd.wasm', ...p.data.flatMap((d) => [`live/${d}.json`, `live/${d}.bin`]), ...(p.made ?? []).map((d) => `live/${d}`)];
    const sharedBytes = shared.reduce((s, f) => s + gz(path.join(outDir, f)), 0);
    const html = (size: string) => `<!doctype html><html><head><meta charset="utf-8"><title>${p.title} (live)</title>
<script>window.addEventListener('error',function(e){document.documentElement.setAttribute('data-page-error',String(e.message))});</script>
<link rel="icon" href="data:,"><link rel="stylesheet" href="live/live.css"></head>
<body><p><a href="index.html">Contents</a> · <a href="${p.stem}.html">the chapter</a></p>
<h1>${p.title}</h1><p>${p.intro}</p>
${p.figures}
<p class="live-size">Computed in your browser by the course's own lib (tfjs-wasm and the course's kernels, in a Web Worker). This page downloads ${size} (gzip), the weights included.<span class="live-threads"></span></p>
<script src="live/page.js"></script></body></html>\n`;
    // The size line is part of the page: measure once with a placeholder of the same length.
    const file = path.join(outDir, `${p.stem}.live.html`);
    const probe = html(kb(sharedBytes + 4096));
    const total = sharedBytes + zlib.gzipSync(probe, { level: 9 }).length;
    fs.writeFileSync(file, html(kb(total)));
    out.push({ page: path.basename(file), gzipBytes: total });
  }
  return out;
}

/** The digits chapter 1's figure searches: the first DIGITS_SHOWN of the held-out split, as raw float32 pixels (+ labels). */
export const DIGITS_SHOWN = 500;
function writeDigits(live: string): void {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { loadDigits } = require('../../lib/data/mnist') as typeof import('../../lib/data/mnist');
  const { test } = loadDigits();
  const images = test.images.slice(0, DIGITS_SHOWN * 784);
  fs.writeFileSync(path.join(live, 'digits.bin'), new Uint8Array(images.buffer));
  fs.writeFileSync(path.join(live, 'digits.json'), JSON.stringify({ source: 'lib/data/mnist loadDigits().test', labels: Array.from(test.labels.slice(0, DIGITS_SHOWN)) }));
}

const CSS = `.live-digit{display:inline-block;text-align:center;font:11px monospace;margin:2px}.live-digit canvas{width:56px;height:56px;image-rendering:pixelated;border:1px solid #eee}
body{font-family:sans-serif;max-width:900px;margin:2em auto;padding:0 1em}
.live-figure{border:1px solid #ddd;padding:10px;margin:1em 0;display:inline-block}
.live-controls label{margin-right:1em;display:inline-block}
.live-progress{display:none;height:6px;background:#eee;margin:6px 0}.live-progress>div{height:6px;width:0;background:#4c78a8}
.live-plot{min-width:450px;min-height:464px}.live-figure[data-kind=clip] .live-plot,.live-figure[data-kind=unclip] .live-plot{min-height:0}.live-status{font-family:monospace;font-size:12px;min-height:1.5em}
.live-size{color:#555;font-size:13px}`;
