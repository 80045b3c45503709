/**
 * A linear particle model (open space, harmonic pairs and harmonic bonds with rest length 0, harmonic traps centred at
 * the origin) as a network, one site per coordinate, and so as a linear SDE problem for both engines. Each axis
 * decouples: a pair or a bond of stiffness k is a spring k between the two particles' coordinates on every axis (a
 * bond between two particles that also interact through a harmonic pair adds its stiffness to that spring), a trap of
 * stiffness lambda pins every coordinate of its species with lambda; every coordinate has its species' bath (friction
 * gamma in -gamma q', or the inverse mobility overdamped; kB = 1).
 */
import { checkParticlesModel, type ParticlesModel } from "../model/particlesModel.js";
import { networkFromShape, type NetworkModel, type NetworkShape } from "../model/networkModel.js";
import type { LinearSdeProblem } from "./linearSde.js";
import { networkProblem } from "./network.js";

/**
 * Most coordinates of a particle model mapped onto a network: its all-pairs network grows as N^2 (2000 particles on
 * a line are two million springs and 2 GB).
 */
export const PARTICLE_NETWORK_MAX_COORDINATES = 1000;

const AXES = ["x", "y", "z"];

/**
 * True for a linear particle model: open space, harmonic pairs and harmonic bonds with rest length 0, harmonic traps at
 * the origin (no repulsion, no FENE bond, no rest length: every force is linear in the positions).
 */
export function isLinearParticles(model: ParticlesModel): boolean {
  checkParticlesModel(model, "isLinearParticles");
  return (
    !model.box &&
    (model.bonds ?? []).every((b) => b.bond.potential === "harmonic" && b.bond.length === 0) &&
    model.pairs.every((r) => r.pair.potential === "harmonic" && r.pair.length === 0) &&
    model.external.every((e) => e.potential === "harmonic" && e.center.every((c) => c === 0))
  );
}

/** Coordinates of the state (positions, and momenta when underdamped) of a particle model. */
export function particleStateSize(model: ParticlesModel): number {
  return model.speciesOf.length * model.dimension * (model.dynamics === "underdamped" ? 2 : 1);
}

/** Names of a particle model's state coordinates: x:0, y:0, ..., then px:0, ... (underdamped). */
export function particleStateNames(model: ParticlesModel): string[] {
  const N = model.speciesOf.length,
    d = model.dimension;
  const names: string[] = [];
  for (let a = 0; a < N; a++) for (let k = 0; k < d; k++) names.push(`${AXES[k]}:${a}`);
  if (model.dynamics === "underdamped")
    for (let a = 0; a < N; a++) for (let k = 0; k < d; k++) names.push(`p${AXES[k]}:${a}`);
  return names;
}

/**
 * The network equivalent to a linear particle model, one site per coordinate named like the particle coordinates
 * (x:0, y:0, ...), or null: for a nonlinear model, and for one with more than PARTICLE_NETWORK_MAX_COORDINATES
 * coordinates.
 */
export function particlesAsNetwork(model: ParticlesModel): NetworkModel | null {
  checkParticlesModel(model, "particlesAsNetwork");
  if (!isLinearParticles(model) || particleStateSize(model) > PARTICLE_NETWORK_MAX_COORDINATES) return null;
  const N = model.speciesOf.length,
    d = model.dimension;
  const sites: string[] = [];
  for (let a = 0; a < N; a++) for (let k = 0; k < d; k++) sites.push(`${AXES[k]}:${a}`);
  const pinning: Record<string, number> = {};
  const masses: Record<string, number> = {};
  const baths: { site: string; friction: number; temperature: number }[] = [];
  // Stiffness of the spring between particles a < b (key a * N + b), pairs and bonds added, in first-seen order.
  const stiffness = new Map<number, number>();
  for (let a = 0; a < N; a++) {
    const s = model.speciesOf[a];
    const sp = model.species[s];
    let lam = 0;
    for (const e of model.external) if (e.potential === "harmonic" && e.species.includes(s)) lam += e.stiffness;
    for (let k = 0; k < d; k++) {
      const site = `${AXES[k]}:${a}`;
      pinning[site] = lam;
      masses[site] = sp.mass;
      baths.push({ site, friction: sp.friction, temperature: sp.temperature });
    }
    for (let b = a + 1; b < N; b++) {
      const sb = model.speciesOf[b];
      const rule = model.pairs.find((r) => (r.a === s && r.b === sb) || (r.a === sb && r.b === s));
      if (rule && rule.pair.potential === "harmonic") stiffness.set(a * N + b, rule.pair.stiffness);
    }
  }
  for (const bond of model.bonds ?? []) {
    const a = Math.min(bond.a, bond.b),
      b = Math.max(bond.a, bond.b);
    stiffness.set(a * N + b, (stiffness.get(a * N + b) ?? 0) + bond.bond.stiffness);
  }
  const springs: { between: [string, string]; stiffness: number }[] = [];
  for (const [key, k] of stiffness) {
    const a = Math.floor(key / N),
      b = key % N;
    for (let q = 0; q < d; q++) springs.push({ between: [`${AXES[q]}:${a}`, `${AXES[q]}:${b}`], stiffness: k });
  }
  // Data of the file format's shape by construction (typed NetworkShape): validated without the schema library.
  const shape: NetworkShape = {
    kind: "network",
    dynamics: model.dynamics,
    sites,
    pinning,
    springs,
    baths,
    ...(model.dynamics === "underdamped" ? { masses } : {}),
  };
  return networkFromShape(shape, shape, model.source);
}

/**
 * A linear particle model as a linear SDE problem (state names x:0, ..., px:0, ...), or null for a nonlinear model
 * or one beyond PARTICLE_NETWORK_MAX_COORDINATES.
 *
 * @example
 * ```ts
 * import { particlesProblem, stationary, validateParticles } from "ness";
 *
 * // Two overdamped particles in a harmonic trap, joined by a spring, at temperatures 5 and 1.
 * const pair = validateParticles({
 *   kind: "particles", dimension: 1,
 *   species: [{ name: "hot", count: 1, temperature: 5 }, { name: "cold", count: 1, temperature: 1 }],
 *   pairs: [{ potential: "harmonic", stiffness: 1 }],
 *   external: [{ potential: "harmonic", stiffness: 1 }],
 * });
 * const problem = particlesProblem(pair)!; // null for a nonlinear model
 * console.log(problem.stateNames.join(" "), stationary(problem).residual < 1e-12); // => x:0 x:1 true
 * ```
 */
export function particlesProblem(model: ParticlesModel): LinearSdeProblem | null {
  const network = particlesAsNetwork(model);
  if (!network) return null;
  return { ...networkProblem(network), stateNames: particleStateNames(model) };
}
