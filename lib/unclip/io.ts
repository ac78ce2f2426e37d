// Saving and loading the tiny unCLIP (denoiser + digit classifier + its CLIP) as one JSON file.
// The format and the loading without files are ./fromSaved.ts's (the site's browser build uses
// that); this file adds the reading and writing in Node.
import * as fs from 'fs';
import * as path from 'path';
import { Clip } from '../clip/model';
import { DigitClassifier } from './classifier';
import { Unclip } from './decoder';
import { keep, keepName } from '../notebook';
import { pack, unclipFromSaved, UNCLIP_FORMAT as FORMAT, type SavedUnclip } from './fromSaved';

export const UNCLIP_WEIGHTS = path.resolve(__dirname, '..', '..', 'data', 'unclip', 'unclip.json');

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
  if (!s.classifier) throw new Error(`loadUnclip: ${file} has no classifier (a file made to draw only, like the site's)`);
  const loaded = unclipFromSaved(s, file);
  // Rerunning the same load (a notebook cell) frees the models the previous load made.
  return keep(keepName('loadUnclip', file), { ...loaded, classifier: loaded.classifier! });
}
