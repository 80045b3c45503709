/**
 * The confinement check of particle models, apart from diagnose.ts (whose network diagnoses the exact engine loads).
 * It imports the particle model's checks from particlesModel.ts, which loads no schema library.
 */
import { checkParticlesModel, type ParticlesModel } from "../model/particlesModel.js";

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
  const who = free.length === S ? "nothing holds the particles" : `nothing holds species ${free.join(", ")}`;
  return `no steady state in open space: ${who} (no harmonic trap acts on ${free.length === 1 ? "it" : "them"}, and no harmonic pair binds ${free.length === 1 ? "it" : "them"} to a trapped species), so ${free.length === 1 && free.length !== S ? "its particles diffuse" : "they diffuse"} away freely and positions have no stationary distribution; add a harmonic trap (external: [{potential: harmonic, stiffness: ...}]) or a periodic box`;
}
