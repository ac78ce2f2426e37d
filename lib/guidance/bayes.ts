// Guidance as Bayes' rule, made exact on the labelled spiral. Treat the labelled training points
// as the whole distribution: p_t(x | c) is the forward process applied to class c's points, and
// the ideal denoiser of those points gives its noise prediction ε̂_c (chapter 3's idealEps), of all
// points ε̂_∅. Since ∇log p_t(x) = −ε̂/√(1 − ᾱ_t) (chapter 4's score), Bayes' rule
//   log p(c | x_t) = log p_t(x | c) + log p(c) − log p_t(x)
// gives the exact classifier's gradient
//   √(1 − ᾱ_t)·∇log p(c | x_t) = ε̂_∅ − ε̂_c,
// so the difference classifier-free guidance amplifies is, for a perfect denoiser, the gradient of
// a classifier. CFG with this course's w samples roughly p(x)·p(c | x)^w (Ho & Salimans' scale is w − 1).
// Classifier guidance (Dhariwal & Nichol 2021) with this classifier is exactClassifierGuidance
// (./exactClassifierGuidance.ts), which runs chapter 5's exercise classifierGuidedEps.
import { EpsModel, Schedule, checkT, idealEps } from '../diffusion';
import { LabelledPoints } from '../data';

export interface BayesClassifier {
  classes: number;
  /** p(c | x_t) for every row of x (flat 2D points), as [n × classes] row-major probabilities (float64). */
  posterior(x: Float32Array, t: number): Float64Array;
  /** The ideal noise prediction of class c's points (null: of all points). */
  eps(c: number | null): EpsModel;
  dispose(): void;
}

/** The exact Bayes classifier of labelled 2D points under the schedule's forward process. */
export function bayesClassifier(data: LabelledPoints, schedule: Schedule): BayesClassifier {
  const { points, labels, classes } = data;
  const m = points.length / 2;
  if (!(Number.isInteger(m) && m >= 1) || labels.length !== m) throw new Error(`bayesClassifier: ${points.length / 2} points for ${labels.length} labels`);
  for (let i = 0; i < m; i++) if (!(Number.isInteger(labels[i]) && labels[i] >= 0 && labels[i] < classes)) throw new Error(`bayesClassifier: label ${labels[i]} of point ${i} is outside 0 … ${classes - 1}`);
  const of = (c: number) => {
    const out: number[] = [];
    for (let i = 0; i < m; i++) if (labels[i] === c) out.push(points[2 * i], points[2 * i + 1]);
    if (out.length === 0) throw new Error(`bayesClassifier: class ${c} has no points`);
    return Float32Array.from(out);
  };
  const all = idealEps(points, 2, schedule);
  const per = Array.from({ length: classes }, (_, c) => idealEps(of(c), 2, schedule));
  return {
    classes,
    posterior(x, t) {
      checkT(schedule, t, 'bayesClassifier.posterior');
      if (x.length % 2 !== 0) throw new Error(`bayesClassifier.posterior: length ${x.length} is not a multiple of 2`);
      const ab = schedule.alphaBar[t];
      const r = Math.sqrt(ab);
      const n = x.length / 2;
      const out = new Float64Array(n * classes);
      const logit = new Float64Array(m);
      for (let i = 0; i < n; i++) {
        // Each point's log-likelihood −|x − √ᾱ x_j|² / 2(1 − ᾱ), differences taken directly (float64).
        let top = -Infinity;
        for (let j = 0; j < m; j++) {
          const dx = x[2 * i] - r * points[2 * j];
          const dy = x[2 * i + 1] - r * points[2 * j + 1];
          logit[j] = -(dx * dx + dy * dy) / (2 * (1 - ab));
          if (logit[j] > top) top = logit[j];
        }
        let z = 0;
        for (let j = 0; j < m; j++) {
          const w = Math.exp(logit[j] - top);
          out[i * classes + labels[j]] += w;
          z += w;
        }
        for (let c = 0; c < classes; c++) out[i * classes + c] /= z;
      }
      return out;
    },
    eps(c) {
      if (c === null) return all;
      if (!(Number.isInteger(c) && c >= 0 && c < classes)) throw new Error(`bayesClassifier: unknown class ${c}; classes are 0 … ${classes - 1}`);
      return per[c];
    },
    dispose() {
      all.dispose();
      per.forEach((e) => e.dispose());
    },
  };
}
