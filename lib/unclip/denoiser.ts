// The tiny unCLIP's denoiser is chapter 5's conditional denoiser (lib/guidance) with chapter 6's
// options for 196 pixels and a 512-number text embedding; each raised prompt accuracy when measured:
// - condEmbed: the condition, scaled by √512 and projected, is fed with the time embedding to
//   every hidden layer, so the prompt cannot fade on its way through the network;
// - target 'x0': the network predicts the clean image x̂0 and is trained on its squared error,
//   which weighs the noisy steps, where the digit's identity is decided, most. The samplers get
//   ε̂ = (x_t − √ᾱ·x̂0)/√(1 − ᾱ) (epsFromX0). An MLP squeezes everything through a few hundred
//   hidden units, so x̂0 comes out a smooth digit; asked for ε, whatever per-pixel noise the net
//   cannot reproduce would stay in the image as speckle.
import { conditionalDenoiser, ConditionalDenoiser } from '../guidance/denoiser';
import { Seed } from '../random';

export interface UnclipDenoiserOptions {
  dataDim: number;
  condDim: number;
  hidden: number[];
  /** Width of the condition's learned projection (default 128). */
  condEmbed?: number;
  timeDim?: number;
  /** ᾱ_t for t = 0 … T − 1 of the schedule the model is trained for. */
  alphaBar: ArrayLike<number>;
  seed: Seed;
}

/** Chapter 5's conditional denoiser with chapter 6's options: the condition in every layer, x̂0 as the target. */
export function unclipDenoiser(opts: UnclipDenoiserOptions): ConditionalDenoiser {
  return conditionalDenoiser({
    dataDim: opts.dataDim,
    condDim: opts.condDim,
    hidden: opts.hidden,
    condEmbed: opts.condEmbed ?? 128,
    timeDim: opts.timeDim,
    alphaBar: opts.alphaBar,
    target: 'x0',
    seed: opts.seed,
  });
}
