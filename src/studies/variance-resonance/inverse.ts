/**
 * The inverse problem of the Discussion (Section 7): infer k = k1/k2 from measured displacement variances, given
 * k0, q, T1 and T2. One variance is in general matched by two values of k, one on each side of the resonance (and
 * by none above the peak). The other variance hardly tells them apart (its excess over local equilibrium is exactly
 * minus that of sigma11, eq. 31 and its mirror): the covariance sigma12 = <u1 u2>, which changes sign across the
 * resonance (Figure 6), does. The ratio sigma11/sigma22 needs only T2/T1 (the variances are linear in the
 * temperatures). Every solution comes with its sensitivity dk/d(observable) and, when measurement uncertainties
 * are given, the propagated error on k; with several observables, every local least-squares fit is reported.
 */
import { ModelError } from "../../errors.js";
import { closedFormCovariance, resonanceHalfWidth } from "./closedForms.js";
import { validateDimensionless, type DimensionlessParameters } from "./parameters.js";
import { bisect, goldenMax } from "./resonance.js";
import { focusedGrid } from "./sweep.js";

export type Observable = "sigma11" | "sigma22" | "ratio" | "sigma12";
const OBSERVABLES: readonly Observable[] = ["sigma11", "sigma22", "ratio", "sigma12"];

/** Measured values (dimensionless: variances in units of L^2, temperatures in T0); give at least one. */
export interface Measurement {
  sigma11?: number;
  sigma22?: number;
  /** sigma11 / sigma22 = <x1^2> / <x2^2> (independent of L and of the temperature unit). */
  ratio?: number;
  /** The covariance <u1 u2> (may be negative). */
  sigma12?: number;
  /** One standard error per measured value (absolute). */
  uncertainty?: Partial<Record<Observable, number>>;
}

export interface KSolution {
  k: number;
  /** Which side of k = 1 (the resonance centre) the solution lies on. */
  side: "below" | "above" | "at";
  /** The model's value of each observable at k. */
  predicted: Record<Observable, number>;
  /** predicted - measured, for each measured observable. */
  residual: Partial<Record<Observable, number>>;
  /** dk / d(observable) at the solution (large near the top of the peak: an ill-conditioned inference). */
  sensitivity: Partial<Record<Observable, number>>;
  /** Propagated standard error of k (from the uncertainties given; the observable that defined the solution). */
  kError?: number;
  /** Sum of squared residuals in units of the uncertainties (or relative to the measured values without them). */
  mismatch: number;
}

export interface Inference {
  /** The observable whose level set defines the candidates. */
  primary: Observable;
  /** Every k in the domain that reproduces the primary observable, best overall match first. */
  solutions: KSolution[];
  /** With two or more observables: the k that best fits all of them (least squares), or undefined. */
  jointFit?: KSolution;
  /** Every local minimum of the least-squares mismatch, best first (two close ones mean the data cannot decide). */
  jointFits: KSolution[];
  /** True when a second local fit is within 4 units of mismatch (2 standard errors) of the best one. */
  ambiguous: boolean;
  domain: [number, number];
}

function observableAt(p: DimensionlessParameters): Record<Observable, number> {
  const c = closedFormCovariance(p);
  return { sigma11: c.sigma11, sigma22: c.sigma22, ratio: c.sigma11 / c.sigma22, sigma12: c.sigma12 };
}

/**
 * All k in `domain` (default [0.01, 4]) that reproduce the measured variances (closed forms), with sensitivities.
 * Throws a ModelError when nothing is measured or a measured value is not a positive number.
 */
export function inferK(
  parameters: Omit<DimensionlessParameters, "k">,
  measurement: Measurement,
  options: { domain?: [number, number] } = {},
): Inference {
  const domain = options.domain ?? [0.01, 4];
  if (!(domain[0] >= 0 && domain[1] > domain[0] && Number.isFinite(domain[1]))) {
    throw new ModelError(`inverse problem: the k window [${domain[0]}, ${domain[1]}] must satisfy 0 <= lo < hi`);
  }
  const base = validateDimensionless({ ...parameters, k: domain[1] });
  // The window's low end in the domain too (k is 0 or at least 1e-100): no k outside it is returned.
  if (domain[0] > 0) validateDimensionless({ ...parameters, k: domain[0] });
  const measured = OBSERVABLES.filter((o) => measurement[o] !== undefined);
  if (measured.length === 0)
    throw new ModelError("inverse problem: give at least one of sigma11, sigma22, ratio, sigma12");
  for (const o of measured) {
    const v = measurement[o]!;
    if (!Number.isFinite(v) || (o !== "sigma12" && !(v > 0))) {
      throw new ModelError(
        `inverse problem: measured ${o} must be a ${o === "sigma12" ? "finite" : "positive"} number, got ${v}`,
      );
    }
    const u = measurement.uncertainty?.[o];
    if (u !== undefined && !(Number.isFinite(u) && u > 0))
      throw new ModelError(`inverse problem: the uncertainty of ${o} must be > 0, got ${u}`);
  }
  const primary = measured[0];
  const target = measurement[primary]!;
  const at = (k: number) => observableAt({ ...base, k });
  const g = (k: number) => at(k)[primary] - target;
  const half = resonanceHalfWidth(base.k0, base.q);
  const grid = focusedGrid(domain[0], domain[1], 1, Math.max(half, 1e-12), 4001, 4001);
  const gv = Array.from(grid, g);

  // Level-set crossings, plus tangencies (a local extremum of g that touches zero within rounding).
  const roots: number[] = [];
  for (let i = 0; i + 1 < grid.length; i++) {
    if (gv[i] === 0) roots.push(grid[i]);
    else if (gv[i] < 0 !== gv[i + 1] < 0 && gv[i + 1] !== 0) roots.push(bisect(g, grid[i], grid[i + 1]));
  }
  if (gv[gv.length - 1] === 0) roots.push(grid[grid.length - 1]);
  for (let i = 1; i + 1 < grid.length; i++) {
    const a = Math.abs(gv[i - 1]),
      b = Math.abs(gv[i]),
      c = Math.abs(gv[i + 1]);
    if (b <= a && b <= c && gv[i - 1] < 0 === gv[i + 1] < 0 && gv[i] < 0 === gv[i - 1] < 0) {
      const s = gv[i] < 0 ? 1 : -1; // maximise s * g towards zero
      const k = goldenMax((x) => s * g(x), grid[i - 1], grid[i + 1]);
      if (Math.abs(g(k)) <= 1e-9 * Math.abs(target)) roots.push(k);
    }
  }

  const scale = (o: Observable) => measurement.uncertainty?.[o] ?? (Math.abs(measurement[o]!) || 1);
  const describe = (k: number, defining: Observable): KSolution => {
    const predicted = at(k);
    const residual: Partial<Record<Observable, number>> = {};
    const sensitivity: Partial<Record<Observable, number>> = {};
    let mismatch = 0;
    const h = 1e-4 * Math.max(Math.min(half, k > 0 ? k : half), 1e-12);
    const lo = Math.max(k - h, 0),
      hi = k + h;
    const pl = at(lo),
      ph = at(hi);
    for (const o of measured) {
      residual[o] = predicted[o] - measurement[o]!;
      mismatch += (residual[o]! / scale(o)) ** 2;
      const slope = (ph[o] - pl[o]) / (hi - lo);
      sensitivity[o] = 1 / slope;
    }
    const u = measurement.uncertainty?.[defining];
    const kError = u !== undefined ? Math.abs(sensitivity[defining]!) * u : undefined;
    const side = Math.abs(k - 1) <= 1e-12 ? "at" : k < 1 ? "below" : "above";
    return { k, side, predicted, residual, sensitivity, kError, mismatch };
  };
  const solutions = roots.sort((a, b) => a - b).map((k) => describe(k, primary));
  solutions.sort((a, b) => a.mismatch - b.mismatch || a.k - b.k);

  const jointFits: KSolution[] = [];
  if (measured.length > 1) {
    const chi2 = (k: number) => {
      const v = at(k);
      let sum = 0;
      for (const o of measured) sum += ((v[o] - measurement[o]!) / scale(o)) ** 2;
      return sum;
    };
    const cv = Array.from(grid, chi2);
    for (let i = 0; i < grid.length; i++) {
      const left = i === 0 ? Infinity : cv[i - 1],
        right = i === grid.length - 1 ? Infinity : cv[i + 1];
      if (!(cv[i] <= left && cv[i] <= right)) continue;
      const k = goldenMax((x) => -chi2(x), grid[Math.max(0, i - 1)], grid[Math.min(grid.length - 1, i + 1)]);
      const fit = describe(k, primary);
      // The fit's error: combine the observables' information (inverse-variance weights).
      if (measured.every((o) => measurement.uncertainty?.[o] !== undefined)) {
        let info = 0;
        for (const o of measured) info += 1 / (fit.sensitivity[o]! * measurement.uncertainty![o]!) ** 2;
        fit.kError = 1 / Math.sqrt(info);
      }
      jointFits.push(fit);
    }
    jointFits.sort((a, b) => a.mismatch - b.mismatch);
  }
  const hasErrors = measured.every((o) => measurement.uncertainty?.[o] !== undefined);
  const ambiguous = jointFits.length > 1 && jointFits[1].mismatch - jointFits[0].mismatch < (hasErrors ? 4 : 1e-6);
  return { primary, solutions, jointFit: jointFits[0], jointFits, ambiguous, domain };
}
