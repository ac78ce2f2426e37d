// Captions for digits: several templates, synonyms for every word that varies, and the
// attributes measured on the image ("a thick, left-slanted seven").
import { Rng } from '../random';
import { Attributes, Slant, Thickness } from './attributes';

export const DIGIT_WORDS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];

/** Ways to name digit d: its word, or its numeral. */
export function digitNames(d: number): string[] {
  if (!(Number.isInteger(d) && d >= 0 && d <= 9)) throw new Error(`digitNames: digit must be 0..9, got ${d}`);
  return [DIGIT_WORDS[d], String(d)];
}

export const THICKNESS_WORDS: Record<Thickness, string[]> = {
  thin: ['thin', 'light', 'fine'],
  medium: ['medium', 'regular'],
  thick: ['thick', 'bold', 'heavy'],
};

export const SLANT_WORDS: Record<Slant, string[]> = {
  left: ['left-slanted', 'left-leaning', 'backward-slanted'],
  upright: ['upright', 'straight'],
  right: ['right-slanted', 'right-leaning', 'forward-slanted'],
};

/** Caption templates: {a} is the article, {attrs} the attribute words (may be empty), {digit} the name. */
export const CAPTION_TEMPLATES = [
  '{a} {attrs} {digit}',
  '{a} photo of {a} {attrs} {digit}',
  '{a} handwritten {attrs} {digit}',
  '{a} {attrs} drawing of the number {digit}',
  'an image of {a} {attrs} {digit}',
  'the {attrs} digit {digit}',
];

/** The templates zero-shot classification ensembles (the attribute slot left empty). */
export const ZERO_SHOT_TEMPLATES = ['a photo of a {digit}', 'a handwritten {digit}', 'the digit {digit}', 'a drawing of the number {digit}'];

function fill(template: string, attrs: string, digit: string): string {
  let s = template.replace('{attrs}', attrs).replace('{digit}', digit).replace(/\s+/g, ' ').trim();
  // "a"/"an" by the sound of the next word: an eight, an 8, an upright seven, but a one.
  s = s.replace(/\{a\} (\S+)/g, (_m, w: string) => (/^(8|eight)/.test(w) || (/^[aeiou]/.test(w) && !/^one/.test(w)) ? 'an ' : 'a ') + w);
  return s;
}

/** A prompt from a template ("{digit}" filled with the digit's word), no attributes. */
export function prompt(template: string, digit: number): string {
  return fill(template.replace(/\ba\b/g, '{a}'), '', DIGIT_WORDS[digit]).replace(/\{a\}/g, 'a');
}

function choose<T>(xs: T[], g: Rng): T {
  return xs[g.int(xs.length)];
}

/**
 * A random caption for one digit: a random template, synonyms, and each attribute stated with
 * probability `pAttr` (default 0.6) in a random order.
 */
export function randomCaption(label: number, attrs: Attributes, g: Rng, pAttr = 0.6): string {
  const words: string[] = [];
  if (g.uniform() < pAttr) words.push(choose(THICKNESS_WORDS[attrs.thickness], g));
  if (g.uniform() < pAttr) words.push(choose(SLANT_WORDS[attrs.slant], g));
  if (words.length === 2 && g.uniform() < 0.5) words.reverse();
  const name = g.uniform() < 0.8 ? DIGIT_WORDS[label] : String(label);
  return fill(choose(CAPTION_TEMPLATES, g), words.join(', '), name);
}

/** The one caption stating everything: "a thick, left-slanted seven". */
export function fullCaption(label: number, attrs: Attributes): string {
  return fill('{a} {attrs} {digit}', `${THICKNESS_WORDS[attrs.thickness][0]}, ${SLANT_WORDS[attrs.slant][0]}`, DIGIT_WORDS[label]);
}

/** Every word any caption or prompt can contain (the tokenizer's vocabulary). */
export function captionVocabulary(): string[] {
  const texts = [
    ...CAPTION_TEMPLATES,
    ...ZERO_SHOT_TEMPLATES,
    'a an',
    ...DIGIT_WORDS,
    ...DIGIT_WORDS.map((_, d) => String(d)),
    ...Object.values(THICKNESS_WORDS).flat(),
    ...Object.values(SLANT_WORDS).flat(),
  ];
  const words = new Set<string>();
  for (const t of texts) for (const w of splitWords(t.replace(/\{\w+\}/g, ' '))) words.add(w);
  return [...words].sort();
}

/** Lower-case words: runs of letters and digits (so "left-slanted" is "left", "slanted"). */
export function splitWords(text: string): string[] {
  return text.toLowerCase().split(/[^a-z0-9]+/).filter((w) => w.length > 0);
}
