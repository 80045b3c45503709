/**
 * Variance (covariance) resonance of two weakly coupled underdamped oscillators at different temperatures
 * (seed 000, with the corrections of physics-notes.md): parameters in dimensionless, mechanical and electrical
 * form, the stationary covariance by the exact engine and by the closed forms, energy fluxes and detailed balance,
 * fast sweeps, the resonance finder, displacement spectra, apparent temperatures, the inverse problem (k from
 * measured variances) and the paper's figures. Browser-safe.
 */
export * from "./parameters.js";
export * from "./closedForms.js";
export * from "./steadyState.js";
export * from "./sweep.js";
export * from "./resonance.js";
export * from "./psd.js";
export * from "./inverse.js";
export * from "./figures.js";
export * from "./figureData.js";
export * from "./definition.js";
