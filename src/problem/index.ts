/**
 * Problems: models turned into the plain, structured-cloneable data both engines take (a linear SDE problem for the
 * exact engine and exact stepping, a Langevin problem for simulations), and the steady-state diagnoses both engines
 * run before any work. Conventions (friction, units, state order) are stated on each type.
 */
export * from "./linearSde.js";
export * from "./harmonic.js";
export * from "./network.js";
export * from "./particles.js";
export * from "./langevin.js";
export * from "./diagnose.js";
export * from "./particleConfinement.js";
