// What a learner reads when their function is wrong: the usual slips, run through the public
// tests. The first failing test names the term that is off, with every input, and the miss is
// far outside the tolerance (not a rounding-sized 1.1e-5 against 1e-5).
import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import { localCaller, runSpec } from '../../lib/exercise/run';
import { byId } from '../../lib/reference';
import ddpmSpec from './diffusion/ddpmStep.spec';
import cgSpec from './guidance/classifierGuidedEps.spec';
import ddimSpec from './diffusion/ddimStep.spec';
import eulerSpec from './diffusion/eulerStep.spec';
import forwardSpec from './diffusion/forwardSample.spec';
import guidedSpec from './guidance/guidedDdimStep.spec';
import epsFromX0Spec from './unclip/epsFromX0.spec';

type Step = (xt: tf.Tensor2D, epsHat: tf.Tensor2D, beta: number, abT: number, abPrev: number, z: tf.Tensor2D | null) => tf.Tensor2D;

/** A DDPM step with the coefficients given as functions of (β, ᾱ_t, ᾱ_{t−1}): x·a − ε̂·b + z·ν. */
function ddpmWith(a: (b: number, t: number, p: number) => number, bCoef: (b: number, t: number, p: number) => number, nu: (b: number, t: number, p: number) => number): Step {
  return (xt, epsHat, beta, abT, abPrev, z) =>
    tf.tidy(() => {
      const mean = tf.sub(tf.mul(xt, a(beta, abT, abPrev)), tf.mul(epsHat, bCoef(beta, abT, abPrev)));
      return (z ? tf.add(mean, tf.mul(z, nu(beta, abT, abPrev))) : mean) as tf.Tensor2D;
    });
}
const a = (b: number) => 1 / Math.sqrt(1 - b);
const bRight = (b: number, t: number) => b / Math.sqrt(1 - t) / Math.sqrt(1 - b);
const nuRight = (b: number, t: number, p: number) => Math.sqrt((b * (1 - p)) / (1 - t));

/** The first failing scored test of ddpmStep's public spec for a wrong step: its title and message. */
async function firstFailure(step: Function) {
  const results = await runSpec(ddpmSpec, localCaller(step, tf));
  const failed = results.filter((r) => r.points > 0 && !r.passed);
  return { first: failed[0], failed: failed.length, total: results.filter((r) => r.points > 0).length };
}

/** The measured and expected numbers of a "… is X instead of Y" message. */
function miss(message: string): number {
  const m = message.match(/coefficient is (-?[\d.e-]+) instead of (-?[\d.e-]+)/);
  expect(m, message).to.not.equal(null);
  return Math.abs(Number(m![1]) - Number(m![2]));
}

describe('ddpmStep: three wrong steps (issue 23) and what the public tests tell the learner', () => {
  it('the reference passes every test', async () => {
    const { failed } = await firstFailure(byId['diffusion/ddpmStep']);
    expect(failed).to.equal(0);
  });

  it('noise term dropped: the first failure is the noise test, saying z was given but had no effect', async () => {
    const { first } = await firstFailure(ddpmWith(a, bRight, () => 0));
    expect(first.title).to.match(/^adds ν_t·z/);
    expect(first.message).to.match(/^the noise scale ν_t is off/);
    expect(first.message).to.contain('z was given but x_{t−1} does not change with it');
    expect(first.message).to.contain('x_t = (0, 0), ε̂ = (0, 0), z = (1, -2); β_t = 0.5, ᾱ_t = 0.28, ᾱ_{t−1} = 0.56');
    expect(miss(first.message)).to.be.above(100 * 1e-5);
  });

  it('β/(1 − ᾱ_t) for β/√(1 − ᾱ_t): the first failure is about ε̂’s coefficient (the mean), not the noise', async () => {
    const { first } = await firstFailure(ddpmWith(a, (b, t) => b / (1 - t) / Math.sqrt(1 - b), nuRight));
    expect(first.title).to.match(/^subtracts β_t\/√\(1 − ᾱ_t\)·ε̂/);
    expect(first.message).to.match(/^the coefficient of ε̂/);
    expect(first.message).to.contain('that is β_t/(1 − ᾱ_t) where the step has β_t/√(1 − ᾱ_t)');
    expect(miss(first.message)).to.be.above(100 * 1e-5);
  });

  it('ν = √β: far outside the tolerance, and named as the forward step’s noise', async () => {
    const { first } = await firstFailure(ddpmWith(a, bRight, (b) => Math.sqrt(b)));
    expect(first.title).to.match(/^adds ν_t·z/);
    expect(first.message).to.contain('that is √β_t');
    expect(miss(first.message)).to.be.above(1000 * 1e-5);
  });

  it('ᾱ_t for α_t, and a missing 1/√α_t: the coefficient of x_t says which', async () => {
    const barred = await firstFailure(ddpmWith((b, t) => 1 / Math.sqrt(t), (b, t) => b / Math.sqrt(1 - t) / Math.sqrt(t), nuRight));
    expect(barred.first.title).to.match(/^divides x_t/);
    expect(barred.first.message).to.contain('that is 1/√ᾱ_t');
    const undivided = await firstFailure(ddpmWith(() => 1, (b, t) => b / Math.sqrt(1 - t), nuRight));
    expect(undivided.first.message).to.contain('x_t is not divided by √α_t');
  });

  it('on the schedule test, a miss also says which term is off, measured alone', async () => {
    const results = await runSpec(ddpmSpec, localCaller(ddpmWith(a, bRight, (b) => Math.sqrt(b)), tf));
    const full = results.find((r) => r.title.startsWith('matches'))!;
    expect(full.passed).to.equal(false);
    expect(full.message).to.match(/^x_{t−1}, element \[\d, \d\], is .* \(t = \d+: β_t = .*, ᾱ_t = .*, ᾱ_{t−1} = .*\) — measured alone, the noise scale ν_t is off/);
  });
});

describe('classifierGuidedEps: the usual slips are named', () => {
  /** ε̂ − k·(x0Class − x0All), with k a function of (ᾱ, w). */
  const withFactor = (k: (a: number, w: number) => number) => (e: tf.Tensor2D, xc: tf.Tensor2D, xa: tf.Tensor2D, a: number, w: number) =>
    tf.tidy(() => tf.sub(e, tf.mul(tf.sub(xc, xa), k(a, w))) as tf.Tensor2D);
  const first = async (f: Function) => (await runSpec(cgSpec, localCaller(f, tf))).filter((r) => r.points > 0 && !r.passed)[0];

  it('the reference passes', async () => {
    expect(await first(byId['guidance/classifierGuidedEps'])).to.equal(undefined);
  });

  it('the score left in score units (no √(1 − ᾱ)), and Tweedie without √ᾱ, are told apart', async () => {
    const units = await first(withFactor((a, w) => (w * Math.sqrt(a)) / (1 - a)));
    expect(units.message).to.match(/^the coefficient of x0Class/);
    expect(units.message).to.contain('turn the score into ε̂’s units by multiplying by √(1 − ᾱ_t)');
    const tweedie = await first(withFactor((a, w) => w / Math.sqrt(1 - a)));
    expect(tweedie.message).to.contain('the factor √ᾱ_t of Tweedie’s formula');
    const sign = await first(withFactor((a, w) => (-w * Math.sqrt(a)) / Math.sqrt(1 - a)));
    expect(sign.message).to.contain('the sign is wrong');
  });
});

describe('ddimStep: a miss says which term is off', () => {
  it('ν without its η·√((1 − ᾱ_s)/(1 − ᾱ_t)) factor: the noise scale is named, with the measured number', async () => {
    const wrong = (xt: tf.Tensor2D, e: tf.Tensor2D, abT: number, abS: number, eta: number, z: tf.Tensor2D | null) =>
      tf.tidy(() => {
        const nu = eta * Math.sqrt(1 - abT / abS); // the slip
        const x0 = tf.div(tf.sub(xt, tf.mul(e, Math.sqrt(1 - abT))), Math.sqrt(abT));
        const mean = tf.add(tf.mul(x0, Math.sqrt(abS)), tf.mul(e, Math.sqrt(Math.max(0, 1 - abS - nu * nu))));
        return (z ? tf.add(mean, tf.mul(z, nu)) : mean) as tf.Tensor2D;
      });
    const results = await runSpec(ddimSpec, localCaller(wrong, tf));
    const failed = results.filter((r) => r.points > 0 && !r.passed);
    expect(failed[0].title).to.match(/^η = 1 on one step is DDPM/);
    // The mean (z = null) shows the slip through ε̂'s coefficient; with z given, ν itself is named.
    expect(failed[0].message).to.match(/— measured alone, the coefficient of ε̂, .* is -?[\d.e-]+ instead of -?[\d.e-]+ \(x_t = /);
    const between = results.find((r) => r.title.startsWith('η between'))!;
    expect(between.message).to.match(/— measured alone, the fresh-noise scale ν is -?[\d.e-]+ instead of -?[\d.e-]+ \(x_t = \(0, 0\), ε̂ = \(0, 0\), z = \(1, -2\); η = 0.5\)$/);
  });
});

describe('eulerStep and forwardSample: a miss names the coefficient that is off', () => {
  it('eulerStep with σ = √(1 − ᾱ) (the DDPM noise scale, not the noise level of x̄): ε̂’s coefficient is named', async () => {
    const wrong = (x: tf.Tensor2D, e: tf.Tensor2D, abT: number, abS: number) =>
      tf.tidy(() => tf.mul(tf.add(tf.div(x, Math.sqrt(abT)), tf.mul(e, Math.sqrt(1 - abS) - Math.sqrt(1 - abT))), Math.sqrt(abS)) as tf.Tensor2D);
    const r = (await runSpec(eulerSpec, localCaller(wrong, tf))).find((x) => x.points > 0 && !x.passed)!;
    expect(r.message).to.match(/— measured alone, the coefficient of ε̂, √ᾱ_s·\(σ_s − σ_t\), is -?[\d.e-]+ instead of -?[\d.e-]+ \(x = \(0, 0\), ε̂ = \(1, -2\); ᾱ_t = /);
  });

  it('forwardSample with ᾱ for √ᾱ: x0’s coefficient is named', async () => {
    const wrong = (x0: tf.Tensor2D, e: tf.Tensor2D, a: number) => tf.tidy(() => tf.add(tf.mul(x0, a), tf.mul(e, Math.sqrt(1 - a))) as tf.Tensor2D);
    const r = (await runSpec(forwardSpec, localCaller(wrong, tf))).find((x) => x.points > 0 && !x.passed)!;
    expect(r.message).to.contain('— measured alone, the coefficient of x0, √ᾱ, is 0.3 instead of 0.5477 (x0 = (1, -2), ε = (0, 0); ᾱ = 0.3)');
  });
});

describe('guidedDdimStep and epsFromX0: a miss names the coefficient that is off', () => {
  it('guidedDdimStep with cond and uncond swapped: epsUncond’s coefficient is named', async () => {
    const wrong = (xt: tf.Tensor2D, eu: tf.Tensor2D, ec: tf.Tensor2D, w: number, a: number, s: number) =>
      tf.tidy(() => {
        const e = tf.add(ec, tf.mul(tf.sub(eu, ec), w)); // the slip
        const x0 = tf.div(tf.sub(xt, tf.mul(e, Math.sqrt(1 - a))), Math.sqrt(a));
        return tf.add(tf.mul(x0, Math.sqrt(s)), tf.mul(e, Math.sqrt(1 - s))) as tf.Tensor2D;
      });
    const r = (await runSpec(guidedSpec, localCaller(wrong, tf))).find((x) => x.points > 0 && !x.passed)!;
    expect(r.message).to.match(/— measured alone, the coefficient of epsUncond, .* is -?[\d.e-]+ instead of -?[\d.e-]+ \(x_t = \(0, 0\), epsUncond = \(1, -2\), epsCond = \(0, 0\); w = 0, ᾱ_t = 0.3, ᾱ_s = 0.6\)/);
  });

  it('epsFromX0 without the √ᾱ on x̂0: x̂0’s coefficient is named', async () => {
    const wrong = (xt: tf.Tensor2D, x0: tf.Tensor2D, a: number) => tf.tidy(() => tf.div(tf.sub(xt, x0), Math.sqrt(1 - a)) as tf.Tensor2D);
    const r = (await runSpec(epsFromX0Spec, localCaller(wrong, tf))).find((x) => x.points > 0 && !x.passed)!;
    expect(r.message).to.match(/— measured alone, the coefficient of x̂0, −√ᾱ\/√\(1 − ᾱ\), is -1.054 instead of -0.3333 \(x_t = \(0, 0\), x̂0 = \(1, -2\); ᾱ = 0.1\)/, r.message);
  });
});
