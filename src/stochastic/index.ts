/**
 * Stochastic engine: seeded splittable random numbers, integrators as init/step pairs with schemes as values
 * (Langevin systems with a bath per coordinate, general Ito SDEs), force fields (networks, particles), estimators with
 * error bars (Measured), and ensembles of replicas on any runner. Browser-safe.
 */
export * from "./rng.js";
export * from "./forceField.js";
export * from "./networkForces.js";
export * from "./particleForces.js";
export * from "./integrators.js";
export * from "./linear.js";
export * from "./statistics.js";
export * from "./networkProbe.js";
export * from "./particleProbe.js";
export * from "./pairHeat.js";
export * from "./stateHeat.js";
export * from "./modelFree.js";
export * from "./neighbours/cellGrid.js";
export * from "./neighbours/pairSearch.js";
export * from "./potentials/pairLaws.js";
export * from "./potentials/externalFields.js";
export * from "./fields.js";
export * from "./safety.js";
export * from "./reliability.js";
export * from "./system.js";
export * from "./ensemble.js";
export * from "./sde.js";
export * from "./structureFactor.js";
export * from "./langevinEnsemble.js";
export * from "./run.js";
export * from "./checkpoint.js";
export * from "./segments.js";
export * from "./autocorrelation.js";
export * from "./webPool.js";
