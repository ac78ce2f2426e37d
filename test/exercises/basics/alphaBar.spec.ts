import { exactAlphaBar } from '../../../lib/math';
import { exercise, names, near, ok, test, valuesOf, words } from '../../../lib/exercise/spec';

const linear = Array.from({ length: 1000 }, (_, i) => 1e-4 + ((0.02 - 1e-4) * i) / 999);

export default exercise('basics/alphaBar', 'alphaBar', [
  test(2, 'matches the exact product of (1 − β) on the linear schedule', async (t) => {
    const got = await t.call(linear);
    const exact = exactAlphaBar(linear.slice(0, 40)).map((f) => Number(f.valueOf()));
    near(valuesOf(got).slice(0, 40), exact, { tol: 1e-6, what: 'ᾱ_t for t < 40', given: 'linear β from 1e-4 to 0.02' });
  }),
  test(1, 'far along the schedule: ᾱ_499 and ᾱ_999 as diffusers computes them', async (t) => {
    const got = valuesOf(await t.call(linear));
    ok(got.length === 1000, `alphaBar should return 1000 values for 1000 betas, got ${got.length}`);
    // Pinned outside reference values (diffusers' DDPMScheduler, linear 1e-4..0.02, T = 1000).
    near([got[0], got[499], got[999]], [0.9999, 0.0785872, 4.03583e-5], { rel: 1e-4, tol: 1e-9, what: 'ᾱ at t = 0, 499, 999' });
  }),
  test(1, 'is decreasing and starts at 1 − β_1', async (t) => {
    near(await t.call([0.5, 0.5, 0.5]), [0.5, 0.25, 0.125], { tol: 0, given: 'β = [0.5, 0.5, 0.5]' });
  }),
  test(1, 'rejects β outside [0, 1] or NaN, naming the index and value', async (t) => {
    names(await t.throws([0.1, 1.5]), 'alphaBar', [words('beta[1] = 1.5')], 'β = [0.1, 1.5]');
    names(await t.throws([NaN]), 'alphaBar', [words('beta[0] = NaN')], 'β = [NaN]');
  }),
]);
