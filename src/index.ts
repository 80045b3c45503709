/**
 * ness: nonequilibrium steady states of systems coupled to heat baths at different temperatures.
 * The library entry point (browser-safe: no Node-only imports).
 */
export * from "./errors.js";
export * from "./model/index.js";
export * from "./exact/index.js";
export * as linalg from "./linalg/index.js";
