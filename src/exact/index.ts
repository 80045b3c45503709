/**
 * Exact engine: stationary states of linear (Gaussian, Ornstein-Uhlenbeck) systems by the Lyapunov equation,
 * with physical diagnoses when no unique steady state exists.
 */
export * from "./linearSde.js";
export * from "./network.js";
export * from "./diagnose.js";
