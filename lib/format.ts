// Numbers as a reader wants them: to the digits that matter, not the 17 that a double carries.

/**
 * A number to `digits` significant digits (default 4), trailing zeros dropped:
 * integers print as integers, every digit (60000, 1234567, -3); 0.9940000000000001 → "0.994", 57.66271269100001 → "57.66";
 * magnitudes below 1e-3 or from 1e6 up in exponent form (-0.0002646946649105253 → "-2.647e-4");
 * non-integers from 10^digits up are rounded to an integer (12345.6 → "12346").
 */
export function fmt(x: number, digits = 4): string {
  if (typeof x !== 'number') throw new Error(`fmt: expected a number, got ${typeof x}`);
  if (!Number.isInteger(digits) || digits < 1 || digits > 17) throw new Error(`fmt: digits must be an integer in 1..17, got ${digits}`);
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? '∞' : '-∞';
  if (x === 0) return '0';
  const a = Math.abs(x);
  // Counts and step numbers are exact: all their digits matter.
  if (Number.isInteger(x) && a < 1e15) return String(x);
  if (a < 1e-3 || a >= 1e6) {
    const [m, e] = x.toExponential(digits - 1).split('e');
    return `${trimZeros(m)}e${e.replace('+', '')}`;
  }
  const s = x.toPrecision(digits);
  // toPrecision switches to exponent form once the integer part needs more than `digits` digits.
  return s.includes('e') ? String(Math.round(x)) : trimZeros(s);
}

function trimZeros(s: string): string {
  return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
}

/** A share in [0, 1] as a percentage: 0.9940000000000001 → "99.4%". */
export function pct(x: number, digits = 3): string {
  return `${fmt(x * 100, digits)}%`;
}
