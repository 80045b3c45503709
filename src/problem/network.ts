/**
 * A network (J.-P. Eckmann and E. Zabey, "Strange heat flux in (an)harmonic networks", J. Stat. Phys.,
 * doi:10.1023/B:JOSS.0000003119.91989.48) as the matrices both engines use: the potential's Hessian V, the friction and temperature per site,
 * the order of the state coordinates, and, for a linear network, the linear SDE problem dy = -A y dt + B dW
 * (harmonic.ts states the drift and diffusion; friction gamma in -gamma q', or the inverse mobility overdamped;
 * kB = 1).
 *
 * Every exported function checks the model it is given (checkNetworkModel: a hand-built or modified model is checked
 * field by field like a file) and throws a ModelError naming the problem. Dense matrices are refused beyond
 * DENSE_MAX_COORDINATES coordinates.
 */
import { ModelError, SteadyStateError } from "../errors.js";
import { matrix, type Matrix } from "../linalg/matrix.js";
import { checkNetworkModel, isLinearNetwork, type NetworkModel } from "../model/networkModel.js";
import { describeValue } from "../model/raw.js";
import { formatBytes } from "./format.js";
import { harmonicDiffusionInto, harmonicDriftInto, harmonicStateNames, harmonicStateSize } from "./harmonic.js";
import type { LinearSdeProblem } from "./linearSde.js";

/** Largest number of coordinates for which dense N x N matrices (potentialMatrix, driftMatrix, ...) are built. */
export const DENSE_MAX_COORDINATES = 10000;

/** Coordinates of a network's state: 2 per site underdamped (q, p), 1 overdamped. */
export function networkStateSize(model: NetworkModel): number {
  return harmonicStateSize(model.dynamics, model.sites.length);
}

function checkDense(model: NetworkModel, coordinates: number, where: string): void {
  if (coordinates > DENSE_MAX_COORDINATES) {
    throw new ModelError(
      `${where}: a dense ${coordinates} x ${coordinates} matrix needs ${formatBytes(8 * coordinates * coordinates)}; dense matrices are built for at most ${DENSE_MAX_COORDINATES} coordinates`,
      model.source,
    );
  }
}

/** The potential's Hessian V (harmonic part): V_ii = kappa_i + sum_j k_ij, V_ij = -k_ij. */
export function potentialMatrix(model: NetworkModel): Matrix {
  checkNetworkModel(model, "potentialMatrix");
  const n = model.sites.length;
  checkDense(model, n, "potentialMatrix");
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

/** Friction per site (gamma in -gamma q', the inverse mobility overdamped; 0 where no bath). */
export function frictionVector(model: NetworkModel): Float64Array {
  checkNetworkModel(model, "frictionVector");
  const g = new Float64Array(model.sites.length);
  for (const b of model.baths) g[b.site] = b.friction;
  return g;
}

/** Bath temperature per site (kB = 1; 0 where no bath). */
export function siteTemperatures(model: NetworkModel): Float64Array {
  checkNetworkModel(model, "siteTemperatures");
  const t = new Float64Array(model.sites.length);
  for (const b of model.baths) t[b.site] = b.temperature;
  return t;
}

/** Names of the state coordinates, in the order of the covariance matrix: q:a, q:b, ..., then p:a, ... (underdamped). */
export function stateOrder(model: NetworkModel): string[] {
  checkNetworkModel(model, "stateOrder");
  return harmonicStateNames(model.dynamics, model.sites);
}

/** Drift A of dy = -A y dt + B dW (harmonic part; harmonic.ts). */
export function driftMatrix(model: NetworkModel): Matrix {
  checkNetworkModel(model, "driftMatrix");
  const n = model.sites.length;
  const N = networkStateSize(model);
  checkDense(model, N, "driftMatrix");
  const A = matrix(N, N);
  harmonicDriftInto(model.dynamics, n, potentialMatrix(model).data, model.mass, frictionVector(model), A.data);
  return A;
}

/** Diffusion D = B B^T for a temperature per site (entries at sites without bath are ignored). */
export function diffusionMatrix(model: NetworkModel, temperature: Float64Array): Matrix {
  checkNetworkModel(model, "diffusionMatrix");
  const n = model.sites.length;
  const N = networkStateSize(model);
  checkDense(model, N, "diffusionMatrix");
  checkTemperatures(model, temperature, "diffusionMatrix");
  const D = matrix(N, N);
  harmonicDiffusionInto(model.dynamics, n, frictionVector(model), temperature, D.data);
  return D;
}

/** Checks a temperature per site (finite, >= 0), naming `where` and the site. */
export function checkTemperatures(
  model: NetworkModel,
  temperature: unknown,
  where: string,
): asserts temperature is Float64Array {
  const n = model.sites.length;
  const t = temperature as ArrayLike<unknown> | null;
  if (t === null || typeof t !== "object" || t.length !== n)
    throw new ModelError(
      `${where}: temperature must hold one number per site (${n}), got ${describeValue(temperature)}`,
    );
  for (let i = 0; i < n; i++) {
    const v = t[i];
    if (typeof v !== "number" || !Number.isFinite(v) || v < 0 || v > 1e50)
      throw new ModelError(
        `${where}: temperature of site ${model.sites[i]} must be a finite number >= 0, got ${describeValue(v)}`,
      );
  }
}

/** Refuses a network with quartic terms where a linear one is needed (the exact engine, exact stepping). */
export function checkLinear(model: NetworkModel): void {
  if (!isLinearNetwork(model)) {
    throw new SteadyStateError(
      "the exact engine solves linear networks only; this model has quartic terms (use the stochastic engine: ness simulate)",
      model.source,
    );
  }
}

/**
 * A linear network as the linear SDE problem dy = -A y dt + B dW (state order stateOrder(model)), with the bath
 * temperatures of the model or the given temperature per site (the covariance is linear in them: one factorisation
 * of A serves every temperature vector). Throws SteadyStateError for quartic terms. It does not diagnose the steady
 * state (diagnose.ts: requireNetworkSteadyState) and builds dense matrices: callers check the size first.
 *
 * @example
 * ```ts
 * import { networkProblem, stationary, validateNetwork } from "ness";
 *
 * const model = validateNetwork({
 *   kind: "network", sites: ["a", "b"], pinning: 1, springs: [{ between: ["a", "b"], stiffness: 1 }],
 *   baths: [{ site: "a", friction: 1, temperature: 2 }, { site: "b", friction: 1, temperature: 1 }],
 * });
 * const problem = networkProblem(model); // dy = -A y dt + B dW in the state order q:a q:b p:a p:b
 * console.log(problem.stateNames.join(" ")); // => q:a q:b p:a p:b
 * console.log(stationary(problem).residual < 1e-12); // => true
 * ```
 */
export function networkProblem(model: NetworkModel, temperature?: Float64Array): LinearSdeProblem {
  checkNetworkModel(model, "networkProblem");
  checkLinear(model);
  const t = temperature ?? siteTemperatures(model);
  return {
    kind: "linear-sde",
    drift: driftMatrix(model),
    diffusion: diffusionMatrix(model, t),
    stateNames: stateOrder(model),
    dynamics: model.dynamics,
    ...(model.dynamics === "underdamped" ? { masses: Float64Array.from(model.mass) } : {}),
    ...(model.source !== undefined ? { source: model.source } : {}),
  };
}
