/**
 * The Langevin problem: ONE type for every Langevin simulation, linear or not, built from a model
 * (`langevinProblem(model)`: networks, particles) or written by hand (a study's system: the particle-bath chain).
 * Plain, structured-cloneable data: coordinates with their masses, frictions and bath temperatures, per-coordinate
 * dynamics, the forces as a list of named terms with their parameters (JAX-MD's energies composed from named
 * functions), an initial state. The stochastic engine builds the force field from the terms by their names (one
 * registry: src/stochastic/system.ts, `registerForceTerm`) in every worker; nothing here is a live object.
 *
 * Dynamics and units (kB = 1, one bath per coordinate):
 *   underdamped  m q'' = F(q) - gamma q' + sqrt(2 gamma T) xi    (momentum p = m q'; gamma = 0: no bath)
 *   overdamped   gamma q' = F(q) + sqrt(2 gamma T) xi            (gamma is the inverse mobility; mass unused)
 *   mixed        some coordinates of each kind (`overdamped` lists the overdamped ones)
 * with F = -grad U and U the sum of the force terms' potentials. Built-in terms (ForceTerm, by `term`):
 *   "network"   an oscillator network's pinnings kappa q^2/2 + c q^4/4 and springs k r^2/2 + c r^4/4 (r = q_i - q_j)
 *   "harmonic"  sparse harmonic pinnings k x_i^2/2 and springs k (x_i - x_j)^2/2 by coordinate index
 *   "pairs"     pair laws per species pair (soft, harmonic, WCA) among the particles of `space`
 *   "external"  external fields on the particles of `space` (harmonic traps, cosine and sawtooth potentials)
 *   "bonds"     bonds between given particles of `space` (harmonic, FENE)
 * A study registers its own terms under a prefixed name ("particle-bath-chain/coupling") in the module that defines
 * them. Particle terms act in the problem's `space` (JAX-MD's space: dimension, periodic box or open space, species of
 * each particle); coordinates are particle-major, x_a = (x[a d], ..., x[a d + d - 1]).
 */
import { SteadyStateError } from "../errors.js";
import { checkModel, type Model } from "../model/modelCheck.js";
import { isLinearNetwork, type NetworkModel, type Spring } from "../model/networkModel.js";
import type { Bond, ExternalPotential, PairRule, ParticlesModel } from "../model/particles.js";
import { requireNetworkSteadyState } from "./diagnose.js";
import { particleConfinementProblem } from "./particleConfinement.js";
import { siteTemperatures } from "./network.js";
import { isLinearParticles, particleStateNames } from "./particles.js";

/** A force term: its registered name and its parameters (plain data). */
export interface ForceTerm {
  readonly term: string;
  readonly [parameter: string]: unknown;
}

/** An oscillator network's forces: pinning and quartic pinning per site (dense), springs (harmonic and quartic). */
export interface NetworkTerm extends ForceTerm {
  readonly term: "network";
  readonly pinning: Float64Array;
  readonly quarticPinning: Float64Array;
  readonly springs: readonly Spring[];
}

/** U = sum k_i x_i^2 / 2 over `pinning` [i, k] plus sum k (x_i - x_j)^2 / 2 over `springs` [i, j, k] (sparse). */
export interface HarmonicTerm extends ForceTerm {
  readonly term: "harmonic";
  readonly pinning?: readonly (readonly [number, number])[];
  readonly springs?: readonly (readonly [number, number, number])[];
}

/** Pair laws among the particles of the problem's space (minimum image in a box). */
export interface PairsTerm extends ForceTerm {
  readonly term: "pairs";
  readonly pairs: readonly PairRule[];
}

/** External fields on the particles of the problem's space. */
export interface ExternalTerm extends ForceTerm {
  readonly term: "external";
  readonly fields: readonly ExternalPotential[];
}

/** Bonds between given particles of `space` (harmonic, FENE; src/stochastic/potentials/bonds.ts). */
export interface BondsTerm extends ForceTerm {
  readonly term: "bonds";
  readonly bonds: readonly Bond[];
}

/** Where particle terms act: the particles' dimension, periodic box (null: open space) and species. */
export interface ParticleSpace {
  readonly dimension: 1 | 2 | 3;
  /** Periodic box lengths per axis, or null for open space. */
  readonly box: Float64Array | null;
  /** Number of species. */
  readonly species: number;
  /** Species of every particle, numbered species by species (particle a: coordinates a d .. a d + d - 1). */
  readonly speciesOf: Int32Array;
}

/** A Langevin problem (see the header): plain data. */
export interface LangevinProblem {
  readonly kind: "langevin";
  readonly dynamics: "underdamped" | "overdamped" | "mixed";
  /** Per coordinate: mass (underdamped coordinates; ignored elsewhere), friction (0: no bath), bath temperature. */
  readonly mass: ArrayLike<number>;
  readonly friction: ArrayLike<number>;
  readonly temperature: ArrayLike<number>;
  /** Mixed problems: the indices of the overdamped coordinates. */
  readonly overdamped?: ArrayLike<number>;
  /** The forces: terms by registered name, summed in this order (none: free motion). */
  readonly forces: readonly ForceTerm[];
  /** Where particle terms ("pairs", "external", ...) act; required by them. */
  readonly space?: ParticleSpace;
  /** Names of the coordinates: q:a, ... (networks), x:0, y:0, ... (particles). */
  readonly coordinates?: readonly string[];
  /**
   * Initial state for ensembles of the problem (src/stochastic/langevinEnsemble.ts): x and p (default 0), then
   * coordinates drawn uniformly in [lo, hi) (from the stream (seed, r, 1)). Simulations of a model start as the model
   * says (`simulate`).
   */
  readonly initial?: {
    readonly x?: ArrayLike<number>;
    readonly p?: ArrayLike<number>;
    readonly uniform?: readonly {
      readonly from: number;
      readonly count: number;
      readonly range: readonly [number, number];
    }[];
  };
  /** Variants of the initial state ([index, value] overrides), stepped with common random numbers; default: base. */
  readonly variants?: readonly {
    readonly x?: readonly (readonly [number, number])[];
    readonly p?: readonly (readonly [number, number])[];
  }[];
  /**
   * The validated model the problem was built from (langevinProblem): it defines the observables of `simulate` (bath
   * fluxes, spring fluxes, ...) besides the force terms. Absent for problems written by hand.
   */
  readonly model?: Model;
  /** True for a linear model (harmonic terms only): it has a linear SDE problem (networkProblem, particlesProblem). */
  readonly linear?: boolean;
  /** Doubts of the diagnosis that do not forbid a steady state (a mode coupled to the baths only by quartic terms). */
  readonly warnings?: readonly string[];
}

/** A Langevin problem built from a model by langevinProblem: the model and its diagnosis attached. */
export type ModelLangevinProblem = LangevinProblem & {
  readonly dynamics: "underdamped" | "overdamped";
  readonly mass: Float64Array;
  readonly friction: Float64Array;
  readonly temperature: Float64Array;
  readonly coordinates: readonly string[];
  readonly model: Model;
  readonly linear: boolean;
  readonly warnings: readonly string[];
};

export interface LangevinOptions {
  /**
   * The caller's size limit, run after the cheap diagnoses and before the expensive part of the Lemma 1 check
   * (diagnose.ts requireNetworkSteadyState); throws to refuse.
   */
  sizeCheck?: () => void;
}

/**
 * The Langevin problem of a model, after checking that it can have a steady state (the diagnosis of diagnose.ts:
 * an unconfined part, a part without a bath, a normal mode that never meets a bath, particles that nothing holds in
 * open space). Throws SteadyStateError naming the model's file when there is none, ModelError for an invalid model.
 *
 * @example
 * ```ts
 * import { langevinProblem, validateNetwork } from "ness";
 *
 * const model = validateNetwork({
 *   kind: "network", sites: ["a", "b"], pinning: 1, springs: [{ between: ["a", "b"], stiffness: 1 }],
 *   baths: [{ site: "a", friction: 1, temperature: 2 }, { site: "b", friction: 1, temperature: 1 }],
 * });
 * const problem = langevinProblem(model); // coordinates, masses, frictions, temperatures, force terms: plain data
 * console.log(problem.linear, problem.temperature.join(" "), problem.forces[0].term); // => true 2 1 network
 * ```
 */
export function langevinProblem(model: Model, options: LangevinOptions = {}): ModelLangevinProblem {
  checkModel(model, "langevinProblem");
  return model.kind === "network" ? networkLangevin(model, options) : particleLangevin(model);
}

function networkLangevin(model: NetworkModel, options: LangevinOptions): ModelLangevinProblem {
  const warnings = requireNetworkSteadyState(model, options.sizeCheck);
  const n = model.sites.length;
  const friction = new Float64Array(n);
  for (const b of model.baths) friction[b.site] = b.friction;
  const network: NetworkTerm = {
    term: "network",
    pinning: model.pinning,
    quarticPinning: model.quarticPinning,
    springs: model.springs,
  };
  return {
    kind: "langevin",
    model,
    dynamics: model.dynamics,
    coordinates: model.sites.map((s) => `q:${s}`),
    mass: model.dynamics === "underdamped" ? Float64Array.from(model.mass) : new Float64Array(n).fill(1),
    friction,
    temperature: siteTemperatures(model),
    forces: [network],
    linear: isLinearNetwork(model),
    warnings,
  };
}

/** The space of a particle model's terms: its dimension, box and species. */
export function particleSpace(model: ParticlesModel): ParticleSpace {
  return { dimension: model.dimension, box: model.box, species: model.species.length, speciesOf: model.speciesOf };
}

function particleLangevin(model: ParticlesModel): ModelLangevinProblem {
  const problem = particleConfinementProblem(model);
  if (problem) throw new SteadyStateError(problem, model.source);
  const N = model.speciesOf.length,
    d = model.dimension;
  const mass = new Float64Array(N * d),
    friction = new Float64Array(N * d),
    temperature = new Float64Array(N * d);
  for (let a = 0; a < N; a++) {
    const s = model.species[model.speciesOf[a]];
    for (let k = 0; k < d; k++) {
      mass[a * d + k] = model.dynamics === "underdamped" ? s.mass : 1;
      friction[a * d + k] = s.friction;
      temperature[a * d + k] = s.temperature;
    }
  }
  // Pair forces first (their loops overwrite the force array), then the terms that add into it.
  const forces: ForceTerm[] = [];
  if (model.pairs.length > 0) forces.push({ term: "pairs", pairs: model.pairs } satisfies PairsTerm);
  if (model.external.length > 0) forces.push({ term: "external", fields: model.external } satisfies ExternalTerm);
  if (model.bonds && model.bonds.length > 0) forces.push({ term: "bonds", bonds: model.bonds } satisfies BondsTerm);
  // The names (two strings per particle in 2D: tens of milliseconds and megabytes at N = 10^5) are made when first
  // read: a simulation reads them only for fields, recorded states and covariances of small systems.
  let names: string[] | undefined;
  return {
    kind: "langevin",
    model,
    dynamics: model.dynamics,
    get coordinates(): string[] {
      return (names ??= particleStateNames(model).slice(0, N * d));
    },
    mass,
    friction,
    temperature,
    forces,
    space: particleSpace(model),
    linear: isLinearParticles(model),
    warnings: [],
  };
}
