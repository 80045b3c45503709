// Student's t for decisions from few values: when a difference of `value` with a standard error from n values counts as
// resolved (the false-alarm rate of 4 normal standard errors). Pure arithmetic, no engine: figure modules may import it.
// Re-exported by src/stochastic/statistics.ts and the library entry. Student's tail, Fisher's F tail and the normal
// tail use the portable atan, sin, cos, exp and log (src/special/elementary.ts): the same last bits in every
// JavaScript engine, so a Node run and a browser never disagree about a flag.
import * as portable from "./special/elementary.js";
import { ModelError } from "./errors.js";

/** Standard errors at which a normally distributed estimate counts as resolved from a value (the project's rule). */
export const RESOLVED_NORMAL_Z = 4;

const SC = new Float64Array(2); // sin and cos of theta

/**
 * The two-sided tail P(|T| > t) of Student's t with `df` (a positive integer) degrees of freedom, from the finite
 * sums of Abramowitz & Stegun 26.7.3-4 in theta = atan(t / sqrt(df)); df above 1000 is taken as 1000 (the tail then
 * differs from the limit by less than 1% of itself at t = 4, and errs on the side of a larger tail).
 *
 * @example
 * ```ts
 * import { studentTwoSidedTail } from "ness";
 *
 * // 4 standard errors from 3 values (2 degrees of freedom) are crossed by chance 5.7% of the time.
 * console.log(studentTwoSidedTail(4, 2).toFixed(4)); // => 0.0572
 * ```
 */
export function studentTwoSidedTail(t: number, df: number): number {
  if (!(df >= 1) || !Number.isInteger(df))
    throw new ModelError(`degrees of freedom must be a positive integer, got ${df}`);
  if (typeof t !== "number" || Number.isNaN(t)) throw new ModelError(`t must be a number, got ${String(t)}`);
  const a = Math.abs(t);
  if (a === Infinity) return 0;
  const nu = Math.min(df, 1000);
  const theta = portable.atan(a / Math.sqrt(nu));
  portable.sincos(theta, SC);
  const s = SC[0],
    c = SC[1];
  const c2 = c * c;
  let inside: number;
  if (nu % 2 === 1) {
    // A = (2/pi) (theta + sin cos (1 + 2/3 cos^2 + 2.4/(3.5) cos^4 + ... up to cos^(nu-3))) for nu > 1.
    let term = 1,
      sum = nu > 1 ? 1 : 0;
    for (let k = 1; 2 * k + 1 <= nu - 2; k++) {
      term *= ((2 * k) / (2 * k + 1)) * c2;
      sum += term;
    }
    inside = (2 / Math.PI) * (theta + s * c * sum);
  } else {
    // A = sin (1 + 1/2 cos^2 + 1.3/(2.4) cos^4 + ... up to cos^(nu-2)).
    let term = 1,
      sum = 1;
    for (let k = 1; 2 * k <= nu - 2; k++) {
      term *= ((2 * k - 1) / (2 * k)) * c2;
      sum += term;
    }
    inside = s * sum;
  }
  return Math.min(1, Math.max(0, 1 - inside));
}

const resolvedCache = new Map<number | string, number>();

/** The t >= lo whose two-sided Student tail with df degrees of freedom is `target`, by bisection to 1e-12 of t. */
function twoSidedQuantile(target: number, df: number, lo: number): number {
  let hi = Math.max(2 * lo, 2);
  while (studentTwoSidedTail(hi, df) > target) hi *= 2;
  for (let i = 0; i < 200 && hi - lo > 1e-12 * hi; i++) {
    const mid = 0.5 * (lo + hi);
    if (studentTwoSidedTail(mid, df) > target) lo = mid;
    else hi = mid;
  }
  return 0.5 * (lo + hi);
}

/**
 * The number of standard errors beyond which a mean of `n` independent values (replicas, or batch means taken as
 * independent) counts as resolved from a value: the Student-t quantile with n - 1 degrees of freedom whose two-sided
 * tail equals that of RESOLVED_NORMAL_Z = 4 normal standard errors (6.3e-5). With n values the standard error is
 * itself estimated from n values, so value/error follows t_(n-1), not a normal: 4 error bars are crossed by chance
 * 16% of the time with 2 values, 2.8% with 4, 0.5% with 8, 0.12% with 16. The threshold keeps the false-alarm rate of
 * the normal rule: 10050 for n = 2, 32.6 for n = 4, 8.47 for n = 8, 5.48 for n = 16, 4.62 for n = 32, -> 4.
 * Infinity for fewer than 2 values (no error bar).
 * `share` (0 < share <= 1, default 1) takes that false-alarm rate times `share` instead: a decision made at one of K
 * pre-declared looks at growing data (a sequential run that stops when decided) takes share 1/K at every look, so that
 * the chance of a false decision at any look stays within the single rule's (Bonferroni): 5.48 for n = 16 becomes 5.86
 * at share 1/2.
 *
 * @example
 * ```ts
 * import { resolvedStandardErrors } from "ness";
 *
 * console.log(resolvedStandardErrors(16).toFixed(2), resolvedStandardErrors(1)); // => 5.48 Infinity
 * ```
 */
export function resolvedStandardErrors(n: number, share = 1): number {
  if (typeof n !== "number" || Number.isNaN(n)) throw new ModelError(`a number of values must be a number, got ${n}`);
  if (!(share > 0 && share <= 1)) throw new ModelError(`a false-alarm share must lie in (0, 1], got ${share}`);
  if (!(n >= 2)) return Infinity;
  const df = Math.min(Math.floor(n) - 1, 1000);
  const key = share === 1 ? df : `${df}:${share}`;
  const cached = resolvedCache.get(key);
  if (cached !== undefined) return cached;
  const z = twoSidedQuantile(2 * normalUpperTail(RESOLVED_NORMAL_Z) * share, df, RESOLVED_NORMAL_Z);
  resolvedCache.set(key, z);
  return z;
}

const oneSidedCache = new Map<string, number>();

/**
 * The number of standard errors of a one-sided bound at `confidence` (0.5 <= confidence < 1, default 0.95) for a mean
 * of `n` independent values: the Student-t quantile with n - 1 degrees of freedom that P(T > t) = 1 - confidence
 * (2.353 for n = 4, 1.895 for n = 8, 1.753 for n = 16, towards the normal's 1.645 at 0.95). Infinity for fewer than
 * 2 values. Not a resolution threshold (that is resolvedStandardErrors): for a quantity whose error on one side can only
 * cost, never decide wrongly, such as a run length that a too-short run turns into "undecided".
 *
 * @example
 * ```ts
 * import { confidenceStandardErrors } from "ness";
 *
 * console.log(confidenceStandardErrors(4).toFixed(3), confidenceStandardErrors(8).toFixed(3)); // => 2.353 1.895
 * ```
 */
export function confidenceStandardErrors(n: number, confidence = 0.95): number {
  if (typeof n !== "number" || Number.isNaN(n)) throw new ModelError(`a number of values must be a number, got ${n}`);
  if (!(confidence >= 0.5 && confidence < 1))
    throw new ModelError(`a one-sided confidence must lie in [0.5, 1), got ${confidence}`);
  if (!(n >= 2)) return Infinity;
  if (confidence === 0.5) return 0;
  const df = Math.min(Math.floor(n) - 1, 1000);
  const key = `${df}:${confidence}`;
  const cached = oneSidedCache.get(key);
  if (cached !== undefined) return cached;
  // P(T > t) = twoSidedTail(t) / 2 by symmetry.
  const z = twoSidedQuantile(2 * (1 - confidence), df, 0);
  oneSidedCache.set(key, z);
  return z;
}

/**
 * The normal standard errors whose two-sided tail is that of RESOLVED_NORMAL_Z times `share` (0 < share <= 1):
 * RESOLVED_NORMAL_Z itself for share 1, about 4.16 for 1/2 (the many-values limit of resolvedStandardErrors(n, share)).
 *
 * @example
 * ```ts
 * import { resolvedNormalZ } from "ness";
 *
 * // one look at 4 standard errors; each of two looks (Bonferroni: half the false-alarm rate) at 4.16
 * console.log(resolvedNormalZ(), resolvedNormalZ(0.5).toFixed(2)); // => 4 4.16
 * ```
 */
export function resolvedNormalZ(share = 1): number {
  if (!(share > 0 && share <= 1)) throw new ModelError(`a false-alarm share must lie in (0, 1], got ${share}`);
  if (share === 1) return RESOLVED_NORMAL_Z;
  const target = normalUpperTail(RESOLVED_NORMAL_Z) * share;
  let lo = RESOLVED_NORMAL_Z,
    hi = 2 * RESOLVED_NORMAL_Z;
  while (normalUpperTail(hi) > target) hi *= 2;
  for (let i = 0; i < 200 && hi - lo > 1e-12 * hi; i++) {
    const mid = 0.5 * (lo + hi);
    if (normalUpperTail(mid) > target) lo = mid;
    else hi = mid;
  }
  return 0.5 * (lo + hi);
}

/**
 * Whether |value| exceeds resolvedStandardErrors(n) error bars (false for a non-finite or zero error bar).
 *
 * @example
 * ```ts
 * import { isResolved } from "ness";
 *
 * // 15 error bars from 4 replicas: crossed by chance 6e-4 of the time, not resolved; from 64 values, resolved.
 * console.log(isResolved(0.15, 0.01, 4), isResolved(0.15, 0.01, 64)); // => false true
 * ```
 */
export function isResolved(value: number, error: number, n: number): boolean {
  if (typeof value !== "number" || typeof error !== "number" || typeof n !== "number")
    throw new ModelError(
      `isResolved: the value, its error and the number of values must be numbers, got ${typeof value}, ${typeof error}, ${typeof n}`,
    );
  return Number.isFinite(error) && error > 0 && Math.abs(value) > resolvedStandardErrors(n) * error;
}

/** P(Z > z) of a standard normal, for z >= 0 (erfc by its continued fraction; 1e-15 relative at z = 4). */
function normalUpperTail(z: number): number {
  // erfc(x) = exp(-x^2)/sqrt(pi) * 1/(x + 1/2/(x + 1/(x + 3/2/(x + ...)))), x = z/sqrt(2), evaluated backwards.
  const x = z / Math.SQRT2;
  let f = x;
  for (let k = 60; k >= 1; k--) f = x + k / 2 / f;
  return (0.5 * portable.exp(-x * x)) / Math.sqrt(Math.PI) / f;
}

/** ln Gamma(x) for x > 0: shifted up to x >= 15 by Gamma(x + 1) = x Gamma(x), then Stirling's series (1e-14 there). */
function logGamma(x: number): number {
  let shift = 0;
  while (x < 15) {
    shift -= portable.log(x);
    x += 1;
  }
  const r = 1 / (x * x);
  const series = (1 / 12 - r * (1 / 360 - r * (1 / 1260 - r * (1 / 1680 - r / 1188)))) / x;
  return shift + (x - 0.5) * portable.log(x) - x + 0.5 * portable.log(2 * Math.PI) + series;
}

/**
 * log(1 + y) for y > -1 from the portable log: log(u) y / (u - 1) with u = 1 + y rounded, which corrects the rounding
 * of u to a few units in the last place (Goldberg, "What every computer scientist should know about floating-point
 * arithmetic", ACM Computing Surveys 23, 1991, theorem 4).
 */
function log1p(y: number): number {
  const u = 1 + y;
  return u === 1 ? y : portable.log(u) * (y / (u - 1));
}

/**
 * The regularized incomplete beta function I_x(a, b), from its continued fraction (Abramowitz & Stegun 26.5.8),
 * evaluated forwards by the modified Lentz method on the side where it converges fast (x < (a + 1)/(a + b + 2)),
 * and through I_x(a, b) = 1 - I_(1-x)(b, a) on the other.
 */
function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  if (x > (a + 1) / (a + b + 2)) return 1 - incompleteBeta(1 - x, b, a);
  const front = portable.exp(a * portable.log(x) + b * log1p(-x) + logGamma(a + b) - logGamma(a) - logGamma(b)) / a;
  // 1/(1 + d1/(1 + d2/(1 + ...))) with d_(2m+1) = -(a + m)(a + b + m) x / ((a + 2m)(a + 2m + 1)) and
  // d_(2m) = m (b - m) x / ((a + 2m - 1)(a + 2m)); Lentz: f = C D products, C and D kept away from 0.
  const tiny = 1e-300;
  let f = tiny,
    c = tiny,
    d = 0;
  for (let j = 1; j <= 1000; j++) {
    const m = Math.floor((j - 1) / 2);
    const num =
      j === 1
        ? 1
        : j % 2 === 0
          ? (-(a + m) * (a + b + m) * x) / ((a + 2 * m) * (a + 2 * m + 1))
          : (m * (b - m) * x) / ((a + 2 * m - 1) * (a + 2 * m));
    d = 1 + num * d;
    if (Math.abs(d) < tiny) d = tiny;
    d = 1 / d;
    c = 1 + num / c;
    if (Math.abs(c) < tiny) c = tiny;
    const step = c * d;
    f *= step;
    if (j > 1 && Math.abs(step - 1) < 1e-15) break;
  }
  return front * f;
}

/**
 * The upper tail P(F > f) of Fisher's F distribution with d1 and d2 degrees of freedom (positive numbers):
 * I_(d2/(d2 + d1 f))(d2/2, d1/2). The test of an analysis of variance: the spread between the means of groups of
 * independent normal values, over the spread within the groups.
 */
export function fisherUpperTail(f: number, d1: number, d2: number): number {
  if (!(d1 > 0 && d2 > 0)) throw new ModelError(`degrees of freedom must be positive, got ${d1} and ${d2}`);
  if (!(f > 0)) return 1;
  if (f === Infinity) return 0;
  return Math.min(1, Math.max(0, incompleteBeta(d2 / (d2 + d1 * f), d2 / 2, d1 / 2)));
}
