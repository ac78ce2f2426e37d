// What a caption can say about a digit beyond its label, measured on the image itself:
// stroke thickness from the ink mass, slant from the image's second moments.
import { DIGIT_SIZE, DIGIT_PIXELS, Digits } from '../data/mnist';

export type Thickness = 'thin' | 'medium' | 'thick';
export type Slant = 'left' | 'upright' | 'right';
export const THICKNESSES: Thickness[] = ['thin', 'medium', 'thick'];
export const SLANTS: Slant[] = ['left', 'upright', 'right'];

export interface Attributes {
  thickness: Thickness;
  slant: Slant;
}

/** Total ink: the sum of the pixel values (a thicker pen leaves more ink on the same shape). */
export function inkMass(image: ArrayLike<number>): number {
  checkImage(image, 'inkMass');
  // Local copies of the imported sizes: an imported binding read in a hot loop is a property
  // lookup per pixel once transpiled to CommonJS (30× slower over a training set).
  const P = DIGIT_PIXELS;
  let s = 0;
  for (let i = 0; i < P; i++) s += image[i];
  return s;
}

/**
 * Slant as a shear: how far the ink moves right per row going up, −μ11/μ02 from the central
 * moments (x = column, y = row, downwards). Positive leans right (/), negative leans left (\).
 */
export function slant(image: ArrayLike<number>): number {
  checkImage(image, 'slant');
  const S = DIGIT_SIZE; // a local copy, as in inkMass
  let m = 0, mx = 0, my = 0;
  for (let r = 0; r < S; r++)
    for (let c = 0; c < S; c++) {
      const w = image[r * S + c];
      m += w; mx += w * c; my += w * r;
    }
  if (m === 0) return 0;
  const cx = mx / m, cy = my / m;
  let mu11 = 0, mu02 = 0;
  for (let r = 0; r < S; r++)
    for (let c = 0; c < S; c++) {
      const w = image[r * S + c];
      mu11 += w * (c - cx) * (r - cy);
      mu02 += w * (r - cy) * (r - cy);
    }
  return mu02 > 0 ? -mu11 / mu02 : 0;
}

function checkImage(image: ArrayLike<number>, name: string): void {
  if (image.length !== DIGIT_PIXELS) throw new Error(`${name}: expected a 28×28 image (784 values), got ${image.length}`);
}

/** The q-quantile of values (linear interpolation between order statistics). */
export function quantile(values: ArrayLike<number>, q: number): number {
  if (values.length === 0) throw new Error('quantile: no values');
  if (!(q >= 0 && q <= 1)) throw new Error(`quantile: q must be in [0, 1], got ${q}`);
  const s = Float64Array.from(values).sort();
  const pos = q * (s.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, s.length - 1);
  return s[lo] + (pos - lo) * (s[hi] - s[lo]);
}

/**
 * Where "thin" ends and "thick" begins, and where "left" and "right" slant begin, from the
 * training data: terciles. Ink mass depends on the digit (a 1 uses less ink than an 8), so its
 * terciles are per class; slant terciles are shared by all digits.
 */
export interface AttributeThresholds {
  /** Per digit 0..9: [thin below, thick above]. */
  ink: [number, number][];
  /** [left below, right above]. */
  slant: [number, number];
}

// Ink and slant of every image of a digit set, measured once per set.
const measured = new WeakMap<Float32Array, { ink: Float64Array; slant: Float64Array }>();

/** Ink mass and slant of every image (cached per set). */
export function measureDigits(d: Digits): { ink: Float64Array; slant: Float64Array } {
  let m = measured.get(d.images);
  if (!m) {
    m = { ink: new Float64Array(d.n), slant: new Float64Array(d.n) };
    for (let i = 0; i < d.n; i++) {
      const im = d.images.subarray(i * DIGIT_PIXELS, (i + 1) * DIGIT_PIXELS);
      m.ink[i] = inkMass(im);
      m.slant[i] = slant(im);
    }
    measured.set(d.images, m);
  }
  return m;
}

export function attributeThresholds(train: Digits): AttributeThresholds {
  const inkByClass: number[][] = Array.from({ length: 10 }, () => []);
  const { ink, slant: slants } = measureDigits(train);
  for (let i = 0; i < train.n; i++) inkByClass[train.labels[i]].push(ink[i]);
  return {
    ink: inkByClass.map((v, d) => {
      if (v.length < 3) throw new Error(`attributeThresholds: only ${v.length} training images of digit ${d}`);
      return [quantile(v, 1 / 3), quantile(v, 2 / 3)] as [number, number];
    }),
    slant: [quantile(slants, 1 / 3), quantile(slants, 2 / 3)],
  };
}

/** The attributes of one image of digit `label`. */
export function attributesOf(image: ArrayLike<number>, label: number, t: AttributeThresholds): Attributes {
  return classify(inkMass(image), slant(image), label, t);
}

function classify(ink: number, s: number, label: number, t: AttributeThresholds): Attributes {
  if (!(Number.isInteger(label) && label >= 0 && label <= 9)) throw new Error(`attributesOf: label must be 0..9, got ${label}`);
  const [thin, thick] = t.ink[label];
  return {
    thickness: ink < thin ? 'thin' : ink > thick ? 'thick' : 'medium',
    slant: s < t.slant[0] ? 'left' : s > t.slant[1] ? 'right' : 'upright',
  };
}

/** Attributes of every image of a digit set. */
export function describeDigits(d: Digits, t: AttributeThresholds): Attributes[] {
  const m = measureDigits(d);
  return Array.from({ length: d.n }, (_, i) => classify(m.ink[i], m.slant[i], d.labels[i], t));
}
