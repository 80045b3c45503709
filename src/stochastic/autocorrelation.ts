/**
 * Autocorrelation of a time series and its integrated autocorrelation time (pure functions, browser-safe): what
 * `ness plot-trajectory` draws next to the series.
 *
 *   rho(k) = C(k) / C(0),   C(k) = (1/n) sum_{i < n-k} (x_i - m)(x_{i+k} - m)
 *
 * (the usual biased estimator: positive semidefinite, small variance at large lags), computed with a zero-padded
 * radix-2 FFT in O(n log n). The integrated time tau = 1 + 2 sum_{k=1}^{W} rho(k), in units of the sampling
 * interval, is summed up to Sokal's automatic window, the smallest W with W >= c tau(W) (c = 5): long enough to hold
 * the correlations, short enough not to sum the noise of rho at large lags (A. D. Sokal, "Monte Carlo methods in
 * statistical mechanics: foundations and new algorithms", Cargèse lectures 1996). Its value sets the number of
 * independent samples, n / tau, that an error bar of the series' mean rests on.
 */
import { requireNumbers, requireObject, requireOptions } from "../arguments.js";
import { ModelError } from "../errors.js";
import * as portable from "../special/elementary.js";
import { CorrelationSum } from "./statistics.js";

/**
 * In-place iterative radix-2 FFT of (re, im), length a power of two (forward: exp(-2 pi i j k / n)). The twiddle
 * factors come from the portable sin and cos (the structure factor's grid route runs through here): the same bits in
 * every engine.
 */
export function fft(re: Float64Array, im: Float64Array): void {
  const n = re.length;
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      let t = re[i];
      re[i] = re[j];
      re[j] = t;
      t = im[i];
      im[i] = im[j];
      im[j] = t;
    }
  }
  for (let len = 2; len <= n; len <<= 1) {
    const ang = (-2 * Math.PI) / len;
    const wr = portable.cos(ang),
      wi = portable.sin(ang);
    for (let i = 0; i < n; i += len) {
      let cr = 1,
        ci = 0;
      for (let k = 0; k < len / 2; k++) {
        const a = i + k,
          b = a + len / 2;
        const xr = re[b] * cr - im[b] * ci,
          xi = re[b] * ci + im[b] * cr;
        re[b] = re[a] - xr;
        im[b] = im[a] - xi;
        re[a] += xr;
        im[a] += xi;
        const nr = cr * wr - ci * wi;
        ci = cr * wi + ci * wr;
        cr = nr;
      }
    }
  }
}

/**
 * The normalised autocorrelation rho(0 .. maxLag) of a series (rho(0) = 1). A constant series has no
 * autocorrelation: ModelError. maxLag defaults to n / 4 and is at most n - 1.
 *
 * @example
 * ```ts
 * import { autocorrelation } from "ness";
 *
 * const rho = autocorrelation(Float64Array.from([1, -1, 1, -1, 1, -1, 1, -1]), 2);
 * console.log(Array.from(rho, (r) => Number(r.toFixed(3))).join(", ")); // => 1, -0.875, 0.75
 * ```
 */
export function autocorrelation(x: ArrayLike<number>, maxLag?: number): Float64Array {
  requireNumbers(x, "autocorrelation: the series");
  const n = x.length;
  if (n < 2) throw new ModelError(`an autocorrelation needs at least 2 values, got ${n}`);
  const L = Math.min(n - 1, maxLag ?? Math.max(1, Math.floor(n / 4)));
  if (!Number.isSafeInteger(L) || L < 0) throw new ModelError(`maxLag must be a non-negative integer, got ${maxLag}`);
  let m = 0;
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(x[i])) throw new ModelError(`the series has a non-finite value at ${i}`);
    m += x[i];
  }
  m /= n;
  let size = 1;
  while (size < 2 * n) size <<= 1;
  const re = new Float64Array(size),
    im = new Float64Array(size);
  for (let i = 0; i < n; i++) re[i] = x[i] - m;
  fft(re, im);
  for (let k = 0; k < size; k++) {
    re[k] = re[k] * re[k] + im[k] * im[k];
    im[k] = 0;
  }
  fft(re, im); // the inverse up to a factor and a reflection: the power spectrum is real and even
  const c0 = re[0];
  if (!(c0 > 0)) throw new ModelError("the series is constant: it has no autocorrelation");
  const out = new Float64Array(L + 1);
  for (let k = 0; k <= L; k++) out[k] = re[k] / c0;
  return out;
}

/** The integrated autocorrelation time (in sampling intervals) and the window it was summed over. */
export interface IntegratedTime {
  /**
   * tau = 1 + 2 sum_{k=1}^{window} rho(k) (1 for uncorrelated samples); where Sokal's window closes on tau < 1, the
   * larger of that and Geyer's initial monotone sequence (CorrelationSum, statistics.ts).
   */
  tau: number;
  window: number;
  /** False when the window reached the end of rho before W >= c tau: the series is too short for its correlations. */
  converged: boolean;
}

/**
 * Sokal's windowed estimate of the integrated autocorrelation time from rho(0 ..) (autocorrelation's output): the
 * first window W >= c tau. Where it closes on tau < 1 (the anticorrelations of a fast alternating part outweigh, and
 * it closes at lag 1 or 2), it would miss a slower positive tail behind them: there tau is the larger of it and
 * Geyer's initial monotone sequence (pairs of adjacent lags, each lowered to the one before, summed while positive;
 * C. J. Geyer, "Practical Markov chain Monte Carlo", Statistical Science 7, 473 (1992)), the rule the simulation's
 * correlation-time flags use (the same code: CorrelationSum).
 *
 * @example
 * ```ts
 * import { integratedTime } from "ness";
 *
 * // rho(k) = a^k (an AR(1) series) has tau = (1 + a) / (1 - a) = 3 for a = 0.5.
 * const rho = Float64Array.from({ length: 200 }, (_, k) => 0.5 ** k);
 * console.log(integratedTime(rho).tau.toFixed(3)); // => 3.000
 * ```
 */
export function integratedTime(rho: Float64Array, c = 5): IntegratedTime {
  requireNumbers(rho, "integratedTime: rho");
  if (rho.length < 2)
    throw new ModelError(`integratedTime: rho needs rho(0) and at least one lag, got ${rho.length} value(s)`);
  for (let k = 0; k < rho.length; k++)
    if (!Number.isFinite(rho[k])) throw new ModelError(`integratedTime: rho has a non-finite value at lag ${k}`);
  if (typeof c !== "number" || !(c > 0) || !Number.isFinite(c))
    throw new ModelError(`integratedTime: the window factor c must be a positive number, got ${c}`);
  const sum = new CorrelationSum(c);
  for (let w = 1; w < rho.length; w++) if (sum.add(rho[w])) return { tau: sum.value(), window: w, converged: true };
  // not converged: Sokal's sum so far, or, where its window closed below 1, the larger of it and Geyer's sum so far
  return { tau: sum.sokalClosed ? sum.value() : sum.running, window: rho.length - 1, converged: false };
}

/** A series thinned to at most `maxPoints` points (every k-th), for drawing. */
export function thin(x: ArrayLike<number>, maxPoints: number): number[] {
  const k = Math.max(1, Math.ceil(x.length / Math.max(1, maxPoints)));
  const out: number[] = [];
  for (let i = 0; i < x.length; i += k) out.push(x[i]);
  return out;
}

/** What a trajectory plot shows of one column: the (thinned) series, its autocorrelation and tau. */
export interface SeriesSummary {
  name: string;
  time: number[];
  values: number[];
  /** Lags in time units and rho at them. */
  lag: number[];
  rho: number[];
  /** Integrated autocorrelation time in time units (tau x the sampling interval). */
  tau: number;
  converged: boolean;
}

/**
 * The summaries of chosen columns of a trajectory sampled at `time` (equally spaced): series thinned to
 * `maxPoints`, autocorrelations up to `maxLag` rows (default: computed to n / 4 for tau, drawn to four of Sokal's
 * windows, at least 20 rows; at most 2000 points drawn).
 *
 * @example
 * ```ts
 * import { summarizeSeries, trajectoryFigure } from "ness";
 *
 * const time = Array.from({ length: 400 }, (_, i) => 0.1 * (i + 1));
 * const x = time.map((t) => Math.sin(t) + Math.sin(7.3 * t));
 * const series = summarizeSeries(time, [{ name: "x", values: x }]);
 * console.log(series[0].rho[0], series[0].lag.length <= 101); // => 1 true
 * const figure = trajectoryFigure({ source: "sines", series }); // what ness plot-trajectory draws
 * console.log(figure.table.columns.join(", ")); // => column, tau, converged
 * ```
 */
export function summarizeSeries(
  time: ArrayLike<number>,
  columns: { name: string; values: ArrayLike<number> }[],
  options: { maxPoints?: number; maxLag?: number } = {},
): SeriesSummary[] {
  requireNumbers(time, "summarizeSeries: the time");
  if (!Array.isArray(columns)) throw new ModelError("summarizeSeries: the columns must be an array");
  for (const [i, column] of columns.entries()) {
    requireObject(column, `summarizeSeries: column ${i}`);
    requireNumbers(column.values, `summarizeSeries: the values of column ${i}`);
  }
  requireOptions(options, "summarizeSeries: the options");
  const n = time.length;
  if (n < 4) throw new ModelError(`a trajectory plot needs at least 4 rows, got ${n}`);
  const dt = (time[n - 1] - time[0]) / (n - 1);
  if (!(dt > 0)) throw new ModelError("the trajectory's time does not increase");
  const maxPoints = options.maxPoints ?? 4000;
  return columns.map(({ name, values }) => {
    const rho = autocorrelation(values, options.maxLag);
    const it = integratedTime(rho);
    // Drawn: the lags given, or four of Sokal's windows (where the correlations are; beyond is noise).
    const drawn = options.maxLag !== undefined ? rho.length : Math.min(rho.length, Math.max(20, 4 * it.window) + 1);
    const shown = rho.subarray(0, drawn);
    const lagIndex = Array.from(shown, (_, k) => k);
    return {
      name,
      time: thin(time, maxPoints),
      values: thin(values, maxPoints),
      lag: thin(lagIndex, 2000).map((k) => k * dt),
      rho: thin(shown, 2000),
      tau: it.tau * dt,
      converged: it.converged,
    };
  });
}
