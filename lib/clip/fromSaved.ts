// A CLIP from its saved JSON (data/clip/clip.json's format), with no file access: loadClip reads
// the file in Node; a browser page fetches the JSON and calls this.
import * as tf from '@tensorflow/tfjs';
import { TensorPayload, tensorValues } from '../weights';
import { AttributeThresholds } from './attributes';
import { Clip, ClipConfig, createClip } from './model';

export const CLIP_FORMAT = 'course-clip/1';

export interface SavedClip {
  format: string;
  config: ClipConfig;
  vocab: string[];
  thresholds?: AttributeThresholds;
  meta?: Record<string, unknown>;
  /** base64 float32 (data), or decoded values (lib/weights.ts's readWeights / fetchWeights). */
  weights: TensorPayload[];
}

/** The model saved in `saved`; `source` names it in errors (a file or URL). */
export function clipFromSaved(saved: SavedClip, source: string): Clip & { meta: Record<string, unknown> } {
  if (saved.format !== CLIP_FORMAT) throw new Error(`loadClip: ${source} has format ${saved.format}, expected ${CLIP_FORMAT}`);
  const clip = createClip(0, saved.config, saved.vocab);
  if (saved.weights.length !== clip.params.length) {
    clip.dispose();
    throw new Error(`loadClip: ${source} has ${saved.weights.length} arrays, the model has ${clip.params.length} parameters`);
  }
  clip.params.forEach((p, i) => {
    const w = saved.weights[i];
    if (w.shape.join() !== p.shape.join()) {
      clip.dispose();
      throw new Error(`loadClip: parameter ${i} has shape [${p.shape}], saved [${w.shape}]`);
    }
    const values = tensorValues(w, `loadClip: ${source} parameter ${i}`);
    tf.tidy(() => p.assign(tf.tensor(values, p.shape)));
  });
  clip.thresholds = saved.thresholds;
  return Object.assign(clip, { meta: saved.meta ?? {} });
}
