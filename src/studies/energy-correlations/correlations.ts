/**
 * Steady-state energy correlations of a chain (Section 3 of [Bunin et al. 2013] generalised to M subsystems):
 *   d dE_i / dt = sum_j R_ij dE_j + (Sigma eta)_i,  R_ij = dX_i/dE_j at the mean state, X_i = A_{i-1,i} - A_{i,i+1},
 *   Sigma (M x (M+1)): column b (link b from node b to node b+1) is sqrt(B_b) (e_b - e_{b+1}) restricted to the
 *   subsystems, Q = Sigma Sigma^T, and the covariance C solves R C + C R^T = -Q (eq. 7), i.e. A C + C A^T = Q with
 *   A = -R: the stationary covariance of the linear SDE problem dE = -A E dt + Sigma dW (relaxationProblem), solved by
 *   the exact engine (src/exact: prepareStationary).
 * C is linear in the B_b, so C = sum_b B_b C^(b): each link's noise contributes separately; the two links touching a
 * bath are the "boundary" noise and the others the "bulk" noise (Section 4's interpretation of the sign of C12).
 */
import { ModelError, SteadyStateError } from "../../errors.js";
import { prepareStationary, type StationarySolver } from "../../exact/linearSde.js";
import { matrix, transpose, type Matrix } from "../../linalg/matrix.js";
import { linearSdeProblem, type LinearSdeProblem } from "../../problem/linearSde.js";
import { solveMeanSteadyState, validateChain, type Chain } from "./steadyState.js";

/** Bound of eq. 15 (M = 2), with the premises of its derivation (Appendix B). */
export interface CorrelationBound {
  /** |C12|. */
  correlation: number;
  /** 18 |<J>| tau max_i |beta_i - beta_{i+1}|^-1 (0 at equilibrium, where C12 = 0). */
  bound: number;
  /** |C12| <= bound. */
  holds: boolean;
  /** |<J>|: the mean current, in absolute value. */
  current: number;
  /** tau = 1 / (smallest |eigenvalue| of R): the slowest relaxation time. */
  tau: number;
  /** max_i |beta_i - beta_{i+1}|^-1 over the links with a beta difference (absent at equilibrium, where it is infinite). */
  inverseBetaGap?: number;
  /** The intermediate bound of Appendix B, 9 max(B) (max gamma)^2 / (2 |Tr R| det R), which needs no eq. 4. */
  appendixB: number;
  /** Premise: every mean current grows with the difference of the energies (dA/dE_i > 0 > dA/dE_j). */
  monotoneCurrents: boolean;
  /** Premise eq. 4: max over links of |2 A / ((beta_j - beta_i) B) - 1| (0 when eq. 4 holds exactly). */
  fdrDeviation: number;
}

/**
 * A single subsystem between two baths (M = 1). Its energy variance in the linear-noise description is
 * C11 = (B01 + B12) tau / 2 with tau = -1/R; where eq. 4 holds (B = 2 A / (beta_j - beta_i)) this is
 *   <dE^2> = <J> tau (beta_R - beta_L) / ((beta_1 - beta_L)(beta_R - beta_1))
 * with beta_L, beta_1, beta_R the left bath, the subsystem and the right bath (the formula Bunin et al. quote in
 * their Section 6, from their ref. [13], as <J> tau (beta2 - beta1)/((beta0 - beta1)(beta2 - beta0)), where 0 labels
 * the subsystem and 1, 2 the baths). At equal baths (no current) the formula is 0/0 and is not given.
 */
export interface SingleSubsystem {
  /** C11 from the Lyapunov equation (no eq. 4). */
  variance: number;
  /** <J> tau (beta_R - beta_L)/((beta_1 - beta_L)(beta_R - beta_1)) (needs eq. 4 and distinct betas). */
  formula?: number;
  /** beta_L, beta_1, beta_R. */
  betas: [number, number, number];
  /** <J> tau, the dynamic energy scale. */
  currentTimesTau: number;
}

/**
 * The validity condition of eq. 4 (the generalised fluctuation-dissipation relation 2 A = (beta_j - beta_i) B):
 * (Delta beta)^2 kappa3 << kappa1 on every link, with kappa1 = A and kappa3 the first and third cumulants of the
 * energy carried across the link per unit time and Delta beta the largest |beta_{b+1} - beta_b| over the links
 * (Bunin et al., after eq. 4). The exchange fluctuation relation gives A = (Delta beta / 2) B - (Delta beta^2 / 8) kappa3
 * + ..., so the ratio over 8 is the relative size of the first neglected term. It holds near equilibrium for every
 * model and can hold far from it.
 */
export interface ThirdCumulantCondition {
  /** Delta beta: the largest |beta_{b+1} - beta_b| over the links. */
  betaGap: number;
  /** Per link b: (Delta beta)^2 kappa3_b / kappa1_b (0 on a link without current). */
  byLink: number[];
  /** The largest over the links. */
  value: number;
  /** The threshold below which the study calls it satisfied (THIRD_CUMULANT_THRESHOLD). */
  threshold: number;
  satisfied: boolean;
}

/**
 * The threshold of the third-cumulant condition: (Delta beta)^2 kappa3 / kappa1 <= 0.1, i.e. the neglected term of
 * the exchange fluctuation relation is at most 0.1/8 = 1.25% of the current.
 */
export const THIRD_CUMULANT_THRESHOLD = 0.1;

/** The third-cumulant condition of eq. 4 for a chain at its mean states x (undefined without beta or kappa3). */
export function thirdCumulantCondition(chain: Chain, x: ArrayLike<number>): ThirdCumulantCondition | undefined {
  const { model, M } = chain;
  const beta = model.conjugate,
    k3 = model.thirdCumulant;
  if (!beta || !k3) return undefined;
  const node = (k: number): number => (k === 0 ? chain.left : k === M + 1 ? chain.right : x[k - 1]);
  let gap = 0;
  for (let b = 0; b <= M; b++) {
    const d = Math.abs(beta(node(b + 1)) - beta(node(b)));
    if (d > gap) gap = d;
  }
  const byLink = Array.from({ length: M + 1 }, (_, b) => {
    const a = model.current(node(b), node(b + 1), b);
    const c3 = k3(node(b), node(b + 1), b);
    const r = (gap * gap * c3) / a;
    return a !== 0 && Number.isFinite(r) ? Math.abs(r) : 0;
  });
  const value = Math.max(...byLink);
  return {
    betaGap: gap,
    byLink,
    value,
    threshold: THIRD_CUMULANT_THRESHOLD,
    satisfied: value <= THIRD_CUMULANT_THRESHOLD,
  };
}

/** How the noise of each link contributes to C12 (adjacent subsystems `pair`). */
export interface NoiseDecomposition {
  /** The pair (i, j), 1-based; (1, 2) by default. */
  pair: [number, number];
  /** Contribution of link b (b = 0..M) to C_ij: B_b C^(b)_ij. */
  byLink: number[];
  /** Sum over the two links touching a bath. */
  boundary: number;
  /** Sum over the inner links. */
  bulk: number;
}

export interface EnergyCorrelations {
  chain: Chain;
  /** Steady-state states x_1..x_M (temperatures, densities or energies). */
  states: Float64Array;
  /** Mean energies (particle numbers for the exclusion process) E(x_i). */
  energies: Float64Array;
  /** Mean current on each link b = 0..M (equal in the steady state). */
  currents: Float64Array;
  /** The mean current <J> (average over links). */
  current: number;
  /** B_b on each link at the mean state. */
  noise: Float64Array;
  /** R (M x M), tridiagonal, in energy variables. */
  relaxation: Matrix;
  /** Sigma (M x (M+1)). */
  sigma: Matrix;
  /** Q = Sigma Sigma^T. */
  noiseMatrix: Matrix;
  /** C, the stationary covariance of the energies. */
  covariance: Matrix;
  /** C^(b): covariance per unit B of link b (so C = sum_b B_b C^(b)), computed on demand (one Lyapunov solve). */
  perUnitNoise(b: number): Matrix;
  /** Eigenvalues of R (real parts, ascending; R is similar to a symmetric matrix for these chains). */
  relaxationRates: Float64Array;
  /** 1 / smallest |eigenvalue| of R. */
  relaxationTime: number;
  decomposition: NoiseDecomposition;
  /** For M = 2: B01 - 2 B12 + B23, whose sign is the sign of C12 for linear A (eq. 9) and for eq. 14. */
  noiseCurvature?: number;
  /** For M = 1 and a model with a conjugate variable beta: the variance and its closed form under eq. 4. */
  single?: SingleSubsystem;
  /** The validity condition of eq. 4 (models that give beta and the third cumulant of the link currents). */
  thirdCumulant?: ThirdCumulantCondition;
  /** Eq. 15 and its check (M = 2 and a model with a conjugate variable beta). */
  bound?: CorrelationBound;
  /** The large-subsystem check (see `relativeFluctuations`). */
  fluctuation: RelativeFluctuation;
  /** Relative residual of the Lyapunov solve. */
  residual: number;
  /** Relative current imbalance of the mean steady state (Newton). */
  steadyStateResidual: number;
  newtonIterations: number;
  warnings: string[];
}

/**
 * The large-subsystem assumption, quantified. The linear-noise description (Section 3: fluctuations small against
 * the mean, expanding A and B to lowest order around it) holds when each subsystem's energy fluctuation sqrt(C_ii)
 * is small against the distance from <E_i> to the nearest edge of the model's energy range: E(0) for the gases and
 * cavities (no energy below the ground state), 0 and N for the exclusion process. The ratio falls like 1/sqrt(size)
 * (1/sqrt(Cv) for the ideal gas, 1/sqrt(N T/T_F) for Fermi gases, 1/sqrt(aV T^3) for cavities); the O(1/size)
 * corrections to C are of the order of its square. Above FLUCTUATION_WARNING the study warns; above
 * FLUCTUATION_SIMULATION_LIMIT the full SDE would reach the edge (a negative thermal energy, where the Fermi and
 * blackbody noise is undefined) and a simulation is refused.
 */
export interface RelativeFluctuation {
  /** sqrt(C_ii) / (distance from <E_i> to the edge of the energy range), per subsystem (0 with no edge). */
  relative: Float64Array;
  /** The largest, and its subsystem (1-based). */
  max: number;
  subsystem: number;
}

/** Relative fluctuation above which the study warns that the subsystems are too small. */
export const FLUCTUATION_WARNING = 0.1;
/** Relative fluctuation above which a simulation of the full SDE is refused (the edge is within 4 sigma). */
export const FLUCTUATION_SIMULATION_LIMIT = 0.25;

/** The large-subsystem check for mean energies `energies` and covariance C (M x M). */
export function relativeFluctuations(chain: Chain, energies: ArrayLike<number>, C: Matrix): RelativeFluctuation {
  const { model, M } = chain;
  const lo = model.energy(model.stateDomain[0]);
  const hi = model.stateDomain[1] === Infinity ? Infinity : model.energy(model.stateDomain[1]);
  const relative = new Float64Array(M);
  let max = 0,
    subsystem = 1;
  for (let i = 0; i < M; i++) {
    const variance = C.data[i * M + i];
    const distance = Math.min(energies[i] - lo, hi - energies[i]);
    if (variance > 0 && !(distance > 0)) {
      throw new SteadyStateError(
        `the mean state of subsystem ${i + 1} is at the edge of the model's domain, where its fluctuations cannot be described`,
      );
    }
    relative[i] = variance > 0 && distance < Infinity ? Math.sqrt(variance) / distance : 0;
    if (relative[i] > max) {
      max = relative[i];
      subsystem = i + 1;
    }
  }
  return { relative, max, subsystem };
}

/** The warning for fluctuations above FLUCTUATION_WARNING (undefined below). */
function fluctuationWarning(
  chain: Chain,
  f: RelativeFluctuation,
  energies: ArrayLike<number>,
  C: Matrix,
): string | undefined {
  if (!(f.max > FLUCTUATION_WARNING)) return undefined;
  const { model, M } = chain;
  const i = f.subsystem - 1;
  const g = (x: number) => Number(x.toPrecision(3));
  const size = model.sizeParameter ? `: use larger subsystems (a larger ${model.sizeParameter})` : "";
  return (
    `the subsystems are too small for the linear-noise description: in subsystem ${f.subsystem} the energy fluctuation ` +
    `sqrt(C_${f.subsystem}${f.subsystem}) = ${g(Math.sqrt(C.data[i * M + i]))} is ${g(f.max)} of the distance from <E> = ${g(energies[i])} ` +
    `to the edge of the model's energy range (it must be << 1; warned above ${FLUCTUATION_WARNING}), so C is only its ` +
    `leading large-subsystem approximation${size}`
  );
}

/** The relaxation matrix R (energy variables) at the states x (length M), and each link's gradient. */
export function relaxationMatrix(chain: Chain, x: ArrayLike<number>): Matrix {
  const { model, M } = chain;
  const R = matrix(M, M);
  const r = R.data;
  const g = new Float64Array(2);
  const node = (k: number): number => (k === 0 ? chain.left : k === M + 1 ? chain.right : x[k - 1]);
  for (let b = 0; b <= M; b++) {
    model.currentGradient(node(b), node(b + 1), b, g);
    // Link b removes A_b from subsystem b and adds it to subsystem b+1; d/dE_k = (d/dx_k) / capacity(x_k).
    const ci = b >= 1 ? model.capacity(x[b - 1]) : 1;
    const cj = b + 1 <= M ? model.capacity(x[b]) : 1;
    if (b >= 1) {
      r[(b - 1) * M + (b - 1)] -= g[0] / ci;
      if (b + 1 <= M) r[(b - 1) * M + b] -= g[1] / cj;
    }
    if (b + 1 <= M) {
      r[b * M + b] += g[1] / cj;
      if (b >= 1) r[b * M + (b - 1)] += g[0] / ci;
    }
  }
  return R;
}

/** Sigma (M x (M+1)) for link noises B (length M+1). */
export function noiseAmplitudes(M: number, B: ArrayLike<number>): Matrix {
  const S = matrix(M, M + 1);
  for (let b = 0; b <= M; b++) {
    const s = Math.sqrt(Math.max(B[b], 0));
    if (b >= 1) S.data[(b - 1) * (M + 1) + b] = -s;
    if (b + 1 <= M) S.data[b * (M + 1) + b] = s;
  }
  return S;
}

/** Q = Sigma Sigma^T for link noises B: Q_ii = B_{i-1} + B_i, Q_{i,i+1} = -B_i. */
export function noiseMatrixOf(M: number, B: ArrayLike<number>): Matrix {
  const Q = matrix(M, M);
  for (let b = 0; b <= M; b++) addLink(Q, M, b, B[b]);
  return Q;
}

function addLink(Q: Matrix, M: number, b: number, w: number): void {
  const q = Q.data;
  if (b >= 1) q[(b - 1) * M + (b - 1)] += w;
  if (b + 1 <= M) q[b * M + b] += w;
  if (b >= 1 && b + 1 <= M) {
    q[(b - 1) * M + b] -= w;
    q[b * M + (b - 1)] -= w;
  }
}

/**
 * The linear-noise fluctuations as a linear SDE problem for the exact engine: dE = R E dt + Sigma dW, i.e. drift
 * A = -R and diffusion Q (src/problem linearSde.ts), the state the energies E_1..E_M of the subsystems.
 */
export function relaxationProblem(R: Matrix, Q: Matrix): LinearSdeProblem {
  const drift = matrix(R.rows, R.cols);
  for (let i = 0; i < R.data.length; i++) drift.data[i] = -R.data[i];
  return linearSdeProblem({ drift, diffusion: Q, stateNames: Array.from({ length: R.rows }, (_, i) => `E${i + 1}`) });
}

/** A prepared solver of R C + C R^T = -D for one R and any symmetric D (the exact engine's, one factorisation). */
export interface RelaxationSolver {
  /** The covariance C (as X), the relative residual and the conditioning warnings of the solve. */
  solve(D: Matrix): { X: Matrix; residual: number; warnings: string[] };
}

/**
 * A prepared solver of R C + C R^T = -Q for one R (the exact engine's prepareStationary on relaxationProblem); throws
 * SteadyStateError when R is not stable. `rates` are the relaxation rates, the eigenvalues of -R (ascending).
 */
export function prepareRelaxation(R: Matrix): {
  solver: RelaxationSolver;
  rates: Float64Array;
  stationary: StationarySolver;
} {
  let stationary: StationarySolver;
  try {
    stationary = prepareStationary(relaxationProblem(R, matrix(R.rows, R.cols)));
  } catch (err) {
    throw new SteadyStateError(`the fluctuations do not relax: ${(err as Error).message}`);
  }
  const { re, im } = stationary.eigenvalues;
  const rates = Float64Array.from(re).sort();
  let scale = 0;
  for (let k = 0; k < re.length; k++) scale = Math.max(scale, Math.hypot(re[k], im[k]));
  // re are eigenvalues of A = -R: relaxation needs them all positive.
  if (!(rates[0] > 1e-12 * scale)) {
    throw new SteadyStateError(
      `the fluctuations do not relax: R has an eigenvalue ${-rates[0]} >= 0 (the mean currents must decrease when a subsystem gains energy)`,
    );
  }
  const solver: RelaxationSolver = {
    solve(D: Matrix) {
      const s = stationary.solve(D);
      return { X: s.covariance, residual: s.residual, warnings: s.warnings };
    },
  };
  return { solver, rates, stationary };
}

/**
 * Everything of Sections 3-6 for a chain: mean state (eq. 5), R, Sigma, Q, C (eq. 7), the link-by-link
 * decomposition of C12 and, for M = 2, the bound of eq. 15.
 */
export function energyCorrelations(chain: Chain, options: { pair?: [number, number] } = {}): EnergyCorrelations {
  validateChain(chain);
  const { model, M } = chain;
  const mean = solveMeanSteadyState(chain);
  const x = mean.states;
  const node = (k: number): number => (k === 0 ? chain.left : k === M + 1 ? chain.right : x[k - 1]);
  const currents = new Float64Array(M + 1);
  const B = new Float64Array(M + 1);
  for (let b = 0; b <= M; b++) {
    currents[b] = model.current(node(b), node(b + 1), b);
    B[b] = model.noise(node(b), node(b + 1), b);
    if (!(B[b] >= 0) || !Number.isFinite(B[b])) {
      throw new SteadyStateError(
        `the noise strength of link ${b}-${b + 1} is ${B[b]} at the steady state (it must be >= 0)`,
      );
    }
  }
  const current = currents.reduce((s, v) => s + v, 0) / (M + 1);
  const R = relaxationMatrix(chain, x);
  const { solver, rates } = prepareRelaxation(R);
  const Q = noiseMatrixOf(M, B);
  const sol = solver.solve(Q);
  const C = sol.X;
  // C^(b) = L^-1(Q_b) for the unit noise Q_b of link b, with L(X) = A X + X A^T (A = -R). One element of every
  // C^(b) at once through the adjoint: C^(b)_ij = <E_ij, L^-1(Q_b)> = <L*^-1(E_ij), Q_b>, L*(Y) = A^T Y + Y A, so one
  // more Lyapunov solve (with A^T) instead of M + 1 solves (which took minutes and 500 MB at M = 400).
  // M = 1: the decomposition is that of the single subsystem's variance C11.
  const pair = options.pair ?? (M === 1 ? [1, 1] : [1, 2]);
  const [pi, pj] = [pair[0] - 1, pair[1] - 1];
  const E = matrix(M, M);
  E.data[pi * M + pj] += 0.5;
  E.data[pj * M + pi] += 0.5;
  const Y = prepareRelaxation(transpose(R)).solver.solve(E).X;
  const y = (i: number, j: number) => Y.data[i * M + j];
  const byLink = Array.from(B, (Bb, b) => {
    // <Y, Q_b>: Q_b has +1 at (b-1, b-1) and (b, b), -1 at (b-1, b) and (b, b-1) (subsystems 0-based, inside 0..M-1).
    let v = 0;
    if (b >= 1) v += y(b - 1, b - 1);
    if (b + 1 <= M) v += y(b, b);
    if (b >= 1 && b + 1 <= M) v -= y(b - 1, b) + y(b, b - 1);
    return Bb * v;
  });
  const perUnitNoise = (b: number): Matrix => {
    if (!Number.isInteger(b) || b < 0 || b > M) throw new ModelError(`link ${b} does not exist (links are 0..${M})`);
    const Qb = matrix(M, M);
    addLink(Qb, M, b, 1);
    return solver.solve(Qb).X;
  };
  const boundary = byLink[0] + byLink[M];
  const bulk = byLink.slice(1, M).reduce((s, v) => s + v, 0);
  const energies = x.map((v) => model.energy(v));
  const fluctuation = relativeFluctuations(chain, energies, C);
  const small = fluctuationWarning(chain, fluctuation, energies, C);
  const warnings = [...sol.warnings, ...(model.validity ? model.validity(x) : []), ...(small ? [small] : [])];
  const result: EnergyCorrelations = {
    chain,
    states: x,
    energies,
    currents,
    current,
    noise: B,
    relaxation: R,
    sigma: noiseAmplitudes(M, B),
    noiseMatrix: Q,
    covariance: C,
    perUnitNoise,
    relaxationRates: rates,
    relaxationTime: 1 / rates[0],
    decomposition: { pair, byLink, boundary, bulk },
    fluctuation,
    residual: sol.residual,
    steadyStateResidual: mean.residual,
    newtonIterations: mean.iterations,
    warnings,
  };
  if (M === 2) {
    result.noiseCurvature = B[0] - 2 * B[1] + B[2];
    if (model.conjugate) result.bound = correlationBound(chain, result);
  }
  // An exclusion-process reservoir at density 0 or 1 (empty or full) has an infinite conjugate variable beta: the
  // M = 1 closed form and eq. 4's condition, which need finite beta differences, are then left out, with a warning.
  const infinite = (v: number) => model.conjugate !== undefined && !Number.isFinite(model.conjugate(v));
  const leftOut: string[] = [];
  if (M === 1 && model.conjugate) {
    if ([chain.left, x[0], chain.right].some(infinite)) leftOut.push("the M = 1 closed form");
    else result.single = singleSubsystem(chain, result);
  }
  const condition = thirdCumulantCondition(chain, x);
  if (condition && Number.isFinite(condition.betaGap)) result.thirdCumulant = condition;
  else if (condition) leftOut.push("eq. 4's third-cumulant condition");
  if (leftOut.length > 0)
    warnings.push(
      `a bath's conjugate variable beta is infinite (an exclusion-process reservoir at density 0 or 1): ` +
        `${leftOut.join(" and ")}, which use${leftOut.length === 1 ? "s" : ""} beta differences, left out`,
    );
  return result;
}

/** The M = 1 variance and its closed form under eq. 4 (see SingleSubsystem). */
export function singleSubsystem(chain: Chain, ec: EnergyCorrelations): SingleSubsystem {
  const beta = chain.model.conjugate!;
  const bL = beta(chain.left),
    b1 = beta(ec.states[0]),
    bR = beta(chain.right);
  const Jtau = ec.current * ec.relaxationTime;
  const formula = (Jtau * (bR - bL)) / ((b1 - bL) * (bR - b1));
  return {
    variance: ec.covariance.data[0],
    ...(b1 !== bL && bR !== b1 && Number.isFinite(formula) ? { formula } : {}),
    betas: [bL, b1, bR],
    currentTimesTau: Jtau,
  };
}

/** Eq. 15 with tau = 1 / smallest |eigenvalue| of R and |<J>| (docs/corrections.md), plus its premises. */
export function correlationBound(chain: Chain, ec: EnergyCorrelations): CorrelationBound {
  const { model } = chain;
  const beta = model.conjugate!;
  const nodes = [chain.left, ec.states[0], ec.states[1], chain.right];
  const betas = nodes.map((v) => beta(v));
  const J = Math.abs(ec.current);
  const tau = ec.relaxationTime;
  const c12 = Math.abs(ec.covariance.data[1]);
  let inverseBetaGap = 0;
  let fdrDeviation = 0;
  let monotone = true;
  const g = new Float64Array(2);
  let gaps = 0;
  for (let b = 0; b < 3; b++) {
    // A link without a beta difference (equilibrium, or both nodes empty or full) carries no current: it does
    // not enter the maximum.
    const gap = Math.abs(betas[b] - betas[b + 1]);
    if (gap > 0) {
      inverseBetaGap = Math.max(inverseBetaGap, 1 / gap);
      gaps++;
    }
    model.currentGradient(nodes[b], nodes[b + 1], b, g);
    if (!(g[0] > 0 && g[1] < 0)) monotone = false;
    const dBeta = betas[b + 1] - betas[b];
    const dev = Math.abs((2 * ec.currents[b]) / (dBeta * ec.noise[b]) - 1);
    if (dBeta !== 0 && ec.noise[b] > 0 && Number.isFinite(dev)) fdrDeviation = Math.max(fdrDeviation, dev);
  }
  const equilibrium = chain.left === chain.right || gaps === 0;
  const bound = equilibrium ? 0 : 18 * J * tau * inverseBetaGap;
  // Appendix B's gammas: gamma1 = -dA01/dE1, gamma2 = dA12/dE1, gamma3 = -dA12/dE2, gamma4 = dA23/dE2.
  const r = ec.relaxation.data;
  const trace = Math.abs(r[0] + r[3]);
  const det = r[0] * r[3] - r[1] * r[2];
  const gammas = appendixBGammas(chain, ec.states);
  const maxGamma = Math.max(...gammas.map(Math.abs));
  const maxB = Math.max(...ec.noise);
  const appendixB = (9 * maxB * maxGamma ** 2) / (2 * trace * det);
  return {
    correlation: c12,
    bound,
    holds: c12 <= bound * (1 + 1e-12) + 1e-300,
    current: J,
    tau,
    ...(gaps > 0 ? { inverseBetaGap } : {}),
    appendixB,
    monotoneCurrents: monotone,
    fdrDeviation,
  };
}

/** gamma1..gamma4 of Appendix B (energy derivatives of the mean currents, M = 2). */
export function appendixBGammas(chain: Chain, states: ArrayLike<number>): [number, number, number, number] {
  const { model } = chain;
  const [x1, x2] = [states[0], states[1]];
  const c1 = model.capacity(x1);
  const c2 = model.capacity(x2);
  const g = new Float64Array(2);
  model.currentGradient(chain.left, x1, 0, g);
  const g1 = -g[1] / c1;
  model.currentGradient(x1, x2, 1, g);
  const g2 = g[0] / c1;
  const g3 = -g[1] / c2;
  model.currentGradient(x2, chain.right, 2, g);
  const g4 = g[0] / c2;
  return [g1, g2, g3, g4];
}
