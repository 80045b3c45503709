/**
 * The resonance finder: location, height and width of the variance resonance in k = k1/k2 (the peak of the colder
 * oscillator's variance, the dip of the hotter one), compared with the Lorentzian-like factor (1 - k)^2 + 4 k0^2
 * of eq. 48. The feature is measured on the excess over local equilibrium, sigma_ii(k) - sigma_ii^eq(k; T_i),
 * which is +-k0^2 (2 + q^2 (k + 2 k0 + 1)) (T2 - T1) / (D E) (eq. 31): a clean peak whose half maximum is well
 * defined even when sigma_ii(k) itself has no local maximum (the equilibrium background falls with k).
 * Also a generic peak finder for sampled curves (any swept parameter).
 */
import {
  closedFormCovariance,
  resonanceHalfWidth,
  sigma11Equilibrium,
  sigma11HighQNonequilibrium,
  sigma11Nonequilibrium,
  sigma22Equilibrium,
} from "./closedForms.js";
import { ModelError } from "../../errors.js";
import { validateDimensionless, type DimensionlessParameters } from "./parameters.js";
import { focusedGrid } from "./sweep.js";

const GOLDEN = (Math.sqrt(5) - 1) / 2;

/** Maximises f on [a, b] by golden-section search (f unimodal there); returns the argmax. */
export function goldenMax(f: (x: number) => number, a: number, b: number, tol = 1e-13): number {
  let c = b - GOLDEN * (b - a),
    d = a + GOLDEN * (b - a);
  let fc = f(c),
    fd = f(d);
  for (let it = 0; it < 200 && Math.abs(b - a) > tol * (Math.abs(a) + Math.abs(b) + 1e-300); it++) {
    if (fc > fd) {
      b = d;
      d = c;
      fd = fc;
      c = b - GOLDEN * (b - a);
      fc = f(c);
    } else {
      a = c;
      c = d;
      fc = fd;
      d = a + GOLDEN * (b - a);
      fd = f(d);
    }
  }
  return fc > fd ? c : d;
}

/** A root of f in [a, b] (f(a), f(b) of opposite signs) by bisection to full precision. */
export function bisect(f: (x: number) => number, a: number, b: number): number {
  let fa = f(a);
  for (let it = 0; it < 200; it++) {
    const m = 0.5 * (a + b);
    if (m === a || m === b) break;
    const fm = f(m);
    if (fm === 0) return m;
    if (fa < 0 === fm < 0) {
      a = m;
      fa = fm;
    } else b = m;
  }
  return 0.5 * (a + b);
}

export interface Resonance {
  /** Which oscillator's variance: 1 (sigma11) or 2 (sigma22). */
  oscillator: 1 | 2;
  /** "peak" when this oscillator is the colder one, "dip" when it is the hotter one, "none" without a feature. */
  kind: "peak" | "dip" | "none";
  /** Why kind is "none". */
  reason?: string;
  /** k at the extremum of the excess over local equilibrium. */
  location: number;
  /** sigma_ii at `location`. */
  height: number;
  /** sigma_ii - sigma_ii^eq(T_i) at `location` (negative for a dip). */
  excess: number;
  /** sigma_ii^eq(T_i) at `location`: the local-equilibrium baseline. */
  baseline: number;
  /** Full width at half maximum of the excess, and the two half-maximum points (undefined if outside the domain). */
  width?: number;
  halfMaximum?: [number, number];
  /** The extremum of sigma_ii(k) itself nearest the resonance (a local maximum for a peak, minimum for a dip), if any. */
  variance?: { location: number; value: number };
  /** The search window. */
  domain: [number, number];
  /** What eq. 48 predicts: centre 1, FWHM 4 k0 (q -> infinity), FWHM 2 sqrt(4 k0^2 + (4 k0 + 4)/q^2) at finite q. */
  lorentzian: { location: number; width: number; widthFiniteQ: number; excess: number };
}

/**
 * Finds the variance resonance in k for fixed k0, q, T1, T2 (closed forms; exact). `domain` bounds the search
 * (default [0, 2], the window of the paper's figures).
 */
export function findResonance(
  parameters: Omit<DimensionlessParameters, "k">,
  options: { oscillator?: 1 | 2; domain?: [number, number] } = {},
): Resonance {
  const oscillator = options.oscillator ?? 1;
  const domain: [number, number] = options.domain ?? [0, 2];
  const base = validateDimensionless({ ...parameters, k: Math.max(domain[1], 1e-300) });
  const { k0, q, T1, T2 } = base;
  const dT = T2 - T1;
  const sign = oscillator === 1 ? 1 : -1; // excess of sigma22 is minus that of sigma11
  const cold = oscillator === 1 ? T1 < T2 : T2 < T1;
  const at = (k: number): DimensionlessParameters => ({ ...base, k });
  const excessAt = (k: number) => sign * sigma11Nonequilibrium(at(k));
  const varianceAt = (k: number) =>
    oscillator === 1 ? closedFormCovariance(at(k)).sigma11 : closedFormCovariance(at(k)).sigma22;
  const baselineAt = (k: number) => (oscillator === 1 ? sigma11Equilibrium(at(k), T1) : sigma22Equilibrium(at(k), T2));
  const halfWidth = resonanceHalfWidth(k0, q);
  const lorentzian = {
    location: 1,
    width: 4 * k0,
    widthFiniteQ: 2 * halfWidth,
    excess: sign * sigma11HighQNonequilibrium({ k: 1, k0, T1, T2 }),
  };
  const none = (reason: string, location = 1): Resonance => {
    const k = Math.min(Math.max(location, domain[0]), domain[1]);
    return {
      oscillator,
      kind: "none",
      reason,
      location: k,
      height: varianceAt(k),
      excess: excessAt(k),
      baseline: baselineAt(k),
      domain,
      lorentzian,
    };
  };
  if (!(domain[1] > domain[0]) || domain[0] < 0) return none(`invalid domain [${domain[0]}, ${domain[1]}]`);
  if (dT === 0) return none("T1 = T2: equilibrium, no resonance");
  if (k0 === 0) return none("k0 = 0: the oscillators are uncoupled");

  // |excess| on a grid focused on k = 1, then golden-section refinement around the best point.
  const mag = (k: number) => Math.abs(sigma11Nonequilibrium(at(k)));
  const grid = focusedGrid(domain[0], domain[1], 1, Math.max(halfWidth, 1e-12), 601, 601);
  let best = 0;
  const g = new Float64Array(grid.length);
  for (let i = 0; i < grid.length; i++) {
    g[i] = mag(grid[i]);
    if (g[i] > g[best]) best = i;
  }
  const lo = grid[Math.max(0, best - 1)],
    hi = grid[Math.min(grid.length - 1, best + 1)];
  const location = best === 0 || best === grid.length - 1 ? grid[best] : goldenMax(mag, lo, hi);
  const peak = mag(location);
  if (best === 0 || best === grid.length - 1) {
    return none(
      `the excess over local equilibrium is largest at the edge of the window (k = ${grid[best]}): no resonance inside [${domain[0]}, ${domain[1]}]`,
      location,
    );
  }
  // Half-maximum points of |excess|.
  const half = (k: number) => mag(k) - peak / 2;
  let left: number | undefined, right: number | undefined;
  for (let i = best; i > 0; i--) {
    if (g[i - 1] < peak / 2) {
      left = bisect(half, grid[i - 1], Math.max(grid[i], grid[i - 1]));
      break;
    }
  }
  for (let i = best; i < grid.length - 1; i++) {
    if (g[i + 1] < peak / 2) {
      right = bisect(half, grid[i], grid[i + 1]);
      break;
    }
  }
  if (left !== undefined && left > location) left = undefined;
  if (right !== undefined && right < location) right = undefined;

  // Extremum of sigma_ii itself nearest the resonance (max for a peak, min for a dip).
  const s = cold ? 1 : -1;
  let variance: Resonance["variance"];
  let nearest = -1;
  for (let i = 1; i < grid.length - 1; i++) {
    const a = s * varianceAt(grid[i - 1]),
      b = s * varianceAt(grid[i]),
      c = s * varianceAt(grid[i + 1]);
    if (b >= a && b >= c && (nearest < 0 || Math.abs(grid[i] - location) < Math.abs(grid[nearest] - location)))
      nearest = i;
  }
  if (nearest > 0) {
    const kv = goldenMax((k) => s * varianceAt(k), grid[nearest - 1], grid[nearest + 1]);
    variance = { location: kv, value: varianceAt(kv) };
  }
  return {
    oscillator,
    kind: cold ? "peak" : "dip",
    location,
    height: varianceAt(location),
    excess: excessAt(location),
    baseline: baselineAt(location),
    width: left !== undefined && right !== undefined ? right - left : undefined,
    halfMaximum: left !== undefined && right !== undefined ? [left, right] : undefined,
    variance,
    domain,
    lorentzian,
  };
}

/** The largest |y - baseline| of a sampled curve: location (parabolic refinement), value and FWHM (linear interpolation). */
export interface SampledPeak {
  index: number;
  location: number;
  value: number;
  /** y - baseline at the peak (signed). */
  excess: number;
  width?: number;
  halfMaximum?: [number, number];
  /** True when the extremum is at the first or last sample. */
  atEdge: boolean;
}

/** Finds the extremum of y - baseline (default baseline 0) over samples x (ascending). */
export function peakOfSamples(x: ArrayLike<number>, y: ArrayLike<number>, baseline?: ArrayLike<number>): SampledPeak {
  const n = x.length;
  if (n === 0 || y.length !== n || (baseline && baseline.length !== n))
    throw new ModelError("peakOfSamples: x, y (and baseline) need the same nonzero length");
  const e = (i: number) => y[i] - (baseline ? baseline[i] : 0);
  let best = 0;
  for (let i = 1; i < n; i++) if (Math.abs(e(i)) > Math.abs(e(best))) best = i;
  const sign = e(best) < 0 ? -1 : 1;
  const m = (i: number) => sign * e(i);
  let location = x[best];
  if (best > 0 && best < n - 1) {
    // Parabola through the three samples around the maximum (non-uniform spacing).
    const x0 = x[best - 1],
      x1 = x[best],
      x2 = x[best + 1];
    const y0 = m(best - 1),
      y1 = m(best),
      y2 = m(best + 1);
    const d01 = (y1 - y0) / (x1 - x0),
      d12 = (y2 - y1) / (x2 - x1);
    const curv = (d12 - d01) / (x2 - x0);
    if (curv < 0) {
      const v = 0.5 * (x0 + x1) - d01 / (2 * curv);
      if (v > x0 && v < x2) location = v;
    }
  }
  const peak = m(best);
  let left: number | undefined, right: number | undefined;
  for (let i = best; i > 0; i--) {
    if (m(i - 1) < peak / 2) {
      left = x[i - 1] + ((peak / 2 - m(i - 1)) * (x[i] - x[i - 1])) / (m(i) - m(i - 1));
      break;
    }
  }
  for (let i = best; i < n - 1; i++) {
    if (m(i + 1) < peak / 2) {
      right = x[i] + ((m(i) - peak / 2) * (x[i + 1] - x[i])) / (m(i) - m(i + 1));
      break;
    }
  }
  const both = left !== undefined && right !== undefined;
  return {
    index: best,
    location,
    value: y[best],
    excess: e(best),
    width: both ? right! - left! : undefined,
    halfMaximum: both ? [left!, right!] : undefined,
    atEdge: best === 0 || best === n - 1,
  };
}
