/**
 * Exact steady state of an underdamped linear network from its normal modes (the modal method): one symmetric
 * eigen-decomposition of the mass-weighted potential K = M^-1/2 V M^-1/2 = U diag(w_k^2) U^T, the damped poles of the
 * network as roots of a b x b secular determinant (b = number of baths), and every frequency integral of
 * transmission.ts done in closed form by residues, without quadrature and without the dense covariance.
 *
 * Mass-weighted coordinates x = M^1/2 q obey x'' + D x' + K x = eta with D = M^-1/2 Gamma M^-1/2 diagonal of rank b
 * (d_b = gamma_b / m_b on the bath sites) and <eta eta^T> = 2 D T. Their Green's function
 * Gt(w) = [K - w^2 - i w D]^-1 restricted to the bath columns follows from Woodbury:
 *   Gt(w) P = U H0(w) W^T N(w)^-1,   H0 = diag(1 / (w_k^2 - w^2)),   W = P^T U (the eigenvectors at the bath sites),
 *   N(w) = I - i w Dd g0(w),         g0(w) = W H0(w) W^T = sum_k W_k W_k^T / (w_k^2 - w^2)   (b x b).
 * Its 2n poles (Im w < 0) are the roots of p(w) = det(K - w^2 - i w D) = det N(w) prod_k (w_k^2 - w^2), found all at
 * once by the Aberth-Ehrlich iteration from the first-order estimates +-w_k - i Gamma_k / 2 (Gamma_k = sum_b d_b W_bk^2):
 * each step needs p'/p = tr(N^-1 N') - sum_k 2w / (w_k^2 - w^2), O(n b^2). At a pole w_j with N(w_j) c_j = 0 the
 * damped mode is x_j = U xh_j, xh_jk = (W^T c_j)_k / (w_k^2 - w_j^2), and the residue of Gt is x_j x_j^T / nu_j with
 * nu_j = x_j^T Q'(w_j) x_j = -2 w_j sum_k xh_jk^2 - i sum_b d_b (W xh_j)_b^2 (Q(w) = K - w^2 - i w D).
 *
 * Every moment is an integral over the real line of F1(w) conj(F2(w)) with F1, F2 analytic in the upper half plane
 * and decaying; closing the contour there picks the poles conj(w_l) of conj(F2):
 *   int F1 conj(F2) dw = 2 pi i sum_l conj(Res_{w_l} F2) F1(conj(w_l)),
 * with F1 at conj(w_l), a distance 2 |Im w_l| from every pole, evaluated directly by Woodbury (N(conj w) = I - i conj(w)
 * Dd conj(g0(w))). With T_b = T_ref + dT_b only dT is integrated (the equilibrium part is exact):
 *   <x_a' x_a'> = T_ref + (1/2pi) sum_b 2 d_b dT_b int |w Gt_ab|^2,  <x_i x_j'> = (1/2pi) sum_b 2 d_b dT_b int i w Gt_ib conj(Gt_jb),
 *   bath flux J_b = sum_c (2/pi) gamma_b gamma_c (T_b - T_c) int_0^inf w^2 |G_bc|^2 dw  (Landauer form, as transmission.ts).
 * Bath fluxes need W only (eigenvalues and the eigenvector entries at the bath sites: symmetricEigenRows, ~(4/3) n^3);
 * kinetic temperatures and spring fluxes need all of U (symmetricEigen) and products of U with the damped modes and
 * their partners (n x n by n x 2n).
 *
 * Checks and the error estimate: the sum rule m_a (2/pi) int_0^inf w^2 sum_b gamma_b |G_ab|^2 = 1 (equipartition) at
 * every bath site (and at every site with the temperatures), the trace identity sum_j w_j = -i tr D, the imaginary
 * parts of the real integrals, and the eigenvector residuals. Documentation: docs/studies/harmonic-conduction.md.
 *
 * Overdamped networks (a bath on every site, so the damping has full rank): the relaxation modes of
 * K = Gamma^-1/2 V Gamma^-1/2 give the covariance in closed form (solveOverdampedModal below).
 */
import { ModelError, SteadyStateError } from "../errors.js";
import { symmetricEigen, symmetricEigenRows } from "../linalg/eigen.js";
import { gemmNN, mirrorUpper, multiplyNT, transposeInto } from "../linalg/gemm.js";
import { matrix } from "../linalg/matrix.js";
import type { Model } from "../model/models.js";
import { checkNetworkModel, type NetworkModel } from "../model/networkModel.js";
import { describeValue } from "../model/raw.js";
import { rateSpread } from "./network.js";
import { checkTransmissionSolvable, type TransmissionBathFlux, type TransmissionSpringFlux } from "./transmission.js";

const EPS = 2 ** -53;
/** Rounding floor of every reported error: 100 n eps of the quantity's scale (residue sums over 2n poles; measured
 * deviations from the dense engine on random networks of 3-400 sites stay below 30 n eps where that engine is
 * accurate). */
const ROUNDING = 100 * EPS;
/** Aberth-Ehrlich sweeps before giving up. */
const MAX_SWEEPS = 200;
/** Sweeps over mirror pairs before the poles left move one by one. */
const MIRRORED_SWEEPS = 40;
/** Poles closer than this (relative to their modulus) are checked for degeneracy: the search returns the roots of
 * an exactly degenerate pole ~1e-13 apart (measured). */
const CLOSE = 1e-6;
/** A biorthogonality defect above this marks a group of close poles as one degenerate pole (distinct poles give
 * rounding; the same null vector twice gives 1). */
const DEGENERATE = 1e-6;
/** Close roots that are not one degenerate pole go back to separate poles; above this biorthogonality defect their
 * damped modes are not told apart (the same null vector twice gives 1; resolved split pairs measured <= 0.07). */
const SPLIT_DEFECT = 0.1;

/**
 * The modal method's refusal of a network whose steady state exists (every mode meets a bath) but one of whose modes
 * is damped less than 1e-13 of its frequency: its pole is too close to the real axis for the residues. The frequency
 * integrals (solveNetworkTransmission) still solve such a network; `ness solve --method auto` falls back to them.
 */
export class ModalNarrowModeError extends ModelError {
  override name = "ModalNarrowModeError";
}

/**
 * The modal method's refusal of a network whose damped poles its search did not find (some still moving after the
 * last sweep). The network may well have a steady state: the frequency integrals (solveNetworkTransmission) and the
 * dense Lyapunov solve do not need the poles, and `ness solve --method auto` falls back to the frequency integrals.
 * A SteadyStateError, as it was before it had a class of its own.
 */
export class ModalPoleSearchError extends SteadyStateError {
  override name = "ModalPoleSearchError";
}

/**
 * The modal method's refusal of a network with a degenerate damped pole it cannot split: a defective pole (a Jordan
 * block: one null vector for a double root) or more coinciding roots than baths. The frequency integrals
 * (solveNetworkTransmission) and the dense Lyapunov solve do not need the residues; `ness solve --method auto` falls
 * back to the frequency integrals.
 */
export class ModalDegeneratePoleError extends SteadyStateError {
  override name = "ModalDegeneratePoleError";
}

export interface ModalOptions {
  /** Kinetic temperatures of every site (needs every eigenvector). Default true. */
  temperatures?: boolean;
  /** Spring fluxes (needs every eigenvector). Default true; false with temperatures: false gives the bath fluxes
   * from the eigenvalues and the eigenvector entries at the bath sites only (~(4/3) n^3; underdamped). Their errors
   * then bound the eigenvectors' possible rotation by the eigen-solver's backward error n eps |K| in place of the
   * residuals (not computed): looser, most where modes lie close together. */
  springs?: boolean;
  /**
   * Split every spring flux (and, overdamped, every bath flux) by source bath: the flux the network would carry with
   * only that bath at its temperature and every other at zero (as network.ts; the parts sum to the flux). One more
   * n x n product per bath. Default: up to 32 baths, when those products are estimated to take at most a minute or
   * as long as the solve itself (defaultModalBySource). Underdamped bath fluxes are always split (from the
   * conductances).
   */
  bySource?: boolean;
}

export interface ModalSteadyState {
  method: "modal";
  dynamics: "underdamped" | "overdamped";
  sites: string[];
  /** <p_i^2> / m_i (underdamped, unless temperatures: false). */
  kineticTemperature?: Float64Array;
  kineticTemperatureError?: Float64Array;
  /** Overdamped: <q_i dU/dq_i>, equal to the bath temperature of site i (exact; the computed value enters
   * `residual`). */
  configurationalTemperature?: Float64Array;
  /** Every spring (unless springs: false: then empty). */
  springs: TransmissionSpringFlux[];
  baths: TransmissionBathFlux[];
  /** Underdamped: J_b = sum_c conductance[b][c] (T_b - T_c) (overdamped networks have a bath on every site: the
   * fluxes by source carry the same information). */
  conductance?: number[][];
  entropyProduction: number;
  /** Per site: |bath flux + spring fluxes into the site|, relative to the largest flux scale (as network.ts); zeros
   * when spring fluxes were not computed. */
  energyBalanceResidual: Float64Array;
  /**
   * Largest estimated error of a flux (relative to the largest bath flux) or of a kinetic temperature (relative to
   * the largest bath temperature), reported like the Lyapunov residual: from the equipartition sum rule's deviation
   * at the bath sites (and at every site with the temperatures), the imaginary parts of the residue sums, a rounding
   * floor 100 n eps per quantity, the eigenvectors' possible rotation (eigenvectorMixing: from the eigenvector
   * residuals, or with the bath rows alone from the eigen-solver's backward error n eps |K|), and for the spring
   * fluxes the defect of <x_i x_j'> = -<x_j x_i'>.
   */
  errorEstimate: number;
  /**
   * True when the reported errors are estimates, not bounds: the eigenpairs' own rounding (what the one step of
   * refinement leaves, of order eps times the stiffest spring per mass), which no error term bounds, can reach a flux
   * here: a spring WEAK_SPRING_SPREAD (1e6) or more times weaker per mass than the largest diagonal entry of K, or
   * eigenvalues EIGENVALUE_SPREAD (1e8) or more apart (modalErrorIsEstimate). A note then says which, and
   * `--method lyapunov` (or transmission) is an independent check.
   */
  errorIsEstimate: boolean;
  /** Largest residual of the modal solve: eigenvector residuals |K u - w^2 u| / |K| (with every eigenvector), the
   * secular equations |N(w_j) c_j| / (|N| |c_j|) at the poles, the trace identity sum_j w_j = -i tr D, and the
   * biorthogonality of the damped modes of close poles (degeneratePoles);
   * overdamped: the eigenvector residuals and the Lyapunov equation K C + C K = 2 T at every site and spring
   * (relative to the largest temperature difference). */
  residual: number;
  /** Normal modes (n) and damped poles located (2n); overdamped: the n relaxation modes (poles -i lambda_k on the
   * imaginary axis, relative width 2) and the slowest rate lambda_min. */
  modes: { count: number; poles: number; narrowest: number; slowestRate?: number };
  warnings: string[];
  notes: string[];
}

/** Complex b x b LU with partial pivoting (in place, row-major re/im), pivots in piv. Returns the smallest |pivot|. */
function luFactor(b: number, ar: Float64Array, ai: Float64Array, piv: Int32Array): number {
  let smallest = Infinity;
  for (let k = 0; k < b; k++) {
    let p = k;
    let best = -1;
    for (let i = k; i < b; i++) {
      const m = Math.hypot(ar[i * b + k], ai[i * b + k]);
      if (m > best) {
        best = m;
        p = i;
      }
    }
    piv[k] = p;
    if (p !== k) {
      for (let j = 0; j < b; j++) {
        let t = ar[k * b + j];
        ar[k * b + j] = ar[p * b + j];
        ar[p * b + j] = t;
        t = ai[k * b + j];
        ai[k * b + j] = ai[p * b + j];
        ai[p * b + j] = t;
      }
    }
    smallest = Math.min(smallest, best);
    const pr = ar[k * b + k];
    const pi = ai[k * b + k];
    const den = pr * pr + pi * pi;
    if (den === 0) continue;
    for (let i = k + 1; i < b; i++) {
      // l = a_ik / a_kk
      const xr = ar[i * b + k];
      const xi = ai[i * b + k];
      const lr = (xr * pr + xi * pi) / den;
      const li = (xi * pr - xr * pi) / den;
      ar[i * b + k] = lr;
      ai[i * b + k] = li;
      for (let j = k + 1; j < b; j++) {
        const ur = ar[k * b + j];
        const ui = ai[k * b + j];
        ar[i * b + j] -= lr * ur - li * ui;
        ai[i * b + j] -= lr * ui + li * ur;
      }
    }
  }
  return smallest;
}

/** Solves (LU) x = rhs in place (rhs re/im of length b), with the factorisation of luFactor. */
function luSolve(b: number, ar: Float64Array, ai: Float64Array, piv: Int32Array, xr: Float64Array, xi: Float64Array) {
  // Every interchange first (luFactor swaps whole rows, multipliers included), then L, then U.
  for (let k = 0; k < b; k++) {
    const p = piv[k];
    if (p !== k) {
      let t = xr[k];
      xr[k] = xr[p];
      xr[p] = t;
      t = xi[k];
      xi[k] = xi[p];
      xi[p] = t;
    }
  }
  for (let k = 0; k < b; k++) {
    for (let i = k + 1; i < b; i++) {
      const lr = ar[i * b + k];
      const li = ai[i * b + k];
      xr[i] -= lr * xr[k] - li * xi[k];
      xi[i] -= lr * xi[k] + li * xr[k];
    }
  }
  for (let k = b - 1; k >= 0; k--) {
    let sr = xr[k];
    let si = xi[k];
    for (let j = k + 1; j < b; j++) {
      const ur = ar[k * b + j];
      const ui = ai[k * b + j];
      sr -= ur * xr[j] - ui * xi[j];
      si -= ur * xi[j] + ui * xr[j];
    }
    const pr = ar[k * b + k];
    const pi = ai[k * b + k];
    const den = pr * pr + pi * pi || Number.MIN_VALUE;
    xr[k] = (sr * pr + si * pi) / den;
    xi[k] = (si * pr - sr * pi) / den;
  }
}

/** Back substitution through the upper triangle of a factorisation (luFactor, luComplete) for the unknowns before
 * `from`, the later ones given in x (re/im). */
function backSubstitute(
  b: number,
  ar: Float64Array,
  ai: Float64Array,
  from: number,
  xr: Float64Array,
  xi: Float64Array,
) {
  for (let k = from - 1; k >= 0; k--) {
    let sr = 0;
    let si = 0;
    for (let q = k + 1; q < b; q++) {
      sr -= ar[k * b + q] * xr[q] - ai[k * b + q] * xi[q];
      si -= ar[k * b + q] * xi[q] + ai[k * b + q] * xr[q];
    }
    const pr = ar[k * b + k];
    const pi = ai[k * b + k];
    const den = pr * pr + pi * pi || Number.MIN_VALUE;
    xr[k] = (sr * pr + si * pi) / den;
    xi[k] = (si * pr - sr * pi) / den;
  }
}

/** Complex b x b LU with complete pivoting (in place, row-major re/im): P A Q = L U, the rows in rowP, the columns
 * in colP (column q of U is column colP[q] of A). Its trailing pivots reveal a null space. */
function luComplete(b: number, ar: Float64Array, ai: Float64Array, rowP: Int32Array, colP: Int32Array): void {
  for (let k = 0; k < b; k++) colP[k] = k;
  const swap = (x: Float64Array, i: number, j: number) => {
    const t = x[i];
    x[i] = x[j];
    x[j] = t;
  };
  for (let k = 0; k < b; k++) {
    let pr = k;
    let pc = k;
    let best = -1;
    for (let i = k; i < b; i++)
      for (let j = k; j < b; j++) {
        const m = Math.hypot(ar[i * b + j], ai[i * b + j]);
        if (m > best) {
          best = m;
          pr = i;
          pc = j;
        }
      }
    rowP[k] = pr;
    for (let j = 0; j < b; j++) {
      swap(ar, k * b + j, pr * b + j);
      swap(ai, k * b + j, pr * b + j);
    }
    for (let i = 0; i < b; i++) {
      swap(ar, i * b + k, i * b + pc);
      swap(ai, i * b + k, i * b + pc);
    }
    const t = colP[k];
    colP[k] = colP[pc];
    colP[pc] = t;
    const qr = ar[k * b + k];
    const qi = ai[k * b + k];
    const den = qr * qr + qi * qi;
    if (den === 0) continue;
    for (let i = k + 1; i < b; i++) {
      const xr = ar[i * b + k];
      const xi = ai[i * b + k];
      const lr = (xr * qr + xi * qi) / den;
      const li = (xi * qr - xr * qi) / den;
      ar[i * b + k] = lr;
      ai[i * b + k] = li;
      for (let j = k + 1; j < b; j++) {
        const ur = ar[k * b + j];
        const ui = ai[k * b + j];
        ar[i * b + j] -= lr * ur - li * ui;
        ai[i * b + j] -= lr * ui + li * ur;
      }
    }
  }
}

/**
 * How far the eigenvectors' possible rotation can move a kinetic temperature, per site, in units of the temperature
 * spread. The computed eigenvectors are those of K + E with |E| the residuals (backward error): mode k's error along
 * mode l is at most |r_k|_2 / |lam_k - lam_l| (Davis-Kahan, |r_k|_2 <= sqrt(n) times its largest entry, byMode). A
 * rotation by theta between modes k and l is the same as a change of K by theta (lam_k - lam_l) in their plane, and
 * the steady state answers to a change e of K coupling two modes by at most e over the larger of their separation
 * and their joint width: the covariance of two damped modes goes as 1 / (i (w_k - w_l) + (Gamma_k + Gamma_l) / 2)
 * (Gamma_k = sum_b d_b W_bk^2 the mode's damping rate), so modes within their damping widths of each other (nearly
 * identical parts weakly joined: separation 1e-10, widths 1e-3) are not mixed in any way the result sees. Hence
 * theta_k = |r_k|_2 / min_l max(|lam_k - lam_l|, (w_k Gamma_k + w_l Gamma_l) / 2) (eigenvalues within the largest
 * residual count as one cluster: a rotation within a degenerate eigenspace changes nothing). The kinetic temperature
 * of site a is (U C U^T)_aa with the mode covariance C between T_min and T_max (|C - T_ref|_2 <= spread / 2); a
 * rotation Theta moves it by 2 (u_a^T Theta C u_a) <= spread |Theta^T u_a| <= spread sum_k |u_ak| theta_k (u_a its
 * row of U). The sum rule does not see it: a rotation keeps every site's total weight. The bath fluxes
 * J_b = d_b (T_b - T_kin,b) alike; the spring fluxes per site against every mode (see there). With springs 1e9 stiffer (per mass) than the softest modes, eigenvectors good to
 * a residual of eps |K| are mixed by eps |K| / gap: a kinetic temperature came out 1.7e-11 of T_max off with an
 * error of 5.6e-14 of it. Returns theta (n).
 */
function eigenvectorMixing(lam: Float64Array, byMode: Float64Array, width: Float64Array): Float64Array {
  const n = lam.length;
  const root = Math.sqrt(n);
  let tau = 0;
  for (const r of byMode) tau = Math.max(tau, root * r);
  const theta = new Float64Array(n);
  // The response to a change of K coupling modes k and l, per unit of it: sep / (sep^2 + w^2) (<= 1 / sep).
  const response = (sep: number, w: number) => {
    const s = Math.max(sep, w);
    const x = sep / s;
    const y = w / s;
    return x / (s * (x * x + y * y));
  };
  for (let k = 0; k < n; k++) {
    // lam is ascending: scan outward while 1 / separation can exceed the largest response found.
    let best = 0;
    for (let l = k - 1; l >= 0 && (lam[k] - lam[l]) * best < 1; l--) {
      const sep = lam[k] - lam[l];
      if (sep > tau) best = Math.max(best, response(sep, 0.5 * (width[k] + width[l])));
    }
    for (let l = k + 1; l < n && (lam[l] - lam[k]) * best < 1; l++) {
      const sep = lam[l] - lam[k];
      if (sep > tau) best = Math.max(best, response(sep, 0.5 * (width[k] + width[l])));
    }
    theta[k] = Math.min(1, root * byMode[k] * best);
  }
  return theta;
}

/** A site's share of the eigenvectors' possible rotation: sum_k |u_ak| theta_k (u_a: its row of U, or its bath row
 * of W), at most 1 (a rotation moves a kinetic temperature by at most the spread). */
function siteMixing(row: Float64Array, theta: Float64Array): number {
  let s = 0;
  for (let k = 0; k < theta.length; k++) s += Math.abs(row[k]) * theta[k];
  return Math.min(1, s);
}

/** A spring this many times weaker (per mass: k / sqrt(s_i s_j) against the largest (pinning + stiffnesses) / s_i,
 * s the masses or the frictions) than the stiffest makes the modal errors estimates (modalErrorIsEstimate). */
export const WEAK_SPRING_SPREAD = 1e6;
/** Eigenvalues of K this far apart (largest / smallest) make the modal errors estimates (modalErrorIsEstimate). */
export const EIGENVALUE_SPREAD = 1e8;

/**
 * Whether the modal errors are estimates rather than bounds, and why (a note for the result; undefined: not).
 * After the refinement the eigenpairs are the exact ones of K + E with E of order eps times the stiffest spring per
 * mass (the refined vectors are stored in double); no error term bounds what E does to a flux. Without the
 * refinement (eigenpairs good to eps |K| only) the audits against 45- and 60-digit solves found fluxes beyond their
 * errors only beside a spring 6.2e7 or more times weaker (per mass, as measured here) than the stiffest (6 networks,
 * 6.2e7 to 4.6e10), or among eigenvalues 4e9 apart (docs/model-format.md); the thresholds are 62 and 40 times below. After the refinement no audit network is beyond its errors, flagged or not, but nothing bounds them
 * in the flagged regime. `scale`: the masses, or the frictions (overdamped); lam: the eigenvalues of K.
 */
export function modalErrorIsEstimate(
  model: NetworkModel,
  scale: ArrayLike<number>,
  lam: Float64Array,
): string | undefined {
  const n = model.sites.length;
  const diag = Float64Array.from(model.pinning);
  for (const sp of model.springs) {
    diag[sp.i] += sp.stiffness;
    diag[sp.j] += sp.stiffness;
  }
  let stiff = 0;
  for (let i = 0; i < n; i++) stiff = Math.max(stiff, diag[i] / scale[i]);
  let weak = Infinity;
  for (const sp of model.springs) weak = Math.min(weak, sp.stiffness / Math.sqrt(scale[sp.i] * scale[sp.j]));
  const per = model.dynamics === "overdamped" ? "per friction" : "per mass";
  const reasons: string[] = [];
  if (Number.isFinite(weak) && stiff >= WEAK_SPRING_SPREAD * weak)
    reasons.push(`its weakest spring is ${(stiff / weak).toExponential(1)} times weaker (${per}) than the stiffest`);
  let lo = Infinity;
  let hi = -Infinity;
  for (const x of lam) {
    lo = Math.min(lo, x);
    hi = Math.max(hi, x);
  }
  const over = model.dynamics === "overdamped";
  const what = over ? "relaxation rates" : "squared mode frequencies";
  if (lam.length > 1 && hi >= EIGENVALUE_SPREAD * lo)
    // (lo <= 0: the softest mode came out at rounding level, within eps |K| of zero.)
    reasons.push(
      lo > 0
        ? `its ${what} span ${(hi / lo).toExponential(1)}`
        : `its smallest ${over ? "relaxation rate" : "squared mode frequency"} is within rounding of zero`,
    );
  if (reasons.length === 0) return undefined;
  return `the errors are estimates, not bounds: ${reasons.join(" and ")}, where the eigenvectors' rounding (of order 1e-16 of the stiffest spring) is bounded by no error term; check with --method lyapunov`;
}

/** A damped pole for a message: its frequency |w| and damping, or "overdamped" where Re w is rounding. */
function poleName(wr: number, wi: number): string {
  const m = Math.hypot(wr, wi);
  if (Math.abs(wr) <= 1e-9 * m) return `at ${(-wi).toPrecision(6)}i (overdamped)`;
  return `at frequency |w| = ${m.toPrecision(6)} (decay rate ${(-wi).toPrecision(3)})`;
}

/**
 * The secular matrices of a network with eigenvalues lam (n) and bath entries W (b x n, row-major): at a complex
 * frequency w, g0(w) and (optionally) sum_k W_k W_k^T / (w_k^2 - w^2)^2, and sum_k 1 / (w_k^2 - w^2).
 */
class Secular {
  readonly n: number;
  readonly b: number;
  /** Products W_bk W_ck of the pairs c <= b, mode-major (n x pairs). */
  private readonly prod: Float64Array;
  private readonly acc: Float64Array;
  readonly g0r: Float64Array;
  readonly g0i: Float64Array;
  readonly g1r: Float64Array;
  readonly g1i: Float64Array;
  sumR = 0;
  sumI = 0;
  /** A mode whose w_k^2 - w^2 is given (anchorR + i anchorI) instead of computed: the root's own mode, where the
   * difference cancels (a pole of half-width Gamma / 2 next to w_k: the offset carries it to full relative accuracy). */
  anchor = -1;
  anchorR = 0;
  anchorI = 0;
  constructor(
    readonly lam: Float64Array,
    readonly W: Float64Array,
    b: number,
  ) {
    const n = lam.length;
    this.n = n;
    this.b = b;
    const pairs = (b * (b + 1)) / 2;
    this.prod = new Float64Array(pairs * n);
    this.acc = new Float64Array(4 * pairs);
    let p = 0;
    for (let r = 0; r < b; r++)
      for (let c = 0; c <= r; c++, p++)
        for (let k = 0; k < n; k++) this.prod[k * pairs + p] = W[r * n + k] * W[c * n + k];
    this.g0r = new Float64Array(b * b);
    this.g0i = new Float64Array(b * b);
    this.g1r = new Float64Array(b * b);
    this.g1i = new Float64Array(b * b);
  }

  /** Evaluates at w = wr + i wi; derivative parts (g1, sum) when `deriv`. */
  at(wr: number, wi: number, deriv: boolean): void {
    const { n, b, lam, prod, acc } = this;
    const pairs = (b * (b + 1)) / 2;
    const zr = wr * wr - wi * wi;
    const zi = 2 * wr * wi;
    acc.fill(0);
    let sr = 0;
    let si = 0;
    // One reciprocal per mode, then every pair (prod is mode-major: n x pairs).
    for (let k = 0; k < n; k++) {
      // t = 1 / (lam_k - w^2) = 1 / (a + i e)
      let a = lam[k] - zr;
      let e = -zi;
      if (k === this.anchor) {
        a = this.anchorR;
        e = this.anchorI;
      }
      const inv = 1 / (a * a + e * e);
      const tr = a * inv;
      const ti = -e * inv;
      const off = k * pairs;
      if (deriv) {
        sr += tr;
        si += ti;
        const t2r = tr * tr - ti * ti;
        const t2i = 2 * tr * ti;
        for (let p = 0; p < pairs; p++) {
          const q = prod[off + p];
          acc[4 * p] += q * tr;
          acc[4 * p + 1] += q * ti;
          acc[4 * p + 2] += q * t2r;
          acc[4 * p + 3] += q * t2i;
        }
      } else {
        for (let p = 0; p < pairs; p++) {
          const q = prod[off + p];
          acc[4 * p] += q * tr;
          acc[4 * p + 1] += q * ti;
        }
      }
    }
    let p = 0;
    for (let r = 0; r < b; r++) {
      for (let c = 0; c <= r; c++, p++) {
        this.g0r[r * b + c] = this.g0r[c * b + r] = acc[4 * p];
        this.g0i[r * b + c] = this.g0i[c * b + r] = acc[4 * p + 1];
        if (deriv) {
          this.g1r[r * b + c] = this.g1r[c * b + r] = acc[4 * p + 2];
          this.g1i[r * b + c] = this.g1i[c * b + r] = acc[4 * p + 3];
        }
      }
    }
    if (deriv) {
      this.sumR = sr;
      this.sumI = si;
    }
  }
}

/** Dekker's splitting constant, 2^27 + 1 (the exact products of refineEigenpairs). */
const SPLIT = 134217729;

/**
 * Residuals K u_q - lam_q u_q of every eigenpair in double-double, rounded to doubles: row q of `out` (n x n) for the
 * column q of U, given transposed (`ut`, row q = eigenvector q). K is taken in its Laplacian form,
 * (K u)_i = s_i (kappa_i y_i + sum_j k_ij (y_i - y_j)) with y = s u and s_i = scale_i^-1/2, so its diagonal is the
 * pinning plus the stiffnesses exactly (formed in double, V_ii = kappa_i + sum_j k_ij is rounded by eps of the stiffest
 * spring, which moves a soft mode by that much).
 */
function residualsDoubleDouble(
  model: NetworkModel,
  s: Float64Array,
  ut: Float64Array,
  lam: Float64Array,
  out: Float64Array,
): void {
  const n = model.sites.length;
  const yh = new Float64Array(n);
  const yl = new Float64Array(n);
  const zh = new Float64Array(n);
  const zl = new Float64Array(n);
  const ns = model.springs.length;
  const si = new Int32Array(ns);
  const sj = new Int32Array(ns);
  const sk = new Float64Array(ns);
  model.springs.forEach((sp, q) => {
    si[q] = sp.i;
    sj[q] = sp.j;
    sk[q] = sp.stiffness;
  });
  // hi + lo += a * (bh + bl) in double-double (Dekker's product of a and bh, a * bl in double).
  let accH = 0;
  let accL = 0;
  const addProduct = (a: number, bh: number, bl: number) => {
    const p = a * bh;
    let t = SPLIT * a;
    const ah = t - (t - a);
    const al = a - ah;
    t = SPLIT * bh;
    const bhh = t - (t - bh);
    const bhl = bh - bhh;
    const pe = ah * bhh - p + ah * bhl + al * bhh + al * bhl + a * bl;
    const sum = accH + p;
    const bb = sum - accH;
    const se = accH - (sum - bb) + (p - bb) + accL + pe;
    accH = sum + se;
    accL = se - (accH - sum);
  };
  for (let q = 0; q < n; q++) {
    const row = q * n;
    for (let i = 0; i < n; i++) {
      accH = 0;
      accL = 0;
      addProduct(s[i], ut[row + i], 0);
      yh[i] = accH;
      yl[i] = accL;
      accH = 0;
      accL = 0;
      addProduct(model.pinning[i], yh[i], yl[i]);
      zh[i] = accH;
      zl[i] = accL;
    }
    for (let e = 0; e < ns; e++) {
      const i = si[e];
      const j = sj[e];
      // d = y_i - y_j in double-double, then z_i += k d, z_j -= k d.
      const sum = yh[i] - yh[j];
      const bb = sum - yh[i];
      const err = yh[i] - (sum - bb) + (-yh[j] - bb) + (yl[i] - yl[j]);
      const dh = sum + err;
      const dl = err - (dh - sum);
      accH = zh[i];
      accL = zl[i];
      addProduct(sk[e], dh, dl);
      zh[i] = accH;
      zl[i] = accL;
      accH = zh[j];
      accL = zl[j];
      addProduct(-sk[e], dh, dl);
      zh[j] = accH;
      zl[j] = accL;
    }
    for (let i = 0; i < n; i++) {
      accH = 0;
      accL = 0;
      addProduct(s[i], zh[i], zl[i]);
      addProduct(-lam[q], ut[row + i], 0);
      out[row + i] = accH + accL;
    }
  }
}

/**
 * One step of refinement of the eigenpairs of K (Ogita and Aishima's, first order, with the residuals in
 * double-double): with P = U^T R (R_q = K u_q - lam_q u_q), the eigenvalues become lam_q + P_qq and each eigenvector
 * u_q + sum_l u_l P_lq / (lam_q - lam_l) (pairs closer than 1e3 |P_lq| are left unmixed: their rotation within the
 * pair is not determined to first order, and the rotation bound eigenvectorMixing covers it). The Householder and QR
 * steps leave each eigenpair good to eps |K| only, i.e. the exact eigenpairs of K + E with |E| ~ eps |K| in every
 * entry: on a network whose eigenvalues span 4e9 the smallest came out 3.8e-8 of itself off, and two modes whose
 * shares across a weak spring are 1-2e-5 were 2.5e-14 off (1e-9 of those shares: eps |K| against the spring); the
 * spring fluxes built on them were off by 6e-11 to 1.2e-9 of themselves, beyond every error term (the sum rules and
 * the rotation bound do not see an error of K itself). After the step the same fluxes agree with 45-digit solves to
 * 1.4e-15 to 2.1e-13 of themselves. U (row-major, n x n) and lam are overwritten.
 */
function refineEigenpairs(model: NetworkModel, s: Float64Array, U: Float64Array, lam: Float64Array): void {
  const n = lam.length;
  const ut = new Float64Array(n * n);
  transposeInto(n, n, U, ut);
  const rt = new Float64Array(n * n);
  residualsDoubleDouble(model, s, ut, lam, rt);
  // P_lq = u_l . r_q = (U^T R)_lq: rows of ut against rows of rt.
  const P = new Float64Array(n * n);
  multiplyNT(n, n, n, ut, rt, P);
  const theta = new Float64Array(n * n);
  for (let l = 0; l < n; l++)
    for (let q = 0; q < n; q++) {
      if (l === q) continue;
      const p = P[l * n + q];
      const gap = lam[q] - lam[l];
      if (Math.abs(gap) > 1e3 * Math.abs(p)) theta[l * n + q] = p / gap;
    }
  for (let q = 0; q < n; q++) lam[q] += P[q * n + q];
  // U += U Theta (the product into the residuals' array, no longer needed).
  rt.fill(0);
  gemmNN(n, n, n, 1, U, 0, n, theta, 0, n, rt, 0, n);
  for (let x = 0; x < n * n; x++) U[x] += rt[x];
}

/**
 * The eigenvalues of K = S^-1/2 V S^-1/2 (S = diag(scale): the masses, or the frictions of an overdamped network) and
 * its eigenvectors' entries at the bath sites (every eigenvector too when `full`; `bathRows: false` skips W).
 */
function modesOf(
  model: NetworkModel,
  full: boolean,
  scale: ArrayLike<number> = model.mass,
  bathRows = true,
  refine = false,
  projected = false,
): {
  lam: Float64Array;
  W: Float64Array;
  U?: Float64Array;
  residual: number;
  byMode?: Float64Array;
  proj?: Float64Array;
  kNorm: number;
} {
  const n = model.sites.length;
  const K = matrix(n, n);
  const k = K.data;
  const s = Array.from(scale, (m) => 1 / Math.sqrt(m));
  for (let i = 0; i < n; i++) k[i * n + i] = model.pinning[i] * s[i] * s[i];
  for (const sp of model.springs) {
    k[sp.i * n + sp.i] += sp.stiffness * s[sp.i] * s[sp.i];
    k[sp.j * n + sp.j] += sp.stiffness * s[sp.j] * s[sp.j];
    k[sp.i * n + sp.j] -= sp.stiffness * s[sp.i] * s[sp.j];
    k[sp.j * n + sp.i] -= sp.stiffness * s[sp.i] * s[sp.j];
  }
  const bathSites = model.baths.map((b) => b.site);
  const B = bathSites.length;
  let kNorm = 0;
  for (let i = 0; i < n; i++) {
    let r = 0;
    for (let j = 0; j < n; j++) r += Math.abs(k[i * n + j]);
    kNorm = Math.max(kNorm, r);
  }
  if (!full) {
    const { values, entries } = symmetricEigenRows(K, bathSites);
    return { lam: values, W: entries, residual: 0, kNorm };
  }
  // Sparse residual check of every eigenvector: |K u - lam u|_inf / |K|_inf (K has the springs' pattern).
  const rowsOf: number[][] = Array.from({ length: n }, (_, i) => [i]);
  for (const sp of model.springs) {
    rowsOf[sp.i].push(sp.j);
    rowsOf[sp.j].push(sp.i);
  }
  const kEntries = rowsOf.map((cols, i) => cols.map((j) => k[i * n + j]));
  const { values, vectors } = symmetricEigen(K);
  const U = vectors.data;
  if (refine) {
    refineEigenpairs(model, Float64Array.from(s), U, values);
    // The step moves each eigenvalue by ~eps |K|: keep them ascending (eigenvectorMixing scans them in order).
    let sorted = true;
    for (let q = 1; q < n; q++) if (values[q] < values[q - 1]) sorted = false;
    if (!sorted) {
      const order = Array.from({ length: n }, (_, q) => q).sort((a, b) => values[a] - values[b]);
      const lamCopy = values.slice();
      const uCopy = U.slice();
      order.forEach((from, q) => {
        values[q] = lamCopy[from];
        for (let i = 0; i < n; i++) U[i * n + q] = uCopy[i * n + from];
      });
    }
  }
  let residual = 0;
  // Per eigenvector: the largest entry of K u - lam u. Refined eigenpairs: against K exactly (residualsDoubleDouble,
  // as the refinement takes it), not K rounded to double, whose diagonal is off by eps of the stiffest spring at a
  // site: the refined soft mode of a spring of 0.033 beside one of 9.1e6 had a residual of eps of that spring against
  // the rounded K, which the rotation bound made 6.6e6 times its flux's actual error.
  const byMode = new Float64Array(n);
  let proj: Float64Array | undefined;
  if (refine) {
    const ut = new Float64Array(n * n);
    transposeInto(n, n, U, ut);
    const rt = new Float64Array(n * n);
    residualsDoubleDouble(model, Float64Array.from(s), ut, values, rt);
    for (let q = 0; q < n; q++) {
      let r = 0;
      for (let i = 0; i < n; i++) r = Math.max(r, Math.abs(rt[q * n + i]));
      byMode[q] = r;
    }
    // The residuals' components along the eigenvectors, P_lq = u_l . r_q (as the refinement's P, now of the
    // refined pairs): the entries of the backward error E = -U P U^T in the eigenbasis.
    if (projected) {
      proj = new Float64Array(n * n);
      multiplyNT(n, n, n, ut, rt, proj);
    }
  } else
    for (let i = 0; i < n; i++) {
      const cols = rowsOf[i];
      const ke = kEntries[i];
      for (let q = 0; q < n; q++) {
        let acc = -values[q] * U[i * n + q];
        for (let t = 0; t < cols.length; t++) acc += ke[t] * U[cols[t] * n + q];
        byMode[q] = Math.max(byMode[q], Math.abs(acc));
      }
    }
  for (const r of byMode) residual = Math.max(residual, r);
  residual /= Math.max(kNorm, 1e-300);
  const W = new Float64Array(bathRows ? B * n : 0);
  if (bathRows) bathSites.forEach((site, r) => W.set(U.subarray(site * n, site * n + n), r * n));
  return { lam: values, W, U, residual, byMode, proj, kNorm };
}

/**
 * Exact steady state of a linear network by the modal method (see the file header): bath fluxes, entropy production
 * and (underdamped) thermal conductances always; kinetic temperatures (overdamped: configurational) and spring fluxes
 * unless switched off; fluxes by source bath (bySource). Throws SteadyStateError when there is no unique steady state,
 * ModelError for an invalid model or option, ModalNarrowModeError (a ModelError) when a mode is damped less than 1e-13
 * of its frequency, ModalPoleSearchError (a SteadyStateError) when the search for the damped poles does not converge.
 *
 * @example
 * ```ts
 * import { loadModel, solveNetworkModal } from "ness";
 *
 * const state = solveNetworkModal(loadModel(`
 * kind: network
 * sites: [a, b, c]
 * pinning: 1
 * springs: [{between: [a, b], stiffness: 1}, {between: [b, c], stiffness: 1}]
 * baths: [{site: a, friction: 1, temperature: 2}, {site: c, friction: 1, temperature: 1}]
 * `));
 * console.log(state.baths[0].flux > 0, state.errorEstimate < 1e-10); // => true true
 * ```
 */
export function solveNetworkModal(model: Model, options: ModalOptions = {}): ModalSteadyState {
  checkNetworkModel(model, "solveNetworkModal");
  if (options === null || typeof options !== "object")
    throw new ModelError(`solveNetworkModal: options must be an object, got ${describeValue(options)}`);
  if (options.bySource !== undefined && typeof options.bySource !== "boolean")
    throw new ModelError(`solveNetworkModal: bySource must be true or false, got ${describeValue(options.bySource)}`);
  const check = checkTransmissionSolvable(model);
  const warnings = [...check.warnings];
  if (model.dynamics === "overdamped") return solveOverdampedModal(model, options, warnings);
  const notes: string[] = [];
  const n = model.sites.length;
  const B = model.baths.length;
  const temperatures = options.temperatures !== false;
  const springsToo = options.springs !== false;
  const full = temperatures || springsToo;
  const { lam, W, U, residual: eigenResidual, byMode, kNorm } = modesOf(model, full, model.mass, true, true);
  checkConfined(lam, model);
  const mass = model.mass;
  const site = model.baths.map((b) => b.site);
  const d = model.baths.map((b) => b.friction / mass[b.site]);
  // The eigenvectors' possible rotation (eigenvectorMixing), per mode: from the residuals with every eigenvector,
  // from the eigen-solver's backward error n eps |K| with the bath rows alone (no residuals there).
  const width = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    let g = 0;
    for (let b = 0; b < B; b++) g += d[b] * W[b * n + k] * W[b * n + k];
    width[k] = Math.sqrt(Math.max(lam[k], 0)) * g;
  }
  const theta = eigenvectorMixing(lam, byMode ?? new Float64Array(n).fill(n * EPS * kNorm), width);
  const sd = d.map(Math.sqrt);
  const temps = model.baths.map((b) => b.temperature);
  const Tmax = Math.max(...temps);
  const Tmin = Math.min(...temps);
  const Tref = 0.5 * (Tmax + Tmin);
  const dT = temps.map((t) => t - Tref);
  const spreadT = Tmax - Tmin;
  const sec = new Secular(lam, W, B);

  // Poles: Aberth-Ehrlich iteration on p(w) = det(K - w^2 - i w D), 2n roots.
  const L = 2 * n;
  // Pole j = sign_j w_k + (dr_j + i di_j) with k = j >> 1 (its anchor mode) and sign + for even j, - for odd: the
  // offset from the anchor keeps w_k^2 - w_j^2 = -delta (2 sign w_k + delta) to full relative accuracy.
  const rr = new Float64Array(L);
  const ri = new Float64Array(L);
  const dr = new Float64Array(L);
  const di = new Float64Array(L);
  const wk = lam.map(Math.sqrt);
  for (let k = 0; k < n; k++) {
    const w = wk[k];
    let g = 0;
    for (let b = 0; b < B; b++) g += d[b] * W[b * n + k] * W[b * n + k];
    const h = Math.max(0.5 * g, 1e-8 * w);
    // A first-order estimate; Aberth's repulsion keeps apart the estimates of (near-)degenerate modes.
    dr[2 * k] = w * 1e-9 * ((k % 7) - 3);
    di[2 * k] = -h;
    dr[2 * k + 1] = -dr[2 * k];
    di[2 * k + 1] = -h;
    rr[2 * k] = w + dr[2 * k];
    ri[2 * k] = -h;
    rr[2 * k + 1] = -rr[2 * k];
    ri[2 * k + 1] = -h;
  }
  /** Points sec at pole j's anchor mode with its accurate w_k^2 - w_j^2. */
  const anchorAt = (j: number) => {
    const k = j >> 1;
    const qr = (j & 1 ? -2 : 2) * wk[k] + dr[j];
    const qi = di[j];
    sec.anchor = k;
    sec.anchorR = -(dr[j] * qr - di[j] * qi);
    sec.anchorI = -(dr[j] * qi + di[j] * qr);
  };
  const Nr = new Float64Array(B * B);
  const Ni = new Float64Array(B * B);
  const Mr = new Float64Array(B * B);
  const Mi = new Float64Array(B * B);
  const piv = new Int32Array(B);
  const xr = new Float64Array(B);
  const xi = new Float64Array(B);
  /** N(w) = I - i w Dd g0 into Nr/Ni from the current sec.g0 (conj: use conj(g0), for N at conj(w)), in its symmetric
   * form Ns = Dd^-1/2 N Dd^1/2 = I - i w Dd^1/2 g0 Dd^1/2 (same determinant; N^-1 v = Dd^1/2 Ns^-1 Dd^-1/2 v). With
   * N itself the rows scale with d_b: frictions per mass 1e6 apart left the null vectors and solves at a nearly
   * undamped pole off by percents (measured: a spring flux 3 % off, covered by none of its error terms). */
  const buildN = (wr: number, wi: number, conjG: boolean) => {
    for (let r = 0; r < B; r++)
      for (let c = 0; c < B; c++) {
        const gr = sec.g0r[r * B + c];
        const gi = conjG ? -sec.g0i[r * B + c] : sec.g0i[r * B + c];
        // -i w d_r g: (-i)(wr + i wi)(gr + i gi) = (wi gr - wr gi... ) computed as -i * (w g)
        const pr = wr * gr - wi * gi;
        const pi = wr * gi + wi * gr;
        Nr[r * B + c] = (r === c ? 1 : 0) + sd[r] * sd[c] * pi;
        Ni[r * B + c] = -sd[r] * sd[c] * pr;
      }
  };
  /** p'/p(w) = tr(N^-1 N') - 2 w sum_k 1 / (w_k^2 - w^2), with N' = -i Dd (g0 + 2 w^2 g1). */
  const logDerivative = (wr: number, wi: number): [number, number] => {
    sec.at(wr, wi, true);
    buildN(wr, wi, false);
    for (let r = 0; r < B; r++)
      for (let c = 0; c < B; c++) {
        const g1r = sec.g1r[r * B + c];
        const g1i = sec.g1i[r * B + c];
        const w2r = wr * wr - wi * wi;
        const w2i = 2 * wr * wi;
        const tr = sec.g0r[r * B + c] + 2 * (w2r * g1r - w2i * g1i);
        const ti = sec.g0i[r * B + c] + 2 * (w2r * g1i + w2i * g1r);
        Mr[r * B + c] = sd[r] * sd[c] * ti;
        Mi[r * B + c] = -sd[r] * sd[c] * tr;
      }
    luFactor(B, Nr, Ni, piv);
    let fr = 0;
    let fi = 0;
    for (let c = 0; c < B; c++) {
      for (let r = 0; r < B; r++) {
        xr[r] = Mr[r * B + c];
        xi[r] = Mi[r * B + c];
      }
      luSolve(B, Nr, Ni, piv, xr, xi);
      fr += xr[c];
      fi += xi[c];
    }
    fr -= 2 * (wr * sec.sumR - wi * sec.sumI);
    fi -= 2 * (wr * sec.sumI + wi * sec.sumR);
    return [fr, fi];
  };
  const done = new Uint8Array(L);
  let remaining = L;
  let sweeps = 0;
  // The poles come in mirror pairs (w, -conj(w)): the first sweeps move the poles of +w_k and mirror them (half the
  // work); poles that have not converged by then (e.g. overdamped pairs meeting on the imaginary axis, which
  // mirroring cannot split) continue one by one.
  for (; sweeps < MAX_SWEEPS && remaining > 0; sweeps++) {
    const mirrored = sweeps < MIRRORED_SWEEPS;
    for (let j = 0; j < L; j += mirrored ? 2 : 1) {
      if (done[j]) continue;
      const wr = rr[j];
      const wi = ri[j];
      anchorAt(j);
      const [fr, fi] = logDerivative(wr, wi);
      // Aberth: correction = 1 / (p'/p - sum_{l != j} 1 / (w_j - w_l))
      let sr = 0;
      let si = 0;
      for (let l = 0; l < L; l++) {
        if (l === j) continue;
        const ar = wr - rr[l];
        const ai = wi - ri[l];
        const inv = 1 / (ar * ar + ai * ai);
        sr += ar * inv;
        si -= ai * inv;
      }
      const qr = fr - sr;
      const qi = fi - si;
      const inv = 1 / (qr * qr + qi * qi);
      const cr = qr * inv;
      const ci = -qi * inv;
      if (!Number.isFinite(cr) || !Number.isFinite(ci)) continue;
      dr[j] -= cr;
      di[j] -= ci;
      rr[j] = (j & 1 ? -wk[j >> 1] : wk[j >> 1]) + dr[j];
      ri[j] = di[j];
      const converged = Math.hypot(cr, ci) <= 1e-12 * Math.hypot(wr, wi);
      if (converged) {
        done[j] = 1;
        remaining--;
      }
      if (mirrored) {
        dr[j + 1] = -dr[j];
        di[j + 1] = di[j];
        rr[j + 1] = -rr[j];
        ri[j + 1] = ri[j];
        if (converged) {
          done[j + 1] = 1;
          remaining--;
        }
      }
    }
  }
  if (remaining > 0) {
    throw new ModalPoleSearchError(
      `the modal method's pole search did not converge (${remaining} of ${L} poles after ${MAX_SWEEPS} sweeps): use --method transmission or lyapunov`,
      model.source,
    );
  }
  // Checks: every pole damped, trace identity.
  let sumR = 0;
  let sumI = 0;
  let sumAbs = 0;
  let narrowest = Infinity;
  for (let j = 0; j < L; j++) {
    const m = Math.hypot(rr[j], ri[j]);
    sumR += rr[j];
    sumI += ri[j];
    sumAbs += m;
    if (!(ri[j] < -1e-13 * m)) {
      if (check.structurallyCoupled)
        throw new ModalNarrowModeError(
          `the normal mode at frequency ${Math.abs(rr[j]).toPrecision(6)} is damped less than 1e-13 of its frequency (localised away from the baths): too narrow for the modal method's poles; use --method transmission`,
          model.source,
        );
      throw new SteadyStateError(
        `no unique steady state (Lemma 1 of Eckmann and Zabey): the normal mode at frequency ${Math.abs(rr[j]).toPrecision(6)} is not damped by any bath (to rounding)`,
        model.source,
      );
    }
    narrowest = Math.min(narrowest, (-2 * ri[j]) / m);
  }
  let trD = 0;
  for (let b = 0; b < B; b++) trD += d[b];
  let residual = Math.max(eigenResidual, Math.hypot(sumR, sumI + trD) / sumAbs);

  // Residues at the poles and the Green's function at their mirror images.
  const beta = new Float64Array(2 * B); // re, im interleaved per bath
  const cr = new Float64Array(B);
  const ci = new Float64Array(B);
  // Pair integrals I_bc = int_0^inf w^2 |G_bc|^2 (real and imaginary parts of the residue sum).
  const pairRe = new Float64Array(B * B);
  const pairIm = new Float64Array(B * B);
  const Gr = new Float64Array(B * B);
  const Gi = new Float64Array(B * B);
  const Rr = new Float64Array(B * B);
  const Ri = new Float64Array(B * B);
  const Nr0 = new Float64Array(B * B);
  const Ni0 = new Float64Array(B * B);
  const tryR = new Float64Array(B);
  const tryI = new Float64Array(B);
  /**
   * At a pole (sec and N = Ns built there): its null vector of Ns into vr/vi (unless `given`: then vr/vi hold it),
   * normalised to largest entry 1; returns the secular residual |Ns c| / |Ns|. Leaves the LU factors in Nr/Ni.
   */
  const nullVector = (vr: Float64Array, vi: Float64Array, given: boolean): number => {
    // The scale of N = I - i w Dd^1/2 g0 Dd^1/2: its largest entry or term (where the terms cancel, as at a pole
    // whose null space is every bath's, N is rounding).
    let nNorm = 1;
    for (let q = 0; q < B * B; q++)
      nNorm = Math.max(nNorm, Math.hypot(Nr[q], Ni[q]), Math.hypot(Nr[q] - (q % (B + 1) === 0 ? 1 : 0), Ni[q]));
    Nr0.set(Nr);
    Ni0.set(Ni);
    if (!given) {
      luFactor(B, Nr, Ni, piv);
      // The unknown of U's smallest pivot 1 (the last on a tie), the later ones 0, back substitution through the
      // block of U above it. Partial pivoting need not leave the vanishing pivot last: in a network of parts joined
      // by no spring N is block diagonal, and at a pole of one part the last unknown set to 1 gave the other part's
      // bath, a vector N does not annihilate (residues and fluxes off by their own size).
      let last = B - 1;
      let smallestPivot = Infinity;
      for (let k = 0; k < B; k++) {
        const pivot = Math.hypot(Nr[k * B + k], Ni[k * B + k]);
        if (pivot <= smallestPivot) {
          smallestPivot = pivot;
          last = k;
        }
      }
      vr.fill(0);
      vi.fill(0);
      vr[last] = 1;
      backSubstitute(B, Nr, Ni, last, vr, vi);
    }
    let secular = normalisedResidual(vr, vi, nNorm);
    // Inverse iteration with the same factors: the vector above is exact only where the pivots after the vanishing
    // one belong to a separate block; a bath joined by a weak spring (1.9e-6) to the rest left the vector's other
    // entries at 0 where they are O(the coupling), its equations holding to 4e-9 only and the spring flux 18 % off.
    for (let step = 0; !given && step < 3 && secular > ROUNDING; step++) {
      tryR.set(vr);
      tryI.set(vi);
      luSolve(B, Nr, Ni, piv, tryR, tryI);
      let finite = true;
      for (let b = 0; b < B; b++) finite &&= Number.isFinite(tryR[b]) && Number.isFinite(tryI[b]);
      if (!finite) break;
      const next = normalisedResidual(tryR, tryI, nNorm);
      if (!(next < secular)) break;
      vr.set(tryR);
      vi.set(tryI);
      secular = next;
    }
    return secular;
  };
  /** Normalises v (re/im) to largest entry 1; returns |Ns v| / |Ns| with Ns in Nr0/Ni0. */
  const normalisedResidual = (vr: Float64Array, vi: Float64Array, nNorm: number): number => {
    let cn = 0;
    for (let b = 0; b < B; b++) cn = Math.max(cn, Math.hypot(vr[b], vi[b]));
    for (let b = 0; b < B; b++) {
      vr[b] /= cn;
      vi[b] /= cn;
    }
    let nc = 0;
    for (let r = 0; r < B; r++) {
      let sr = 0;
      let si = 0;
      for (let c = 0; c < B; c++) {
        sr += Nr0[r * B + c] * vr[c] - Ni0[r * B + c] * vi[c];
        si += Nr0[r * B + c] * vi[c] + Ni0[r * B + c] * vr[c];
      }
      nc = Math.max(nc, Math.hypot(sr, si));
    }
    return nc / Math.max(nNorm, 1e-300);
  };
  /** The null vector of N = I - i w Dd g0 itself from that of Ns: c = Dd^1/2 c' (N is formed as Dd^-1/2 N Dd^1/2,
   * symmetric in the baths, whose pivots do not depend on how unequal the frictions per mass are), largest entry 1. */
  const toBathCoordinates = (vr: Float64Array, vi: Float64Array) => {
    let cn = 0;
    for (let b = 0; b < B; b++) {
      vr[b] *= sd[b];
      vi[b] *= sd[b];
      cn = Math.max(cn, Math.hypot(vr[b], vi[b]));
    }
    for (let b = 0; b < B; b++) {
      vr[b] /= cn;
      vi[b] /= cn;
    }
  };
  const xhR = new Float64Array(n);
  const xhI = new Float64Array(n);
  /**
   * The damped mode of a null vector c of N at w (sec at w): beta = g0 c (into bet, re/im interleaved), xh_k =
   * (W^T c)_k t_k (into hR/hI when given) and nu = -2 w sum_k xh_k^2 - i sum_b d_b beta_b^2 (returned).
   */
  const dampedMode = (
    wr: number,
    wi: number,
    vr: Float64Array,
    vi: Float64Array,
    bet: Float64Array,
    hR: Float64Array | undefined,
    hI: Float64Array,
  ): [number, number] => {
    for (let r = 0; r < B; r++) {
      let sr = 0;
      let si = 0;
      for (let c = 0; c < B; c++) {
        sr += sec.g0r[r * B + c] * vr[c] - sec.g0i[r * B + c] * vi[c];
        si += sec.g0r[r * B + c] * vi[c] + sec.g0i[r * B + c] * vr[c];
      }
      bet[2 * r] = sr;
      bet[2 * r + 1] = si;
    }
    const zr = wr * wr - wi * wi;
    const zi = 2 * wr * wi;
    let s2r = 0;
    let s2i = 0;
    for (let k = 0; k < n; k++) {
      let ar = 0;
      let ai = 0;
      for (let b = 0; b < B; b++) {
        ar += W[b * n + k] * vr[b];
        ai += W[b * n + k] * vi[b];
      }
      let a = lam[k] - zr;
      let e = -zi;
      if (k === sec.anchor) {
        a = sec.anchorR;
        e = sec.anchorI;
      }
      const inv = 1 / (a * a + e * e);
      const tr = a * inv;
      const ti = -e * inv;
      const hr = ar * tr - ai * ti;
      const hi = ar * ti + ai * tr;
      s2r += hr * hr - hi * hi;
      s2i += 2 * hr * hi;
      if (hR) {
        hR[k] = hr;
        hI[k] = hi;
      }
    }
    let nur = -2 * (wr * s2r - wi * s2i);
    let nui = -2 * (wr * s2i + wi * s2r);
    for (let b = 0; b < B; b++) {
      const br = bet[2 * b];
      const bi = bet[2 * b + 1];
      // -i d (beta^2)
      nur += d[b] * 2 * br * bi;
      nui -= d[b] * (br * br - bi * bi);
    }
    return [nur, nui];
  };
  /** x_p^T Q'(w) x_q of two damped modes at the same w: -2 w sum_k xh_pk xh_qk - i sum_b d_b beta_pb beta_qb. */
  const bilinear = (
    wr: number,
    wi: number,
    hp: [Float64Array, Float64Array],
    bp: Float64Array,
    hq: [Float64Array, Float64Array],
    bq: Float64Array,
  ): [number, number] => {
    let sr = 0;
    let si = 0;
    for (let k = 0; k < n; k++) {
      sr += hp[0][k] * hq[0][k] - hp[1][k] * hq[1][k];
      si += hp[0][k] * hq[1][k] + hp[1][k] * hq[0][k];
    }
    let vr = -2 * (wr * sr - wi * si);
    let vi = -2 * (wr * si + wi * sr);
    for (let b = 0; b < B; b++) {
      const pr = bp[2 * b] * bq[2 * b] - bp[2 * b + 1] * bq[2 * b + 1];
      const pi = bp[2 * b] * bq[2 * b + 1] + bp[2 * b + 1] * bq[2 * b];
      vr += d[b] * pi;
      vi -= d[b] * pr;
    }
    return [vr, vi];
  };
  /**
   * Exactly degenerate poles (identical parts joined by no spring, identical arms of a symmetric network): at a pole
   * of multiplicity m, N has an m-dimensional null space and the residue of Gt is sum_q x_q x_q^T / nu_q over a basis
   * of it with x_p^T Q' x_q = 0 (p != q); the search returns m roots a rounding apart, and one null vector each (the
   * same, or nearly) counted m times gave kinetic temperatures off by their own size. Poles within CLOSE of each other
   * are checked: distinct poles satisfy x_j^T (-(w_j + w_l) - i D) x_l = 0 exactly (subtract the pole equations); where
   * the defect of that identity, relative to sqrt(|nu_j nu_l|), exceeds DEGENERATE the group is taken as one pole at
   * its roots' mean: the null space of N there by a completely pivoted LU (its last m pivots), made Q'-orthogonal
   * (Gram-Schmidt in the bilinear form), one vector per root. Returns those vectors (Ns coordinates, re then im, per
   * pole) and the largest defect left (enters `residual`). Refuses (ModalDegeneratePoleError) a group of more roots
   * than baths or whose basis has a vector with nu ~ 0 (a defective pole, whose residues are not of this form).
   */
  const degeneratePoles = (): {
    vectors: Map<number, Float64Array>;
    orthogonality: number;
    unresolved: number;
    splitDefect: number;
  } => {
    const vectors = new Map<number, Float64Array>();
    let orthogonality = 0;
    let unresolved = 0;
    let splitDefect = 0;
    const parent = Int32Array.from({ length: L }, (_, j) => j);
    const find = (j: number): number => {
      while (parent[j] !== j) j = parent[j] = parent[parent[j]];
      return j;
    };
    const order = Array.from({ length: L }, (_, j) => j).sort((a, b) => rr[a] - rr[b]);
    for (let p = 0; p < L; p++) {
      const a = order[p];
      const ma = Math.hypot(rr[a], ri[a]);
      for (let q = p + 1; q < L && rr[order[q]] - rr[a] <= CLOSE * ma; q++) {
        const b = order[q];
        if (Math.hypot(rr[b] - rr[a], ri[b] - ri[a]) <= CLOSE * ma) parent[find(a)] = find(b);
      }
    }
    const groups = new Map<number, number[]>();
    for (let j = 0; j < L; j++) {
      const r = find(j);
      const g = groups.get(r);
      if (g) g.push(j);
      else groups.set(r, [j]);
    }
    const refuse = (j: number, why: string) =>
      new ModalDegeneratePoleError(
        `the damped pole ${poleName(rr[j], ri[j])} is degenerate (${why}): the modal method cannot split its residue; use solveNetworkTransmission or solveNetwork (--method transmission or lyapunov)`,
        model.source,
      );
    for (const members of groups.values()) {
      const m = members.length;
      if (m < 2) continue;
      const cs = members.map(() => [new Float64Array(B), new Float64Array(B)] as [Float64Array, Float64Array]);
      const hs = members.map(() => [new Float64Array(n), new Float64Array(n)] as [Float64Array, Float64Array]);
      const bs = members.map(() => new Float64Array(2 * B));
      const nus = members.map((j, q) => {
        anchorAt(j);
        sec.at(rr[j], ri[j], false);
        buildN(rr[j], ri[j], false);
        nullVector(cs[q][0], cs[q][1], false);
        toBathCoordinates(cs[q][0], cs[q][1]);
        return Math.hypot(...dampedMode(rr[j], ri[j], cs[q][0], cs[q][1], bs[q], hs[q][0], hs[q][1]));
      });
      let defect = 0;
      for (let p = 0; p < m; p++)
        for (let q = p + 1; q < m; q++) {
          const [jp, jq] = [members[p], members[q]];
          // -(w_p + w_q) = -2 ((w_p + w_q) / 2): the bilinear form at the mean.
          const o = bilinear(0.5 * (rr[jp] + rr[jq]), 0.5 * (ri[jp] + ri[jq]), hs[p], bs[p], hs[q], bs[q]);
          defect = Math.max(defect, Math.hypot(...o) / Math.sqrt(nus[p] * nus[q]));
        }
      if (!(defect > DEGENERATE)) {
        orthogonality = Math.max(orthogonality, defect);
        continue;
      }
      if (m > B) throw refuse(members[0], `${m} roots meet, more than the ${B} baths' null space holds`);
      // One pole at the roots' mean.
      let wcr = 0;
      let wci = 0;
      for (const j of members) {
        wcr += rr[j] / m;
        wci += ri[j] / m;
      }
      const inGroup = new Uint8Array(L);
      for (const j of members) inGroup[j] = 1;
      // The roots as found, to fall back on (separate poles) when the merged pole's vectors fail its equations.
      const saved = members.map((j) => [rr[j], ri[j], dr[j], di[j]]);
      const place = () => {
        for (const j of members) {
          dr[j] = wcr - (j & 1 ? -wk[j >> 1] : wk[j >> 1]);
          di[j] = wci;
          rr[j] = wcr;
          ri[j] = wci;
        }
      };
      place();
      // The mean is only as good as the roots (a double root's two are each ~1e-12 off): Newton steps for a root of
      // multiplicity m, w -= m / (p'/p - sum over the other poles of 1 / (w - w_l)).
      for (let step = 0; step < 8; step++) {
        anchorAt(members[0]);
        let [qr, qi] = logDerivative(wcr, wci);
        for (let l = 0; l < L; l++) {
          if (inGroup[l]) continue;
          const ar = wcr - rr[l];
          const ai = wci - ri[l];
          const inv = 1 / (ar * ar + ai * ai);
          qr -= ar * inv;
          qi += ai * inv;
        }
        const inv = m / (qr * qr + qi * qi);
        const cr = qr * inv;
        const ci = -qi * inv;
        if (!Number.isFinite(cr) || !Number.isFinite(ci)) break;
        wcr -= cr;
        wci -= ci;
        place();
        if (Math.hypot(cr, ci) <= 4 * EPS * Math.hypot(wcr, wci)) break;
      }
      anchorAt(members[0]);
      sec.at(wcr, wci, false);
      buildN(wcr, wci, false);
      const rowP = new Int32Array(B);
      const colP = new Int32Array(B);
      luComplete(B, Nr, Ni, rowP, colP);
      const yr = new Float64Array(B);
      const yi = new Float64Array(B);
      for (let q = 0; q < m; q++) {
        yr.fill(0);
        yi.fill(0);
        yr[B - m + q] = 1;
        backSubstitute(B, Nr, Ni, B - m, yr, yi);
        for (let c = 0; c < B; c++) {
          cs[q][0][colP[c]] = yr[c];
          cs[q][1][colP[c]] = yi[c];
        }
        toBathCoordinates(cs[q][0], cs[q][1]);
        dampedMode(wcr, wci, cs[q][0], cs[q][1], bs[q], hs[q][0], hs[q][1]);
      }
      // Gram-Schmidt in the bilinear form (xh and beta are linear in c: they follow).
      const nu: [number, number][] = [];
      for (let q = 0; q < m; q++) {
        for (let p = 0; p < q; p++) {
          const [or, oi] = bilinear(wcr, wci, hs[p], bs[p], hs[q], bs[q]);
          const [nr, ni] = nu[p];
          const den = nr * nr + ni * ni;
          const fr = (or * nr + oi * ni) / den;
          const fi = (oi * nr - or * ni) / den;
          const sub = (x: [Float64Array, Float64Array], y: [Float64Array, Float64Array]) => {
            for (let k = 0; k < x[0].length; k++) {
              const ar = y[0][k];
              const ai = y[1][k];
              x[0][k] -= fr * ar - fi * ai;
              x[1][k] -= fr * ai + fi * ar;
            }
          };
          sub(cs[q], cs[p]);
          sub(hs[q], hs[p]);
          for (let b = 0; b < B; b++) {
            const ar = bs[p][2 * b];
            const ai = bs[p][2 * b + 1];
            bs[q][2 * b] -= fr * ar - fi * ai;
            bs[q][2 * b + 1] -= fr * ai + fi * ar;
          }
        }
        nu.push(bilinear(wcr, wci, hs[q], bs[q], hs[q], bs[q]));
        // nu against the size of its terms: ~0 for an isotropic vector (a defective pole).
        let size = 0;
        for (let k = 0; k < n; k++) size += 2 * Math.hypot(wcr, wci) * (hs[q][0][k] ** 2 + hs[q][1][k] ** 2);
        for (let b = 0; b < B; b++) size += d[b] * (bs[q][2 * b] ** 2 + bs[q][2 * b + 1] ** 2);
        if (!(Math.hypot(...nu[q]) > DEGENERATE * size))
          throw refuse(members[0], "its null vectors are Q'-isotropic: a defective pole");
      }
      for (let p = 0; p < m; p++)
        for (let q = p + 1; q < m; q++) {
          const o = bilinear(wcr, wci, hs[p], bs[p], hs[q], bs[q]);
          orthogonality = Math.max(
            orthogonality,
            Math.hypot(...o) / Math.sqrt(Math.hypot(...nu[p]) * Math.hypot(...nu[q])),
          );
        }
      const merged = members.map((_, q) => {
        const v = new Float64Array(2 * B);
        for (let b = 0; b < B; b++) {
          v[b] = cs[q][0][b] / sd[b];
          v[B + b] = cs[q][1][b] / sd[b];
        }
        return v;
      });
      // The merged pole's vectors must be null vectors of N there to rounding; otherwise the roots are a split pair
      // (two identical parts weakly joined: poles 1e-7 apart) and go back to being separate poles, refused below
      // only when those fail their own check (their biorthogonality defect).
      let secular = 0;
      for (const v of merged) {
        anchorAt(members[0]);
        sec.at(wcr, wci, false);
        buildN(wcr, wci, false);
        secular = Math.max(secular, nullVector(v.slice(0, B), v.slice(B), true));
      }
      if (secular > n * ROUNDING) {
        members.forEach((j, q) => ([rr[j], ri[j], dr[j], di[j]] = saved[q]));
        unresolved = Math.max(unresolved, secular);
        splitDefect = Math.max(splitDefect, defect);
        continue;
      }
      members.forEach((j, q) => vectors.set(j, merged[q]));
    }
    return { vectors, orthogonality, unresolved, splitDefect };
  };
  const { vectors: groupVectors, orthogonality, unresolved, splitDefect } = degeneratePoles();
  residual = Math.max(residual, orthogonality, splitDefect);
  let groupSecular = 0;

  // The damped modes (modal coordinates) and their right-hand partners, for the n x n products.
  const weight = new Uint8Array(L);
  let kept = 0;
  for (let j = 0; j < L; j++) {
    const m = Math.hypot(rr[j], ri[j]);
    weight[j] = rr[j] > 1e-9 * m ? 2 : rr[j] < -1e-9 * m ? 0 : 1;
    if (weight[j] > 0) kept++;
  }
  // Columns: kept poles; rows of X (site-independent modal vectors) as [re | im] blocks of width kept.
  const X = full ? new Float64Array(n * 2 * kept) : undefined;
  const Y = full ? new Float64Array(3 * n * 2 * kept) : undefined; // g(dT), g(1), g2 stacked
  const ycoef = new Float64Array(6 * B); // per bath: coefT, coef1, coef2 (re, im)
  // Spring fluxes by source: coef2 with dT = e_c for each bath c, through N(conj w)^-1, kept per pole (B x B).
  // (Also at equal temperatures: every net flux vanishes, but each bath alone drives one.)
  const splitSprings = full && springsToo && (options.bySource ?? defaultModalBySource(model));
  const srcR = splitSprings ? new Float64Array(kept * B * B) : undefined;
  const srcI = splitSprings ? new Float64Array(kept * B * B) : undefined;
  const colPole = new Int32Array(kept);
  const c2r = new Float64Array(B);
  const c2i = new Float64Array(B);
  const ur = new Float64Array(B);
  const ui = new Float64Array(B);
  let column = 0;
  let secularResidual = 0;
  for (let j = 0; j < L; j++) {
    const wr = rr[j];
    const wi = ri[j];
    anchorAt(j);
    sec.at(wr, wi, false);
    buildN(wr, wi, false);
    const given = groupVectors.get(j);
    if (given) {
      cr.set(given.subarray(0, B));
      ci.set(given.subarray(B));
    }
    const secular = nullVector(cr, ci, given !== undefined);
    secularResidual = Math.max(secularResidual, secular);
    if (given) groupSecular = Math.max(groupSecular, secular);
    toBathCoordinates(cr, ci);
    const zr = wr * wr - wi * wi;
    const zi = 2 * wr * wi;
    const keep = full && weight[j] > 0;
    const xoff = column;
    const [nur, nui] = dampedMode(wr, wi, cr, ci, beta, keep ? xhR : undefined, xhI);
    if (keep)
      for (let k = 0; k < n; k++) {
        // conj(xh) goes into the products: store re and -im.
        X![k * 2 * kept + xoff] = xhR[k];
        X![k * 2 * kept + kept + xoff] = -xhI[k];
      }
    // Residues R_bc = beta_b beta_c / nu.
    const nden = nur * nur + nui * nui;
    for (let r = 0; r < B; r++)
      for (let c = 0; c < B; c++) {
        const pr = beta[2 * r] * beta[2 * c] - beta[2 * r + 1] * beta[2 * c + 1];
        const pi = beta[2 * r] * beta[2 * c + 1] + beta[2 * r + 1] * beta[2 * c];
        Rr[r * B + c] = (pr * nur + pi * nui) / nden;
        Ri[r * B + c] = (pi * nur - pr * nui) / nden;
      }
    // N at conj(w): I - i conj(w) Dd conj(g0(w)).
    buildN(wr, -wi, true);
    luFactor(B, Nr, Ni, piv);
    // Gt_BB(conj w) = conj(g0) N^-1: rows of N^-T... G = g0c N^-1; column c of N^-1 by a solve.
    for (let c = 0; c < B; c++) {
      xr.fill(0);
      xi.fill(0);
      xr[c] = 1 / sd[c]; // N^-1 e_c = Dd^1/2 Ns^-1 Dd^-1/2 e_c
      luSolve(B, Nr, Ni, piv, xr, xi);
      for (let q = 0; q < B; q++) {
        xr[q] *= sd[q];
        xi[q] *= sd[q];
      }
      for (let r = 0; r < B; r++) {
        let sr = 0;
        let si = 0;
        for (let q = 0; q < B; q++) {
          const gr = sec.g0r[r * B + q];
          const gi = -sec.g0i[r * B + q];
          sr += gr * xr[q] - gi * xi[q];
          si += gr * xi[q] + gi * xr[q];
        }
        Gr[r * B + c] = sr;
        Gi[r * B + c] = si;
      }
    }
    // pi i conj(w R) conj(w) G(conj w) for every pair.
    for (let q = 0; q < B * B; q++) {
      // s = w R
      const sr = wr * Rr[q] - wi * Ri[q];
      const si = wr * Ri[q] + wi * Rr[q];
      // conj(s) conj(w) = conj(s w)
      const tr = sr * wr - si * wi;
      const ti = -(sr * wi + si * wr);
      const vr = tr * Gr[q] - ti * Gi[q];
      const vi = tr * Gi[q] + ti * Gr[q];
      // times pi i
      pairRe[q] += -Math.PI * vi;
      pairIm[q] += Math.PI * vr;
    }
    if (keep) {
      // coefT_b = 2 i d_b dT_b conj(w beta_b / nu) conj(w); coef1 with dT_b = 1; coef2_b = -2 d_b dT_b conj(w) conj(beta_b / nu).
      for (let b = 0; b < B; b++) {
        const br = beta[2 * b];
        const bi = beta[2 * b + 1];
        // beta / nu
        const qr = (br * nur + bi * nui) / nden;
        const qi = (bi * nur - br * nui) / nden;
        // conj(beta/nu) conj(w) = conj(q w)
        const mr = qr * wr - qi * wi;
        const mi = -(qr * wi + qi * wr);
        // coef2 = -2 d dT (m)
        c2r[b] = -2 * d[b] * mr;
        c2i[b] = -2 * d[b] * mi;
        ycoef[6 * b + 4] = dT[b] * c2r[b];
        ycoef[6 * b + 5] = dT[b] * c2i[b];
        // conj(w q) conj(w) = conj(w^2 q): times 2 i d
        const pr = zr * qr - zi * qi;
        const pi = -(zr * qi + zi * qr);
        // 2 i d (pr + i pi) = 2 d (-pi + i pr)
        ycoef[6 * b] = 2 * d[b] * dT[b] * -pi;
        ycoef[6 * b + 1] = 2 * d[b] * dT[b] * pr;
        ycoef[6 * b + 2] = 2 * d[b] * -pi;
        ycoef[6 * b + 3] = 2 * d[b] * pr;
      }
      // y = N(conj w)^-1 coef; g_k = (W^T y)_k conj(t_k); three right-hand sides.
      for (let v = 0; v < 3; v++) {
        for (let b = 0; b < B; b++) {
          ur[b] = ycoef[6 * b + 2 * v] / sd[b];
          ui[b] = ycoef[6 * b + 2 * v + 1] / sd[b];
        }
        luSolve(B, Nr, Ni, piv, ur, ui);
        for (let b = 0; b < B; b++) {
          ur[b] *= sd[b];
          ui[b] *= sd[b];
        }
        const base = v * n;
        for (let k = 0; k < n; k++) {
          let vr = 0;
          let vi = 0;
          for (let b = 0; b < B; b++) {
            vr += W[b * n + k] * ur[b];
            vi += W[b * n + k] * ui[b];
          }
          let a = lam[k] - zr;
          let e = -zi;
          if (k === sec.anchor) {
            a = sec.anchorR;
            e = sec.anchorI;
          }
          const inv = 1 / (a * a + e * e);
          // conj(t) = (a + i e) inv... t = (a - i e) inv, conj(t) = (a + i e) inv
          const tr = a * inv;
          const ti = e * inv;
          const gr = vr * tr - vi * ti;
          const gi = vr * ti + vi * tr;
          // Re(conj(xh) g): stored X holds (re xh, -im xh); pair with (re g, -(im g))... see the product below.
          Y![(base + k) * 2 * kept + xoff] = weight[j] * gr;
          Y![(base + k) * 2 * kept + kept + xoff] = -weight[j] * gi;
        }
      }
      if (srcR) {
        const off = column * B * B;
        for (let c = 0; c < B; c++) {
          ur.fill(0);
          ui.fill(0);
          ur[c] = c2r[c] / sd[c];
          ui[c] = c2i[c] / sd[c];
          luSolve(B, Nr, Ni, piv, ur, ui);
          for (let b = 0; b < B; b++) {
            ur[b] *= sd[b];
            ui[b] *= sd[b];
          }
          srcR.set(ur, off + c * B);
          srcI!.set(ui, off + c * B);
        }
      }
      colPole[column] = j;
      column++;
    }
  }
  residual = Math.max(residual, secularResidual);
  // A degenerate group's vectors must be null vectors of N at its pole to rounding (checked in degeneratePoles, and
  // again here); where they were not, its roots went back to separate poles, whose damped modes must then be told
  // apart: a biorthogonality defect near 1 is the same null vector twice (two identical parts joined by a spring of
  // 1e-12: defect 1, temperatures 1.1 off); split pairs that resolve (springs of 1e-6 and 1e-8 between 20-site twins)
  // leave at most 0.07, and their residues' error enters every sum rule.
  if (groupSecular > n * ROUNDING || splitDefect > SPLIT_DEFECT)
    throw new ModalDegeneratePoleError(
      `the modal method cannot resolve two or more damped poles within 1e-6 of each other (as one pole their equations hold to ${Math.max(groupSecular, unresolved).toExponential(1)} only; as separate poles their damped modes are not resolved: biorthogonality defect ${splitDefect.toPrecision(2)}): use solveNetworkTransmission or solveNetwork (--method transmission or lyapunov)`,
      model.source,
    );

  // Bath fluxes (Landauer pairs), conductances, sum rules at the bath sites.
  const J = new Float64Array(B);
  const conductance = Array.from({ length: B }, () => new Array<number>(B).fill(0));
  const sumRule = new Float64Array(B);
  const pairErr = new Float64Array(B * B);
  for (let r = 0; r < B; r++) {
    for (let c = 0; c < B; c++) {
      // I_rc in mass-weighted entries; G_rc = Gt_rc / sqrt(m_r m_c).
      const I = pairRe[r * B + c] / (mass[site[r]] * mass[site[c]]);
      pairErr[r * B + c] = Math.abs(pairIm[r * B + c]) / (mass[site[r]] * mass[site[c]]);
      sumRule[r] += (2 / Math.PI) * mass[site[r]] * model.baths[c].friction * I;
      if (c === r) continue;
      const g = (2 / Math.PI) * model.baths[r].friction * model.baths[c].friction * I;
      conductance[r][c] = g;
      J[r] += g * (temps[r] - temps[c]);
    }
  }
  const deviation = sumRule.map((x) => Math.abs(1 - x));
  const bathMixing = site.map((_, r) => siteMixing(W.subarray(r * n, r * n + n), theta));
  const Jerr = new Float64Array(B);
  const JerrBySource = new Float64Array(B);
  let jScale = 0;
  for (const x of J) jScale = Math.max(jScale, Math.abs(x));
  const fluxScaleDense = Math.max(...model.baths.map((b) => (b.friction / mass[b.site]) * b.temperature));
  for (let r = 0; r < B; r++) {
    let imag = 0;
    for (let c = 0; c < B; c++)
      imag += (2 / Math.PI) * model.baths[r].friction * model.baths[c].friction * pairErr[r * B + c];
    // The sum rule's deviation bounds the weight the residue sums got wrong at this bath site (as transmission.ts:
    // |dJ_b| <= 2 gamma_b max|dT| delta_b / m_b); the imaginary parts of the real integrals and n eps of the flux
    // scale for rounding.
    // A rotation of the eigenvectors moves the bath site's kinetic temperature, and J_b = d_b (T_b - T_kin,b), by at
    // most spread ||Theta|| (eigenvectorMixing).
    Jerr[r] =
      2 * d[r] * spreadT * deviation[r] +
      d[r] * spreadT * bathMixing[r] +
      imag * spreadT +
      n * ROUNDING * fluxScaleDense * (spreadT / Math.max(Tmax, 1e-300));
    // The parts by source bath are each a temperature T_c (not a difference) times the same integrals: the same
    // terms with the largest temperature in place of the spread, and the rounding floor n eps of the flux scale
    // itself (the parts are up to Tmax / spreadT times the net flux). One error covers every part of the flux.
    JerrBySource[r] =
      2 * d[r] * Tmax * deviation[r] + d[r] * Tmax * bathMixing[r] + imag * Tmax + n * ROUNDING * fluxScaleDense;
  }
  const baths: TransmissionBathFlux[] = model.baths.map((b, r) => {
    const bySource = new Array<number>(B).fill(0);
    for (let c = 0; c < B; c++) {
      if (c === r) continue;
      bySource[r] += conductance[r][c] * temps[r];
      bySource[c] -= conductance[r][c] * temps[c];
    }
    return {
      site: model.sites[b.site],
      index: b.site,
      temperature: b.temperature,
      friction: b.friction,
      flux: J[r],
      fluxBySource: bySource,
      fluxBySourceError: JerrBySource[r],
      error: Jerr[r],
    };
  });

  // Kinetic temperatures and spring fluxes: the n x n products.
  let kineticTemperature: Float64Array | undefined;
  let kineticTemperatureError: Float64Array | undefined;
  let springs: TransmissionSpringFlux[] = [];
  const energyBalanceResidual = new Float64Array(n);
  jScale = Math.max(jScale, 1e-14 * fluxScaleDense * (spreadT / Math.max(Tmax, 1e-300)), 1e-300);
  let errorEstimate = 0;
  for (const b of baths) errorEstimate = Math.max(errorEstimate, b.error / jScale);
  if (full && kept > 0 && (spreadT > 0 || splitSprings)) {
    const u = U!;
    // C = [Xr | Xi] [Yr | Yi]^T over Y's first two blocks: n x 2n, blocks A(dT), A(1) with
    // A_ik = Re sum_l conj(xh_l)_i g_l,k (the spring fluxes take the third block through U X and U Y2 below).
    const C = new Float64Array(n * 2 * n);
    multiplyNT(n, 2 * n, 2 * kept, X!, Y!, C);
    // E = U C (n x 2n).
    const E = new Float64Array(n * 2 * n);
    gemmNN(n, 2 * n, n, 1, u, 0, n, C, 0, 2 * n, E, 0, 2 * n);
    const siteDev = new Float64Array(n);
    // The deviation beyond the sum's own rounding (4 n eps of its terms' sizes), for the spring fluxes: a deviation
    // of a few eps is the rounding of the sum itself, not weight the residue sums missed, and read as such it put
    // eps k spreadT / w_min on a spring whatever its flux, or nothing where the sum happened to round to 1 exactly
    // (a weak spring's flux of 1.2e-16: 4.4e-29 at one site order, 4.4e-25 at another).
    const springDev = new Float64Array(n);
    if (temperatures) {
      kineticTemperature = new Float64Array(n);
      kineticTemperatureError = new Float64Array(n);
    }
    for (let a = 0; a < n; a++) {
      let t = 0;
      let w1 = 0;
      let w1Size = 0;
      for (let k = 0; k < n; k++) {
        t += E[a * 2 * n + k] * u[a * n + k];
        const term = E[a * 2 * n + n + k] * u[a * n + k];
        w1 += term;
        w1Size += Math.abs(term);
      }
      // The sum rule: with every dT_b = 1 the same sum is the equilibrium weight, 1.
      siteDev[a] = Math.abs(1 - w1);
      springDev[a] = Math.max(0, siteDev[a] - 4 * n * EPS * Math.max(w1Size, 1));
      if (kineticTemperature) {
        kineticTemperature[a] = Tref + t;
        kineticTemperatureError![a] =
          spreadT * (siteDev[a] + siteMixing(u.subarray(a * n, a * n + n), theta)) + n * ROUNDING * Tmax;
      }
    }
    if (kineticTemperatureError)
      for (const e of kineticTemperatureError) errorEstimate = Math.max(errorEstimate, e / Math.max(Tmax, 1e-300));
    if (springsToo) {
      let wMin = Math.sqrt(lam[0]);
      wMin = Math.max(wMin, 1e-300);
      // Each spring flux is the sum over poles of its terms (U X)_j,t (U Y2)_i,t (<x_i x_j'> = (U X Y2^T U^T)_ji), and
      // its rounding scale the sum of their sizes: the terms cancel to the net flux (entirely in a part at one
      // temperature, whose fluxes are 0 however large the terms), and the bath-flux scale says nothing about them (a
      // stiff spring in such a part: 2.5e-10 reported with an error of 2.5e-20). Summed as the terms, the flux and
      // its scale are the same numbers.
      // (U X)_j,t: pole t's modal vector at site j.
      const w2 = 2 * kept;
      const UX = new Float64Array(n * w2);
      const UY = new Float64Array(n * w2);
      gemmNN(n, w2, n, 1, u, 0, n, X!, 0, w2, UX, 0, w2);
      gemmNN(n, w2, n, 1, u, 0, n, Y!, 2 * n * w2, w2, UY, 0, w2);
      // The eigenvectors' possible rotation (U_true = U (I + Theta), eigenvectorMixing): the flux is
      // e_j^T U M U^T e_i with M = X Y2^T, moved by at most ||Theta|| (|X (U Y2)_i^T| + |Y2 (U X)_j^T|), the norms of
      // site i's velocity and site j's position against every mode (a site in a part at one temperature has none,
      // whatever the spring: the bound through ||M|| gave 1.7e9 for a flux that is 0). Cheaply bounded first with
      // the Frobenius norms of X and Y2 (an upper bound, kept where it is small).
      let xNorm = 0;
      for (const v of X!) xNorm += v * v;
      xNorm = Math.sqrt(xNorm);
      const Y2 = Y!.subarray(2 * n * w2, 3 * n * w2);
      let y2Norm = 0;
      for (const v of Y2) y2Norm += v * v;
      y2Norm = Math.sqrt(y2Norm);
      const rowNorm = (R: Float64Array, a: number) => {
        let q = 0;
        for (let t = 0; t < w2; t++) q += R[a * w2 + t] * R[a * w2 + t];
        return Math.sqrt(q);
      };
      /**
       * |Z R_a^T| for Z (n x w2) and the rows a of R (n x w2) flagged in `sites`, into out[a]: the rows gathered and
       * multiplied by Z^T in one product per block of sites (gemm.ts; as scalar loops these norms were a third of a
       * 1000-site solve with 10 baths).
       */
      // Work arrays of the largest block, made at the first call and kept for every call of this solve.
      const maxBlock = Math.max(1, Math.min(n, Math.floor(4e6 / n)));
      let rows: Float64Array | undefined;
      let prod: Float64Array | undefined;
      const againstModes = (Z: Float64Array, R: Float64Array, sites: Uint8Array, out: Float64Array) => {
        const list: number[] = [];
        for (let a = 0; a < n; a++) if (sites[a]) list.push(a);
        if (list.length === 0) return;
        const block = Math.min(list.length, maxBlock);
        rows ??= new Float64Array(maxBlock * w2);
        prod ??= new Float64Array(maxBlock * n);
        for (let first = 0; first < list.length; first += block) {
          const m = Math.min(block, list.length - first);
          for (let q = 0; q < m; q++) rows.set(R.subarray(list[first + q] * w2, list[first + q] * w2 + w2), q * w2);
          multiplyNT(m, n, w2, rows, Z, prod);
          for (let q = 0; q < m; q++) {
            let v = 0;
            for (let k = 0; k < n; k++) v += prod[q * n + k] * prod[q * n + k];
            out[list[first + q]] = Math.sqrt(v);
          }
        }
      };
      const ns = model.springs.length;
      const flux = new Float64Array(ns);
      const base = new Float64Array(ns);
      const rotation = new Float64Array(ns);
      const defect = new Float64Array(ns);
      const mixOf = new Float64Array(n).fill(-1);
      const mix = (a: number) =>
        mixOf[a] >= 0 ? mixOf[a] : (mixOf[a] = siteMixing(u.subarray(a * n, a * n + n), theta));
      // Sites whose |X (U Y2)_i^T| (velocity, first) and |Y2 (U X)_j^T| (position, second) the refinement needs.
      const needVelocity = new Uint8Array(n);
      const needPosition = new Uint8Array(n);
      const refine = new Uint8Array(ns);
      model.springs.forEach((s, q) => {
        let acc = 0;
        let terms = 0;
        // The same correlation the other way round: <x_i x_j'> = -<x_j x_i'> in the steady state (d<x_i x_j>/dt = 0),
        // so acc + reverse is 0 but for the errors of the two sums.
        let reverse = 0;
        for (let t = 0; t < w2; t++) {
          const term = UX[s.j * w2 + t] * UY[s.i * w2 + t];
          acc += term;
          terms += Math.abs(term);
          reverse += UX[s.i * w2 + t] * UY[s.j * w2 + t];
        }
        const perMass = s.stiffness / Math.sqrt(mass[s.i] * mass[s.j]);
        flux[q] = perMass * acc;
        base[q] =
          (perMass * spreadT * Math.sqrt(springDev[s.i] * springDev[s.j])) / wMin +
          n * ROUNDING * Math.max(jScale, perMass * terms);
        // |Theta^T u_a| <= sum_k |u_ak| theta_k (siteMixing): site j's for the first term, site i's for the second.
        rotation[q] = perMass * (mix(s.j) * xNorm * rowNorm(UY, s.i) + mix(s.i) * y2Norm * rowNorm(UX, s.j));
        // (Refined only where the cheap bound is above the other terms and above 1e-12 of the flux: with refined
        // eigenpairs the cheap bound is smaller, and a gate at 1e-8 left errors of up to 6e-9 of the flux where the
        // refined bound had given 1e-13. The parts by source keep 1e-8: two products per bath, 1.2-1.4 times the
        // solve's CPU time at 1000 sites with 4 baths at 1e-12.)
        if (rotation[q] > Math.max(base[q], 1e-12 * Math.abs(flux[q]))) {
          refine[q] = 1;
          needVelocity[s.i] = 1;
          needPosition[s.j] = 1;
        }
        // The defect of that identity: the two orders of the sum disagree by the error of one of them at least (a
        // 10-site network: 2.5 % off with an error of a tenth of it, the defect equal to the error to three digits).
        defect[q] = perMass * Math.abs(acc + reverse);
      });
      const velocityNorm = new Float64Array(n);
      const positionNorm = new Float64Array(n);
      againstModes(X!, UY, needVelocity, velocityNorm);
      againstModes(Y2, UX, needPosition, positionNorm);
      springs = model.springs.map((s, q) => {
        const perMass = s.stiffness / Math.sqrt(mass[s.i] * mass[s.j]);
        if (refine[q]) rotation[q] = perMass * (mix(s.j) * velocityNorm[s.i] + mix(s.i) * positionNorm[s.j]);
        return {
          between: [model.sites[s.i], model.sites[s.j]] as [string, string],
          i: s.i,
          j: s.j,
          stiffness: s.stiffness,
          flux: flux[q],
          error: base[q] + rotation[q] + defect[q],
        };
      });
      for (const s of springs) errorEstimate = Math.max(errorEstimate, s.error / jScale);
      if (srcR) {
        // By source c: the spring-flux terms with dT = e_c, as sum_col (U X)_j,col (U Y_c)_i,col (Y_c: n x 2 kept),
        // times T_c (the flux with bath c alone at its temperature; the parts sum to the flux).
        const AX = UX;
        const Yc = Y!.subarray(0, n * w2);
        const AY = E.length >= n * w2 ? E.subarray(0, n * w2) : new Float64Array(n * w2);
        const parts = springs.map(() => new Array<number>(B).fill(0));
        // Each spring's largest sum over poles of |its part's terms| (the parts' rounding scale, as the net flux's).
        const partTerms = new Float64Array(springs.length);
        /** An upper bound of the spectral norm of Z (n x w2): min(|Z|_F, sqrt(|Z|_1 |Z|_inf)). */
        const spectralBound = (Z: Float64Array) => {
          const col = new Float64Array(w2);
          let fro = 0;
          let rowMax = 0;
          for (let k = 0; k < n; k++) {
            let row = 0;
            for (let t = 0; t < w2; t++) {
              const v = Z[k * w2 + t];
              fro += v * v;
              row += Math.abs(v);
              col[t] += Math.abs(v);
            }
            rowMax = Math.max(rowMax, row);
          }
          let colMax = 0;
          for (const v of col) colMax = Math.max(colMax, v);
          return Math.min(Math.sqrt(fro), Math.sqrt(colMax * rowMax));
        };
        const xSpectral = spectralBound(X!);
        // Each spring's largest rotation and identity-defect terms over the parts.
        const partRotation = new Float64Array(springs.length);
        const partDefect = new Float64Array(springs.length);
        for (let c = 0; c < B; c++) {
          for (let col = 0; col < kept; col++) {
            const j = colPole[col];
            anchorAt(j);
            const zr = rr[j] * rr[j] - ri[j] * ri[j];
            const zi = 2 * rr[j] * ri[j];
            const off = col * B * B + c * B;
            for (let k = 0; k < n; k++) {
              let vr = 0;
              let vi = 0;
              for (let b = 0; b < B; b++) {
                vr += W[b * n + k] * srcR[off + b];
                vi += W[b * n + k] * srcI![off + b];
              }
              let a = lam[k] - zr;
              let e = -zi;
              if (k === sec.anchor) {
                a = sec.anchorR;
                e = sec.anchorI;
              }
              const inv = 1 / (a * a + e * e);
              const tr = a * inv;
              const ti = e * inv;
              Yc[k * w2 + col] = weight[j] * (vr * tr - vi * ti);
              Yc[k * w2 + kept + col] = -weight[j] * (vr * ti + vi * tr);
            }
          }
          AY.fill(0);
          gemmNN(n, w2, n, 1, u, 0, n, Yc, 0, w2, AY, 0, w2);
          // The net flux's rotation and identity-defect terms for this part (Y_c in place of Y2, times T_c): each
          // part is the steady state of the same network with other noise, so both hold part by part.
          // (Bounds of the spectral norms, the smaller of the Frobenius norm and sqrt(|.|_1 |.|_inf): refining every
          // part as the net flux, two products per bath, took 1.6 times the whole solve's CPU time at 1000 sites.)
          const ycNorm = spectralBound(Yc);
          needVelocity.fill(0);
          needPosition.fill(0);
          refine.fill(0);
          const Tc = Math.abs(temps[c]);
          springs.forEach((s, q) => {
            let acc = 0;
            let size = 0;
            let reverse = 0;
            for (let t = 0; t < w2; t++) {
              const term = AX[s.j * w2 + t] * AY[s.i * w2 + t];
              acc += term;
              size += Math.abs(term);
              reverse += AX[s.i * w2 + t] * AY[s.j * w2 + t];
            }
            const scale = s.stiffness / Math.sqrt(mass[s.i] * mass[s.j]);
            parts[q][c] = scale * acc * temps[c];
            partTerms[q] = Math.max(partTerms[q], Math.abs(scale * size * temps[c]));
            partDefect[q] = Math.max(partDefect[q], scale * Math.abs(acc + reverse) * Tc);
            const rot = scale * Tc * (mix(s.j) * xSpectral * rowNorm(AY, s.i) + mix(s.i) * ycNorm * rowNorm(AX, s.j));
            rotation[q] = rot;
            const floor =
              (scale * Tmax * Math.sqrt(springDev[s.i] * springDev[s.j])) / wMin + n * ROUNDING * scale * size * Tc;
            if (rot > Math.max(floor, 1e-8 * Math.abs(parts[q][c]))) {
              refine[q] = 1;
              needVelocity[s.i] = 1;
              needPosition[s.j] = 1;
            }
          });
          againstModes(X!, AY, needVelocity, velocityNorm);
          againstModes(Yc, AX, needPosition, positionNorm);
          springs.forEach((s, q) => {
            const scale = s.stiffness / Math.sqrt(mass[s.i] * mass[s.j]);
            if (refine[q]) rotation[q] = scale * Tc * (mix(s.j) * velocityNorm[s.i] + mix(s.i) * positionNorm[s.j]);
            partRotation[q] = Math.max(partRotation[q], rotation[q]);
          });
        }
        // Their errors: the net flux's terms with the largest temperature in place of the spread, and the rounding
        // floor n eps of the largest part (the parts are up to Tmax / spreadT times the net flux) or of the spring's
        // own part terms where those are larger (a stiff spring in a part at one temperature: its parts are 0), and
        // the largest rotation and identity-defect terms of the parts (one error covers every part of the flux).
        let partScale = 0;
        for (const b of baths) for (const x of b.fluxBySource!) partScale = Math.max(partScale, Math.abs(x));
        for (const row of parts) for (const x of row) partScale = Math.max(partScale, Math.abs(x));
        springs.forEach((s, q) => {
          s.fluxBySource = parts[q];
          s.fluxBySourceError =
            (s.stiffness * Tmax * Math.sqrt(springDev[s.i] * springDev[s.j])) /
              (Math.sqrt(mass[s.i] * mass[s.j]) * wMin) +
            n * ROUNDING * Math.max(partScale, partTerms[q]) +
            partRotation[q] +
            partDefect[q];
        });
      }
      const inflow = new Float64Array(n);
      for (const s of springs) {
        inflow[s.j] += s.flux;
        inflow[s.i] -= s.flux;
      }
      for (const b of baths) inflow[b.index] += b.flux;
      for (let a = 0; a < n; a++) energyBalanceResidual[a] = Math.abs(inflow[a]) / fluxScaleDense;
    }
  } else if (full) {
    if (temperatures) {
      kineticTemperature = new Float64Array(n).fill(Tref);
      kineticTemperatureError = new Float64Array(n);
    }
    if (springsToo)
      springs = model.springs.map((s) => ({
        between: [model.sites[s.i], model.sites[s.j]] as [string, string],
        i: s.i,
        j: s.j,
        stiffness: s.stiffness,
        flux: 0,
        ...((options.bySource ?? defaultModalBySource(model))
          ? { fluxBySource: new Array<number>(B).fill(0), fluxBySourceError: 0 }
          : {}),
        error: 0,
      }));
  }
  if (!springsToo) notes.push("bath fluxes only: spring fluxes and kinetic temperatures were not computed");
  const estimateNote = modalErrorIsEstimate(model, model.mass, lam);
  if (estimateNote) notes.push(estimateNote);
  let entropyProduction = 0;
  baths.forEach((b) => (entropyProduction -= b.flux / b.temperature));
  if (errorEstimate > 1e-6)
    warnings.push(
      `the modal method's estimated error ${errorEstimate.toExponential(2)} is large (nearly degenerate or very weakly damped modes): check with --method lyapunov or transmission`,
    );
  return {
    method: "modal",
    dynamics: "underdamped",
    sites: model.sites,
    kineticTemperature,
    kineticTemperatureError,
    springs,
    baths,
    conductance,
    entropyProduction,
    energyBalanceResidual,
    errorEstimate,
    errorIsEstimate: estimateNote !== undefined,
    residual,
    modes: { count: n, poles: L, narrowest: Number.isFinite(narrowest) ? narrowest : 0 },
    warnings,
    notes,
  };
}

/** Floating-point operations per second of the n x n products (gemm.ts; measured ~1e10: the five products of a
 * 1000-site network with 4 baths split by source, 2e10 operations, added 1.5 s of CPU time). */
const PRODUCT_RATE = 1e10;

/**
 * Whether the modal method splits fluxes by source bath unless asked (as the dense engine decides): up to 32 baths,
 * when the extra products take at most a minute or as long as the solve itself (measured at 1000 sites: 4.1 s
 * underdamped with 4 baths, 2.7 s overdamped, i.e. ~40 n^3 and ~27 n^3 at that rate). Underdamped, per bath one
 * n x n by n x 2n product and the two products refining its parts' rotation terms, ~11 n^3 operations measured (a
 * 1000-site ring with chords and 10 baths: 16.3 and 20.4 s of CPU time split by source against 6.9 and 8.1 s not,
 * two alternated rounds; ~4 n^3 before those terms), and one for the damped modes; overdamped one n x n product,
 * ~2 n^3.
 */
export function defaultModalBySource(model: NetworkModel): boolean {
  checkNetworkModel(model, "defaultModalBySource");
  const n = model.sites.length;
  const B = model.baths.length;
  if (B > 32) return false;
  const under = model.dynamics === "underdamped";
  const extra = ((under ? 11 * B + 4 : 2 * B) * n ** 3) / PRODUCT_RATE;
  const solve = ((under ? 40 : 27) * n ** 3) / PRODUCT_RATE;
  return extra <= Math.max(60, solve);
}

/**
 * Refuses a potential whose smallest eigenvalue of K is at rounding level. The diagnosis (checkTransmissionSolvable)
 * has passed by then: the network is confined, so this is the spread of its scales beyond double precision.
 */
function checkConfined(lam: Float64Array, model: NetworkModel): void {
  const lamMax = Math.max(...lam.map(Math.abs), 1e-300);
  if (!(lam[0] > 1e-13 * lamMax)) {
    throw new SteadyStateError(
      `the steady state exists (the network is confined and every mode meets a bath) but cannot be computed in double precision: the eigenvalues of the mass-weighted potential span ${lam[0].toExponential(2)} .. ${lamMax.toExponential(2)}, a spread of scales beyond what double precision resolves (the smallest must exceed 1e-13 of the largest); ${rateSpread(model)}`,
      model.source,
    );
  }
}

/**
 * Overdamped networks (a bath on every site): x = Gamma^1/2 q obeys dx = -K x dt + sqrt(2 T) dW with
 * K = Gamma^-1/2 V Gamma^-1/2 = U diag(lambda_k) U^T, so G(w) = [V - i w Gamma]^-1 has its n poles at -i lambda_k
 * and every residue sum closes in the mode basis: the covariance C of x solves K C + C K = 2 T; with T = T_ref + dT,
 * C = T_ref K^-1 + U Sigma U^T, Sigma_kl = 2 (U^T dT U)_kl / (lambda_k + lambda_l). With P = C K = T_ref I + P',
 * P' = U Sigma diag(lambda) U^T, the Stratonovich fluxes of network.ts are
 *   spring flux i -> j = -k_ij (S V)_ij / gamma_j = -k_ij P_ij / sqrt(gamma_i gamma_j),
 *   bath flux into i   = (T_i V_ii - (V S V)_ii) / gamma_i = K_ii (dT_i - P'_ii) - sum_j K_ij P'_ji,
 * and the configurational temperature (S V)_ii = P_ii. P + P^T = K C + C K = 2 T says P'_ii = dT_i and that P' is
 * antisymmetric off the diagonal: both are checked at every site and spring (the Lyapunov equation at those entries;
 * the spring flux takes the antisymmetric part). Two n x n products after the eigen-decomposition (U^T dT U, half
 * of one, then U (Sigma Lambda)); the entries cost O(n) each.
 */
function solveOverdampedModal(model: NetworkModel, options: ModalOptions, warnings: string[]): ModalSteadyState {
  const n = model.sites.length;
  const B = model.baths.length;
  const gamma = new Float64Array(n);
  const T = new Float64Array(n);
  for (const b of model.baths) {
    gamma[b.site] = b.friction;
    T[b.site] = b.temperature;
  }
  // The same refinement as underdamped: K = Gamma^-1/2 V Gamma^-1/2 is the mass-scaled form with the frictions for
  // the masses, so its residuals take s_i = gamma_i^-1/2.
  const { lam, U, residual: eigenResidual, proj } = modesOf(model, true, gamma, false, true, true);
  checkConfined(lam, model);
  const u = U!;
  const s = gamma.map((g) => 1 / Math.sqrt(g));
  const kd = Float64Array.from(model.pinning);
  for (const sp of model.springs) {
    kd[sp.i] += sp.stiffness;
    kd[sp.j] += sp.stiffness;
  }
  for (let i = 0; i < n; i++) kd[i] *= s[i] * s[i];
  // |K_ij| of every spring, and the absolute row sums of K (the scale of a bath flux's terms).
  const kOff = model.springs.map((sp) => sp.stiffness * s[sp.i] * s[sp.j]);
  const rowAbs = Float64Array.from(kd);
  model.springs.forEach((sp, q) => {
    rowAbs[sp.i] += kOff[q];
    rowAbs[sp.j] += kOff[q];
  });
  let Tmax = 0;
  let Tmin = Infinity;
  for (const t of T) {
    Tmax = Math.max(Tmax, t);
    Tmin = Math.min(Tmin, t);
  }
  const Tref = 0.5 * (Tmax + Tmin);
  const dT = T.map((t) => t - Tref);
  const tau = 0.5 * (Tmax - Tmin);
  const Ut = new Float64Array(n * n);
  transposeInto(n, n, u, Ut);
  const M = new Float64Array(n * n);
  const H = new Float64Array(n * n);
  const Z = H; // dT U^T, used before H
  const S = model.springs.length;
  const pd = new Float64Array(n);
  const pij = new Float64Array(S);
  const pji = new Float64Array(S);
  const dot = (a: number, b: number) => {
    let acc = 0;
    for (let k = 0; k < n; k++) acc += H[a * n + k] * u[b * n + k];
    return acc;
  };
  /** P' = U M U^T at the diagonal and both entries of every spring, with M = Sigma Lambda already in M. */
  const entries = () => {
    H.fill(0);
    gemmNN(n, n, n, 1, u, 0, n, M, 0, n, H, 0, n);
    for (let i = 0; i < n; i++) pd[i] = dot(i, i);
    model.springs.forEach((sp, q) => {
      pij[q] = dot(sp.i, sp.j);
      pji[q] = dot(sp.j, sp.i);
    });
  };
  /**
   * Spring fluxes (antisymmetric part of P') and bath fluxes (what leaves each site through its springs: the
   * Lyapunov form K_ii (dT_i - P'_ii) - sum_j K_ij P'_ji is the same number in exact arithmetic but cancels where
   * pinning dominates) of the temperature differences `dt` (per site); `lyapunovForm` (per site) when asked.
   */
  const fluxes = (dt: ArrayLike<number>, lyapunovForm?: Float64Array) => {
    const spring = model.springs.map((_, q) => -kOff[q] * 0.5 * (pij[q] - pji[q]) + 0);
    const site = new Float64Array(n);
    model.springs.forEach((sp, q) => {
      site[sp.i] += spring[q];
      site[sp.j] -= spring[q];
    });
    if (lyapunovForm) {
      for (let i = 0; i < n; i++) lyapunovForm[i] = kd[i] * (dt[i] - pd[i]);
      model.springs.forEach((sp, q) => {
        lyapunovForm[sp.i] += kOff[q] * pji[q];
        lyapunovForm[sp.j] += kOff[q] * pij[q];
      });
    }
    return { spring, bath: model.baths.map((b) => site[b.site] + 0) };
  };
  // The temperature differences: A = U^T dT U (symmetric: upper half), M = Sigma Lambda.
  for (let k = 0; k < n; k++) for (let i = 0; i < n; i++) Z[k * n + i] = Ut[k * n + i] * dT[i];
  multiplyNT(n, n, n, Ut, Z, M, true);
  mirrorUpper(n, M);
  for (let k = 0; k < n; k++)
    for (let l = 0; l < n; l++) M[k * n + l] = ((2 * M[k * n + l]) / (lam[k] + lam[l])) * lam[l];
  entries();
  const lyapunovForm = new Float64Array(n);
  const main = fluxes(dT, lyapunovForm);
  // The Lyapunov equation at the computed entries, per unit of the largest temperature difference.
  let lyapunov = 0;
  if (tau > 0) {
    for (let i = 0; i < n; i++) lyapunov = Math.max(lyapunov, Math.abs(pd[i] - dT[i]));
    for (let q = 0; q < S; q++) lyapunov = Math.max(lyapunov, 0.5 * Math.abs(pij[q] + pji[q]));
    lyapunov /= tau;
  }
  const lamMax = lam[n - 1];
  // Error of P' per unit tau: the Lyapunov defect at the entries (rounding and loss of orthogonality); the
  // eigenpairs' residuals r_k = K u_k - lambda_k u_k against K exactly (the decomposition is exact for K + E,
  // E u_k = -r_k), which move Sigma_kl lambda_l by ~ tau sum_m |E_km| / lambda_m, with E_km = -u_k . r_m (P, the
  // residuals in the eigenbasis; the larger of E_km and E_mk): 2 max_k sum_m |E_km| / lambda_m; and the rounding
  // floor 100 n eps. (Before, sqrt(n) max_k |r_k|_inf / lambda_k: a soft mode's residual along a stiff spring,
  // where the stiff modes take it, counted as if against its own eigenvalue: 7.8e-10 reported against 9.3e-20
  // actual on a spring of 0.033 beside one of 9.1e6.)
  let modeError = 0;
  for (let k = 0; k < n; k++) {
    let e = 0;
    for (let m = 0; m < n; m++)
      e += Math.max(Math.abs(proj![k * n + m]), Math.abs(proj![m * n + k])) / Math.max(lam[k], lam[m]);
    modeError = Math.max(modeError, e);
  }
  const delta = lyapunov + 2 * modeError + n * ROUNDING;
  let fluxScale = 0;
  for (const b of model.baths) fluxScale = Math.max(fluxScale, b.temperature * kd[b.site]);

  const bySource = options.bySource ?? defaultModalBySource(model);
  let springBySource: number[][] | undefined;
  let bathBySource: number[][] | undefined;
  // Errors of the parts: each part is T_c times the fluxes of a unit temperature at bath c's site, whose P' has the
  // error delta of the main solve with that part's own Lyapunov defect (unit temperature in place of the spread).
  let springPartError: Float64Array | undefined;
  let bathPartError: Float64Array | undefined;
  if (bySource) {
    springPartError = new Float64Array(S);
    bathPartError = new Float64Array(B);
    springBySource = model.springs.map(() => new Array<number>(B).fill(0));
    bathBySource = model.baths.map(() => new Array<number>(B).fill(0));
    const unit = new Float64Array(n);
    model.baths.forEach((b, c) => {
      // Only bath c at temperature 1: A = u_c u_c^T (row c of U), M_kl = 2 U_ck U_cl lambda_l / (lambda_k + lambda_l).
      const row = b.site * n;
      for (let k = 0; k < n; k++)
        for (let l = 0; l < n; l++) M[k * n + l] = ((2 * u[row + k] * u[row + l]) / (lam[k] + lam[l])) * lam[l];
      entries();
      unit[b.site] = 1;
      const part = fluxes(unit);
      let defect = 0;
      for (let i = 0; i < n; i++) defect = Math.max(defect, Math.abs(pd[i] - unit[i]));
      for (let q = 0; q < S; q++) defect = Math.max(defect, 0.5 * Math.abs(pij[q] + pji[q]));
      unit[b.site] = 0;
      const dPart = (defect + 2 * modeError + n * ROUNDING) * b.temperature;
      for (let q = 0; q < S; q++) springPartError![q] = Math.max(springPartError![q], kOff[q] * dPart);
      model.baths.forEach(
        (br, r) => (bathPartError![r] = Math.max(bathPartError![r], (rowAbs[br.site] - kd[br.site]) * dPart)),
      );
      part.spring.forEach((x, q) => (springBySource![q][c] = x * b.temperature));
      part.bath.forEach((x, r) => (bathBySource![r][c] = x * b.temperature));
    });
  }

  const springs: TransmissionSpringFlux[] =
    options.springs === false
      ? []
      : model.springs.map((sp, q) => ({
          between: [model.sites[sp.i], model.sites[sp.j]] as [string, string],
          i: sp.i,
          j: sp.j,
          stiffness: sp.stiffness,
          flux: main.spring[q],
          ...(springBySource ? { fluxBySource: springBySource[q], fluxBySourceError: springPartError![q] } : {}),
          error: kOff[q] * tau * delta,
        }));
  const baths: TransmissionBathFlux[] = model.baths.map((b, r) => ({
    site: model.sites[b.site],
    index: b.site,
    temperature: b.temperature,
    friction: b.friction,
    flux: main.bath[r],
    ...(bathBySource ? { fluxBySource: bathBySource[r], fluxBySourceError: bathPartError![r] } : {}),
    error: (rowAbs[b.site] - kd[b.site]) * tau * delta,
  }));
  // Energy balance with the bath fluxes in the dense engine's (Lyapunov) form: bath flux + spring inflow at each site.
  const inflow = Float64Array.from(lyapunovForm);
  model.springs.forEach((sp, q) => {
    inflow[sp.j] += main.spring[q];
    inflow[sp.i] -= main.spring[q];
  });
  const energyBalanceResidual = inflow.map((x) => Math.abs(x) / fluxScale);
  let jScale = 0;
  for (const b of baths) jScale = Math.max(jScale, Math.abs(b.flux));
  jScale = Math.max(jScale, 1e-14 * fluxScale * ((Tmax - Tmin) / Tmax), 1e-300);
  let errorEstimate = 0;
  for (const b of baths) errorEstimate = Math.max(errorEstimate, b.error / jScale);
  for (const sp of springs) errorEstimate = Math.max(errorEstimate, sp.error / jScale);
  let entropyProduction = 0;
  baths.forEach((b) => (entropyProduction -= b.flux / b.temperature));
  const estimateNote = modalErrorIsEstimate(model, gamma, lam);
  if (errorEstimate > 1e-6)
    warnings.push(
      `the modal method's estimated error ${errorEstimate.toExponential(2)} is large (relaxation rates ${lam[0].toExponential(2)} .. ${lamMax.toExponential(2)} far apart): check with --method lyapunov`,
    );
  return {
    method: "modal",
    dynamics: "overdamped",
    sites: model.sites,
    configurationalTemperature: options.temperatures === false ? undefined : Float64Array.from(T),
    springs,
    baths,
    entropyProduction,
    energyBalanceResidual,
    errorEstimate,
    errorIsEstimate: estimateNote !== undefined,
    residual: Math.max(eigenResidual, lyapunov),
    modes: { count: n, poles: n, narrowest: 2, slowestRate: lam[0] },
    warnings,
    notes: estimateNote ? [estimateNote] : [],
  };
}
