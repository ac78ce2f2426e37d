/** A guidance scale must be a finite number ≥ 0; anything else is an error naming the value. */
export function checkScale(fn: string, w: number): void {
  if (typeof w !== 'number' || !Number.isFinite(w) || w < 0) {
    throw new Error(`${fn}: guidance scale w must be a finite number ≥ 0, got ${w}`);
  }
}
