/**
 * Krekels, Maes, Santra and Zhai (arXiv:2604.00777): a harmonic chain driven at one end by a bath of overdamped particles on a ring and at the other by a
 * Langevin bath; the effective (eliminated) bath, the chain's current three ways, negative differential thermal
 * conductivity, and direct simulations of the mixed system. Browser-safe.
 */
export * from "./params.js";
export * from "./effectiveBath.js";
export * from "./chain.js";
export * from "./quadrature.js";
export * from "./ndc.js";
export * from "./simulation.js";
export * from "./study.js";
export * from "./figures.js";
export * from "./definition.js";
