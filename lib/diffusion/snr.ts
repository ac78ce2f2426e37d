// The forward process's signal-to-noise ratio. x_t = √ᾱ_t·x0 + √(1 − ᾱ_t)·ε carries the signal
// with variance ᾱ_t (per unit of data variance) and the noise with variance 1 − ᾱ_t, so
// SNR(t) = ᾱ_t / (1 − ᾱ_t): above 1 the data dominates x_t, below 1 the noise does.
import { Schedule } from './schedule';

/** SNR(t) = ᾱ_t / (1 − ᾱ_t) for every t of the schedule (Infinity where ᾱ_t = 1, i.e. no noise yet). */
export function signalToNoise(schedule: Schedule): Float64Array {
  const ab = schedule?.alphaBar;
  if (!ab || typeof ab.length !== 'number' || ab.length === 0) throw new Error('signalToNoise: expected a schedule with a non-empty alphaBar');
  return Float64Array.from(ab, (a, t) => {
    if (!(a >= 0 && a <= 1)) throw new Error(`signalToNoise: alphaBar[${t}] = ${a} is outside [0, 1]`);
    return a / (1 - a);
  });
}
