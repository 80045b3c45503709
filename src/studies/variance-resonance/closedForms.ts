/**
 * Closed forms of the stationary covariance of the two-oscillator system (Sections 4-6 of [Boffi & De Gregorio 2024]), with the
 * misprints corrected as in docs/corrections.md, plus the elements the paper does not print (sigma12, sigma22),
 * derived from the same seven moment equations. Covariance of y = (u1, u2, v1, v2):
 *
 *   [[s11, s12,   0, -s23],
 *    [s12, s22, s23,    0],
 *    [  0, s23, s33,  s34],
 *    [-s23,  0, s34,  s44]]          (s13 = s24 = 0, s14 = -s23: seven free elements, eq. 28)
 *
 * With D = k + (1 + k) k0 (the determinant of the stiffness matrix), E = (k-1)^2 q^2 + 4 k0 (k0 q^2 + 1) + 2 (k+1),
 * C = D E, N = k0^2 (2 + q^2 (k + 2 k0 + 1)) and dT = T2 - T1:
 *   s11 = (1 + k0) T1 / D + N dT / C                       eqs. 29-31
 *   s22 = (k + k0) T2 / D - N dT / C                       (derived; the excess of s11 is the deficit of s22)
 *   s12 = k0 T1 / D + k0 (q^2 ((k-1)(k+k0) + 2 k0^2) + 2 (k + k0)) dT / C   (derived)
 *   s23 = 2 q k0 dT / E                                     eq. 38
 *   s33 = T1 + q k0 s23,  s44 = T2 - q k0 s23               eq. 36 and its mirror
 *   s34 = q (k - 1) s23 / 2                                 eq. 41 corrected: (k - 1), not (k^2 - 1)
 */
import type { DimensionlessParameters } from "./parameters.js";

/** The seven free elements of the stationary covariance (dimensionless; sigma14 = -sigma23, sigma13 = sigma24 = 0). */
export interface Covariance {
  /** <u1^2> */
  sigma11: number;
  /** <u1 u2> */
  sigma12: number;
  /** <u2^2> */
  sigma22: number;
  /** <v1^2> */
  sigma33: number;
  /** <v1 v2> */
  sigma34: number;
  /** <v2^2> */
  sigma44: number;
  /** <u2 v1> = -<u1 v2>: the energy flux from 2 to 1 over k0 (Section 5.2) */
  sigma23: number;
}

/** Column order of covariance tables and CSV files (the CLI's `--csv`). */
export const COVARIANCE_COLUMNS = [
  "sigma11",
  "sigma12",
  "sigma22",
  "sigma33",
  "sigma34",
  "sigma44",
  "sigma23",
] as const;

/** The full 4x4 covariance matrix (row-major) from its seven free elements. */
export function covarianceMatrix(c: Covariance, out: Float64Array = new Float64Array(16)): Float64Array {
  out[0] = c.sigma11;
  out[1] = c.sigma12;
  out[2] = 0;
  out[3] = -c.sigma23;
  out[4] = c.sigma12;
  out[5] = c.sigma22;
  out[6] = c.sigma23;
  out[7] = 0;
  out[8] = 0;
  out[9] = c.sigma23;
  out[10] = c.sigma33;
  out[11] = c.sigma34;
  out[12] = -c.sigma23;
  out[13] = 0;
  out[14] = c.sigma34;
  out[15] = c.sigma44;
  return out;
}

/** Reads the seven free elements from a row-major 4x4 covariance (symmetrised). */
export function covarianceFromMatrix(x: ArrayLike<number>): Covariance {
  return {
    sigma11: x[0],
    sigma12: 0.5 * (x[1] + x[4]),
    sigma22: x[5],
    sigma33: x[10],
    sigma34: 0.5 * (x[11] + x[14]),
    sigma44: x[15],
    sigma23: 0.25 * (x[6] + x[9] - x[3] - x[12]),
  };
}

/** D = k + (1 + k) k0: the determinant of the dimensionless stiffness matrix [[k + k0, -k0], [-k0, 1 + k0]]. */
export function stiffnessDeterminant(p: Pick<DimensionlessParameters, "k" | "k0">): number {
  return p.k + (1 + p.k) * p.k0;
}

/** E of eq. 29: (k - 1)^2 q^2 + 4 k0 (k0 q^2 + 1) + 2 (k + 1). */
export function resonanceDenominator(p: Pick<DimensionlessParameters, "k" | "k0" | "q">): number {
  const { k, k0, q } = p;
  const q2 = q * q;
  return (k - 1) * (k - 1) * q2 + 4 * k0 * (k0 * q2 + 1) + 2 * (k + 1);
}

/** sigma11 exactly as printed in eq. 29: (k0^2 T2 A + T1 B) / C. */
export function sigma11Eq29(p: DimensionlessParameters): number {
  const { k, k0, q, T1, T2 } = p;
  const q2 = q * q;
  const A = (k + 1) * q2 + 2 * k0 * q2 + 2;
  const B =
    (k - 1) ** 2 * q2 + k0 * ((k - 1) ** 2 * q2 + k0 * (-(k - 3) * q2 + 2 * k0 * q2 + 2) + 2 * (k + 3)) + 2 * (k + 1);
  const C = stiffnessDeterminant(p) * resonanceDenominator(p);
  return (k0 * k0 * T2 * A + T1 * B) / C;
}

/** Equilibrium variance of u1 at temperature T (eq. 30): (1 + k0) T / (k + (1 + k) k0). */
export function sigma11Equilibrium(p: Pick<DimensionlessParameters, "k" | "k0">, T: number): number {
  return ((1 + p.k0) * T) / stiffnessDeterminant(p);
}

/** Equilibrium variance of u2 at temperature T: (k + k0) T / (k + (1 + k) k0). */
export function sigma22Equilibrium(p: Pick<DimensionlessParameters, "k" | "k0">, T: number): number {
  return ((p.k + p.k0) * T) / stiffnessDeterminant(p);
}

/** The nonequilibrium part of sigma11 (eq. 31): k0^2 (2 + q^2 (k + 2 k0 + 1)) (T2 - T1) / C. */
export function sigma11Nonequilibrium(p: DimensionlessParameters): number {
  const { k, k0, q, T1, T2 } = p;
  const N = k0 * k0 * (2 + q * q * (k + 2 * k0 + 1));
  return (N * (T2 - T1)) / (stiffnessDeterminant(p) * resonanceDenominator(p));
}

/** Every free element of the stationary covariance from the closed forms (see the file header). */
export function closedFormCovariance(p: DimensionlessParameters): Covariance {
  const { k, k0, q, T1, T2 } = p;
  const dT = T2 - T1;
  const q2 = q * q;
  const D = stiffnessDeterminant(p);
  const E = resonanceDenominator(p);
  const C = D * E;
  const neq11 = (k0 * k0 * (2 + q2 * (k + 2 * k0 + 1)) * dT) / C;
  const sigma23 = (2 * q * k0 * dT) / E;
  const flux = (2 * q2 * k0 * k0 * dT) / E; // q k0 sigma23
  return {
    sigma11: ((1 + k0) * T1) / D + neq11,
    sigma12: (k0 * T1) / D + (k0 * (q2 * ((k - 1) * (k + k0) + 2 * k0 * k0) + 2 * (k + k0)) * dT) / C,
    sigma22: ((k + k0) * T2) / D - neq11,
    sigma33: T1 + flux,
    sigma34: (q2 * k0 * (k - 1) * dT) / E,
    sigma44: T2 - flux,
    sigma23,
  };
}

/** The same closed forms into preallocated columns at index i (no allocation; for sweeps). */
export function closedFormInto(p: DimensionlessParameters, cols: CovarianceColumns, i: number): void {
  const { k, k0, q, T1, T2 } = p;
  const dT = T2 - T1;
  const q2 = q * q;
  const D = k + (1 + k) * k0;
  const E = (k - 1) * (k - 1) * q2 + 4 * k0 * (k0 * q2 + 1) + 2 * (k + 1);
  const C = D * E;
  const neq11 = (k0 * k0 * (2 + q2 * (k + 2 * k0 + 1)) * dT) / C;
  const flux = (2 * q2 * k0 * k0 * dT) / E;
  cols.sigma11[i] = ((1 + k0) * T1) / D + neq11;
  cols.sigma12[i] = (k0 * T1) / D + (k0 * (q2 * ((k - 1) * (k + k0) + 2 * k0 * k0) + 2 * (k + k0)) * dT) / C;
  cols.sigma22[i] = ((k + k0) * T2) / D - neq11;
  cols.sigma33[i] = T1 + flux;
  cols.sigma34[i] = (q2 * k0 * (k - 1) * dT) / E;
  cols.sigma44[i] = T2 - flux;
  cols.sigma23[i] = (2 * q * k0 * dT) / E;
}

/** One Float64Array per free covariance element. */
export type CovarianceColumns = Record<(typeof COVARIANCE_COLUMNS)[number], Float64Array>;

// ----------------------------------------------------------------------------------------------------------------
// Section 6: limiting cases (q -> infinity).

/** eq. 48, the Lorentzian-like factor (1 - k)^2 + 4 k0^2 of the denominator of eqs. 44 and 47. */
export function lorentzianFactor(k: number, k0: number): number {
  return (1 - k) * (1 - k) + 4 * k0 * k0;
}

/** eq. 44: sigma11 for q -> infinity. */
export function sigma11HighQ(p: Omit<DimensionlessParameters, "q">): number {
  const { k, k0, T1, T2 } = p;
  if (k0 === 0) return T1 / k; // uncoupled: equilibrium at T1 (also at k = 1, where the ratio below is 0/0)
  // num / lorentzianFactor with each ratio formed from h = sqrt(lorentzianFactor) (hypot: k0^2 underflows below
  // k0 ~ 1e-162, and at k = 1 the quotient was 0/0).
  const h = Math.hypot(1 - k, 2 * k0);
  const a = (1 - k) / h;
  const w = k0 / h;
  const ratio = a * a * (1 + k0) * T1 + ((3 - k) * T1 + (1 + k) * T2) * w * w + 2 * k0 * w * w * (T1 + T2);
  return ratio / stiffnessDeterminant(p);
}

/** eq. 46 as corrected in docs/corrections.md: (1 + k0) T1 / (k + (1 + k) k0), the equilibrium term at T1. */
export function sigma11HighQEquilibrium(p: Omit<DimensionlessParameters, "q" | "T2">): number {
  return ((1 + p.k0) * p.T1) / stiffnessDeterminant(p);
}

/** eq. 47: the nonequilibrium term (1 + k + 2 k0) k0^2 (T2 - T1) / (((1 - k)^2 + 4 k0^2)(k + (1 + k) k0)). */
export function sigma11HighQNonequilibrium(p: Omit<DimensionlessParameters, "q">): number {
  const { k, k0, T1, T2 } = p;
  // Uncoupled oscillators (k0 = 0) stay at their own temperatures, also at k = 1 where the factor below is 0/0.
  if (k0 === 0) return 0;
  // k0^2 / lorentzianFactor as (k0 / h)^2 with h = hypot(1 - k, 2 k0): k0^2 underflows below k0 ~ 1e-162, and at
  // k = 1 the quotient was 0/0 (NaN) where it is 1/4.
  const w = k0 / Math.hypot(1 - k, 2 * k0);
  return ((1 + k + 2 * k0) * w * w * (T2 - T1)) / stiffnessDeterminant(p);
}

/** eq. 49: sigma11 at k = 1 for q -> infinity, (1 + k0)(T1 + T2) / (2 (1 + 2 k0)). */
export function sigma11HighQAtResonance(k0: number, T1: number, T2: number): number {
  return ((1 + k0) * (T1 + T2)) / (2 * (1 + 2 * k0));
}

/**
 * Width of the resonance predicted by the denominator E of eq. 29 near k = 1: E = q^2 ((k - 1)^2 + G^2) with
 * G^2 = 4 k0^2 + (4 k0 + 4) / q^2 (at k = 1). The Lorentzian-like factor of eq. 48 is the q -> infinity limit
 * G = 2 k0; its full width at half maximum is 2 G (4 k0 for q -> infinity).
 */
export function resonanceHalfWidth(k0: number, q = Infinity): number {
  return Math.sqrt(4 * k0 * k0 + (Number.isFinite(q) ? (4 * k0 + 4) / (q * q) : 0));
}
