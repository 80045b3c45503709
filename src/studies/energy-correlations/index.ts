/**
 * Energy correlations between subsystems carrying a heat current (seed 002, mesoscopic A/B model): models, the mean
 * steady state, the Lyapunov covariance with its noise decomposition and bound, closed forms, the SDE simulation
 * that verifies them, and the figures of `ness reproduce energy-correlations`. Browser-safe.
 */
export * from "./models.js";
export * from "./exchange.js";
export * from "./steadyState.js";
export * from "./correlations.js";
export * from "./closedForms.js";
export * from "./simulate.js";
export * from "./study.js";
export * from "./figures.js";
export * from "./verification.js";
export * from "./definition.js";
