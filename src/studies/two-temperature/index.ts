/**
 * Overdamped particles at two temperatures (after J. Metzger's lecture notes, Recitation 5). The harmonic pair
 * exact (exact engine) and simulated (stochastic engine): covariance, heat flows, entropy production, density and
 * probability current in (x1, x2); the ratchet current of a hot/cold pair in a sawtooth; run-and-chase of a hot/cold
 * pair in 1, 2, 3 dimensions (exact quadrature and simulation); hot/cold demixing of many particles; a chain of hot
 * and cold monomers (polymer.ts); the studies' contracts and figures. Browser-safe.
 */
export * from "./parameters.js";
export * from "./harmonicPair.js";
export * from "./ratchet.js";
export * from "./runAndChase.js";
export * from "./demixing.js";
export * from "./demixingFigures.js";
export * from "./demixingTheory.js";
export * from "./demixingSlab.js";
export * from "./demixingSlabFigures.js";
export * from "./figures.js";
export * from "./polymer.js";
export * from "./polymerFigures.js";
export * from "./definition.js";
