/**
 * Verification: exact vs simulated. The exact engine's answer for a linear model (reference.ts), handed to the
 * stochastic engine as data before a run and compared with its estimates after it (simulation.ts: exact values,
 * deviations in error bars, exact time-step biases and the reliability they imply). The only layer that imports both
 * engines, besides the studies and the CLI.
 */
export * from "./reference.js";
export * from "./simulation.js";
export * from "./bias.js";
