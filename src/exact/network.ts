/**
 * Exact nonequilibrium steady state of a linear network (J.-P. Eckmann and E. Zabey, "Strange heat flux in
 * (an)harmonic networks", J. Stat. Phys., doi:10.1023/B:JOSS.0000003119.91989.48): drift and diffusion matrices, the stationary
 * covariance, kinetic temperatures, heat flux through every spring and from every bath, entropy production, the
 * per-site energy balance, and each flux split by source bath (the covariance is linear in the temperatures).
 *
 * Underdamped, y = (q, p): dq = M^-1 p dt, dp = -V q dt - Gamma M^-1 p dt + sqrt(2 Gamma T) dW.
 *   spring flux i -> j:   k_ij <q_i p_j> / m_j          bath flux into i:  (gamma_i / m_i) (T_i - <p_i^2> / m_i)
 * Overdamped, y = q: Gamma dq = -V q dt + sqrt(2 Gamma T) dW (Stratonovich energy balance, Sekimoto):
 *   spring flux i -> j:   k_ij <q_i o q_j'> = -k_ij (S V)_ij / gamma_j
 *   bath flux into i:     <dU/dq_i o q_i'> = (T_i V_ii - (V S V)_ii) / gamma_i
 * Entropy production rate: -sum_i (bath flux into i) / T_i >= 0.
 *
 * Every exported function checks the model it is given (checkNetworkModel: a hand-built or modified model is checked
 * field by field like a file) and throws a ModelError naming the problem. The engine is dense: it refuses more than
 * EXACT_MAX_COORDINATES coordinates (see exactCost), after the cheap physical diagnosis (diagnose.ts), so a network
 * with no steady state is refused in seconds whatever its size (one whose diagnosis needs a dense check of more than
 * 400 sites is refused as too large first).
 */
import { ModelError, NessError, SteadyStateError } from "../errors.js";
import { lyapunovResidualDoubleDouble, lyapunovResidualSums, SPLIT } from "../linalg/doubleDouble.js";
import { matrix, type Matrix } from "../linalg/matrix.js";
import type { Model } from "../model/models.js";
import { checkNetworkModel, springLabel, type NetworkModel } from "../model/networkModel.js";
import { describeValue } from "../model/raw.js";
import { CHEAP_UNREACHED, checkNetworkSolvable, diagnoseNetwork } from "../problem/diagnose.js";
import { formatBytes } from "../problem/format.js";
import {
  checkLinear,
  checkTemperatures,
  diffusionMatrix,
  frictionVector,
  networkProblem,
  networkStateSize,
  potentialMatrix,
  siteTemperatures,
  stateOrder,
} from "../problem/network.js";
import { formatNumber } from "../linalg/lyapunovCondition.js";
import { prepareStationary, type Stationary, type StationarySolver } from "./linearSde.js";

/**
 * Largest state (coordinates: 2 per site underdamped, 1 overdamped) the exact engine solves by default. The solve
 * holds about ten N x N matrices and takes O(N^3) operations (real Schur form, then one back-substitution per
 * temperature vector): about 0.3 GB and three minutes at N = 2000 on one core, eight times that at 4000.
 */
export const EXACT_MAX_COORDINATES = 2000;

/** Estimated memory (bytes) and time (seconds, one core) of an exact solve with N coordinates and `solves` right-hand sides. */
export function exactCost(N: number, solves = 1): { bytes: number; seconds: number } {
  // Measured on one core of the development machine: a chain of 500 sites (N = 1000) takes 20 s for the
  // factorisation and the first solve, each further solve (a source bath) 7 s; N = 2000 takes 160 s and 0.34 GB.
  return { bytes: 10 * 8 * N * N, seconds: 2e-8 * N ** 3 * (1 + 0.35 * (solves - 1)) };
}

/** The estimate of exactCost in words: "about 0.3 GB and 3 min". */
export function exactCostText(N: number, solves = 1): string {
  const cost = exactCost(N, solves);
  return `about ${formatBytes(cost.bytes)} and ${formatSeconds(cost.seconds)}`;
}

function formatSeconds(s: number): string {
  if (s < 90) return `${Math.max(1, Math.round(s))} s`;
  if (s < 5400) return `${Math.round(s / 60)} min`;
  if (s < 2 * 86400) return `${Number((s / 3600).toPrecision(2))} h`;
  return `${Number((s / 86400).toPrecision(2))} days`;
}

export interface SpringFlux {
  between: [string, string];
  i: number;
  j: number;
  stiffness: number;
  /** Mean heat flux from `between[0]` to `between[1]`. */
  flux: number;
  /** Contribution of each bath (same order as `baths`); sums to `flux`. */
  fluxBySource?: number[];
  /**
   * solveNetwork: bound on the absolute error of `flux`: from the covariance's error bound (networkFluxErrors), or
   * where that says nothing, the smaller of the adjoint and refined bounds (FluxAdjoint, refinedFluxErrors).
   */
  error?: number;
  /**
   * Error of each entry of `fluxBySource` (one number covering every part). solveNetwork: a bound
   * (networkFluxErrors, or the adjoint and refined bounds of each part, see solveNetwork); transmission and modal methods: an estimate like their `error`, from the
   * same terms with the largest bath temperature in place of the temperature spread (each part is a temperature,
   * not a difference, times the same integrals), plus each part's own rounding.
   */
  fluxBySourceError?: number;
}

export interface BathFlux {
  site: string;
  index: number;
  temperature: number;
  friction: number;
  /** Mean heat flux from the bath into the network. */
  flux: number;
  fluxBySource?: number[];
  /**
   * solveNetwork: bound on the absolute error of `flux`: from the covariance's error bound (networkFluxErrors), or
   * where that says nothing, the smaller of the adjoint and refined bounds (FluxAdjoint, refinedFluxErrors).
   */
  error?: number;
  /** Error of each entry of `fluxBySource` (as SpringFlux.fluxBySourceError). */
  fluxBySourceError?: number;
}

export interface NetworkSteadyState {
  dynamics: "underdamped" | "overdamped";
  sites: string[];
  /** Coordinates of the covariance matrix, e.g. ["q:a", "q:b", "p:a", "p:b"]. */
  order: string[];
  covariance: Matrix;
  positionVariance: Float64Array;
  /** <p_i^2> (underdamped only). */
  momentumVariance?: Float64Array;
  /** <p_i^2> / m_i (underdamped only). */
  kineticTemperature?: Float64Array;
  /** <q_i dU/dq_i> = (S V)_ii: equals T at equilibrium (the local temperature of overdamped sites). */
  configurationalTemperature: Float64Array;
  springs: SpringFlux[];
  baths: BathFlux[];
  entropyProduction: number;
  /** Per site: |bath flux + sum of spring fluxes into the site|, relative to the largest flux scale. */
  energyBalanceResidual: Float64Array;
  /** Relative residual of the Lyapunov solve for the full covariance. */
  residual: number;
  /** Estimated relative condition number of that Lyapunov equation (src/linalg/lyapunovCondition.ts). */
  condition: number;
  /** Estimated bound on the relative error of the covariance (Frobenius norm); above 1e-8 it comes with a warning. */
  forwardErrorBound: number;
  /** Slowest relaxation rate of the dynamics (1 / longest relaxation time). */
  slowestRate: number;
  warnings: string[];
}

/**
 * Whether fluxes are split by source bath unless asked: up to 32 baths, when the extra solves (one per bath) take at
 * most a minute, or at most as long as the solve itself.
 */
function defaultBySource(model: NetworkModel): boolean {
  const nb = model.baths.length;
  if (nb > 32) return false;
  const N = model.dynamics === "underdamped" ? 2 * model.sites.length : model.sites.length;
  const extra = exactCost(N, 1 + nb).seconds - exactCost(N).seconds;
  return extra <= Math.max(60, exactCost(N).seconds);
}

export interface SolveOptions {
  /**
   * Split every flux by source bath (one extra solve per bath, reusing one factorisation). Default: up to 32 baths,
   * when the extra solves take at most a minute or as long as the solve itself (a warning says when they are skipped).
   */
  bySource?: boolean;
  /** Largest state the dense solve accepts (default EXACT_MAX_COORDINATES): raise it to wait for a larger solve. */
  maxCoordinates?: number;
}

/** Refuses a network too large for the dense exact engine, with the estimated memory and time. */
export function checkExactSize(model: NetworkModel, options: SolveOptions = {}): void {
  checkNetworkModel(model, "checkExactSize");
  const n = model.sites.length;
  const N = model.dynamics === "underdamped" ? 2 * n : n;
  const limit = options.maxCoordinates ?? EXACT_MAX_COORDINATES;
  if (!(typeof limit === "number" && limit >= 1))
    throw new ModelError(`maxCoordinates must be a number >= 1, got ${describeValue(limit)}`);
  if (N <= limit) return;
  const solves = 1 + ((options.bySource ?? defaultBySource(model)) ? model.baths.length : 0);
  throw new ModelError(
    `the network is too large for the exact engine: ${n} ${model.dynamics} sites are ${N} coordinates, and the dense ` +
      `Lyapunov solve would need ${exactCostText(N, solves)} ` +
      `(O(N^3) operations on N x N matrices; the limit is ${limit} coordinates); the frequency-domain methods (ness solve ` +
      `--method transmission or modal) give the fluxes and kinetic temperatures without the covariance, or use the ` +
      `stochastic engine (ness simulate)`,
    model.source,
  );
}

/**
 * Exact steady state of a linear network: the cheap diagnoses, the size limit, the rest of the diagnosis
 * (src/problem/diagnose.ts), then the network's linear SDE problem (src/problem: networkProblem) solved by
 * stationary's prepared solver, and the network observables from the covariance (networkObservables), each flux split
 * by source bath with one more solve per bath on the same factorisation. Throws SteadyStateError when there is no
 * unique steady state (before any expensive work), ModelError for an invalid model or one too large for the dense solve.
 *
 * @example
 * ```ts
 * import { loadModel, solveNetwork } from "ness";
 *
 * const state = solveNetwork(loadModel(`
 * kind: network
 * sites: [a, b]
 * pinning: 1
 * springs: [{between: [a, b], stiffness: 1}]
 * baths: [{site: a, friction: 1, temperature: 2}, {site: b, friction: 1, temperature: 1}]
 * `));
 * console.log(state.springs[0].flux > 0); // => true: heat flows from the hot site a to b
 * console.log(state.residual < 1e-12);    // => true
 * ```
 */
export function solveNetwork(model: Model, options: SolveOptions = {}): NetworkSteadyState {
  checkNetworkModel(model, "solveNetwork");
  if (options === null || typeof options !== "object")
    throw new ModelError(`solveNetwork: options must be an object, got ${describeValue(options)}`);
  if (options.bySource !== undefined && typeof options.bySource !== "boolean")
    throw new ModelError(`solveNetwork: bySource must be true or false, got ${describeValue(options.bySource)}`);
  // The cheap diagnoses first (linear time, and a small dense part), then the size limit, then the rest.
  checkLinear(model);
  const cheap = diagnoseNetwork(model, { maxUnreached: CHEAP_UNREACHED });
  if (cheap.problem) throw new SteadyStateError(cheap.problem, model.source);
  checkExactSize(model, options);
  checkNetworkSolvable(model);
  const n = model.sites.length;
  const problem = networkProblem(model);
  let solver: StationarySolver;
  try {
    solver = prepareStationary(problem);
  } catch (err) {
    throw asSteadyStateError(err, model);
  }
  const bySource = options.bySource ?? defaultBySource(model);
  const warnings: string[] = [];
  if (options.bySource === undefined && !bySource && model.baths.length <= 32) {
    warnings.push(
      `fluxes are not split by source bath: the ${model.baths.length} extra solves would bring the solve to ${exactCostText(networkStateSize(model), 1 + model.baths.length).replace(/^about .* and /, "about ")}; ask for them with --by-source (bySource: true)`,
    );
  }
  const bathTemperatures = model.baths.map((b) => {
    const t = new Float64Array(n);
    t[b.site] = b.temperature;
    return t;
  });
  // The diffusion is linear in the temperatures, and each site has at most one bath (checkNetworkModel refuses two
  // on one site): the full covariance is the sum of the per-bath ones, so a split by source costs one triangular
  // solve and one back-transform per bath and nothing more (solveSum).
  let full: Stationary;
  let parts: Matrix[] = [];
  try {
    if (bySource) ({ total: full, parts } = solver.solveSum(bathTemperatures.map((t) => diffusionMatrix(model, t))));
    else full = solver.solve();
  } catch (err) {
    throw asSteadyStateError(err, model);
  }
  warnings.push(...full.warnings);
  const S = full.covariance;
  for (let i = 0; i < S.data.length; i++) {
    if (!Number.isFinite(S.data[i]))
      throw new SteadyStateError("the covariance has non-finite entries: the solve failed", model.source);
  }
  const V = potentialMatrix(model);
  const observed = networkObservables(model, S, V);
  const errors = networkFluxErrors(model, S, V, full.forwardErrorBound);
  observed.springs.forEach((s, k) => (s.error = errors.spring[k]));
  observed.baths.forEach((b, k) => (b.error = errors.bath[k]));
  // where a normwise bound says nothing about the fluxes, their bounds through the adjoint equation (FluxAdjoint)
  const jmax = Math.max(0, ...observed.baths.map((b) => Math.abs(b.flux)));
  const useless = [...errors.bath, ...errors.spring].some((e) => e > ADJOINT_BOUND_FROM * jmax);
  const adjoint = useless ? fluxAdjoint(model, solver) : null;
  // and those through one step of iterative refinement (refinedFluxErrors), which follow the actual errors
  const adjointErrors = (Sb: Matrix, t: Float64Array, D: Matrix, refine: boolean) => {
    const bound = adjointFluxErrors(model, adjoint!, Sb, t, residualNormBound(problem.drift, Sb, D));
    const refined = refine ? refinedFluxErrors(model, adjoint!, solver, Sb, t) : null;
    return {
      spring: bound.spring.map((e, k) => tighter(e, refined?.spring[k])),
      bath: bound.bath.map((e, k) => tighter(e, refined?.bath[k])),
    };
  };
  if (adjoint) {
    const tight = adjointErrors(S, siteTemperatures(model), problem.diffusion, true);
    observed.springs.forEach((s, k) => (s.error = tighter(errors.spring[k], tight.spring[k])));
    observed.baths.forEach((b, k) => (b.error = tighter(errors.bath[k], tight.bath[k])));
  }
  const small = smallFluxWarning(model, observed, S, full.forwardErrorBound);
  if (small) warnings.push(small);
  if (bySource) {
    const springBySource: number[][] = model.springs.map(() => []);
    const bathBySource: number[][] = model.baths.map(() => []);
    // Error bounds of the split: each part S_b is the positive semidefinite covariance of one bath's noise, so
    // ||S_b||_F <= ||S||_F, and its temperatures and <p^2> are at most the total's: the total's bound (the absolute
    // covariance error forwardErrorBound ||S||_F through the same coefficients) bounds every part solved with the same
    // factorization (solveSum).
    // Checked against 50-digit references in test/exact/flux-error.test.ts (the actual errors are 1e3-1e6 below it).
    // Where the fluxes have adjoint bounds, each part gets its own from its residual, if smaller.
    const springError = new Array<number>(model.springs.length).fill(0),
      bathError = new Array<number>(model.baths.length).fill(0);
    for (let b = 0; b < model.baths.length; b++) {
      const t = bathTemperatures[b];
      const Sb = parts[b];
      const normwise = errors;
      const refine = model.baths.length <= REFINED_PARTS_MAX;
      const tight = adjoint ? adjointErrors(Sb, t, diffusionMatrix(model, t), refine) : null;
      normwise.spring.forEach((e, k) => (springError[k] = Math.max(springError[k], tighter(e, tight?.spring[k]))));
      normwise.bath.forEach((e, k) => (bathError[k] = Math.max(bathError[k], tighter(e, tight?.bath[k]))));
      const f = networkFluxes(model, Sb, V, t);
      f.spring.forEach((x, k) => springBySource[k].push(x));
      f.bath.forEach((x, k) => bathBySource[k].push(x));
    }
    observed.springs.forEach((s, k) => {
      s.fluxBySource = springBySource[k];
      s.fluxBySourceError = springError[k];
    });
    observed.baths.forEach((b, k) => {
      b.fluxBySource = bathBySource[k];
      b.fluxBySourceError = bathError[k];
    });
  }
  return {
    ...observed,
    residual: full.residual,
    condition: full.condition,
    forwardErrorBound: full.forwardErrorBound,
    slowestRate: solver.slowestRate,
    warnings,
  };
}

/** The smaller of a normwise bound and an adjoint one (undefined or NaN: none). */
function tighter(normwise: number, adjoint: number | undefined): number {
  return adjoint !== undefined && adjoint < normwise ? adjoint : normwise;
}

/** What a network's stationary covariance says: variances, temperatures, fluxes, entropy production, energy balance. */
export type NetworkObservables = Omit<
  NetworkSteadyState,
  "residual" | "condition" | "forwardErrorBound" | "slowestRate" | "warnings"
>;

/**
 * The network observables of a stationary covariance S (state order stateOrder(model)) with the potential matrix V:
 * position and momentum variances, kinetic and configurational temperatures, every spring and bath flux, the
 * entropy production and the per-site energy balance (file header for the formulas). Fluxes are not split by source.
 */
export function networkObservables(
  model: NetworkModel,
  S: Matrix,
  V: Matrix = potentialMatrix(model),
): NetworkObservables {
  checkNetworkModel(model, "networkObservables");
  const n = model.sites.length;
  const temperature = siteTemperatures(model);
  const fluxes = networkFluxes(model, S, V, temperature);
  const N = S.rows;
  const positionVariance = new Float64Array(n);
  for (let i = 0; i < n; i++) positionVariance[i] = S.data[i * N + i];
  let momentumVariance: Float64Array | undefined;
  let kineticTemperature: Float64Array | undefined;
  if (model.dynamics === "underdamped") {
    momentumVariance = new Float64Array(n);
    kineticTemperature = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      momentumVariance[i] = S.data[(n + i) * N + (n + i)];
      kineticTemperature[i] = momentumVariance[i] / model.mass[i];
    }
  }
  const configurationalTemperature = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let k = 0; k < n; k++) s += S.data[i * N + k] * V.data[k * n + i];
    configurationalTemperature[i] = s;
  }

  // Energy balance at every site: bath flux in + spring fluxes in = 0.
  const inflow = new Float64Array(n);
  model.springs.forEach((s, k) => {
    inflow[s.j] += fluxes.spring[k];
    inflow[s.i] -= fluxes.spring[k];
  });
  model.baths.forEach((b, k) => (inflow[b.site] += fluxes.bath[k]));
  let fluxScale = 0;
  for (const b of model.baths) {
    const scale =
      model.dynamics === "underdamped"
        ? (b.friction / model.mass[b.site]) * b.temperature
        : (b.temperature * V.data[b.site * n + b.site]) / b.friction;
    fluxScale = Math.max(fluxScale, scale);
  }
  const energyBalanceResidual = inflow.map((x) => Math.abs(x) / fluxScale);

  let entropyProduction = 0;
  model.baths.forEach((b, k) => (entropyProduction -= fluxes.bath[k] / b.temperature));

  return {
    dynamics: model.dynamics,
    sites: model.sites,
    order: stateOrder(model),
    covariance: S,
    positionVariance,
    momentumVariance,
    kineticTemperature,
    configurationalTemperature,
    springs: model.springs.map((s, k) => ({
      between: [model.sites[s.i], model.sites[s.j]] as [string, string],
      i: s.i,
      j: s.j,
      stiffness: s.stiffness,
      flux: fluxes.spring[k],
      fluxBySource: undefined,
    })),
    baths: model.baths.map((b, k) => ({
      site: model.sites[b.site],
      index: b.site,
      temperature: b.temperature,
      friction: b.friction,
      flux: fluxes.bath[k],
      fluxBySource: undefined,
    })),
    entropyProduction,
    energyBalanceResidual,
  };
}

/** The words of the dense solve's refusal of a network whose steady state exists but is beyond double precision. */
export const BEYOND_DOUBLE_PRECISION = "but cannot be computed in double precision";

/**
 * A failure of the Lyapunov stage as a SteadyStateError naming the model's file. The physical diagnosis has passed by
 * then (the network is confined and every mode meets a bath), so the steady state exists: a singular or non-relaxing
 * drift here means that it cannot be resolved in double precision (time scales too far apart), and the message says so
 * with the spread of the model's rates.
 */
function asSteadyStateError(err: unknown, model: NetworkModel): unknown {
  if (!(err instanceof NessError || (err instanceof Error && err.name === "SingularLyapunovError"))) return err;
  return new SteadyStateError(
    `the steady state exists (the network is confined and every mode meets a bath) ${BEYOND_DOUBLE_PRECISION}: ${(err as Error).message}; ${rateSpread(model)}`,
    model.source,
  );
}

/** The advice ending a refusal beyond double precision (dropped where a caller falls back to another method). */
export const KEEP_NUMBERS_ADVICE = "keep the model's numbers within fewer orders of magnitude";

/** The range of the model's rates, e.g. "damping rates gamma/m span 1e-12 .. 1, frequencies sqrt(V_ii/m_i) 1 .. 1e6". */
export function rateSpread(model: NetworkModel): string {
  const n = model.sites.length;
  const diag = Float64Array.from(model.pinning);
  for (const s of model.springs) {
    diag[s.i] += s.stiffness;
    diag[s.j] += s.stiffness;
  }
  const range = (xs: number[]) => {
    const pos = xs.filter((x) => x > 0);
    return pos.length === 0 ? "-" : `${fmtRate(Math.min(...pos))} .. ${fmtRate(Math.max(...pos))}`;
  };
  if (model.dynamics === "overdamped") {
    return `its relaxation rates V_ii / gamma_i span ${range(model.baths.map((b) => diag[b.site] / b.friction))}; ${KEEP_NUMBERS_ADVICE}`;
  }
  const damping = range(model.baths.map((b) => b.friction / model.mass[b.site]));
  const frequency = range(Array.from({ length: n }, (_, i) => Math.sqrt(diag[i] / model.mass[i])));
  return `its damping rates gamma/m span ${damping} and its frequencies sqrt(V_ii/m_i) ${frequency} (a mode damped 1e-16 times slower than it oscillates is beyond double precision); ${KEEP_NUMBERS_ADVICE}`;
}

function fmtRate(x: number): string {
  return x >= 1e-3 && x < 1e5 ? String(Number(x.toPrecision(3))) : x.toExponential(1).replace("e+", "e");
}

/**
 * Spring and bath fluxes from a covariance (linear in it). Overdamped, the products with V are summed in double-double
 * with V's entries from the model's numbers (the diagonal's sum of pinning and stiffnesses exact; `V` itself is only
 * checked), so each flux is within a few eps of itself from S (formingRounding).
 */
export function networkFluxes(
  model: NetworkModel,
  S: Matrix,
  V: Matrix,
  temperature: Float64Array,
): { spring: number[]; bath: number[] } {
  checkNetworkModel(model, "networkFluxes");
  const n = model.sites.length;
  const N0 = model.dynamics === "underdamped" ? 2 * n : n;
  const isMatrix = (m: unknown, r: number) =>
    m !== null &&
    typeof m === "object" &&
    (m as Matrix).rows === r &&
    (m as Matrix).cols === r &&
    (m as Matrix).data instanceof Float64Array &&
    (m as Matrix).data.length === r * r;
  if (!isMatrix(S, N0)) throw new ModelError(`networkFluxes: the covariance must be a ${N0} x ${N0} matrix`);
  if (!isMatrix(V, n)) throw new ModelError(`networkFluxes: V must be the ${n} x ${n} potential matrix`);
  checkTemperatures(model, temperature, "networkFluxes");
  const N = S.rows;
  const d = S.data;
  if (model.dynamics === "underdamped") {
    return {
      spring: model.springs.map((s) => (s.stiffness * d[s.i * N + (n + s.j)]) / model.mass[s.j]),
      bath: model.baths.map((b) => {
        const m = model.mass[b.site];
        return (b.friction / m) * (temperature[b.site] - d[(n + b.site) * N + (n + b.site)] / m);
      }),
    };
  }
  // Overdamped: the products with V cancel where S is large against the fluxes (weak pinning: S ~ T / pinning), so
  // they are summed in double-double over the springs at each site, with V's diagonal taken exactly (pinning plus
  // stiffnesses), and rounded once: each flux to within a few eps of itself from S (formingRounding).
  const gamma = frictionVector(model);
  const { column, hi, lo } = potentialDoubleDouble(model);
  // (S V)_ij over the nonzeros of column j, double-double
  const sv = (i: number, j: number): [number, number] => {
    let h = 0,
      l = 0;
    for (let x = 0; x < column[j].length; x++) {
      const v = d[i * n + column[j][x]];
      const [p, e] = twoProduct(v, hi[j][x]);
      const [t, f] = twoSum(h, p);
      h = t;
      l += f + e + v * lo[j][x];
    }
    return twoSum(h, l);
  };
  return {
    spring: model.springs.map((s) => {
      const [h, l] = sv(s.i, s.j);
      return ddDivide(-s.stiffness * h, -s.stiffness * l, gamma[s.j]);
    }),
    bath: model.baths.map((b) => {
      const i = b.site;
      const c = column[i],
        self = c.indexOf(i);
      // T_i V_ii - sum_k V_ik (S V)_ki
      const [p0, e0] = twoProduct(temperature[i], hi[i][self]);
      let h = p0,
        l = e0 + temperature[i] * lo[i][self];
      for (let x = 0; x < c.length; x++) {
        const [yh, yl] = sv(c[x], i);
        const [p, e] = twoProduct(hi[i][x], yh);
        const [t, f] = twoSum(h, -p);
        h = t;
        l += f - e - hi[i][x] * yl - lo[i][x] * yh;
      }
      return ddDivide(h, l, b.friction);
    }),
  };
}

/** (h + l) / g rounded to a double (h + l a double-double). */
function ddDivide(h: number, l: number, g: number): number {
  const [qh, ql] = quotient(h, g);
  return qh + (ql + l / g);
}

/**
 * The potential matrix V of a network by rows of nonzeros, each entry a double-double (hi, lo): the diagonal the
 * pinning plus the stiffnesses summed exactly, off the diagonal minus the stiffness. column[j] lists the sites of
 * row (and column) j's nonzeros in increasing order, hi[j] and lo[j] their values.
 */
function potentialDoubleDouble(model: NetworkModel): { column: number[][]; hi: number[][]; lo: number[][] } {
  const column = neighbourLists(model);
  const n = model.sites.length;
  const diag: [number, number][] = Array.from(model.pinning, (p): [number, number] => [p, 0]);
  const off = new Map<number, number>();
  for (const s of model.springs) {
    for (const i of [s.i, s.j]) {
      const [h, e] = twoSum(diag[i][0], s.stiffness);
      diag[i] = [h, diag[i][1] + e];
    }
    off.set(s.i * n + s.j, -s.stiffness);
    off.set(s.j * n + s.i, -s.stiffness);
  }
  const hi: number[][] = [],
    lo: number[][] = [];
  for (let j = 0; j < n; j++) {
    const [dh, dl] = twoSum(diag[j][0], diag[j][1]);
    hi.push(column[j].map((l) => (l === j ? dh : off.get(l * n + j)!)));
    lo.push(column[j].map((l) => (l === j ? dl : 0)));
  }
  return { column, hi, lo };
}

/** Error bound of the dense solve's fluxes, relative to the largest |flux|, above which a solve carries a warning. */
export const FLUX_ERROR_WARNING = 1e-6;

/**
 * Bounds on the absolute errors of the spring and bath fluxes computed from a covariance S whose relative error
 * (Frobenius norm) is at most `relativeError` (a solve's forwardErrorBound): every entry of S is then off by at most
 * dS = relativeError ||S||_F (plus n eps ||S||_F for the products below), and
 *   underdamped  spring k/m_j dS,                 bath gamma/m (dS/m + 2 eps (T + <p^2>/m))
 *   overdamped   spring k/gamma_j dS sum_k |V_kj|,  bath (dS (sum_k |V_ik|)^2 + 2 n eps T |V_ii|) / gamma_i.
 * A flux is one entry of S or a difference T - <p^2>/m: small against S (nearly equal temperatures, weak damping) it
 * has a relative error far above the covariance's (a chain at T = 1000 with temperatures 1e-12 apart: covariance
 * bound 2.4e-13, fluxes 0.4 % off, tested against 50-digit references in test/exact/flux-error.test.ts).
 */
export function networkFluxErrors(
  model: NetworkModel,
  S: Matrix,
  V: Matrix,
  relativeError: number,
): { spring: number[]; bath: number[] } {
  const n = model.sites.length;
  const eps = 2 ** -52;
  let norm = 0;
  for (let k = 0; k < S.data.length; k++) norm += S.data[k] * S.data[k];
  norm = Math.sqrt(norm);
  const dS = (relativeError + n * eps) * norm;
  const N = S.rows;
  if (model.dynamics === "underdamped") {
    return {
      spring: model.springs.map((s) => (s.stiffness / model.mass[s.j]) * dS),
      bath: model.baths.map((b) => {
        const m = model.mass[b.site];
        const pp = Math.abs(S.data[(n + b.site) * N + (n + b.site)]) / m;
        return (b.friction / m) * (dS / m + 2 * eps * (Math.abs(b.temperature) + pp));
      }),
    };
  }
  const gamma = frictionVector(model);
  const rowSum = new Float64Array(n);
  for (let i = 0; i < n; i++) for (let k = 0; k < n; k++) rowSum[i] += Math.abs(V.data[i * n + k]);
  return {
    // V is symmetric: its column sums are its row sums
    spring: model.springs.map((s) => (s.stiffness / gamma[s.j]) * dS * rowSum[s.j]),
    bath: model.baths.map((b) => {
      const i = b.site;
      return (dS * rowSum[i] ** 2 + 2 * n * eps * Math.abs(b.temperature * V.data[i * n + i])) / b.friction;
    }),
  };
}

/**
 * Above this fraction of the largest bath flux, a flux's normwise error bound (networkFluxErrors) is replaced by its
 * adjoint bound (FluxAdjoint) when that is smaller: one more solve on the same factorisation (and one per spring on a
 * cycle, within ADJOINT_SPRING_SOLVES).
 */
const ADJOINT_BOUND_FROM = 1e-8;

/**
 * Most baths for which the parts of the split by source bath get refined bounds (refinedFluxErrors: one more solve
 * per part, about as much as the split itself); with more, the parts keep their adjoint bounds.
 */
const REFINED_PARTS_MAX = 4;

/**
 * Most springs on cycles (not bridges of the spring graph) that get an adjoint solve of their own: each costs about
 * a sixth of the solve itself (0.13 CPU-s against 0.8-1.0 on the 330-site chain with a cycle; one triangular solve,
 * two transforms, a residual).
 */
const ADJOINT_SPRING_SOLVES = 4;

/**
 * Adjoint error bounds of a network's fluxes, for a computed covariance S that solves the Lyapunov
 * equation A S + S A^T = D up to its residual R. The error of S is then L^-1(R) exactly (L(X) = A X + X A^T), and a
 * flux J = <C, S>, linear in S with gradient C, is off by <C, L^-1(R)> = <Y, R> with A^T Y + Y A = C: at most
 * ||Y||_F ||R||_F, whatever the equation's condition number. Each flux gets a factor f with |error| <= f ||R||_F
 * (plus the rounding of forming the flux from S):
 * - bath fluxes: one solve serves every bath. With C the sum of the baths' (gamma_b / m_b^2) e_p e_p^T (positive
 *   semidefinite), Y = L*^-1(C) dominates Y_U = L*^-1(C_U) for the sum C_U over any set U of baths (A is stable:
 *   0 <= Y_U <= Y), so ||Y_U||_F <= ||Y||_F: f = ||Y||_F for a bath and for any sum of them.
 * - springs that are bridges of the spring graph (every spring of a chain or tree): the Lyapunov equation's diagonal
 *   entries are the energy balance of each site, exactly up to R: for a site s (sum over its baths and springs)
 *     J_bath(s) + sum of spring fluxes into s = V_ss R_qq,ss / 2 + R_pp,ss / (2 m_s)   (entries (s, s), (n+s, n+s))
 *   with each spring's flux in the form k <q_i p_j> / m_j on the side of j; the two forms of one spring differ by
 *   k R_qq,ij (the qq block, M^-1 P^T + P M^-1 = R_qq). Summed over the sites on one side U of the bridge, the spring
 *   flux is minus the bath fluxes into U plus <G, R> for an explicit G, so f = ||Y||_F + ||G||_F (the side with the smaller ||G||_F).
 * - other springs (on a cycle): an adjoint solve of their own (C = k / (2 m_j) (e_qi e_pj^T + e_pj e_qi^T)) when at
 *   most ADJOINT_SPRING_SOLVES springs lie on cycles; f = ||Y_spring||_F. With more, all of them keep their normwise
 *   bound.
 * Overdamped (A = Gamma^-1 V, D = 2 T / gamma): a bath's flux (T_i V_ii - (V S V)_ii) / gamma_i has the gradient
 * -v_i v_i^T / gamma_i (v_i the column of V at i), and one solve with V Gamma^-1 V (positive semidefinite) serves every
 * bath; the entry (i, i) of the equation times V, summed along row i, is the site's energy balance
 *     J_bath(i) - sum of spring fluxes out of i = -V_ii R_ii / 2 + sum_(l != i) k_il R_il
 * with each spring's flux -k (S V)_ij / gamma_j in the form on the side of i (the two forms differ by k R_ij), so a
 * bridge's G has V_ss / 2 on the diagonal of each site of the side and k / 2 on the two entries of each spring within
 * it and of the bridge when the side holds i (checked against direct adjoint solves in test/exact/flux-adjoint.test.ts);
 * a spring on a cycle has C the symmetric part of e_i w^T, w = -k V e_j / gamma_j.
 * Every ||Y||_F is taken with its solve's forward error bound. The same factors bound the parts of the split by source
 * bath (each part solves the equation for its bath's diffusion, up to its own residual).
 */
export interface FluxAdjoint {
  /** Factor of ||R||_F for every bath flux. */
  bath: number;
  /** Factor of ||R||_F for each spring flux; NaN where the spring keeps its normwise bound. */
  spring: Float64Array;
  /** Adjoint solves made (1 for the baths, 1 per spring on a cycle solved). */
  solves: number;
}

/**
 * The adjoint factors (FluxAdjoint) of a network on the solver's factorisation; null for a network without baths, or
 * when the baths' adjoint solve has no trusted digit.
 */
export function fluxAdjoint(model: NetworkModel, solver: StationarySolver): FluxAdjoint | null {
  if (model.baths.length === 0) return null;
  const n = model.sites.length;
  const over = model.dynamics === "overdamped";
  const N = over ? n : 2 * n;
  const V = potentialMatrix(model);
  const gamma = frictionVector(model);
  const column = neighbourLists(model);
  const C = matrix(N, N);
  if (over) {
    // the baths' gradients (1 / gamma_b) v_b v_b^T, v_b the column of V at the bath's site
    for (const b of model.baths) {
      const c = column[b.site];
      for (const k of c)
        for (const l of c) C.data[k * n + l] += (V.data[k * n + b.site] * V.data[l * n + b.site]) / b.friction;
    }
  } else {
    for (const b of model.baths) C.data[(n + b.site) * N + (n + b.site)] += b.friction / model.mass[b.site] ** 2;
  }
  const norm = (y: Stationary | null) => {
    if (y === null || !(y.forwardErrorBound < 0.5)) return NaN;
    const f = frobeniusNorm(y.covariance.data) * (1 + 2 * y.forwardErrorBound);
    return Number.isFinite(f) ? f : NaN;
  };
  const bath = norm(adjointSolve(solver, C));
  if (Number.isNaN(bath)) return null;
  const spring = new Float64Array(model.springs.length).fill(NaN);
  const sides = bridgeSides(model, V);
  let solves = 1;
  const cycle: number[] = [];
  model.springs.forEach((_, k) => {
    if (Number.isNaN(sides[k])) cycle.push(k);
    else spring[k] = bath + sides[k];
  });
  if (cycle.length <= ADJOINT_SPRING_SOLVES) {
    for (const k of cycle) {
      const s = model.springs[k];
      C.data.fill(0);
      if (over) {
        // -k / gamma_j (S V)_ij: the symmetric part of e_i w^T, w = -k V e_j / gamma_j
        for (const l of column[s.j]) {
          const w = (-s.stiffness * V.data[l * n + s.j]) / (2 * gamma[s.j]);
          C.data[s.i * N + l] += w;
          C.data[l * N + s.i] += w;
        }
      } else {
        const c = s.stiffness / (2 * model.mass[s.j]);
        C.data[s.i * N + (n + s.j)] = c;
        C.data[(n + s.j) * N + s.i] = c;
      }
      spring[k] = norm(adjointSolve(solver, C));
      solves++;
    }
  }
  return { bath, spring, solves };
}

/** For each site, itself and the sites joined to it by springs (the nonzeros of its row of V), in increasing order. */
function neighbourLists(model: NetworkModel): number[][] {
  const out: number[][] = Array.from({ length: model.sites.length }, (_, i) => [i]);
  for (const s of model.springs) {
    out[s.i].push(s.j);
    out[s.j].push(s.i);
  }
  for (const c of out) c.sort((a, b) => a - b);
  return out;
}

function adjointSolve(solver: StationarySolver, c: Matrix): Stationary | null {
  try {
    return solver.solveAdjoint(c);
  } catch {
    return null;
  }
}

function frobeniusNorm(x: Float64Array): number {
  let s = 0;
  for (let k = 0; k < x.length; k++) s += x[k] * x[k];
  return Math.sqrt(s);
}

/**
 * For each spring that is a bridge of the spring graph (its removal disconnects the network), ||G||_F of the energy
 * balance of one of its sides (FluxAdjoint; the side giving the smaller): over the side's sites s, (V_ss / 2)^2 + (1 / (2 m_s))^2
 * (overdamped: (V_ss / 2)^2), over the springs within it (k_st summed over parallel springs)^2 / 2, and k^2 / 2 for the
 * bridge itself when the side holds its first site i. NaN for a spring on a cycle.
 */
export function bridgeSides(model: NetworkModel, V: Matrix = potentialMatrix(model)): Float64Array {
  const n = model.sites.length;
  const m = model.springs.length;
  const out = new Float64Array(m).fill(NaN);
  // adjacency of the multigraph (parallel springs are two edges: neither is a bridge)
  const degree = new Int32Array(n + 1);
  for (const s of model.springs) {
    degree[s.i + 1]++;
    degree[s.j + 1]++;
  }
  for (let v = 0; v < n; v++) degree[v + 1] += degree[v];
  const nbr = new Int32Array(2 * m),
    edge = new Int32Array(2 * m),
    fill = degree.slice(0, n);
  model.springs.forEach((s, k) => {
    nbr[fill[s.i]] = s.j;
    edge[fill[s.i]++] = k;
    nbr[fill[s.j]] = s.i;
    edge[fill[s.j]++] = k;
  });
  // iterative depth-first search: entry times, subtree ends, low links, the edge to the parent
  const tin = new Int32Array(n).fill(-1),
    tout = new Int32Array(n),
    low = new Int32Array(n),
    parentEdge = new Int32Array(n).fill(-1),
    root = new Int32Array(n),
    next = degree.slice(0, n),
    stack = new Int32Array(n);
  let time = 0;
  for (let r = 0; r < n; r++) {
    if (tin[r] >= 0) continue;
    root[r] = r;
    let top = 0;
    stack[0] = r;
    tin[r] = low[r] = time++;
    while (top >= 0) {
      const v = stack[top];
      if (next[v] < degree[v + 1]) {
        const a = next[v]++;
        if (edge[a] === parentEdge[v]) continue;
        const w = nbr[a];
        if (tin[w] < 0) {
          parentEdge[w] = edge[a];
          root[w] = r;
          tin[w] = low[w] = time++;
          stack[++top] = w;
        } else low[v] = Math.min(low[v], tin[w]);
      } else {
        tout[v] = time - 1;
        top--;
        if (top >= 0) low[stack[top]] = Math.min(low[stack[top]], low[v]);
      }
    }
  }
  // per site and per pair of sites joined by springs: their terms of ||G||_F^2
  const site = new Float64Array(n);
  const over = model.dynamics === "overdamped";
  for (let s = 0; s < n; s++) site[s] = (V.data[s * n + s] / 2) ** 2 + (over ? 0 : (1 / (2 * model.mass[s])) ** 2);
  const pairs = new Map<number, { a: number; b: number; k: number }>();
  for (const s of model.springs) {
    const a = Math.min(s.i, s.j),
      b = Math.max(s.i, s.j);
    const key = a * n + b;
    const p = pairs.get(key);
    if (p) p.k += s.stiffness;
    else pairs.set(key, { a, b, k: s.stiffness });
  }
  const pairList = [...pairs.values()];
  for (let c = 0; c < n; c++) {
    const k = parentEdge[c];
    // the edge to c's parent is a bridge unless an edge from c's subtree reaches above c
    if (k < 0 || low[c] < tin[c]) continue;
    // the side U: c's subtree or the rest of its component, whichever gives the smaller ||G||_F
    const r = root[c];
    const s = model.springs[k];
    const side = (sub: boolean) => {
      const inU = (v: number) =>
        tin[v] >= tin[r] && tin[v] <= tout[r] && (tin[v] >= tin[c] && tin[v] <= tout[c]) === sub;
      let g2 = 0;
      for (let v = 0; v < n; v++) if (inU(v)) g2 += site[v];
      for (const p of pairList) if (inU(p.a) && inU(p.b)) g2 += (p.k * p.k) / 2;
      if (inU(s.i)) g2 += (s.stiffness * s.stiffness) / 2;
      return g2;
    };
    const g2 = Math.min(side(true), side(false));
    out[k] = Math.sqrt(g2);
  }
  return out;
}

/**
 * ||R||_F of a covariance S against A S + S A^T = D (computed with the drift's nonzeros), plus the rounding of
 * computing it and of A and D themselves: (k + 3) 2^-52 (2 ||A||_F ||S||_F + ||D||_F), k the most nonzeros in a row
 * of A.
 */
export function residualNormBound(drift: Matrix, S: Matrix, D: Matrix): number {
  // the sums in the WebAssembly kernels (or the same loops in JavaScript): a one-shot solve calls this a few times,
  // before V8 would have optimised loops of its own
  const { r2, k, a2, s2, d2 } = lyapunovResidualSums(drift.rows, drift.data, S.data, D.data);
  const eps = 2 ** -52;
  return Math.sqrt(r2) + (k + 3) * eps * (2 * Math.sqrt(a2) * Math.sqrt(s2) + Math.sqrt(d2));
}

/**
 * The adjoint bounds (FluxAdjoint) of the fluxes formed from a covariance S with the temperatures `temperature` (the
 * model's, or one bath's for a part of the split), whose residual norm is at most `residual` (residualNormBound):
 * factor times residual plus the rounding of forming each flux from S (as in networkFluxErrors). NaN for a spring
 * without an adjoint factor.
 */
export function adjointFluxErrors(
  model: NetworkModel,
  adjoint: FluxAdjoint,
  S: Matrix,
  temperature: Float64Array,
  residual: number,
): { spring: number[]; bath: number[] } {
  const rounding = formingRounding(model, S, temperature);
  return {
    spring: rounding.spring.map((r, k) => adjoint.spring[k] * residual + r),
    bath: rounding.bath.map((r) => adjoint.bath * residual + r),
  };
}

/**
 * Bounds on the rounding of forming each flux from a covariance S (networkFluxes). Underdamped: 2 eps |flux| for a
 * spring, (gamma / m) 2 eps (T + <p^2>/m) for a bath. Overdamped, where the sums are in double-double (d the springs
 * at the site, |.| entrywise): 2 eps |flux| plus (4 d + 8) eps^2 k / gamma_j (|S| |V|)_ij for a spring and
 * (8 d + 16) eps^2 ((|V| |S| |V|)_ii + T_i |V_ii|) / gamma_i for a bath.
 */
function formingRounding(
  model: NetworkModel,
  S: Matrix,
  temperature: Float64Array,
): { spring: number[]; bath: number[] } {
  const n = model.sites.length;
  const N = S.rows;
  const eps = 2 ** -52;
  if (model.dynamics === "underdamped") {
    return {
      spring: model.springs.map(
        (s) => 2 * eps * Math.abs((s.stiffness * S.data[s.i * N + (n + s.j)]) / model.mass[s.j]),
      ),
      bath: model.baths.map((b) => {
        const m = model.mass[b.site];
        const pp = Math.abs(S.data[(n + b.site) * N + (n + b.site)]) / m;
        return (b.friction / m) * 2 * eps * (Math.abs(temperature[b.site]) + pp);
      }),
    };
  }
  const V = potentialMatrix(model);
  const flux = networkFluxes(model, S, V, temperature);
  const v = V.data;
  const gamma = frictionVector(model);
  const column = neighbourLists(model);
  // (|S| |V|)_ij over the nonzeros of column j
  const absSV = (i: number, j: number) => {
    let x = 0;
    for (const l of column[j]) x += Math.abs(S.data[i * n + l] * v[l * n + j]);
    return x;
  };
  return {
    spring: model.springs.map((s, k) => {
      const d = column[s.j].length - 1;
      return (
        2 * eps * Math.abs(flux.spring[k]) + (4 * d + 8) * eps * eps * (s.stiffness / gamma[s.j]) * absSV(s.i, s.j)
      );
    }),
    bath: model.baths.map((b, k) => {
      const i = b.site,
        d = column[i].length - 1;
      let vsv = 0;
      for (const l of column[i]) vsv += Math.abs(v[i * n + l]) * absSV(l, i);
      const terms = (vsv + Math.abs(temperature[i] * v[i * n + i])) / b.friction;
      return 2 * eps * Math.abs(flux.bath[k]) + (8 * d + 16) * eps * eps * terms;
    }),
  };
}

/** a * b = p + e exactly (Dekker's product: no fused multiply-add in JavaScript). */
function twoProduct(a: number, b: number): [number, number] {
  const p = a * b;
  let t = SPLIT * a;
  const ah = t - (t - a),
    al = a - ah;
  t = SPLIT * b;
  const bh = t - (t - b),
    bl = b - bh;
  return [p, ah * bh - p + ah * bl + al * bh + al * bl];
}

/** a + b = s + e exactly (Knuth's sum). */
function twoSum(a: number, b: number): [number, number] {
  const s = a + b;
  const bb = s - a;
  return [s, a - (s - bb) + (b - bb)];
}

/** x / m as a double-double (hi, lo): hi = fl(x / m), lo = (x - m hi) / m rounded. */
function quotient(x: number, m: number): [number, number] {
  const hi = x / m;
  const [p, e] = twoProduct(m, hi);
  return [hi, (x - p - e) / m];
}

/**
 * The residual R = A S + S A^T - D of a network's covariance S (or of S - correction, taken exactly) in double-double
 * arithmetic, against the drift and
 * diffusion of the model's numbers taken exactly (underdamped: 1 / m, gamma / m, the diagonal of V and 2 gamma T;
 * overdamped: V / gamma and 2 T / gamma; none of them rounded), rounded to doubles at the end; with a bound on the
 * distance of that rounded R from the exact one (eps ||R||_F, plus 4 (k + 3) eps^2 (2 ||A||_F ||S||_F + ||D||_F) for
 * the rounding of the low parts). Null for a model with two baths on one site, which checkNetworkModel refuses (the
 * drift would hold one friction per site).
 */
export function exactModelResidual(
  model: NetworkModel,
  S: Matrix,
  temperature: Float64Array,
  correction?: Matrix,
): { R: Matrix; error: number } | null {
  const n = model.sites.length;
  const over = model.dynamics === "overdamped";
  const N = over ? n : 2 * n;
  if (new Set(model.baths.map((b) => b.site)).size !== model.baths.length) return null;
  // the nonzeros of A in compressed rows, each entry a double-double (hi, lo)
  const rowStart = new Int32Array(N + 1);
  const cols: number[] = [],
    hi: number[] = [],
    lo: number[] = [];
  const friction = new Float64Array(n);
  for (const b of model.baths) friction[b.site] = b.friction;
  // V: diagonal pinning + sum of stiffnesses (double-double), off-diagonal minus the stiffness (summed over parallels)
  const diag: [number, number][] = Array.from(model.pinning, (p): [number, number] => [p, 0]);
  const off = new Map<number, [number, number]>();
  for (const s of model.springs) {
    for (const i of [s.i, s.j]) {
      const [h, e] = twoSum(diag[i][0], s.stiffness);
      diag[i] = [h, diag[i][1] + e];
    }
    for (const key of [s.i * n + s.j, s.j * n + s.i]) {
      const [h0, l0] = off.get(key) ?? [0, 0];
      const [h, e] = twoSum(h0, -s.stiffness);
      off.set(key, [h, l0 + e]);
    }
  }
  const neighbours: number[][] = Array.from({ length: n }, () => []);
  for (const key of off.keys()) neighbours[Math.floor(key / n)].push(key % n);
  const vRow = (i: number, push: (j: number, h: number, e: number) => void) => {
    const js = [i, ...neighbours[i]].sort((a, b) => a - b);
    for (const j of js) {
      const v = j === i ? diag[i] : off.get(i * n + j)!;
      const [h, e] = twoSum(v[0], v[1]); // renormalised
      push(j, h, e);
    }
  };
  // D's diagonal: 2 gamma T (underdamped, momentum rows) or 2 T / gamma (overdamped), double-double
  const dHi = new Float64Array(N),
    dLo = new Float64Array(N);
  if (over) {
    for (let i = 0; i < n; i++) {
      // A[i, j] = V_ij / gamma_i
      rowStart[i] = cols.length;
      vRow(i, (j, h, e) => {
        const [qh, ql] = quotient(h, friction[i]);
        cols.push(j);
        hi.push(qh);
        lo.push(ql + e / friction[i]);
      });
      [dHi[i], dLo[i]] = quotient(2 * temperature[i], friction[i]);
    }
  } else {
    for (let i = 0; i < n; i++) {
      // q row: A[q_i, p_i] = -1 / m_i
      rowStart[i] = cols.length;
      const [h, l] = quotient(1, model.mass[i]);
      cols.push(n + i);
      hi.push(-h);
      lo.push(-l);
    }
    for (let i = 0; i < n; i++) {
      // p row: A[p_i, q_j] = V_ij, A[p_i, p_i] = gamma_i / m_i
      rowStart[n + i] = cols.length;
      vRow(i, (j, h, e) => {
        cols.push(j);
        hi.push(h);
        lo.push(e);
      });
      if (friction[i] > 0) {
        const [h, l] = quotient(friction[i], model.mass[i]);
        cols.push(n + i);
        hi.push(h);
        lo.push(l);
      }
      [dHi[n + i], dLo[n + i]] = twoProduct(2 * friction[i], temperature[i]);
    }
  }
  rowStart[N] = cols.length;
  let k = 0;
  for (let r = 0; r < N; r++) k = Math.max(k, rowStart[r + 1] - rowStart[r]);
  const s = S.data,
    ds = correction?.data;
  // A S (or A (S - correction)) and R in double-double: the WebAssembly kernel, or the same loops in JavaScript
  const R = lyapunovResidualDoubleDouble(
    { n: N, rowStart, col: Int32Array.from(cols), hi: Float64Array.from(hi), lo: Float64Array.from(lo) },
    s,
    ds,
    dHi,
    dLo,
  );
  const eps = 2 ** -52;
  const normD = frobeniusNorm(dHi);
  let normA = 0;
  for (let x = 0; x < hi.length; x++) normA += hi[x] * hi[x];
  const scale = 2 * Math.sqrt(normA) * (frobeniusNorm(s) + (ds ? frobeniusNorm(ds) : 0)) + normD;
  return { R, error: eps * frobeniusNorm(R.data) + 4 * (k + 3) * eps * eps * scale };
}

/**
 * Bounds that follow the actual errors (networks with their adjoint factors, FluxAdjoint): the exact
 * error of S is E = L^-1(R) for R the residual against the model's exact numbers (exactModelResidual), so one more
 * solve, dS = L^-1(R) in double precision (a step of iterative refinement), gives each flux's error to first order,
 * <C, dS> (C the flux's gradient). What that misses is <C, E - dS> = <Y, R - L(dS)>: at most the flux's adjoint factor
 * times ||R - L(dS)||_F, the residual of the refinement solve (residualNormBound, against the rounded R) plus the
 * rounding of R. So |error| <= |<C, dS>| + factor (||R - L(dS)||_F + rounding of R) + the rounding of forming the flux:
 * a bound, not an estimate (as far as the factors' forward error bounds hold), and the refinement residual is as
 * small against dS as the solve's residual against S, so the bound is nearly |<C, dS>|. Null where the residual
 * cannot be formed (exactModelResidual) or the refinement solve fails.
 */
export function refinedFluxErrors(
  model: NetworkModel,
  adjoint: FluxAdjoint,
  solver: StationarySolver,
  S: Matrix,
  temperature: Float64Array,
): { spring: number[]; bath: number[] } | null {
  const rounding = formingRounding(model, S, temperature);
  const step = (correction?: Matrix) => {
    const exact = exactModelResidual(model, S, temperature, correction);
    if (!exact) return null;
    let dS: Matrix;
    try {
      dS = solver.solve(exact.R).covariance;
    } catch {
      return null;
    }
    const rest = residualNormBound(solver.problem.drift, dS, exact.R) + exact.error;
    return Number.isFinite(rest) ? { dS, rest } : null;
  };
  const first = step();
  if (!first) return null;
  const one = linearPart(model, first.dS);
  const bound = (lin: { spring: number[]; bath: number[] }, rest: number) => ({
    spring: lin.spring.map((x, k) => x + adjoint.spring[k] * rest + rounding.spring[k]),
    bath: lin.bath.map((x, k) => x + adjoint.bath * rest + rounding.bath[k]),
  });
  const out = bound(one.abs, first.rest);
  // Where the refinement solve's own residual still dominates (its adjoint term above |<C, dS>|: covariances far
  // larger along a slow mode than the fluxes), a second step: the residual of S - dS (the error of S is L^-1(R) = dS
  // to first order) in double-double, its solve d2S (the error of S - dS), and the bound |<C, dS + d2S>| plus the
  // adjoint factor times d2S's residual; each flux keeps the smaller bound.
  const unsettled =
    one.abs.spring.some((x, k) => adjoint.spring[k] * first.rest > x) ||
    one.abs.bath.some((x) => adjoint.bath * first.rest > x);
  if (!unsettled) return out;
  const second = step(first.dS);
  if (!second) return out;
  const two = linearPart(model, second.dS);
  const sum = (a: number[], b: number[], ra: number[], rb: number[]) =>
    a.map((x, k) => (Math.abs(x + b[k]) + ra[k] + rb[k]) * (1 + 4 * 2 ** -52));
  const tight = bound(
    {
      spring: sum(one.value.spring, two.value.spring, one.rounding.spring, two.rounding.spring),
      bath: sum(one.value.bath, two.value.bath, one.rounding.bath, two.rounding.bath),
    },
    second.rest,
  );
  return {
    spring: out.spring.map((x, k) => Math.min(x, tight.spring[k])),
    bath: out.bath.map((x, k) => Math.min(x, tight.bath[k])),
  };
}

/**
 * The fluxes' linear part <C, X> of a matrix X (a correction of the covariance), each with a bound on its rounding,
 * and |<C, X>| plus that rounding (abs). Overdamped in double-double (networkFluxes at zero temperature: X is large
 * along the slow modes, which V cancels).
 */
function linearPart(
  model: NetworkModel,
  X: Matrix,
): {
  value: { spring: number[]; bath: number[] };
  rounding: { spring: number[]; bath: number[] };
  abs: { spring: number[]; bath: number[] };
} {
  const n = model.sites.length,
    N = X.rows;
  const eps = 2 ** -52;
  let value: { spring: number[]; bath: number[] }, rounding: { spring: number[]; bath: number[] };
  if (model.dynamics === "overdamped") {
    const zero = new Float64Array(n);
    value = networkFluxes(model, X, potentialMatrix(model), zero);
    rounding = formingRounding(model, X, zero);
  } else {
    const d = X.data;
    value = {
      spring: model.springs.map((s) => (s.stiffness / model.mass[s.j]) * d[s.i * N + (n + s.j)]),
      bath: model.baths.map((b) => (b.friction / model.mass[b.site] ** 2) * d[(n + b.site) * N + (n + b.site)]),
    };
    rounding = {
      spring: value.spring.map((x) => 4 * eps * Math.abs(x)),
      bath: value.bath.map((x) => 4 * eps * Math.abs(x)),
    };
  }
  return {
    value,
    rounding,
    abs: {
      spring: value.spring.map((x, k) => (Math.abs(x) + rounding.spring[k]) * (1 + 4 * eps)),
      bath: value.bath.map((x, k) => (Math.abs(x) + rounding.bath[k]) * (1 + 4 * eps)),
    },
  };
}

/**
 * The warning for fluxes whose error bound (`error`: networkFluxErrors, or where that says nothing the adjoint or
 * refined bound) exceeds FLUX_ERROR_WARNING of the largest |flux|
 * and 10 times the covariance's own relative bound (which has its warning); none when every bath has the same
 * temperature (the fluxes vanish) or when the covariance has no trusted digit (its warning says so already). The
 * bound is pessimistic (the covariance's bound was 30-260 times its actual error in the audit, and a flux's error is
 * that of one entry), so the warning waits for 1e-6: Eckmann and Zabey's heat pump (stiffnesses 40) has a flux bound
 * of 1.6e-8 of its largest flux.
 */
function smallFluxWarning(
  model: NetworkModel,
  observed: NetworkObservables,
  S: Matrix,
  covarianceBound: number,
): string | undefined {
  if (!(covarianceBound < 1)) return undefined;
  if (model.baths.every((b) => b.temperature === model.baths[0].temperature)) return undefined;
  const all = [...observed.springs, ...observed.baths];
  let largest = 0,
    worst = 0;
  for (const f of all) {
    largest = Math.max(largest, Math.abs(f.flux));
    worst = Math.max(worst, f.error ?? 0);
  }
  const relative = worst / largest;
  if (!(relative > FLUX_ERROR_WARNING && relative > 10 * covarianceBound)) return undefined;
  let norm = 0;
  for (let k = 0; k < S.data.length; k++) norm += S.data[k] * S.data[k];
  const f = (x: number) => formatNumber(x);
  return (
    `the heat fluxes are small against the covariance (largest |flux| ${f(largest)}, covariance norm ` +
    `${f(Math.sqrt(norm))}): by its error bound a flux may be off by ${f(worst)} (relative to the ` +
    `largest flux: ${f(relative)})${relative >= 1 ? ", so no digit of them can be trusted" : ""} (each flux's bound is its ` +
    `\`error\` in the JSON); --method modal computes the fluxes from the temperature differences directly`
  );
}

/** Label helper re-exported for tables. */
export { springLabel };
