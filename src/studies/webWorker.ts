/**
 * Browser Web Worker entry for the studies' ensembles: the stochastic engine's worker (src/stochastic/webWorker.ts)
 * plus the SDEs and force terms the studies register (the energy-correlations "energy-chain" SDE, the
 * particle-bath-chain coupling, the two-temperature demixing runs), so a Web Worker can prepare every spec the
 * library makes. Bundle this file as a module worker and hand its constructor to webWorkerRunner
 * (src/stochastic/webPool.ts).
 */
import "./energy-correlations/simulate.js";
import "./particle-bath-chain/simulation.js";
import "./two-temperature/demixing.js";
import "../stochastic/webWorker.js";
