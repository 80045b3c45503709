/**
 * Turns validated models into Langevin systems for the integrators: coordinates, per-coordinate masses, frictions
 * and temperatures, force fields, and (for linear models) the drift and diffusion matrices for exact stepping and
 * the exact engine's answer for comparison. A linear particle model (harmonic pairs and traps at the origin, open
 * space) is mapped onto an equivalent network, one site per coordinate.
 */
import { SteadyStateError } from "../errors.js";
import { diffusionMatrix, driftMatrix, solveNetwork, type NetworkSteadyState } from "../exact/network.js";
import { isLinearNetwork, validateNetwork, type NetworkModel } from "../model/network.js";
import type { ParticlesModel } from "../model/particles.js";
import type { LangevinSystem } from "./integrators.js";
import { siteTemperatures } from "./linear.js";
import { NetworkForceField } from "./networkForces.js";
import { ParticleForceField } from "./particleForces.js";
import type { ParticleExact } from "./particleProbe.js";

export function networkSystem(model: NetworkModel): { system: LangevinSystem; field: NetworkForceField } {
  const n = model.sites.length;
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
  if (isLinearNetwork(model)) {
    system.linear = { drift: driftMatrix(model), diffusion: diffusionMatrix(model, siteTemperatures(model)) };
  }
  return { system, field };
}

/** The exact steady state of a linear network, or undefined (nonlinear, or no unique steady state). */
export function exactNetwork(model: NetworkModel): NetworkSteadyState | undefined {
  if (!isLinearNetwork(model)) return undefined;
  try {
    return solveNetwork(model, { bySource: false });
  } catch (err) {
    if (err instanceof SteadyStateError) return undefined;
    throw err;
  }
}

/**
 * The network equivalent to a linear particle model (open space, harmonic pairs with rest length 0, harmonic traps
 * centred at the origin), one site per coordinate named like the particle coordinates (x:0, y:0, ...), or null.
 */
export function particlesAsNetwork(model: ParticlesModel): NetworkModel | null {
  if (model.box) return null;
  if (model.pairs.some((r) => r.pair.potential !== "harmonic" || r.pair.length !== 0)) return null;
  if (model.external.some((e) => e.potential !== "harmonic" || e.center.some((c) => c !== 0))) return null;
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
  });
}

export function particleSystem(model: ParticlesModel): { system: LangevinSystem; field: ParticleForceField; network: NetworkModel | null } {
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
  if (network) system.linear = { drift: driftMatrix(network), diffusion: diffusionMatrix(network, siteTemperatures(network)) };
  return { system, field, network };
}

/** Exact values for a linear particle model, by species, or undefined. */
export function exactParticles(model: ParticlesModel, network: NetworkModel | null): ParticleExact | undefined {
  if (!network) return undefined;
  const ss = exactNetwork(network);
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
