// Particle models and force fields for the stochastic engine's tests (test/stochastic/particles, potentials): a model
// from its fields (validated, `kind` implied) and the force field of its pair term alone.
import { validateParticles, type ParticlesInput, type ParticlesModel } from "../../src/model/particles.js";
import { particleSpace } from "../../src/problem/langevin.js";
import { ParticleForceField } from "../../src/stochastic/particleForces.js";

/** A validated particles model from its fields (the `kind: particles` is implied). */
export const particlesModel = (m: Omit<ParticlesInput, "kind">): ParticlesModel =>
  validateParticles({ kind: "particles", ...m });

/** The field of a particle model's "pairs" term (the pair forces alone). */
export const pairField = (m: ParticlesModel): ParticleForceField => new ParticleForceField(particleSpace(m), m.pairs);
