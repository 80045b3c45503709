/**
 * The Langevin problem of a model, linear or not: coordinates, masses, frictions, temperatures and the force terms,
 * as plain structured-cloneable data. The stochastic engine builds its force field and its integrator from it (in
 * every worker); nothing here is a live object.
 *
 * Dynamics and units (kB = 1, one bath per coordinate):
 *   underdamped  m q'' = F(q) - gamma q' + sqrt(2 gamma T) xi    (momentum p = m q'; gamma = 0: no bath)
 *   overdamped   gamma q' = F(q) + sqrt(2 gamma T) xi            (gamma is the inverse mobility; mass is 1)
 * with F = -grad U and U the model's potential: a network's pinnings kappa q^2/2 + c q^4/4 and springs
 * k r^2/2 + c r^4/4 (r = q_i - q_j); a particle model's pair laws (by name and parameters: harmonic, soft, WCA) and
 * external fields (harmonic traps, cosine and sawtooth potentials) in open space or a periodic box.
 */
import { ModelError, SteadyStateError } from "../errors.js";
import { checkModel, type Model } from "../model/index.js";
import { isLinearNetwork, type NetworkModel, type Spring } from "../model/network.js";
import type { ExternalPotential, PairRule, ParticlesModel } from "../model/particles.js";
import { particleConfinementProblem, requireNetworkSteadyState } from "./diagnose.js";
import { siteTemperatures } from "./network.js";
import { isLinearParticles, particleStateNames } from "./particles.js";

/** A network's force terms: pinning and quartic pinning per site, springs (harmonic and quartic). */
export interface NetworkForceTerms {
  kind: "network";
  pinning: Float64Array;
  quarticPinning: Float64Array;
  springs: readonly Spring[];
}

/** A particle model's force terms: pair laws by name and parameters, external fields, the box. */
export interface ParticleForceTerms {
  kind: "particles";
  dimension: 1 | 2 | 3;
  /** Periodic box lengths, or null for open space. */
  box: Float64Array | null;
  /** Species of every particle. */
  speciesOf: Int32Array;
  pairs: readonly PairRule[];
  external: readonly ExternalPotential[];
}

export type ForceTerms = NetworkForceTerms | ParticleForceTerms;

export interface LangevinProblem {
  kind: "langevin";
  /**
   * The validated model the problem was built from: it defines the observables (bath fluxes, spring fluxes, ...)
   * besides the force terms.
   */
  model: Model;
  dynamics: "underdamped" | "overdamped";
  /** Number of coordinates (positions). */
  dof: number;
  /** Names of the positions: q:a, ... (networks), x:0, y:0, ... (particles). */
  coordinates: string[];
  /** Mass per coordinate (underdamped; 1 overdamped). */
  mass: Float64Array;
  /** Friction per coordinate (gamma in -gamma q', the inverse mobility overdamped); 0 means no bath. */
  friction: Float64Array;
  /** Bath temperature per coordinate (kB = 1; 0 where no bath). */
  temperature: Float64Array;
  forces: ForceTerms;
  /** True for a linear model (harmonic terms only): its linear SDE problem exists (networkProblem, particlesProblem). */
  linear: boolean;
  /** Doubts of the diagnosis that do not forbid a steady state (a mode coupled to the baths only by quartic terms). */
  warnings: string[];
}

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
 * console.log(problem.linear, problem.temperature.join(" ")); // => true 2 1
 * ```
 */
export function langevinProblem(model: Model, options: LangevinOptions = {}): LangevinProblem {
  checkModel(model, "langevinProblem");
  return model.kind === "network" ? networkLangevin(model, options) : particleLangevin(model);
}

function networkLangevin(model: NetworkModel, options: LangevinOptions): LangevinProblem {
  const warnings = requireNetworkSteadyState(model, options.sizeCheck);
  const n = model.sites.length;
  const friction = new Float64Array(n);
  for (const b of model.baths) friction[b.site] = b.friction;
  return {
    kind: "langevin",
    model,
    dynamics: model.dynamics,
    dof: n,
    coordinates: model.sites.map((s) => `q:${s}`),
    mass: model.dynamics === "underdamped" ? Float64Array.from(model.mass) : new Float64Array(n).fill(1),
    friction,
    temperature: siteTemperatures(model),
    forces: { kind: "network", pinning: model.pinning, quarticPinning: model.quarticPinning, springs: model.springs },
    linear: isLinearNetwork(model),
    warnings,
  };
}

function particleLangevin(model: ParticlesModel): LangevinProblem {
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
  return {
    kind: "langevin",
    model,
    dynamics: model.dynamics,
    dof: N * d,
    coordinates: particleStateNames(model).slice(0, N * d),
    mass,
    friction,
    temperature,
    forces: {
      kind: "particles",
      dimension: d,
      box: model.box,
      speciesOf: model.speciesOf,
      pairs: model.pairs,
      external: model.external,
    },
    linear: isLinearParticles(model),
    warnings: [],
  };
}

/** Throws a ModelError unless the value is a Langevin problem (from langevinProblem). */
export function checkLangevinProblem(problem: unknown, where: string): asserts problem is LangevinProblem {
  const p = problem as Partial<LangevinProblem> | null;
  if (p === null || typeof p !== "object" || p.kind !== "langevin" || !p.model || !(p.mass instanceof Float64Array)) {
    throw new ModelError(`${where}: expected a Langevin problem (from langevinProblem)`);
  }
}
