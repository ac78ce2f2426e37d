// The tiny unCLIP from its saved JSON (data/unclip/unclip.json's format), with no file access:
// loadUnclip (./io.ts) reads the file in Node; the site's chapter-6 page fetches the weights
// (lib/weights.ts) and calls unclipFromSaved. Browser-safe: no fs, path or Buffer here.
// Weights are stored as 16-bit codes between each tensor's min and max (base64): the rounding
// error is below 1/65,535 of a tensor's range, and the file is half the size.
import * as tf from '@tensorflow/tfjs';
import type { ClipConfig, Clip } from '../clip/model';
import { createClip } from '../clip/model';
import type { AttributeThresholds } from '../clip/attributes';
import { base64FromBytes } from '../base64';
import { TensorPayload, tensorValues } from '../weights';
import { digitClassifier, DigitClassifier } from './classifier';
import { SMALL_PIXELS } from './images';
import { makeUnclip, Unclip, unclipSchedule } from './decoder';
import { unclipDenoiser } from './denoiser';

export const UNCLIP_FORMAT = 'course-unclip/3';

/** One tensor as 16-bit codes (data: base64 uint16) between min and max, or decoded (lib/weights.ts); null: left out (see unclipFromSaved). */
export type Packed = TensorPayload | null;

export interface SavedUnclip {
  format: string;
  denoiser: { hidden: number[]; condDim: number; condEmbed: number; target: 'x0'; timeDim: number; T: number; params: Packed[] };
  /** Left out (undefined) by a file made only to draw images (the site's). */
  classifier?: { hidden: number[]; params: Packed[] };
  /** The CLIP whose text embeddings the denoiser was trained on (kept with it, so the pair stays matched). */
  clip: { config: ClipConfig; vocab: string[]; thresholds?: AttributeThresholds; params: Packed[] };
  meta: Record<string, unknown>;
}

export function pack(v: tf.Variable): { shape: number[]; min: number; max: number; data: string } {
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
  return { shape: v.shape, min, max, data: base64FromBytes(new Uint8Array(q.buffer, q.byteOffset, q.byteLength)) };
}

/**
 * Set `into` from a saved tensor. null (a tensor the file left out) sets NaN: a file made to draw
 * images leaves out CLIP's image encoder, which drawing never uses; were it used, every number it
 * touched would be NaN, not a plausible wrong answer.
 */
export function unpack(p: Packed, into: tf.Variable, what: string): void {
  if (p === null) return void tf.tidy(() => into.assign(tf.fill(into.shape, NaN)));
  if (p.shape.join() !== into.shape.join()) throw new Error(`loadUnclip: ${what} has shape [${into.shape}], file has [${p.shape}]`);
  const x = tensorValues(p, `loadUnclip: ${what}`);
  tf.tidy(() => into.assign(tf.tensor(x, into.shape)));
}

/** The denoiser, the classifier (if saved) and the CLIP they were trained with; `source` names the file or URL in errors. */
export function unclipFromSaved(s: SavedUnclip, source: string): { unclip: Unclip; classifier: DigitClassifier | undefined; clip: Clip; meta: Record<string, unknown> } {
  if (s.format !== UNCLIP_FORMAT) throw new Error(`loadUnclip: ${source} has format ${s.format}, expected ${UNCLIP_FORMAT}`);
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
  model.params.forEach((p, i) => {
    if (d.params[i] === null) throw new Error(`loadUnclip: ${source} leaves out denoiser parameter ${i}`);
    unpack(d.params[i], p, `denoiser parameter ${i}`);
  });
  let classifier: DigitClassifier | undefined;
  if (s.classifier) {
    const c = digitClassifier(0, s.classifier.hidden);
    c.net.params.forEach((p, i) => unpack(s.classifier!.params[i], p, `classifier parameter ${i}`));
    classifier = c;
  }
  return { unclip: makeUnclip(model, clip), classifier, clip, meta: s.meta ?? {} };
}

/** How many of CLIP's saved tensors, from the first, only its image encoder uses (createClip's order: image MLP, text MLP, logit scale). */
export function clipImageTensors(config: ClipConfig): number {
  return 2 * (config.imageHidden.length + 1); // a weight and a bias per dense layer of [784, ...imageHidden, dim]
}
