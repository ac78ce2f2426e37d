// Independent references the public exercise tests share: plain JS on plain arrays.
import { mention, tensor, type Mention } from '../../lib/exercise/spec';

/** DDPM's linear schedule, by hand: β_t and ᾱ_t for t = 0..999. */
export const T = 1000;
export const betas = Array.from({ length: T }, (_, t) => 1e-4 + ((0.02 - 1e-4) * t) / (T - 1));
export const abar: number[] = [];
betas.reduce((p, b, t) => ((abar[t] = p * (1 - b)), abar[t]), 1);

/** A [rows, flat.length / rows] float tensor input. */
export function t2(flat: ArrayLike<number>, rows: number) {
  return tensor(flat, [rows, flat.length / rows]);
}

export const fmt = (x: number) => Number(x.toPrecision(4));

// ---------------------------------------------------------------- plain-JS linear algebra (float64)

/** Rows of a flat row-major array: n rows of d. */
export function rowsOf(v: ArrayLike<number>, n: number, d: number): number[][] {
  return Array.from({ length: n }, (_, i) => Array.from({ length: d }, (_, j) => v[i * d + j]));
}
export const dot = (a: number[], b: number[]) => a.reduce((s, x, i) => s + x * b[i], 0);
/** a / |a|. */
export const unit = (a: number[]) => {
  const n = Math.sqrt(dot(a, a));
  return a.map((x) => x / n);
};
/** log Σ exp(x), shifted by the max so it never overflows. */
export const logSumExp = (xs: number[]) => {
  const m = Math.max(...xs);
  return m + Math.log(xs.reduce((s, x) => s + Math.exp(x - m), 0));
};
/** softmax(x), shifted by the max. */
export const softmax = (xs: number[]) => {
  const l = logSumExp(xs);
  return xs.map((x) => Math.exp(x - l));
};

/** CLIP's symmetric contrastive loss in float64: (mean row −log softmax[i][i] + mean column …) / 2. */
export function clipLoss(z: number[][]): number {
  const n = z.length;
  let rows = 0;
  let cols = 0;
  for (let i = 0; i < n; i++) rows += logSumExp(z[i]) - z[i][i];
  for (let j = 0; j < n; j++) cols += logSumExp(z.map((r) => r[j])) - z[j][j];
  return (rows / n + cols / n) / 2;
}

/** A matrix in a message: [[1, 2], [3, 4]]. */
export const showMatrix = (m: number[][]) => `[${m.map((r) => `[${r.map(fmt).join(', ')}]`).join(', ')}]`;

// ---------------------------------------------------------------- error messages

const NUM = String.raw`[-+]?(?:\d+(?:\.\d*)?(?:e[-+]?\d+)?|∞|Infinity)`;
const esc = (s: string) => s.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');

/**
 * The value v named in its own right ("alphaBar = 1", "got 1", "1 is outside"), where an end of
 * an interval does not count: "(0, 1)" or "[0, 1]" names the range the stub states, not the
 * value the learner was given. So "idealDenoiser: alphaBar must be in (0, 1)" does not name 1,
 * and any wording that does ("alphaBar = 1 is outside (0, 1)", "ᾱ must be < 1, got 1") passes.
 */
export function named(v: number, noun = 'the value'): Mention {
  const t = esc(String(v));
  // Not part of a longer number, and not the first or the second end of a bracketed interval.
  const re = new RegExp(
    String.raw`(?<![\w.])${t}(?![\w.])` +
      String.raw`(?!(?<=[(\[]\s{0,3}${t})\s{0,3},\s{0,3}${NUM}\s{0,3}[)\]])` +
      String.raw`(?!(?<=[(\[]\s{0,3}${NUM}\s{0,3},\s{0,3}${t})\s{0,3}[)\]])`,
  );
  return mention(re, `${noun} ${v} (on its own, not only as an end of the range)`);
}

// ---------------------------------------------------------------- which term is off

/**
 * For a function linear in some [n, d] inputs: measure each input's coefficient alone (that input
 * (1, −2), the others zero) and describe the first that is off, as " — measured alone, <name> is
 * 0.83 instead of 0.6 (…)"; '' when every coefficient is right (then the miss is elsewhere).
 * `call` gets the inputs in order as [1, 2] tensors and calls the learner's function.
 */
export async function termOff(
  call: (inputs: ReturnType<typeof tensor>[]) => Promise<unknown>,
  terms: { name: string; want: number }[],
  given: string,
): Promise<string> {
  const probe = [1, -2];
  for (let k = 0; k < terms.length; k++) {
    const inputs = terms.map((_, j) => tensor(j === k ? probe : [0, 0], [1, 2]));
    let got: number[];
    try {
      const r = (await call(inputs)) as { values?: number[] };
      got = Array.isArray(r?.values) ? r.values : [];
    } catch {
      return '';
    }
    const want = terms[k].want;
    if (got.length !== 2 || Math.abs(got[0] - want) > 1e-5 || Math.abs(got[1] + 2 * want) > 1e-5) {
      const shown = terms.map((term, j) => `${term.name.split(',')[0].replace(/^the coefficient of /, '')} = ${j === k ? '(1, -2)' : '(0, 0)'}`).join(', ');
      return ` — measured alone, ${terms[k].name} is ${got.length ? fmt(got[0]) : 'missing'} instead of ${fmt(want)} (${shown}; ${given})`;
    }
  }
  return '';
}
