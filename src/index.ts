/**
 * ness: nonequilibrium steady states of systems coupled to heat baths at different temperatures.
 * The library entry point (browser-safe: no Node-only imports).
 */
export * from "./errors.js";
export * from "./model/index.js";
export * from "./problem/index.js";
export * from "./exact/index.js";
export * as linalg from "./linalg/index.js";
export * as stochastic from "./stochastic/index.js";
export * as verify from "./verify/index.js";
export * as figures from "./figures/index.js";
export * as varianceResonance from "./studies/variance-resonance/index.js";
export * as energyCorrelations from "./studies/energy-correlations/index.js";
export * as particleBathChain from "./studies/particle-bath-chain/index.js";
export * as sweep from "./sweep/index.js";
export { NESS_VERSION } from "./version.js";
