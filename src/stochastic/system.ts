/**
 * Turns validated models into Langevin systems for the integrators: coordinates, per-coordinate masses, frictions
 * and temperatures, force fields, and (for linear models) the drift and diffusion matrices for exact stepping and
 * the exact engine's answer for comparison. A linear particle model (harmonic pairs and traps at the origin, open
 * space) is mapped onto an equivalent network, one site per coordinate.
 */
import { ModelError, SteadyStateError } from "../errors.js";
import { EXACT_MAX_COORDINATES, exactCostText, solveNetwork, type NetworkSteadyState } from "../exact/network.js";
import { CHEAP_UNREACHED, checkNetworkSolvable, diagnoseNetwork, particleConfinementProblem } from "../problem/diagnose.js";
import { diffusionMatrix, driftMatrix } from "../problem/network.js";
import { particlesAsNetwork } from "../problem/particles.js";
import type { Matrix } from "../linalg/matrix.js";
import { checkNetworkModel, isLinearNetwork, type NetworkModel } from "../model/network.js";
import { checkParticlesModel, type ParticlesModel } from "../model/particles.js";
import type { LangevinSystem } from "./integrators.js";
import { siteTemperatures } from "../problem/network.js";
import { NetworkForceField } from "./networkForces.js";
import { ParticleForceField } from "./particleForces.js";
import type { ParticleExact } from "./particleProbe.js";

/**
 * Most sites of a simulated network. The run itself is linear in the sites, but preparing it is dense: the time-step
 * analysis (safety.ts) diagonalises the n x n stiffness matrix, O(n^3) operations and about 32 n^2 bytes (0.8 GB and
 * several minutes at 5000 sites).
 */
export const SIMULATION_MAX_SITES = 5000;

/** Largest linear model (coordinates) a simulation compares with the exact engine unasked (about 20 s of solve). */
export const COMPARISON_MAX_COORDINATES = 1000;

/**
 * A network as a Langevin system, after checking that it can have a steady state (the same diagnosis as the exact
 * engine, diagnose.ts: an unconfined part, a part without a bath, a normal mode that never meets a bath; for quartic
 * networks a decoupled mode of the harmonic part is refused only when no quartic term couples it, and otherwise
 * reported in `warnings`). Throws SteadyStateError (naming the model's file) when there is none.
 */
export function networkSystem(model: NetworkModel): { system: LangevinSystem; field: NetworkForceField; warnings: string[] } {
  checkNetworkModel(model, "networkSystem");
  const n = model.sites.length;
  // The cheap diagnoses first (linear time, and a small dense part), then the size limit, then the rest.
  const cheap = diagnoseNetwork(model, { maxUnreached: CHEAP_UNREACHED });
  if (cheap.problem) throw new SteadyStateError(cheap.problem, model.source);
  if (n > SIMULATION_MAX_SITES) {
    throw new ModelError(
      `the network is too large to simulate: ${n} sites, more than ${SIMULATION_MAX_SITES} (preparing a run diagonalises the n x n stiffness matrix for the time-step limit: O(n^3) operations and ${Math.round((32 * n * n) / 1e9)} GB)`,
      model.source,
    );
  }
  const diagnosis = cheap.undecided ? diagnoseNetwork(model) : cheap;
  if (diagnosis.problem) throw new SteadyStateError(diagnosis.problem, model.source);
  const friction = new Float64Array(n);
  for (const b of model.baths) friction[b.site] = b.friction;
  const field = new NetworkForceField(model);
  const system: LangevinSystem = {
    dynamics: model.dynamics,
    dof: n,
    mass: model.dynamics === "underdamped" ? Float64Array.from(model.mass) : new Float64Array(n).fill(1),
    friction,
    temperature: siteTemperatures(model),
    forces: field,
  };
  if (isLinearNetwork(model)) lazyLinear(system, () => model);
  return { system, field, warnings: diagnosis.warnings };
}

/**
 * The drift and diffusion matrices of a linear system, built on first use (only exact stepping needs them: they are
 * dense, (2n)^2 numbers each).
 */
function lazyLinear(system: LangevinSystem, network: () => NetworkModel): void {
  let value: { drift: Matrix; diffusion: Matrix } | undefined;
  Object.defineProperty(system, "linear", {
    enumerable: true,
    configurable: true,
    get() {
      if (!value) {
        const m = network();
        const N = m.dynamics === "underdamped" ? 2 * m.sites.length : m.sites.length;
        if (N > EXACT_MAX_COORDINATES) {
          throw new ModelError(`exact stepping is dense (N x N matrices, O(N^3) to prepare): ${N} coordinates is more than ${EXACT_MAX_COORDINATES}; use baoab, heun or euler-maruyama`, m.source);
        }
        value = { drift: driftMatrix(m), diffusion: diffusionMatrix(m, siteTemperatures(m)) };
      }
      return value;
    },
    set(v: { drift: Matrix; diffusion: Matrix } | undefined) {
      value = v;
    },
  });
}

/**
 * The exact steady state of a linear network, for comparison with a simulation; undefined for a nonlinear network, one
 * too large for the dense exact engine (EXACT_MAX_COORDINATES), or one whose exact solve fails numerically (time
 * scales too far apart), each reason added to `warnings`. A linear network without a (unique) steady state throws the
 * exact engine's SteadyStateError: it is never simulated as if it had one.
 */
export function exactNetwork(model: NetworkModel, warnings?: string[]): NetworkSteadyState | undefined {
  checkNetworkModel(model, "exactNetwork");
  if (!isLinearNetwork(model)) return undefined;
  checkNetworkSolvable(model);
  const N = model.dynamics === "underdamped" ? 2 * model.sites.length : model.sites.length;
  if (N > COMPARISON_MAX_COORDINATES) {
    warnings?.push(`no exact values to compare with: the exact solve of ${N} coordinates would need ${exactCostText(N)}${N <= EXACT_MAX_COORDINATES ? " (ness solve does it)" : ""}; the simulation compares up to ${COMPARISON_MAX_COORDINATES}`);
    return undefined;
  }
  try {
    return solveNetwork(model, { bySource: false });
  } catch (err) {
    // The diagnosis passed, so a steady state exists: a numerical failure of the exact solve only removes the
    // comparison, it does not stop the simulation.
    if (!(err instanceof SteadyStateError)) throw err;
    warnings?.push(`no exact values to compare with: ${err.message.replace(model.source ? `${model.source}: ` : "", "")}`);
    return undefined;
  }
}

/** True for a linear particle model: open space, harmonic pairs with rest length 0, harmonic traps at the origin. */
function isLinearParticles(model: ParticlesModel): boolean {
  return !model.box && model.pairs.every((r) => r.pair.potential === "harmonic" && r.pair.length === 0) &&
    model.external.every((e) => e.potential === "harmonic" && e.center.every((c) => c === 0));
}

/** Coordinates of the state (positions, and momenta when underdamped) of a particle model. */
function particleCoordinates(model: ParticlesModel): number {
  return model.speciesOf.length * model.dimension * (model.dynamics === "underdamped" ? 2 : 1);
}

export { particleConfinementProblem, particlesAsNetwork };

/**
 * A particle model as a Langevin system (and its equivalent network when it is linear), after checking that it can
 * have a steady state (particleConfinementProblem): throws SteadyStateError naming the model's file otherwise.
 */
export function particleSystem(model: ParticlesModel): { system: LangevinSystem; field: ParticleForceField; network: NetworkModel | null } {
  checkParticlesModel(model, "particleSystem");
  const problem = particleConfinementProblem(model);
  if (problem) throw new SteadyStateError(problem, model.source);
  const N = model.speciesOf.length, d = model.dimension;
  const field = new ParticleForceField(model);
  const mass = new Float64Array(N * d), friction = new Float64Array(N * d), temperature = new Float64Array(N * d);
  for (let a = 0; a < N; a++) {
    const s = model.species[model.speciesOf[a]];
    for (let k = 0; k < d; k++) {
      mass[a * d + k] = model.dynamics === "underdamped" ? s.mass : 1;
      friction[a * d + k] = s.friction;
      temperature[a * d + k] = s.temperature;
    }
  }
  const system: LangevinSystem = { dynamics: model.dynamics, dof: N * d, mass, friction, temperature, forces: field };
  const network = particlesAsNetwork(model);
  if (network) lazyLinear(system, () => network);
  else if (isLinearParticles(model)) {
    Object.defineProperty(system, "linear", {
      enumerable: false,
      get() {
        throw new ModelError(`exact stepping of particles builds their all-pairs network and dense matrices: ${particleCoordinates(model)} coordinates is more than ${COMPARISON_MAX_COORDINATES}; use ${model.dynamics === "underdamped" ? "baoab" : "heun or euler-maruyama"}`, model.source);
      },
    });
  }
  return { system, field, network };
}

/** Exact values for a linear particle model, by species, or undefined. */
export function exactParticles(model: ParticlesModel, network: NetworkModel | null, warnings?: string[]): ParticleExact | undefined {
  checkParticlesModel(model, "exactParticles");
  if (!network) {
    if (isLinearParticles(model)) warnings?.push(`no exact values to compare with: the exact solve of ${particleCoordinates(model)} coordinates would need ${exactCostText(particleCoordinates(model))}; the simulation compares up to ${COMPARISON_MAX_COORDINATES}`);
    return undefined;
  }
  const ss = exactNetwork(network, warnings);
  if (!ss) return undefined;
  const S = model.species.length, d = model.dimension;
  const heat = new Float64Array(S);
  ss.baths.forEach((b) => (heat[model.speciesOf[Math.floor(b.index / d)]] += b.flux));
  let kineticTemperature: Float64Array | undefined;
  if (ss.kineticTemperature) {
    kineticTemperature = new Float64Array(S);
    ss.kineticTemperature.forEach((t, i) => (kineticTemperature![model.speciesOf[Math.floor(i / d)]] += t));
    model.species.forEach((s, k) => (kineticTemperature![k] /= s.count * d));
  }
  return { covariance: ss.covariance.data, heat, kineticTemperature, entropyProduction: ss.entropyProduction };
}
