// Chapter 6's question "how do I get a seven that is not slanted?", measured: several ways of
// asking, each on the same starting noise, with the slant bands of the training captions
// (slantShares) and the classifier's verdict.
import type { DigitClassifier } from './classifier';
import type { Unclip } from './decoder';
import { generate } from './decoder';
import { measureImages, mean } from './experiment';
import { slantShares } from './slantShares';

export interface SlantSetting {
  prompt: string;
  negative?: string;
  w: number;
}

/** The ways of asking the chapter compares: the plain prompt, the negative prompt at two scales, and asking for "upright". */
export const SLANT_SETTINGS: SlantSetting[] = [
  { prompt: 'a seven', w: 3 },
  { prompt: 'a seven', negative: 'a right-slanted seven', w: 3 },
  { prompt: 'a seven', negative: 'a right-slanted seven', w: 1.5 },
  { prompt: 'an upright seven', w: 3 },
];

export interface SlantRow extends SlantSetting {
  meanSlant: number;
  left: number;
  upright: number;
  right: number;
  /** Share the classifier reads as 7. */
  sevens: number;
  /** The images (flat n×196, [0, 1]). */
  images: Float32Array;
}

/** n images per setting from the noise of `seed`, measured. */
export function slantStudy(u: Unclip, classifier: DigitClassifier, opts: { n: number; seed: number; settings?: SlantSetting[] }): SlantRow[] {
  return (opts.settings ?? SLANT_SETTINGS).map((s) => {
    const images = generate(u, { ...s, n: opts.n, seed: opts.seed });
    const verdicts = Array.from(classifier.predict(images));
    return { ...s, meanSlant: mean(measureImages(images).slant), ...slantShares(images, u.clip.thresholds), sevens: verdicts.filter((d) => d === 7).length / verdicts.length, images };
  });
}
