// Weights as raw binary beside their JSON metadata, in Node: write and read <name>.json +
// <name>.bin (the format is ./weights.ts's, whose joinWeights decodes for Node and browsers alike).
import * as fs from 'fs';
import * as path from 'path';
import { WeightsMeta, joinWeights, splitWeights } from './weights';

/** Split a saved model's JSON into `file` (the .json) and the .bin beside it; returns the two paths and the metadata. */
export function writeWeights(model: unknown, file: string): { json: string; bin: string; meta: WeightsMeta } {
  if (!file.endsWith('.json')) throw new Error(`writeWeights: ${file} must end in .json (the .bin goes beside it)`);
  const binName = path.basename(file, '.json') + '.bin';
  const { meta, bin } = splitWeights(model, binName);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const binPath = path.join(path.dirname(file), binName);
  fs.writeFileSync(binPath, bin);
  fs.writeFileSync(file, JSON.stringify(meta));
  return { json: file, bin: binPath, meta };
}

/** Read `file` (the .json) and the .bin it names: the model's JSON with decoded tensors ({ shape, values }). */
export function readWeights<M = unknown>(file: string): M {
  const meta = JSON.parse(fs.readFileSync(file, 'utf8')) as WeightsMeta;
  return joinWeights<M>(meta, fs.readFileSync(path.join(path.dirname(file), meta.bin)), file);
}
