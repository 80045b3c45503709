/**
 * Parameter sweeps of the two-oscillator steady state on the tiny-system fast path: one preallocated drift,
 * diffusion and covariance buffer, the allocation-free Lyapunov kernel per point, results in one Float64Array per
 * covariance element. Also the range syntax of the CLI (start:stop:count[:log]) and grids that resolve the narrow
 * resonance near k = 1 (uniform plus arctan-spaced points, so a Lorentzian of any width gets enough points).
 */
import { ModelError } from "../../errors.js";
import { inRange } from "../ranges.js";
import { MAX_SWEEP_POINTS, sweepValues } from "../schema.js";
import { closedFormInto, COVARIANCE_COLUMNS, resonanceHalfWidth, type CovarianceColumns } from "./closedForms.js";
import {
  DIMENSIONLESS_RANGES,
  PARAMETER_NAMES,
  validateDimensionless,
  type DimensionlessParameters,
  type ParameterName,
} from "./parameters.js";
import { lyapunovCovarianceInto, prepareOscillatorPair, relativeDeviation } from "./steadyState.js";

export type SweepMethod = "lyapunov" | "closed-form";

/** Most points in one sweep (src/studies/schema.ts: nine numbers per point, 360 MB at most). */
export { MAX_SWEEP_POINTS };

/** One covariance column per element, over the swept values. */
export interface Sweep extends CovarianceColumns {
  /** The swept parameter and its values. */
  parameter: ParameterName;
  values: Float64Array;
  /** The fixed parameters (the swept one holds the first value). */
  base: DimensionlessParameters;
  method: SweepMethod;
  /** Relative residual of each Lyapunov solve (zeros for the closed form). */
  residual: Float64Array;
  maxResidual: number;
  /** Lyapunov method: largest relative difference of any element from the closed forms, over all points. */
  closedFormDeviation?: number;
}

export interface SweepOptions {
  method?: SweepMethod;
  /** Called every few thousand points with (points done, total). */
  onProgress?: (done: number, total: number) => void;
}

function allocateColumns(n: number): CovarianceColumns {
  const cols = {} as CovarianceColumns;
  for (const key of COVARIANCE_COLUMNS) cols[key] = new Float64Array(n);
  return cols;
}

/** Checks every swept value against the parameter's rule, naming the first bad one (no per-point allocation). */
function validateSweep(base: DimensionlessParameters, parameter: ParameterName, values: ArrayLike<number>): void {
  if (!PARAMETER_NAMES.includes(parameter)) {
    throw new ModelError(`cannot sweep '${String(parameter)}': choose one of ${PARAMETER_NAMES.join(", ")}`);
  }
  if (values.length === 0) throw new ModelError(`the sweep over ${parameter} has no values`);
  if (values.length > MAX_SWEEP_POINTS) {
    throw new ModelError(`a sweep has at most ${MAX_SWEEP_POINTS} points, got ${values.length} (sweep in pieces)`);
  }
  const range = DIMENSIONLESS_RANGES[parameter];
  let lo = Infinity,
    hi = -Infinity,
    loIndex = 0,
    hiIndex = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!inRange(v, range)) {
      // Let the parameter validator phrase the message.
      validateDimensionless({ ...base, [parameter]: v }, `${parameter} value #${i + 1} of the sweep`);
    }
    if (v < lo) {
      lo = v;
      loIndex = i;
    }
    if (v > hi) {
      hi = v;
      hiIndex = i;
    }
  }
  validateDimensionless({ ...base, [parameter]: values[loIndex] }, `${parameter} value #${loIndex + 1} of the sweep`);
  validateDimensionless({ ...base, [parameter]: values[hiIndex] }, `${parameter} value #${hiIndex + 1} of the sweep`);
}

/**
 * The stationary covariance at n points, the parameters of point i written into `p` by `setPoint(i, p)` (validated
 * there or before). Exact engine by default (allocation-free Lyapunov kernel per point, each compared with the closed
 * forms on the fly), or the closed forms.
 */
function solveColumns(
  n: number,
  p: DimensionlessParameters,
  setPoint: (i: number, p: DimensionlessParameters) => void,
  options: SweepOptions,
): CovarianceColumns & { residual: Float64Array; maxResidual: number; closedFormDeviation?: number } {
  const method = options.method ?? "lyapunov";
  const cols = allocateColumns(n);
  const residual = new Float64Array(n);
  const every = 65536;
  let maxResidual = 0;
  if (method === "closed-form") {
    for (let i = 0; i < n; i++) {
      setPoint(i, p);
      closedFormInto(p, cols, i);
      if (options.onProgress && (i + 1) % every === 0) options.onProgress(i + 1, n);
    }
    return { ...cols, residual, maxResidual };
  }
  const solver = prepareOscillatorPair(),
    x = new Float64Array(16);
  const cf = allocateColumns(1);
  const { sigma11, sigma12, sigma22, sigma33, sigma34, sigma44, sigma23 } = cols;
  let deviation = 0;
  for (let i = 0; i < n; i++) {
    setPoint(i, p);
    const r = lyapunovCovarianceInto(p, x, solver);
    sigma11[i] = x[0];
    sigma12[i] = x[1];
    sigma22[i] = x[5];
    sigma33[i] = x[10];
    sigma34[i] = x[11];
    sigma44[i] = x[15];
    sigma23[i] = x[6];
    residual[i] = r;
    if (r > maxResidual || Number.isNaN(r)) maxResidual = r;
    // The closed forms at this point, each element compared in COVARIANCE_COLUMNS' order on its natural scale
    // (|s_ii| or sqrt(|s_ii s_jj|): steadyState.ts elementScale), written out: the generic loop over the column names was a tenth of a sweep's time.
    closedFormInto(p, cf, 0);
    const c11 = cf.sigma11[0],
      c12 = cf.sigma12[0],
      c22 = cf.sigma22[0],
      c33 = cf.sigma33[0],
      c34 = cf.sigma34[0],
      c44 = cf.sigma44[0],
      c23 = cf.sigma23[0];
    let dev = relativeDeviation(x[0], c11, Math.abs(c11));
    if (!(dev <= deviation)) deviation = dev;
    dev = relativeDeviation(x[1], c12, Math.sqrt(Math.abs(c11 * c22)));
    if (!(dev <= deviation)) deviation = dev;
    dev = relativeDeviation(x[5], c22, Math.abs(c22));
    if (!(dev <= deviation)) deviation = dev;
    dev = relativeDeviation(x[10], c33, Math.abs(c33));
    if (!(dev <= deviation)) deviation = dev;
    dev = relativeDeviation(x[11], c34, Math.sqrt(Math.abs(c33 * c44)));
    if (!(dev <= deviation)) deviation = dev;
    dev = relativeDeviation(x[15], c44, Math.abs(c44));
    if (!(dev <= deviation)) deviation = dev;
    dev = relativeDeviation(x[6], c23, Math.sqrt(Math.abs(c22 * c33)));
    if (!(dev <= deviation)) deviation = dev;
    if (options.onProgress && (i + 1) % every === 0) options.onProgress(i + 1, n);
  }
  return { ...cols, residual, maxResidual, closedFormDeviation: deviation };
}

/**
 * Stationary covariance for each value of one parameter, the others fixed. The default method is the exact engine
 * (Lyapunov equation per point, allocation-free, compared with the closed forms: `closedFormDeviation`);
 * "closed-form" evaluates the closed forms instead. At most MAX_SWEEP_POINTS values.
 */
export function sweep(
  base: DimensionlessParameters,
  parameter: ParameterName,
  values: ArrayLike<number>,
  options: SweepOptions = {},
): Sweep {
  const method = options.method ?? "lyapunov";
  if (method !== "lyapunov" && method !== "closed-form")
    throw new ModelError(`unknown sweep method '${String(method)}' (lyapunov or closed-form)`);
  if (values.length > MAX_SWEEP_POINTS) {
    throw new ModelError(`a sweep has at most ${MAX_SWEEP_POINTS} points, got ${values.length} (sweep in pieces)`);
  }
  const fixed = validateDimensionless({ ...base, [parameter]: values.length > 0 ? values[0] : base[parameter] });
  validateSweep(fixed, parameter, values);
  const solved = solveColumns(
    values.length,
    { ...fixed },
    (i, p) => {
      p[parameter] = values[i];
    },
    { ...options, method },
  );
  return { parameter, values: Float64Array.from(values), base: fixed, method, ...solved };
}

/**
 * Stationary covariance at arbitrary parameter points, e.g. a sweep of a mechanical or electrical parameter that
 * moves several dimensionless ones at once: `pointAt(i)` gives point i (validated here, naming it). Exact engine,
 * one buffer for all points, compared with the closed forms on the fly. Accepts an array of points as well.
 */
export function solvePoints(
  points: readonly DimensionlessParameters[] | { count: number; pointAt: (i: number) => DimensionlessParameters },
  options: SweepOptions = {},
): CovarianceColumns & { residual: Float64Array; maxResidual: number; closedFormDeviation?: number } {
  const count = "count" in points ? points.count : points.length;
  const at = "count" in points ? points.pointAt : (i: number) => points[i];
  if (count > MAX_SWEEP_POINTS)
    throw new ModelError(`a sweep has at most ${MAX_SWEEP_POINTS} points, got ${count} (sweep in pieces)`);
  const p: DimensionlessParameters = { k: 1, k0: 0, q: 1, T1: 0, T2: 0 };
  return solveColumns(count, p, (i, out) => Object.assign(out, validateDimensionless(at(i), `point #${i + 1}`)), {
    method: "lyapunov",
    ...options,
  });
}

// ----------------------------------------------------------------------------------------------------------------
// Ranges and grids.

/** `count` evenly spaced values from start to stop. */
export function linspace(start: number, stop: number, count: number): Float64Array {
  return sweepValues({ start, stop, count, spacing: "linear" });
}

/**
 * A grid on [lo, hi] that resolves a Lorentzian-like feature of half width `halfWidth` at `center`: `uniform` evenly
 * spaced points plus `focused` points equally spaced in arctan((k - center) / halfWidth), merged and sorted.
 */
export function focusedGrid(
  lo: number,
  hi: number,
  center: number,
  halfWidth: number,
  uniform = 801,
  focused = 801,
): Float64Array {
  const pts: number[] = Array.from(linspace(lo, hi, uniform));
  if (halfWidth > 0 && center > lo && center < hi) {
    const a = Math.atan((lo - center) / halfWidth),
      b = Math.atan((hi - center) / halfWidth);
    for (let i = 1; i < focused - 1; i++) pts.push(center + halfWidth * Math.tan(a + ((b - a) * i) / (focused - 1)));
  }
  pts.sort((x, y) => x - y);
  const out: number[] = [];
  const tol = 1e-12 * Math.max(Math.abs(lo), Math.abs(hi), 1);
  for (const x of pts) if (out.length === 0 || x - out[out.length - 1] > tol) out.push(x);
  return Float64Array.from(out);
}

/** A k grid on [lo, hi] that resolves the variance resonance of the given coupling and quality factor. */
export function resonanceGrid(k0: number, q: number, lo = 0, hi = 2, points = 1601): Float64Array {
  const half = Math.max(resonanceHalfWidth(k0, q), 1e-9);
  const uniform = Math.max(2, Math.ceil(points / 2));
  return focusedGrid(lo, hi, 1, half, uniform, Math.max(2, points - uniform));
}
