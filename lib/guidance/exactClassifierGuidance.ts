// Classifier guidance with the exact Bayes classifier of a labelled point set, as an EpsModel:
//   ε̃(x_t, t) = ε̂_base(x_t, t) − w·√(1 − ᾱ_t)·∇log p(c | x_t)
// with ∇log p(c | x_t) from two exact denoisers, E[x0 | x_t, c] of class c's points and E[x0 | x_t]
// of all of them (Bayes' rule and Tweedie's formula). Chapter 5's exercise classifierGuidedEps
// takes that step: the learner's once it passed its check, the reference until then. The two
// denoisers are lib/math's float64 mixture posterior (classes weighted by their share of points).
import * as tf from '@tensorflow/tfjs';
import { EpsModel, Schedule, callEps, checkT } from '../diffusion';
import { LabelledPoints } from '../data';
import { mixturePosterior } from '../math/mixturePosterior';
import { checkScale } from './checkScale';
import { classifierGuidedEps } from './exercises';

/** ε̂_base steered towards class c by the exact classifier of `data` at scale w (w = 1: the conditional of an exact base). */
export function exactClassifierGuidance(base: EpsModel, data: LabelledPoints, c: number, schedule: Schedule, w: number): EpsModel {
  checkScale('exactClassifierGuidance', w);
  const { points, labels, classes } = data;
  const m = points.length / 2;
  if (!(Number.isInteger(m) && m >= 1) || labels.length !== m) throw new Error(`exactClassifierGuidance: ${points.length / 2} points for ${labels.length} labels`);
  if (!(Number.isInteger(c) && c >= 0 && c < classes)) throw new Error(`exactClassifierGuidance: class ${c} is not one of 0 … ${classes - 1}`);
  const all = Float64Array.from(points);
  const mine: number[] = [];
  for (let i = 0; i < m; i++) if (labels[i] === c) mine.push(points[2 * i], points[2 * i + 1]);
  if (mine.length === 0) throw new Error(`exactClassifierGuidance: class ${c} has no points`);
  const ofClass = Float64Array.from(mine);
  return (xt, t) => {
    checkT(schedule, t, 'exactClassifierGuidance');
    const ab = schedule.alphaBar[t];
    const x = xt.dataSync();
    const [a, oneMinusA, s] = [Math.sqrt(ab), (1 - ab) / (1 + Math.sqrt(ab)), Math.sqrt(1 - ab)];
    const x0Class = mixturePosterior(ofClass, x, 2, a, oneMinusA, s).x0;
    const x0All = mixturePosterior(all, x, 2, a, oneMinusA, s).x0;
    return tf.tidy(() => {
      const eps = callEps(base, xt, t, 'exactClassifierGuidance');
      const shape = xt.shape as [number, number];
      return classifierGuidedEps(eps, tf.tensor2d(Float32Array.from(x0Class), shape), tf.tensor2d(Float32Array.from(x0All), shape), ab, w);
    });
  };
}
