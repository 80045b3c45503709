/**
 * Turns validated models into Langevin systems for the integrators: coordinates, per-coordinate masses, frictions
 * and temperatures, force fields, and (for linear models) the drift and diffusion matrices for exact stepping and
 * the exact engine's answer for comparison. A linear particle model (harmonic pairs and traps at the origin, open
 * space) is mapped onto an equivalent network, one site per coordinate.
 */
import { ModelError, SteadyStateError } from "../errors.js";
import { CHEAP_UNREACHED, diagnoseNetwork } from "../exact/diagnose.js";
import {
  checkNetworkSolvable, diffusionMatrix, driftMatrix, EXACT_MAX_COORDINATES, exactCostText, solveNetwork, type NetworkSteadyState,
} from "../exact/network.js";
import type { Matrix } from "../linalg/matrix.js";
import { checkNetworkModel, isLinearNetwork, validateNetwork, type NetworkModel } from "../model/network.js";
import { checkParticlesModel, type ParticlesModel } from "../model/particles.js";
import type { LangevinSystem } from "./integrators.js";
import { siteTemperatures } from "./linear.js";
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

/**
 * Why a particle model has no steady state, or undefined. In a periodic box the positions live on a torus and a
 * steady state exists. In open space every particle must be held: by a harmonic trap on its species, or by harmonic
 * pairs (which act at every distance) to a species that is trapped. Otherwise its particles, or the centre of mass
 * of a bound group, diffuse freely: positions have no stationary law, and the position moments the engine reports
 * would grow without bound. Soft and WCA pairs and periodic (cosine, sawtooth) potentials hold nothing in open space.
 */
export function particleConfinementProblem(model: ParticlesModel): string | undefined {
  checkParticlesModel(model, "particleConfinementProblem");
  if (model.box) return undefined;
  const S = model.species.length;
  const held = new Uint8Array(S);
  for (const e of model.external) if (e.potential === "harmonic") for (const s of e.species) held[s] = 1;
  // Harmonic pairs bind species together: hold every species connected to a trapped one.
  for (let changed = true; changed;) {
    changed = false;
    for (const r of model.pairs) {
      if (r.pair.potential !== "harmonic" || held[r.a] === held[r.b]) continue;
      held[r.a] = held[r.b] = 1;
      changed = true;
    }
  }
  const free = model.species.filter((_, k) => !held[k]).map((s) => s.name);
  if (free.length === 0) return undefined;
  const who = free.length === S
    ? "nothing holds the particles"
    : `nothing holds species ${free.join(", ")}`;
  return `no steady state in open space: ${who} (no harmonic trap acts on ${free.length === 1 ? "it" : "them"}, and no harmonic pair binds ${free.length === 1 ? "it" : "them"} to a trapped species), so ${free.length === 1 && free.length !== S ? "its particles diffuse" : "they diffuse"} away freely and positions have no stationary distribution; add a harmonic trap (external: [{potential: harmonic, stiffness: ...}]) or a periodic box`;
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

/**
 * The network equivalent to a linear particle model (open space, harmonic pairs with rest length 0, harmonic traps
 * centred at the origin), one site per coordinate named like the particle coordinates (x:0, y:0, ...), or null: for
 * a nonlinear model, and for one with more than COMPARISON_MAX_COORDINATES coordinates (its all-pairs network grows
 * as N^2: 2000 particles on a line are two million springs and 2 GB).
 */
export function particlesAsNetwork(model: ParticlesModel): NetworkModel | null {
  checkParticlesModel(model, "particlesAsNetwork");
  if (!isLinearParticles(model) || particleCoordinates(model) > COMPARISON_MAX_COORDINATES) return null;
  const N = model.speciesOf.length, d = model.dimension;
  const axes = ["x", "y", "z"];
  const sites: string[] = [];
  for (let a = 0; a < N; a++) for (let k = 0; k < d; k++) sites.push(`${axes[k]}:${a}`);
  const pinning: Record<string, number> = {};
  const masses: Record<string, number> = {};
  const baths: { site: string; friction: number; temperature: number }[] = [];
  const springs: { between: [string, string]; stiffness: number }[] = [];
  for (let a = 0; a < N; a++) {
    const s = model.speciesOf[a];
    const sp = model.species[s];
    let lam = 0;
    for (const e of model.external) if (e.potential === "harmonic" && e.species.includes(s)) lam += e.stiffness;
    for (let k = 0; k < d; k++) {
      const site = `${axes[k]}:${a}`;
      pinning[site] = lam;
      masses[site] = sp.mass;
      baths.push({ site, friction: sp.friction, temperature: sp.temperature });
    }
    for (let b = a + 1; b < N; b++) {
      const sb = model.speciesOf[b];
      const rule = model.pairs.find((r) => (r.a === s && r.b === sb) || (r.a === sb && r.b === s));
      if (rule && rule.pair.potential === "harmonic") {
        for (let k = 0; k < d; k++) springs.push({ between: [`${axes[k]}:${a}`, `${axes[k]}:${b}`], stiffness: rule.pair.stiffness });
      }
    }
  }
  return validateNetwork({
    kind: "network", dynamics: model.dynamics, sites, pinning, springs, baths,
    ...(model.dynamics === "underdamped" ? { masses } : {}),
  }, model.source);
}

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
