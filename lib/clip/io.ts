// Saving and loading a trained CLIP: one JSON file with the config, vocabulary, attribute
// thresholds and float32 weights (base64). data/clip/clip.json is made by scripts/train-clip.ts.
import * as fs from 'fs';
import * as path from 'path';
import { base64FromFloats } from '../base64';
import { ready } from '../backend';
import { Clip } from './model';
import { CLIP_FORMAT as FORMAT, SavedClip, clipFromSaved } from './fromSaved';

export const CLIP_WEIGHTS = path.resolve(__dirname, '..', '..', 'data', 'clip', 'clip.json');

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
      return { shape: p.shape, data: base64FromFloats(v) };
    }),
  };
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(saved));
}

/** Read a saved model (default: the shipped data/clip/clip.json). */
export async function loadClip(file: string = CLIP_WEIGHTS): Promise<Clip & { meta: Record<string, unknown> }> {
  await ready({ quiet: true });
  if (!fs.existsSync(file)) throw new Error(`loadClip: ${file} does not exist; make it with \`npx tsx scripts/train-clip.ts\``);
  return clipFromSaved(JSON.parse(fs.readFileSync(file, 'utf8')) as SavedClip, file);
}
