/**
 * Every module that registers an ensemble kind, an SDE or a force term (src/stochastic/ensemble.ts), imported for
 * their registrations: a worker thread can then prepare any spec the library makes. A study whose ensembles use a
 * registered SDE or force term adds its module here.
 */
import "../stochastic/run.js";
import "../stochastic/sde.js";
import "../stochastic/langevinEnsemble.js";
import "../studies/energy-correlations/simulate.js";
import "../studies/particle-bath-chain/simulation.js";
import "../studies/two-temperature/demixing.js";
