// The times a k-step flow sampler visits: 1 = pure noise down to 0 = data, evenly spaced.
/** [1, 1 − 1/k, …, 1/k, 0]: k + 1 times, k steps. */
export function flowTimes(k: number): number[] {
  if (!(Number.isInteger(k) && k >= 1)) throw new Error(`flowTimes: the number of steps must be a positive integer, got ${k}`);
  return Array.from({ length: k + 1 }, (_, i) => (k - i) / k);
}

/** Throw unless times is a strictly decreasing list of ≥ 2 times in [0, 1]. */
export function checkTimes(times: number[], fn: string): void {
  if (!Array.isArray(times) || times.length < 2) throw new Error(`${fn}: need at least two times (start and end), got ${JSON.stringify(times)}`);
  times.forEach((t, i) => {
    if (!(typeof t === 'number' && t >= 0 && t <= 1)) throw new Error(`${fn}: times[${i}] = ${t} is outside [0, 1]`);
    if (i > 0 && !(t < times[i - 1])) throw new Error(`${fn}: times must strictly decrease, but times[${i - 1}] = ${times[i - 1]} and times[${i}] = ${t}`);
  });
}
