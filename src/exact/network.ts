/**
 * Exact nonequilibrium steady state of a linear network (seed 001): drift and diffusion matrices, the stationary
 * covariance, kinetic temperatures, heat flux through every spring and from every bath, entropy production, the
 * per-site energy balance, and each flux split by source bath (the covariance is linear in the temperatures).
 *
 * Underdamped, y = (q, p): dq = M^-1 p dt, dp = -V q dt - Gamma M^-1 p dt + sqrt(2 Gamma T) dW.
 *   spring flux i -> j:   k_ij <q_i p_j> / m_j          bath flux into i:  (gamma_i / m_i) (T_i - <p_i^2> / m_i)
 * Overdamped, y = q: Gamma dq = -V q dt + sqrt(2 Gamma T) dW (Stratonovich energy balance, Sekimoto):
 *   spring flux i -> j:   k_ij <q_i o q_j'> = -k_ij (S V)_ij / gamma_j
 *   bath flux into i:     <dU/dq_i o q_i'> = (T_i V_ii - (V S V)_ii) / gamma_i
 * Entropy production rate: -sum_i (bath flux into i) / T_i >= 0.
 */
import { SteadyStateError } from "../errors.js";
import { matrix, type Matrix } from "../linalg/matrix.js";
import { isLinearNetwork, springLabel, type NetworkModel } from "../model/network.js";
import { decoupledModes, unpinnedComponents } from "./diagnose.js";
import { prepareStationary, type StationarySolver } from "./linearSde.js";

/** The potential's Hessian V: V_ii = kappa_i + sum_j k_ij, V_ij = -k_ij. */
export function potentialMatrix(model: NetworkModel): Matrix {
  const n = model.sites.length;
  const V = matrix(n, n);
  for (let i = 0; i < n; i++) V.data[i * n + i] = model.pinning[i];
  for (const s of model.springs) {
    V.data[s.i * n + s.i] += s.stiffness;
    V.data[s.j * n + s.j] += s.stiffness;
    V.data[s.i * n + s.j] -= s.stiffness;
    V.data[s.j * n + s.i] -= s.stiffness;
  }
  return V;
}

/** Friction per site (0 where no bath). */
export function frictionVector(model: NetworkModel): Float64Array {
  const g = new Float64Array(model.sites.length);
  for (const b of model.baths) g[b.site] = b.friction;
  return g;
}

/** Names of the state coordinates, in the order of the covariance matrix: q:a, q:b, ..., then p:a, ... (underdamped). */
export function stateOrder(model: NetworkModel): string[] {
  const q = model.sites.map((s) => `q:${s}`);
  return model.dynamics === "underdamped" ? [...q, ...model.sites.map((s) => `p:${s}`)] : q;
}

/** Drift A of dy = -A y dt + B dW. */
export function driftMatrix(model: NetworkModel): Matrix {
  const n = model.sites.length;
  const V = potentialMatrix(model).data;
  const gamma = frictionVector(model);
  if (model.dynamics === "overdamped") {
    const A = matrix(n, n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) A.data[i * n + j] = V[i * n + j] / gamma[i];
    return A;
  }
  const N = 2 * n;
  const A = matrix(N, N);
  for (let i = 0; i < n; i++) {
    A.data[i * N + (n + i)] = -1 / model.mass[i];
    for (let j = 0; j < n; j++) A.data[(n + i) * N + j] = V[i * n + j];
    A.data[(n + i) * N + (n + i)] = gamma[i] / model.mass[i];
  }
  return A;
}

/** Diffusion D = B B^T for a temperature per site (entries at sites without bath are ignored). */
export function diffusionMatrix(model: NetworkModel, temperature: Float64Array): Matrix {
  const n = model.sites.length;
  const gamma = frictionVector(model);
  if (model.dynamics === "overdamped") {
    const D = matrix(n, n);
    for (let i = 0; i < n; i++) if (gamma[i] > 0) D.data[i * n + i] = (2 * temperature[i]) / gamma[i];
    return D;
  }
  const N = 2 * n;
  const D = matrix(N, N);
  for (let i = 0; i < n; i++) if (gamma[i] > 0) D.data[(n + i) * N + (n + i)] = 2 * gamma[i] * temperature[i];
  return D;
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
}

export interface BathFlux {
  site: string;
  index: number;
  temperature: number;
  friction: number;
  /** Mean heat flux from the bath into the network. */
  flux: number;
  fluxBySource?: number[];
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
  /** Slowest relaxation rate of the dynamics (1 / longest relaxation time). */
  slowestRate: number;
  warnings: string[];
}

export interface SolveOptions {
  /** Split every flux by source bath (one extra solve per bath, reusing one factorisation). Default: <= 32 baths. */
  bySource?: boolean;
}

/** Refuses models without a unique Gaussian steady state, with the physical reason. */
export function checkNetworkSolvable(model: NetworkModel): void {
  if (!isLinearNetwork(model)) {
    throw new SteadyStateError(
      "the exact engine solves linear networks only; this model has quartic terms (use the stochastic engine: ness simulate)",
    );
  }
  const free = unpinnedComponents(model);
  if (free.length > 0) {
    const g = free[0];
    const who = g.length === 1 ? `site ${g[0]} is` : `sites ${g.join(", ")} are`;
    throw new SteadyStateError(
      `the network is not confined: ${who} not pinned, so ${g.length === 1 ? "it" : "they"} can translate freely and no steady state exists; add pinning to at least one of them`,
    );
  }
  if (model.dynamics === "underdamped") {
    const modes = decoupledModes(model);
    if (modes.length > 0) {
      const m = modes[0];
      throw new SteadyStateError(
        `no unique steady state (seed 001, Lemma 1): the normal mode ${m.description} (frequency ${Number(m.frequency.toPrecision(4))}) vanishes on every bath site, so it is decoupled from all baths` +
          (modes.length > 1 ? ` (and ${modes.length - 1} more such mode${modes.length > 2 ? "s" : ""})` : ""),
      );
    }
  }
}

/** Exact steady state of a linear network. Throws SteadyStateError when there is none or it is not unique. */
export function solveNetwork(model: NetworkModel, options: SolveOptions = {}): NetworkSteadyState {
  checkNetworkSolvable(model);
  const n = model.sites.length;
  const A = driftMatrix(model);
  let solver: StationarySolver;
  try {
    solver = prepareStationary(A);
  } catch (err) {
    throw new SteadyStateError(`${(err as Error).message}`);
  }
  const temperature = new Float64Array(n);
  for (const b of model.baths) temperature[b.site] = b.temperature;
  const bySource = options.bySource ?? model.baths.length <= 32;
  const warnings: string[] = [];

  const full = solver.solve(diffusionMatrix(model, temperature));
  warnings.push(...full.warnings);
  const S = full.covariance;
  const V = potentialMatrix(model);
  const fluxes = networkFluxes(model, S, V, temperature);

  let springBySource: number[][] | undefined;
  let bathBySource: number[][] | undefined;
  if (bySource) {
    springBySource = model.springs.map(() => []);
    bathBySource = model.baths.map(() => []);
    for (const b of model.baths) {
      const t = new Float64Array(n);
      t[b.site] = b.temperature;
      const part = solver.solve(diffusionMatrix(model, t));
      const f = networkFluxes(model, part.covariance, V, t);
      f.spring.forEach((x, k) => springBySource![k].push(x));
      f.bath.forEach((x, k) => bathBySource![k].push(x));
    }
  }

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
    const scale = model.dynamics === "underdamped"
      ? (b.friction / model.mass[b.site]) * b.temperature
      : (b.temperature * V.data[b.site * n + b.site]) / b.friction;
    fluxScale = Math.max(fluxScale, scale);
  }
  const energyBalanceResidual = inflow.map((x) => Math.abs(x) / fluxScale);

  let entropyProduction = 0;
  model.baths.forEach((b, k) => (entropyProduction -= fluxes.bath[k] / b.temperature));

  for (let i = 0; i < N * N; i++) {
    if (!Number.isFinite(S.data[i])) throw new SteadyStateError("the covariance has non-finite entries: the solve failed");
  }
  if (full.residual > 1e-8) warnings.push(`the Lyapunov residual ${full.residual.toExponential(2)} is large: results may be inaccurate`);

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
      fluxBySource: springBySource?.[k],
    })),
    baths: model.baths.map((b, k) => ({
      site: model.sites[b.site],
      index: b.site,
      temperature: b.temperature,
      friction: b.friction,
      flux: fluxes.bath[k],
      fluxBySource: bathBySource?.[k],
    })),
    entropyProduction,
    energyBalanceResidual,
    residual: full.residual,
    slowestRate: solver.slowestRate,
    warnings,
  };
}

/** Spring and bath fluxes from a covariance (linear in it). */
export function networkFluxes(model: NetworkModel, S: Matrix, V: Matrix, temperature: Float64Array): { spring: number[]; bath: number[] } {
  const n = model.sites.length;
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
  const gamma = frictionVector(model);
  const SV = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let k = 0; k < n; k++) {
    const s = d[i * n + k];
    if (s === 0) continue;
    for (let j = 0; j < n; j++) SV[i * n + j] += s * V.data[k * n + j];
  }
  return {
    spring: model.springs.map((s) => (-s.stiffness * SV[s.i * n + s.j]) / gamma[s.j]),
    bath: model.baths.map((b) => {
      const i = b.site;
      let vsv = 0;
      for (let k = 0; k < n; k++) vsv += V.data[i * n + k] * SV[k * n + i];
      return (temperature[i] * V.data[i * n + i] - vsv) / b.friction;
    }),
  };
}

/** Label helper re-exported for tables. */
export { springLabel };
