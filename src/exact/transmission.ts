/**
 * Exact steady state of a linear network by the frequency-domain (Green's function, Landauer) method: bath fluxes,
 * spring fluxes, kinetic temperatures and entropy production as frequency integrals over the columns of
 * G(w) = [V - w^2 M - i w Gamma]^-1 (overdamped: [V - i w Gamma]^-1) at the bath sites, one sparse complex
 * LDL^T factorisation per frequency, without the dense covariance. Same conventions as network.ts.
 *
 * With q(w) = G(w) xi(w) and the noise spectrum <xi xi^+> = 2 Gamma T, the equal-time moments are integrals over
 * w > 0 with the weight 2/pi (the integrands are even in w; g_b = G e_b is the column of bath site b):
 *   <q_i v_j> = (2/pi) int w  sum_b gamma_b T_b Im(conj(G_ib) G_jb)        spring flux i -> j = k_ij <q_i v_j>
 *   <v_a^2>   = (2/pi) int w^2 sum_b gamma_b T_b |G_ab|^2                    kinetic temperature m_a <v_a^2>
 *   bath flux into b  J_b = sum_c (2/pi) gamma_b gamma_c (T_b - T_c) int w^2 |G_bc|^2        (Landauer form)
 *                        = sum_c int (dw / 2 pi) T_bc(w) (T_b - T_c),  T_bc(w) = 4 w^2 gamma_b gamma_c |G_bc|^2.
 * The Landauer form follows from Im G = w G Gamma G^+ (G - G^+ = 2 i w G Gamma G^+) and the sum rule
 *   m_a (2/pi) int w^2 sum_b gamma_b |G_ab|^2 dw = 1  for every site a (equipartition at equal temperatures),
 * and holds for overdamped networks too, where the Stratonovich fluxes of network.ts, -k_ij (S V)_ij / gamma_j and
 * (T_i V_ii - (V S V)_ii) / gamma_i, reduce to the same two integrals (the configurational temperature (S V)_ii equals
 * the bath temperature T_i exactly: d<q_i^2>/dt = 0). Equilibrium parts are exact: with T_b = T_ref + dT_b only dT
 * is integrated, so fluxes are differences of temperatures times integrals, with no cancellation.
 *
 * Quadrature: the integrands of a weakly damped network have narrow peaks at the normal-mode frequencies (poles
 * near the real axis, half-width Gamma_nu / 2 with Gamma_nu = sum_b gamma_b u_b^2 for the M-normalised mode u). The
 * modes are found from the inertia of the real LDL^T of V - lambda M (Sylvester's count of eigenvalues below lambda)
 * by bisection until each interval holds one mode, then Rayleigh-quotient iteration gives its frequency and bath
 * amplitudes; every peak gets panels mapped by w = w_nu +- (Gamma_nu / 2) sinh(t), which turns a Lorentzian of any
 * width into a smooth function. Globally adaptive Gauss-Kronrod (15-31) refines the panels until the summed error
 * estimates of every flux and temperature are below the tolerance; the sum rule above is checked at every site,
 * and weight missing from it (a resonance too narrow to resolve, or a mode decoupled from the baths) enters the
 * reported error as a bound, never silently. Rounding moves a narrow peak's pole by ~eps w (a systematic error
 * ~eps w / Gamma of its content, reported); peaks narrower than 1e-12 w are not integrated but enter the kinetic
 * temperatures through their weak-coupling share (the mode's temperature from its damped pole vector).
 * Documentation: docs/studies/harmonic-conduction.md.
 */
import { ModelError, SteadyStateError } from "../errors.js";
import { symmetricEigen } from "../linalg/eigen.js";
import { matrix } from "../linalg/matrix.js";
import {
  ChainGreen,
  ChainPencil,
  SWEEP_LANES,
  POLE_LANES,
  ComplexLdl,
  RealLdl,
  complexLdlSolve,
  cuthillMcKee,
  symbolicLdl,
  symmetricPattern,
  type SymbolicLdl,
  type SymmetricPattern,
} from "../linalg/sparse.js";
import { SlicedPencil } from "../linalg/slices.js";
import { BlockLdl, blockLdlCheaper } from "../linalg/blockLdl.js";
import { ILL_EIGENVALUE, ILL_SHIFT, poleRounding, roundingWarning } from "./poleRounding.js";
import { stripFluxState } from "./stripFluxes.js";
import { pencilPoles } from "./windowPoles.js";
import { StripGreen } from "../linalg/stripGreen.js";
import { WG7, WGK15, XGK15 } from "./kronrod15.js";
import { poleIntegral } from "./poleIntegral.js";
import { checkSolveControl, QuadratureMonitor, STALL_FACTOR, type SolveControl } from "./solveControl.js";
import type { Model } from "../model/models.js";
import { checkNetworkModel, isLinearNetwork, withCheckedNetwork, type NetworkModel } from "../model/networkModel.js";
import { diagnoseNetwork } from "../problem/diagnose.js";
import type { BathFlux, SpringFlux } from "./network.js";

export interface TransmissionOptions extends SolveControl {
  /** Relative tolerance of the frequency quadrature for fluxes (relative to the largest bath flux) and kinetic
   * temperatures (relative to the largest bath temperature). Default 1e-10. */
  tolerance?: number;
  /**
   * Compute kinetic temperatures (underdamped). Default: true up to 30000 sites; beyond, fluxes only (a note says
   * so), and true is refused (every mode's peak is needed: hours). false integrates the fluxes only (cheaper).
   */
  temperatures?: boolean;
  /** Split every flux by source bath. Default: networks with <= 32 baths and <= 20000 springs. */
  bySource?: boolean;
  /** Stop refining after this many frequency evaluations (default: a budget scaled to the network's size). */
  maxEvaluations?: number;
  /** Record the transmission spectrum T_bc(w) of every pair of baths (at most 16 baths). */
  spectrum?: boolean;
  /**
   * Fluxes only, more than 300 sites, two-terminal chains and networks sliced between two groups of baths at two
   * temperatures (2D strips with baths on their end columns): leave out the frequencies whose modes are localised
   * away from a bath (their estimated current enters the flux errors). Default true; false locates and integrates
   * every mode (the reference path, cost ~ n^2).
   */
  screen?: boolean;
  /**
   * Two-terminal chains longer than 300 sites, fluxes only: integrate each resonance from its complex pole (a
   * closed-form integral of its singular part) and the smooth remainder by quadrature, instead of resolving every
   * peak on the real axis. Default true (not with `spectrum`, which is sampled on the peaks' panels); false: peak
   * panels on the real axis (the reference path).
   */
  poles?: boolean;
  /**
   * false: bath fluxes only, no spring fluxes (`springs` is empty). A network sliced between two groups of baths at
   * two temperatures (a 2D strip with baths on its end columns; fluxes only, more than 300 sites, screen and poles
   * on) then takes the end-block path of stripFluxes.ts: G between the end levels only, O(N w^2) per frequency, and
   * every resonance from its complex pole. Ignored by other networks (their spring fluxes are computed).
   */
  springs?: boolean;
}

export interface TransmissionSpringFlux extends SpringFlux {
  /** Error estimate of `flux` (quadrature, plus a bound on unresolved weight; see quadratureError: not a strict bound). */
  error: number;
}

export interface TransmissionBathFlux extends BathFlux {
  error: number;
}

export interface TransmissionSpectrum {
  /** Pairs of baths (indices into `baths`), first < second. */
  pairs: [number, number][];
  /** Angular frequencies, ascending. */
  omega: Float64Array;
  /** transmission[k][m] = T(omega[m]) of pair k: 4 w^2 gamma_b gamma_c |G_bc(w)|^2 (J_b = sum_c int dw/2pi T (T_b - T_c)). */
  transmission: Float64Array[];
}

export interface TransmissionSteadyState {
  method: "transmission";
  dynamics: "underdamped" | "overdamped";
  sites: string[];
  /** <p_i^2> / m_i (underdamped, unless temperatures: false). */
  kineticTemperature?: Float64Array;
  /** Error estimate of every kinetic temperature. */
  kineticTemperatureError?: Float64Array;
  /** Overdamped: <q_i dU/dq_i>, equal to the bath temperature of site i (exact). */
  configurationalTemperature?: Float64Array;
  springs: TransmissionSpringFlux[];
  baths: TransmissionBathFlux[];
  /** Thermal conductances between baths (when computed pairwise): J_b = sum_c conductance[b][c] (T_b - T_c). */
  conductance?: number[][];
  entropyProduction: number;
  /** Per site: |bath flux + spring fluxes into the site|, relative to the largest flux scale (as network.ts). */
  energyBalanceResidual: Float64Array;
  /**
   * Largest estimated error of a flux (relative to the largest bath flux) or of a kinetic temperature (relative to
   * the largest bath temperature). An estimate, not a strict bound (like the Lyapunov residual): the summed
   * Gauss-Kronrod differences |K - G| of the final panels (the error of the Gauss value, pessimistic for the reported
   * Kronrod value of a resolved panel, blind to a peak that falls between all nodes of a panel), a first-order
   * estimate of rounding at narrow peaks, a bound from weight missing in the sum rule, and in fluxes-only runs the
   * Breit-Wigner shares of skipped modes and the estimated current of the frequencies a long chain leaves out
   * (`screen`). docs/studies/harmonic-conduction.md lists which part is which.
   */
  quadratureError: number;
  /** Largest normwise backward error of the sparse solves, max |A x - e| / (|A| |x| + 1), checked at the centre
   * of every quadrature panel. Bath fluxes of strips (springs: false): the largest check of the recursion's end
   * block against Q(z) G = I at a few sampled frequencies, near the narrowest poles among them (the backward error
   * of the whole columns and the block's difference from them relative to its largest entry; StripGreen.residual).
   * 0 when nothing was solved (evaluations 0: every flux vanishes exactly, equilibrium). */
  solveResidual: number;
  /** Frequency evaluations (one sparse factorisation and one solve per bath each). */
  evaluations: number;
  panels: number;
  /** Normal modes: how many were located (a screened chain: those below its cutoff), whether they were (otherwise
   * panels were placed without them), the smallest relative peak width Gamma / omega among them, and how many are
   * too narrow to resolve. */
  modes: {
    count: number;
    located: boolean;
    narrowest: number;
    unresolved: number;
    /** Two-terminal chains (fluxes only): resonances integrated from their complex poles (`poles` option). */
    poles?: number;
    /**
     * Networks sliced into levels, bath fluxes only (the strip path): the real factorisations of V - lambda M that
     * located the modes (inertia counts, inverse and Rayleigh-quotient iteration), a measure of that step's work.
     */
    factorisations?: number;
  };
  warnings: string[];
  /** Statements about what was computed (not problems): fluxes only at this size, frequencies left out. */
  notes: string[];
  /** Long two-terminal chains, fluxes only: the frequencies left out and their estimated current (see docs). */
  screen?: ChainScreen;
  spectrum?: TransmissionSpectrum;
}

const TWO_OVER_PI = 2 / Math.PI;
/** Dense diagnosis of decoupled modes (as the Lyapunov engine) up to this many sites. */
const DENSE_DIAGNOSIS_MAX = 600;
/** Dense eigen-decomposition for the mode analysis up to this many sites. */
const DENSE_MODES_MAX = 300;
/** A peak with Gamma / omega below this cannot be resolved in double precision. */
const UNRESOLVABLE_WIDTH = 1e-12;
/** An integrated bridge's flux is checked against the sum of the bath fluxes on its root's side up to this many baths
 * (a loop over the baths per bridge). */
const ROOT_SIDE_BATHS = 64;
/** Unit roundoff. */
const EPS = 2 ** -53;

/**
 * A reported flux error with the rounding of the value itself (the integrand's formation at every node and the sums
 * over nodes and panels: several units in the last place) added: the quadrature's own terms can fall below it where
 * the flux is a tiny difference of large integrals (bath temperatures 1e-12 apart: the value 2 units in the last
 * place from the exact one), and on small overdamped networks the value came out 7-8 units in the last place from
 * 60-digit solves where 4 units had been allowed (three audit networks 1.05-1.27 times beyond their errors; 0.62-0.88
 * at 8 units, the most the tests' references allow: the dense bounds of test/exact/flux-adjoint.test.ts are checked
 * against this method's values to within their errors).
 */
const VALUE_ROUNDING_UNITS = 8;

function withValueRounding(error: number, value: number): number {
  return error + VALUE_ROUNDING_UNITS * EPS * Math.abs(value);
}

/** The factor on the solves' signed first-order rounding estimate (SolveRounding) in the reported errors. */
const SOLVE_ROUNDING_MARGIN = 2;

/** A sum rule deviating by more than this misses weight (decoupled or unresolved modes; see sumRuleCalibration). */
const CALIBRATION_MAX_DEVIATION = 1e-3;
/** The rounding of a sum rule's value itself (~1 from positive terms, compensated sums). */
const SUM_RULE_ROUNDING = 64 * EPS;

/**
 * The sum rules' check of the quadrature's own error estimates (underdamped): each sum rule W = 1 is integrated on
 * the same panels as the fluxes and temperatures, so where |1 - W| exceeds W's estimated error e the Gauss-Kronrod
 * estimates are shown to be short by (|1 - W| - rounding) / e at that site, and every quadrature error is scaled by
 * 1 plus the largest such ratio (1: no evidence; up to 2 where |1 - W| is within e, a margin). Audited against 45-digit solves: on a triangle stopped at rounding noise
 * a sum rule was 1 + 3.4e-10 with an estimated error of 3.5e-11 (9.7 times), and the spring fluxes on its cycle were
 * off by 9.7 times their estimated errors (one end's sum rule had found no deficit: no missing-weight bound); the
 * same held at 4.2, 3.3 and 1.6 times elsewhere, bath fluxes included. A deviation above
 * CALIBRATION_MAX_DEVIATION is weight missing outright (a decoupled mode, a peak too narrow to resolve), which the
 * missing-weight bounds carry, not a short estimate.
 * @param value each sum rule's value (1 exact)
 * @param error each sum rule's estimated quadrature error
 */
function sumRuleCalibration(value: ArrayLike<number>, error: ArrayLike<number>): number {
  let factor = 1;
  for (let k = 0; k < value.length; k++) {
    const dev = Math.abs(1 - value[k]);
    if (!(dev <= CALIBRATION_MAX_DEVIATION) || !(error[k] > 0)) continue;
    // The rule's actual error is its deviation; another integral's, up to its estimate scaled as much, plus that
    // estimate (the two were short by the same factor to 2 digits in the audit: a margin, not a coincidence).
    factor = Math.max(factor, 1 + (dev - SUM_RULE_ROUNDING) / error[k]);
  }
  return factor;
}
/**
 * Peaks narrower than this (relative) have rounding noise above 1e-10 of their content: the backward error of the
 * factorisation moves the pole by ~eps omega, so values near a peak of width Gamma carry a relative noise
 * ~eps omega / Gamma. Refinement of a panel stops when its Gauss-Kronrod error is at that noise floor (the error is
 * reported); used also to locate where sum-rule weight can be missing.
 */
const NOISY_WIDTH = 1e-6;
/**
 * Every normal mode is located and every peak carrying current integrated: ~100 frequency evaluations per peak,
 * each O(n) or more, so the cost grows like n^2 (a 10^4-site disordered chain takes ~20 s on the O(n) chain path,
 * a general network of that size hours). Beyond this many sites a solve would take hours: refused.
 */
const MAX_SITES = 30000;
/** Kinetic temperatures (every mode's peak) are computed up to this many sites; beyond, fluxes of chains only. */
export const TEMPERATURES_MAX_SITES = MAX_SITES;
/**
 * Length in t of the panels of a peak's sinh map. (Length 8 saves ~25% of the evaluations of long disordered chains
 * but trips the roundoff detection of the adaptive step at narrow peaks: a 256-site chain then stops at 1e-6.)
 */
const SINH_PANEL = 4;

// ---------------------------------------------------------------------------
// Gauss-Kronrod 15-31 (QUADPACK qk31, R. Piessens and E. de Doncker): nodes on [-1, 1] (positive half, centre
// last), Kronrod weights, and the 15-point Gauss weights at XGK[1], XGK[3], ..., XGK[13] and the centre.

const XGK = [
  0.9980022986933971, 0.9879925180204854, 0.9677390756791391, 0.937273392400706, 0.8972645323440819, 0.8482065834104272,
  0.790418501442466, 0.7244177313601701, 0.650996741297417, 0.5709721726085388, 0.4850818636402397, 0.3941513470775634,
  0.29918000715316884, 0.20119409399743451, 0.1011420669187175, 0,
];
const WGK = [
  0.005377479872923349, 0.015007947329316122, 0.02546084732671532, 0.03534636079137585, 0.04458975132476488,
  0.05348152469092809, 0.06200956780067064, 0.06985412131872826, 0.07684968075772038, 0.08308050282313302,
  0.08856444305621176, 0.09312659817082532, 0.09664272698362368, 0.09917359872179196, 0.10076984552387559,
  0.10133000701479154,
];
const WG = [
  0.03075324199611727, 0.07036604748810812, 0.10715922046717194, 0.13957067792615432, 0.16626920581699392,
  0.1861610000155622, 0.19843148532711158, 0.2025782419255613,
];
/** A Gauss-Kronrod rule on [-1, 1]: nodes and, per node, the Kronrod weight and (Kronrod - Gauss) weight. */
interface KronrodRule {
  x: Float64Array;
  wk: Float64Array;
  wd: Float64Array;
  /** The index of the node at 0. */
  centre: number;
}

/** The rule from QUADPACK's half tables (xgk, wgk: Kronrod nodes and weights from the end in; wg: Gauss weights). */
function kronrodRule(xgk: readonly number[], wgk: readonly number[], wg: readonly number[]): KronrodRule {
  const points = 2 * xgk.length - 1;
  const x = new Float64Array(points),
    wk = new Float64Array(points),
    wd = new Float64Array(points);
  const last = xgk.length - 1;
  let k = 0;
  for (let j = 0; j < last; j++) {
    const g = j % 2 === 1 ? wg[(j - 1) / 2] : 0;
    for (const s of [-1, 1]) {
      x[k] = s * xgk[j];
      wk[k] = wgk[j];
      wd[k] = wgk[j] - g;
      k++;
    }
  }
  const centre = points - 1;
  x[centre] = 0;
  wk[centre] = wgk[last];
  wd[centre] = wgk[last] - wg[wg.length - 1];
  return { x, wk, wd, centre };
}

const GK31 = kronrodRule(XGK, WGK, WG);
const GK_POINTS = GK31.x.length;

/**
 * The 7-15 first pass is used from this many initial panels on, beyond the dense mode analysis (smaller networks keep
 * their former printed values and error estimates: where peaks cannot be resolved the 7-point estimates left in
 * stuck panels are larger).
 */
const FIRST_PASS_15_PANELS = 64;
/**
 * Two-terminal chains beyond the dense mode analysis, integrated on the real axis (poles: false, or a spectrum
 * asked for): the quadrature's error estimate (sum of |Kronrod - Gauss| over the panels) times this. Overlapping
 * broad peaks (modes at a damped end, free ends above all) hide narrow resonances (two overlapping resonances share
 * their width unequally: one broad, one narrow) that neither rule of a panel sees, and the raw estimate understated
 * the actual error up to 12x (chains of 400-1000 sites, masses 1 +- 30-90 %, free and fixed ends, tolerances
 * 1e-5-1e-7, against references at 1e-12). With the factor (the quadrature then refines until the scaled estimate
 * meets the tolerance: 10-30 % more evaluations) the actual error stayed below 0.2 of the reported one on those and
 * 3 more chains; a calibration, not a bound. (Not applied on the pole path: its remainder's panels at the rounding
 * floor, scaled, stop it from converging on long fixed-end chains; what that path missed on free ends is integrated
 * instead: lowFrequencyScale, POLE_SKIP_BROAD.)
 */
const CHAIN_QUADRATURE_SAFETY = 16;
/**
 * Gauss-Kronrod 7-15 (QUADPACK qk15), same layout (nodes and weights in kronrod15.ts): the first pass over the initial panels of networks with many
 * peaks (most of their evaluations: every located peak gets its panels) uses it; panels split by the adaptive step
 * get 15-31.
 * Its |K15 - G7| is the error estimate of the 15-point value, as |K31 - G15| is of the 31-point one.
 */
const GK15 = kronrodRule(XGK15, WGK15, WG7);
/**
 * A panel off every located peak whose Gauss-Kronrod error stays above this many times its rounding floor, and
 * above this many times its share of the tolerance, through three splits is not at rounding noise but straddles a peak narrower than its nodes can see: it is split on. The
 * normal modes' widths are first-order in the frictions, so next to a strongly overdamped site (friction / mass far
 * above the frequencies) they can be far too broad: a heavy site's mode at 0.0108, coupled through a light site with
 * friction/mass 2.8e4, was given a half-width of 0.04 while its peak is ~1e-8 wide; its linear panel, 0.004 wide,
 * was stopped as noise at 4e10 times its rounding floor, the bath sum rule there short by 3.4e-6 (estimated error
 * 1.1e-6) and a bath flux off by 3.6e-6 of itself, 1.4 times its error after the sum rules' check.
 */
const HIDDEN_PEAK = 1e4;

/** Integration variable maps: w(t) and dw/dt. */
const Var = {
  Linear: 0,
  /** w = c + h sinh(t), t >= 0 (a peak at c, to its right). */
  SinhRight: 1,
  /** w = c - h sinh(t), t >= 0 (a peak at c, to its left). */
  SinhLeft: 2,
  /** w = c / t, t in (0, 1] (the tail beyond c). */
  Tail: 3,
  /** w = exp(t). */
  Log: 4,
} as const;

function omegaOf(kind: number, c: number, h: number, t: number): number {
  switch (kind) {
    case Var.Linear:
      return t;
    case Var.SinhRight:
      return c + h * Math.sinh(t);
    case Var.SinhLeft:
      return c - h * Math.sinh(t);
    case Var.Tail:
      return c / t;
    default:
      return Math.exp(t);
  }
}

function jacobianOf(kind: number, c: number, h: number, t: number): number {
  switch (kind) {
    case Var.Linear:
      return 1;
    case Var.SinhRight:
    case Var.SinhLeft:
      return h * Math.cosh(t);
    case Var.Tail:
      return c / (t * t);
    default:
      return Math.exp(t);
  }
}

// ---------------------------------------------------------------------------
// The network as sparse matrices

interface NetworkSystem {
  n: number;
  under: boolean;
  pattern: SymmetricPattern;
  /** V_ij per adjacency entry. */
  off: Float64Array;
  vDiag: Float64Array;
  mass: Float64Array;
  gamma: Float64Array;
  bathSite: Int32Array;
  bathT: Float64Array;
  sym: SymbolicLdl;
}

function networkSystem(model: NetworkModel): NetworkSystem {
  const n = model.sites.length;
  const ei = model.springs.map((s) => s.i);
  const ej = model.springs.map((s) => s.j);
  const pattern = symmetricPattern(n, ei, ej);
  const off = new Float64Array(pattern.idx.length);
  for (let q = 0; q < off.length; q++) off[q] = -model.springs[pattern.edge[q]].stiffness;
  const vDiag = Float64Array.from(model.pinning);
  for (const s of model.springs) {
    vDiag[s.i] += s.stiffness;
    vDiag[s.j] += s.stiffness;
  }
  const gamma = new Float64Array(n);
  for (const b of model.baths) gamma[b.site] = b.friction;
  const bathSite = Int32Array.from(model.baths.map((b) => b.site));
  // Eliminate outward from the baths: every pivot then sees damping through the eliminated part.
  const perm = cuthillMcKee(pattern, Array.from(bathSite));
  return {
    n,
    under: model.dynamics === "underdamped",
    pattern,
    off,
    vDiag,
    mass: model.dynamics === "underdamped" ? Float64Array.from(model.mass) : new Float64Array(n).fill(1),
    gamma,
    bathSite,
    bathT: Float64Array.from(model.baths.map((b) => b.temperature)),
    sym: symbolicLdl(pattern, perm),
  };
}

// ---------------------------------------------------------------------------
// Steady-state diagnoses without the dense eigen-decomposition

/**
 * Refuses networks without a unique steady state with the same diagnosis (and message) as the dense engine
 * (diagnose.ts: confinement, parts without a bath, then Lemma 1 of Eckmann and Zabey by zero forcing from the bath
 * sites, exact and linear-time, and a dense check of what it leaves unreached), except that the dense part is skipped
 * when more than DENSE_DIAGNOSIS_MAX sites are left: then `structurallyCoupled` is false and the mode analysis of the
 * quadrature looks for decoupled modes.
 */
export function checkTransmissionSolvable(model: NetworkModel): { warnings: string[]; structurallyCoupled: boolean } {
  if (!isLinearNetwork(model)) {
    throw new SteadyStateError(
      "the exact engine solves linear networks only; this model has quartic terms (use the stochastic engine: ness simulate)",
      model.source,
    );
  }
  const d = diagnoseNetwork(model, { maxUnreached: DENSE_DIAGNOSIS_MAX });
  if (d.problem) throw new SteadyStateError(d.problem, model.source);
  return { warnings: d.warnings, structurallyCoupled: !d.undecided };
}

function fmt(x: number): string {
  return String(Number(x.toPrecision(4)));
}

// ---------------------------------------------------------------------------
// Normal modes: frequencies and widths of the peaks

interface ModeData {
  /** Angular frequencies, ascending. */
  omega: Float64Array;
  /** Half-width Gamma_nu / 2 of each peak (0: decoupled within rounding). */
  halfWidth: Float64Array;
  /** u_b^2 (M-normalised mode) at every bath, row per mode (NaN for modes of a degenerate cluster). */
  bathAmp2: Float64Array;
  /**
   * u_b with its sign (sparseModes only; NaN as bathAmp2): the projected pencil of the strip path's pole search
   * (windowPoles.ts) needs the bath couplings between modes, sum_b gamma_b u_b u'_b.
   */
  bathAmp?: Float64Array;
  /**
   * chainModes only, ordered as bathAmp2: at each bath (an end of the chain), the regular part of the undamped
   * pencil's Green's function there, R_b = lim [(V - lambda M)^-1_bb - u_b^2 / (lambda_nu - lambda)] at the mode's
   * eigenvalue (from the last pivot of the sweeps that located it: 1 / r_b = u_b^2 / (lambda_nu - lambda) - r_b'' u_b^4
   * / 2 + O(lambda - lambda_nu)); ChainPoles' Newton starts from it (chainPoleStart). NaN for a cluster's modes.
   */
  endRegular?: Float64Array;
  /**
   * chainModes only: an upper bound on |u_0 u_n| (the product of the mode's amplitudes at the chain's two ends) from
   * the determinants at its bisection bracket's ends (Infinity where none was made), independent of the end
   * weights, which rounding floors at ~1e-16 of the larger one: see chainModes.
   */
  productBound?: Float64Array;
  /**
   * chainModes only: 1 for a mode left unlocated because its product bound made its current share negligible (see
   * chainModes): omega is its bisection bracket's midpoint, its half-width, end weights and end regular parts are 0.
   */
  unlocated?: Uint8Array;
  /**
   * chainModes only, for the unlocated modes: their bracket's ends in frequency and an upper bound on their (first
   * order) half-width, three numbers per mode (ChainPoles.complete).
   */
  unlocatedBracket?: Float64Array;
  /**
   * The share of each mode's peak content that rounding of the pencil can move (peakRoundingShare from the
   * eigenvector in the dense mode analysis; chainModes and sparseModes: from pencilRounding's bound, for modes
   * whose eigenvalue it moves by ILL_EIGENVALUE of itself or more, else 0).
   */
  roundingShare?: Float64Array;
  /** Modes with Gamma / omega below UNRESOLVABLE_WIDTH. */
  unresolved: number;
  /** Their frequencies, ascending. */
  unresolvedAt: number[];
  /** A decoupled mode (or combination in a degenerate cluster), if found: its frequency. */
  decoupledAt?: number;
  counts: number;
  /**
   * Weak-coupling share of the unresolvable modes in every site's kinetic temperature: sum over them of
   * m_a u_a^2 (T_nu - T_ref), with T_nu = sum_b gamma_b u_b^2 T_b / Gamma_nu the mode's temperature; their weight
   * sum m_a u_a^2 in the sum rule; and an error bound from the accuracy of the eigenvector's bath components.
   */
  modal?: { temperature: Float64Array; weight: Float64Array; error: Float64Array };
  /** Long chains, fluxes only: the frequencies left out (only the modes below the cutoff are listed). */
  screen?: ChainScreen;
}

/**
 * The weak-coupling share of one unresolvable mode (see ModeData.modal). The mode's temperature comes from its
 * damped pole vector phi = G(omega_nu) M u (one complex solve at the mode's frequency): its tiny components on the
 * bath sites say how the mode meets each bath through the rest of the (damped) network. The undamped mode's own
 * bath components would be wrong wherever the rest of the network is not weakly damped.
 */
class ModalShare {
  readonly share: NonNullable<ModeData["modal"]>;
  private readonly ldl: ComplexLdl;
  private readonly dRe: Float64Array;
  private readonly dIm: Float64Array;
  private readonly br: Float64Array;
  private readonly bi: Float64Array;
  private readonly xr: Float64Array;
  private readonly xi: Float64Array;
  private readonly wr: Float64Array;
  private readonly wi: Float64Array;

  constructor(
    private readonly sys: NetworkSystem,
    private readonly dT: Float64Array,
    private readonly spread: number,
  ) {
    const n = sys.n;
    this.share = { temperature: new Float64Array(n), weight: new Float64Array(n), error: new Float64Array(n) };
    this.ldl = new ComplexLdl(sys.sym);
    [this.dRe, this.dIm, this.br, this.bi, this.xr, this.xi, this.wr, this.wi] = Array.from(
      { length: 8 },
      () => new Float64Array(n),
    );
  }

  /** Adds the mode of frequency omega and undamped shape u (M-normalised); eta: accuracy of its components. */
  add(omega: number, u: Float64Array, eta: number): void {
    const { sys } = this;
    const n = sys.n;
    for (let i = 0; i < n; i++) {
      this.dRe[i] = sys.vDiag[i] - omega * omega * sys.mass[i];
      this.dIm[i] = -omega * sys.gamma[i];
      this.br[i] = sys.mass[i] * u[i];
    }
    this.ldl.factor(this.dRe, this.dIm, sys.off);
    complexLdlSolve(this.ldl, this.br, this.bi, this.xr, this.xi, this.wr, this.wi);
    let norm = 0;
    for (let i = 0; i < n; i++) norm += sys.mass[i] * (this.xr[i] ** 2 + this.xi[i] ** 2);
    const scale = 1 / Math.sqrt(norm);
    if (!Number.isFinite(scale)) return;
    let G = 0;
    let GT = 0;
    let dG = 0;
    let dGT = 0;
    sys.bathSite.forEach((b, c) => {
      const g = sys.gamma[b];
      const a = Math.hypot(this.xr[b], this.xi[b]) * scale;
      G += g * a * a;
      GT += g * a * a * this.dT[c];
      const e = g * (2 * a * eta + eta * eta);
      dG += e;
      dGT += e * Math.abs(this.dT[c]);
    });
    const t = G > 0 ? GT / G : 0;
    const err = G > 2 * dG ? Math.min(this.spread, (dGT + Math.abs(t) * dG) / (G - dG)) : this.spread;
    for (let i = 0; i < n; i++) {
      const w = sys.mass[i] * (this.xr[i] ** 2 + this.xi[i] ** 2) * scale * scale;
      if (w === 0) continue;
      this.share.temperature[i] += w * t;
      this.share.weight[i] += w;
      this.share.error[i] += w * err;
    }
  }
}

/** Deterministic pseudo-random start vectors. */
function startVector(n: number, seed: number): Float64Array {
  let s = (seed * 2654435761 + 12345) >>> 0;
  const v = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    v[i] = s / 4294967296 - 0.5;
  }
  return v;
}

/** Largest eigenvalue bound (Gershgorin) of B^-1/2 V B^-1/2 for a positive diagonal B. */
function gershgorin(sys: NetworkSystem, b: Float64Array): number {
  let top = 0;
  for (let i = 0; i < sys.n; i++) {
    let r = sys.vDiag[i] / b[i];
    for (let q = sys.pattern.ptr[i]; q < sys.pattern.ptr[i + 1]; q++) {
      r += Math.abs(sys.off[q]) / Math.sqrt(b[i] * b[sys.pattern.idx[q]]);
    }
    top = Math.max(top, r);
  }
  return top;
}

/**
 * Counts eigenvalues of (V, B) below lambda, solves (V - lambda B) x = y, and forms quadratic forms. With `sliced`
 * (B = M, a network sliced into levels) and fewer operations that way (blockLdlCheaper), the block LDL^T over the
 * levels (BlockLdl) in place of the general sparse one: the same pivot rule, dense loops without index arrays. A
 * factorisation at the same lambda as the last one is kept (inverse iteration repeats its shift).
 */
class RealPencil {
  /** The strip's block LDL^T where it is cheaper, else the general sparse one (with its diagonal's scratch). */
  private readonly block?: BlockLdl;
  private readonly ldl?: RealLdl;
  private readonly diag?: Float64Array;
  readonly tiny: number;
  counts = 0;
  private last = NaN;
  private lastCount = 0;

  constructor(
    private readonly sys: NetworkSystem,
    private readonly b: Float64Array,
    sliced?: SlicedPencil,
  ) {
    if (sliced && b === sys.mass && blockLdlCheaper(sliced, sys.sym)) this.block = new BlockLdl(sliced);
    else {
      this.ldl = new RealLdl(sys.sym);
      this.diag = new Float64Array(sys.n);
    }
    let scale = 0;
    for (let i = 0; i < sys.n; i++) scale = Math.max(scale, sys.vDiag[i]);
    this.tiny = 1e-15 * scale;
  }

  factor(lambda: number): number {
    if (lambda === this.last) return this.lastCount;
    this.counts++;
    this.last = lambda;
    if (this.block) return (this.lastCount = this.block.factor(lambda, this.tiny));
    const diag = this.diag!;
    for (let i = 0; i < this.sys.n; i++) diag[i] = this.sys.vDiag[i] - lambda * this.b[i];
    return (this.lastCount = this.ldl!.factor(diag, this.sys.off, this.tiny));
  }

  solve(y: Float64Array, x: Float64Array): void {
    if (this.block) this.block.solve(y, x);
    else this.ldl!.solve(y, x);
  }

  /** ||(V - rho M) x||_(M^-1) (M = b). */
  residual(x: Float64Array, rho: number): number {
    const { n, vDiag, off, pattern } = this.sys;
    const b = this.b;
    let s = 0;
    for (let i = 0; i < n; i++) {
      let r = (vDiag[i] - rho * b[i]) * x[i];
      for (let q = pattern.ptr[i]; q < pattern.ptr[i + 1]; q++) r += off[q] * x[pattern.idx[q]];
      s += (r * r) / b[i];
    }
    return Math.sqrt(s);
  }

  /** x^T V x. */
  vForm(x: Float64Array): number {
    const { n, vDiag, off, pattern } = this.sys;
    let s = 0;
    for (let i = 0; i < n; i++) {
      let r = vDiag[i] * x[i];
      for (let q = pattern.ptr[i]; q < pattern.ptr[i + 1]; q++) r += off[q] * x[pattern.idx[q]];
      s += x[i] * r;
    }
    return s;
  }
}

/**
 * The share of a peak's content (mode k, frequency c, half-width h; column k of `y` the M^1/2-scaled eigenvector,
 * n x n row-major) that rounding of the pencil can move. The evaluations round the diagonal entries
 * V_ii - omega^2 m_i (and V_ii's own sum, and the pivots built from them) to a grid of spacing ~2 eps |V_ii|, so
 * the computed integrand is that of an eigenvalue displaced by up to dl_i = eps |V_ii| / m_i y_i^2 per site, a
 * different displacement from one frequency to the next, not by ~eps omega^2 as assumed before: at the low modes
 * of a network with a stiff part, orders of magnitude more (a 12-site chain, pinning 1e-10, end springs 1e6: more
 * than the mode's own omega^2). A displacement dl moves the peak by r = dl / (2 h max(c, 2h)) of its width (an
 * overdamped peak at omega ~ 0, whose narrow part has width ~omega^2 / 2h, changes by dl / (2h)^2); the share is
 * the sum of r_i over the sites, at most 1. Measured on uniform chains of 6 and 12 sites with stiff end springs
 * against 50-digit solutions (test/exact/transmission-rounding.test.ts): the actual error of the lowest peak
 * ranged from 1/3 to 1/3000 of share times its content (where the rounding steps fall across the peak is luck);
 * steps many times finer than the peak's core did not average out (a 6-site chain, pinning 1e-10, friction 1e-3,
 * springs 1e4: 1/12 of it with ~5e4 steps across).
 */
function peakRoundingShare(sys: NetworkSystem, c: number, h: number, y: Float64Array, n: number, k: number): number {
  if (!(h > 0)) return 0;
  const scale = 2 * h * Math.max(c, 2 * h);
  let dl = 0;
  for (let i = 0; i < n; i++) dl += ((EPS * Math.abs(sys.vDiag[i])) / sys.mass[i]) * y[i * n + k] ** 2;
  return Math.min(1, dl / scale);
}

/**
 * The largest rounding displacement of an eigenvalue without its eigenvector (chainModes, sparseModes: eps
 * max_i |V_ii| / m_i, which bounds eps sum_i |V_ii| / m_i y_i^2 over unit y; see peakRoundingShare). Without the
 * eigenvector this bound is pessimistic for a mode away from the largest entries, so it is used only for modes
 * whose eigenvalue it moves by at least ILL_EIGENVALUE of itself (a stiff part beside weakly pinned modes, the
 * lowest modes of the longest chains).
 */
function pencilRounding(sys: NetworkSystem): number {
  let top = 0;
  for (let i = 0; i < sys.n; i++) top = Math.max(top, Math.abs(sys.vDiag[i]) / sys.mass[i]);
  return EPS * top;
}

/** peakRoundingShare from the eigenvalue's rounding dl alone (pencilRounding), where dl >= ILL_EIGENVALUE w^2. */
function sharesOf(omega: Float64Array, halfWidth: Float64Array, dl: number): Float64Array {
  const share = new Float64Array(omega.length);
  for (let k = 0; k < omega.length; k++) {
    const h = halfWidth[k];
    if (h > 0 && dl >= ILL_EIGENVALUE * omega[k] ** 2) share[k] = Math.min(1, dl / (2 * h * Math.max(omega[k], 2 * h)));
  }
  return share;
}

/**
 * Every normal mode of V u = omega^2 M u with its peak half-width Gamma_nu / 2, Gamma_nu = sum_b gamma_b u_b^2
 * (u^T M u = 1): dense for small networks, otherwise inertia bisection and Rayleigh-quotient iteration.
 */
function normalModes(
  sys: NetworkSystem,
  temps?: { dT: Float64Array; spread: number },
  screen?: { tol: number; dT: number },
  slices?: SliceScreen,
): ModeData {
  const { n, mass, gamma } = sys;
  if (n <= DENSE_MODES_MAX) {
    const W = matrix(n, n);
    for (let i = 0; i < n; i++) {
      W.data[i * n + i] = sys.vDiag[i] / mass[i];
      for (let q = sys.pattern.ptr[i]; q < sys.pattern.ptr[i + 1]; q++) {
        const j = sys.pattern.idx[q];
        W.data[i * n + j] = sys.off[q] / Math.sqrt(mass[i] * mass[j]);
      }
    }
    const { values, vectors } = symmetricEigen(W);
    const omega = new Float64Array(n);
    const halfWidth = new Float64Array(n);
    const B = sys.bathSite.length;
    const bathAmp2 = new Float64Array(n * B);
    const roundingShare = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      omega[k] = Math.sqrt(Math.max(values[k], 0));
      let g = 0;
      sys.bathSite.forEach((b, c) => {
        const u2 = vectors.data[b * n + k] ** 2 / mass[b];
        bathAmp2[k * B + c] = u2;
        g += gamma[b] * u2;
      });
      halfWidth[k] = g / 2;
      roundingShare[k] = peakRoundingShare(sys, omega[k], halfWidth[k], vectors.data, n, k);
    }
    let modal: ModalShare | undefined;
    if (temps) {
      let top = 0;
      for (const v of values) top = Math.max(top, Math.abs(v));
      const u = new Float64Array(n);
      for (let k = 0; k < n; k++) {
        if (!(2 * halfWidth[k] < UNRESOLVABLE_WIDTH * omega[k])) continue;
        modal ??= new ModalShare(sys, temps.dT, temps.spread);
        for (let i = 0; i < n; i++) u[i] = vectors.data[i * n + k] / Math.sqrt(mass[i]);
        const gap = Math.min(
          k > 0 ? values[k] - values[k - 1] : Infinity,
          k + 1 < n ? values[k + 1] - values[k] : Infinity,
        );
        modal.add(omega[k], u, eigenvectorAccuracy(n, top, gap, mass));
      }
    }
    return {
      omega,
      halfWidth,
      bathAmp2,
      roundingShare,
      ...unresolvedModes(omega, halfWidth),
      counts: 0,
      modal: modal?.share,
    };
  }
  if (!temps) {
    const order = chainOrder(sys);
    if (order) return chainModes(sys, order, screen);
  }
  return sparseModes(sys, temps, slices);
}

/** V's off-diagonal entries between consecutive sites of a chain. */
function chainCouplings(sys: NetworkSystem, order: Int32Array): Float64Array {
  const off = new Float64Array(order.length - 1);
  for (let k = 0; k + 1 < order.length; k++) {
    const i = order[k];
    for (let q = sys.pattern.ptr[i]; q < sys.pattern.ptr[i + 1]; q++)
      if (sys.pattern.idx[q] === order[k + 1]) off[k] = sys.off[q];
  }
  return off;
}

/**
 * A chain in chain order (`order`: its sites from one bath's end to the other's): its pencil, the frictions at its
 * start (order[0]) and end, and which of the model's two baths sits at the start (`first`: 0 or 1, the other at
 * order[n - 1]), which maps ModeData's per-bath entries (bathAmp2, endRegular: index 2 k + b for bath b) to the
 * chain's ends: the start's at 2 k + first, the end's at 2 k + 1 - first. chainModes and ChainPoles both take it here.
 */
function chainInOrder(
  sys: NetworkSystem,
  order: Int32Array,
): { pencil: ChainPencil; first: 0 | 1; g0: number; g1: number } {
  const pencil = new ChainPencil(
    Float64Array.from(order, (i) => sys.vDiag[i]),
    Float64Array.from(order, (i) => sys.mass[i]),
    chainCouplings(sys, order),
  );
  return {
    pencil,
    first: sys.bathSite[0] === order[0] ? 0 : 1,
    g0: sys.gamma[order[0]],
    g1: sys.gamma[order[order.length - 1]],
  };
}

/** What the frequency screening of a long chain left out (fluxes-only runs, see chainModes). */
export interface ChainScreen {
  /** Angular frequency above which nothing was integrated (no modes located, no panels). */
  cutoff: number;
  /** Normal modes above the cutoff (not located). */
  skippedModes: number;
  /** Estimated flux carried by them (added to both bath-flux errors): see chainModes. */
  flux: number;
}

/** Frequency samples of the growth screen (two O(N) sweeps each). */
const SCREEN_SAMPLES = 256;

/**
 * Neighbours on either side whose current eigenvalue estimates are divided out of a mode's Laguerre steps (see
 * chainModes). Forward passes (eight lanes) for the 2128 modes located at 8192 sites (masses 1 +- 50 %): 1215 the
 * plain way (4.0 sweeps per mode), 983, 958, 947, 940 with 2, 4, 8, 16 neighbours divided out (and the brackets
 * narrowed by the counts made ahead).
 */
const LAGUERRE_NEIGHBOURS = 8;

/**
 * chainModes: the largest share bound of one mode left unlocated, as a fraction of the budget for all of them (half
 * of negligibleModes' 1 % of the tolerance, of the current located so far).
 */
const UNLOCATE_EACH = 0.01;
/**
 * chainModes: a mode is left unlocated only where the bound on its half-width is at most this fraction of the phase
 * check's grid interval (at least its frequency / PHASE_GRID; see chainModes and ChainPoles.complete), the smallest
 * of the bounds at its bracket's midpoint after 0 .. UNLOCATE_REFINE bisections (each by the count that the bound's
 * sweeps return, and each quartering the neighbouring modes' part of the bound); it stops at the first that is.
 */
const UNLOCATE_WIDTH = 0.01;
const UNLOCATE_REFINE = 4;

/**
 * For tests only (not part of the library's interface): `plainStarts` locates a chain's modes the way it was done
 * before the neighbours' deflation (each mode in its lane until done, lowest first; Laguerre steps on the whole
 * determinant; brackets as the bisection left them; see chainModes); `neighbours` overrides LAGUERRE_NEIGHBOURS;
 * `forwardSweeps` counts the forward Laguerre sweeps of located modes (the lanes in use, one per mode and sweep);
 * `located` is called with every chain's modes as chainModes returns them; `unlocate: false` locates every mode below
 * the cutoff (none left unlocated for its product bound).
 */
export const chainModesTesting: {
  plainStarts: boolean;
  /** Neighbours divided out on either side (LAGUERRE_NEIGHBOURS unless set). */
  neighbours?: number;
  forwardSweeps: number;
  located?: (omega: Float64Array, bathAmp2: Float64Array, productBound: Float64Array, unlocated: Uint8Array) => void;
  /** Whether the modes carry their product bounds (ModeData.productBound; default true). */
  productBound: boolean;
  /** Whether modes whose product bound is negligible are left unlocated (ModeData.unlocated; default true). */
  unlocate: boolean;
  /**
   * false: modes are left unlocated whatever their half-width bounds (as before those bounds: the phase check then
   * cannot tell a broad one from a missing pole).
   */
  unlocatedWidth?: boolean;
} = { plainStarts: false, forwardSweeps: 0, productBound: true, unlocate: true };

/** The screen's answer at equal bath temperatures: all n modes left out, none located (every flux is zero). */
function noModes(n: number): ModeData {
  const none = new Float64Array(0);
  return {
    omega: none,
    halfWidth: none,
    bathAmp2: none,
    unresolved: 0,
    unresolvedAt: [],
    counts: 0,
    screen: { cutoff: 0, skippedModes: n, flux: 0 },
  };
}

/**
 * The normal modes of a two-terminal chain (fluxes-only runs): every eigenvalue isolated by bisection on the Sturm
 * count of the tridiagonal pencil (the bracket narrowed further by counts made ahead), then located by safeguarded
 * Laguerre steps on its determinant with the neighbouring modes' estimates divided out (the count keeps the
 * bracket), and its two end amplitudes u_0^2, u_n^2 (the only bath sites) from the residues of
 * (V - lambda M)^-1 at the ends: two O(N) sweeps per mode, no eigenvector. Eigenvalues closer than 1e-13 (modes
 * localised far apart) are treated as a cluster, as in sparseModes.
 *
 * With `screen`, modes are located window by window from the lowest frequency up, and the windows above a cutoff
 * are left out altogether. A mode's share of the current is g_l g_r / (g_l + g_r) |T_l - T_r| <= gamma_max
 * min(u_l^2, u_r^2) |dT|, and with psi the undamped solution started at one end (psi = 1 there),
 * u_end^2 <= 1 / (m_min max_x psi_x^2): a mode localised anywhere in a disordered chain is exponentially small at
 * one end at least. The growth G_l, G_r = ln max_x |psi_x| from either end is sampled at SCREEN_SAMPLES frequencies
 * (two sweeps each; the Sturm count comes with them); away from an eigenvalue both grow over the whole chain, so
 * L = (G_l + G_r) / 2 ~ N / localisation length estimates the growth G_l + G_r from the two ends to the centre of
 * a mode at that frequency. A window with n modes is estimated to carry at most
 * n (gamma_max / m_min) exp(-(L - 3 sqrt(L) - 1)) |dT|, L the smaller at its two ends (the margin 3 sqrt(L) + 1
 * covers the fluctuations of the finite-chain growth, whose variance is ~ 2 L: on three chains of 2048-8192 sites
 * with masses 1 +- 50% the largest share in every window stayed at least e^-4 below it, against the exact modes),
 * plus a background (the transmission between resonances, ~ exp(-2 L) and at most 1) of its width / 2 pi times
 * exp(-(2L - 3 sqrt(2L) - 1)) |dT|. Windows are located from the bottom until the estimate of everything above is
 * below 1% of tol times the current estimated from the located modes (Breit-Wigner shares), and only while modes
 * are left above. This is an estimate with a margin, not a proven bound. Ordered chains do not grow (Bloch waves):
 * nothing is left out, and every mode is located (cost ~ N^2).
 *
 * Each isolated mode also gets an upper bound on |u_0 u_n| (productBound) from the determinants at its bracket's
 * ends, which the Sturm counts return beside the count: (V - lambda M)^-1_0n = +- prod b / det, whose residue at the
 * eigenvalue lambda_k is u_0 u_n, so |u_0 u_n| = prod |b| / |det'(lambda_k)|. With f = det / (lambda - lambda_k),
 * det'(lambda_k) = f(lambda_k), and ln |f| = sum over the other eigenvalues of ln |lambda - lambda_j| + const is
 * concave on the bracket [lo, hi] (no other eigenvalue in it), so |f(lambda_k)| >= min(|f(lo)|, |f(hi)|) >=
 * min(|det(lo)|, |det(hi)|) / (hi - lo): |u_0 u_n| <= prod |b| (hi - lo) / min(|det(lo)|, |det(hi)|) (times 10 for
 * the determinants' rounding). The end weights themselves have a rounding floor of ~1e-16 of the larger one: a mode
 * localised at one end, whose other weight is e^-100, can show 1e-17 there, and a current share
 * sqrt(gamma_l gamma_r u_l^2 u_r^2) |dT| that is not negligible; the bound says it is (negligibleModes), and its
 * pole is not searched: on the 10^5-site chain of the benchmark (masses 1 +- 50 %), 4863 poles instead of 5815.
 *
 * With `screen.unlocate` (the pole path), a mode whose bound alone makes its share negligible is not located at all
 * (ModeData.unlocated): once the lowest mode is located (and underdamped), the isolated brackets of each window are
 * taken smallest bound first while their summed share bounds 1.5 sqrt(gamma_0 gamma_n) bound |dT| (negligibleModes'
 * with the cross term) stay within half of negligibleModes' budget (1 % of the tolerance) of the current located in
 * the windows below, each at most UNLOCATE_EACH of it. Such a mode costs only its Sturm counts: no Laguerre or
 * reverse sweeps. Its frequency is its bracket's midpoint, its half-width and end weights are 0, and negligibleModes
 * skips it with its share bound added to the flux errors. The phase check of its poles (ChainPoles.complete) takes
 * it as a step of pi at that midpoint, which a broad peak (a mode localised at a damped end) would make wrong enough
 * to hide a missing pole: so a mode is left unlocated only where a bound on its (first-order) half-width
 * (gamma_0 u_0^2 + gamma_n u_n^2) / 2 is below UNLOCATE_WIDTH of the grid interval. With G_e = 1 / r_e the undamped
 * Green's function at an end (r_e the last pivot of a sweep towards it), G_e' = sum_j u_(e,j)^2 / (lambda_j -
 * lambda)^2 >= u_e^2 / (lambda_k - lambda)^2, so u_e^2 <= (hi - lo)^2 G_e'(mid) / 4 at the bracket's midpoint (times
 * 10 for rounding): one reduced sweep from either end (slopeLanes), which also returns the Sturm count at the
 * midpoint, so the bracket is halved at no cost; while the bound is too broad the sweeps are repeated at the new
 * midpoint, up to UNLOCATE_REFINE times (the other modes' part of the bound falls with the width squared), and the
 * smallest bound is kept. On the 10^5-site chain, 2572 of the 8355 modes below the cutoff (2692 without the half-width
 * bound; forward Laguerre sweeps then 28 091 -> 19 225).
 */
function chainModes(
  sys: NetworkSystem,
  order: Int32Array,
  screen?: { tol: number; dT: number; unlocate?: boolean },
): ModeData {
  const { n } = sys;
  // Equal bath temperatures: every flux vanishes exactly, no frequency is integrated, no mode is needed.
  if (screen && !(screen.dT > 0)) return noModes(n);
  const { pencil, first, g0, g1 } = chainInOrder(sys, order);
  const top = gershgorin(sys, sys.mass) * (1 + 1e-12);
  // ln prod |b| (the end-to-end numerator of (V - lambda M)^-1) for the modes' product bounds; none where the
  // counts' determinants could leave the doubles' range.
  let lnProdB = pencil.logDetReliable ? 0 : NaN;
  for (const b of chainCouplings(sys, order)) lnProdB += Math.log(Math.abs(b));
  const productBound = new Float64Array(n).fill(Infinity);
  const omega = new Float64Array(n);
  const halfWidth = new Float64Array(n);
  const bathAmp2 = new Float64Array(2 * n);
  const endRegular = new Float64Array(2 * n);
  const unlocated = new Uint8Array(n);
  // Each unlocated mode's bracket in frequency and its half-width bound (ModeData.unlocatedBracket).
  const unlocatedBracket = new Float64Array(3 * n);
  const startSlope = new Float64Array(SWEEP_LANES);
  // Modes left unlocated (see chainModes): their summed share bound so far, and what it may reach (set per window).
  let unlocatedShare = 0;
  let unlocateBudget = 0;
  // A mode's share bound per unit of its product bound: negligibleModes' with the cross term (the pole path).
  const shareOfBound = screen ? 1.5 * Math.sqrt(g0 * g1) * screen.dT : 0;
  let decoupledAt: number | undefined;
  let m = 0;
  /** Locates the modes with eigenvalues in (lo0, hi0], counts cl0..ch0; returns their Breit-Wigner shares. */
  const locate = (lo0: number, hi0: number, cl0: number, ch0: number): number => {
    // Bisection by Sturm counts down to brackets of one eigenvalue each (lowest first), then the modes of all the
    // brackets together, SWEEP_LANES shifts per sweep (independent recurrences interleaved: see sweepLanes).
    const one: number[] = [];
    // ln |det| at each isolated bracket's ends (NaN where no count was made there: a window's ends).
    const brackets: number[] = [];
    const L = SWEEP_LANES;
    const lam = new Float64Array(L);
    const out = pencil.lanes;
    // Breadth first: the intervals of one level are split at their midpoints together, L Sturm counts per sweep.
    // Lanes a level leaves free count ahead at the midpoints its halves (and theirs) will have, breadth first: the
    // same shifts, whose counts are kept (by shift) for the levels below. The counts are exact, so the brackets are
    // those of the plain bisection whichever sweep gave them; a count ahead is wasted where its interval needs no
    // split.
    const mid = (lo: number, hi: number) => (0.5 * (Math.sqrt(lo) + Math.sqrt(hi))) ** 2;
    const ahead = new Map<number, number>();
    const aheadLog = new Map<number, number>();
    const pending: [number, number][] = [];
    let level: [number, number, number, number][] = [[lo0, hi0, cl0, ch0]];
    const split: [number, number, number, number][] = [];
    while (level.length > 0) {
      split.length = 0;
      for (const [lo0, hi0, cl, ch] of level) {
        if (ch <= cl) continue;
        let lo = lo0;
        let hi = hi0;
        if (ch - cl === 1) {
          // Counts ahead at the midpoints of an isolated bracket (and of its halves) narrow it at no cost.
          if (!chainModesTesting.plainStarts)
            for (let c = mid(lo, hi); ahead.has(c); c = mid(lo, hi)) {
              if (ahead.get(c)! > cl) hi = c;
              else lo = c;
            }
          one.push(lo, hi, cl);
          brackets.push(aheadLog.get(lo) ?? NaN, aheadLog.get(hi) ?? NaN);
          continue;
        }
        if (hi - lo <= 1e-13 * hi) {
          // A cluster: its modes' widths are not resolved here; the narrowest possible (0) keeps it out of the
          // panels' peak maps, and NaN amplitudes keep it out of the negligible-mode estimate (it is integrated, not
          // skipped).
          for (let k = cl; k < ch; k++) {
            omega[k] = Math.sqrt(Math.max(0.5 * (lo + hi), 0));
            halfWidth[k] = 0;
            bathAmp2.fill(NaN, 2 * k, 2 * k + 2);
            endRegular.fill(NaN, 2 * k, 2 * k + 2);
            m++;
          }
          continue;
        }
        split.push([lo, hi, cl, ch]);
      }
      // The midpoints not counted ahead, L per sweep; the last sweep's free lanes count ahead.
      pending.length = 0;
      for (const [lo, hi] of split) if (!ahead.has(mid(lo, hi))) pending.push([lo, hi]);
      const P = pending.length;
      for (let i0 = 0; i0 < P; i0 += L) {
        let used = Math.min(L, P - i0);
        for (let l = 0; l < used; l++) lam[l] = mid(pending[i0 + l][0], pending[i0 + l][1]);
        // The halves of this sweep's intervals, breadth first, while lanes are free.
        for (let q = i0; used < L && q < pending.length; q++) {
          const [lo, hi] = pending[q];
          const c = mid(lo, hi);
          pending.push([lo, c]);
          lam[used++] = mid(lo, c);
          if (used === L) break;
          pending.push([c, hi]);
          lam[used++] = mid(c, hi);
        }
        for (let l = used; l < L; l++) lam[l] = lam[used - 1];
        pencil.countLanes(lam, used);
        for (let l = 0; l < used; l++) {
          ahead.set(lam[l], out.negative[l]);
          aheadLog.set(lam[l], out.logDet[l]);
        }
      }
      const next: [number, number, number, number][] = [];
      for (const [lo, hi, cl, ch] of split) {
        const c = mid(lo, hi);
        const cm = Math.min(Math.max(ahead.get(c)!, cl), ch);
        next.push([lo, c, cl, cm], [c, hi, cm, ch]);
      }
      level = next;
    }
    // Each isolated mode's product bound (see chainModes), with a margin of 10 for the determinants' rounding.
    for (let i = 0; i < one.length / 3; i++) {
      const ln = lnProdB + Math.log(one[3 * i + 1] - one[3 * i]) - Math.min(brackets[2 * i], brackets[2 * i + 1]);
      const bound = 10 * Math.exp(ln);
      if (Number.isFinite(bound)) productBound[one[3 * i + 2]] = bound;
    }
    // The brackets lowest first (the order of the modes' records).
    const byCount = Int32Array.from({ length: one.length / 3 }, (_, i) => i).sort(
      (x, y) => one[3 * x + 2] - one[3 * y + 2],
    );
    const unsorted = one.slice();
    byCount.forEach((i, j) => {
      for (let c = 0; c < 3; c++) one[3 * j + c] = unsorted[3 * i + c];
    });
    // The modes whose product bound makes their share negligible, smallest first, while their summed share bound
    // stays within the budget and each is at most UNLOCATE_EACH of it (the windows come lowest first: without this
    // cap the middle of the band, whose bounds are larger, would use up the budget that the many far smaller bounds
    // higher up need; at 32 768 sites 507 modes unlocated without it, 1154 with it): not located (no Laguerre or
    // reverse sweeps). Their frequency is the bracket's midpoint (the phase check in ChainPoles.complete takes each as
    // a step of pi there); negligibleModes skips them.
    if (unlocateBudget > 0) {
      const I = one.length / 3;
      const candidates: number[] = [];
      for (let i = 0; i < I; i++) if (Number.isFinite(productBound[one[3 * i + 2]])) candidates.push(i);
      candidates.sort((x, y) => productBound[one[3 * x + 2]] - productBound[one[3 * y + 2]]);
      const drop = new Uint8Array(I);
      const shares: number[] = [];
      for (const i of candidates) {
        const s = shareOfBound * productBound[one[3 * i + 2]];
        if (!(unlocatedShare + s <= unlocateBudget && s <= UNLOCATE_EACH * unlocateBudget)) break;
        unlocatedShare += s;
        drop[i] = 1;
        shares.push(i, s);
      }
      // Each one's half-width bound (see chainModes) from the slopes of the ends' Green's functions at its bracket's
      // midpoint (a reduced sweep from either end, L brackets per sweep, which also gives the Sturm count there); the
      // smallest bound so far is kept, and a mode whose bound is still broad against the phase check's grid has its
      // bracket halved by that count and is taken up again (after every other candidate's turn, so the lanes stay
      // full), up to UNLOCATE_REFINE times; then it is located after all (its share returned to the budget).
      const D = shares.length / 2;
      const refine = chainModesTesting.unlocatedWidth === false ? 0 : UNLOCATE_REFINE;
      const best = new Float64Array(D).fill(Infinity);
      const halvings = new Uint8Array(D);
      const waitingBound: number[] = Array.from({ length: D }, (_, q) => q);
      const batch = new Int32Array(L);
      for (let head = 0; head < waitingBound.length;) {
        const used = Math.min(L, waitingBound.length - head);
        for (let l = 0; l < used; l++) batch[l] = waitingBound[head++];
        for (let l = 0; l < L; l++) {
          const i = shares[2 * batch[Math.min(l, used - 1)]];
          lam[l] = 0.5 * (one[3 * i] + one[3 * i + 1]);
        }
        pencil.slopeLanes(lam, true, used);
        for (let l = 0; l < used; l++) startSlope[l] = out.endSlope[l];
        pencil.slopeLanes(lam, false, used);
        for (let l = 0; l < used; l++) {
          const q = batch[l];
          const i = shares[2 * q];
          const [lo, hi, k] = [one[3 * i], one[3 * i + 1], one[3 * i + 2]];
          const h2 = 0.25 * (hi - lo) * (hi - lo);
          best[q] = Math.min(best[q], 5 * h2 * (g0 * startSlope[l] + g1 * out.endSlope[l]));
          if (chainModesTesting.unlocatedWidth === false) continue;
          // The count at the midpoint halves the bracket in any case (the phase check's grid points are moved out of
          // the unlocated modes' brackets: narrower ones leave gaps between neighbours).
          if (out.negative[l] > k) one[3 * i + 1] = lam[l];
          else one[3 * i] = lam[l];
          const whi = Math.sqrt(Math.max(one[3 * i + 1], 0));
          if (best[q] <= (UNLOCATE_WIDTH * Math.sqrt(Math.max(hi, 0))) / PHASE_GRID) {
            unlocatedBracket[3 * k] = Math.sqrt(Math.max(one[3 * i], 0));
            unlocatedBracket[3 * k + 1] = whi;
            unlocatedBracket[3 * k + 2] = best[q];
          } else if (halvings[q] < refine) {
            halvings[q]++;
            waitingBound.push(q);
          } else {
            drop[i] = 0;
            unlocatedShare -= shares[2 * q + 1];
          }
        }
      }
      let j = 0;
      for (let i = 0; i < I; i++) {
        if (drop[i]) {
          const k = one[3 * i + 2];
          omega[k] = Math.sqrt(Math.max(0.5 * (one[3 * i] + one[3 * i + 1]), 0));
          unlocated[k] = 1;
          m++;
          continue;
        }
        for (let c = 0; c < 3; c++) one[3 * j + c] = one[3 * i + c];
        j++;
      }
      one.length = 3 * j;
    }
    const K = one.length / 3;
    const a = new Float64Array(K);
    const b = new Float64Array(K);
    const x = new Float64Array(K);
    const uEnd = new Float64Array(K);
    // r'' of the last pivot at the root (the end's Green's function beside the mode's pole: endRegular).
    const cEnd = new Float64Array(K);
    const iters = new Int32Array(K);
    // 0: Laguerre steps; 1: one more sweep at x for the end weight; 2: done.
    const phase = new Uint8Array(K);
    for (let i = 0; i < K; i++) {
      a[i] = one[3 * i];
      b[i] = one[3 * i + 1];
      x[i] = 0.5 * (a[i] + b[i]);
    }
    const plain = chainModesTesting.plainStarts;
    const neighbours = plain
      ? 0
      : Math.min(chainModesTesting.neighbours ?? LAGUERRE_NEIGHBOURS, Math.floor((n - 2) / 2));
    /**
     * One eigenvalue in (a, b]: safeguarded Laguerre steps on the determinant (a polynomial of degree n with real
     * roots: cubic convergence to a neighbouring root from any point; the Sturm count keeps the bracket). Takes the
     * sweep at x[i]; returns true when the mode's forward sweeps are done.
     *
     * Laguerre's step is exact for a polynomial whose other roots coincide; the chain's other eigenvalues lie on both
     * sides, the nearest at random distances (localised modes do not repel), and from the bracket's midpoint the
     * first step ends a median 1e-2 of the bracket from the root (8192 sites, masses 1 +- 50 %). The neighbours'
     * current estimates x_j (up to LAGUERRE_NEIGHBOURS on either side) are divided out, as in the simultaneous
     * root-finding of Aberth and Ehrlich: their terms 1 / (x - x_j) and 1 / (x - x_j)^2 leave G = (ln det)' and the
     * curvature, and the degree drops by one each (at a degree in the thousands the step is nearly 1 / sqrt of the
     * curvature, G giving its sign: the neighbours' squares are what counts). The modes of a window take their
     * sweeps in turn (each mode's next sweep after every other unfinished mode's), so the neighbours' estimates
     * improve together. The Sturm count still keeps the bracket, and the stopping rule (and the end weight taken) is
     * unchanged.
     */
    const laguerre = (
      i: number,
      negative: number,
      G: number,
      curvature: number,
      endWeight: number,
      endCurvature: number,
    ): boolean => {
      const xi = x[i];
      if (negative > one[3 * i + 2]) b[i] = xi;
      else a[i] = xi;
      let degree = n;
      for (let d = 1; d <= neighbours; d++) {
        for (let j = i - d; j <= i + d; j += 2 * d) {
          // (An estimate too close to divide out without cancellation is left in.)
          if (j < 0 || j >= K || !(Math.abs(xi - x[j]) > 1e-8 * Math.abs(xi))) continue;
          const t = 1 / (xi - x[j]);
          G -= t;
          curvature -= t * t;
          degree--;
        }
      }
      const root = Math.sqrt(Math.max((degree - 1) * (degree * curvature - G * G), 0));
      // The two signs approximate the nearest roots on either side; take the one in the bracket (the larger
      // denominator, the nearer root, first).
      const near = xi - degree / (G >= 0 ? G + root : G - root);
      const far = xi - degree / (G >= 0 ? G - root : G + root);
      const next = near > a[i] && near < b[i] ? near : far;
      // Cubic convergence: after a step below 1e-12 the error is at rounding level. (x may sit on an end of the
      // bracket after this sweep's count: a step of zero there is convergence, not an exit.)
      if (Math.abs(next - xi) <= 1e-12 * Math.abs(xi)) {
        // The end weight of this sweep stands for the root's (it moves by ~1e-12 relative).
        uEnd[i] = endWeight;
        cEnd[i] = endCurvature;
        if (next >= a[i] && next <= b[i]) x[i] = next;
        // (A NaN end weight: one more sweep at x.)
        phase[i] = Number.isNaN(endWeight) ? 1 : 2;
        return phase[i] === 2;
      }
      iters[i]++;
      if (!(next > a[i] && next < b[i])) {
        x[i] = 0.5 * (a[i] + b[i]);
        if (b[i] - a[i] <= 4e-16 * b[i]) {
          phase[i] = 1;
          return false;
        }
      } else x[i] = next;
      if (iters[i] >= 200) phase[i] = 1;
      return false;
    };
    // The modes waiting for a sweep, in turn (plain: each mode keeps its lane until it is done).
    const queue = Int32Array.from({ length: K }, (_, q) => q);
    const waiting: number[] = plain ? [] : Array.from(queue);
    let head = 0;
    const slot = new Int32Array(L).fill(-1);
    let queued = 0;
    for (;;) {
      let used = 0;
      for (let l = 0; l < L; l++) {
        if (slot[l] < 0) {
          if (!plain && head < waiting.length) slot[l] = waiting[head++];
          else if (plain && queued < K) slot[l] = queue[queued++];
        }
        if (slot[l] >= 0) used++;
      }
      chainModesTesting.forwardSweeps += used;
      if (used === 0) break;
      let pad = 0;
      for (let l = 0; l < L; l++) if (slot[l] >= 0) pad = x[slot[l]];
      for (let l = 0; l < L; l++) lam[l] = slot[l] >= 0 ? x[slot[l]] : pad;
      pencil.sweepLanes(lam, false, used);
      for (let l = 0; l < L; l++) {
        const i = slot[l];
        if (i < 0) continue;
        if (phase[i] === 1) {
          uEnd[i] = out.endWeight[l];
          cEnd[i] = out.endCurvature[l];
          phase[i] = 2;
          slot[l] = -1;
        } else if (
          laguerre(i, out.negative[l], out.logDerivative[l], out.logCurvature[l], out.endWeight[l], out.endCurvature[l])
        )
          slot[l] = -1;
        if (!plain && slot[l] >= 0) {
          waiting.push(i);
          slot[l] = -1;
        }
      }
    }
    // The other end's weight: sweeps from the last site, L modes at a time (the end weight only: the reduced kernel).
    const uStart = new Float64Array(K);
    const cStart = new Float64Array(K);
    for (let i0 = 0; i0 < K; i0 += L) {
      const used = Math.min(L, K - i0);
      for (let l = 0; l < L; l++) lam[l] = x[i0 + Math.min(l, used - 1)];
      pencil.endWeightLanes(lam, true, used);
      for (let l = 0; l < used; l++) {
        uStart[i0 + l] = out.endWeight[l];
        cStart[i0 + l] = out.endCurvature[l];
      }
    }
    let share = 0;
    for (let i = 0; i < K; i++) {
      const k = one[3 * i + 2];
      const ue = Math.max(uEnd[i], 0);
      const us = Math.max(uStart[i], 0);
      omega[k] = Math.sqrt(Math.max(x[i], 0));
      const g = g0 * us + g1 * ue;
      halfWidth[k] = g / 2;
      bathAmp2[2 * k + first] = us;
      bathAmp2[2 * k + 1 - first] = ue;
      // The regular part -r'' u^4 / 2 of 1 / r_end (r_end: the last pivot of a sweep towards that end).
      endRegular[2 * k + first] = -0.5 * cStart[i] * uStart[i] * uStart[i];
      endRegular[2 * k + 1 - first] = -0.5 * cEnd[i] * uEnd[i] * uEnd[i];
      if (g > 0) share += (g0 * us * g1 * ue) / g;
      if (isDecoupled(g, sys) && decoupledAt === undefined) decoupledAt = omega[k];
      m++;
    }
    return share;
  };
  let located = n;
  let screened: ChainScreen | undefined;
  if (!screen) {
    locate(0, top, 0, n);
  } else {
    const S = SCREEN_SAMPLES;
    const lam = new Float64Array(S + 1);
    const count = new Int32Array(S + 1);
    const growth = new Float64Array(S + 1);
    let mmin = Infinity;
    for (const x of sys.mass) mmin = Math.min(mmin, x);
    const perMode = (Math.max(g0, g1) / mmin) * screen.dT;
    for (let j = 1; j <= S; j++) lam[j] = j === S ? top : ((Math.sqrt(top) * j) / S) ** 2;
    // The growth from either end, SWEEP_LANES samples per pass.
    const L = SWEEP_LANES;
    const at = new Float64Array(L);
    const fromEnd = new Float64Array(L);
    for (let j0 = 1; j0 <= S; j0 += L) {
      const used = Math.min(L, S + 1 - j0);
      for (let l = 0; l < L; l++) at[l] = lam[j0 + Math.min(l, used - 1)];
      pencil.growthLanes(at, true, used);
      fromEnd.set(pencil.lanes.growth);
      pencil.growthLanes(at, false, used);
      for (let l = 0; l < used; l++) {
        count[j0 + l] = Math.min(pencil.lanes.negative[l], n);
        growth[j0 + l] = 0.5 * (pencil.lanes.growth[l] + fromEnd[l]);
      }
    }
    count[S] = n;
    // Estimated current of every window (lam[j-1], lam[j]] and of everything above each window.
    // Resonances: n per-mode shares; background between them: transmission ~ exp(-2 L) (at most 1) over the
    // window's width / 2 pi; beyond the last sample (no modes, growth larger still) the last window's rate over
    // the band's width again.
    const background = (L: number) => Math.exp(Math.min(-(2 * L - 3 * Math.sqrt(2 * L) - 1), 0));
    const above = new Float64Array(S + 2);
    const wTop = Math.sqrt(top);
    above[S + 1] = (wTop / (2 * Math.PI)) * screen.dT * background(Math.max(growth[S], 0));
    for (let j = S; j >= 1; j--) {
      const L = Math.max(Math.min(growth[j - 1], growth[j]), 0);
      const est =
        (count[j] - count[j - 1]) * perMode * Math.exp(Math.min(-(L - 3 * Math.sqrt(L) - 1), 700)) +
        ((Math.sqrt(lam[j]) - Math.sqrt(lam[j - 1])) / (2 * Math.PI)) * screen.dT * background(L);
      above[j] = above[j + 1] + est;
    }
    if (n > MAX_SITES) {
      // The fewest modes any current could need: the transmission of two baths is at most 1, so the current is at
      // most |dT| omega_max / 2 pi. Each located mode costs ~6 real O(N) sweeps and its pole ~4 complex ones
      // (measured: 0.059-0.07 N us of CPU time per located mode at N = 10^5, masses 1 +- 50 %, on a loaded
      // machine: 8355 modes located, the count here, in 50-59 s; 0.074 N us at N = 32768). An ordered chain of
      // 10^5 sites (every mode located and carrying current) is estimated at ~12 min, and refused.
      const most = (0.01 * screen.tol * screen.dT * Math.sqrt(top)) / (2 * Math.PI);
      let j0 = 1;
      while (j0 < S && above[j0 + 1] > most) j0++;
      const seconds = count[j0] * n * 7e-8;
      if (seconds > 600) {
        throw new ModelError(
          `the fluxes of this ${n}-site chain need at least ${count[j0]} of its normal modes (those below frequency ${fmt(Math.sqrt(lam[j0]))}, not localised enough to be left out): an estimated ${fmt(seconds / 60)} min or more (refused beyond 10 min); beyond ${MAX_SITES} sites the transmission method takes chains whose disorder localises most of their modes`,
        );
      }
    }
    let share = 0;
    let j = 1;
    // Modes are left unlocated (their product bounds negligible) only on the pole path, once the lowest mode is
    // located and underdamped (an overdamped one: free ends, whose broad peaks keep their poles, broadForSkip), within
    // half of negligibleModes' budget (1 % of the tolerance) of the current located so far.
    const unlocate = screen.unlocate === true && chainModesTesting.unlocate && chainModesTesting.productBound;
    for (; j <= S; j++) {
      unlocateBudget = unlocate && m > 0 && !(halfWidth[0] > omega[0]) ? 0.005 * screen.tol * share : 0;
      share += screen.dT * locate(lam[j - 1], lam[j], count[j - 1], count[j]);
      if (count[j] < n && above[j + 1] <= 0.01 * screen.tol * share) break;
    }
    if (j <= S) {
      located = count[j];
      screened = { cutoff: Math.sqrt(lam[j]), skippedModes: n - located, flux: above[j + 1] };
    }
  }
  if (m !== located)
    throw new SteadyStateError(`the Sturm counts of the chain found ${m} of its ${located} modes (rounding)`);
  const om = located < n ? omega.slice(0, located) : omega;
  chainModesTesting.located?.(
    om,
    located < n ? bathAmp2.slice(0, 2 * located) : bathAmp2,
    located < n ? productBound.slice(0, located) : productBound,
    located < n ? unlocated.slice(0, located) : unlocated,
  );
  const hw = located < n ? halfWidth.slice(0, located) : halfWidth;
  const unl = located < n ? unlocated.slice(0, located) : unlocated;
  return {
    omega: om,
    halfWidth: hw,
    bathAmp2: located < n ? bathAmp2.slice(0, 2 * located) : bathAmp2,
    endRegular: located < n ? endRegular.slice(0, 2 * located) : endRegular,
    productBound: !chainModesTesting.productBound
      ? undefined
      : located < n
        ? productBound.slice(0, located)
        : productBound,
    unlocated: unl,
    unlocatedBracket: located < n ? unlocatedBracket.slice(0, 3 * located) : unlocatedBracket,
    roundingShare: sharesOf(om, hw, pencilRounding(sys)),
    ...unresolvedModes(om, hw, unl),
    decoupledAt,
    counts: pencil.counts,
    screen: screened,
  };
}

/**
 * The resonances of a two-terminal chain (fluxes only) integrated from their complex poles. The Landauer integrand
 * f(w) = w^2 |G_0n(w)|^2 = w^2 G_0n(w) G_0n(-w) is a rational function of w; with z a pole of G_0n (Im z < 0) and
 * R its residue of f, the poles z, -conj z, conj z, -z of f contribute the singular part
 *   S(w) = 2 Re[R / (w - z)] - 2 Re[R / (w + z)] = 2 Re[2 z R / (w^2 - z^2)]       (w real),
 * whose integral is closed-form: int_0^X S = 2 Re[R (Log(X - z) - Log(X + z) - Log(-z) + Log(z))] (2 pi Im R for
 * X = infinity). The quadrature then integrates f - sum S over the real axis: the peaks are gone, the remainder is
 * smooth between the poles that were not subtracted, and a few coarse panels resolve it.
 *
 * Each pole is found by Newton steps on ln det A(w) of the damped pencil (one complex O(N) sweep each) from
 * chainPoleStart's estimate for a located mode (where it applies; else the first-order position w_nu - i Gamma_nu / 2),
 * and accepted when it converged within a quarter of the gap to the neighbouring modes of the first-order position
 * (the damped pole of this mode, not of a neighbour); the residue comes from the same sweep
 * (R = z^2 prod b / det'(z) G_0n(-z), one more sweep at -z). A mode whose pole is not accepted (resonances
 * overlapping their neighbours) keeps its peak panels.
 */
/**
 * Newton's start for the pole of a chain's mode (ChainPoles): frequency w = sqrt(lambda), half-width h, and at the two
 * ends (baths of friction g0, g1) u_b^2 and the regular parts R_b of the undamped Green's function (ModeData's
 * bathAmp2 and endRegular). The damping is a rank-two term at the ends, so det A(z) is det(V - z^2 M) times
 * det(I - i z Gamma G0(z^2)) with G0 the undamped Green's function's 2 x 2 end block. Near lambda,
 * G0_bb = u_b^2 / (lambda - z^2) + R_b, G0_0n = u_0 u_n / (lambda - z^2) + (its regular part, exponentially small
 * in a chain whose modes are localised: left out), and the determinant lemma leaves the scalar equation
 *   lambda - z^2 - i z sum_b g_b u_b^2 / (1 - i z g_b R_b) = 0,
 * solved by fixed-point steps from the first-order pole sqrt(lambda - h^2) - i h (R = 0). The R_b shift the pole by
 * about h w g R from that (first order in h, where the first-order pole's error is): measured on a 32 768-site chain
 * (masses 1 +- 50 %) the start is 10^2-10^5 times closer to the pole. The remaining error comes from R's change
 * between lambda and z^2 and from the neglected end-to-end term. Returns undefined (start from w - i h) where the
 * steps do not settle or the shift exceeds h (broad modes: the expansion does not hold).
 */
function chainPoleStart(
  w: number,
  h: number,
  g0: number,
  u0: number,
  r0: number,
  g1: number,
  u1: number,
  r1: number,
): [number, number] | undefined {
  const lam = w * w;
  let zr = Math.sqrt(Math.max(lam - h * h, 0));
  let zi = -h;
  for (let it = 0; it < 16; it++) {
    // S = sum_b g_b u_b^2 / (1 - i z g_b R_b); 1 - i z g R = (1 + zi g R) - i zr g R.
    const a0 = 1 + zi * g0 * r0;
    const b0 = -zr * g0 * r0;
    const a1 = 1 + zi * g1 * r1;
    const b1 = -zr * g1 * r1;
    const q0 = (g0 * u0) / (a0 * a0 + b0 * b0);
    const q1 = (g1 * u1) / (a1 * a1 + b1 * b1);
    const sr = q0 * a0 + q1 * a1;
    const si = -(q0 * b0 + q1 * b1);
    // z = (-i S + sqrt(4 lambda - S^2)) / 2, the root with Re z > 0.
    const dr = 4 * lam - (sr * sr - si * si);
    const di = -2 * sr * si;
    const mod = Math.hypot(dr, di);
    const rr = Math.sqrt(0.5 * (mod + dr));
    const ri = (di < 0 ? -1 : 1) * Math.sqrt(0.5 * Math.max(mod - dr, 0));
    const nr = 0.5 * (si + rr);
    const ni = 0.5 * (ri - sr);
    const step = Math.hypot(nr - zr, ni - zi);
    zr = nr;
    zi = ni;
    if (!Number.isFinite(step)) return undefined;
    if (step <= 4 * EPS * Math.hypot(zr, zi)) return Math.hypot(zr - w, zi + h) <= h && zi < 0 ? [zr, zi] : undefined;
  }
  return undefined;
}

/**
 * G_0n(-z) at a chain pole z (Im z < 0) as the pole found by Newton's iteration sees it (ChainPoles' residues). The
 * residue of f(w) = w^2 G_0n(w) G_0n(-w) at z is R = z^2 a b with a the residue of G_0n at z and b = G_0n(-z) =
 * conj G_0n(conj z): b is evaluated a distance 2 |Im z| from the pole, so where rounding moves that pole by delta as
 * seen from the sweep at -z (a different rounding pattern from the sweeps at z that located it), b changes by
 * delta / (2 Im z) of itself: a rotation of R whose real part (the dispersive tail Re R / (w - Re z)) is then
 * wrong by |R| delta / (2 |Im z|), whatever the accuracy of the content Im R. At the lowest modes of a 10^5-site
 * chain (omega ~ 2e-3, half-widths ~ 1e-10, delta ~ 4e-15) that was 2.4e-5 |R| against a true Re R of 5e-7 |R|
 * (34-digit residues): the remainder the quadrature integrates kept a tail of 2.4e-5 times the peak's height at
 * 100 widths, hit at random by the nodes (3.8e-8 of a 1.5e-5 integrand at one node).
 *
 * Near the pole conj z of w -> G_0n(-w), G_0n(-w) = conj(a) / (w - p) + g with g smooth; the sweep at -z gives its
 * value b and derivative b L (L = (ln det)'(-z)), so (z - p)^2 = -conj(a) / (b L) (g' left out: relative
 * (2 Im z)^2 g' / a), and b re-centred on Newton's pole is b + conj(a) (1 / (2 i Im z) - 1 / (z - p)). Applied only
 * where the shift z - p - 2 i Im z found is within `bound` (the pole's rounding displacement: poleRounding's
 * numerator plus the eigenvalue's rounding) and a tenth of 2 |Im z|: a larger one is not rounding (neighbouring poles,
 * whose g' the model leaves out), and b is kept. And only where that bound reaches MIRROR_SHARE of 2 |Im z| (rounding
 * can turn R by that much): below, the left-out g' weighs as much as the rounding (on the 10^5-site chain, applied
 * everywhere, it moved the contents of narrow poles with half-width / gap ~ 5e-4 by up to 8e-7, 2e-13 of J in sum).
 * a = (aRe, aIm) 2^aLog, b = (bRe, bIm) 2^bLog; returns b in units of 2^bLog.
 */
const MIRROR_SHARE = 1e-4;
function mirrorValue(
  zi: number,
  aRe: number,
  aIm: number,
  aLog: number,
  bRe: number,
  bIm: number,
  bLog: number,
  lRe: number,
  lIm: number,
  bound: number,
): [number, number] {
  // Only where rounding can turn R by MIRROR_SHARE or more (see there).
  if (!(bound >= MIRROR_SHARE * 2 * -zi)) return [bRe, bIm];
  const s = 2 ** (aLog - bLog);
  // conj(a) in units of 2^bLog.
  const cr = s * aRe;
  const ci = -s * aIm;
  // q = -conj(a) / (b L).
  const dr = bRe * lRe - bIm * lIm;
  const di = bRe * lIm + bIm * lRe;
  const dd = dr * dr + di * di;
  const qr = -(cr * dr + ci * di) / dd;
  const qi = -(ci * dr - cr * di) / dd;
  const mod = Math.hypot(qr, qi);
  let sr = Math.sqrt(0.5 * (mod + qr));
  let si = (qi < 0 ? -1 : 1) * Math.sqrt(0.5 * Math.max(mod - qr, 0));
  // The root near z - conj z = 2 i Im z.
  if (si * zi < 0) {
    sr = -sr;
    si = -si;
  }
  // (At most a tenth of the distance 2 |Im z|: beyond, the first-order picture of a shifted pole does not hold.)
  const shift = Math.hypot(sr, si - 2 * zi);
  if (!(shift <= Math.min(bound, -0.2 * zi)) || !Number.isFinite(sr + si + cr + ci)) return [bRe, bIm];
  // conj(a) (1 / (2 i zi) - 1 / (sr + i si)).
  const ss = sr * sr + si * si;
  const tr = -sr / ss;
  const ti = -1 / (2 * zi) + si / ss;
  return [bRe + cr * tr - ci * ti, bIm + cr * ti + ci * tr];
}

/** ChainPoles: the poles found for the modes within this many places deflate a mode's Newton iteration. */
const DEFLATE = 32;
/** ChainPoles: how many blocked modes a mode may start ahead of (see the constructor). */
const LOOK_AHEAD = 1024;
/**
 * The frequency below which an overdamped lowest mode's transmission falls to zero: its slow pole, at about
 * -i w0^2 / (2 h0) (half-width h0 above the frequency w0; a free-ended chain pinned weakly). The remainder after the
 * poles drops there from its plateau to zero, a step that the linear panels across the band never sample (free
 * ends pinned by 1e-6, 600 sites: 3.7e-8 of the current, 5x the reported error at tolerance 1e-8); modePanels puts
 * log panels under it. 0 (none) when the lowest mode is underdamped.
 */
function lowFrequencyScale(modes: ModeData): number {
  const w0 = modes.omega[0];
  const h0 = modes.halfWidth[0];
  return w0 > 0 && h0 > w0 ? (w0 * w0) / (2 * h0) : 0;
}
/**
 * The same for any network integrated from its normal modes' panels: the smallest w^2 / (2 h) of its overdamped modes
 * (half-width above the frequency), 0 where none is. A heavy site tied by a soft spring to a light one at a large
 * friction (friction/mass 2.7e5, 64 times the highest frequency) had a mode at 5.2e-4 of half-width 1294: its slow
 * pole at 1.05e-10 is a step of the bath fluxes' integrands there (from a plateau of 8e-6 to 0), inside the first
 * linear panel, which never sampled it: two bath fluxes of 0.00898 were off by 7.7e-14, 309 times their errors.
 */
function slowestOverdampedScale(modes: ModeData): number {
  let low = 0;
  for (let k = 0; k < modes.omega.length; k++) {
    const w = modes.omega[k];
    const h = modes.halfWidth[k];
    if (w > 0 && h > w) {
      const s = (w * w) / (2 * h);
      if (!(low > 0) || s < low) low = s;
    }
  }
  return low;
}
/**
 * Chains integrated from their poles, with an overdamped lowest mode (free ends: lowFrequencyScale > 0): a mode whose
 * half-width is at least this fraction of the gap to its nearest neighbour keeps its pole even where negligibleModes
 * would skip it. The Breit-Wigner share of such a peak (most of them modes at a damped end, overlapping their
 * neighbours) understated what the peak left in the remainder, which the panels across the band do not resolve:
 * free-ended chains of 400 sites, masses 1 +- 50 %, tolerance 1e-6 were off by up to 5x the reported error. A
 * calibration, not a bound: with it and the low-frequency panels the actual error stayed below 0.75 of the reported
 * one on 48 free-ended chains (400, 600 sites, masses 1 +- 50, 90 %, tolerances 1e-6, 1e-8) and below 1.1 on 36
 * others (500, 800 sites, +- 30, 70 %, 1e-6 to 1e-8). Not applied to fixed ends, which were not understated: there
 * subtracting those poles made one chain worse (400 sites, +- 50 %, tolerance 1e-6: 1e-4 off).
 */
const POLE_SKIP_BROAD = 0.01;
function broadForSkip(modes: ModeData, k: number): boolean {
  const w = modes.omega;
  const M = w.length;
  const gap = Math.min(k > 0 ? w[k] - w[k - 1] : w[k], k + 1 < M ? w[k + 1] - w[k] : Infinity);
  return modes.halfWidth[k] >= POLE_SKIP_BROAD * gap;
}
/** Chains integrated from their poles: linear panels across the band at least. */
const POLE_PANELS = 32;
/** ChainPoles.complete: phase samples across the band, and at most this many poles added. */
const PHASE_GRID = 64;
const PHASE_ADD_MAX = 64;
/** Thrown by ChainPoles' constructor when not strict (see there). */
const RETRY_STRICT = Symbol("retry strict");
/**
 * For tests only (not part of the library's interface): ChainPoles' rerun in strict order happens only where a
 * residue comes out not finite, which no ordinary chain produces. `residueFault(k, leaned)` returning true makes the
 * residue of mode k's pole NaN (leaned: a mode after it nearby has started with its pole among its deflating ones);
 * `strictOnly` runs the strict order from the start; `strictReruns` counts the reruns. `subtracted(re, im, count,
 * logDer)` is called with the poles to be subtracted (after the phase check) and d/dw ln det A(w) at a complex w from
 * the scalar sweep (not the lanes' kernels that found the poles), for checks independent of the search, and the
 * poles' residues with G_0n(w) at real w from the scalar sweep; `recorded` with each pole's start (see there).
 */
export const chainPolesTesting: {
  residueFault?: (k: number, leaned: boolean) => boolean;
  subtracted?: (
    re: Float64Array,
    im: Float64Array,
    count: number,
    logDer: (zr: number, zi: number) => [number, number],
    residues: { re: Float64Array; im: Float64Array; g0n: (w: number) => [number, number] },
  ) => void;
  /**
   * Called for every pole recorded (in the constructor, not the phase check's) with its mode k, Newton's start
   * (chainPoleStart's, or the first-order w - i h), the first-order position, the pole, and the complex sweeps of its
   * Newton iteration.
   */
  recorded?: (
    k: number,
    start: [number, number],
    firstOrder: [number, number],
    pole: [number, number],
    sweeps: number,
  ) => void;
  /** Newton starts from the first-order position w - i h for every mode (not chainPoleStart's). */
  firstOrderStart: boolean;
  /**
   * Modes whose pole is withheld: not searched, and left out of the phase check's prediction (a pole the search
   * missed, for the phase check to find).
   */
  withhold?: (k: number) => boolean;
  /** Called after the phase check with the poles it added, the drops it left unexplained and the intervals unchecked. */
  checked?: (added: number, missing: number, unchecked: number) => void;
  strictOnly: boolean;
  strictReruns: number;
} = { firstOrderStart: false, strictOnly: false, strictReruns: 0 };

class ChainPoles {
  readonly re: Float64Array;
  readonly im: Float64Array;
  readonly resRe: Float64Array;
  readonly resIm: Float64Array;
  count = 0;
  /** Per located mode: 1 if its pole was subtracted. */
  readonly subtracted: Uint8Array;
  /**
   * Per located mode: 1 if its peak needs panels of its own (a narrow peak whose pole was not accepted). A peak
   * wider than a quarter of the gap to its neighbours (a mode at a damped end) is smooth on the scale of that gap:
   * the adaptive quadrature of the remainder resolves it.
   */
  readonly panelled: Uint8Array;
  /** Modes whose pole Newton did not accept. */
  rejected = 0;
  /** Complex sweeps used. */
  sweeps = 0;
  /** Estimated error of the closed-form part (units of the integral of f): rounding of the pole positions. */
  error = 0;
  /** The largest rounding of an eigenvalue (pencilRounding). */
  private readonly dl: number;

  /** How far rounding may move the pole z (last: Newton's last step): mirrorValue's bound. */
  private shiftBound(zr: number, zi: number, last: number): number {
    const z = Math.hypot(zr, zi);
    return 4 * EPS * z + last + this.dl / (2 * z);
  }

  /** Poles found by the phase check (complete), and drops of the phase it could not account for. */
  added = 0;
  missing = 0;
  /** Phase-check intervals not looked into: unlocated modes' possible spread there could hide a drop (complete). */
  unchecked = 0;

  /**
   * The poles of a chain's located modes (see the class): the constructor's, run again in strict order in the rare
   * case that a mode whose pole deflated a later one's iteration gets no residue (see the constructor's `strict`).
   */
  static find(
    sys: NetworkSystem,
    order: Int32Array,
    modes: ModeData,
    want: (k: number) => boolean,
    top: number,
  ): ChainPoles {
    const withhold = chainPolesTesting.withhold;
    if (withhold) {
      const wanted = want;
      want = (k) => wanted(k) && !withhold(k);
    }
    try {
      return new ChainPoles(sys, order, modes, want, top, chainPolesTesting.strictOnly);
    } catch (e) {
      if (e !== RETRY_STRICT) throw e;
      chainPolesTesting.strictReruns++;
      return new ChainPoles(sys, order, modes, want, top, true);
    }
  }

  /**
   * top: the end of the integration (the screen's cutoff, or the top of the band): see complete(). strict: a mode
   * waiting for its sweep at -z blocks the modes after it nearby, as one running its Newton iteration does; not
   * strict, they start with its pole among their deflating ones (its position is final: only its residue is not
   * known yet), and if that residue turns out not finite (the pole is not recorded, and should not have deflated
   * them) the constructor throws RETRY_STRICT. The results are the same either way.
   */
  private constructor(
    sys: NetworkSystem,
    order: Int32Array,
    modes: ModeData,
    want: (k: number) => boolean,
    top: number,
    strict: boolean,
  ) {
    this.dl = pencilRounding(sys);
    const M = modes.omega.length;
    // Room for the poles the phase check adds.
    this.re = new Float64Array(M + PHASE_ADD_MAX);
    this.im = new Float64Array(M + PHASE_ADD_MAX);
    this.resRe = new Float64Array(M + PHASE_ADD_MAX);
    this.resIm = new Float64Array(M + PHASE_ADD_MAX);
    this.subtracted = new Uint8Array(M);
    this.panelled = new Uint8Array(M);
    const { pencil, first, g0, g1 } = chainInOrder(sys, order);
    const w = modes.omega;
    const amp2 = modes.bathAmp2;
    const regular = modes.endRegular;
    // Narrowest peaks first: their first-order poles are accurate (error ~ h^2 / gap), so Newton finds them
    // reliably; the broad ones (modes at a damped end, overlapping their neighbours) come last, deflated by the
    // poles already found near them.
    const byWidth = Int32Array.from({ length: M }, (_, k) => k).sort((a, b) => modes.halfWidth[a] - modes.halfWidth[b]);
    const poleOf = new Int32Array(M).fill(-1);
    const owner = new Int32Array(M);
    // Modes are started in this order, POLE_LANES at a time in one complex sweep, a mode only when every mode
    // started before it within DEFLATE places is finished (its pole deflates the mode's iteration whether or not
    // it is recorded yet: so its deflating poles, and the order the poles are recorded in, are those of one mode
    // after the other).
    type Job = {
      k: number;
      /** The deflating poles, (re, im) pairs. */
      near: number[];
      narrow: boolean;
      gap: number;
      zr: number;
      zi: number;
      /** Newton's start, and whether it is chainPoleStart's (else the first-order pole w - i h). */
      zr0: number;
      zi0: number;
      started: boolean;
      it: number;
      last: number;
      ok: boolean;
      /** 0: Newton steps; 1: the sweep at -z; 2: done. */
      phase: number;
      rejected: boolean;
      /** A mode after it nearby started while it waited for its sweep at -z (not strict). */
      leaned: boolean;
      aRe: number;
      aIm: number;
      aLog: number;
      rRe: number;
      rIm: number;
    };
    const L = POLE_LANES;
    // Newton's iterations run in `lanes`; a job whose Newton iteration was accepted waits for its sweep at -z, L at a
    // time: in `ends` where it needs only G_0n there (the reduced kernel, complexEndLanes: about half a sweep), in
    // `endsDer` where mirrorValue may re-centre it and needs (ln det)' there too (the full kernel). A job in `lanes`
    // is unfinished (it blocks the modes after it nearby, as below); one waiting for -z too if strict.
    const lanes: (Job | undefined)[] = new Array<Job | undefined>(L).fill(undefined);
    const ends: Job[] = [];
    const endsDer: Job[] = [];
    const started: Job[] = [];
    const zl = pencil.zLanes;
    const wr = new Float64Array(L);
    const wi = new Float64Array(L);
    /** Started jobs by mode until recorded. */
    const unrecorded = new Array<Job | undefined>(M).fill(undefined);
    const willRecord = (job: Job) => !job.rejected && Number.isFinite(job.rRe + job.rIm);
    const record = (job: Job) => {
      const { k, zr, zi } = job;
      unrecorded[k] = undefined;
      if (!willRecord(job)) {
        this.rejected++;
        this.panelled[k] = 1;
        return;
      }
      const c = this.count++;
      this.re[c] = zr;
      this.im[c] = zi;
      this.resRe[c] = job.rRe;
      this.resIm[c] = job.rIm;
      this.subtracted[k] = 1;
      chainPolesTesting.recorded?.(k, [job.zr0, job.zi0], [w[k], -modes.halfWidth[k]], [zr, zi], job.it + 1);
      poleOf[k] = c;
      owner[c] = k;
      // Rounding moves the pole by ~eps |z| (and the last step's size): a relative error ~ that over the peak's
      // half-width in its content (as the peak panels' systematic estimate); where the eigenvalue's rounding
      // moves it further, that share (poleRounding).
      this.error += 2 * Math.PI * Math.hypot(job.rRe, job.rIm) * poleRounding(zr, zi, job.last, this.dl);
    };
    /**
     * A job's residue from the sweep at -z in lane l: G_0n(-z) = p / f_n there; R = z^2 a b (with `der`, the sweep
     * gave (ln det)' too, for mirrorValue).
     */
    const residue = (job: Job, l: number, der: boolean) => {
      const { zr, zi, aRe, aIm } = job;
      const ff = zl.lastRe[l] * zl.lastRe[l] + zl.lastIm[l] * zl.lastIm[l];
      // b = G_0n(-z), re-centred on Newton's pole (mirrorValue).
      const [bRe, bIm] = mirrorValue(
        zi,
        aRe,
        aIm,
        job.aLog,
        (zl.pRe[l] * zl.lastRe[l] + zl.pIm[l] * zl.lastIm[l]) / ff,
        (zl.pIm[l] * zl.lastRe[l] - zl.pRe[l] * zl.lastIm[l]) / ff,
        zl.pLog2[l],
        zl.logDerRe[l],
        zl.logDerIm[l],
        der ? this.shiftBound(zr, zi, job.last) : 0,
      );
      const scale = 2 ** (job.aLog + zl.pLog2[l]);
      const abRe = aRe * bRe - aIm * bIm;
      const abIm = aRe * bIm + aIm * bRe;
      const z2Re = zr * zr - zi * zi;
      const z2Im = 2 * zr * zi;
      job.rRe = scale * (z2Re * abRe - z2Im * abIm);
      job.rIm = scale * (z2Re * abIm + z2Im * abRe);
      if (chainPolesTesting.residueFault?.(job.k, job.leaned)) job.rRe = NaN;
      job.phase = 2;
      if (job.leaned && !willRecord(job)) throw RETRY_STRICT;
    };
    /** Newton's iteration of a job has ended: accepted (then its sweep at -z follows) or rejected. */
    const endNewton = (job: Job) => {
      const { k, zr, zi, near } = job;
      // Accepted: Newton converged to a zero of the determinant in the lower half plane, for a narrow peak within a
      // quarter of the gap of its first-order position (its own pole), for a broad one within a few widths, and
      // distinct from the poles found nearby.
      let distinct = true;
      for (let j = 0; j < near.length; j += 2)
        if (Math.hypot(zr - near[j], zi - near[j + 1]) <= 1e-9 * Math.hypot(zr, zi)) distinct = false;
      const h = modes.halfWidth[k];
      const reach = job.narrow ? 0.25 * job.gap : 4 * h;
      if (!job.ok || !distinct || !(zi < 0) || !(zr > 0) || Math.hypot(zr - w[k], zi + h) > reach) {
        job.rejected = true;
        job.phase = 2;
      } else job.phase = 1;
    };
    // Modes are taken in byWidth order; one may start ahead of earlier ones (up to LOOK_AHEAD of them) when no
    // earlier mode within DEFLATE places is unfinished or still to start: its deflating poles are then those of one
    // mode after the other, and the poles are recorded in byWidth order (started is kept in it), so the results are
    // those of the sequential order to the bit, with more lanes busy.
    let next = 0;
    const taken = new Uint8Array(M);
    const rank = new Int32Array(M);
    byWidth.forEach((k, i) => (rank[k] = i));
    /** The job of mode k, or undefined if it is none (not wanted, no width, no gap: consumed without a pole). */
    const jobOf = (k: number): Job | undefined => {
      const h = modes.halfWidth[k];
      if (!want(k) || !(h > 0) || !(w[k] > 0)) return undefined;
      // A peak too narrow to resolve on the real axis (2h below 1e-12 of its frequency, down to below the
      // spacing of doubles) is integrated from its pole too: the damped recurrence keeps Im f_k accurate to
      // rounding however small it is, so Newton finds the pole and the residue its content, which the panels
      // could not (the guard leaves such a peak out). Where rounding of the position is comparable with
      // Im z the pole's error estimate (see record) is its whole content, or more.
      const gap = Math.min(k > 0 ? w[k] - w[k - 1] : w[k], k + 1 < M ? w[k + 1] - w[k] : Infinity);
      if (!(gap > 0)) return undefined;
      // Newton starts from the pole of the mode coupled to its ends' Green's functions (chainPoleStart) where that
      // applies; acceptance (endNewton) still measures from the first-order position w - i h.
      // Only for a narrow peak: where peaks overlap (modes at a damped end), the poles mix and the expansion of
      // chainPoleStart does not hold; Newton's iteration from w - i h finds them as before.
      const narrow = h < 0.25 * gap;
      const start =
        narrow && regular && !chainPolesTesting.firstOrderStart
          ? chainPoleStart(
              w[k],
              h,
              g0,
              amp2[2 * k + first],
              regular[2 * k + first],
              g1,
              amp2[2 * k + 1 - first],
              regular[2 * k + 1 - first],
            )
          : undefined;
      return {
        k,
        near: [],
        narrow,
        gap,
        zr: start ? start[0] : w[k],
        zi: start ? start[1] : -h,
        zr0: start ? start[0] : w[k],
        zi0: start ? start[1] : -h,
        started: start !== undefined,
        it: 0,
        last: Infinity,
        ok: false,
        phase: 0,
        rejected: false,
        leaned: false,
        aRe: 0,
        aIm: 0,
        aLog: 0,
        rRe: 0,
        rIm: 0,
      };
    };
    // The modes skipped in one scan for a mode to start, in buckets of DEFLATE modes (a skipped mode blocks the
    // modes within DEFLATE places of it: those in its bucket and the two beside it).
    const buckets = Math.floor(M / DEFLATE) + 1;
    const waitStamp = new Int32Array(buckets).fill(-1);
    const waitList: number[][] = Array.from({ length: buckets }, () => []);
    let scan = 0;
    let waiting = 0;
    const waitBlocks = (k: number): boolean => {
      const b = Math.floor(k / DEFLATE);
      for (let c = Math.max(b - 1, 0); c <= Math.min(b + 1, buckets - 1); c++)
        if (waitStamp[c] === scan && waitList[c].some((j) => Math.abs(j - k) <= DEFLATE)) return true;
      return false;
    };
    const wait = (k: number): void => {
      const b = Math.floor(k / DEFLATE);
      if (waitStamp[b] !== scan) {
        waitStamp[b] = scan;
        waitList[b].length = 0;
      }
      waitList[b].push(k);
      waiting++;
    };
    /** Jobs by mode (created once: a mode may be skipped by many scans before it starts). */
    const jobs = new Array<Job | null | undefined>(M).fill(undefined);
    for (;;) {
      // Start modes while lanes are free (see above).
      for (let l = 0; l < L && next < byWidth.length; l++) {
        if (lanes[l]) continue;
        let job: Job | undefined;
        scan++;
        waiting = 0;
        for (let i = next; i < byWidth.length && waiting < LOOK_AHEAD && !job; i++) {
          if (taken[i]) continue;
          const k = byWidth[i];
          if (jobs[k] === undefined) jobs[k] = jobOf(k) ?? null;
          const candidate = jobs[k];
          if (!candidate) {
            taken[i] = 1;
            continue;
          }
          // Blocked by an earlier mode nearby still running (the lanes hold exactly the unfinished jobs) or
          // skipped in this scan.
          const blocks = (o: Job | undefined) => o !== undefined && rank[o.k] < i && Math.abs(o.k - k) <= DEFLATE;
          if (lanes.some(blocks) || (strict && (ends.some(blocks) || endsDer.some(blocks))) || waitBlocks(k)) {
            wait(k);
            continue;
          }
          taken[i] = 1;
          for (const o of ends) if (blocks(o)) o.leaned = true;
          for (const o of endsDer) if (blocks(o)) o.leaned = true;
          // Poles found already from the modes nearby deflate the determinant: Newton on det / prod (w - z_j)
          // (Maehly) does not converge to them again. Those recorded, and those of earlier modes finished but not
          // yet recorded (waiting for a slower one before them: the same poles, as record() will store them).
          for (let j = Math.max(0, k - DEFLATE); j < Math.min(M, k + DEFLATE + 1); j++) {
            if (poleOf[j] >= 0) candidate.near.push(this.re[poleOf[j]], this.im[poleOf[j]]);
            else {
              const o = unrecorded[j];
              if (o && rank[j] < i && willRecord(o)) candidate.near.push(o.zr, o.zi);
            }
          }
          job = candidate;
        }
        while (next < byWidth.length && taken[next]) next++;
        if (!job) break;
        lanes[l] = job;
        unrecorded[job.k] = job;
        // started in byWidth order.
        let at = started.length;
        while (at > 0 && rank[started[at - 1].k] > rank[job.k]) at--;
        started.splice(at, 0, job);
      }
      let used = 0;
      let pad: Job | undefined;
      for (const job of lanes)
        if (job) {
          used++;
          pad = job;
        }
      if (ends.length >= L || endsDer.length >= L) {
        // The sweeps at -z of the first L jobs waiting in one queue (the reduced kernel where no job needs
        // (ln det)' there: the same G_0n).
        const der = endsDer.length >= L;
        const batch = (der ? endsDer : ends).splice(0, L);
        for (let l = 0; l < L; l++) {
          wr[l] = -batch[l].zr;
          wi[l] = -batch[l].zi;
        }
        if (der) pencil.complexSweepLanes(wr, wi, g0, g1, L);
        else pencil.complexEndLanes(wr, wi, g0, g1, L);
        this.sweeps += L;
        batch.forEach((job, l) => residue(job, l, der));
      } else {
        // Newton steps; lanes they leave free (the lanes could not be filled) take jobs waiting for -z (the full
        // kernel gives the same G_0n).
        const extra = endsDer.splice(0, L - used);
        extra.push(...ends.splice(0, L - used - extra.length));
        if (!pad && extra.length === 0) break;
        let e = 0;
        for (let l = 0; l < L; l++) {
          const job = lanes[l] ?? extra[e] ?? pad ?? extra[0];
          if (!lanes[l] && e < extra.length) e++;
          wr[l] = job === lanes[l] ? job.zr : -job.zr;
          wi[l] = job === lanes[l] ? job.zi : -job.zi;
        }
        pencil.complexSweepLanes(wr, wi, g0, g1, used + extra.length);
        this.sweeps += used + extra.length;
        e = 0;
        for (let l = 0; l < L; l++) {
          const job = lanes[l];
          if (!job) {
            if (e < extra.length) residue(extra[e++], l, true);
            continue;
          }
          const { zr, zi } = job;
          let lr = zl.logDerRe[l];
          let li = zl.logDerIm[l];
          const near = job.near;
          for (let j = 0; j < near.length; j += 2) {
            const dr = zr - near[j];
            const di = zi - near[j + 1];
            const q = 1 / (dr * dr + di * di);
            lr -= dr * q;
            li += di * q;
          }
          const d = lr * lr + li * li;
          // Step -1 / (ln det)'.
          const sr = -lr / d;
          const si = li / d;
          if (!Number.isFinite(sr + si)) {
            endNewton(job);
          } else {
            const size = Math.hypot(sr, si);
            // At chainPoleStart's start, converged means a step at rounding level: one more step (from a start off
            // by 1e-14 |z| or less, where the first-order start was off by ~1e-8 and took its step) keeps the
            // poles' last steps, which enter their error over their half-widths (poleRounding), as small as before.
            const tight = job.it === 0 && job.started ? 4 * EPS : 1e-14;
            if (size <= tight * Math.hypot(zr, zi) || (size >= job.last && size <= 1e-11 * Math.hypot(zr, zi))) {
              // Converged (the last sweep is at the pole to rounding): the residue of G_0n at z from it,
              // prod b / det'(z) = p / (f_n (ln det)') (the sign (-1)^(n-1) cancels against G_0n(-z)'s). Not
              // p / f_n'(z), the same at the exact pole: it is prod b / (det_(n-1) f_n'), and det_(n-1) (the chain
              // without its last site) has a zero next to the pole of every mode localised away from that end, so
              // it moves by much more than z's rounding (on a 32 768-site chain, two runs whose poles differed at
              // rounding level gave residues differing by 20 % or more for a tenth of the poles; prod b / det'
              // varies on the scale of the distance to the other poles: 1.6e-6).
              job.last = size;
              job.ok = true;
              const dRe = zl.lastRe[l] * zl.logDerRe[l] - zl.lastIm[l] * zl.logDerIm[l];
              const dIm = zl.lastRe[l] * zl.logDerIm[l] + zl.lastIm[l] * zl.logDerRe[l];
              const dd = dRe * dRe + dIm * dIm;
              job.aRe = (zl.pRe[l] * dRe + zl.pIm[l] * dIm) / dd;
              job.aIm = (zl.pIm[l] * dRe - zl.pRe[l] * dIm) / dd;
              job.aLog = zl.pLog2[l];
              endNewton(job);
            } else {
              job.zr = zr + sr;
              job.zi = zi + si;
              job.last = size;
              if (++job.it >= 40) endNewton(job);
            }
          }
          // Accepted: to the sweeps at -z; rejected: done.
          if (job.phase === 1)
            (this.shiftBound(job.zr, job.zi, job.last) >= MIRROR_SHARE * 2 * -job.zi ? endsDer : ends).push(job);
          if (job.phase !== 0) lanes[l] = undefined;
        }
      }
      // Record the finished jobs in byWidth order, once every mode before them has started (see above).
      while (started.length > 0 && started[0].phase === 2 && rank[started[0].k] < next) record(started.shift()!);
    }
    // A pole found twice (from modes far apart in the deflation windows) would be subtracted twice: sorted by real
    // part, duplicates are neighbours; a duplicate is dropped, and its mode (whose own pole was not found) gets
    // panels.
    const idx = Int32Array.from({ length: this.count }, (_, c) => c).sort((a, b) => this.re[a] - this.re[b]);
    const drop = new Uint8Array(this.count);
    for (let i = 0; i < idx.length; i++) {
      for (let j = i + 1; j < idx.length && j <= i + 8; j++) {
        const a = idx[i];
        const b = idx[j];
        if (
          !drop[b] &&
          Math.hypot(this.re[a] - this.re[b], this.im[a] - this.im[b]) <= 1e-9 * Math.hypot(this.re[a], this.im[a])
        )
          drop[b] = 1;
      }
    }
    let c = 0;
    for (let i = 0; i < this.count; i++) {
      if (drop[i]) {
        this.subtracted[owner[i]] = 0;
        this.panelled[owner[i]] = 1;
        this.rejected++;
        continue;
      }
      this.re[c] = this.re[i];
      this.im[c] = this.im[i];
      this.resRe[c] = this.resRe[i];
      this.resIm[c] = this.resIm[i];
      c++;
    }
    this.count = c;
    this.complete(pencil, modes, g0, g1, top);
    chainPolesTesting.subtracted?.(
      this.re,
      this.im,
      this.count,
      (zr, zi) => {
        pencil.complexSweep(zr, zi, g0, g1);
        return [pencil.z.logDerRe, pencil.z.logDerIm];
      },
      {
        re: this.resRe,
        im: this.resIm,
        g0n: (w) => {
          // G_0n = p / f_n (up to its sign), by the scalar sweep at real w.
          pencil.complexSweep(w, 0, g0, g1);
          const z = pencil.z;
          const d = z.lastRe * z.lastRe + z.lastIm * z.lastIm;
          const s = 2 ** z.pLog2;
          return [(s * (z.pRe * z.lastRe + z.pIm * z.lastIm)) / d, (s * (z.pIm * z.lastRe - z.pRe * z.lastIm)) / d];
        },
      },
    );
  }

  /**
   * The phase check: is every pole below `top` found? One pole per located mode is looked for, from the mode's
   * first-order position; where modes at a damped end overlap, their poles mix (one broad, one narrow: the narrow
   * "dark" combination lies far from either first-order position), and a pole that no Newton iteration reached stays
   * in the remainder as a peak narrower than the panels' nodes, unseen by the quadrature and its error estimate (a
   * fixed-end chain of 400 sites, masses 1 +- 50 %, seed 1, tolerance 1e-6, with the poles of its broad skipped
   * modes: 1.4e-4 of J off against a reported 2.9e-7). By the argument principle on the real axis, the phase of
   * det A(w) (ChainPencil.phase) is a constant plus sum_j arg(w - z_j) over all its zeros z_j (the poles and their
   * mirrors -conj z_j): each pole lowers it by pi as w passes its real part, within a few |Im z| of it. The same sum
   * over the poles found, the first-order poles of the located modes without one (z^2 + 2 i h z = w_k^2), and
   * (constant below the cutoff) the modes above it, predicts it; the difference r(w) is constant (to the accuracy of
   * those first-order positions) unless a pole is missing, where it drops by pi. (A mode left unlocated by chainModes,
   * negligible by its product bound, is taken as a step of pi at its bracket's midpoint; chainModes leaves a mode
   * unlocated only where a bound on its half-width is below 1 % of the grid interval, and the grid points are moved
   * out of those brackets widened by 5 such bounds (unlocatedSpread): an interval where that fails is not looked into
   * and counted in `unchecked`, a warning.) r is sampled at PHASE_GRID
   * frequencies; an interval where it drops by more than 0.6 pi is bisected on r down to the drop's width, and
   * Newton's iteration (deflated by every pole found) from there finds the missing pole, whose residue is then
   * computed as in the constructor. A drop that this does not account for is counted in `missing` (a warning).
   */
  private complete(pencil: ChainPencil, modes: ModeData, g0: number, g1: number, top: number): void {
    const w = modes.omega;
    const M = w.length;
    if (!(top > 0) || M === 0) return;
    const arg = (x: number, zr: number, zi: number) => Math.atan2(-zi, x - zr);
    // First-order poles of the located modes without a subtracted one (and their mirrors, or the two overdamped
    // poles on the imaginary axis).
    const fr: number[] = [];
    const fi: number[] = [];
    for (let k = 0; k < M; k++) {
      if (this.subtracted[k] || !(w[k] > 0) || chainPolesTesting.withhold?.(k)) continue;
      const h = Math.max(modes.halfWidth[k], 0);
      if (h < w[k]) {
        const x = Math.sqrt(w[k] * w[k] - h * h);
        fr.push(x, -x);
        fi.push(-h, -h);
      } else {
        const r = Math.sqrt(h * h - w[k] * w[k]);
        fr.push(0, 0);
        fi.push(-(h - r), -(h + r));
      }
    }
    const predicted = (x: number) => {
      let p = 0;
      for (let c = 0; c < this.count; c++) p += arg(x, this.re[c], this.im[c]) + arg(x, -this.re[c], this.im[c]);
      for (let j = 0; j < fr.length; j++) p += arg(x, fr[j], fi[j]);
      return p;
    };
    const r = (x: number) => pencil.phase(x, g0, g1) - predicted(x);
    const G = PHASE_GRID;
    const grid = Float64Array.from({ length: G + 1 }, (_, i) => (i === 0 ? top / (64 * G) : (top * i) / G));
    const spread = unlocatedSpread(modes, grid, top / (4 * G));
    // The measured phase at the grid, once; the prediction changes with every pole added.
    const measured = Float64Array.from(grid, (x) => pencil.phase(x, g0, g1));
    const rs = Float64Array.from(grid, (x, j) => measured[j] - predicted(x));
    for (let i = 0; i < G; i++) {
      // Unlocated modes that may move r at the interval's ends by 0.4 pi together could hide a missing pole's drop:
      // such an interval is not looked into, and counted (a warning).
      if (!(spread[i] + spread[i + 1] < 0.4 * Math.PI)) {
        this.unchecked++;
        continue;
      }
      let guard = 0;
      while (rs[i + 1] - rs[i] < -0.6 * Math.PI && guard++ < 8) {
        const found = this.added < PHASE_ADD_MAX ? this.findMissing(pencil, g0, g1, grid[i], grid[i + 1], rs[i], r) : 2;
        // A drop spread over the interval: a broad pole (or the first-order position of a broad mode, inaccurate
        // where broad modes overlap), smooth on the scale of the panels: the quadrature resolves it.
        if (found === 1) break;
        if (found === 2) {
          this.missing++;
          break;
        }
        // The pole found changes the prediction everywhere (a constant far from it).
        for (let j = 0; j <= G; j++) rs[j] = measured[j] - predicted(grid[j]);
      }
    }
    chainPolesTesting.checked?.(this.added, this.missing, this.unchecked);
  }

  /**
   * Bisection on the phase drop in (a, b], then Newton from it (see complete): 0 if a new pole was added, 1 if the
   * drop is spread over more than an eighth of (a, b] (a broad feature), 2 if no pole was found for a narrow drop.
   */
  private findMissing(
    pencil: ChainPencil,
    g0: number,
    g1: number,
    a: number,
    b: number,
    ra: number,
    r: (x: number) => number,
  ): number {
    let lo = a;
    let hi = b;
    let rlo = ra;
    for (let it = 0; it < 60 && hi - lo > 1e-14 * hi; it++) {
      const mid = 0.5 * (lo + hi);
      const rm = r(mid);
      if (rm - rlo < -0.6 * Math.PI) hi = mid;
      else if (r(hi) - rm < -0.6 * Math.PI) {
        lo = mid;
        rlo = rm;
      } else break;
    }
    if (hi - lo > 0.125 * (b - a)) return 1;
    let zr = 0.5 * (lo + hi);
    let zi = -0.5 * (hi - lo);
    const size0 = Math.hypot(zr, zi);
    let ok = false;
    let last = Infinity;
    const z = pencil.z;
    for (let it = 0; it < 60; it++) {
      pencil.complexSweep(zr, zi, g0, g1);
      let lr = z.logDerRe;
      let li = z.logDerIm;
      for (let c = 0; c < this.count; c++) {
        const dr = zr - this.re[c];
        const di = zi - this.im[c];
        const q = 1 / (dr * dr + di * di);
        lr -= dr * q;
        li += di * q;
      }
      const d = lr * lr + li * li;
      const sr = -lr / d;
      const si = li / d;
      if (!Number.isFinite(sr + si)) break;
      const size = Math.hypot(sr, si);
      if (size <= 1e-14 * size0 || (size >= last && size <= 1e-11 * size0)) {
        last = size;
        ok = true;
        break;
      }
      zr += sr;
      zi += si;
      last = size;
    }
    if (!ok || !(zi < 0) || !(zr > 0) || Math.abs(zr - 0.5 * (a + b)) > b - a + 4 * -zi) return 2;
    for (let c = 0; c < this.count; c++)
      if (Math.hypot(zr - this.re[c], zi - this.im[c]) <= 1e-9 * Math.hypot(zr, zi)) return 2;
    // The residue as in the constructor: a = p / (f_n (ln det)') from the sweep at the pole, b = G_0n(-z) = p / f_n
    // at -z.
    const fdRe = z.lastRe * z.logDerRe - z.lastIm * z.logDerIm;
    const fdIm = z.lastRe * z.logDerIm + z.lastIm * z.logDerRe;
    const dd = fdRe * fdRe + fdIm * fdIm;
    const aRe = (z.pRe * fdRe + z.pIm * fdIm) / dd;
    const aIm = (z.pIm * fdRe - z.pRe * fdIm) / dd;
    const aLog = z.pLog2;
    pencil.complexSweep(-zr, -zi, g0, g1);
    const ff = z.lastRe * z.lastRe + z.lastIm * z.lastIm;
    const [bRe, bIm] = mirrorValue(
      zi,
      aRe,
      aIm,
      aLog,
      (z.pRe * z.lastRe + z.pIm * z.lastIm) / ff,
      (z.pIm * z.lastRe - z.pRe * z.lastIm) / ff,
      z.pLog2,
      z.logDerRe,
      z.logDerIm,
      this.shiftBound(zr, zi, last),
    );
    const scale = 2 ** (aLog + z.pLog2);
    const abRe = aRe * bRe - aIm * bIm;
    const abIm = aRe * bIm + aIm * bRe;
    const z2Re = zr * zr - zi * zi;
    const z2Im = 2 * zr * zi;
    const rRe = scale * (z2Re * abRe - z2Im * abIm);
    const rIm = scale * (z2Re * abIm + z2Im * abRe);
    if (!Number.isFinite(rRe + rIm)) return 2;
    const c = this.count++;
    this.re[c] = zr;
    this.im[c] = zi;
    this.resRe[c] = rRe;
    this.resIm[c] = rIm;
    this.error += 2 * Math.PI * Math.hypot(rRe, rIm) * poleRounding(zr, zi, last, this.dl);
    this.added++;
    return 0;
  }

  /** sum of S(w) over the subtracted poles, w real. */
  sum(omega: number): number {
    const w2 = omega * omega;
    let s = 0;
    const { re, im, resRe, resIm, count } = this;
    for (let k = 0; k < count; k++) {
      const zr = re[k];
      const zi = im[k];
      // 2 z R / (w^2 - z^2).
      const dRe = w2 - (zr * zr - zi * zi);
      const dIm = -2 * zr * zi;
      const nRe = 2 * (zr * resRe[k] - zi * resIm[k]);
      const nIm = 2 * (zr * resIm[k] + zi * resRe[k]);
      s += (nRe * dRe + nIm * dIm) / (dRe * dRe + dIm * dIm);
    }
    return 2 * s;
  }

  /** int_0^X of sum S (X may be Infinity). */
  integral(X: number): number {
    let s = 0;
    const { re, im, resRe, resIm, count } = this;
    for (let k = 0; k < count; k++) s += poleIntegral(resRe[k], resIm[k], re[k], im[k], X);
    return s;
  }
}

/**
 * Where the Rayleigh-quotient iteration of a mode converges outside its isolating interval, bisection narrows the
 * interval around the mode until its width is at most this fraction of its distance to the interval's ends (beyond
 * which every other eigenvalue lies) and the iteration runs again from its middle: the mode is then at least
 * 2 / ESCAPE_NARROW + 1 times nearer to the shift than any other, so the two inverse steps there reduce the others'
 * components by that factor squared (~1000 at 1/16). 1/1000 before: at 10 x 200, 162 of 1830 modes escaped and took
 * ~16 factorisations each.
 */
const ESCAPE_NARROW = 1 / 16;

/** Absolute accuracy of the components of a computed M-normalised eigenvector (~ eps |W| / gap). */
function eigenvectorAccuracy(n: number, top: number, gap: number, mass: Float64Array): number {
  let mmin = Infinity;
  for (const m of mass) mmin = Math.min(mmin, m);
  return (8 * EPS * Math.sqrt(n) * top) / Math.max(gap, 1e-300) / Math.sqrt(mmin);
}

/**
 * Every normal mode of a sparse network by inertia bisection and Rayleigh-quotient iteration. With `screen`
 * (fluxes-only runs of a network sliced into levels between two groups of baths, see stripLevels), modes are
 * located window by window from the lowest frequency up and the windows above a cutoff are left out, as for a chain
 * (chainModes): the growth across the slices (SlicedPencil.growth, O(N w^2) per frequency) takes the place of the
 * chain's growth, and a mode's share of the current between the groups, g_A g_B / (g_A + g_B) |dT| with
 * g_A = sum over the group's baths of gamma_b u_b^2, is at most gamma_max min(|u_A|^2, |u_B|^2) |dT|.
 */
function sparseModes(sys: NetworkSystem, temps?: { dT: Float64Array; spread: number }, screen?: SliceScreen): ModeData {
  const { n, mass, gamma } = sys;
  const pencil = new RealPencil(sys, mass, screen?.sliced);
  const top = gershgorin(sys, mass) * (1 + 1e-12);
  if (screen && !(screen.dT > 0)) return noModes(n);
  // Isolate every eigenvalue by bisection on the inertia (midpoints in omega).
  interface Interval {
    lo: number;
    hi: number;
    mult: number;
  }
  const isolate = (lo0: number, hi0: number, cl0: number, ch0: number): Interval[] => {
    const leaves: Interval[] = [];
    const stack: [number, number, number, number][] = [[lo0, hi0, cl0, ch0]];
    while (stack.length > 0) {
      const [lo, hi, cl, ch] = stack.pop()!;
      if (ch <= cl) continue;
      if (ch - cl === 1 || hi - lo <= 1e-13 * hi) {
        leaves.push({ lo, hi, mult: ch - cl });
        continue;
      }
      const mid = (0.5 * (Math.sqrt(lo) + Math.sqrt(hi))) ** 2;
      const cm = Math.min(Math.max(pencil.factor(mid), cl), ch);
      stack.push([mid, hi, cm, ch], [lo, mid, cl, cm]);
    }
    return leaves.sort((a, b) => a.lo - b.lo);
  };
  const omega = new Float64Array(n);
  const halfWidth = new Float64Array(n);
  const B = sys.bathSite.length;
  const bathAmp2 = new Float64Array(n * B);
  const bathAmp = new Float64Array(n * B);
  let modal: ModalShare | undefined;
  let m = 0;
  let decoupledAt: number | undefined;
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  const mNorm = (v: Float64Array) => {
    let s = 0;
    for (let i = 0; i < n; i++) s += mass[i] * v[i] * v[i];
    return Math.sqrt(s);
  };
  const bathWeight = (v: Float64Array) => {
    let g = 0;
    for (const b of sys.bathSite) g += gamma[b] * v[b] * v[b];
    return g;
  };
  const inverseStep = (shift: number, v: Float64Array): void => {
    pencil.factor(shift);
    for (let i = 0; i < n; i++) y[i] = mass[i] * v[i];
    pencil.solve(y, v);
    const s = mNorm(v);
    for (let i = 0; i < n; i++) v[i] /= s;
  };
  let seed = 1;
  /**
   * The iteration stops once the residual ||(V - rho M) x||_(M^-1) of the M-normalised x is at most this (about the
   * rounding floor of a solve; measured 1e-16 to 4e-15 of `top` at convergence on 10 x 60 and 10 x 200 strips): then
   * rho is within floor^2 / gap of the eigenvalue and x within floor / gap of its eigenvector, at most 1/8 of the
   * accuracy eigenvectorAccuracy reports for it, and a further step, which the stop on the change of rho alone takes,
   * changes neither beyond that. Its matrix-vector product costs O(nnz), a factorisation O(N w^2).
   */
  const floor = EPS * Math.sqrt(n) * top;
  /**
   * Rayleigh-quotient iteration from a random vector and the shift `start` (two inverse steps there first) into x;
   * returns the Rayleigh quotient.
   */
  const rayleighIteration = (start: number): number => {
    x.set(startVector(n, seed++));
    let shift = start;
    inverseStep(shift, x);
    inverseStep(shift, x);
    let rho = pencil.vForm(x);
    for (let it = 0; it < 8 && Math.abs(rho - shift) > 1e-14 * Math.abs(rho) && pencil.residual(x, rho) > floor; it++) {
      shift = rho;
      inverseStep(shift, x);
      rho = pencil.vForm(x);
    }
    return rho;
  };
  /** Locates the modes of the leaves; returns their summed shares of the current between the screen's groups. */
  const locate = (leaves: Interval[]): number => {
    let share = 0;
    for (const leaf of leaves) {
      if (leaf.mult === 1) {
        // Rayleigh-quotient iteration from the middle of the interval, checked against the interval.
        const inLeaf = (r: number) => r >= leaf.lo * (1 - 1e-12) && r <= leaf.hi * (1 + 1e-12);
        let rho = rayleighIteration((0.5 * (Math.sqrt(leaf.lo) + Math.sqrt(leaf.hi))) ** 2);
        if (!inLeaf(rho)) {
          // Converged elsewhere (to an eigenvalue outside the leaf nearer its middle): narrow the interval around
          // the mode by bisection on the inertia until it is ESCAPE_NARROW of its distance to the leaf's ends (beyond
          // which the other eigenvalues lie), then the iteration again from its middle; where that fails too, or
          // the mode lies within rounding of an end, bisection down to rounding and inverse iteration.
          let lo = leaf.lo;
          let hi = leaf.hi;
          const cLo = pencil.factor(lo);
          const bisect = () => {
            const mid = 0.5 * (lo + hi);
            if (pencil.factor(mid) > cLo) hi = mid;
            else lo = mid;
          };
          while (hi - lo > 1e-14 * hi && !(hi - lo <= ESCAPE_NARROW * Math.min(lo - leaf.lo, leaf.hi - hi))) bisect();
          if (hi - lo > 1e-14 * hi) rho = rayleighIteration(0.5 * (lo + hi));
          if (!(rho >= lo && rho <= hi) || !inLeaf(rho)) {
            while (hi - lo > 1e-14 * hi) bisect();
            rho = 0.5 * (lo + hi);
            x.set(startVector(n, seed++));
            inverseStep(rho * (1 + 1e-13), x);
            inverseStep(rho * (1 + 1e-13), x);
          }
        }
        omega[m] = Math.sqrt(Math.max(rho, 0));
        const g = bathWeight(x);
        halfWidth[m] = g / 2;
        sys.bathSite.forEach((b, c) => {
          bathAmp2[m * B + c] = x[b] * x[b];
          bathAmp[m * B + c] = x[b];
        });
        if (temps && g < UNRESOLVABLE_WIDTH * omega[m]) {
          modal ??= new ModalShare(sys, temps.dT, temps.spread);
          // The isolation interval bounds the distance to the neighbouring eigenvalues from below.
          const gap = Math.max(Math.min(rho - leaf.lo, leaf.hi - rho), 1e-3 * (leaf.hi - leaf.lo));
          modal.add(omega[m], x, eigenvectorAccuracy(n, top, gap, mass));
        }
        if (isDecoupled(g, sys) && decoupledAt === undefined) decoupledAt = omega[m];
        if (screen) {
          let gA = 0;
          let gB = 0;
          sys.bathSite.forEach((b, c) => {
            if (screen.group[c] === 0) gA += gamma[b] * x[b] * x[b];
            else gB += gamma[b] * x[b] * x[b];
          });
          if (gA > 0 && gB > 0) share += (gA * gB) / (gA + gB);
        }
        m++;
      } else {
        // A degenerate cluster: block inverse iteration, then the widths of the combinations (bath Gram matrix).
        const d = leaf.mult;
        const shift = 0.5 * (leaf.lo + leaf.hi);
        const basis = Array.from({ length: d }, () => startVector(n, seed++));
        for (let it = 0; it < 3; it++) {
          pencil.factor(shift * (1 + 1e-10));
          for (const v of basis) {
            for (let i = 0; i < n; i++) y[i] = mass[i] * v[i];
            pencil.solve(y, v);
          }
          mOrthonormalise(basis, mass);
        }
        const G = matrix(d, d);
        for (let a = 0; a < d; a++)
          for (let c = 0; c < d; c++) {
            let s = 0;
            for (const b of sys.bathSite) s += gamma[b] * basis[a][b] * basis[c][b];
            G.data[a * d + c] = s;
          }
        const widths = symmetricEigen(G).values;
        const w = Math.sqrt(Math.max(shift, 0));
        let narrow = Infinity;
        for (let k = 0; k < d; k++) {
          const g = Math.max(widths[k], 0);
          if (isDecoupled(g, sys) && decoupledAt === undefined) decoupledAt = w;
          narrow = Math.min(narrow, g);
        }
        for (let k = 0; k < d; k++) {
          omega[m] = w;
          halfWidth[m] = narrow / 2;
          bathAmp2.fill(NaN, m * B, (m + 1) * B);
          bathAmp.fill(NaN, m * B, (m + 1) * B);
          m++;
        }
      }
    }
    return share;
  };
  let located = n;
  let screened: ChainScreen | undefined;
  if (!screen) locate(isolate(0, top, 0, n));
  else {
    const sliced = screen.sliced;
    const S = SCREEN_SAMPLES;
    const lam = new Float64Array(S + 1);
    const count = new Int32Array(S + 1);
    const growth = new Float64Array(S + 1);
    let mmin = Infinity;
    for (const v of mass) mmin = Math.min(mmin, v);
    let gmax = 0;
    for (const b of sys.bathSite) gmax = Math.max(gmax, gamma[b]);
    const perMode = (gmax / mmin) * screen.dT;
    for (let j = 1; j <= S; j++) {
      lam[j] = j === S ? top : ((Math.sqrt(top) * j) / S) ** 2;
      count[j] = j === S ? n : Math.min(Math.max(pencil.factor(lam[j]), count[j - 1]), n);
      growth[j] = 0.5 * (sliced.growth(lam[j]) + sliced.growth(lam[j], true));
    }
    // As chainModes: per-mode shares n (gamma_max / m_min) exp(-(L - 3 sqrt(L) - 1)) |dT| of a window with n modes
    // and the background between resonances, here with up to min(w_A, w_B) channels (the bath levels' widths).
    const channels = Math.min(sliced.widthOf(0), sliced.widthOf(sliced.levels - 1));
    const background = (L: number) => channels * Math.exp(Math.min(-(2 * L - 3 * Math.sqrt(2 * L) - 1), 0));
    const above = new Float64Array(S + 2);
    const wTop = Math.sqrt(top);
    above[S + 1] = (wTop / (2 * Math.PI)) * screen.dT * background(Math.max(growth[S], 0));
    for (let j = S; j >= 1; j--) {
      const L = Math.max(Math.min(growth[j - 1], growth[j]), 0);
      const est =
        (count[j] - count[j - 1]) * perMode * Math.exp(Math.min(-(L - 3 * Math.sqrt(L) - 1), 700)) +
        ((Math.sqrt(lam[j]) - Math.sqrt(lam[j - 1])) / (2 * Math.PI)) * screen.dT * background(L);
      above[j] = above[j + 1] + est;
    }
    let share = 0;
    let j = 1;
    for (; j <= S; j++) {
      share += screen.dT * locate(isolate(lam[j - 1], lam[j], count[j - 1], count[j]));
      if (count[j] < n && above[j + 1] <= 0.01 * screen.tol * share) break;
    }
    if (j <= S) {
      located = count[j];
      screened = { cutoff: Math.sqrt(lam[j]), skippedModes: n - located, flux: above[j + 1] };
    }
  }
  // (Without the screen, as before: modes the counts missed to rounding stay at frequency 0, without panels.)
  if (screen && m !== located)
    throw new SteadyStateError(`the inertia counts of the network found ${m} of its ${located} modes (rounding)`);
  const om = located < n ? omega.slice(0, located) : omega;
  const hw = located < n ? halfWidth.slice(0, located) : halfWidth;
  return {
    omega: om,
    halfWidth: hw,
    bathAmp2: located < n ? bathAmp2.slice(0, B * located) : bathAmp2,
    bathAmp: located < n ? bathAmp.slice(0, B * located) : bathAmp,
    roundingShare: sharesOf(om, hw, pencilRounding(sys)),
    ...unresolvedModes(om, hw),
    decoupledAt,
    counts: pencil.counts,
    modal: modal?.share,
    screen: screened,
  };
}

/** The screen of a sliced network (fluxes only): see sparseModes and stripLevels. */
interface SliceScreen {
  tol: number;
  /** |T_A - T_B|. */
  dT: number;
  /** Group (0: A, 1: B) of every bath. */
  group: Uint8Array;
  sliced: SlicedPencil;
}

/** Widest level a slice screen takes (its sweeps cost O(N w^2)). */
const SLICE_WIDTH_MAX = 64;

/**
 * Levels for the screen of sparseModes: a network whose baths are at two temperatures, sliced into the
 * breadth-first levels from the sites of the first group's baths, with every site of the other group's baths in the
 * last level, at least 8 levels and none wider than SLICE_WIDTH_MAX (a 2D strip with baths on its end columns: the
 * columns). Undefined for any other network.
 */
function stripLevels(sys: NetworkSystem): { level: Int32Array; group: Uint8Array; dT: number } | undefined {
  const { n, pattern, bathSite, bathT } = sys;
  if (bathSite.length < 2) return undefined;
  const tA = bathT[0];
  const group = Uint8Array.from(bathT, (t) => (t === tA ? 0 : 1));
  let tB = tA;
  for (let c = 0; c < bathT.length; c++) {
    if (group[c] === 1) {
      if (tB !== tA && bathT[c] !== tB) return undefined;
      tB = bathT[c];
    }
  }
  if (tB === tA) return undefined;
  const level = new Int32Array(n).fill(-1);
  const queue = new Int32Array(n);
  let head = 0;
  let tail = 0;
  bathSite.forEach((b, c) => {
    if (group[c] === 0 && level[b] < 0) {
      level[b] = 0;
      queue[tail++] = b;
    }
  });
  while (head < tail) {
    const i = queue[head++];
    for (let q = pattern.ptr[i]; q < pattern.ptr[i + 1]; q++) {
      const j = pattern.idx[q];
      if (level[j] < 0) {
        level[j] = level[i] + 1;
        queue[tail++] = j;
      }
    }
  }
  if (tail < n) return undefined;
  const levels = level[queue[n - 1]] + 1;
  if (levels < 8) return undefined;
  const width = new Int32Array(levels);
  for (let i = 0; i < n; i++) width[level[i]]++;
  for (const w of width) if (w > SLICE_WIDTH_MAX) return undefined;
  for (let c = 0; c < bathSite.length; c++) if (group[c] === 1 && level[bathSite[c]] !== levels - 1) return undefined;
  return { level, group, dT: Math.abs(tB - tA) };
}

/**
 * ChainPoles.complete, the modes chainModes left unlocated (ModeData.unlocatedBracket): each is predicted as a step of
 * pi at its bracket's midpoint, while its phase falls by pi across its true peak, somewhere in the bracket, over a
 * few half-widths h: at a frequency x outside the bracket, at distance d from it, the prediction is off by less than
 * atan(h / d); inside it by up to pi. Moves each grid point (by at most `shift`) out of the unlocated modes'
 * brackets widened by 5 times their half-width bounds on either side, where it can, and returns at each the sum of
 * those errors over the widened brackets it is still in (pi for a bracket itself): an interval whose two ends'
 * errors reach 0.4 pi together could not show a missing pole's drop of pi as more than 0.6 pi. (The modes farther
 * away are off by less than atan(1/5) each, with opposite signs on either side; they are not summed.)
 */
function unlocatedSpread(modes: ModeData, grid: Float64Array, shift: number): Float64Array {
  const E = new Float64Array(grid.length);
  const { unlocated, unlocatedBracket: b } = modes;
  if (!unlocated || !b) return E;
  const lo: number[] = [];
  const hi: number[] = [];
  const h: number[] = [];
  for (let k = 0; k < unlocated.length; k++)
    if (unlocated[k] && b[3 * k + 1] > 0) {
      lo.push(b[3 * k]);
      hi.push(b[3 * k + 1]);
      h.push(b[3 * k + 2]);
    }
  const U = lo.length;
  if (U === 0) return E;
  // The widened brackets, merged where they overlap (the brackets come in increasing order).
  const a: number[] = [];
  const c: number[] = [];
  for (let u = 0; u < U; u++) {
    const x = lo[u] - 5 * h[u];
    const y = hi[u] + 5 * h[u];
    if (a.length > 0 && x <= c[c.length - 1]) c[c.length - 1] = Math.max(c[c.length - 1], y);
    else {
      a.push(x);
      c.push(y);
    }
  }
  for (let j = 0; j < grid.length; j++) {
    const x = grid[j];
    let q = 0;
    while (q < a.length && c[q] < x) q++;
    if (j > 0 && q < a.length && a[q] <= x) {
      // Inside a widened bracket: to its nearer end, if within reach (just outside: the next double).
      const left = a[q] * (1 - 1e-15);
      const right = c[q] * (1 + 1e-15);
      const to = x - left <= right - x ? left : right;
      if (Math.abs(to - x) <= shift) grid[j] = to;
    }
    let e = 0;
    for (let u = 0; u < U; u++) {
      const y = grid[j];
      const d = y < lo[u] ? lo[u] - y : y > hi[u] ? y - hi[u] : 0;
      if (d < 5 * h[u]) e += d > 0 ? Math.atan(h[u] / d) : Math.PI;
    }
    E[j] = e;
  }
  return E;
}

function unresolvedModes(
  omega: Float64Array,
  halfWidth: Float64Array,
  unlocated?: Uint8Array,
): { unresolved: number; unresolvedAt: number[] } {
  const unresolvedAt: number[] = [];
  for (let k = 0; k < omega.length; k++)
    if (!unlocated?.[k] && 2 * halfWidth[k] < UNRESOLVABLE_WIDTH * omega[k]) unresolvedAt.push(omega[k]);
  return { unresolved: unresolvedAt.length, unresolvedAt };
}

/** A bath weight Gamma_nu indistinguishable from zero in double precision (mode amplitude below ~1e-13). */
function isDecoupled(g: number, sys: NetworkSystem): boolean {
  let scale = 0;
  for (const b of sys.bathSite) scale = Math.max(scale, sys.gamma[b] / sys.mass[b]);
  return g <= 1e-26 * scale;
}

function mOrthonormalise(basis: Float64Array[], mass: Float64Array): void {
  const n = mass.length;
  for (let a = 0; a < basis.length; a++) {
    const v = basis[a];
    for (let c = 0; c < a; c++) {
      const u = basis[c];
      let s = 0;
      for (let i = 0; i < n; i++) s += mass[i] * u[i] * v[i];
      for (let i = 0; i < n; i++) v[i] -= s * u[i];
    }
    let s = 0;
    for (let i = 0; i < n; i++) s += mass[i] * v[i] * v[i];
    s = Math.sqrt(s);
    for (let i = 0; i < n; i++) v[i] /= s;
  }
}

// ---------------------------------------------------------------------------
// Integrands

interface Plan {
  /** Number of integrand components. */
  C: number;
  /** Bath indices whose columns are solved, and their sites. */
  columns: Int32Array;
  colSite: Int32Array;
  /** Column of each bath (-1: not solved). */
  colOfBath: Int32Array;
  /** T_b - T_ref for every bath. */
  dT: Float64Array;
  Tref: number;
  /** Pairwise transmissions (every bath's column is solved) or one direct flux integrand per bath. */
  pairs: [number, number][] | null;
  offPair: number;
  offDirect: number;
  offSum: number;
  offSpring: number;
  offBySource: number;
  /**
   * Overdamped networks: the first-order effect of rounding in V - i w Gamma on each pair (or direct bath flux),
   * spring and by-source integrand (SolveRounding), integrated beside them (weight 0: not a quadrature target); -1
   * otherwise (underdamped).
   */
  offRound: number;
  /** Per spring: its slot among the integrated springs, or -1 (a bridge in a fluxes-only run: from conservation). */
  springSlot: Int32Array;
  /** The integrated springs, by slot. */
  integrated: Int32Array;
  bridges?: Bridges;
  offSiteH: number;
  offSiteW: number;
  bySource: boolean;
  temperatures: boolean;
  /** Multiplies |error| of a component into physical units (flux or temperature); 0: not a quadrature target. */
  weight: Float64Array;
  /** 1: the component is a temperature (its error is measured against the temperature scale). */
  isTemp: Uint8Array;
}

function makePlan(
  model: NetworkModel,
  sys: NetworkSystem,
  opts: { temperatures: boolean; bySource: boolean; spectrum: boolean },
): Plan {
  const B = model.baths.length;
  const T = sys.bathT;
  let tmin = Infinity;
  let tmax = -Infinity;
  for (const t of T) {
    tmin = Math.min(tmin, t);
    tmax = Math.max(tmax, t);
  }
  const pairsWanted = B <= 32 || opts.spectrum;
  let Tref: number;
  let cols: number[];
  if (sys.under || pairsWanted) {
    // Every bath column (needed for the site sum rules); T_ref in the middle bounds unresolved weight best.
    Tref = 0.5 * (tmin + tmax);
    cols = Array.from({ length: B }, (_, k) => k);
  } else {
    // Overdamped with many baths: only the baths away from the most common temperature need a column.
    const freq = new Map<number, number>();
    for (const t of T) freq.set(t, (freq.get(t) ?? 0) + 1);
    let best = T[0];
    for (const [t, c] of freq) if (c > freq.get(best)! || (c === freq.get(best)! && t < best)) best = t;
    Tref = best;
    cols = [];
    for (let k = 0; k < B; k++) if (T[k] !== Tref) cols.push(k);
  }
  const dT = T.map((t) => t - Tref);
  const colOfBath = new Int32Array(B).fill(-1);
  cols.forEach((k, c) => (colOfBath[k] = c));
  const pairs: [number, number][] | null = pairsWanted ? [] : null;
  if (pairs) for (let b = 0; b < B; b++) for (let c = b + 1; c < B; c++) pairs.push([b, c]);
  const temperatures = sys.under && opts.temperatures;
  const bySource = opts.bySource && cols.length === B;
  // Fluxes-only runs integrate only the springs on cycles: a bridge's flux follows from the bath fluxes.
  const bridges = temperatures ? undefined : new Bridges(model);
  const springSlot = new Int32Array(model.springs.length).fill(-1);
  const integratedList: number[] = [];
  model.springs.forEach((_, k) => {
    if (bridges && bridges.child[k] >= 0) return;
    springSlot[k] = integratedList.length;
    integratedList.push(k);
  });
  const integrated = Int32Array.from(integratedList);
  const S = integrated.length;
  const n = sys.n;
  let o = 0;
  const offPair = o;
  o += pairs ? pairs.length : 0;
  const offDirect = o;
  o += pairs ? 0 : B;
  const offSum = o;
  o += cols.length;
  const offSpring = o;
  o += S;
  const offBySource = o;
  o += bySource ? S * B : 0;
  const offSiteH = o;
  o += temperatures ? n : 0;
  const offSiteW = o;
  o += temperatures ? n : 0;
  // (Underdamped: networks up to DENSE_MODES_MAX sites; larger ones keep their cheaper evaluations without it.)
  const offRound = !sys.under || sys.n <= DENSE_MODES_MAX ? o : -1;
  // (the signed errors per pair or direct bath flux, spring and spring by source, then the springs' and parts' term
  // magnitudes, and the direct bath fluxes' term magnitudes; then the second-order bounds per pair or direct bath
  // flux, spring and spring by source)
  o += offRound >= 0 ? (pairs ? pairs.length : 2 * B) + 2 * (S + (bySource ? S * B : 0)) : 0;
  o += offRound >= 0 ? (pairs ? pairs.length : B) + S + (bySource ? S * B : 0) : 0;
  const C = o;
  const weight = new Float64Array(C);
  const isTemp = new Uint8Array(C);
  const gam = (k: number) => model.baths[k].friction;
  if (pairs)
    pairs.forEach(([b, c], k) => (weight[offPair + k] = TWO_OVER_PI * gam(b) * gam(c) * Math.abs(T[b] - T[c])));
  else for (let b = 0; b < B; b++) weight[offDirect + b] = TWO_OVER_PI * gam(b);
  integrated.forEach((spring, k) => {
    const s = model.springs[spring];
    weight[offSpring + k] = TWO_OVER_PI * s.stiffness;
    if (bySource) for (let c = 0; c < B; c++) weight[offBySource + k * B + c] = TWO_OVER_PI * s.stiffness * T[c];
  });
  if (temperatures) {
    const spread = 0.5 * (tmax - tmin);
    for (let a = 0; a < n; a++) {
      weight[offSiteH + a] = TWO_OVER_PI * sys.mass[a];
      weight[offSiteW + a] = TWO_OVER_PI * sys.mass[a] * spread;
      isTemp[offSiteH + a] = 1;
      isTemp[offSiteW + a] = 1;
    }
  }
  return {
    C,
    columns: Int32Array.from(cols),
    colSite: Int32Array.from(cols.map((k) => sys.bathSite[k])),
    colOfBath,
    dT,
    Tref,
    pairs,
    offPair,
    offDirect,
    offSum,
    offSpring,
    offBySource,
    offRound,
    springSlot,
    integrated,
    bridges,
    offSiteH,
    offSiteW,
    bySource,
    temperatures,
    weight,
    isTemp,
  };
}

/** Dekker's split of a double into two halves whose products are exact (TwoProduct without a fused multiply-add). */
const SPLITTER = 134217729;

/**
 * The first-order effect of rounding in the solves of overdamped networks (the bath columns the integrands are
 * formed from: every bath's with pairwise transmissions, up to 32 baths; beyond, those of the baths away from the
 * most common temperature, feeding the direct bath-flux integrands), from the residuals as iterative refinement forms
 * them: r_c = e_c - (V - i w Gamma) x_c for each computed column x_c, in double-double, with V's diagonal as the
 * pinning plus the stiffnesses exactly (their sum's rounding kept by TwoSum) and w gamma exactly (TwoProduct); the
 * correction dx_c = G r_c (one more solve per column) is the column's actual error to first order, whatever its
 * source: the rounding of V's diagonal as formed (a soft pinning reached through stiff springs: fl(p + k) loses p's
 * digits) and the factorisation's and solves' own backward errors. Each integrand's error to first order follows
 * with its sign (pairs: 2 w^2 Re(conj(G_bc) dG_bc); direct bath fluxes: 2 w^2 sum_c a_c Re(conj(G) dG) over the
 * entries they are formed from; springs: w sum_c a_c Im(conj(dG_ic) G_jc + conj(G_ic) dG_jc)), is
 * integrated beside it by the same rule (weight 0: not a quadrature target), so that the sum is the first-order
 * error of the quadrature's own sum, and its magnitude is added to the reported error. The quadrature's error
 * estimate cannot see this error: it moves the integrand smoothly in w (a pinning of 2.7 reached through a spring of
 * 3e6 came out 1.6e-10 off in relative terms at every frequency, reported +- 2e-11). (A worst case over every
 * entry's phase, |G| |dA| |G|, was ~5x above the actual errors and up to 1e6x on small springs.)
 * Underdamped networks up to DENSE_MODES_MAX sites too (A = V - w^2 M - i w Gamma, w^2 m_i's rounding kept): with
 * panels that resolve every peak, the quadrature's error estimates fall below the solves' rounding (audit draws of
 * scripts/fuzz-exact-methods.js, random seeds 4, 5, 31: bath fluxes 1.5e-16 off, 2.5 times their errors; a spring
 * of -11.05 off by 9.2e-10, 4.25 times, where the quadrature stalled at that rounding). The kinetic temperatures'
 * integrands are not corrected.
 */
/** A bound on the modulus of re + i im: |re| + |im|. */
const modulusBound = (re: number, im: number) => Math.abs(re) + Math.abs(im);

/**
 * The second-order term of |x_c[i]|^2 (SolveRounding.fill): 4 |dx| (eta_c |x| + |dx|), moduli bounded by |Re| + |Im|.
 */
function secondOrder2(
  xr: Float64Array[],
  xi: Float64Array[],
  dr: Float64Array[],
  di: Float64Array[],
  eta: number,
  c: number,
  i: number,
): number {
  const d = modulusBound(dr[c][i], di[c][i]);
  return 4 * d * (eta * modulusBound(xr[c][i], xi[c][i]) + d);
}

class SolveRounding {
  /** V_ll's rounding as formed (exact up to its own rounding: V_ll = vDiag[l] + lo[l]). */
  private readonly lo: Float64Array;
  private readonly si: Int32Array;
  private readonly sj: Int32Array;
  /** Per column: its correction dx_c. */
  private readonly dr: Float64Array[];
  private readonly di: Float64Array[];
  /** Dekker's halves of V's diagonal, of its off-diagonal entries, of the frictions, and of a column's entries. */
  private readonly vHi: Float64Array;
  private readonly vLo: Float64Array;
  private readonly offHi: Float64Array;
  private readonly offLo: Float64Array;
  private readonly gHi: Float64Array;
  private readonly gLo: Float64Array;
  private readonly mHi: Float64Array;
  private readonly mLo: Float64Array;
  private readonly xrh: Float64Array;
  private readonly xrl: Float64Array;
  private readonly xih: Float64Array;
  private readonly xil: Float64Array;
  /** The residuals, then the corrections, of every column side by side (by the elimination order; see solveAll). */
  private readonly Wr: Float64Array;
  private readonly Wi: Float64Array;
  /** Per column: the largest entry of its correction over the column's largest entry (moduli bounded by |Re| + |Im|). */
  private readonly eta: Float64Array;
  /** Per bath: its friction and T_b - T_ref (the direct bath-flux integrands). */
  private readonly gam: Float64Array;
  private readonly dT: Float64Array;

  constructor(
    model: NetworkModel,
    private readonly sys: NetworkSystem,
    private readonly plan: Plan,
  ) {
    const n = sys.n;
    this.gam = Float64Array.from(model.baths, (b) => b.friction);
    this.dT = Float64Array.from(plan.dT);
    const halves = (x: ArrayLike<number>): [Float64Array, Float64Array] => {
      const h = new Float64Array(x.length);
      const l = new Float64Array(x.length);
      for (let k = 0; k < x.length; k++) {
        const t = SPLITTER * x[k];
        h[k] = t - (t - x[k]);
        l[k] = x[k] - h[k];
      }
      return [h, l];
    };
    [this.vHi, this.vLo] = halves(sys.vDiag);
    [this.offHi, this.offLo] = halves(sys.off);
    [this.gHi, this.gLo] = halves(sys.gamma);
    [this.mHi, this.mLo] = halves(sys.mass);
    this.Wr = new Float64Array(n * plan.columns.length);
    this.Wi = new Float64Array(n * plan.columns.length);
    this.xrh = new Float64Array(n);
    this.xrl = new Float64Array(n);
    this.xih = new Float64Array(n);
    this.xil = new Float64Array(n);
    // V_ll as networkSystem forms it (pinning, then each spring at both ends in the model's order), each addition's
    // rounding kept (TwoSum).
    const hi = Float64Array.from(model.pinning);
    const lo = new Float64Array(n);
    const add = (i: number, k: number) => {
      const t = hi[i] + k;
      const bb = t - hi[i];
      lo[i] += hi[i] - (t - bb) + (k - bb);
      hi[i] = t;
    };
    for (const s of model.springs) {
      add(s.i, s.stiffness);
      add(s.j, s.stiffness);
    }
    this.lo = lo;
    this.si = Int32Array.from(plan.integrated, (k) => model.springs[k].i);
    this.sj = Int32Array.from(plan.integrated, (k) => model.springs[k].j);
    this.dr = Array.from(plan.columns, () => new Float64Array(n));
    this.di = Array.from(plan.columns, () => new Float64Array(n));
    this.eta = new Float64Array(plan.columns.length);
  }

  /**
   * dx_c = G r_c for every column at once, from the factorisation (forward, diagonal and backward substitution, as
   * complexLdlSolve column by column, the same operations in the same order for each column: the same numbers), the
   * columns side by side in Wr, Wi (by the elimination order), so that each entry of L is loaded once for all.
   */
  private solveAll(ldl: ComplexLdl, ncol: number): void {
    const { n, perm, Lp, Li: Lrow } = ldl.sym;
    const { Lr, Li: Lim, Dr, Di } = ldl;
    const { Wr, Wi, dr, di } = this;
    for (let j = 0; j < n; j++) {
      const bj = j * ncol;
      for (let p = Lp[j]; p < Lp[j + 1]; p++) {
        const bi = Lrow[p] * ncol;
        const lr = Lr[p],
          li = Lim[p];
        for (let c = 0; c < ncol; c++) {
          const ar = Wr[bj + c],
            ai = Wi[bj + c];
          Wr[bi + c] -= lr * ar - li * ai;
          Wi[bi + c] -= lr * ai + li * ar;
        }
      }
    }
    for (let j = 0; j < n; j++) {
      const pr = Dr[j],
        pi = Di[j];
      const den = pr * pr + pi * pi;
      for (let c = j * ncol; c < (j + 1) * ncol; c++) {
        const ar = Wr[c],
          ai = Wi[c];
        Wr[c] = (ar * pr + ai * pi) / den;
        Wi[c] = (ai * pr - ar * pi) / den;
      }
    }
    for (let j = n - 1; j >= 0; j--) {
      const bj = j * ncol;
      for (let p = Lp[j]; p < Lp[j + 1]; p++) {
        const bi = Lrow[p] * ncol;
        const lr = Lr[p],
          li = Lim[p];
        for (let c = 0; c < ncol; c++) {
          const xr = Wr[bi + c],
            xi = Wi[bi + c];
          Wr[bj + c] -= lr * xr - li * xi;
          Wi[bj + c] -= lr * xi + li * xr;
        }
      }
    }
    for (let k = 0; k < n; k++) {
      const o = perm[k];
      for (let c = 0; c < ncol; c++) {
        dr[c][o] = Wr[k * ncol + c];
        di[c][o] = Wi[k * ncol + c];
      }
    }
  }

  /**
   * Fills f[plan.offRound ..] at omega from the columns (xr, xi) of the last solve with the factorisation ldl: per
   * pair, per spring and per spring by source, the integrand's first-order error (computed minus exact).
   */
  fill(
    omega: number,
    f: Float64Array,
    ldl: ComplexLdl,
    xr: Float64Array[],
    xi: Float64Array[],
    gc: Float64Array,
    gdT: Float64Array,
  ): void {
    const { sys, plan, lo, dr, di } = this;
    const n = sys.n;
    const { ptr, idx } = sys.pattern;
    const off = sys.off;
    const ncol = plan.columns.length;
    const { vHi, vLo, offHi, offLo, gHi, gLo, mHi, mLo, xrh, xrl, xih, xil, Wr, Wi } = this;
    const under = sys.under;
    const iperm = ldl.sym.iperm;
    // omega's halves (Dekker's split) for w gamma_i's rounding (TwoProduct).
    const cw = SPLITTER * omega;
    const wh = cw - (cw - omega);
    const wl = omega - wh;
    // Underdamped: w^2 as ww + w2e exactly (TwoProduct), for w^2 m_i's rounding.
    const ww = omega * omega;
    const w2e = wl * wl - (ww - wh * wh - 2 * wh * wl);
    const cw2 = SPLITTER * ww;
    const w2h = cw2 - (cw2 - ww);
    const w2l = ww - w2h;
    for (let c = 0; c < ncol; c++) {
      const Xr = xr[c],
        Xi = xi[c];
      const site = plan.colSite[c];
      // The column's halves, once (each entry enters up to 1 + its degree products).
      for (let i = 0; i < n; i++) {
        let t = SPLITTER * Xr[i];
        xrh[i] = t - (t - Xr[i]);
        xrl[i] = Xr[i] - xrh[i];
        t = SPLITTER * Xi[i];
        xih[i] = t - (t - Xi[i]);
        xil[i] = Xi[i] - xih[i];
      }
      for (let i = 0; i < n; i++) {
        // (A x)_i = (V_ii - i w gamma_i) x_i + sum_j V_ij x_j, in double-double (h + e), real and imaginary parts:
        // each product's rounding exact (TwoProduct from the halves), each sum's kept (TwoSum).
        const v = sys.vDiag[i];
        const vh = vHi[i],
          vl = vLo[i];
        const xri = Xr[i],
          xii = Xi[i];
        const rh = xrh[i],
          rl = xrl[i],
          ih = xih[i],
          il = xil[i];
        const wg = omega * sys.gamma[i];
        const wgLo = wl * gLo[i] - (wg - wh * gHi[i] - wl * gHi[i] - wh * gLo[i]);
        const ct = SPLITTER * wg;
        const gh = ct - (ct - wg);
        const gl = wg - gh;
        // Real part: v x_r + wg x_i (with V_ll's and w gamma's rounding times x).
        let hr = v * xri;
        let er = vl * rl - (hr - vh * rh - vl * rh - vh * rl) + lo[i] * xri;
        let p = wg * xii;
        let t = hr + p;
        let bb = t - hr;
        er += hr - (t - bb) + (p - bb) + (gl * il - (p - gh * ih - gl * ih - gh * il) + wgLo * xii);
        hr = t;
        // Imaginary part: v x_i - wg x_r.
        let hi = v * xii;
        let ei = vl * il - (hi - vh * ih - vl * ih - vh * il) + lo[i] * xii;
        p = -wg * xri;
        t = hi + p;
        bb = t - hi;
        ei += hi - (t - bb) + (p - bb) + (-gl * rl - (p + gh * rh + gl * rh + gh * rl) - wgLo * xri);
        hi = t;
        if (under) {
          // -w^2 m_i x_i: w^2 m_i = q + qe (TwoProduct of w2 and m_i, plus w2e m_i), each product with x exact.
          const q = ww * sys.mass[i];
          const qe = w2l * mLo[i] - (q - w2h * mHi[i] - w2l * mHi[i] - w2h * mLo[i]) + w2e * sys.mass[i];
          const cq = SPLITTER * q;
          const qh = cq - (cq - q);
          const ql = q - qh;
          p = -q * xri;
          t = hr + p;
          bb = t - hr;
          er += hr - (t - bb) + (p - bb) + (-ql * rl - (p + qh * rh + ql * rh + qh * rl) - qe * xri);
          hr = t;
          p = -q * xii;
          t = hi + p;
          bb = t - hi;
          ei += hi - (t - bb) + (p - bb) + (-ql * il - (p + qh * ih + ql * ih + qh * il) - qe * xii);
          hi = t;
        }
        for (let q = ptr[i]; q < ptr[i + 1]; q++) {
          const j = idx[q];
          const oh = offHi[q],
            ol = offLo[q];
          p = off[q] * Xr[j];
          t = hr + p;
          bb = t - hr;
          er += hr - (t - bb) + (p - bb) + (ol * xrl[j] - (p - oh * xrh[j] - ol * xrh[j] - oh * xrl[j]));
          hr = t;
          p = off[q] * Xi[j];
          t = hi + p;
          bb = t - hi;
          ei += hi - (t - bb) + (p - bb) + (ol * xil[j] - (p - oh * xih[j] - ol * xih[j] - oh * xil[j]));
          hi = t;
        }
        // (Stored by the elimination order, the columns side by side: Wr[k * ncol + c] for row perm[k].)
        const at = iperm[i] * ncol + c;
        Wr[at] = (i === site ? 1 - hr : -hr) - er;
        Wi[at] = -hi - ei;
      }
    }
    this.solveAll(ldl, ncol);
    const o = plan.offRound;
    const pairs = plan.pairs;
    const w2 = omega * omega;
    const S = this.si.length;
    const B = plan.colOfBath.length;
    const P = pairs ? pairs.length : B;
    const SB = plan.bySource ? S * B : 0;
    const oM = o + P + S + SB;
    // The second-order terms (o2: per pair or direct bath flux, spring, spring by source). The correction dx_c is
    // itself a solve with the same factorisation, so it carries about the relative error eta_c the column did
    // (iterative refinement: each correction is smaller than the last by that factor), taken as |dx_c| / |x_c|
    // (largest entries) and doubled: the column's actual error e_c is taken within 2 eta_c |dx_c[i]| of dx_c[i] at
    // each entry, and |e_c[i]| <= 2 |dx_c[i]|. A product x_i x_j then errs from its first-order estimate by at most
    // 2 eta (|dx_i| |x_j| + |x_i| |dx_j|) + 4 |dx_i| |dx_j| (the second-order term e_i e_j).
    const o2 = oM + S + SB + (pairs ? 0 : B);
    const { eta } = this;
    for (let c = 0; c < ncol; c++) {
      const Dr = dr[c],
        Di = di[c],
        Xr = xr[c],
        Xi = xi[c];
      let d = 0;
      let x = 0;
      for (let i = 0; i < n; i++) {
        d = Math.max(d, Math.abs(Dr[i]) + Math.abs(Di[i]));
        x = Math.max(x, Math.abs(Xr[i]) + Math.abs(Xi[i]));
      }
      eta[c] = x > 0 ? Math.min(d / x, 1) : 0;
    }
    // The integrands' errors: computed minus exact, -f'(x) dx.
    if (pairs) {
      for (let k = 0; k < P; k++) {
        const [b, c] = pairs[k];
        const col = plan.colOfBath[c];
        const sb = sys.bathSite[b];
        f[o + k] = -2 * w2 * (xr[col][sb] * dr[col][sb] + xi[col][sb] * di[col][sb]);
        f[o2 + k] = w2 * secondOrder2(xr, xi, dr, di, eta[col], col, sb);
      }
    } else {
      // Direct bath fluxes (Evaluator.integrand): w^2 sum_c a_c |x_c|^2 over the bath's column at the other baths'
      // sites (a_c = gamma_c (dT_b - dT_c)) or over the columns at the bath's site (a_c = -gamma_c dT_c): the error
      // -2 w^2 sum_c a_c Re(conj(x) dx), and the terms' magnitudes (each a_c with the rounding of the dT it is formed
      // from: gamma_c (|dT_b| + |dT_c|)) for the integrand's own rounding.
      const { gam, dT } = this;
      const oD = oM + S + (plan.bySource ? S * B : 0);
      for (let b = 0; b < B; b++) {
        const site = sys.bathSite[b];
        const col = plan.colOfBath[b];
        let s = 0;
        let m = 0;
        let q = 0;
        if (col >= 0) {
          const Xr = xr[col],
            Xi = xi[col],
            Dr = dr[col],
            Di = di[col];
          const dTb = dT[b];
          for (let c = 0; c < B; c++) {
            if (c === b) continue;
            const sc = sys.bathSite[c];
            s += gam[c] * (dTb - dT[c]) * (Xr[sc] * Dr[sc] + Xi[sc] * Di[sc]);
            const a = gam[c] * (Math.abs(dTb) + Math.abs(dT[c]));
            m += a * (Xr[sc] * Xr[sc] + Xi[sc] * Xi[sc]);
            q += a * secondOrder2(xr, xi, dr, di, eta[col], col, sc);
          }
          f[o2 + b] = w2 * q;
        } else {
          for (let c = 0; c < ncol; c++) {
            s -= gdT[c] * (xr[c][site] * dr[c][site] + xi[c][site] * di[c][site]);
            m += Math.abs(gdT[c]) * (xr[c][site] * xr[c][site] + xi[c][site] * xi[c][site]);
            q += Math.abs(gdT[c]) * secondOrder2(xr, xi, dr, di, eta[c], c, site);
          }
          f[o2 + b] = w2 * q;
        }
        f[o + b] = -2 * w2 * s;
        f[oD + b] = w2 * m;
      }
    }
    for (let k = 0; k < S; k++) {
      const i = this.si[k],
        j = this.sj[k];
      let s = 0;
      let m = 0;
      let q = 0;
      for (let c = 0; c < ncol; c++) {
        const Xr = xr[c],
          Xi = xi[c],
          Dr = dr[c],
          Di = di[c];
        // Im(conj(dx_i) x_j + conj(x_i) dx_j)
        const im = Dr[i] * Xi[j] - Di[i] * Xr[j] + Xr[i] * Di[j] - Xi[i] * Dr[j];
        s += gdT[c] * im;
        const di_ = modulusBound(Dr[i], Di[i]),
          dj = modulusBound(Dr[j], Di[j]);
        const sec = 2 * eta[c] * (di_ * modulusBound(Xr[j], Xi[j]) + modulusBound(Xr[i], Xi[i]) * dj) + 4 * di_ * dj;
        q += Math.abs(gdT[c]) * sec;
        // The magnitudes of the products the integrand's Im(conj(x_i) (x_j - x_i)) is formed from (its own rounding).
        const mag = Math.abs(Xr[i] * (Xi[j] - Xi[i])) + Math.abs(Xi[i] * (Xr[j] - Xr[i]));
        m += Math.abs(gdT[c]) * mag;
        if (plan.bySource) {
          f[o + P + S + k * B + plan.columns[c]] = -omega * gc[c] * im;
          f[oM + S + k * B + plan.columns[c]] = omega * gc[c] * mag;
          f[o2 + P + S + k * B + plan.columns[c]] = omega * gc[c] * sec;
        }
      }
      f[o + P + k] = -omega * s;
      f[oM + k] = omega * m;
      f[o2 + P + k] = omega * q;
    }
  }
}

/** One frequency: factorise, solve the bath columns, and form every integrand component. */
class Evaluator {
  readonly f: Float64Array;
  evaluations = 0;
  /** Largest normwise backward error of a solve. */
  residual = 0;
  private readonly ldl: ComplexLdl;
  private readonly dRe: Float64Array;
  private readonly dIm: Float64Array;
  private readonly xr: Float64Array[];
  private readonly xi: Float64Array[];
  private readonly wr: Float64Array;
  private readonly wi: Float64Array;
  private readonly si: Int32Array;
  private readonly sj: Int32Array;
  private readonly gc: Float64Array;
  private readonly gdT: Float64Array;
  /**
   * Fluxes-only runs with nothing to integrate but the bath block (a tree: every spring a bridge): the entries
   * G_bc come from forward paths of the elimination tree, without back-substitution.
   */
  private readonly pathMode: boolean;
  private readonly paths: Int32Array[] = [];
  private readonly pr: Float64Array[] = [];
  private readonly pi: Float64Array[] = [];
  private readonly plen: Int32Array;
  private readonly gBB: Float64Array;
  /**
   * A chain with its two baths at its ends (fluxes only): G_bc from the pivots eliminated from either end
   * (ChainGreen), O(N) operations per frequency; at some panel centres (the first 32, then every 16th) the sparse
   * factorisation runs too, and the backward errors of both enter the reported residual (checkChain).
   */
  private readonly chain?: {
    green: ChainGreen;
    v: Float64Array;
    m: Float64Array;
    off: Float64Array;
    g0: number;
    g1: number;
  };
  private chainChecks = 0;
  /** The rounding of the solves (plan.offRound >= 0). */
  readonly rounding?: SolveRounding;
  /** Screened chains: G_00 is not needed (no sum rule is checked): one sweep per frequency instead of two. */
  endsOnly = false;
  /** Chains integrated from their poles: the singular parts subtracted from the transmission integrand. */
  poles?: ChainPoles;

  constructor(
    private readonly model: NetworkModel,
    private readonly sys: NetworkSystem,
    private readonly plan: Plan,
  ) {
    const n = sys.n;
    this.f = new Float64Array(plan.C);
    this.ldl = new ComplexLdl(sys.sym);
    this.dRe = new Float64Array(n);
    this.dIm = new Float64Array(n);
    this.xr = Array.from(plan.columns, () => new Float64Array(n));
    this.xi = Array.from(plan.columns, () => new Float64Array(n));
    this.wr = new Float64Array(n);
    this.wi = new Float64Array(n);
    this.si = Int32Array.from(plan.integrated, (k) => model.springs[k].i);
    this.sj = Int32Array.from(plan.integrated, (k) => model.springs[k].j);
    this.gc = Float64Array.from(plan.columns, (k) => model.baths[k].friction);
    this.gdT = Float64Array.from(plan.columns, (k) => model.baths[k].friction * plan.dT[k]);
    // (SolveRounding needs the bath columns themselves, not only the entries between bath sites.)
    if (plan.offRound >= 0) this.rounding = new SolveRounding(model, sys, plan);
    this.pathMode =
      plan.offRound < 0 &&
      plan.pairs !== null &&
      plan.integrated.length === 0 &&
      !plan.temperatures &&
      plan.columns.length === model.baths.length;
    const B = model.baths.length;
    this.plen = new Int32Array(B);
    this.gBB = new Float64Array(2 * B * B);
    // Chains short enough for the dense mode analysis keep the factorisation (their printed errors stay as they were).
    if (this.pathMode && B === 2 && sys.under && n > DENSE_MODES_MAX) {
      const order = chainOrder(sys);
      if (order) {
        const off = chainCouplings(sys, order);
        this.chain = {
          green: new ChainGreen(order, off),
          off,
          v: Float64Array.from(order, (i) => sys.vDiag[i]),
          m: Float64Array.from(order, (i) => sys.mass[i]),
          g0: sys.gamma[order[0]],
          g1: sys.gamma[order[n - 1]],
        };
      }
    }
    if (this.pathMode) {
      for (let b = 0; b < B; b++) {
        this.paths.push(new Int32Array(n));
        this.pr.push(new Float64Array(n));
        this.pi.push(new Float64Array(n));
      }
    }
  }

  /** Solves the bath columns of G(omega) (also used for the spectrum); `check`: compute the backward error. */
  solve(omega: number, check = false): void {
    if (this.chain && check) check = this.chainCheckDue();
    this.solveAs(omega, check);
  }

  /**
   * Chains: the recurrence's backward error is checked at the first 32 panel centres, then at every 16th; true if
   * this panel centre is one (counts the centres).
   */
  private chainCheckDue(): boolean {
    return !(this.chainChecks++ >= 32 && this.chainChecks % 16 !== 0);
  }

  /** solve, with the chain's check already decided. */
  private solveAs(omega: number, check: boolean): void {
    const { sys, plan } = this;
    const n = sys.n;
    const w2 = omega * omega;
    if (this.chain && !check) {
      if (this.solveChain(omega)) {
        this.evaluations++;
        return;
      }
    }
    // A checked chain centre: the recurrence (both ends) and its backward error. Its entries are the ones used, so
    // the sparse factorisation (whose entries the recurrence's replaced, and whose own backward error described a
    // solve whose result was not used) runs only where the recurrence fails.
    if (this.chain && check && this.checkChain(omega)) {
      this.evaluations++;
      return;
    }
    for (let i = 0; i < n; i++) {
      this.dRe[i] = sys.vDiag[i] - (sys.under ? w2 * sys.mass[i] : 0);
      this.dIm[i] = -omega * sys.gamma[i];
    }
    this.ldl.factor(this.dRe, this.dIm, sys.off);
    if (this.pathMode) {
      const B = plan.columns.length;
      for (let b = 0; b < B; b++) {
        this.plen[b] = this.ldl.forwardPath(sys.bathSite[b], this.paths[b], this.pr[b], this.pi[b], this.wr, this.wi);
      }
      for (let b = 0; b < B; b++) {
        for (let c = b; c < B; c++) {
          const [re, im] = this.ldl.inverseEntry(
            this.paths[b],
            this.pr[b],
            this.pi[b],
            this.plen[b],
            this.paths[c],
            this.pr[c],
            this.pi[c],
            this.plen[c],
          );
          this.gBB[2 * (b * B + c)] = this.gBB[2 * (c * B + b)] = re;
          this.gBB[2 * (b * B + c) + 1] = this.gBB[2 * (c * B + b) + 1] = im;
        }
      }
      if (check) {
        // The backward error of a full solve, at the centre of every panel.
        this.ldl.solveUnit(plan.colSite[0], this.xr[0], this.xi[0], this.wr, this.wi);
        this.checkResidual(plan.colSite[0], this.xr[0], this.xi[0]);
        this.wr.fill(0);
        this.wi.fill(0);
        // (A chain gets here only where its recurrence failed: checkChain has set the residual to Infinity.)
      }
      this.evaluations++;
      return;
    }
    for (let c = 0; c < plan.columns.length; c++) {
      this.ldl.solveUnit(plan.colSite[c], this.xr[c], this.xi[c], this.wr, this.wi);
      if (check) this.checkResidual(plan.colSite[c], this.xr[c], this.xi[c]);
    }
    this.evaluations++;
  }

  /** The chain recurrence at omega into gBB; false if it failed (then the sparse factorisation is used). */
  private solveChain(omega: number, full = false): boolean {
    const c = this.chain!;
    const g = c.green;
    g.evaluate(c.v, c.m, omega * omega, -omega * c.g0, -omega * c.g1, full || !this.endsOnly);
    const out = this.gBB;
    out[0] = g.g00re;
    out[1] = g.g00im;
    out[6] = g.gnnre;
    out[7] = g.gnnim;
    out[2] = out[4] = g.g0nre;
    out[3] = out[5] = g.g0nim;
    return Number.isFinite(g.g00re + g.g00im + g.gnnre + g.gnnim + g.g0nre + g.g0nim);
  }

  /**
   * At a checked panel centre: the recurrence's entries (both ends; false if it failed, with the residual set to
   * Infinity) and its normwise backward error (ChainGreen.backwardError: the columns of G at the two ends through
   * the same pivots, their residuals, and the entries used against them) enters the reported residual. (The
   * difference between the recurrence's entries and the factorisation's is not a backward error: at a frequency on
   * a narrow peak both are backward stable and still differ by up to eps times the condition number, ~omega /
   * half-width there. On the
   * 10^5-site fixed-end chain the lowest mode's peak, half-width 6e-10 of its frequency, put the two 2-5 % apart at
   * its panels' centres, where the recurrence agreed with a 34-digit evaluation to 1e-3; that difference over the
   * column's largest entry had been reported as "backward error 3.03e-6". The recurrence's columns there have
   * residuals of 1.6e-16; G_0n from the pivots of either end differs by 4.5 %, for the same reason.)
   */
  private checkChain(omega: number): boolean {
    if (!this.solveChain(omega, true)) {
      this.residual = Infinity;
      return false;
    }
    const c = this.chain!;
    const r = c.green.backwardError(c.v, c.m, omega * omega, -omega * c.g0, -omega * c.g1, true);
    if (!(r <= this.residual)) this.residual = Number.isNaN(r) ? Infinity : Math.max(this.residual, r);
    return true;
  }

  /** |G_bc(omega)|^2 for two baths (after solve). */
  green2(b: number, c: number): number {
    if (this.pathMode) {
      const B = this.plan.columns.length;
      return this.gBB[2 * (b * B + c)] ** 2 + this.gBB[2 * (b * B + c) + 1] ** 2;
    }
    const col = this.plan.colOfBath[c];
    const site = this.sys.bathSite[b];
    return this.xr[col][site] ** 2 + this.xi[col][site] ** 2;
  }

  private checkResidual(b: number, xr: Float64Array, xi: Float64Array): void {
    const { n, pattern, off } = this.sys;
    let rmax = 0;
    let xmax = 0;
    let amax = 0;
    for (let i = 0; i < n; i++) {
      let rr = this.dRe[i] * xr[i] - this.dIm[i] * xi[i];
      let ri = this.dRe[i] * xi[i] + this.dIm[i] * xr[i];
      let arow = Math.abs(this.dRe[i]) + Math.abs(this.dIm[i]);
      for (let q = pattern.ptr[i]; q < pattern.ptr[i + 1]; q++) {
        const j = pattern.idx[q];
        rr += off[q] * xr[j];
        ri += off[q] * xi[j];
        arow += Math.abs(off[q]);
      }
      if (i === b) rr -= 1;
      rmax = Math.max(rmax, Math.abs(rr) + Math.abs(ri));
      xmax = Math.max(xmax, Math.abs(xr[i]) + Math.abs(xi[i]));
      amax = Math.max(amax, arow);
    }
    const r = rmax / (amax * xmax + 1);
    if (!(r <= this.residual)) this.residual = Number.isNaN(r) ? Infinity : Math.max(this.residual, r);
  }

  /** Fills f with every integrand component at omega. */
  evaluate(omega: number, check = false): Float64Array {
    this.solve(omega, check);
    return this.integrand(omega);
  }

  /**
   * The integrand at omegas[0..count-1] into rows (row i at i * C), as `evaluate` node by node (the same numbers to
   * the bit), the node `centre` with the backward-error check. Chains whose G_00 is not needed (endsOnly): the
   * nodes not checked are swept POLE_LANES at a time by the pencil's complex lane kernel at real frequencies (its
   * pivots, product and last pivot are ChainGreen's, operation for operation: sqrt(b^2) = |b| exactly; the reduced
   * kernel complexEndLanes, which computes only those), ~5x less CPU time per frequency than one recurrence at a time.
   */
  evaluateMany(omegas: Float64Array, count: number, centre: number, rows: Float64Array): void {
    const C = this.plan.C;
    const pencil = this.lanePencil();
    if (!pencil) throw new Error("Evaluator.evaluateMany: only where canBatch()");
    const c = this.chain!;
    // The centre's check decided here, in panel order as node by node (a centre not checked is swept with the rest).
    const checked = centre >= 0 && centre < count && this.chainCheckDue() ? centre : -1;
    const L = POLE_LANES;
    const { laneRe: wr, laneIm: wi, laneAt: at } = this;
    const z = pencil.zLanes;
    const out = this.gBB;
    let used = 0;
    const flush = () => {
      for (let l = used; l < L; l++) wr[l] = wr[used - 1];
      // The last pivot and p only (the reduced kernel: the same numbers as the full sweep's).
      pencil.complexEndLanes(wr, wi, c.g0, c.g1, used);
      for (let l = 0; l < used; l++) {
        const i = at[l];
        const omega = omegas[i];
        // As ChainGreen.evaluate: G_nn = 1 / f_n, G_0n = p G_nn (p up to the sign (-1)^(n-1), which |G_0n|^2
        // does not see).
        const fRe = z.lastRe[l];
        const fIm = z.lastIm[l];
        const d = 1 / (fRe * fRe + fIm * fIm);
        const gnnre = fRe * d;
        const gnnim = -fIm * d;
        const scale = 2 ** z.pLog2[l];
        const pRe = z.pRe[l];
        const pIm = z.pIm[l];
        const g0nre = scale * (pRe * gnnre - pIm * gnnim);
        const g0nim = scale * (pRe * gnnim + pIm * gnnre);
        if (Number.isFinite(gnnre + gnnim + g0nre + g0nim)) {
          out[0] = out[1] = 0;
          out[6] = gnnre;
          out[7] = gnnim;
          out[2] = out[4] = g0nre;
          out[3] = out[5] = g0nim;
          this.evaluations++;
        } else this.solveAs(omega, false);
        rows.set(this.integrand(omega), i * C);
      }
      used = 0;
    };
    for (let i = 0; i < count; i++) {
      if (i === checked) {
        this.solveAs(omegas[i], true);
        rows.set(this.integrand(omegas[i]), i * C);
        continue;
      }
      wr[used] = omegas[i];
      at[used++] = i;
      if (used === L) flush();
    }
    if (used > 0) flush();
  }

  /** Whether evaluateMany applies: a chain whose G_00 is not needed, with the WebAssembly lane kernels. */
  canBatch(): boolean {
    return this.lanePencil() !== null;
  }

  /** The chain's pencil for evaluateMany where its lane sweeps run in WebAssembly; null: evaluate one at a time. */
  private lanePencil(): ChainPencil | null {
    if (!this.chain || !this.endsOnly) return null;
    if (this.pencil === undefined) {
      const c = this.chain!;
      const p = new ChainPencil(c.v, c.m, c.off);
      this.pencil = p.kernels === "wasm" ? p : null;
    }
    return this.pencil;
  }

  private pencil: ChainPencil | null | undefined;
  private readonly laneRe = new Float64Array(POLE_LANES);
  private readonly laneIm = new Float64Array(POLE_LANES);
  private readonly laneAt = new Int32Array(POLE_LANES);

  /** The integrand's components at omega from the last solve. */
  private integrand(omega: number): Float64Array {
    const { sys, plan, f, xr, xi, gc, gdT } = this;
    const n = sys.n;
    const B = this.model.baths.length;
    const ncol = plan.columns.length;
    const w2 = omega * omega;
    if (plan.pairs) {
      plan.pairs.forEach(([b, c], k) => (f[plan.offPair + k] = w2 * this.green2(b, c)));
      if (this.poles) f[plan.offPair] -= this.poles.sum(omega);
    } else {
      // Direct bath flux integrands, J_b = (2/pi) gamma_b int w^2 sum_c gamma_c (dT_b - dT_c) |G_bc|^2. Overdamped
      // (SolveRounding bounds their rounding), the sum compensated (Neumaier's TwoSum), so that its rounding is eps of
      // the sum plus ~(2 B eps)^2 of the terms' magnitudes, not B eps of them (a bath on each of 1000 sites).
      const comp = this.rounding !== undefined;
      for (let b = 0; b < B; b++) {
        const site = sys.bathSite[b];
        const col = plan.colOfBath[b];
        let s = 0;
        let e = 0;
        if (col >= 0) {
          const dTb = plan.dT[b];
          const Xr = xr[col],
            Xi = xi[col];
          for (let c = 0; c < B; c++) {
            if (c === b) continue;
            const sc = sys.bathSite[c];
            const t = this.model.baths[c].friction * (dTb - plan.dT[c]) * (Xr[sc] * Xr[sc] + Xi[sc] * Xi[sc]);
            if (comp) {
              const u = s + t;
              e += Math.abs(s) >= Math.abs(t) ? s - u + t : t - u + s;
              s = u;
            } else s += t;
          }
        } else {
          for (let c = 0; c < ncol; c++) {
            const t = -gdT[c] * (xr[c][site] * xr[c][site] + xi[c][site] * xi[c][site]);
            if (comp) {
              const u = s + t;
              e += Math.abs(s) >= Math.abs(t) ? s - u + t : t - u + s;
              s = u;
            } else s += t;
          }
        }
        f[plan.offDirect + b] = w2 * (s + e);
      }
    }
    for (let c = 0; c < ncol; c++) {
      const site = plan.colSite[c];
      if (this.pathMode) {
        const at = 2 * (c * ncol + c);
        f[plan.offSum + c] = sys.under ? omega * this.gBB[at + 1] : this.gBB[at];
      } else {
        f[plan.offSum + c] = sys.under ? omega * xi[c][site] : xr[c][site];
      }
    }
    const si = this.si,
      sj = this.sj;
    const S = si.length;
    // Where SolveRounding bounds the integrands' own rounding: Im(conj(x_i) x_j) as
    // Im(conj(x_i) (x_j - x_i)), whose products do not cancel on a stiff spring (x_i ~ x_j): its rounding is eps times
    // |x_i| |x_j - x_i|, not |x_i| |x_j|.
    const diff = this.rounding !== undefined;
    for (let k = 0; k < S; k++) {
      const i = si[k];
      const j = sj[k];
      let s = 0;
      for (let c = 0; c < ncol; c++) {
        const im = diff
          ? xr[c][i] * (xi[c][j] - xi[c][i]) - xi[c][i] * (xr[c][j] - xr[c][i])
          : xr[c][i] * xi[c][j] - xi[c][i] * xr[c][j];
        s += gdT[c] * im;
        if (plan.bySource) f[plan.offBySource + k * B + plan.columns[c]] = omega * gc[c] * im;
      }
      f[plan.offSpring + k] = omega * s;
    }
    if (this.rounding) this.rounding.fill(omega, f, this.ldl, xr, xi, gc, gdT);
    if (plan.temperatures) {
      const h = plan.offSiteH;
      const w = plan.offSiteW;
      for (let a = 0; a < n; a++) {
        f[h + a] = 0;
        f[w + a] = 0;
      }
      for (let c = 0; c < ncol; c++) {
        const r = xr[c],
          m = xi[c];
        const g = gc[c] * w2;
        const gt = gdT[c] * w2;
        for (let a = 0; a < n; a++) {
          const p = r[a] * r[a] + m[a] * m[a];
          f[h + a] += gt * p;
          f[w + a] += g * p;
        }
      }
    }
    return f;
  }
}

// ---------------------------------------------------------------------------
// Panels and the adaptive quadrature

class Panels {
  kind: Uint8Array;
  t0: Float64Array;
  t1: Float64Array;
  c: Float64Array;
  h: Float64Array;
  /** Largest error of a flux / temperature component on the panel, in physical units. */
  eFlux: Float64Array;
  eTemp: Float64Array;
  alive: Uint8Array;
  /** Rounding-noise floor of the panel's errors (flux / temperature units). */
  nFlux: Float64Array;
  nTemp: Float64Array;
  /** Consecutive splits in the panel's ancestry that did not reduce the error (rounding noise). */
  fails: Uint8Array;
  /** 1: Gauss-Kronrod 7-15 (a first pass), 0: 15-31. */
  rule: Uint8Array;
  /**
   * Displacement of the panel's peak by rounding over its half-width, at most 1 (the systematic rounding term is
   * twice this times the panel's integral of |f|): eps c / h on a peak's sinh panels, the mode's rounding share
   * where its position is ill-conditioned (peakRoundingShare; then also on the linear panels of a broad peak and,
   * for a mode at frequency 0, the lowest linear stretch); 0 otherwise.
   */
  shift: Float64Array;
  size = 0;

  constructor(capacity = 1024) {
    this.kind = new Uint8Array(capacity);
    this.t0 = new Float64Array(capacity);
    this.t1 = new Float64Array(capacity);
    this.c = new Float64Array(capacity);
    this.h = new Float64Array(capacity);
    this.eFlux = new Float64Array(capacity);
    this.eTemp = new Float64Array(capacity);
    this.alive = new Uint8Array(capacity);
    this.nFlux = new Float64Array(capacity);
    this.nTemp = new Float64Array(capacity);
    this.fails = new Uint8Array(capacity);
    this.rule = new Uint8Array(capacity);
    this.shift = new Float64Array(capacity);
  }

  add(kind: number, t0: number, t1: number, c = 0, h = 0): number {
    if (this.size === this.kind.length) this.grow();
    const k = this.size++;
    this.kind[k] = kind;
    this.t0[k] = t0;
    this.t1[k] = t1;
    this.c[k] = c;
    this.h[k] = h;
    this.alive[k] = 1;
    this.fails[k] = 0;
    this.rule[k] = 0;
    this.shift[k] = kind === Var.SinhLeft || kind === Var.SinhRight ? EPS * (c / h) : 0;
    return k;
  }

  /** Range [t0, t1] split into `parts` panels of one map. */
  addSplit(kind: number, t0: number, t1: number, parts: number, c = 0, h = 0): void {
    for (let k = 0; k < parts; k++) {
      this.add(kind, t0 + ((t1 - t0) * k) / parts, k + 1 === parts ? t1 : t0 + ((t1 - t0) * (k + 1)) / parts, c, h);
    }
  }

  private grow(): void {
    const cap = this.kind.length * 2;
    const g8 = (a: Uint8Array) => {
      const b = new Uint8Array(cap);
      b.set(a);
      return b;
    };
    const g64 = (a: Float64Array) => {
      const b = new Float64Array(cap);
      b.set(a);
      return b;
    };
    this.kind = g8(this.kind);
    this.alive = g8(this.alive);
    this.nFlux = g64(this.nFlux);
    this.nTemp = g64(this.nTemp);
    this.fails = g8(this.fails);
    this.rule = g8(this.rule);
    this.shift = g64(this.shift);
    this.t0 = g64(this.t0);
    this.t1 = g64(this.t1);
    this.c = g64(this.c);
    this.h = g64(this.h);
    this.eFlux = g64(this.eFlux);
    this.eTemp = g64(this.eTemp);
  }

  /** Angular-frequency interval covered by panel k. */
  omegaRange(k: number): [number, number] {
    const a = omegaOf(this.kind[k], this.c[k], this.h[k], this.t0[k]);
    const b = omegaOf(this.kind[k], this.c[k], this.h[k], this.t1[k]);
    return a <= b ? [a, b] : [b, a];
  }
}

/** Binary max-heap of panel indices by a priority array. */
class Heap {
  private readonly items: number[] = [];
  constructor(private readonly key: (k: number) => number) {}
  get length(): number {
    return this.items.length;
  }
  push(k: number): void {
    const a = this.items;
    a.push(k);
    let i = a.length - 1;
    const kk = this.key(k);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (this.key(a[p]) >= kk) break;
      a[i] = a[p];
      i = p;
    }
    a[i] = k;
  }
  pop(): number {
    const a = this.items;
    const top = a[0];
    const last = a.pop()!;
    if (a.length > 0) {
      let i = 0;
      const kl = this.key(last);
      for (;;) {
        const l = 2 * i + 1;
        if (l >= a.length) break;
        const r = l + 1;
        const m = r < a.length && this.key(a[r]) > this.key(a[l]) ? r : l;
        if (this.key(a[m]) <= kl) break;
        a[i] = a[m];
        i = m;
      }
      a[i] = last;
    }
    return top;
  }
}

interface Quadrature {
  /** Integral of every component over [0, infinity). */
  value: Float64Array;
  /** Summed |Kronrod - Gauss| of every component. */
  error: Float64Array;
  evaluations: number;
  panels: Panels;
  converged: boolean;
  /** Panels not split further: at their rounding-noise floor, or next to a peak too narrow to resolve. */
  stuck: number;
}

/**
 * Globally adaptive Gauss-Kronrod over the panels: all panels are evaluated once, then the panel with the largest
 * (normalised) error is split in two until every component's summed error is below tolerance. A split panel's
 * contribution is removed by evaluating it again (no per-panel vectors are stored: memory stays O(components)).
 * A panel that cannot be split (narrower than 1e-13 of its frequency, or next to a peak too narrow to resolve)
 * keeps its contribution; its error moves out of the convergence test into the reported error.
 */
function adaptiveQuadrature(
  ev: Evaluator,
  plan: Plan,
  panels: Panels,
  tol: number,
  budget: number,
  scales: () => { flux: number; temp: number },
  totals: { value: Float64Array; comp: Float64Array; error: Float64Array },
  guarded: (w0: number, w1: number) => boolean,
  firstPass15 = false,
  safety = 1,
  monitor?: QuadratureMonitor,
): Quadrature {
  const C = plan.C;
  const K = new Float64Array(C);
  const D = new Float64Array(C);
  const A = new Float64Array(C);
  const parentK = new Float64Array(C);
  const childK = new Float64Array(C);
  const stuckError = new Float64Array(C);
  // Rounding moves a peak's pole by ~eps omega: a systematic error ~eps (omega / h) of a peak panel's content,
  // which no refinement removes. Reported, not a refinement target.
  const sysError = new Float64Array(C);
  const { value, comp, error } = totals;
  const { weight, isTemp } = plan;
  // Each panel's contribution is kept while memory allows (256 MB), so that removing a split panel costs nothing;
  // otherwise the panel is evaluated again.
  const cacheK: (Float64Array | undefined)[] = [];
  const cacheE: (Float64Array | undefined)[] = [];
  const cacheA: (Float64Array | undefined)[] = [];
  let cached = 0;
  const cacheLimit = 16e6;
  // A panel's nodes and their Jacobians; long chains: their integrands, evaluated together (Evaluator.evaluateMany).
  const nodes = new Float64Array(GK_POINTS);
  const jacs = new Float64Array(GK_POINTS);
  const rows = ev.canBatch() ? new Float64Array(GK_POINTS * C) : undefined;
  /** mode 1: add the panel; -1: remove it; 0: move its error to the stuck panels' error. */
  const add = (k: number, mode: number): void => {
    const kind = panels.kind[k],
      c = panels.c[k],
      h = panels.h[k];
    const mid = 0.5 * (panels.t0[k] + panels.t1[k]);
    const half = 0.5 * (panels.t1[k] - panels.t0[k]);
    const hit = mode !== 1 && cacheK[k] !== undefined;
    if (hit) {
      K.set(cacheK[k]!);
      D.set(cacheE[k]!);
      A.set(cacheA[k]!);
      cacheK[k] = cacheE[k] = cacheA[k] = undefined;
      cached -= 3 * C;
    } else {
      K.fill(0);
      D.fill(0);
      A.fill(0);
      const { x: X, wk: WK, wd: WD, centre } = panels.rule[k] === 1 ? GK15 : GK31;
      for (let g = 0; g < X.length; g++) {
        const t = mid + half * X[g];
        nodes[g] = omegaOf(kind, c, h, t);
        jacs[g] = jacobianOf(kind, c, h, t) * half;
      }
      // The backward error of the solves is checked at the centre of every panel.
      if (rows) ev.evaluateMany(nodes, X.length, centre, rows);
      for (let g = 0; g < X.length; g++) {
        const f = rows ?? ev.evaluate(nodes[g], g === centre);
        const at = rows ? g * C : 0;
        const jac = jacs[g];
        const wk = WK[g] * jac;
        const wd = WD[g] * jac;
        const wa = Math.abs(wk);
        for (let i = 0; i < C; i++) {
          const x = f[at + i];
          K[i] += wk * x;
          D[i] += wd * x;
          A[i] += wa * Math.abs(x);
        }
      }
      for (let i = 0; i < C; i++) D[i] = safety * Math.abs(D[i]);
      if (mode === 1) {
        // Rounding noise near a peak of half-width h at c: ~eps c / h of the panel's content.
        const rel = 4 * EPS * (kind === Var.SinhLeft || kind === Var.SinhRight ? Math.max(1, c / h) : 100);
        let nF = 0;
        let nT = 0;
        for (let i = 0; i < C; i++) {
          const a = weight[i] * A[i];
          if (isTemp[i]) nT = Math.max(nT, a);
          else nF = Math.max(nF, a);
        }
        panels.nFlux[k] = safety * rel * nF;
        panels.nTemp[k] = safety * rel * nT;
      }
    }
    // The peak's displacement by rounding over its half-width (Panels.shift: eps c / h unless the mode's position
    // is ill-conditioned). Only the reported term grows; the noise floor that stops refinement is unchanged (the
    // values are too).
    const sys = 2 * panels.shift[k];
    if (mode !== 0 && sys > 0) {
      for (let i = 0; i < C; i++) sysError[i] += mode * sys * A[i];
      // (Peak panels only: a cached panel is removed without evaluations, which moves the stall rule's checkpoints.)
      if (mode === 1 && (kind === Var.SinhLeft || kind === Var.SinhRight) && cached + 3 * C <= cacheLimit) {
        cacheK[k] = K.slice();
        cacheE[k] = D.slice();
        cacheA[k] = A.slice();
        cached += 3 * C;
      }
    }
    if (mode === 0) {
      for (let i = 0; i < C; i++) {
        error[i] -= D[i];
        stuckError[i] += D[i];
      }
      return;
    }
    let eF = 0;
    let eT = 0;
    for (let i = 0; i < C; i++) {
      // Neumaier summation of the running totals.
      const x = mode * K[i];
      const s = value[i] + x;
      comp[i] += Math.abs(value[i]) >= Math.abs(x) ? value[i] - s + x : x - s + value[i];
      value[i] = s;
      const e = D[i];
      error[i] += mode * e;
      const we = weight[i] * e;
      if (isTemp[i]) eT = Math.max(eT, we);
      else eF = Math.max(eF, we);
    }
    panels.eFlux[k] = eF;
    panels.eTemp[k] = eT;
  };
  if (firstPass15) panels.rule.fill(1, 0, panels.size);
  for (let k = 0; k < panels.size; k++) {
    add(k, 1);
    if ((k & 15) === 15) monitor?.tick(ev.evaluations);
  }
  const s0 = scales();
  const fluxNorm = tol * s0.flux;
  const tempNorm = tol * s0.temp;
  const priority = (k: number) => Math.max(panels.eFlux[k] / fluxNorm, panels.eTemp[k] / tempNorm);
  const heap = new Heap(priority);
  for (let k = 0; k < panels.size; k++) heap.push(k);
  let converged = false;
  let stuck = 0;
  // The values at the stall rule's last checkpoint.
  let atCheck: Float64Array | undefined;
  for (;;) {
    const s = scales();
    let worstFlux = 0;
    let worstTemp = 0;
    for (let i = 0; i < C; i++) {
      const we = weight[i] * Math.max(error[i], 0);
      if (isTemp[i]) worstTemp = Math.max(worstTemp, we);
      else worstFlux = Math.max(worstFlux, we);
    }
    if (worstFlux <= tol * s.flux && worstTemp <= tol * s.temp) {
      converged = stuck === 0;
      break;
    }
    if (heap.length === 0 || ev.evaluations + 3 * GK_POINTS > budget) break;
    // Progress, abort, time limit and the stall rule (solveControl.ts).
    if (monitor?.step(ev.evaluations, Math.max(worstFlux / (tol * s.flux), worstTemp / (tol * s.temp)))) {
      // Stopped on a stall: each quantity's change since the last checkpoint enters its error (solveControl.ts).
      if (monitor.stopped === "stalled" && atCheck)
        for (let i = 0; i < C; i++) stuckError[i] += Math.abs(value[i] + comp[i] - atCheck[i]);
      break;
    }
    if (monitor?.checkpoint) {
      atCheck ??= new Float64Array(C);
      for (let i = 0; i < C; i++) atCheck[i] = value[i] + comp[i];
    }
    const k = heap.pop();
    if (priority(k) <= 0) {
      converged = stuck === 0;
      break;
    }
    const t0 = panels.t0[k];
    const t1 = panels.t1[k];
    const tm = 0.5 * (t0 + t1);
    const w0 = omegaOf(panels.kind[k], panels.c[k], panels.h[k], t0);
    const w1 = omegaOf(panels.kind[k], panels.c[k], panels.h[k], t1);
    const lo = Math.min(w0, w1);
    const hi = Math.max(w0, w1);
    // Three splits in a row that left the error where it was: rounding noise, except where the error is far above
    // the panel's rounding floor away from every located peak (not a sinh panel): there a peak the mode analysis
    // did not see as narrow hides between the nodes, and the splits close in on it (HIDDEN_PEAK).
    const atFloor = panels.eFlux[k] <= panels.nFlux[k] && panels.eTemp[k] <= panels.nTemp[k];
    const hidden =
      panels.kind[k] !== Var.SinhLeft &&
      panels.kind[k] !== Var.SinhRight &&
      (panels.eFlux[k] > HIDDEN_PEAK * panels.nFlux[k] || panels.eTemp[k] > HIDDEN_PEAK * panels.nTemp[k]) &&
      priority(k) > HIDDEN_PEAK;
    const atNoise = atFloor || (panels.fails[k] >= 3 && !hidden);
    if (atNoise || !(tm > t0 && tm < t1) || hi - lo <= 1e-13 * hi || guarded(lo, hi)) {
      add(k, 0);
      stuck++;
      continue;
    }
    add(k, -1);
    parentK.set(K);
    panels.alive[k] = 0;
    const a = panels.add(panels.kind[k], t0, tm, panels.c[k], panels.h[k]);
    const b = panels.add(panels.kind[k], tm, t1, panels.c[k], panels.h[k]);
    panels.shift[a] = panels.shift[b] = panels.shift[k];
    add(a, 1);
    childK.set(K);
    add(b, 1);
    // Roundoff detection (as QUADPACK): a split that leaves the error where it was while the value does not move
    // (by a tenth of the error), twice in a row, means the panel's error is rounding noise; its descendants are
    // then not split again.
    const before = priority(k);
    let moved = 0;
    for (let i = 0; i < C; i++) {
      const d = weight[i] * Math.abs(childK[i] + K[i] - parentK[i]);
      moved = Math.max(moved, d / (isTemp[i] ? tempNorm : fluxNorm));
    }
    // A long sinh panel (a peak's tail, large networks) is not yet resolved when its error stalls: not noise.
    const sinh = panels.kind[k] === Var.SinhLeft || panels.kind[k] === Var.SinhRight;
    const long = sinh && t1 - t0 > SINH_PANEL * (1 + 1e-12);
    const noisy = !long && priority(a) + priority(b) >= 0.7 * before && moved <= 4 * before;
    const fail = noisy ? panels.fails[k] + 1 : 0;
    panels.fails[a] = panels.fails[b] = Math.min(fail, 255);
    heap.push(a);
    heap.push(b);
  }
  const out = new Float64Array(C);
  for (let i = 0; i < C; i++) {
    out[i] = value[i] + comp[i];
    error[i] = Math.max(error[i], 0) + stuckError[i] + Math.max(sysError[i], 0);
  }
  return { value: out, error, evaluations: ev.evaluations, panels, converged, stuck };
}

// ---------------------------------------------------------------------------
// Initial panels

/**
 * Dense networks up to this many sites with a broad peak (hasBroadMode) take their panels from the poles of the
 * pencil (pencilPeaks); above, from the normal modes' first-order widths.
 */
const PENCIL_POLES_MAX = 48;

/**
 * A mode whose first-order half-width is not below a quarter of the half-gap to its neighbours (modePanels' broad
 * peak): there the first-order widths can be far off the poles' (pencilPeaks).
 */
function hasBroadMode(modes: ModeData): boolean {
  const w = modes.omega;
  for (let k = 0; k < w.length; k++) {
    if (!(w[k] > 0)) continue;
    const halfL = 0.5 * (w[k] - (k > 0 ? w[k - 1] : 0));
    const halfR = k + 1 < w.length ? 0.5 * (w[k + 1] - w[k]) : Infinity;
    if (!(modes.halfWidth[k] < 0.25 * Math.min(halfL, halfR))) return true;
  }
  return false;
}

/**
 * A bath site whose friction / mass is above this many times the highest normal-mode frequency takes the pencil's
 * poles (pencilPeaks): there the first-order widths are far off. Not below: on the audit draws (random seeds 4 and
 * 5 of scripts/fuzz-exact-methods.js, 367 networks) the poles' panels found weight the first-order panels had
 * missed, and the missing-weight bounds that had covered the remaining (rounding-level) actual errors by chance
 * fell below them: wherever a mode is broad, 9 networks newly beyond their errors (up to 88 times) against 1 newly
 * covered; from 100 times the highest frequency, 2 (a spring to a leaf at 502 times, 1.55 times its error; a
 * kinetic temperature at 1.7e4 times, 2.05 times) against the same 1 (8.5e4 times).
 */
const OVERDAMPED_SITE = 5e4;

/** A bath site with friction / mass above OVERDAMPED_SITE times every normal mode's frequency. */
function overdampedSite(sys: NetworkSystem, modes: ModeData): boolean {
  const top = modes.omega.length > 0 ? modes.omega[modes.omega.length - 1] : 0;
  for (const b of sys.bathSite) if (sys.gamma[b] / sys.mass[b] > OVERDAMPED_SITE * top) return true;
  return false;
}

/**
 * The peaks of the transmission integrands from the poles of G itself (pencilPoles, windowPoles.ts) instead of the
 * normal modes' first-order widths, which are wrong wherever peaks overlap or a site's friction/mass is far above
 * the frequencies (the first-order theory's small parameter): a network with a site at friction/mass 7.9e6 had modes
 * at 0.0247 and 4.6 given half-widths 12.7 and 57 while the poles are 0.02524 - 5.3e-6 i and 16.25 - 5.3e-4 i (no
 * mode near 16), and the peak at 21.36 was 2.76e-9 wide against a first-order 2.4e-8; a bath flux there was off by
 * 2.9 times its error. An underdamped pole z (Re z > 0) is a peak at Re z of half-width -Im z; an overdamped one
 * (z = -i kappa) a step of the integrand at omega ~ kappa, which the log panels from the smallest kappa resolve
 * (lowScale). Each peak's rounding share as peakRoundingShare, from the pole's vector. Undefined (the modes' panels
 * then) where the eigenvalue solver fails or a pole is too narrow to resolve (the modes' accounting of unresolvable
 * peaks stays the first-order one).
 */
function pencilPeaks(
  sys: NetworkSystem,
): { omega: Float64Array; halfWidth: Float64Array; roundingShare: Float64Array; lowScale: number } | undefined {
  const n = sys.n;
  const V = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    V[i * n + i] = sys.vDiag[i];
    for (let q = sys.pattern.ptr[i]; q < sys.pattern.ptr[i + 1]; q++) V[i * n + sys.pattern.idx[q]] = sys.off[q];
  }
  const p = pencilPoles(n, V, sys.mass, sys.gamma);
  if (!p) return undefined;
  let firstPeak = Infinity;
  for (let k = 0; k < p.re.length; k++) if (p.re[k] > 0) firstPeak = Math.min(firstPeak, p.re[k]);
  // Underdamped poles; overdamped ones above half the lowest peak as broad peaks at kappa, half-width kappa (their
  // stretch gets linear panels, and a narrow neighbour's sinh panels end half-way to them, not at the band's top
  // with its noise floor eps c / h); below, the log panels.
  const order: number[] = [];
  let lowScale = Infinity;
  for (let k = 0; k < p.re.length; k++) {
    if (p.re[k] > 0 || -p.im[k] >= 0.5 * firstPeak) order.push(k);
    else lowScale = Math.min(lowScale, -p.im[k]);
  }
  const centre = (k: number) => (p.re[k] > 0 ? p.re[k] : -p.im[k]);
  order.sort((a, b) => centre(a) - centre(b));
  const m = order.length;
  const omega = new Float64Array(m);
  const halfWidth = new Float64Array(m);
  const roundingShare = new Float64Array(m);
  for (let j = 0; j < m; j++) {
    const k = order[j];
    const c = centre(k);
    const h = -p.im[k];
    if (!(h >= UNRESOLVABLE_WIDTH * c)) return undefined;
    omega[j] = c;
    halfWidth[j] = h;
    roundingShare[j] = Math.min(1, p.dl[k] / (2 * h * Math.max(c, 2 * h)));
  }
  // (Not below 1e-12 of the lowest peak: log panels over every decade down to there.)
  if (!Number.isFinite(lowScale)) lowScale = 0;
  else if (Number.isFinite(firstPeak)) lowScale = Math.max(lowScale, 1e-12 * firstPeak);
  return { omega, halfWidth, roundingShare, lowScale };
}

/**
 * Panels from the normal modes. A narrow peak (half-width below a quarter of the half-gap to its neighbours) gets a
 * sinh map on each side, out to half-way to its neighbours; between them, linear panels, one for every two broad
 * (overlapping) peaks, which the adaptive quadrature refines as needed; a peak too narrow to resolve gets a
 * breakpoint at its centre (for the guard). Modes not `wanted` (their estimated share of every integral is below
 * the tolerance) get no panels of their own, and with `dropUnwanted` (large networks) no breakpoints either (a long
 * disordered chain has thousands of localised modes, each of which would cost a panel of 31 evaluations): their
 * wanted neighbours' panels span them.
 * Then the tail.
 */
/** The initial linear panels one broad peak may ask for (modePanels). */
const BROAD_PEAK_PANELS = 4096;

function modePanels(
  modes: Pick<ModeData, "omega" | "halfWidth" | "roundingShare">,
  top: number,
  wanted: (k: number) => boolean,
  dropUnwanted: boolean,
  tail = true,
  minLinear = 0,
  lowScale = 0,
): Panels {
  const panels = new Panels(Math.max(1024, 4 * modes.omega.length));
  const w = modes.omega;
  const h = modes.halfWidth;
  let x = 0;
  const first = w.length > 0 ? w[0] : top;
  if (lowScale > 0 && lowScale < 0.5 * first) {
    // A linear panel up to lowScale, log panels from there to half the lowest mode (see lowFrequencyScale). (Not
    // below: there the pencil's condition grows as 1/omega and the two chain solves of the residual check part by
    // more than 1e-8 at the centre of a panel from lowScale / 8; the integrand is ~omega^2 there, smooth.)
    const a = lowScale;
    const b = 0.5 * first;
    panels.add(Var.Linear, 0, a);
    panels.addSplit(Var.Log, Math.log(a), Math.log(b), Math.max(2, Math.ceil(3 * Math.log10(b / a))));
    x = b;
  }
  // Merge modes closer than 1e-12 relative (one peak centre); keep the narrowest width.
  const centres: number[] = [];
  const widths: number[] = [];
  const keep: boolean[] = [];
  const rounds: number[] = [];
  /**
   * The share of a peak at c (half-width h) that rounding can move (ModeData.roundingShare), where it exceeds
   * eps c / h by at least ILL_SHIFT; otherwise 0 (the panels keep their default).
   */
  const illShift = (c: number, h: number, share: number): number => (share - EPS * (c / h) >= ILL_SHIFT ? share : 0);
  // The largest share of an ill-conditioned broad peak inside the current linear stretch; from modes at
  // frequency 0 (rounding put their eigenvalue at or below 0, or an unpinned part), the first stretch's.
  let linShift = 0;
  for (let k = 0; k < w.length; k++) {
    if (!(w[k] > 0) && modes.roundingShare) linShift = Math.max(linShift, illShift(0, 1, modes.roundingShare[k]));
  }
  for (let k = 0; k < w.length; k++) {
    // Modes not wanted are left out altogether: the panels of their wanted neighbours span them.
    if (!(w[k] > 0) || (dropUnwanted && !wanted(k))) continue;
    const last = centres.length - 1;
    const r = modes.roundingShare?.[k] ?? 0;
    if (last >= 0 && w[k] - centres[last] <= 1e-12 * w[k]) {
      widths[last] = Math.min(widths[last], h[k]);
      keep[last] ||= wanted(k);
      rounds[last] = Math.max(rounds[last], r);
    } else {
      centres.push(w[k]);
      widths.push(h[k]);
      keep.push(wanted(k));
      rounds.push(r);
    }
  }
  const M = centres.length;
  // Broad peaks inside the current linear stretch: about one panel per two half-widths.
  let density = 0;
  const linearTo = (end: number) => {
    const first = panels.size;
    if (end > x)
      panels.addSplit(Var.Linear, x, end, Math.max(1, Math.ceil(density), Math.ceil((minLinear * (end - x)) / top)));
    if (linShift > 0) panels.shift.fill(linShift, first, panels.size);
    x = Math.max(x, end);
    density = 0;
    linShift = 0;
  };
  for (let k = 0; k < M; k++) {
    const c = centres[k];
    const width = widths[k];
    const halfL = 0.5 * (c - (k > 0 ? centres[k - 1] : 0));
    const halfR = 0.5 * ((k + 1 < M ? centres[k + 1] : top) - c);
    if (width < UNRESOLVABLE_WIDTH * c) {
      linearTo(c);
      continue;
    }
    if (!keep[k]) continue;
    if (!(width < 0.25 * Math.min(halfL, halfR))) {
      // At most BROAD_PEAK_PANELS from one peak: a broad peak far from its neighbours (a half-gap 10^10 of its
      // widths, beside a stiff or light site) asked for one panel per two half-widths of the whole gap, 10^10 panels
      // (gigabytes before the first evaluation); its tail is smooth, left to the adaptive splitting.
      density += Math.min((halfL + halfR) / width, BROAD_PEAK_PANELS);
      linShift = Math.max(linShift, illShift(c, width, rounds[k]));
      continue;
    }
    linearTo(c - halfL);
    for (const [kind, span] of [
      [Var.SinhLeft, halfL],
      [Var.SinhRight, halfR],
    ] as const) {
      const tmax = Math.asinh(span / width);
      const first = panels.size;
      if (dropUnwanted && tmax > 2 * SINH_PANEL) {
        // Large networks: the peak's core, then one panel for its tail and the background out to the half-gap
        // (in t both are sums of e^-t and e^t, smooth: the adaptive step splits it where it needs to).
        panels.add(kind, 0, SINH_PANEL, c, width);
        panels.add(kind, SINH_PANEL, tmax, c, width);
      } else panels.addSplit(kind, 0, tmax, Math.max(1, Math.ceil(tmax / SINH_PANEL)), c, width);
      const shift = illShift(c, width, rounds[k]);
      if (shift > 0) panels.shift.fill(shift, first, panels.size);
    }
    x = c + halfR;
  }
  linearTo(top);
  if (tail) panels.addSplit(Var.Tail, 0, 1, 4, top, 0);
  return panels;
}

/**
 * The chain pole path (ChainPoles): a peak skipped by negligibleModes stays in the remainder that the quadrature
 * integrates, unresolved (narrower than its panels' nodes), so its whole content is missing, and that content is
 * not only its Breit-Wigner share g_l g_r / Gamma |dT| (the square of its own term): near the peak G_0n = B + a /
 * (2 w (w_nu - w - i h)) with a = u_0 u_n and B the rest, and the cross term 2 Re(conj(B) ...) integrates to
 * pi |a| |B| / w at most. With |B| <= 1 / (2 w sqrt(gamma_l gamma_r)) (the transmission between two baths is at most
 * 1; B is the part of G_0n that varies slowly across the peak) its flux is at most sqrt(g_l g_r) |dT|, which for a
 * mode at one end (g_l >> g_r) is far above the Breit-Wigner share g_r |dT|: a fixed-end chain of 400 sites, masses
 * 1 +- 90 %, seed 1, tolerance 1e-6 was off by 2.9e-7 of J against a reported 5.5e-8 (peaks of modes at a damped end
 * with u_n^2 ~ 1e-11, 200 times their Breit-Wigner share above the background). Skipped only while the sum of
 * both stays below 1 % of the tolerance, and both enter the error.
 */
const CROSS_SHARE = true;

/**
 * Modes whose peaks carry a negligible share of every bath flux (fluxes-only runs): the Breit-Wigner estimate of an
 * isolated peak's share of the Landauer integral of baths b, c is g_b g_c / Gamma_nu (g_b = gamma_b u_b^2,
 * Gamma_nu = sum_b g_b); the smallest are skipped while their summed estimate stays below 1% of the tolerance. A
 * chain's shares are at most what its modes' product bounds allow (ModeData.productBound: sqrt(g_b g_c) <=
 * sqrt(gamma_b gamma_c) times the bound), below the end weights' rounding floor.
 * Returns the skipped modes, their summed weight m_b u_b^2 at every bath (left out of the sum rule) and their summed
 * flux estimate per bath (added to its error).
 */
function negligibleModes(
  modes: ModeData,
  model: NetworkModel,
  tol: number,
  interference = false,
): { mode: Uint8Array; weight: Float64Array; flux: Float64Array } {
  const M = modes.omega.length;
  const B = model.baths.length;
  const share = new Float64Array(M);
  // The share of a skipped peak (see CROSS_SHARE): Breit-Wigner, plus with `interference` its cross term.
  // A chain's two ends (B = 2): sqrt(g_b g_c) is at most sqrt(gamma_b gamma_c) times the mode's product bound
  // (chainModes), which holds where the end weights are at their rounding floor; the Breit-Wigner share
  // g_b g_c / (g_b + g_c) is at most half of it.
  const bound = B === 2 ? modes.productBound : undefined;
  const peakShare = (gb: number, gc: number, G: number, dT: number, k: number, fb: number, fc: number) => {
    const s = (gb * gc * dT) / G + (interference ? Math.sqrt(gb * gc) * dT : 0);
    if (!bound) return s;
    return Math.min(s, (0.5 + (interference ? 1 : 0)) * Math.sqrt(fb * fc) * bound[k] * dT);
  };
  const bwShare = (gb: number, gc: number, G: number, dT: number, k: number, fb: number, fc: number) =>
    bound ? Math.min((gb * gc * dT) / G, 0.5 * Math.sqrt(fb * fc) * bound[k] * dT) : (gb * gc * dT) / G;
  let total = 0;
  const unlocated = modes.unlocated;
  for (let k = 0; k < M; k++) {
    if (unlocated?.[k]) continue;
    const G = 2 * modes.halfWidth[k];
    let s = 0;
    let bw = 0;
    for (let b = 0; b < B; b++) {
      for (let c = b + 1; c < B; c++) {
        const fb = model.baths[b].friction;
        const fc = model.baths[c].friction;
        const gb = fb * modes.bathAmp2[k * B + b];
        const gc = fc * modes.bathAmp2[k * B + c];
        const dT = Math.abs(model.baths[b].temperature - model.baths[c].temperature);
        // A mode without bath weight (to rounding) carries no flux; one of a cluster (NaN amplitudes) is kept.
        if (Number.isNaN(gb) || Number.isNaN(gc)) s = bw = Infinity;
        else if (gb > 0 && gc > 0) {
          s += peakShare(gb, gc, G, dT, k, fb, fc);
          bw += bwShare(gb, gc, G, dT, k, fb, fc);
        }
      }
    }
    share[k] = Number.isFinite(s) ? s : Infinity;
    // The total current is estimated from the Breit-Wigner shares (the cross terms are bounds, not currents).
    if (Number.isFinite(bw)) total += bw;
  }
  const order = Array.from({ length: M }, (_, k) => k).sort((a, b) => share[a] - share[b]);
  const mode = new Uint8Array(M);
  const weight = new Float64Array(B);
  const flux = new Float64Array(B);
  let sum = 0;
  // The modes chainModes left unlocated (B = 2, the pole path): skipped, each with its bound's share (their weights at
  // the ends are not known: a screened chain checks no sum rule).
  if (unlocated && bound && B === 2)
    for (let k = 0; k < M; k++) {
      if (!unlocated[k]) continue;
      const fb = model.baths[0].friction;
      const fc = model.baths[1].friction;
      const s =
        (0.5 + (interference ? 1 : 0)) *
        Math.sqrt(fb * fc) *
        bound[k] *
        Math.abs(model.baths[0].temperature - model.baths[1].temperature);
      mode[k] = 1;
      sum += s;
      flux[0] += s;
      flux[1] += s;
    }
  for (const k of order) {
    if (unlocated?.[k]) continue;
    if (!(sum + share[k] <= 0.01 * tol * total)) break;
    sum += share[k];
    mode[k] = 1;
    const G = 2 * modes.halfWidth[k];
    for (let b = 0; b < B; b++) {
      const u2 = modes.bathAmp2[k * B + b];
      weight[b] += model.mass[model.baths[b].site] * u2;
      for (let c = 0; c < B; c++) {
        if (c === b) continue;
        const fb = model.baths[b].friction;
        const fc = model.baths[c].friction;
        const gb = fb * u2;
        const gc = fc * modes.bathAmp2[k * B + c];
        if (gb > 0 && gc > 0)
          flux[b] += peakShare(gb, gc, G, Math.abs(model.baths[b].temperature - model.baths[c].temperature), k, fb, fc);
      }
    }
  }
  return { mode, weight, flux };
}

/** Overdamped (poles on the imaginary axis at -i lambda, lambda in [lo, hi]): log-spaced panels, then the tail. */
function logPanels(lo: number, hi: number): Panels {
  const panels = new Panels();
  const a = lo / 8;
  const b = hi * 8;
  panels.addSplit(Var.Linear, 0, a, 2);
  const decades = Math.log10(b / a);
  panels.addSplit(Var.Log, Math.log(a), Math.log(b), Math.max(2, Math.ceil(3 * decades)));
  panels.addSplit(Var.Tail, 0, 1, 4, b, 0);
  return panels;
}

/** Smallest eigenvalue of (V, Gamma) to within a factor 4, by the inertia. */
function smallestRate(sys: NetworkSystem, top: number): number {
  const pencil = new RealPencil(sys, sys.gamma);
  let lam = top;
  for (let it = 0; it < 200 && lam > 0; it++) {
    if (pencil.factor(lam) === 0) return lam;
    lam /= 4;
  }
  return lam;
}

// ---------------------------------------------------------------------------
// The solve

/**
 * The sites of a chain (a path graph) from the site of the first bath to the site of the second, which must be its
 * two ends; undefined for any other network (or fewer than 3 sites).
 */
function chainOrder(sys: NetworkSystem): Int32Array | undefined {
  const { n, pattern } = sys;
  if (n < 3 || sys.bathSite.length !== 2) return undefined;
  const order = new Int32Array(n);
  let prev = -1;
  let cur = sys.bathSite[0];
  for (let k = 0; k < n; k++) {
    order[k] = cur;
    const deg = pattern.ptr[cur + 1] - pattern.ptr[cur];
    if (deg > (k === 0 ? 1 : 2)) return undefined;
    if (k === n - 1) break;
    let next = -1;
    for (let q = pattern.ptr[cur]; q < pattern.ptr[cur + 1]; q++) if (pattern.idx[q] !== prev) next = pattern.idx[q];
    if (next < 0) return undefined;
    prev = cur;
    cur = next;
  }
  return cur === sys.bathSite[1] && pattern.ptr[cur + 1] - pattern.ptr[cur] === 1 ? order : undefined;
}

/**
 * Exact steady state of a linear network by the frequency-domain method (fluxes and kinetic temperatures without the
 * dense covariance: large sparse networks). Takes any `Model`; a particles model is refused with a ModelError.
 *
 * @example
 * ```ts
 * import { loadModel, solveNetworkTransmission } from "ness";
 *
 * const chain = loadModel(`
 * kind: network
 * sites: 3
 * pinning: 1
 * springs: [{between: [1, 2], stiffness: 1}, {between: [2, 3], stiffness: 1}]
 * baths: [{site: 1, friction: 1, temperature: 2}, {site: 3, friction: 1, temperature: 1}]
 * `);
 * const state = solveNetworkTransmission(chain);
 * console.log(state.baths[0].flux > 0); // => true: heat enters at the hot end
 * ```
 */
export function solveNetworkTransmission(model: Model, options: TransmissionOptions = {}): TransmissionSteadyState {
  checkNetworkModel(model, "solveNetworkTransmission");
  return withCheckedNetwork(model, () => solveChecked(model, options));
}

function solveChecked(model: NetworkModel, options: TransmissionOptions): TransmissionSteadyState {
  checkSolveControl(options);
  const check = checkTransmissionSolvable(model);
  const warnings = [...check.warnings];
  const notes: string[] = [];
  const n = model.sites.length;
  const large = n > MAX_SITES && model.dynamics === "underdamped";
  if (large && options.temperatures === true) {
    throw new ModelError(
      `kinetic temperatures need the peak of every one of the ${n} normal modes (cost ~ n^2, hours at this size): they are computed up to ${MAX_SITES} sites; beyond, two-terminal chains get their fluxes only`,
    );
  }
  const tol = options.tolerance ?? 1e-10;
  const B = model.baths.length;
  const sys = networkSystem(model);
  const under = sys.under;
  const chain = under ? chainOrder(sys) : undefined;
  if (large && !chain) {
    throw new ModelError(
      `the transmission method resolves the peak of every normal mode (cost ~ n^2): ${n} sites would take hours; it handles up to ${MAX_SITES} sites (beyond: the fluxes of two-terminal chains whose disorder localises most modes)`,
    );
  }
  if (large && options.temperatures === undefined) {
    notes.push(
      `fluxes only: kinetic temperatures of ${n} sites would need the peak of every normal mode (cost ~ n^2, hours); they are computed up to ${MAX_SITES} sites`,
    );
  }
  if (options.spectrum && B > 16) {
    throw new ModelError(`the transmission spectrum is written for at most 16 baths (this network has ${B})`);
  }
  const tolOk = options.tolerance === undefined || (options.tolerance > 0 && options.tolerance < 1);
  if (!tolOk) throw new ModelError(`the quadrature tolerance must be in (0, 1), got ${options.tolerance}`);
  const temperatures = under && (options.temperatures ?? !large);
  const bySource = options.bySource ?? (B <= 32 && model.springs.length <= 20000);
  const plan = makePlan(model, sys, { temperatures, bySource, spectrum: options.spectrum === true });
  const maxColumns = plan.columns.length * n;
  if (maxColumns > 2e8) {
    throw new SteadyStateError(
      `the transmission method needs ${plan.columns.length} bath columns of ${n} sites (too much memory); use --method lyapunov or fewer distinct bath temperatures`,
    );
  }
  const ev = new Evaluator(model, sys, plan);

  // Frequency panels from the spectrum of the undamped network.
  let modes: ModeData | undefined;
  let skipped: ReturnType<typeof negligibleModes> | undefined;
  let poles: ChainPoles | undefined;
  let panels: Panels;
  if (under) {
    // Long two-terminal chains, fluxes only: frequencies whose modes are localised away from the baths are left
    // out (chainModes).
    const screen =
      !plan.temperatures && chain && n > DENSE_MODES_MAX && options.screen !== false
        ? {
            tol,
            dT: Math.abs(model.baths[0].temperature - model.baths[1].temperature),
            // (Modes left unlocated need the pole path: see chainModes.)
            unlocate: options.poles !== false && !options.spectrum,
          }
        : undefined;
    // Other networks sliced between two groups of baths (2D strips), fluxes only: the same by the growth across
    // the slices (sparseModes).
    const cut = stripCut(sys, plan.temperatures, chain !== undefined, options.screen);
    const slices: SliceScreen | undefined = cut && {
      tol,
      dT: cut.dT,
      group: cut.group,
      sliced: new SlicedPencil(cut.level, sys.vDiag, sys.pattern.ptr, sys.pattern.idx, sys.off, sys.mass),
    };
    modes = normalModes(
      sys,
      plan.temperatures ? { dT: plan.dT, spread: Math.max(...plan.dT.map(Math.abs)) } : undefined,
      screen,
      slices,
    );
    if (modes.decoupledAt !== undefined && !check.structurallyCoupled) {
      throw new SteadyStateError(
        `no unique steady state (Lemma 1 of Eckmann and Zabey): the normal mode at frequency ${fmt(modes.decoupledAt)} vanishes on every bath site (to rounding), so it is decoupled from all baths`,
      );
    }
    let top = modes.omega.length > 0 ? modes.omega[modes.omega.length - 1] : 0;
    for (const b of model.baths) top = Math.max(top, b.friction / model.mass[b.site]);
    top = 1.5 * top + 1e-300;
    // The chain pole path: a skipped peak's cross term with the rest of the integrand (CROSS_SHARE) in its share.
    const usePoles = !!screen && !!chain && options.poles !== false && !options.spectrum && modes.omega.length > 0;
    skipped = temperatures ? undefined : negligibleModes(modes, model, tol, usePoles && CROSS_SHARE);
    const skip = skipped?.mode;
    // Strips, bath fluxes only: the end block of G and the poles (stripFluxes.ts).
    if (slices && takesStripPath(options) && skipped) {
      return stripFluxState(model, sys.gamma, slices.sliced, slices.group, modes, skipped, {
        tolerance: tol,
        maxEvaluations: options.maxEvaluations,
        rounding: pencilRounding(sys),
        warnings,
        notes,
        control: options,
      });
    }
    // Long two-terminal chains: the resonances from their complex poles (ChainPoles); the modes whose pole was
    // subtracted need no panels of their own. (Not when the spectrum is asked for: it is sampled on the panels, and
    // every peak should show.)
    if (usePoles && chain) {
      // Free (weakly pinned) ends: broad peaks keep their poles however small their share (POLE_SKIP_BROAD).
      const lowMode = lowFrequencyScale(modes) > 0;
      poles = ChainPoles.find(
        sys,
        chain,
        modes,
        (k) => !skip || !skip[k] || (lowMode && broadForSkip(modes!, k)),
        modes.screen ? modes.screen.cutoff : top,
      );
      if (poles.missing > 0)
        warnings.push(
          `the phase of the chain's determinant drops by pi ${poles.missing} time(s) more than its poles found account for: a resonance may be missing from the fluxes`,
        );
      if (poles.unchecked > 0)
        warnings.push(
          `the phase check for resonances missed by the pole search could not look into ${poles.unchecked} of its ${PHASE_GRID} frequency intervals (modes left unlocated there may be broad): a resonance may be missing from the fluxes`,
        );
      ev.poles = poles;
      ev.endsOnly = true;
    }
    // Small networks with a broad peak: the peaks of the pencil's own poles (pencilPeaks).
    const pencil =
      !poles && n <= PENCIL_POLES_MAX && hasBroadMode(modes) && overdampedSite(sys, modes)
        ? pencilPeaks(sys)
        : undefined;
    // Networks small enough for the dense mode analysis keep their former panels (and printed error estimates).
    // A screened chain is integrated up to its cutoff only.
    panels = modePanels(
      pencil ?? modes,
      modes.screen ? modes.screen.cutoff : top,
      pencil ? () => true : (k) => (!skip || !skip[k]) && (!poles || poles.panelled[k] === 1),
      n > DENSE_MODES_MAX,
      !modes.screen,
      // The remainder after the poles is smooth, but one panel's Gauss-Kronrod difference is a poor witness of
      // that: at least POLE_PANELS panels across the band.
      poles ? POLE_PANELS : 0,
      pencil ? pencil.lowScale : poles ? lowFrequencyScale(modes) : slowestOverdampedScale(modes),
    );
    if (modes.screen) {
      ev.endsOnly = true;
      notes.push(
        modes.screen.cutoff === 0
          ? "equal bath temperatures: every flux vanishes exactly; no normal mode was located"
          : `frequencies above ${fmt(modes.screen.cutoff)} left out: their ${modes.screen.skippedModes} normal modes are localised away from a bath (estimated current ${modes.screen.flux.toExponential(2)}, added to the flux errors)`,
      );
    }
  } else {
    const hi = gershgorin(sys, sys.gamma);
    panels = logPanels(smallestRate(sys, hi), hi);
  }

  const Tmax = Math.max(...model.baths.map((b) => b.temperature));
  const fluxScaleDense = Math.max(
    ...model.baths.map((b) =>
      under ? (b.friction / model.mass[b.site]) * b.temperature : (b.temperature * sys.vDiag[b.site]) / b.friction,
    ),
  );
  const spreadT = Math.max(...plan.dT.map(Math.abs));
  const C = plan.C;
  const totals = { value: new Float64Array(C), comp: new Float64Array(C), error: new Float64Array(C) };
  // The closed-form integrals of the subtracted singular parts, up to the cutoff (or infinity: tail panels); the
  // quadrature adds the remainder (and measures its tolerance against the whole).
  if (poles) totals.value[plan.offPair] = poles.integral(modes?.screen ? modes.screen.cutoff : Infinity);
  const bathFluxes = (v: Float64Array, comp?: Float64Array): Float64Array => {
    const J = new Float64Array(B);
    const at = (i: number) => v[i] + (comp ? comp[i] : 0);
    if (plan.pairs) {
      plan.pairs.forEach(([b, c], k) => {
        const tau = TWO_OVER_PI * model.baths[b].friction * model.baths[c].friction * at(plan.offPair + k);
        J[b] += tau * (model.baths[b].temperature - model.baths[c].temperature);
        J[c] -= tau * (model.baths[b].temperature - model.baths[c].temperature);
      });
    } else {
      for (let b = 0; b < B; b++) J[b] = TWO_OVER_PI * model.baths[b].friction * at(plan.offDirect + b);
    }
    return J;
  };
  // The flux scale: the largest bath flux, floored at rounding level of the dense flux scale.
  const floor = 1e-14 * fluxScaleDense * (spreadT / Math.max(Tmax, 1e-300));
  const scales = () => {
    const J = bathFluxes(totals.value, totals.comp);
    let jm = 0;
    for (const x of J) jm = Math.max(jm, Math.abs(x));
    return { flux: Math.max(jm, floor, 1e-300), temp: Tmax };
  };
  const sizeWork = plan.columns.length * n + sys.sym.nnzL + C;
  const budget = options.maxEvaluations ?? defaultEvaluationBudget(sizeWork);

  // The stall rule (solveControl.ts) applies where the quadrature can spend its budget on what it cannot resolve:
  // the general path with a peak too narrow to resolve or at rounding noise (not the chain's pole path or a screen,
  // whose evaluations go to many ordinary peaks).
  // Also where the tolerance is out of reach of double precision (issue 17): a peak whose rounding share
  // (peakRoundingShare) exceeds it (stiff parts: 6-10-site chains with springs 1e4 and friction 1e-3 spent the whole
  // budget, the error ratio falling 845 -> 157 over 5e6 evaluations), or fluxes by source, each ~Tmax / spreadT
  // times the net flux their tolerance is measured against (5 sites at T = 1000, 1e-12 apart relative: the same).
  let narrowPeak = false;
  let unreachable = false;
  if (modes && !poles && !modes.screen)
    for (let k = 0; k < modes.omega.length; k++) {
      if (modes.omega[k] > 0 && 2 * modes.halfWidth[k] < NOISY_WIDTH * modes.omega[k]) narrowPeak = true;
      if ((modes.roundingShare?.[k] ?? 0) > tol) unreachable = true;
    }
  const bySourceUnreachable = !poles && !modes?.screen && plan.bySource && 100 * EPS * Tmax > tol * spreadT;
  if (bySourceUnreachable) unreachable = true;
  const monitor = new QuadratureMonitor(
    { ...options, stopWhenStalled: options.stopWhenStalled !== false && (narrowPeak || unreachable) },
    budget,
  );

  // Every part of the network joined by springs with baths of one temperature (disconnected components, each in
  // equilibrium with its own baths): every flux vanishes and every site's kinetic temperature is its part's bath
  // temperature, exactly. The quadrature would chase a relative tolerance of fluxes that are all zero.
  const partsT = spreadT === 0 ? undefined : equilibriumParts(model);
  if (partsT)
    notes.push(
      "every part of the network joined by springs has baths of one temperature: every flux vanishes and every site is at its part's bath temperature, exactly (no frequency integral needed)",
    );
  // The parts by source bath do not vanish there (each bath alone drives a flux), but the integrals they need are
  // skipped: they are left out rather than reported as zeros.
  const split = plan.bySource && spreadT > 0 && !partsT;
  if (plan.bySource && !split)
    notes.push(
      "fluxes by source bath not computed: at equal temperatures the frequency integrals are skipped (every net flux vanishes exactly); --method lyapunov or modal gives them",
    );
  let quad: Quadrature;
  if (spreadT === 0 || partsT) {
    // Equilibrium: every flux vanishes and every temperature is T, exactly; no integral is needed.
    quad = {
      value: new Float64Array(C),
      error: new Float64Array(C),
      evaluations: 0,
      panels,
      converged: true,
      stuck: 0,
    };
  } else {
    const centres = modes ? modes.unresolvedAt : [];
    // Panels next to a peak too narrow to resolve are not split below 1e-4 of its frequency: the peak's weight is
    // left out (the sum rule bounds it) instead of being chased to the floating-point grid.
    const guarded = (w0: number, w1: number): boolean => {
      if (centres.length === 0) return false;
      let lo = 0;
      let hi = centres.length - 1;
      const mid = 0.5 * (w0 + w1);
      while (lo < hi) {
        const m = (lo + hi) >> 1;
        if (centres[m] < mid) lo = m + 1;
        else hi = m;
      }
      for (const k of [lo - 1, lo]) {
        if (k < 0 || k >= centres.length) continue;
        const c = centres[k];
        const width = w1 - w0;
        if (width < 1e-4 * c && c >= w0 - width && c <= w1 + width) return true;
      }
      return false;
    };
    // Beyond the dense mode analysis, many peaks: a 15-point first pass over the initial panels.
    const firstPass15 = n > DENSE_MODES_MAX && panels.size >= FIRST_PASS_15_PANELS;
    // The first pass evaluates every initial panel once: an integral with a panel left out has no error estimate,
    // so a budget below it is refused rather than overrun.
    if (options.maxEvaluations !== undefined) {
      let first = ev.evaluations;
      for (let k = 0; k < panels.size; k++) first += firstPass15 || panels.rule[k] === 1 ? GK15.x.length : GK_POINTS;
      if (first > options.maxEvaluations)
        throw new ModelError(
          `the evaluation budget (maxEvaluations, --max-evaluations) of ${options.maxEvaluations} is below the ${first} evaluations of the frequency quadrature's first pass over its ${panels.size} initial panels: give at least ${first}`,
        );
    }
    quad = adaptiveQuadrature(
      ev,
      plan,
      panels,
      tol,
      budget,
      scales,
      totals,
      guarded,
      firstPass15,
      chain && n > DENSE_MODES_MAX && !poles ? CHAIN_QUADRATURE_SAFETY : 1,
      monitor,
    );
  }
  if (poles) quad.error[plan.offPair] += poles.error;
  // The rounding of the solves (SolveRounding), where it was integrated: its first-order estimate; and the rounding
  // of the integrands as formed from the columns, bounded from their terms' magnitudes (standard rounding-error
  // analysis, to first order in eps; a pair's below, on the bath fluxes); a spring's w sum_c a_c Im(conj(x_i) d), d = x_j - x_i, sums ncol terms, each a difference of two
  // products (d's own rounding eps |d|): (ncol + 5) eps w sum_c |a_c| (|Re x_i Im d| + |Im x_i Re d|) integrated;
  // a part by source, one term: 6 eps of its magnitudes; a direct bath flux's w^2 sum_c a_c |G|^2 (B or fewer
  // products, each a_c formed from rounded dT: gamma_c (|dT_b| + |dT_c|) as its magnitude), summed compensated: 7 eps
  // of each term as formed (dT_b - dT_c and dT_b, dT_c themselves, gamma_c, |G|^2), 2 eps of the sum (within the
  // magnitudes), one for w^2, and the compensated sum's 4 B^2 eps^2 of the magnitudes: (10 + 4 B^2 eps) eps of the
  // terms' magnitudes integrated (was (B + 5) eps, a plain sum).
  if (plan.offRound >= 0) {
    const P = plan.pairs ? plan.pairs.length : B;
    const S = plan.integrated.length;
    const SB = plan.bySource ? S * B : 0;
    const o = plan.offRound;
    const oM = o + P + S + SB;
    const ncol = plan.columns.length;
    // Beyond 32 baths (the direct bath fluxes, springs, parts) the signed first-order estimate counts twice its
    // magnitude: it is an estimate (its own error below is estimated too), and there it matched the actual error to 6
    // digits (a 45-site network: 0.999998 of it). The pairs (up to 32 baths) keep it once: their values are within
    // their errors on every audit network once the value's own rounding (withValueRounding) is counted.
    const F = plan.pairs ? 1 : SOLVE_ROUNDING_MARGIN;
    if (plan.pairs) for (let k = 0; k < P; k++) quad.error[plan.offPair + k] += Math.abs(quad.value[o + k]);
    else
      for (let b = 0; b < B; b++)
        quad.error[plan.offDirect + b] +=
          F * Math.abs(quad.value[o + b]) + (10 + 4 * B * B * EPS) * EPS * quad.value[oM + S + SB + b];
    for (let k = 0; k < S; k++)
      quad.error[plan.offSpring + k] += F * Math.abs(quad.value[o + P + k]) + (ncol + 5) * EPS * quad.value[oM + k];
    for (let k = 0; k < SB; k++)
      quad.error[plan.offBySource + k] += F * Math.abs(quad.value[o + P + S + k]) + 6 * EPS * quad.value[oM + S + k];
    // The first-order estimate's own error (SolveRounding.fill: the correction's relative error, 2 eta, and the
    // second-order term), integrated (its magnitudes: not a signed estimate).
    const o2 = oM + S + SB + (plan.pairs ? 0 : B);
    for (let k = 0; k < P; k++) quad.error[(plan.pairs ? plan.offPair : plan.offDirect) + k] += quad.value[o2 + k];
    for (let k = 0; k < S; k++) quad.error[plan.offSpring + k] += quad.value[o2 + P + k];
    for (let k = 0; k < SB; k++) quad.error[plan.offBySource + k] += quad.value[o2 + P + S + k];
  }
  const v = quad.value;
  // The quadrature's error estimates as checked by the sum rules (underdamped; the rules themselves are judged by
  // their own estimates, quad.error).
  let calibration = 1;
  // A peak too narrow to resolve (modes.modal: its weak-coupling weight per site) is missing from the sum rules by
  // design, or partly found where a node fell on it: at each site a deviation up to that weight is no evidence either
  // way, only one beyond it. (Skipping the check wherever such a peak exists left a bath flux of 9.6e-14 off by
  // 5.2e-25, 9.5 times its error, where the bath site's rule, far from that peak, was 1 + 1.8e-13 against an
  // estimated error of 7.9e-15.) Without those weights (fluxes only) the check is left out where such a peak exists.
  if (under && !partsT && spreadT > 0 && !(modes && modes.unresolved > 0 && !modes.modal)) {
    const rules: number[] = [];
    const rulesError: number[] = [];
    const modalW = modes?.modal?.weight;
    const rule = (w: number, allowed: number) => {
      const dev = Math.abs(1 - w);
      rules.push(dev <= allowed ? 1 : 1 - Math.sign(1 - w) * (dev - allowed));
    };
    // The bath columns' sum rules (not where modes were left out on purpose: screened, from poles). Modes skipped as
    // negligible (fluxes-only runs) may leave up to their weight at the bath site out of its rule: only a deviation
    // beyond that weight is evidence against the quadrature's estimates.
    if (!modes?.screen && !poles)
      for (let c = 0; c < plan.columns.length; c++) {
        const scale = TWO_OVER_PI * sys.mass[plan.colSite[c]];
        rule(
          scale * v[plan.offSum + c],
          (skipped ? skipped.weight[plan.columns[c]] : 0) + (modalW ? modalW[plan.colSite[c]] : 0),
        );
        rulesError.push(scale * quad.error[plan.offSum + c]);
      }
    if (plan.temperatures)
      for (let a = 0; a < n; a++) {
        const s = TWO_OVER_PI * sys.mass[a];
        // (The rule counts the modal weight as found; a node on the peak may have found part of it as well.)
        rule(s * v[plan.offSiteW + a] + (modalW ? modalW[a] : 0), modalW ? modalW[a] : 0);
        rulesError.push(s * quad.error[plan.offSiteW + a]);
      }
    calibration = sumRuleCalibration(rules, rulesError);
  }
  const err = calibration > 1 ? quad.error.map((e) => e * calibration) : quad.error;

  // Results.
  const J = bathFluxes(v);
  const Jerr = new Float64Array(B);
  let conductance: number[][] | undefined;
  let bathBySource: number[][] | undefined;
  // The by-source parts' errors: each part is T_c (not a temperature difference) times an integral, so its
  // quadrature error is that integral's error times T_c, and every bound scaled by the temperature spread for the
  // net flux is scaled by the largest temperature instead (one error per flux, covering each of its parts).
  const JerrBySource = new Float64Array(B);
  const bySourceScale = Tmax / Math.max(spreadT, 1e-300);
  if (plan.pairs) {
    conductance = Array.from({ length: B }, () => new Array<number>(B).fill(0));
    if (split) bathBySource = Array.from({ length: B }, () => new Array<number>(B).fill(0));
    const partErr = bathBySource ? Array.from({ length: B }, () => new Float64Array(B)) : undefined;
    plan.pairs.forEach(([b, c], k) => {
      const g = TWO_OVER_PI * model.baths[b].friction * model.baths[c].friction;
      const tau = g * v[plan.offPair + k];
      conductance![b][c] = tau;
      conductance![c][b] = tau;
      const e = g * err[plan.offPair + k] * Math.abs(model.baths[b].temperature - model.baths[c].temperature);
      Jerr[b] += e;
      Jerr[c] += e;
      if (bathBySource) {
        bathBySource[b][b] += tau * model.baths[b].temperature;
        bathBySource[b][c] -= tau * model.baths[c].temperature;
        bathBySource[c][c] += tau * model.baths[c].temperature;
        bathBySource[c][b] -= tau * model.baths[b].temperature;
        const ek = g * err[plan.offPair + k];
        partErr![b][b] += ek * model.baths[b].temperature;
        partErr![b][c] += ek * model.baths[c].temperature;
        partErr![c][c] += ek * model.baths[c].temperature;
        partErr![c][b] += ek * model.baths[b].temperature;
      }
    });
    if (partErr) for (let b = 0; b < B; b++) JerrBySource[b] = Math.max(...partErr[b]);
    // With SolveRounding: the pair integrands' own rounding, w^2 |G_bc|^2 with no cancellation, 5 eps of each
    // (one for the rule's weight), so 5 eps sum_c |tau_bc (T_b - T_c)| on a bath flux; withValueRounding adds 4 eps
    // |J_b| below, which this replaces where larger (where the pairs' terms cancel in J_b).
    if (plan.offRound >= 0) {
      const terms = new Float64Array(B);
      plan.pairs.forEach(([b, c]) => {
        const t = Math.abs(conductance![b][c] * (model.baths[b].temperature - model.baths[c].temperature));
        terms[b] += t;
        terms[c] += t;
      });
      for (let b = 0; b < B; b++) Jerr[b] += Math.max(0, 5 * EPS * terms[b] - 4 * EPS * Math.abs(J[b]));
    }
  } else {
    for (let b = 0; b < B; b++) Jerr[b] = TWO_OVER_PI * model.baths[b].friction * err[plan.offDirect + b];
  }

  // Sum rules: weight missing at the bath sites (column sum rules) and at every site (underdamped, temperatures).
  const missing = new Float64Array(n);
  // Per site: the least deficit its sum rules would have detected (Infinity: not checked).
  const undetected = new Float64Array(n).fill(Infinity);
  // Per site: the largest deficit below detection consistent with its sum rules' values and their errors,
  // |1 - W| + error (Infinity: not checked).
  const consistent = new Float64Array(n).fill(Infinity);
  let detectAt = -1;
  const detect = (value: number, error: number) => {
    // (Equilibrium: nothing was integrated, and nothing is missing from the exact answer.)
    if (partsT || spreadT === 0) return 0;
    const dev = Math.abs(1 - value);
    const threshold = Math.max(4 * error, 1e-11);
    if (detectAt >= 0) {
      undetected[detectAt] = Math.min(undetected[detectAt], threshold);
      consistent[detectAt] = Math.min(consistent[detectAt], Math.min(dev + error, threshold));
    }
    return dev > threshold ? dev : 0;
  };
  for (let c = 0; c < plan.columns.length; c++) {
    const site = plan.colSite[c];
    const g = model.baths[plan.columns[c]].friction;
    const scale = under ? TWO_OVER_PI * sys.mass[site] : TWO_OVER_PI * g;
    // Modes skipped on purpose (negligible flux) may leave their weight at the bath site out: not an error.
    const expected = skipped ? skipped.weight[plan.columns[c]] : 0;
    detectAt = modes?.screen || poles ? -1 : site;
    const found = detect(scale * v[plan.offSum + c], scale * quad.error[plan.offSum + c]);
    // A screened chain leaves out the weight of every mode above its cutoff: no sum rule to check.
    // So does one integrated from its poles (the sum rule's integrand keeps its peaks, which get no panels).
    if (!modes?.screen && !poles) missing[site] = Math.max(missing[site], Math.max(0, found - expected));
  }
  let kineticTemperature: Float64Array | undefined;
  let kineticTemperatureError: Float64Array | undefined;
  if (plan.temperatures) {
    kineticTemperature = new Float64Array(n);
    kineticTemperatureError = new Float64Array(n);
    const modal = modes?.modal;
    for (let a = 0; a < n; a++) {
      const s = TWO_OVER_PI * sys.mass[a];
      if (partsT) {
        kineticTemperature[a] = partsT[a];
        continue;
      }
      kineticTemperature[a] = plan.Tref + s * v[plan.offSiteH + a] + (modal ? modal.temperature[a] : 0);
      const W = s * v[plan.offSiteW + a] + (modal ? modal.weight[a] : 0);
      detectAt = a;
      const errW = s * quad.error[plan.offSiteW + a];
      missing[a] = Math.max(missing[a], detect(W, errW));
      // A deficit below detection is not 0: the largest one consistent with the sum rule's value and its error,
      // |1 - W| + error, up to the least detectable (a kinetic temperature 173.957 +- 0.024 against 173.985 had
      // W = 1 + 5.6e-8 with an error of 4.7e-8 and a spread of 5e5).
      const deficit = missing[a] > 0 || !Number.isFinite(consistent[a]) ? missing[a] : consistent[a];
      // Plus the rounding of T_ref + the deviation itself (the terms alone fell below it: 3.6e-17 off on 0.64 with an
      // error of 1.9e-21); at equal temperatures the value is T_ref exactly.
      const e = s * err[plan.offSiteH + a] + deficit * spreadT + (modal ? modal.error[a] : 0);
      kineticTemperatureError[a] = spreadT > 0 ? withValueRounding(e, kineticTemperature[a]) : e;
    }
  }
  // The unresolvable modes' weight (ModalShare) enters the kinetic temperatures by weak coupling, not their fluxes:
  // the quadrature cannot resolve their peaks, and their sum rules count the modal weight as found. For the fluxes
  // that weight is missing weight like any other (bounded below as such). Without it, a heavy site's mode 5e-15 wide
  // with 6.4e-13 of its weight at a bath site left two bath fluxes of 7.5e-21 off by 1.9e-29 against errors of 1e-32,
  // and a pinned site's mode on a cycle two spring fluxes of 8.4e-11 off by 3.5e-15 against errors of 2.3e-20.
  // (Not where every part is in equilibrium with its baths: every flux vanishes exactly.)
  const modalWeight = plan.temperatures && !partsT && spreadT > 0 ? modes?.modal?.weight : undefined;
  const fluxMissing = modalWeight ? missing.map((x, a) => x + modalWeight[a]) : missing;
  // Missing weight at a bath site bounds the bath's flux error: |dJ_b| <= 2 gamma_b max|dT| delta_b / m_b; modes
  // skipped on purpose add their estimated share. J_b = sum_c tau_bc (T_b - T_c) shares each tau_bc with J_c, and the
  // sum rule at c bounds its missing part too (tau_bc <= gamma_c delta_c / m_c of it): weight missing at the other
  // bath sites bounds J_b's error as well (with two baths J_1 = -J_2, one number that cannot have two errors).
  for (let b = 0; b < B; b++) {
    const site = sys.bathSite[b];
    let partners = 0;
    for (let c = 0; c < B; c++) {
      const other = sys.bathSite[c];
      if (c === b || other === site || fluxMissing[other] === 0) continue;
      partners +=
        (Math.abs(model.baths[b].temperature - model.baths[c].temperature) *
          model.baths[c].friction *
          fluxMissing[other]) /
        sys.mass[other];
    }
    // Each bound holds for every tau_bc where that row's missing weight was detected; the larger one is kept, so a
    // row whose deficit fell below detection does not leave its shared integrals unbounded.
    const unresolved =
      Math.max((2 * model.baths[b].friction * spreadT * fluxMissing[site]) / sys.mass[site], partners) +
      (skipped ? skipped.flux[b] : 0) +
      (modes?.screen ? modes.screen.flux : 0);
    Jerr[b] += unresolved;
    JerrBySource[b] += unresolved * bySourceScale;
  }
  const baths: TransmissionBathFlux[] = model.baths.map((b, k) => ({
    site: model.sites[b.site],
    index: b.site,
    temperature: b.temperature,
    friction: b.friction,
    flux: J[k],
    fluxBySource: bathBySource?.[k],
    ...(bathBySource
      ? { fluxBySourceError: Math.max(...bathBySource[k].map((x) => withValueRounding(JerrBySource[k], x))) }
      : {}),
    error: withValueRounding(Jerr[k], J[k]),
  }));
  // Spring fluxes. The integrands conserve energy at every frequency, so whatever part of them the quadrature
  // missed conserves it too: through a bridge (a spring on no cycle) it is bounded by the bath-flux errors on either
  // side; on a cycle, missing weight at both ends bounds it (Cauchy-Schwarz, w at least the lowest frequency where
  // weight can be missing).
  const siteErr = new Float64Array(n);
  baths.forEach((b) => (siteErr[b.index] += b.error));
  const bridges = plan.bridges ?? new Bridges(model);
  const errSub = bridges.subtreeSums(siteErr);
  const siteJ = new Float64Array(n);
  baths.forEach((b) => (siteJ[b.index] += b.flux));
  const fluxSub = bridges.subtreeSums(siteJ);
  // A bridge's flux from energy conservation is the sum of the bath fluxes on its child's side: its error is that
  // side's (not the smaller of the two sides': the other side's fluxes are not the ones summed) plus the rounding of
  // the sum, which cancels where the side holds large fluxes in and out (a 1.9e-8 spring to a leaf beside a pair
  // exchanging 2.6e8 gave 0 +- 2.7e-25 against the leaf bath's 4.8e-10).
  const siteAbsJ = new Float64Array(n);
  const siteBaths = new Float64Array(n);
  baths.forEach((b) => {
    siteAbsJ[b.index] += Math.abs(b.flux);
    siteBaths[b.index] += 1;
  });
  const absSub = bridges.subtreeSums(siteAbsJ);
  const bathsSub = bridges.subtreeSums(siteBaths);
  const childSideError = (k: number, errors: Float64Array) => {
    const v = bridges.child[k];
    return errors[v] + Math.max(bathsSub[v] - 1, 0) * EPS * absSub[v];
  };
  // A bridge's part from source c is the sum of the parts from c on its child's side: the rounding of that sum is
  // set by those parts, each ~T_c / spreadT times the net fluxes (which can be small, or 0, while they are large).
  const sourceAbsSub = bathBySource
    ? Array.from({ length: B }, (_, c) => {
        const v = new Float64Array(n);
        baths.forEach((b, k) => (v[b.index] += Math.abs(bathBySource![k][c])));
        return bridges.subtreeSums(v);
      })
    : undefined;
  const childSidePartError = (k: number, c: number) => {
    const v = bridges.child[k];
    return errSubBySource![v] + Math.max(bathsSub[v] - 1, 0) * EPS * sourceAbsSub![c][v];
  };
  const sourceSub = bathBySource
    ? Array.from({ length: B }, (_, c) => {
        const v = new Float64Array(n);
        baths.forEach((b, k) => (v[b.index] += bathBySource![k][c]));
        return bridges.subtreeSums(v);
      })
    : undefined;
  const siteErrBySource = new Float64Array(n);
  baths.forEach((b) => (siteErrBySource[b.index] += b.fluxBySourceError ?? 0));
  const errSubBySource = bathBySource ? bridges.subtreeSums(siteErrBySource) : undefined;
  /** One error for every part of a spring's split: the largest of its parts' errors with their own rounding. */
  const partsError = (parts: number[] | undefined, error: (c: number) => number) =>
    parts ? { fluxBySourceError: Math.max(...parts.map((x, c) => withValueRounding(error(c), x))) } : {};
  let lowMissing = Infinity;
  if (modes) {
    for (let k = 0; k < modes.omega.length; k++) {
      if (modes.omega[k] > 0 && 2 * modes.halfWidth[k] < NOISY_WIDTH * modes.omega[k])
        lowMissing = Math.min(lowMissing, modes.omega[k]);
    }
    if (!Number.isFinite(lowMissing)) lowMissing = modes.omega.find((w) => w > 0) ?? 1;
  }
  // The lowest frequency scale of any peak: an overdamped mode (width above its frequency) relaxes at ~ omega^2 / width,
  // far below omega, and weight can be missed there (a spring to a leaf whose mode was 1.2e-3 wide 0.39 was
  // reported 2.3e-18 +- 2.6e-18 against 2.6e-17, its bound taken at the mode's frequency).
  let lowestScale = Infinity;
  if (modes)
    for (let k = 0; k < modes.omega.length; k++) {
      const w = modes.omega[k];
      if (w > 0) lowestScale = Math.min(lowestScale, w * Math.min(1, w / Math.max(2 * modes.halfWidth[k], 1e-300)));
    }
  const springs: TransmissionSpringFlux[] = model.springs.map((s, k) => {
    const g = TWO_OVER_PI * s.stiffness;
    const isBridge = bridges.child[k] >= 0;
    // Missing weight at both ends bounds the missed flux (Cauchy-Schwarz), at the lowest mode. A bridge also has the
    // bound from the bath-flux errors on its smaller side and takes the smaller of the two: its deficit below detection
    // counts as the least one its sum rules would have detected, not as 0 (a bridge to a site whose deficit went
    // undetected was reported +- 1e-9 with an actual error of 5.2e-8), and its frequency is the lowest scale of any
    // peak. (On a cycle, with no second bound, an undetected deficit still counts as 0: counted as the largest one
    // consistent with its sum rule, the bound exceeded the actual errors of well-resolved springs 1e5-1e13 times; the
    // audited cycles off by up to 9.7 times are covered by sumRuleCalibration instead.)
    // (The unresolvable modes' weight comes on top of a deficit below detection, not instead of it: a bath site whose
    // rule found nothing had 1e-55 of such weight, which stood in for its undetected 1e-11, and a bridge carrying
    // 5e-18 through the 1e-55 to a site missing nearly all its weight was reported 2e-24 +- 2.2e-22.)
    const below = (a: number) =>
      (missing[a] > 0 ? missing[a] : isBridge ? undetected[a] : 0) + (modalWeight ? modalWeight[a] : 0);
    const lowest = modes ? Math.min(lowMissing, modes.omega.find((w) => w > 0) ?? lowMissing) : Infinity;
    const cycleBound =
      spreadT === 0
        ? 0
        : under && modes
          ? (s.stiffness * spreadT * Math.sqrt((below(s.i) * below(s.j)) / (sys.mass[s.i] * sys.mass[s.j]))) /
            Math.max(isBridge ? Math.min(lowest, lowestScale) : lowest, 1e-300)
          : isBridge
            ? Infinity
            : 0;
    const unresolved = isBridge ? Math.min(bridges.smallerSide(k, errSub), cycleBound) : cycleBound;
    if (isBridge && bridges.smallerSide(k, bathsSub) === 0) {
      // A bridge to a side without baths carries no flux, exactly: that side cannot take up energy in a steady state,
      // nor from any one bath's noise (each part by source vanishes at every frequency). Integrated, its value was a
      // difference of products left at their rounding, which the quadrature's estimate does not see (a spring to two
      // sites without baths beside a 5.8e5 spring gave 2.4e-14 +- 1e-14, another 1.1e-25 +- 5.2e-27).
      return {
        between: [model.sites[s.i], model.sites[s.j]] as [string, string],
        i: s.i,
        j: s.j,
        stiffness: s.stiffness,
        flux: 0,
        ...((plan.springSlot[k] < 0 ? sourceSub !== undefined : split)
          ? { fluxBySource: new Array<number>(B).fill(0), fluxBySourceError: 0 }
          : {}),
        error: 0,
      };
    }
    // A bridge's flux is also minus the sum of the bath fluxes on one side (energy conservation), integrated apart
    // with errors of their own: where that value's error is the smaller, it is the one reported. The bridge's own
    // integrand sums every source's terms, which can cancel far below their size, and that rounding is not in its
    // quadrature error (a spring to a leaf bath of 7.57e-15 beside baths exchanging 7.4e-4 was integrated to
    // 7.538e-15 +- 1.9e-17; the leaf's bath flux was right to 2.6e-25).
    const integratedError =
      plan.springSlot[k] < 0
        ? Infinity
        : withValueRounding(
            TWO_OVER_PI * s.stiffness * err[plan.offSpring + plan.springSlot[k]] +
              unresolved +
              (modes?.screen ? modes.screen.flux : 0),
            TWO_OVER_PI * s.stiffness * v[plan.offSpring + plan.springSlot[k]],
          );
    // (From either side: the one whose bath fluxes have the smaller summed error. The root's side is summed over its
    // baths directly, up to ROOT_SIDE_BATHS baths.)
    const integratedFlux = plan.springSlot[k] < 0 ? 0 : g * v[plan.offSpring + plan.springSlot[k]];
    if (isBridge && plan.springSlot[k] >= 0 && (!split || sourceSub !== undefined)) {
      const sign = bridges.child[k] === s.j ? 1 : -1;
      const childFlux = bridges.flux(model, k, fluxSub);
      const childError = withValueRounding(childSideError(k, errSub), childFlux);
      let rootFlux = 0;
      let rootErr = Infinity;
      let rootParts: number[] | undefined;
      let rootPartErr: number[] | undefined;
      if (B <= ROOT_SIDE_BATHS) {
        let e = 0;
        let abs = 0;
        let count = 0;
        rootParts = sourceSub ? new Array<number>(B).fill(0) : undefined;
        rootPartErr = sourceSub ? new Array<number>(B).fill(0) : undefined;
        const partAbs = new Float64Array(B);
        baths.forEach((b, q) => {
          if (!bridges.onRootSide(k, b.index)) return;
          rootFlux += b.flux;
          e += b.error;
          abs += Math.abs(b.flux);
          count++;
          if (rootParts)
            for (let c = 0; c < B; c++) {
              rootParts[c] += bathBySource![q][c];
              rootPartErr![c] += b.fluxBySourceError ?? 0;
              partAbs[c] += Math.abs(bathBySource![q][c]);
            }
        });
        rootFlux *= sign;
        rootErr = withValueRounding(e + Math.max(count - 1, 0) * EPS * abs, rootFlux);
        if (rootParts)
          for (let c = 0; c < B; c++) {
            rootParts[c] *= sign;
            rootPartErr![c] += Math.max(count - 1, 0) * EPS * partAbs[c];
          }
      }
      // The side's value, taken where its own error is the smaller, never claims more than its disagreement with the
      // integrated one allows: one of two values that look consistent can be the one that missed (a leaf bath 2.97
      // times beyond its error, beside a bridge integrated right within its own, gave the bridge its miss), and
      // either can (the integral of case 198 in the tests missed, the side did not).
      const child = childError <= rootErr;
      const sideFlux = child ? childFlux : rootFlux;
      const sideError = (child ? childError : rootErr) + Math.abs(sideFlux - integratedFlux);
      if ((child ? childError : rootErr) < integratedError) {
        const parts = child ? sourceSub?.map((sub) => bridges.flux(model, k, sub)) : rootParts;
        return {
          between: [model.sites[s.i], model.sites[s.j]] as [string, string],
          i: s.i,
          j: s.j,
          stiffness: s.stiffness,
          flux: sideFlux,
          fluxBySource: parts,
          ...partsError(parts, (c) => (child ? childSidePartError(k, c) : rootPartErr![c])),
          error: sideError,
        };
      }
    }
    if (plan.springSlot[k] < 0) {
      // Not integrated (a bridge in a fluxes-only run): energy conservation gives it from the bath fluxes.
      const parts = sourceSub?.map((sub) => bridges.flux(model, k, sub));
      return {
        between: [model.sites[s.i], model.sites[s.j]] as [string, string],
        i: s.i,
        j: s.j,
        stiffness: s.stiffness,
        flux: bridges.flux(model, k, fluxSub),
        fluxBySource: parts,
        ...partsError(parts, (c) => childSidePartError(k, c)),
        error: withValueRounding(childSideError(k, errSub), bridges.flux(model, k, fluxSub)),
      };
    }
    const slot = plan.springSlot[k];
    const flux = g * v[plan.offSpring + slot];
    const parts = split
      ? Array.from({ length: B }, (_, c) => g * model.baths[c].temperature * v[plan.offBySource + slot * B + c])
      : undefined;
    // The unresolved and left-out bounds of the parts (temperatures, not their spread).
    const unresolvedBySource =
      (isBridge && errSubBySource
        ? Math.min(bridges.smallerSide(k, errSubBySource), cycleBound * bySourceScale)
        : cycleBound * bySourceScale) + (modes?.screen ? modes.screen.flux * bySourceScale : 0);
    return {
      between: [model.sites[s.i], model.sites[s.j]] as [string, string],
      i: s.i,
      j: s.j,
      stiffness: s.stiffness,
      flux,
      fluxBySource: parts,
      ...partsError(
        parts,
        (c) => g * model.baths[c].temperature * err[plan.offBySource + slot * B + c] + unresolvedBySource,
      ),
      // Frequencies left out by a screen: their estimated current may pass through any spring on a cycle.
      error: integratedError,
    };
  });

  // Energy balance at every site, entropy production.
  const inflow = new Float64Array(n);
  springs.forEach((s) => {
    inflow[s.j] += s.flux;
    inflow[s.i] -= s.flux;
  });
  baths.forEach((b) => (inflow[b.index] += b.flux));
  const energyBalanceResidual = inflow.map((x) => Math.abs(x) / fluxScaleDense);
  let entropyProduction = 0;
  baths.forEach((b) => (entropyProduction -= b.flux / b.temperature));

  // The reported error: largest flux error relative to the largest bath flux, largest temperature error relative
  // to the largest bath temperature.
  const jScale = Math.max(floor, ...J.map(Math.abs), 1e-300);
  let quadratureError = 0;
  for (const b of baths) quadratureError = Math.max(quadratureError, b.error / jScale);
  for (const s of springs) quadratureError = Math.max(quadratureError, s.error / jScale);
  if (kineticTemperatureError)
    for (const e of kineticTemperatureError) quadratureError = Math.max(quadratureError, e / Tmax);

  // The parts by source bath are measured against their own size: the largest error of a part relative to the
  // largest part (quadratureError measures the net fluxes only).
  let bySourceError = 0;
  let partScale = 0;
  for (const f of [...baths, ...springs]) {
    bySourceError = Math.max(bySourceError, f.fluxBySourceError ?? 0);
    for (const x of f.fluxBySource ?? []) partScale = Math.max(partScale, Math.abs(x));
  }
  const bySourceText =
    partScale > 0
      ? `; the fluxes by source carry their own errors (fluxBySourceError), up to ${(bySourceError / partScale).toExponential(2)} of the largest part`
      : "";
  if (!quad.converged) {
    warnings.push(
      monitor.stopped === "stalled"
        ? `the frequency quadrature stopped refining at ${quad.evaluations} evaluations: its estimated error had stopped falling (less than ${STALL_FACTOR}x over the last doubling of the evaluations, spent at peaks too narrow to resolve or at rounding noise), before reaching the tolerance ${tol}: quadratureError ${quadratureError.toExponential(2)} (stopWhenStalled: false refines to the budget)${bySourceUnreachable ? `; the fluxes by source, each ~${(Tmax / (2 * spreadT)).toExponential(0)} times the net flux whose tolerance they are held to, cannot reach it in double precision (bySource: false, --no-by-source, leaves them out)${bySourceText}` : ""}`
        : monitor.stopped === "time"
          ? `the frequency quadrature stopped at its time limit of ${options.maxSeconds} s before reaching the tolerance ${tol}: quadratureError ${quadratureError.toExponential(2)}`
          : quad.evaluations + 3 * GK_POINTS > budget
            ? `the frequency quadrature stopped at its budget of ${budget} evaluations before reaching the tolerance ${tol}: quadratureError ${quadratureError.toExponential(2)}`
            : `the frequency quadrature stopped short of the tolerance ${tol} at narrow peaks (rounding noise, or peaks too narrow to resolve): quadratureError ${quadratureError.toExponential(2)}`,
    );
  }
  if (modes && modes.unresolved > 0 && plan.temperatures) {
    warnings.push(
      `${modes.unresolved} normal mode${modes.unresolved > 1 ? "s are" : " is"} coupled to the baths so weakly (peak width below ${UNRESOLVABLE_WIDTH} of its frequency) that ${modes.unresolved > 1 ? "their peaks" : "its peak"} cannot be resolved: ${modes.unresolved > 1 ? "their" : "its"} share of the kinetic temperatures is bounded, not computed (see kineticTemperatureError), and so is ${modes.unresolved > 1 ? "their" : "its"} share of the fluxes (in their errors, which can be loose)`,
    );
  }
  let worstSites = 0;
  for (let a = 0; a < n; a++) if (missing[a] > 1e-6) worstSites++;
  if (worstSites > 0) {
    warnings.push(
      `the sum rule m <v^2> = T at equal temperatures misses more than 1e-6 of its weight at ${worstSites} site${worstSites > 1 ? "s" : ""}: unresolved or decoupled modes; the bound is in the error estimates`,
    );
  }
  if (!check.structurallyCoupled && !modes) {
    warnings.push(
      "decoupled modes (Lemma 1 of Eckmann and Zabey) were not checked at this size; a decoupled mode would show as missing sum-rule weight",
    );
  }
  // Peaks whose position rounding moves by a good part of their width (peakRoundingShare).
  const rounding = modes && roundingWarning(modes.omega, modes.roundingShare, quadratureError);
  if (rounding) warnings.push(rounding);
  if (ev.residual > 1e-8)
    warnings.push(
      `the largest backward error of the sparse solves is ${ev.residual.toExponential(2)}: results may be inaccurate`,
    );
  if (quadratureError > Math.max(100 * tol, 1e-6) && quad.converged) {
    warnings.push(
      `the estimated error ${quadratureError.toExponential(2)} exceeds the tolerance: see the per-quantity errors`,
    );
  }

  let spectrum: TransmissionSpectrum | undefined;
  if (options.spectrum && plan.pairs) spectrum = sampleSpectrum(ev, model, plan, quad.panels);

  let narrowest = Infinity;
  if (modes)
    for (let k = 0; k < modes.omega.length; k++)
      if (modes.omega[k] > 0) narrowest = Math.min(narrowest, (2 * modes.halfWidth[k]) / modes.omega[k]);

  return {
    method: "transmission",
    dynamics: model.dynamics,
    sites: model.sites,
    kineticTemperature,
    kineticTemperatureError,
    configurationalTemperature: under ? undefined : siteTemperatures(model),
    springs,
    baths,
    conductance,
    entropyProduction,
    energyBalanceResidual,
    quadratureError,
    solveResidual: ev.residual,
    evaluations: quad.evaluations + (spectrum ? spectrum.omega.length : 0),
    panels: countAlive(quad.panels),
    modes: {
      count: modes ? modes.omega.length : 0,
      located: modes !== undefined,
      narrowest: Number.isFinite(narrowest) ? narrowest : 0,
      unresolved: modes ? modes.unresolved : 0,
      poles: poles?.count,
    },
    warnings,
    notes,
    screen: modes?.screen,
    spectrum,
  };
}

/**
 * The springs on no cycle (bridges, by Tarjan's depth-first search): through a bridge, energy conservation fixes the
 * steady flux to minus the summed bath fluxes of the sites on one side.
 */
class Bridges {
  /** Per spring: -1 on a cycle, else the vertex of the bridge on the far side of the search tree. */
  readonly child: Int32Array;
  private readonly preorder: Int32Array;
  private readonly parent: Int32Array;
  private readonly root: Int32Array;
  /** Per site: its place in the search's preorder (a subtree's sites are consecutive in it), and its subtree's size. */
  private readonly order: Int32Array;
  private readonly size: Float64Array;
  readonly count: number;

  constructor(model: NetworkModel) {
    const n = model.sites.length;
    const p = symmetricPattern(
      n,
      model.springs.map((s) => s.i),
      model.springs.map((s) => s.j),
    );
    this.child = new Int32Array(model.springs.length).fill(-1);
    this.preorder = new Int32Array(n);
    this.parent = new Int32Array(n).fill(-1);
    this.root = new Int32Array(n);
    const order = new Int32Array(n).fill(-1);
    const low = new Int32Array(n);
    const parentEdge = new Int32Array(n).fill(-1);
    const cursor = new Int32Array(n);
    let time = 0;
    let count = 0;
    for (let r = 0; r < n; r++) {
      if (order[r] >= 0) continue;
      const stack = [r];
      this.preorder[time] = r;
      order[r] = low[r] = time++;
      this.root[r] = r;
      cursor[r] = p.ptr[r];
      while (stack.length > 0) {
        const v = stack[stack.length - 1];
        if (cursor[v] < p.ptr[v + 1]) {
          const q = cursor[v]++;
          const w = p.idx[q];
          const e = p.edge[q];
          if (e === parentEdge[v]) continue;
          if (order[w] < 0) {
            this.preorder[time] = w;
            order[w] = low[w] = time++;
            parentEdge[w] = e;
            this.parent[w] = v;
            this.root[w] = r;
            cursor[w] = p.ptr[w];
            stack.push(w);
          } else {
            low[v] = Math.min(low[v], order[w]);
          }
        } else {
          stack.pop();
          if (stack.length > 0) {
            const u = stack[stack.length - 1];
            low[u] = Math.min(low[u], low[v]);
            if (low[v] > order[u]) {
              this.child[parentEdge[v]] = v;
              count++;
            }
          }
        }
      }
    }
    this.count = count;
    this.order = order;
    this.size = this.subtreeSums(new Float64Array(n).fill(1));
  }

  /** Sum of a per-site quantity over every vertex's search subtree; roots hold their component's total. */
  subtreeSums(values: Float64Array): Float64Array {
    const sub = Float64Array.from(values);
    for (let k = this.preorder.length - 1; k >= 0; k--) {
      const v = this.preorder[k];
      if (this.parent[v] >= 0) sub[this.parent[v]] += sub[v];
    }
    return sub;
  }

  /** The smaller of the summed `values` on the two sides of bridge k (values >= 0). */
  smallerSide(k: number, sub: Float64Array): number {
    const v = this.child[k];
    return Math.min(sub[v], sub[this.root[v]] - sub[v]);
  }

  /** Whether site a lies on the root's side of bridge k (in its component, outside the child's subtree). */
  onRootSide(k: number, a: number): boolean {
    const v = this.child[k];
    if (this.root[a] !== this.root[v]) return false;
    const at = this.order[a];
    return at < this.order[v] || at >= this.order[v] + this.size[v];
  }

  /** Flux through bridge k from springs[k].i to springs[k].j, given every site's bath flux (into the network). */
  flux(model: NetworkModel, k: number, sub: Float64Array): number {
    const v = this.child[k];
    // Whatever the baths of the far side put in flows out through the bridge.
    return v === model.springs[k].j ? -sub[v] : sub[v];
  }
}

/**
 * The bath temperature of every site when each part of the network joined by springs has baths of one temperature
 * only (and at least one bath); undefined otherwise.
 */
function equilibriumParts(model: NetworkModel): Float64Array | undefined {
  const n = model.sites.length;
  const parent = new Int32Array(n);
  for (let a = 0; a < n; a++) parent[a] = a;
  const root = (a: number): number => {
    while (parent[a] !== a) a = parent[a] = parent[parent[a]];
    return a;
  };
  for (const s of model.springs) {
    const a = root(s.i);
    const b = root(s.j);
    if (a !== b) parent[a] = b;
  }
  const T = new Float64Array(n).fill(Number.NaN);
  for (const b of model.baths) {
    const r = root(b.site);
    if (Number.isNaN(T[r])) T[r] = b.temperature;
    else if (T[r] !== b.temperature) return undefined;
  }
  const out = new Float64Array(n);
  for (let a = 0; a < n; a++) {
    out[a] = T[root(a)];
    if (Number.isNaN(out[a])) return undefined;
  }
  return out;
}

/** The bath temperature of every site (overdamped networks have a bath on every site). */
function siteTemperatures(model: NetworkModel): Float64Array {
  const t = new Float64Array(model.sites.length);
  for (const b of model.baths) t[b.site] = b.temperature;
  return t;
}

function countAlive(p: Panels): number {
  let c = 0;
  for (let k = 0; k < p.size; k++) c += p.alive[k];
  return c;
}

/** T_bc(omega) at four points per panel (the panels concentrate where the peaks are), their ends, and 512 evenly
 * spaced frequencies (so that a plot of the samples is smooth between peaks). */
function sampleSpectrum(ev: Evaluator, model: NetworkModel, plan: Plan, panels: Panels): TransmissionSpectrum {
  const ts: number[] = [];
  let top = 0;
  for (let k = 0; k < panels.size; k++) {
    if (!panels.alive[k] || panels.kind[k] === Var.Tail) continue;
    const [, b] = panels.omegaRange(k);
    if (!Number.isFinite(b)) continue;
    for (let j = 0; j < 4; j++) {
      const t = panels.t0[k] + ((panels.t1[k] - panels.t0[k]) * j) / 4;
      ts.push(omegaOf(panels.kind[k], panels.c[k], panels.h[k], t));
    }
    ts.push(b);
    top = Math.max(top, b);
  }
  for (let j = 1; j <= 512; j++) ts.push((top * j) / 512);
  ts.sort((x, y) => x - y);
  const omega = Float64Array.from(ts.filter((w, k) => w > 0 && (k === 0 || w > ts[k - 1])));
  const pairs = plan.pairs!;
  const transmission = pairs.map(() => new Float64Array(omega.length));
  omega.forEach((w, m) => {
    ev.solve(w);
    pairs.forEach(([b, c], k) => {
      transmission[k][m] = 4 * w * w * model.baths[b].friction * model.baths[c].friction * ev.green2(b, c);
    });
  });
  return { pairs, omega, transmission };
}

// ---------------------------------------------------------------------------
// Choosing between the dense Lyapunov solve and the frequency integrals

export type SolveMethod = "lyapunov" | "transmission" | "modal";

/** Largest network `--method auto` gives the modal method (modal.ts): ~17 n x n matrices underdamped (0.5 GB at
 * 2000 sites), ~6 overdamped. */
export const MODAL_MAX_SITES = 3000;

/**
 * Estimated cost of the modal method (modal.ts) in the units of chooseSolveMethod. Underdamped: the
 * eigen-decomposition and the n x n products ~50 n^3 (measured against the dense solve's 200 n^3: 3.6x cheaper at 400
 * sites), the pole search ~400 n^2 (b^2 + 5) for b baths. Overdamped: the eigen-decomposition and two n x n products
 * ~11 n^3 (measured against the dense solve's 25 n^3: 2.0x cheaper at 200 and 500 sites, 2.3x at 1000).
 */
export function modalCost(model: NetworkModel): number {
  const n = model.sites.length;
  if (model.dynamics === "overdamped") return 11 * n ** 3;
  return 50 * n ** 3 + 400 * n ** 2 * (model.baths.length ** 2 + 5);
}

/** Peaks integrated per transmitting mode (measured: ~110 evaluations per located mode on strips and chains). */
export const EVALUATIONS_PER_MODE = 110;
/**
 * The bath-fluxes-only path of strips (stripFluxes.ts), per located mode, in units of one real-axis sweep of the end
 * block: the complex sweeps of the poles (~1.4 real-axis sweeps each, with the derivative), the remainder's real-axis
 * sweeps and the subtraction of the poles near each panel. Measured (CPU time of the solve after the mode location
 * over the modes times one timed sweep, tolerance 1e-8, December 2026): 25 on 4 x 100, 20 on 6 x 150 and 10 x 60,
 * 16-17 on 10 x 100 and 10 x 200.
 */
export const STRIP_EVALUATIONS_PER_MODE = 20;

/**
 * The levels a fluxes-only solve slices an underdamped network into (2D strips beyond the dense mode analysis, not
 * chains, the frequency screen on): the one rule for the solve and for its cost estimate (measureTransmission).
 */
function stripCut(sys: NetworkSystem, temperatures: boolean, chain: boolean, screen?: boolean) {
  return sys.under && !temperatures && !chain && sys.n > DENSE_MODES_MAX && screen !== false
    ? stripLevels(sys)
    : undefined;
}

/**
 * Whether a network sliced into levels (stripCut) takes the bath-fluxes-only path of strips (stripFluxes.ts) with
 * these options: spring fluxes off, poles on, no spectrum. The one rule for the solve and for its cost estimate.
 */
function takesStripPath(options: Pick<TransmissionOptions, "springs" | "poles" | "spectrum">): boolean {
  return options.springs === false && options.poles !== false && !options.spectrum;
}

/**
 * Why the bath-fluxes-only path of strips (`springs: false`: the end block of G and the complex poles,
 * stripFluxes.ts) does not apply to a network, in words; undefined when it does: an underdamped network of more than
 * 300 sites (and not a two-terminal chain) whose baths are at two temperatures, one group's sites at one end and the
 * other's all in the last of at least 8 breadth-first levels, none wider than 64 sites (a 2D strip with baths on its
 * end columns). Elsewhere `springs: false` is ignored and every spring flux is computed.
 *
 * @example
 * ```ts
 * import { bathFluxesOnlyRefusal, loadModel } from "ness";
 *
 * const model = loadModel("kind: network\nsites: 3\npinning: 1\nbaths: [{site: 1, friction: 1, temperature: 2}, {site: 3, friction: 1, temperature: 1}]\nsprings: [{between: [1, 2], stiffness: 1}, {between: [2, 3], stiffness: 1}]");
 * if (model.kind === "network") console.log(bathFluxesOnlyRefusal(model)?.startsWith("it takes strips")); // => true
 * ```
 */
export function bathFluxesOnlyRefusal(model: NetworkModel): string | undefined {
  checkNetworkModel(model, "bathFluxesOnlyRefusal");
  const n = model.sites.length;
  if (model.dynamics !== "underdamped") return "it takes underdamped networks (this one is overdamped)";
  if (n <= DENSE_MODES_MAX)
    return `it takes strips of more than ${DENSE_MODES_MAX} sites (this network has ${n}; below, the transmission method gives every flux at little cost)`;
  const sys = networkSystem(model);
  if (chainOrder(sys)) return "this network is a two-terminal chain (--fluxes-only gives its spring fluxes as cheaply)";
  if (!stripLevels(sys))
    return `this network is not a strip with baths on its end columns (baths at two temperatures, each group at one end, at least 8 breadth-first levels between, none wider than ${SLICE_WIDTH_MAX} sites)`;
  return undefined;
}

/**
 * Fluxes-only runs that the frequency screen applies to (chains and sliced networks beyond the dense mode analysis):
 * the number of modes below the frequency above which the growth across the network stays above 40 (a mode there
 * carries at most ~e^-20 of the bath conductance, below the default tolerance), from 64 growth samples and an
 * inertia count; undefined where no screen applies.
 */
export function screenedModes(model: NetworkModel): number | undefined {
  const n = model.sites.length;
  if (n <= DENSE_MODES_MAX || model.dynamics !== "underdamped") return undefined;
  const sys = networkSystem(model);
  const order = chainOrder(sys);
  let level: Int32Array | undefined;
  if (order) {
    level = new Int32Array(n);
    order.forEach((site, k) => (level![site] = k));
  } else level = stripLevels(sys)?.level;
  if (!level) return undefined;
  const sliced = new SlicedPencil(level, sys.vDiag, sys.pattern.ptr, sys.pattern.idx, sys.off, sys.mass);
  const pencil = new RealPencil(sys, sys.mass);
  const top = gershgorin(sys, sys.mass);
  const S = 64;
  // From the top of the band down: the highest sample where the growth is still below 40 (below the band's bottom,
  // under the pinning gap, the growth is large too, and there are no modes).
  for (let j = S - 1; j >= 1; j--) {
    const lam = ((Math.sqrt(top) * j) / S) ** 2;
    if (0.5 * (sliced.growth(lam) + sliced.growth(lam, true)) <= 40)
      return j + 1 < S ? Math.min(pencil.factor(((Math.sqrt(top) * (j + 1)) / S) ** 2), n) : n;
  }
  return 0;
}

/** The default evaluation budget of the frequency quadrature, from the work of one evaluation (columns x sites,
 * factor entries, integrand components): 2e5 to 5e6 evaluations. */
function defaultEvaluationBudget(sizeWork: number): number {
  return Math.max(2e5, Math.min(5e6, Math.floor(4e10 / Math.max(sizeWork, 1))));
}

/** What solveCost.ts needs to estimate a transmission solve: measured seconds of its steps and its counts. */
export interface TransmissionTiming {
  /** Seconds per frequency evaluation (one complex factorisation and the bath columns; O(N) sweeps on chains). */
  evaluation: number;
  /** Seconds per real factorisation of V - lambda M (the inertia counts that locate the normal modes). */
  factorisation: number;
  /** The quadrature's evaluation budget with these options (the default scaled to the network, or maxEvaluations). */
  budget: number;
  /** Normal modes the quadrature integrates (all of them, or those below a fluxes-only run's screen). */
  modes: number;
  /** Whether the modes are located by inertia counts (beyond the dense mode analysis of 300 sites). */
  sparseModes: boolean;
  /**
   * Expected evaluations per integrated mode: EVALUATIONS_PER_MODE, or on the bath-fluxes-only path of strips
   * STRIP_EVALUATIONS_PER_MODE (its complex sweeps for the poles and the remainder's real-axis sweeps, in units of
   * one real-axis sweep, which `evaluation` then times).
   */
  evaluationsPerMode: number;
  /** Whether the solve takes the bath-fluxes-only path of strips (stripFluxes.ts), the path timed. */
  strip: boolean;
}

/**
 * Times the steps of a transmission solve of this network on this machine, before it runs: frequency evaluations
 * of the general path (chains: their O(N) sweeps) spread over the band, after the loops are compiled (0.06 to 0.25
 * s), and real factorisations (underdamped; on networks sliced into levels, fluxes only, the block LDL^T the mode
 * location uses there). With `springs: false` on a strip (the bath-fluxes-only path, stripFluxes.ts) the evaluation
 * timed is its sweep for G's end block. `clock` gives milliseconds (default wall time; the CLI passes the process's CPU time,
 * so that the estimate does not grow with the machine's load). Throws ModelError for a model that is not a network.
 * The evaluations are thrown away.
 */
export function measureTransmission(
  model: Model,
  options: Pick<
    TransmissionOptions,
    "temperatures" | "bySource" | "maxEvaluations" | "springs" | "poles" | "spectrum" | "screen"
  > = {},
  clock: () => number = () => performance.now(),
): TransmissionTiming {
  checkNetworkModel(model, "measureTransmission");
  const n = model.sites.length;
  const sys = networkSystem(model);
  const large = n > MAX_SITES && sys.under;
  const temperatures = sys.under && (options.temperatures ?? !large);
  const B = model.baths.length;
  const bySource = options.bySource ?? (B <= 32 && model.springs.length <= 20000);
  const plan = makePlan(model, sys, { temperatures, bySource, spectrum: false });
  const top = Math.sqrt(gershgorin(sys, sys.under ? sys.mass : sys.gamma));
  // The first calls run before the loops are compiled (10-30x slower): steps in windows of 15 ms, the rate of the
  // last window, once two windows agree within 20% after 60 ms (at most 250 ms, or 256 steps in a window).
  const time = (step: (k: number) => void): number => {
    const t0 = clock();
    let k = 0;
    let last = Infinity;
    for (;;) {
      const w0 = clock();
      let m = 0;
      while (m < 1 || (clock() - w0 < 15 && m < 256)) {
        step(k++ % 64);
        m++;
      }
      const now = clock();
      const rate = (now - w0) / 1000 / m;
      if ((now - t0 > 60 && Math.abs(rate / last - 1) < 0.2) || now - t0 > 250) return rate;
      last = rate;
    }
  };
  // Networks sliced into levels (2D strips), fluxes only: the modes are located with the block LDL^T over the levels
  // where the solve uses it, and with springs: false the bath fluxes come from the end block of G (stripFluxes.ts).
  const cut = stripCut(sys, temperatures, chainOrder(sys) !== undefined, options.screen);
  const sliced = cut && new SlicedPencil(cut.level, sys.vDiag, sys.pattern.ptr, sys.pattern.idx, sys.off, sys.mass);
  const strip = sliced !== undefined && takesStripPath(options);
  let evaluation: number;
  if (strip) {
    const green = new StripGreen(sliced, sys.gamma);
    evaluation = time((k) => green.evaluate((top * (k + 0.5)) / 8, 0));
  } else {
    const ev = new Evaluator(model, sys, plan);
    evaluation = time((k) => ev.evaluate((top * (k + 0.5)) / 8, false));
  }
  let factorisation = 0;
  if (sys.under) {
    const pencil = new RealPencil(sys, sys.mass, sliced);
    factorisation = time((k) => pencil.factor(((top * (k + 0.5)) / 8) ** 2));
  }
  const sizeWork = plan.columns.length * n + sys.sym.nnzL + plan.C;
  const screened = !temperatures ? screenedModes(model) : undefined;
  return {
    evaluation,
    factorisation,
    budget: options.maxEvaluations ?? defaultEvaluationBudget(sizeWork),
    modes: screened ?? n,
    sparseModes: sys.under && n > DENSE_MODES_MAX,
    evaluationsPerMode: strip ? STRIP_EVALUATIONS_PER_MODE : EVALUATIONS_PER_MODE,
    strip,
  };
}
