/**
 * Builds the live objects a simulation runs on from a Langevin problem (src/problem/langevin.ts, plain data): the
 * force field of the problem's force terms and the LangevinSystem the integrators take, with, for exact stepping of
 * a linear model, its drift and diffusion matrices (src/problem: networkProblem, particlesProblem).
 */
import { ModelError } from "../errors.js";
import { checkNetworkModel, type NetworkModel } from "../model/network.js";
import { checkParticlesModel, type ParticlesModel } from "../model/particles.js";
import { langevinProblem, type LangevinProblem } from "../problem/langevin.js";
import { networkProblem } from "../problem/network.js";
import { particlesProblem, particleStateSize, PARTICLE_NETWORK_MAX_COORDINATES } from "../problem/particles.js";
import type { LangevinSystem } from "./integrators.js";
import { NetworkForceField } from "./networkForces.js";
import { ParticleForceField } from "./particleForces.js";

/**
 * Most sites of a simulated network. The run itself is linear in the sites, but preparing it is dense: the time-step
 * analysis (safety.ts) diagonalises the n x n stiffness matrix, O(n^3) operations and about 32 n^2 bytes (0.8 GB and
 * several minutes at 5000 sites).
 */
export const SIMULATION_MAX_SITES = 5000;

/**
 * Largest state (coordinates, and momenta when underdamped) stepped exactly: exact stepping prepares the N x N
 * transition and step covariance by a 2N x 2N matrix exponential (O(N^3)).
 */
export const EXACT_STEPPING_MAX_COORDINATES = 2000;

/** Refuses a network too large to simulate (the time-step analysis is dense). */
function checkSimulationSize(model: NetworkModel): void {
  const n = model.sites.length;
  if (n > SIMULATION_MAX_SITES) {
    throw new ModelError(
      `the network is too large to simulate: ${n} sites, more than ${SIMULATION_MAX_SITES} (preparing a run diagonalises the n x n stiffness matrix for the time-step limit: O(n^3) operations and ${Math.round((32 * n * n) / 1e9)} GB)`,
      model.source,
    );
  }
}

/**
 * The Langevin problem of a model for a simulation: langevinProblem (src/problem) with the simulation's size limit
 * between the cheap and the expensive part of the steady-state diagnosis.
 */
export function simulationProblem(model: NetworkModel | ParticlesModel): LangevinProblem {
  return langevinProblem(model, model.kind === "network" ? { sizeCheck: () => checkSimulationSize(model) } : {});
}

/** The drift and diffusion of a linear model for exact stepping (dense: refused beyond its size limit). */
function exactStepping(problem: LangevinProblem): LangevinSystem["linear"] {
  const model = problem.model;
  if (!problem.linear) return undefined;
  if (model.kind === "network") {
    const N = model.dynamics === "underdamped" ? 2 * model.sites.length : model.sites.length;
    if (N > EXACT_STEPPING_MAX_COORDINATES) {
      throw new ModelError(
        `exact stepping is dense (N x N matrices, O(N^3) to prepare): ${N} coordinates is more than ${EXACT_STEPPING_MAX_COORDINATES}; use baoab, heun or euler-maruyama`,
        model.source,
      );
    }
    const p = networkProblem(model);
    return { drift: p.drift, diffusion: p.diffusion };
  }
  const p = particlesProblem(model);
  if (!p) {
    throw new ModelError(
      `exact stepping of particles builds their all-pairs network and dense matrices: ${particleStateSize(model)} coordinates is more than ${PARTICLE_NETWORK_MAX_COORDINATES}; use ${model.dynamics === "underdamped" ? "baoab" : "heun or euler-maruyama"}`,
      model.source,
    );
  }
  return { drift: p.drift, diffusion: p.diffusion };
}

/**
 * The LangevinSystem of a model's Langevin problem (src/problem/langevin.ts; langevinProblem.ts's langevinSystem builds
 * the generic, term-registered problems of the ensemble layer): its coordinates, masses, frictions and temperatures, the force field built from
 * its force terms, and (with `exactStepping`, linear models only) the drift and diffusion matrices exact stepping needs.
 */
export function modelSystem(problem: LangevinProblem, options: { exactStepping?: boolean } = {}): LangevinSystem {
  // Particle force fields still take the model, which holds the same force terms (pair laws, external fields).
  const forces =
    problem.forces.kind === "network"
      ? new NetworkForceField(problem.forces)
      : new ParticleForceField(problem.model as ParticlesModel);
  const system: LangevinSystem = {
    dynamics: problem.dynamics,
    dof: problem.dof,
    mass: problem.mass,
    friction: problem.friction,
    temperature: problem.temperature,
    forces,
  };
  if (options.exactStepping) {
    const linear = exactStepping(problem);
    if (linear) system.linear = linear;
  }
  return system;
}

/**
 * A network as a Langevin system, after checking that it can have a steady state (src/problem/diagnose.ts: an
 * unconfined part, a part without a bath, a normal mode that never meets a bath; for quartic networks a decoupled
 * mode of the harmonic part is refused only when no quartic term couples it, and otherwise reported in `warnings`).
 * Throws SteadyStateError (naming the model's file) when there is none.
 */
export function networkSystem(
  model: NetworkModel,
  options: { exactStepping?: boolean } = {},
): { system: LangevinSystem; field: NetworkForceField; warnings: string[] } {
  checkNetworkModel(model, "networkSystem");
  const problem = simulationProblem(model);
  const system = modelSystem(problem, options);
  return { system, field: system.forces as NetworkForceField, warnings: problem.warnings };
}

/**
 * A particle model as a Langevin system, after checking that it can have a steady state (particleConfinementProblem):
 * throws SteadyStateError naming the model's file otherwise.
 */
export function particleSystem(
  model: ParticlesModel,
  options: { exactStepping?: boolean } = {},
): { system: LangevinSystem; field: ParticleForceField } {
  checkParticlesModel(model, "particleSystem");
  const system = modelSystem(simulationProblem(model), options);
  return { system, field: system.forces as ParticleForceField };
}
