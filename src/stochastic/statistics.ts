/**
 * Error bars by batch means. Every replica's production run is cut into B batches of equal length; a probe writes
 * K scalars per step and each batch keeps their mean. An estimand is a function of the mean vector: a linear
 * combination (fluxes, entropy production, temperatures) or a covariance <a b> - <a><b>. Its value is the function of
 * the global mean; its error bar comes from the batch values of its linearisation about the global mean (exact for
 * linear estimands; for a covariance b_ab - m_a b_b - m_b b_a + m_a m_b), as the standard error of the mean of the
 * R x B batch values. The lag-1 correlation of consecutive batches within a replica tells whether the batches are
 * long compared with the correlation time; too few batches or correlated batches mark the estimate unreliable, and
 * so does an error bar that is not a finite number (fewer than two batch values, or values that overflow): such an
 * estimate has no deviation from the exact value either. run.ts adds the time-step checks (stability, bias).
 *
 * The one type of every stochastic number the project reports is `Measured`: a value, one standard error, and
 * whether that error bar can be trusted. Besides batch means this module has the standard error of independent
 * values (replicas) and the jackknife over groups (replicas or groups of them) for functions of means that are not
 * linear (ratios, covariances, fitted parameters).
 */
import { ModelError } from "../errors.js";

/** A stochastic number: its value, one standard error, and whether that error bar is finite and can be trusted. */
export interface Measured {
  value: number;
  /** One standard error (NaN when it cannot be computed; then `reliable` is false). */
  error: number;
  /** True only when the error bar is finite and honest (enough independent values, no known bias beyond it). */
  reliable: boolean;
}

/** An estimand over the probe's scalars. */
export type Estimand =
  | { kind: "linear"; index: Int32Array; coef: Float64Array; offset?: number }
  | { kind: "covariance"; a: number; b: number; ab: number; scale?: number };

export interface Estimate extends Measured {
  /** Group, e.g. "covariance", "spring flux", "bath flux", "entropy production". */
  group: string;
  /** Name within the group, e.g. "q:1 p:2" or "1 -> 2". */
  name: string;
  /** Number of batch values behind the error bar. */
  batches: number;
  /**
   * Lag-1 correlation of consecutive batch values; absent when it cannot be measured (fewer than 8 pairs of
   * consecutive batches within replicas): JSON carries no null or NaN for it.
   */
  batchCorrelation?: number;
  /**
   * `reliable`: the error bar is finite and can be trusted: enough batches, uncorrelated batches, and (run.ts) dt
   * within the stability limit and, for linear models, a time-step bias below half the error bar.
   */
  note?: string;
  /** Exact value (linear models), when known. */
  exact?: number;
  /** (value - exact) / error; only where the error bar is finite (and 0 < error, or value = exact). */
  deviation?: number;
  /** Linear models: the exact time-step bias of the estimator at this dt (the scheme's mean minus the exact value). */
  timeStepBias?: number;
}

export interface EstimandSpec {
  group: string;
  name: string;
  estimand: Estimand;
  exact?: number;
}

/** Minimum number of batch values for a trusted error bar. */
export const MIN_BATCHES = 16;
/** Lag-1 batch correlation above which batches are too short. */
export const MAX_BATCH_CORRELATION = 0.3;

function batchValue(e: Estimand, row: Float64Array, off: number, mean: Float64Array): number {
  if (e.kind === "linear") {
    let s = e.offset ?? 0;
    for (let k = 0; k < e.index.length; k++) s += e.coef[k] * row[off + e.index[k]];
    return s;
  }
  const ma = mean[e.a],
    mb = mean[e.b];
  return (e.scale ?? 1) * (row[off + e.ab] - ma * row[off + e.b] - mb * row[off + e.a] + ma * mb);
}

function globalValue(e: Estimand, mean: Float64Array): number {
  if (e.kind === "linear") return batchValue(e, mean, 0, mean);
  return (e.scale ?? 1) * (mean[e.ab] - mean[e.a] * mean[e.b]);
}

/**
 * Reduces batch means (replicas x batchesPerReplica rows of K scalars, in replica order) into estimates.
 * Deterministic: sums run in row order.
 */
export function reduceBatches(
  batchMeans: Float64Array,
  K: number,
  batchesPerReplica: number,
  specs: EstimandSpec[],
): Estimate[] {
  const rows = batchMeans.length / K;
  const mean = new Float64Array(K);
  for (let r = 0; r < rows; r++) for (let k = 0; k < K; k++) mean[k] += batchMeans[r * K + k];
  for (let k = 0; k < K; k++) mean[k] /= rows;
  const values = new Float64Array(rows);
  return specs.map((spec) => {
    const value = globalValue(spec.estimand, mean);
    let s = 0;
    for (let r = 0; r < rows; r++) {
      values[r] = batchValue(spec.estimand, batchMeans, r * K, mean);
      s += values[r];
    }
    const m = s / rows;
    let v = 0;
    for (let r = 0; r < rows; r++) v += (values[r] - m) ** 2;
    const variance = rows > 1 ? v / (rows - 1) : NaN;
    const error = Math.sqrt(variance / rows);
    // Lag-1 correlation of consecutive batches in the same replica.
    let c = 0,
      pairs = 0;
    if (batchesPerReplica > 1 && variance > 0) {
      for (let r = 0; r + 1 < rows; r++) {
        if ((r + 1) % batchesPerReplica === 0) continue;
        c += (values[r] - m) * (values[r + 1] - m);
        pairs++;
      }
    }
    const batchCorrelation = pairs >= 8 ? c / pairs / (v / rows) : NaN;
    const notes: string[] = [];
    if (rows >= 2 && !Number.isFinite(error))
      notes.push("the error bar cannot be computed (the batch values are not finite numbers)");
    if (rows < MIN_BATCHES)
      notes.push(
        `only ${rows} batch${rows === 1 ? "" : "es"}: too few effective samples for an error bar (run longer or more replicas)`,
      );
    // Flag only a correlation that is both large and significant (its noise is about 1/sqrt(pairs)).
    if (batchCorrelation > Math.max(MAX_BATCH_CORRELATION, 3 / Math.sqrt(pairs))) {
      notes.push(
        `consecutive batches are correlated (${batchCorrelation.toFixed(2)}): the run is short compared with the correlation time, the error bar is underestimated`,
      );
    }
    const est: Estimate = {
      group: spec.group,
      name: spec.name,
      value,
      error,
      batches: rows,
      reliable: notes.length === 0 && Number.isFinite(error),
    };
    if (Number.isFinite(batchCorrelation)) est.batchCorrelation = batchCorrelation;
    if (notes.length > 0) est.note = notes.join("; ");
    if (spec.exact !== undefined) {
      est.exact = spec.exact;
      if (Number.isFinite(error) && Number.isFinite(value)) {
        if (error > 0) est.deviation = (value - spec.exact) / error;
        else if (value === spec.exact) est.deviation = 0;
      }
    }
    return est;
  });
}

/** Linear estimand helper. */
export function linear(terms: [number, number][], offset = 0): Estimand {
  return {
    kind: "linear",
    index: Int32Array.from(terms, (t) => t[0]),
    coef: Float64Array.from(terms, (t) => t[1]),
    offset,
  };
}

/** The Measured part of an estimate (value, error, reliable), scaled by `scale` and shifted by -`shift` first. */
export function measured(e: Measured, scale = 1, shift = 0): Measured {
  return {
    value: (e.value - shift) * scale,
    error: e.error * Math.abs(scale),
    reliable: e.reliable && Number.isFinite(e.error),
  };
}

/**
 * Mean and standard error of independent values (replicas, or batch means taken as independent): the error is
 * sqrt(sum (x - mean)^2 / (n - 1) / n), NaN for fewer than two values; reliable with at least `minValues` (default
 * MIN_BATCHES) values and a finite error.
 *
 * @example
 * ```ts
 * import { meanOfIndependent } from "ness";
 *
 * const m = meanOfIndependent([1, 2, 3, 4], 2);
 * console.log(m.value, m.error.toFixed(4), m.reliable); // => 2.5 0.6455 true
 * ```
 */
export function meanOfIndependent(values: ArrayLike<number>, minValues = MIN_BATCHES): Measured {
  const n = values.length;
  let s = 0;
  for (let i = 0; i < n; i++) s += values[i];
  const value = s / n;
  let v = 0;
  for (let i = 0; i < n; i++) v += (values[i] - value) ** 2;
  const error = n > 1 ? Math.sqrt(v / (n - 1) / n) : NaN;
  return { value, error, reliable: n >= minValues && Number.isFinite(error) && Number.isFinite(value) };
}

/**
 * meanOfIndependent over the values that are not NaN (a quantity undefined in some replicas, e.g. a ratio with a
 * zero denominator), with their count; value 0 and error NaN when none is defined.
 */
export function meanOfFinite(values: ArrayLike<number>, minValues = MIN_BATCHES): Measured & { count: number } {
  const defined: number[] = [];
  for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i])) defined.push(values[i]);
  if (defined.length === 0) return { value: 0, error: NaN, reliable: false, count: 0 };
  return { ...meanOfIndependent(defined, minValues), count: defined.length };
}

/**
 * The jackknife over n groups: `estimate(skip)` returns the estimates (a vector of any fixed length) from all groups
 * but `skip`, and from all of them for skip = -1. The error of component k is
 * sqrt((n - 1)/n sum_g (e_g,k - mean_g e_g,k)^2) (Efron and Stein; exact for a mean, first-order right for smooth
 * functions of means such as covariances, ratios and fitted parameters); the value is the all-groups estimate.
 *
 * @example
 * ```ts
 * import { jackknife } from "ness";
 *
 * // The ratio of the means of two series, with its jackknife error over 4 groups.
 * const a = [1, 2, 3, 4], b = [2, 4, 5, 9];
 * const mean = (x: number[], skip: number) => x.filter((_, i) => i !== skip).reduce((s, v) => s + v, 0) / (skip < 0 ? x.length : x.length - 1);
 * const { value, error } = jackknife(4, (skip) => [mean(a, skip) / mean(b, skip)]);
 * console.log(value[0], error[0] > 0); // => 0.5 true
 * ```
 */
export function jackknife(
  n: number,
  estimate: (skip: number) => ArrayLike<number>,
): { value: Float64Array; error: Float64Array } {
  if (!Number.isSafeInteger(n) || n < 2) throw new ModelError(`the jackknife needs at least 2 groups, got ${n}`);
  const value = Float64Array.from(estimate(-1));
  const K = value.length;
  const leave = Array.from({ length: n }, (_, g) => estimate(g));
  const error = new Float64Array(K);
  for (let k = 0; k < K; k++) {
    let mean = 0;
    for (const e of leave) mean += e[k];
    mean /= n;
    let v = 0;
    for (const e of leave) v += (e[k] - mean) ** 2;
    error[k] = Math.sqrt(((n - 1) / n) * v);
  }
  return { value, error };
}

/** Standard errors at which a normally distributed estimate counts as resolved from a value (the project's rule). */
export const RESOLVED_NORMAL_Z = 4;

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
    throw new RangeError(`degrees of freedom must be a positive integer, got ${df}`);
  const a = Math.abs(t);
  if (a === Infinity) return 0;
  const nu = Math.min(df, 1000);
  const theta = Math.atan(a / Math.sqrt(nu));
  const c2 = Math.cos(theta) ** 2;
  const s = Math.sin(theta);
  let inside: number;
  if (nu % 2 === 1) {
    // A = (2/pi) (theta + sin cos (1 + 2/3 cos^2 + 2.4/(3.5) cos^4 + ... up to cos^(nu-3))) for nu > 1.
    let term = 1,
      sum = nu > 1 ? 1 : 0;
    for (let k = 1; 2 * k + 1 <= nu - 2; k++) {
      term *= ((2 * k) / (2 * k + 1)) * c2;
      sum += term;
    }
    inside = (2 / Math.PI) * (theta + s * Math.cos(theta) * sum);
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

const resolvedCache = new Map<number, number>();

/**
 * The number of standard errors beyond which a mean of `n` independent values (replicas, or batch means taken as
 * independent) counts as resolved from a value: the Student-t quantile with n - 1 degrees of freedom whose two-sided
 * tail equals that of RESOLVED_NORMAL_Z = 4 normal standard errors (6.3e-5). With n values the standard error is
 * itself estimated from n values, so value/error follows t_(n-1), not a normal: 4 error bars are crossed by chance
 * 16% of the time with 2 values, 2.8% with 4, 0.5% with 8, 0.12% with 16. The threshold keeps the false-alarm rate of
 * the normal rule: 10050 for n = 2, 32.6 for n = 4, 8.47 for n = 8, 5.48 for n = 16, 4.62 for n = 32, -> 4.
 * Infinity for fewer than 2 values (no error bar).
 *
 * @example
 * ```ts
 * import { resolvedStandardErrors } from "ness";
 *
 * console.log(resolvedStandardErrors(16).toFixed(2), resolvedStandardErrors(1)); // => 5.48 Infinity
 * ```
 */
export function resolvedStandardErrors(n: number): number {
  if (!(n >= 2)) return Infinity;
  const df = Math.min(Math.floor(n) - 1, 1000);
  const cached = resolvedCache.get(df);
  if (cached !== undefined) return cached;
  const target = 2 * normalUpperTail(RESOLVED_NORMAL_Z);
  let lo = RESOLVED_NORMAL_Z,
    hi = 2 * RESOLVED_NORMAL_Z;
  while (studentTwoSidedTail(hi, df) > target) hi *= 2;
  for (let i = 0; i < 200 && hi - lo > 1e-12 * hi; i++) {
    const mid = 0.5 * (lo + hi);
    if (studentTwoSidedTail(mid, df) > target) lo = mid;
    else hi = mid;
  }
  const z = 0.5 * (lo + hi);
  resolvedCache.set(df, z);
  return z;
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
  return Number.isFinite(error) && error > 0 && Math.abs(value) > resolvedStandardErrors(n) * error;
}

/** P(Z > z) of a standard normal, for z >= 0 (erfc by its continued fraction; 1e-15 relative at z = 4). */
function normalUpperTail(z: number): number {
  // erfc(x) = exp(-x^2)/sqrt(pi) * 1/(x + 1/2/(x + 1/(x + 3/2/(x + ...)))), x = z/sqrt(2), evaluated backwards.
  const x = z / Math.SQRT2;
  let f = x;
  for (let k = 60; k >= 1; k--) f = x + k / 2 / f;
  return (0.5 * Math.exp(-x * x)) / Math.sqrt(Math.PI) / f;
}
