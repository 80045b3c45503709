/**
 * Special functions (browser-safe, no dependencies): modified Bessel functions of the first kind I_n(x) of integer
 * order, as used by the von Mises coupling exp(rho cos theta) = I_0(rho) + 2 sum_n I_n(rho) cos(n theta).
 *
 * Two independent methods:
 *  - besselIScaledSequence: Miller's backward recurrence I_{k-1} = (2k / x) I_k + I_{k+1}, normalised by the
 *    generating-function identity I_0(x) + 2 sum_{k>=1} I_k(x) = e^x (all terms positive: no cancellation). It gives
 *    e^-|x| I_0 .. e^-|x| I_nMax at once, to a few ulps, for any x (no overflow);
 *  - besselISeries: the power series sum_k (x/2)^(2k+n) / (k! (n+k)!), whose terms are all positive, so it is
 *    accurate wherever it does not overflow (|x| up to ~700); used as a cross-check in tests.
 * besselI(n, x) = e^|x| * (scaled value). I_n(-x) = (-1)^n I_n(x).
 */
import { ModelError } from "../errors.js";

/** Index at which the backward recurrence starts, far enough above both n and x for full double accuracy. */
function millerStart(nMax: number, ax: number): number {
  // The ratio I_{k+1}/I_k ~ x / (2k) for k >> x: starting well above max(n, x) the error of the arbitrary start
  // decays like the ratio of the dominant to the recessive solution, (x / 2k)^(2 (start - n)).
  const top = Math.max(nMax, Math.ceil(ax));
  return top + 20 + Math.ceil(Math.sqrt(60 * (top + 1)));
}

/**
 * e^-|x| I_k(x) for k = 0..nMax (Miller's backward recurrence, normalised with I_0 + 2 sum I_k = e^x).
 * Writes into `out` (length >= nMax + 1) when given.
 */
export function besselIScaledSequence(nMax: number, x: number, out?: Float64Array): Float64Array {
  if (!Number.isInteger(nMax) || nMax < 0) throw new ModelError(`besselI: order must be an integer >= 0, got ${nMax}`);
  if (!Number.isFinite(x)) throw new ModelError(`besselI: argument must be finite, got ${x}`);
  const res = out ?? new Float64Array(nMax + 1);
  const ax = Math.abs(x);
  if (ax === 0) {
    res.fill(0, 0, nMax + 1);
    res[0] = 1;
    return res;
  }
  const start = millerStart(nMax, ax);
  const twoOverX = 2 / ax;
  let above = 0; // I_{k+1} (unnormalised)
  let cur = 1e-280; // I_k at k = start (arbitrary tiny seed)
  let sum = 0; // sum_{k>=1} I_k (unnormalised)
  for (let k = start; k >= 1; k--) {
    if (k <= nMax) res[k] = cur;
    sum += cur;
    const below = k * twoOverX * cur + above;
    above = cur;
    cur = below;
    if (cur > 1e250) {
      // Rescale to stay in range (only the ratios matter).
      const s = 1e-250;
      cur *= s;
      above *= s;
      sum *= s;
      for (let j = Math.max(k, 1); j <= nMax; j++) res[j] *= s;
    }
  }
  // cur is now I_0 (unnormalised); e^|x| = I_0 + 2 sum.
  const norm = 1 / (cur + 2 * sum);
  res[0] = cur * norm;
  for (let k = 1; k <= nMax; k++) res[k] *= norm;
  if (x < 0) for (let k = 1; k <= nMax; k += 2) res[k] = -res[k];
  return res;
}

/** e^-|x| I_n(x). */
export function besselIScaled(n: number, x: number): number {
  const order = Math.abs(n); // I_-n = I_n for integer n
  return besselIScaledSequence(order, x)[order];
}

/** I_n(x) for integer n and real x (Infinity beyond overflow, |x| > ~709). */
export function besselI(n: number, x: number): number {
  return besselIScaled(n, x) * Math.exp(Math.abs(x));
}

/** I_0(x) .. I_nMax(x). */
export function besselISequence(nMax: number, x: number): Float64Array {
  const s = besselIScaledSequence(nMax, x);
  const e = Math.exp(Math.abs(x));
  for (let k = 0; k <= nMax; k++) s[k] *= e;
  return s;
}

/** I_n(x) by its power series (positive terms; accurate where it does not overflow, |x| <~ 700). */
export function besselISeries(n: number, x: number): number {
  const order = Math.abs(n);
  if (!Number.isInteger(order)) throw new ModelError(`besselI: order must be an integer, got ${n}`);
  const h = x / 2;
  const h2 = h * h;
  // First term (x/2)^n / n!, built as a product to avoid overflow of the factorial alone.
  let term = 1;
  for (let j = 1; j <= order; j++) term *= h / j;
  let sum = term;
  for (let k = 1; k < 10000; k++) {
    term *= h2 / (k * (k + order));
    sum += term;
    if (term <= sum * 1e-17 && k > h) break;
  }
  return sum;
}
