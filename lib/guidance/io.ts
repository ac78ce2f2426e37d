// Saving and loading a conditional denoiser as JSON: its options and float32 weights (base64).
import * as tf from '@tensorflow/tfjs';
import { conditionalDenoiser, ConditionalDenoiser, DenoiserTarget } from './denoiser';
import { base64FromFloats } from '../base64';
import { TensorPayload, tensorValues } from '../weights';

export interface SavedDenoiser {
  options: { dataDim: number; classes?: number; condDim?: number; hidden: number[]; timeDim: number; T: number; target: DenoiserTarget; condEmbed?: number };
  /** One base64 float32 array per parameter, in model.params order. */
  weights: { shape: number[]; b64: string }[];
}

const b64 = base64FromFloats;

/** The model's options and weights (or other weights of the same model, e.g. a checkpoint's). */
export function saveDenoiser(m: ConditionalDenoiser, weights?: Float32Array[]): SavedDenoiser {
  const w = weights ?? m.params.map((p) => p.dataSync() as Float32Array);
  if (w.length !== m.params.length) throw new Error(`saveDenoiser: ${w.length} weight arrays for ${m.params.length} parameters`);
  return {
    options: { dataDim: m.dataDim, ...(m.classes !== undefined ? { classes: m.classes } : { condDim: m.condDim }), hidden: m.hidden, timeDim: m.timeDim, T: m.T, target: m.target, ...(m.condEmbed !== undefined ? { condEmbed: m.condEmbed } : {}) },
    weights: m.params.map((p, i) => ({ shape: p.shape, b64: b64(w[i]) })),
  };
}

/** Set a model's weights from flat arrays (shapes checked). */
export function setDenoiserWeights(m: ConditionalDenoiser, weights: Float32Array[]): void {
  if (weights.length !== m.params.length) throw new Error(`setDenoiserWeights: ${weights.length} arrays for ${m.params.length} parameters`);
  m.params.forEach((p, i) => {
    if (weights[i].length !== p.size) throw new Error(`setDenoiserWeights: parameter ${i} has ${p.size} values (shape [${p.shape}]), got ${weights[i].length}`);
    tf.tidy(() => p.assign(tf.tensor(weights[i], p.shape)));
  });
}

/** A denoiser from saveDenoiser's JSON (tensors as base64 or decoded values, lib/weights.ts); alphaBar: the schedule's ᾱ (needed for target 'x0'). */
export function loadDenoiser(s: { options: SavedDenoiser['options']; weights: TensorPayload[] }, alphaBar?: ArrayLike<number>): ConditionalDenoiser {
  const m = conditionalDenoiser({ ...s.options, alphaBar, seed: 0 });
  try {
    s.weights.forEach((w, i) => {
      const p = m.params[i];
      if (p && w.shape.join() !== p.shape.join()) throw new Error(`loadDenoiser: parameter ${i} has shape [${p.shape}], saved [${w.shape}]`);
    });
    setDenoiserWeights(m, s.weights.map((w, i) => tensorValues(w, `loadDenoiser: parameter ${i}`)));
  } catch (e) {
    m.dispose();
    throw e;
  }
  return m;
}
