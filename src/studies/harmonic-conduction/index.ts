/**
 * Heat conduction in large harmonic networks by the frequency-domain (Green's function) method: transmission
 * spectra, disordered chains and the length dependence of their current, the Rieder-Lebowitz-Lieb chain's flat
 * temperature profile, 2D strips; the study's contract (definition.ts). Browser-safe.
 */
export * from "./spectrum.js";
export * from "./figures.js";
export * from "./params.js";
export * from "./study.js";
export * from "./definition.js";
