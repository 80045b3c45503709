/**
 * ness: nonequilibrium steady states of systems coupled to heat baths at different temperatures.
 *
 * The library entry point (`import { ... } from "ness"`), browser-safe (no Node-only imports). It exports an
 * explicit surface, in the order of the pipeline model -> problem -> engine -> verify -> study -> figure
 * (docs/architecture.md):
 *
 * - load: `loadModel(text)` and the validators; the model types.
 * - problems: `networkProblem(model)`, `linearSdeProblem({ drift, diffusion })`, `langevinProblem(model)`: plain data.
 * - solve (the exact engine): `stationary(problem)`, `solveNetwork(model)`, `solveNetworkTransmission(model)`, `solveNetworkModal(model)`.
 * - simulate (the stochastic engine): `simulate(model, scheme, options)`, the schemes as values (`baoab({ dt })`...);
 *   `simulateAndVerify` attaches the exact engine's values to every estimate of a linear model (what `ness simulate`
 *   prints).
 * - ensembles: `ensemble(problem, { replicas, seed, ... })` for registered SDE problems, seeded random numbers.
 * - studies: every study contract (`varianceResonance`, `twoTemperature`, ...), `runStudy`, `STUDIES`.
 * - figures: figure specifications (SVG given a `document`); the Node writers (SVG, PNG) are in `ness/node`.
 * - errors: every error a caller can cause is a `NessError` subclass.
 *
 * Elsewhere: the dense linear algebra kernels in `ness/linalg`; Node-only helpers (model files, the worker-thread
 * pool, SVG/PNG writers) in `ness/node`. Conventions (docs/architecture.md): kB = 1; friction gamma is the
 * coefficient of the force -gamma v (underdamped) and the inverse mobility in gamma x' = F + sqrt(2 gamma T) xi
 * (overdamped).
 */
export { NESS_VERSION } from "./version.js";

// errors
export { NessError, ModelError, SteadyStateError } from "./errors.js";
export { SimulationError, CancelledError } from "./stochastic/safety.js";

// load
export { loadModel, validateModel, checkModel, type Model } from "./model/index.js";
export { validateNetwork, type NetworkModel, type NetworkInput, type Spring, type Bath } from "./model/network.js";
export {
  validateParticles,
  type ParticlesModel,
  type ParticlesInput,
  type Species,
  type PairRule,
  type PairPotential,
  type ExternalPotential,
} from "./model/particles.js";
export { modelJsonSchemas } from "./model/schema.js";

// problems: models as plain data both engines take
export { linearSdeProblem, type LinearSdeProblem, type LinearSdeInput } from "./problem/linearSde.js";
export { networkProblem } from "./problem/network.js";
export { particlesProblem } from "./problem/particles.js";
export {
  langevinProblem,
  type LangevinProblem,
  type LangevinOptions,
  type ForceTerm,
  type ParticleSpace,
} from "./problem/langevin.js";
export { diagnoseNetwork, type NetworkDiagnosis } from "./problem/diagnose.js";

// solve: the exact engine
export {
  stationary,
  prepareStationary,
  prepareInPlace,
  type InPlaceStationary,
  type Stationary,
  type StationaryCovariance,
  type StationarySolver,
} from "./exact/linearSde.js";
export {
  solveNetwork,
  type NetworkSteadyState,
  type SpringFlux,
  type BathFlux,
  type SolveOptions,
} from "./exact/network.js";
export {
  solveNetworkTransmission,
  bathFluxesOnlyRefusal,
  type SolveMethod,
  type TransmissionOptions,
  type TransmissionSteadyState,
  type TransmissionSpectrum,
} from "./exact/transmission.js";
export {
  SolveAbortedError,
  STALL_FACTOR,
  STALL_MIN_EVALUATIONS,
  type SolveControl,
  type SolveProgress,
} from "./exact/solveControl.js";
export { chooseSolveMethod, estimateSolveCost, SOLVE_SECONDS_LIMIT, type SolveCost } from "./exact/solveCost.js";
export {
  ModalNarrowModeError,
  ModalPoleSearchError,
  ModalDegeneratePoleError,
  solveNetworkModal,
  type ModalOptions,
  type ModalSteadyState,
} from "./exact/modal.js";

// simulate: the stochastic engine
export {
  simulate,
  simulateSync,
  findEstimate,
  type SimulationOptions,
  type NoiseStream,
  type SimulationRunOptions,
  type SimulationResult,
} from "./stochastic/run.js";
export { baoab, heun, eulerMaruyama, exactOU, linearImplicit, type Scheme } from "./stochastic/integrators.js";
export {
  meanOfIndependent,
  jackknife,
  resolvedStandardErrors,
  resolvedNormalZ,
  confidenceStandardErrors,
  isResolved,
  studentTwoSidedTail,
  type Measured,
  type Estimate,
} from "./stochastic/statistics.js";
export {
  transitionKl,
  gaussianKl,
  turBound,
  areaIncrements,
  modelFreeEntropy,
  type ModelFreeEstimate,
  type ModelFreeOptions,
  type ModelFreeRow,
  type SampledTrajectory,
  type TurBound,
} from "./stochastic/modelFree.js";
export type { PairHeatRule } from "./stochastic/pairHeat.js";

// verify: the exact engine's values next to the simulated ones (linear models)
export { simulateAndVerify, simulateAndVerifySync } from "./verify/simulation.js";

// ensembles
export {
  ensemble,
  ensembleSync,
  type EnsembleOptions,
  type EnsembleJobOptions,
  type EnsembleOutputs,
  type BlockRunner,
  type RunOptions,
} from "./stochastic/ensemble.js";
export { registerSde, type SdeProblem, type SdeSettings } from "./stochastic/sde.js";
export { registerForceTerm, forceTermNames } from "./stochastic/system.js";
export type { TermField, TermContext } from "./stochastic/forceField.js";
export type { LangevinSettings, QuadraticObservable } from "./stochastic/langevinEnsemble.js";
export type { SdeFunctions } from "./stochastic/integrators.js";
export { Rng } from "./stochastic/rng.js";
export { CounterRng } from "./stochastic/counterRng.js";

// checkpoints, segmented runs, trajectories
export {
  CheckpointError,
  encodeCheckpoint,
  decodeCheckpoint,
  CheckpointReader,
  checkRestart,
  modelFingerprint,
  defaultSha256,
  type Sha256,
  type Sha256Factory,
  type Checkpoint,
  type CheckpointParameters,
  type BlockState,
  type ReplicaSnapshot,
} from "./stochastic/checkpoint.js";
export {
  runSegmented,
  checkpointParameters,
  type RecordSpec,
  type SegmentedRunOptions,
  type SegmentReport,
  type SegmentRunner,
} from "./stochastic/segments.js";
export {
  autocorrelation,
  integratedTime,
  summarizeSeries,
  type IntegratedTime,
  type SeriesSummary,
} from "./stochastic/autocorrelation.js";
export {
  structureFactor,
  concentrationWeights,
  firstMomentLength,
  type ShellStructureFactor,
} from "./stochastic/structureFactor.js";
export { configurationStructure, type ConfigurationStructure } from "./studies/two-temperature/demixing.js";
export { webWorkerRunner, type WorkerLike } from "./stochastic/webPool.js";

// studies: every study is a contract (parameters, compute, figures, report)
export { STUDIES, findStudy } from "./studies/catalog.js";
export { runStudy } from "./studies/run.js";
export {
  defineStudy,
  type Study,
  type ComputeContext,
  type Citation,
  type NamedNumber,
  type ParameterMeta,
  type ReproduceCase,
} from "./studies/contract.js";
export { varianceResonance } from "./studies/variance-resonance/definition.js";
export { energyCorrelationsStudy } from "./studies/energy-correlations/definition.js";
export { particleBathChain } from "./studies/particle-bath-chain/definition.js";
export { twoTemperature, runAndChase, ratchet, demixing, polymer } from "./studies/two-temperature/definition.js";
export { harmonicConduction } from "./studies/harmonic-conduction/definition.js";

// figures: specifications, SVG given a `document` (Node: ness/node writes SVG and PNG files); Observable Plot is
// loaded with the library (the CLI loads it only when it draws)
import "./figures/plotLoaded.js";
export { type Figure, type Table } from "./figures/figure.js";
export {
  lineChart,
  heatmapFigure,
  particleScatter,
  panelFigure,
  linePanel,
  heatmapPanel,
  particleScatterPanel,
  type Panel,
  type Series,
  type LinePanelSpec,
  type HeatmapSpec,
  type ParticleScatterSpec,
  type PanelFigureSpec,
  type FigureMeta,
} from "./figures/charts.js";
export { networkFigure, type NetworkFigureData } from "./figures/network.js";
export { trajectoryFigure, type TrajectoryFigureSpec, type TrajectorySeries } from "./figures/trajectory.js";
