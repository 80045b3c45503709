/**
 * Every study module that registers an ensemble kind, an SDE or a force term (src/stochastic/ensemble.ts), imported
 * for their registrations: with kinds.ts, a worker thread can then prepare any spec the library makes. A study whose
 * ensembles use a registered SDE, force term or kind adds its module here.
 */
import "./kinds.js";
import "../studies/energy-correlations/simulate.js";
import "../studies/particle-bath-chain/simulation.js";
import "../studies/two-temperature/demixing.js";
