// Two numbers about arrow fields (lib/plot's Field: positions x, y and arrows u, v).
//
// Where do the arrows converge? The point p nearest, in least squares, to every arrow's line:
// with d_i the unit arrow at x_i and P_i = I − d_i d_iᵀ (the projection across the arrow),
// p minimises Σ_i |P_i (p − x_i)|², so (Σ P_i) p = Σ P_i x_i (a 2×2 solve). For arrows that all
// aim at one point it is that point; for a field that points at many places it is a compromise.
//
// How alike are two fields on the same grid? The mean cosine between their arrows (direction)
// and the relative RMS difference |a − b|_rms / |b|_rms (size too; b is the reference).
import type { Field } from '../plot';

function checkField(f: Field, fn: string): number {
  const n = f.x.length;
  if (n === 0 || f.y.length !== n || f.u.length !== n || f.v.length !== n) {
    throw new Error(`${fn}: a field needs x, y, u, v of one nonzero length, got ${f.x.length}, ${f.y.length}, ${f.u.length}, ${f.v.length}`);
  }
  return n;
}

/** The least-squares meeting point of the arrows' lines (arrows of zero length are skipped). */
export function convergencePoint(f: Field): [number, number] {
  const n = checkField(f, 'convergencePoint');
  let a = 0, b = 0, c = 0, rx = 0, ry = 0;
  for (let i = 0; i < n; i++) {
    const len = Math.hypot(f.u[i], f.v[i]);
    if (!(len > 0)) continue;
    const dx = f.u[i] / len;
    const dy = f.v[i] / len;
    // P = [[1 − dx², −dx·dy], [−dx·dy, 1 − dy²]]
    const pxx = 1 - dx * dx, pxy = -dx * dy, pyy = 1 - dy * dy;
    a += pxx;
    b += pxy;
    c += pyy;
    rx += pxx * f.x[i] + pxy * f.y[i];
    ry += pxy * f.x[i] + pyy * f.y[i];
  }
  const det = a * c - b * b;
  if (!(Math.abs(det) > 1e-9 * Math.max(1, a * c))) throw new Error('convergencePoint: the arrows are (nearly) parallel, so their lines meet nowhere');
  return [(c * rx - b * ry) / det, (a * ry - b * rx) / det];
}

/** Mean cosine between a's and b's arrows, and |a − b|_rms / |b|_rms, on the same grid. */
export function fieldAgreement(a: Field, b: Field): { cos: number; relErr: number } {
  const n = checkField(a, 'fieldAgreement');
  if (checkField(b, 'fieldAgreement') !== n) throw new Error(`fieldAgreement: the fields have ${n} and ${b.x.length} arrows`);
  let cos = 0, diff = 0, ref = 0;
  for (let i = 0; i < n; i++) {
    if (a.x[i] !== b.x[i] || a.y[i] !== b.y[i]) throw new Error(`fieldAgreement: arrow ${i} sits at (${a.x[i]}, ${a.y[i]}) in one field and (${b.x[i]}, ${b.y[i]}) in the other`);
    const la = Math.hypot(a.u[i], a.v[i]);
    const lb = Math.hypot(b.u[i], b.v[i]);
    cos += la > 0 && lb > 0 ? (a.u[i] * b.u[i] + a.v[i] * b.v[i]) / (la * lb) : 0;
    diff += (a.u[i] - b.u[i]) ** 2 + (a.v[i] - b.v[i]) ** 2;
    ref += lb * lb;
  }
  if (!(ref > 0)) throw new Error('fieldAgreement: the reference field b is zero everywhere');
  return { cos: cos / n, relErr: Math.sqrt(diff / ref) };
}
