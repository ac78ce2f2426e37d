// Saving and loading a trained CLIP: one JSON file with the config, vocabulary, attribute
// thresholds and float32 weights (base64). data/clip/clip.json is made by scripts/train-clip.ts.
import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { ready } from '../backend';
import { Clip, ClipConfig, createClip } from './model';
import { AttributeThresholds } from './attributes';

export const CLIP_WEIGHTS = path.resolve(__dirname, '..', '..', 'data', 'clip', 'clip.json');
const FORMAT = 'course-clip/1';

interface SavedClip {
  format: string;
  config: ClipConfig;
  vocab: string[];
  thresholds?: AttributeThresholds;
  meta?: Record<string, unknown>;
  weights: { shape: number[]; data: string }[];
}

/** Write the model to `file` (default data/clip/clip.json); meta is stored alongside (e.g. how it was trained). */
export function saveClip(clip: Clip, file: string = CLIP_WEIGHTS, meta: Record<string, unknown> = {}): void {
  const saved: SavedClip = {
    format: FORMAT,
    config: clip.config,
    vocab: clip.tokenizer.vocab,
    thresholds: clip.thresholds,
    meta,
    weights: clip.params.map((p) => {
      const v = Float32Array.from(p.dataSync());
      return { shape: p.shape, data: Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64') };
    }),
  };
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(saved));
}

/** Read a saved model (default: the shipped data/clip/clip.json). */
export async function loadClip(file: string = CLIP_WEIGHTS): Promise<Clip & { meta: Record<string, unknown> }> {
  await ready({ quiet: true });
  if (!fs.existsSync(file)) throw new Error(`loadClip: ${file} does not exist; make it with \`npx tsx scripts/train-clip.ts\``);
  const saved = JSON.parse(fs.readFileSync(file, 'utf8')) as SavedClip;
  if (saved.format !== FORMAT) throw new Error(`loadClip: ${file} has format ${saved.format}, expected ${FORMAT}`);
  const clip = createClip(0, saved.config, saved.vocab);
  if (saved.weights.length !== clip.params.length) {
    clip.dispose();
    throw new Error(`loadClip: ${file} has ${saved.weights.length} arrays, the model has ${clip.params.length} parameters`);
  }
  clip.params.forEach((p, i) => {
    const w = saved.weights[i];
    if (w.shape.join() !== p.shape.join()) {
      clip.dispose();
      throw new Error(`loadClip: parameter ${i} has shape [${p.shape}], saved [${w.shape}]`);
    }
    const buf = Buffer.from(w.data, 'base64');
    const values = new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
    tf.tidy(() => p.assign(tf.tensor(values, p.shape)));
  });
  clip.thresholds = saved.thresholds;
  return Object.assign(clip, { meta: saved.meta ?? {} });
}
