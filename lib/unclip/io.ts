// Saving and loading the tiny unCLIP (denoiser + digit classifier) as one JSON file.
// Weights are stored as 16-bit codes between each tensor's min and max (base64): the
// rounding error is below 1/65,535 of a tensor's range, and the file is half the size.
import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { Clip, ClipConfig, createClip, AttributeThresholds } from '../clip';
import { digitClassifier, DigitClassifier } from './classifier';
import { SMALL_PIXELS } from './images';
import { makeUnclip, Unclip, unclipSchedule } from './decoder';
import { unclipDenoiser } from './denoiser';
import { keep, keepName } from '../notebook';

export const UNCLIP_WEIGHTS = path.resolve(__dirname, '..', '..', 'data', 'unclip', 'unclip.json');
const FORMAT = 'course-unclip/3';

interface Packed {
  shape: number[];
  min: number;
  max: number;
  data: string;
}

interface SavedUnclip {
  format: string;
  denoiser: { hidden: number[]; condDim: number; condEmbed: number; target: 'x0'; timeDim: number; T: number; params: Packed[] };
  classifier: { hidden: number[]; params: Packed[] };
  /** The CLIP whose text embeddings the denoiser was trained on (kept with it, so the pair stays matched). */
  clip: { config: ClipConfig; vocab: string[]; thresholds?: AttributeThresholds; params: Packed[] };
  meta: Record<string, unknown>;
}

export function pack(v: tf.Variable): Packed {
  const x = v.dataSync() as Float32Array;
  let min = Infinity;
  let max = -Infinity;
  for (const a of x) {
    min = Math.min(min, a);
    max = Math.max(max, a);
  }
  const span = max - min || 1;
  const q = new Uint16Array(x.length);
  for (let i = 0; i < x.length; i++) q[i] = Math.round(((x[i] - min) / span) * 65535);
  return { shape: v.shape, min, max, data: Buffer.from(q.buffer, q.byteOffset, q.byteLength).toString('base64') };
}

export function unpack(p: Packed, into: tf.Variable, what: string): void {
  if (p.shape.join() !== into.shape.join()) throw new Error(`loadUnclip: ${what} has shape [${into.shape}], file has [${p.shape}]`);
  const b = Buffer.from(p.data, 'base64');
  const q = new Uint16Array(b.buffer, b.byteOffset, b.byteLength / 2);
  const span = p.max - p.min || 1;
  const x = Float32Array.from(q, (c) => p.min + (c / 65535) * span);
  tf.tidy(() => into.assign(tf.tensor(x, into.shape)));
}

/** Write the denoiser and classifier to `file` (default data/unclip/unclip.json). */
export function saveUnclip(u: Unclip, classifier: DigitClassifier, file: string = UNCLIP_WEIGHTS, meta: Record<string, unknown> = {}): void {
  const m = u.model;
  if (m.target !== 'x0' || m.condEmbed === undefined) throw new Error("saveUnclip: the denoiser must be chapter 6's (unclipDenoiser: target 'x0', condEmbed)");
  const saved: SavedUnclip = {
    format: FORMAT,
    denoiser: { hidden: m.hidden, condDim: m.condDim, condEmbed: m.condEmbed, target: 'x0', timeDim: m.timeDim, T: m.T, params: m.params.map(pack) },
    classifier: { hidden: classifier.net.sizes.slice(1, -1), params: classifier.net.params.map(pack) },
    clip: { config: u.clip.config, vocab: u.clip.tokenizer.vocab, thresholds: u.clip.thresholds, params: u.clip.params.map(pack) },
    meta,
  };
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(saved));
}

/** Read back the denoiser, the classifier and the CLIP they were trained with. */
export function loadUnclip(file: string = UNCLIP_WEIGHTS): { unclip: Unclip; classifier: DigitClassifier; clip: Clip; meta: Record<string, unknown> } {
  if (!fs.existsSync(file)) throw new Error(`loadUnclip: ${file} does not exist; make it with \`npx tsx scripts/train-unclip.ts\``);
  const s = JSON.parse(fs.readFileSync(file, 'utf8')) as SavedUnclip;
  if (s.format !== FORMAT) throw new Error(`loadUnclip: ${file} has format ${s.format}, expected ${FORMAT}`);
  const clip = createClip(0, s.clip.config, s.clip.vocab);
  if (clip.params.length !== s.clip.params.length) throw new Error(`loadUnclip: ${s.clip.params.length} saved CLIP tensors for ${clip.params.length} parameters`);
  clip.params.forEach((p, i) => unpack(s.clip.params[i], p, `CLIP parameter ${i}`));
  clip.thresholds = s.clip.thresholds;
  const d = s.denoiser;
  const schedule = unclipSchedule();
  if (d.T !== schedule.T) throw new Error(`loadUnclip: the saved denoiser has T = ${d.T}, the unCLIP schedule has ${schedule.T}`);
  if (d.target !== 'x0') throw new Error(`loadUnclip: the saved denoiser predicts ${d.target}; chapter 6's predicts x0`);
  const model = unclipDenoiser({ dataDim: SMALL_PIXELS, condDim: d.condDim, hidden: d.hidden, condEmbed: d.condEmbed, timeDim: d.timeDim, alphaBar: schedule.alphaBar, seed: 0 });
  if (model.params.length !== d.params.length) throw new Error(`loadUnclip: ${d.params.length} saved denoiser tensors for ${model.params.length} parameters`);
  model.params.forEach((p, i) => unpack(d.params[i], p, `denoiser parameter ${i}`));
  const classifier = digitClassifier(0, s.classifier.hidden);
  classifier.net.params.forEach((p, i) => unpack(s.classifier.params[i], p, `classifier parameter ${i}`));
  // Rerunning the same load (a notebook cell) frees the models the previous load made.
  return keep(keepName('loadUnclip', file), { unclip: makeUnclip(model, clip), classifier, clip, meta: s.meta ?? {} });
}
