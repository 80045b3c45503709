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
import { requireNumbers } from "../arguments.js";
import { ModelError } from "../errors.js";
import { fisherUpperTail } from "../studentT.js";

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
   * The split test of the batch values: each replica's batches cut into a first and a second half (a replica of fewer
   * than 4 batches is one group), and the spread of the groups' means compared with the spread within the groups by
   * a one-way analysis of variance. `splitTail` is the chance that stationary, uncorrelated batches of one steady
   * state spread at least as much (Fisher's F with groups - 1 and values - groups degrees of freedom). A small value:
   * the replicas disagree (stuck in different states) or the run drifts (not yet in the steady state). Absent when it
   * cannot be computed (fewer than 2 groups, no value beside its group's mean, or no spread at all); 0 when
   * every group is constant and they differ.
   */
  splitTail?: number;
  /**
   * `reliable`: the error bar is finite and can be trusted: enough batches, uncorrelated batches, no estimate of the
   * same run with correlated batches (reliability.ts, applyCorrelatedRunRule, applied by run.ts), and (run.ts) dt
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
 * `batchesPerReplica` is either the same count for every replica or the count of each replica in order (a run in
 * progress: its replicas have finished different numbers of batches); the lag-1 batch correlation pairs only
 * consecutive batches of the same replica. Deterministic: sums run in row order.
 */
export function reduceBatches(
  batchMeans: Float64Array,
  K: number,
  batchesPerReplica: number | readonly number[],
  specs: EstimandSpec[],
): Estimate[] {
  const rows = batchMeans.length / K;
  // last[r]: row r is the last batch of its replica (no pair with the next row).
  const last = new Uint8Array(rows);
  if (typeof batchesPerReplica === "number") {
    for (let r = 0; r < rows; r++) last[r] = (r + 1) % batchesPerReplica === 0 ? 1 : 0;
  } else {
    let end = 0;
    for (const n of batchesPerReplica) {
      end += n;
      if (n > 0 && end <= rows) last[end - 1] = 1;
    }
    if (end !== rows)
      throw new ModelError(
        `reduceBatches: the replicas' batch counts add up to ${end}, the batch means hold ${rows} rows`,
      );
  }
  // The split test's groups: the halves of each replica's batches (the first floor(n/2) and the rest), or the whole
  // replica when it has fewer than 4 batches.
  const groupOf = new Int32Array(rows);
  let groups = 0;
  for (let start = 0; start < rows;) {
    let end = start;
    while (end < rows - 1 && !last[end]) end++;
    end++; // [start, end) is one replica's batches
    const n = end - start;
    const cut = n >= 4 ? start + Math.floor(n / 2) : end;
    for (let r = start; r < end; r++) groupOf[r] = r < cut ? groups : groups + 1;
    groups += cut < end ? 2 : 1;
    start = end;
  }
  const groupSum = new Float64Array(groups),
    groupCount = new Float64Array(groups);
  for (let r = 0; r < rows; r++) groupCount[groupOf[r]]++;
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
    if (variance > 0) {
      for (let r = 0; r + 1 < rows; r++) {
        if (last[r]) continue;
        c += (values[r] - m) * (values[r + 1] - m);
        pairs++;
      }
    }
    const batchCorrelation = pairs >= 8 ? c / pairs / (v / rows) : NaN;
    const splitTail = splitTest(values, groupOf, groupSum, groupCount, m);
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
    if (Number.isFinite(splitTail)) est.splitTail = splitTail;
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

/**
 * The split test (Estimate.splitTail): the one-way analysis of variance of `values` in the groups `groupOf` (counts
 * `groupCount`, `sum` scratch), whose overall mean is `m`. NaN when it cannot be computed.
 */
function splitTest(
  values: Float64Array,
  groupOf: Int32Array,
  sum: Float64Array,
  groupCount: Float64Array,
  m: number,
): number {
  const rows = values.length,
    groups = sum.length;
  if (groups < 2 || rows - groups < 1) return NaN;
  sum.fill(0);
  for (let r = 0; r < rows; r++) sum[groupOf[r]] += values[r];
  let between = 0;
  for (let g = 0; g < groups; g++) between += groupCount[g] * (sum[g] / groupCount[g] - m) ** 2;
  let within = 0;
  for (let r = 0; r < rows; r++) within += (values[r] - sum[groupOf[r]] / groupCount[groupOf[r]]) ** 2;
  if (!Number.isFinite(between) || !Number.isFinite(within)) return NaN;
  // Constant within every group: groups that differ cannot be a chance spread; no spread at all tests nothing.
  if (!(within > 0)) return between > 0 ? 0 : NaN;
  return fisherUpperTail(between / (groups - 1) / (within / (rows - groups)), groups - 1, rows - groups);
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
 * sqrt(sum (x - mean)^2 / (n - 1) / n), NaN for a single value (no values at all: ModelError); reliable with at least
 * `minValues` (default MIN_BATCHES) values and a finite error.
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
  requireNumbers(values, "meanOfIndependent: the values");
  if (values.length === 0) throw new ModelError("meanOfIndependent: a mean needs at least one value, got none");
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

export {
  confidenceStandardErrors,
  isResolved,
  RESOLVED_NORMAL_Z,
  resolvedNormalZ,
  resolvedStandardErrors,
  studentTwoSidedTail,
} from "../studentT.js";

/** Sub-batches per batch: the engine keeps each batch's running sums at SUB_BATCHES - 1 points inside it. */
export const SUB_BATCHES = 5;
/** Sokal's automatic window: the sum of autocorrelations stops at the first lag w >= SOKAL_WINDOW tau_int. */
export const SOKAL_WINDOW = 5;

/**
 * The integrated autocorrelation of a series made of independent replicas (`lengths[i]` consecutive values each, in
 * order): g = 1 + 2 sum_{k>=1} rho_k, the factor by which correlation inflates the variance of the series' mean
 * (g = 2 tau_int in Sokal's units of one value; 1 for independent values, (1 + phi)/(1 - phi) for an AR(1) series
 * of coefficient phi). rho_k is the lag-k autocorrelation over the pairs within replicas, about the mean of all
 * values, summed over Sokal's window: the first lag w with w >= SOKAL_WINDOW g(w) / 2 (A. D. Sokal, "Monte Carlo
 * methods in statistical mechanics: foundations and new algorithms", Cargese lectures 1996). Where that window closes
 * on g < 1 (the anticorrelations outweigh: it closes at lag 1 or 2, as when the lag-1 autocorrelation is below -0.3,
 * a fast alternating part of an underdamped observable) it misses a slower positive tail behind them; there the larger
 * of its g and Geyer's initial monotone sequence is taken (C. J. Geyer, "Practical Markov chain Monte Carlo",
 * Statistical Science 7, 473 (1992)): g = -1 + 2 sum_m G_m over the sums of adjacent lags G_m = rho_2m + rho_2m+1
 * (G_0 = 1 + rho_1), each lowered to the one before it, summed while positive (those still positive at half the longest
 * replica count with their sum so far). The pairs cancel the alternation and keep the tail. Geyer's sequence is not
 * taken where Sokal's window closes on g >= 1: on a few hundred values its sum of noisy positive pairs runs longer
 * than the correlations, and it can stop, at the first negative pair, before the window Sokal's rule takes where
 * correlations beat (an oscillator's energy). NaN when Sokal's window is not reached within half the longest replica
 * (the series is too short for its own correlation) or the values are not finite; 1 for constant values.
 * `centred` is scratch of at least the series' length.
 */
export function integratedAutocorrelation(
  series: ArrayLike<number>,
  lengths: ArrayLike<number>,
  centred: Float64Array,
): number {
  let n = 0,
    longest = 0;
  for (let i = 0; i < lengths.length; i++) {
    n += lengths[i];
    longest = Math.max(longest, lengths[i]);
  }
  let s = 0;
  for (let i = 0; i < n; i++) s += series[i];
  const m = s / n;
  let c0 = 0;
  for (let i = 0; i < n; i++) {
    centred[i] = series[i] - m;
    c0 += centred[i] * centred[i];
  }
  c0 /= n;
  if (c0 === 0) return 1; // constant values: nothing to correlate
  if (!Number.isFinite(c0)) return NaN;
  const sum = new CorrelationSum(SOKAL_WINDOW / 2);
  for (let w = 1; w <= longest >> 1; w++) {
    let c = 0,
      pairs = 0,
      start = 0;
    for (let i = 0; i < lengths.length; i++) {
      const end = start + lengths[i];
      for (let j = start; j + w < end; j++) c += centred[j] * centred[j + w];
      pairs += Math.max(0, lengths[i] - w);
      start = end;
    }
    if (pairs === 0) return NaN;
    // 2 rho as Sokal's window alone summed it, to the last bit
    if (sum.add(c / pairs / c0, (2 * (c / pairs)) / c0)) return sum.value();
  }
  return sum.value();
}

/**
 * The integrated autocorrelation g = 1 + 2 sum_{k>=1} rho_k summed lag by lag (add rho_1, rho_2, ... until it returns
 * true), by the rule of integratedAutocorrelation: Sokal's window, the first lag w with w >= windowFactor g(w)
 * (SOKAL_WINDOW / 2 there, g counted in units of one value; the trajectory tool's integratedTime takes 5), and where
 * that window closes on g < 1, the larger of its g and Geyer's initial monotone sequence. Shared by the run's
 * correlation-time rule and the autocorrelation tool, so that both judge a series alike.
 */
export class CorrelationSum {
  /** Sokal's running sum 1 + 2 sum_{k<=w} rho_k. */
  running = 1;
  /** The last lag added. */
  lag = 0;
  /** The lag at which g became known (add returned true); 0 before. */
  window = 0;
  private sokal = NaN;
  private geyer = NaN;
  /** -1 + 2 sum of Geyer's pair sums kept so far. */
  private geyerSum = -1;
  private lastPair = Infinity;
  /** rho_{w-1} for odd w. */
  private rhoEven = 1;

  constructor(private readonly windowFactor: number) {}

  /** Adds rho at the next lag (`twice`: 2 rho as the caller rounds it); true once g is known (value()). */
  add(rho: number, twice = 2 * rho): boolean {
    const w = ++this.lag;
    this.running += twice;
    if (Number.isNaN(this.sokal) && w >= this.windowFactor * this.running) {
      this.sokal = this.running;
      if (this.sokal >= 1) {
        this.window = w;
        return true;
      }
    }
    if (Number.isNaN(this.geyer)) {
      if (w % 2 === 0) this.rhoEven = rho;
      else {
        const pair = Math.min(this.rhoEven + rho, this.lastPair);
        if (pair > 0) {
          this.geyerSum += 2 * pair;
          this.lastPair = pair;
        } else this.geyer = this.geyerSum;
      }
    }
    if (!Number.isNaN(this.sokal) && !Number.isNaN(this.geyer)) {
      this.window = w;
      return true;
    }
    return false;
  }

  /** Whether Sokal's window has closed (g may still wait for Geyer's sequence). */
  get sokalClosed(): boolean {
    return !Number.isNaN(this.sokal);
  }

  /**
   * g: once add returned true, Sokal's g (>= 1) or the larger of it and Geyer's; before, NaN while Sokal's window is
   * open, else the larger of its g and what Geyer's pairs, still positive at the last lag, sum to so far (the least
   * they can give).
   */
  value(): number {
    if (Number.isNaN(this.sokal)) return NaN;
    if (this.sokal >= 1) return this.sokal;
    return Math.max(this.sokal, Number.isNaN(this.geyer) ? this.geyerSum : this.geyer);
  }
}

/**
 * Each estimand's integrated autocorrelation (integratedAutocorrelation: g) over the series of its sub-batch values,
 * in replica order. `batchMeans` holds rows (batches, in replica order) of K means; `subSums` holds, for each row,
 * S - 1 vectors of K running sums, taken inside the batch after `samples[j]` samples (j = 1..S-1; samples[0] = 0,
 * samples[S] the batch's samples), so that sub-batch j's means are (sum_{j+1} - sum_j)/(samples[j+1] - samples[j]),
 * the last running sum being the batch mean times samples[S]. A sub-batch value is the estimand's linearisation about
 * the mean of all batch means (the batch values of reduceBatches, on sub-batches). NaN where it is not resolved.
 * `subSumsAt(row)` is where a row's running sums start in `subSums` (default: rows one after another, (S - 1) K
 * numbers each; a run's outputs interleave them with the batch means).
 */
export function subBatchAutocorrelations(
  batchMeans: Float64Array,
  subSums: Float64Array,
  K: number,
  samples: ArrayLike<number>,
  batchesPerReplica: number | readonly number[],
  specs: EstimandSpec[],
  subSumsAt: (row: number) => number = (row) => row * (samples.length - 2) * K,
): Float64Array {
  const S = samples.length - 1;
  const rows = batchMeans.length / K;
  const mean = new Float64Array(K);
  for (let r = 0; r < rows; r++) for (let k = 0; k < K; k++) mean[k] += batchMeans[r * K + k];
  for (let k = 0; k < K; k++) mean[k] /= rows;
  // A sub-batch's mean of component k, from the running sums around it; made where an estimand reads it, never
  // stored: a copy of every sub-batch mean would be as large as the run's outputs (MAX_SUB_BATCH_BYTES).
  const total = samples[S];
  let row = 0,
    at = 0,
    n = 1,
    hi = -1,
    lo = -1;
  const component = (k: number): number => {
    const upper = hi >= 0 ? subSums[hi + k] : batchMeans[row * K + k] * total;
    const lower = lo >= 0 ? subSums[lo + k] : 0;
    return (upper - lower) / n;
  };
  const lengths =
    typeof batchesPerReplica === "number"
      ? new Array<number>(rows / batchesPerReplica).fill(batchesPerReplica * S)
      : batchesPerReplica.filter((b) => b > 0).map((b) => b * S);
  const series = new Float64Array(rows * S),
    centred = new Float64Array(rows * S);
  return Float64Array.from(specs, (spec) => {
    const e = spec.estimand;
    for (row = 0; row < rows; row++) {
      at = subSumsAt(row);
      for (let j = 0; j < S; j++) {
        n = samples[j + 1] - samples[j];
        hi = j + 1 < S ? at + j * K : -1;
        lo = j > 0 ? at + (j - 1) * K : -1;
        series[row * S + j] = valueOf(e, component, mean);
      }
    }
    return integratedAutocorrelation(series, lengths, centred);
  });
}

/** batchValue of an estimand whose components are read through `component`. */
function valueOf(e: Estimand, component: (k: number) => number, mean: Float64Array): number {
  if (e.kind === "linear") {
    let s = e.offset ?? 0;
    for (let k = 0; k < e.index.length; k++) s += e.coef[k] * component(e.index[k]);
    return s;
  }
  const ma = mean[e.a],
    mb = mean[e.b];
  return (e.scale ?? 1) * (component(e.ab) - ma * component(e.b) - mb * component(e.a) + ma * mb);
}
