// Generated from solutions/ by `npm run exercises`: write your code where it says TODO.
import * as tf from '@tensorflow/tfjs';
import { checkScale } from '../../lib/guidance/checkScale';

/**
 * Classifier guidance (Dhariwal & Nichol 2021): steer a noise prediction ε̂ towards class c with the
 * gradient of a classifier of noisy points, p(c | x_t):
 *
 *   ε̂_guided = ε̂ − w · √(1 − ᾱ_t) · ∇_x log p(c | x_t)
 *
 * (a score is −ε̂/√(1 − ᾱ_t), so adding w·∇log p(c | x_t) to the score is this change of ε̂; w = 0
 * leaves ε̂ alone, w = 1 turns an unconditional ε̂ into the conditional one, w > 1 pushes further).
 *
 * The classifier here is exact: the data's own Bayes classifier, given through two exact
 * denoisers, x0Class = E[x0 | x_t, c] (the ideal denoiser of class c's points) and
 * x0All = E[x0 | x_t] (of all the points). Bayes' rule, p(c | x) = p(x | c)·p(c)/p(x), gives
 *
 *   ∇log p(c | x_t) = ∇log p_t(x_t | c) − ∇log p_t(x_t)
 *
 * and Tweedie's formula gives each score from its denoiser:
 *
 *   ∇log p_t(x) = −(x − √ᾱ_t · E[x0 | x]) / (1 − ᾱ_t)
 *
 * Put the two together: x_t cancels, and the gradient needs only x0Class, x0All and ᾱ_t.
 *
 * epsHat, x0Class and x0All are [n, d]; alphaBarT = ᾱ_t in (0, 1). Returns ε̂_guided [n, d].
 * The checks are given: a bad w, an ᾱ outside (0, 1) or different shapes is an error naming the
 * value or the shapes.
 *
 * Hint: compute the gradient first (one tf.sub, one scale), then the guided ε̂; wrap it in tf.tidy.
 */
export function classifierGuidedEps(epsHat: tf.Tensor2D, x0Class: tf.Tensor2D, x0All: tf.Tensor2D, alphaBarT: number, w: number): tf.Tensor2D {
  checkScale('classifierGuidedEps', w);
  if (!(typeof alphaBarT === 'number' && alphaBarT > 0 && alphaBarT < 1)) throw new Error(`classifierGuidedEps: alphaBarT = ${alphaBarT} is outside (0, 1)`);
  for (const [name, x] of [['x0Class', x0Class], ['x0All', x0All]] as const) {
    if (x.shape.join() !== epsHat.shape.join()) throw new Error(`classifierGuidedEps: epsHat has shape [${epsHat.shape}] but ${name} has [${x.shape}]`);
  }
  // TODO: your code here
  throw new Error('not implemented: classifierGuidedEps');
}
