/**
 * Seed 004: overdamped particles at two temperatures. The harmonic pair exact (exact engine) and simulated
 * (stochastic engine): covariance, heat flows, entropy production, density and probability current in (x1, x2);
 * the ratchet current of a hot/cold pair in a sawtooth; the study's figures. Browser-safe.
 */
export * from "./harmonicPair.js";
export * from "./ratchet.js";
export * from "./figures.js";
