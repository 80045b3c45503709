/**
 * Simulating a model: `simulate(problem, scheme, options)` with the scheme a value (`baoab({ dt })`, `heun({ dt })`,
 * ..., or `{ dt }` for the default of the dynamics). The model, scheme and options are plain structured-cloneable
 * data: an ensemble kind (ensemble.ts) whose plan is prepared in every worker; replicas run in blocks fixed by the
 * replica count, each replica draws from the streams (seed, r, .) only, and blocks are reduced in replica order, so
 * results are bit-identical whatever the number of workers.
 *
 * Every replica: initial state (the stationary law of a linear network when the caller gives its covariance, as
 * src/verify does from the exact engine; rest at the minimum otherwise; a lattice or the given positions for
 * particles), burn-in (default 10% of the run, not measured), then the production run cut into batches for the
 * error bars (statistics.ts). Divergence is a failure, not a result: every 64 steps the state must be finite and its
 * energy below 10^6 times the steady state's scale (safety.ts energyScale), every production batch's mean potential
 * energy below 100 times that scale, and every estimate and error bar finite; otherwise the run stops with a
 * SimulationError naming the stability limit, and no result is produced. Estimates are flagged reliable only when
 * their error bar can be trusted: statistically (statistics.ts, and reliability.ts's correlated-run rule: one
 * estimate with correlated batches takes the flags of the whole run), with dt within the stability limit, and with a
 * time-step bias of a stated order below 10% (reliability.ts; src/verify re-applies the rule with the exact
 * time-step bias of linear models). The engine knows nothing of the exact engine: exact values, deviations and
 * biases are attached by src/verify.
 */
import { requireObject, requireString } from "../arguments.js";
import { ModelError } from "../errors.js";
import { checkModel, type Model } from "../model/modelCheck.js";
import { describeValue } from "../model/raw.js";
import type { NetworkModel } from "../model/networkModel.js";
import type { ParticlesModel } from "../model/particles.js";
import {
  blockSizeFor,
  collectBlocks,
  prepareEnsemble,
  registerEnsembleKind,
  runPrepared,
  runPreparedSync,
  type BlockResult,
  type EnsembleOutputs,
  type EnsembleSpec,
  type PreparedEnsemble,
  type ReplicaRunner,
  type RunOptions,
} from "./ensemble.js";
import {
  FieldAccumulator,
  fieldResult,
  fieldSumsSize,
  fieldSumsViews,
  type FieldResult,
  type FieldSpec,
  type FieldSums,
  type ResolvedField,
} from "./fields.js";
import {
  integrator,
  resolveScheme,
  type Integrator,
  type LangevinState,
  type LangevinSystem,
  type Scheme,
  type SchemeName,
} from "./integrators.js";
import { fusedBaoabKernel, type FusedKernel } from "./kernels.js";
import { twoParticleKernel, type TwoParticleHeun } from "./pairKernel.js";
import { semidefiniteCholesky, type FluxEstimator } from "./linear.js";
import { matrix, type Matrix } from "../linalg/matrix.js";
import { NetworkProbe, type Probe } from "./networkProbe.js";
import { PAIR_HEAT_RULES, type PairHeatRule } from "./pairHeat.js";
import { choosePairHeatByError, PAIR_HEAT_CHECK, type PairHeatChoice } from "./pairHeatChoice.js";
import { choosePairHeat, stateHeatProblem } from "./stateHeat.js";
import { ParticleProbe } from "./particleProbe.js";
import { Rng } from "./rng.js";
import { numberAlongCurve } from "./initialOrder.js";
import { CounterRng } from "./counterRng.js";
import {
  MAX_SPLIT_THREADS,
  splitConfig,
  splitIntegrator,
  SplitStepHeat,
  splitReady,
  splitRefusal,
  type SplitConfig,
} from "./splitDisks.js";
import {
  beyondLimit,
  biasOrder,
  checkTimeStep,
  energyScale,
  networkTimeScale,
  particleStepWarnings,
  particleTimeScale,
  PositionBlowUp,
  SimulationError,
  type TimeScale,
} from "./safety.js";
import {
  applyCorrelatedRunRule,
  applyCorrelationTimeRule,
  applyRelaxationRule,
  applyTimeStepRules,
  type StatisticalVerdict,
  type TimeStepFacts,
} from "./reliability.js";
import {
  reduceBatches,
  subBatchAutocorrelations,
  SUB_BATCHES,
  type Estimate,
  type EstimandSpec,
} from "./statistics.js";
import { modelRelaxation, type ModelRelaxation } from "./relaxation.js";
import { isLinearNetwork } from "../model/networkModel.js";
import { isLinearParticles, particleStateSize } from "../problem/particles.js";
import { networkSystem, particleSystem } from "./system.js";
import { captureReplica, restoreReplica, type ReplicaSnapshot } from "./checkpoint.js";

/** The dynamics' Gaussian numbers (SimulationOptions.noise). */
export type NoiseStream = "stream" | "counter";
export const NOISE_STREAMS: readonly NoiseStream[] = ["stream", "counter"];

/** The most particles whose profile (SimulationOptions.profile) a run estimates: one estimate each. */
export const MAX_PROFILE_PARTICLES = 10_000;

/** What a simulation runs besides the problem and the scheme: plain data. */
export interface SimulationOptions {
  /** Production time per replica (> 0), after the burn-in. */
  time: number;
  /** Seed (non-negative integer < 2^53). */
  seed: number;
  /** Number of independent replicas; default 1. */
  replicas?: number;
  /** Burn-in time per replica, not measured; default 10% of `time`. */
  burnIn?: number;
  /** Batches per replica for the error bars; default max(2, ceil(32 / replicas)). */
  batches?: number;
  /**
   * Evaluate the estimators every this many steps (default 1). Only for state-function estimators (underdamped
   * models, overdamped networks with the state form): Stratonovich increments need every step.
   */
  sampleEvery?: number;
  /** Overdamped networks: Stratonovich increments (default) or their Ito state form (default for exact stepping). */
  fluxEstimator?: FluxEstimator;
  /**
   * Overdamped particles with pair interactions: "state" takes each species' pair heat as the state function
   * -(1/gamma)<p.f + T div p> (stateHeat.ts; second-order time-step bias under Heun), the default where every pair
   * force is continuous (harmonic without rest length, WCA); "exact" makes each interacting pair's two trapezoid
   * heats sum to the exact change of its energy (pairHeat.ts), the default where a pair force jumps (soft; harmonic
   * with a rest length): for 2D soft disks in cell order the force loop at the end of each step does it (about 1.3x
   * the time of a trapezoid step), otherwise one more pass over the pairs per step (docs/stochastic.md); "trapezoid"
   * is the plain trapezoid rule, with a first-order bias and an error at each kink.
   * The result's `pairHeat` says which was used.
   */
  pairHeat?: PairHeatRule;
  /**
   * Overdamped particles: false leaves out the heat flows, the entropy production and the energy balance, and the
   * pair heat is not accounted (neither in the force loop nor in a pass of its own): for runs that measure structure
   * or drift only (default true; `pairHeat` is then not used and the result has no `pairHeat`).
   */
  heat?: boolean;
  /**
   * Particles: also estimate each particle's mean squared distance from the centre of all particles (group "profile",
   * "squared distance from the centre, particle a"; unwrapped coordinates): a polymer's profile along its chain
   * (default false; at most 10 000 particles).
   */
  profile?: boolean;
  /** Estimate the full covariance (default when the state has at most 40 coordinates). */
  covariance?: boolean;
  /**
   * The dynamics' Gaussian numbers: "stream" (default) fills each step from the replica's xoshiro128** stream (rng.ts);
   * "counter" draws coordinate c's number at step s as a pure function of (seed, replica, s, c) (counterRng.ts:
   * Threefry-2x32-20), independent of the order the coordinates are processed in and of how a system is split across
   * threads (SimulationOptions.threads). The two are different numbers with the same statistics; the fused kernels
   * of small networks and of two particles draw from the stream only, so "counter" runs the generic sub-steps.
   */
  noise?: NoiseStream;
  /**
   * Runs each replica's steps split across this many threads (1 to 8; splitDisks.ts): the particles of 2D overdamped
   * soft disks in a periodic box (one soft law between every pair of species, no external potential or bonds, Heun or
   * Euler-Maruyama), integrated and their forces summed by the thread that owns their share of the particles and of
   * the cells, with counter-based noise (implied; noise "stream" is refused). The numbers are the same to the bit for
   * every number of threads, 1 included (which runs the split kernel on the calling thread); they are not the default
   * engine's (another neighbour search, other noise): the same physics. In Node with `ness/node` imported (the CLI
   * does) the shares run on worker threads over shared memory; elsewhere one after another (the same numbers).
   */
  threads?: number;
  /** Density and current fields on pairs of coordinates. */
  fields?: FieldSpec[];
  /**
   * The stationary covariance of a linear model's state (N x N row-major, in the order of the coordinates: positions,
   * then momenta), computed by the caller with the exact engine (src/verify: exactReference). A network starts every
   * replica from this Gaussian law instead of at rest; fields without a range span +-4 of its standard deviations.
   */
  stationaryCovariance?: Float64Array;
}

/** A simulation as an ensemble spec: the model, and the scheme and options as its settings. */
export interface SimulationSpec extends EnsembleSpec {
  readonly problem: Model;
  readonly settings: { scheme: Scheme<SchemeName>; options: SimulationOptions };
}

/** The spec of simulate(problem, scheme, options): plain data, for runners and cost estimates. */
export function simulationSpec(
  problem: Model,
  scheme: Scheme | { dt: number },
  options: SimulationOptions,
): SimulationSpec {
  if (problem === null || typeof problem !== "object") checkModel(problem, "simulate");
  if (options === null || typeof options !== "object")
    throw new ModelError(`simulate: options must be an object {time, seed, ...}, got ${describeValue(options)}`);
  const replicas = options.replicas ?? 1;
  return { problem, replicas, seed: options.seed, settings: { scheme: scheme as Scheme<SchemeName>, options } };
}

export interface SimulationResult {
  name?: string;
  kind: Model["kind"];
  dynamics: "underdamped" | "overdamped";
  scheme: SchemeName;
  dt: number;
  /** Production time per replica actually run (a whole number of batches). */
  time: number;
  burnIn: number;
  replicas: number;
  seed: number;
  batchesPerReplica: number;
  /** Integration steps, all replicas, burn-in included. */
  steps: number;
  /** The fastest frequency or rate and the stability limit it sets. */
  timeScale: TimeScale;
  estimates: Estimate[];
  fields: FieldResult[];
  /** True when an exact (linear) answer is shown next to the estimates (set by src/verify). */
  exact: boolean;
  warnings: string[];
  /** Overdamped networks: the flux estimators used. */
  fluxEstimator?: FluxEstimator;
  /** Overdamped particles: how the pair heat was taken (stateHeat.ts describePairHeat). */
  pairHeat?: PairHeatRule;
  /** When the model left the pair heat open: what the choice between state and trapezoid weighed (pairHeatChoice.ts). */
  pairHeatChoice?: PairHeatChoice;
  /** "counter" when the run drew counter-based noise (SimulationOptions.noise, or a split run); absent: the default. */
  noise?: "counter";
  /** True for a split run (SimulationOptions.threads: the same numbers for every number of threads). */
  split?: boolean;
  /** What the time-step rules of `reliable` were applied with (reliability.ts). */
  timeStep: TimeStepFacts;
  /** Each estimate's statistical verdict before the time-step rules, for callers that know its bias (src/verify). */
  statistical: StatisticalVerdict[];
  /** The warnings of the preparation (time step, diagnosis, model), before those of the estimates. */
  planWarnings: string[];
}

/** A prepared simulation (the same in every worker). */
export interface Plan extends PreparedEnsemble {
  model: Model;
  options: SimulationOptions;
  system: LangevinSystem;
  scheme: Scheme<SchemeName>;
  dt: number;
  nBurn: number;
  nProduction: number;
  batches: number;
  batchLength: number;
  replicas: number;
  blockSize: number;
  probe: Probe;
  K: number;
  estimands: EstimandSpec[];
  fields: ResolvedField[];
  coordinates: string[];
  timeScale: TimeScale;
  warnings: string[];
  /** Overdamped networks: the flux estimators (Stratonovich increments or their state form). */
  fluxEstimator?: FluxEstimator;
  /** Networks: whether the covariance of the coordinates is estimated (the option, or its default: N <= 40). */
  covariance?: boolean;
  /** Overdamped particles: how the pair heat is taken. */
  pairHeat?: PairHeatRule;
  /**
   * The probe also samples the trapezoid heat (group PAIR_HEAT_CHECK) and the results report the pair heat with the
   * smaller estimated mean squared error (pairHeatChoice.ts).
   */
  heatCheck: boolean;
  /** Sets the initial state of a replica. */
  initialize(st: LangevinState, rng: Rng): void;
  /** A fused kernel replacing stepper + probe (small linear underdamped networks without fields). */
  kernel: FusedKernel | null;
  /** The fused Heun step and probe of two overdamped particles (pairKernel.ts), or null. */
  pairKernel: TwoParticleHeun | null;
  /** One system split across threads (SimulationOptions.threads; splitDisks.ts), or null. */
  split: SplitConfig | null;
  /** A split run's step heat (the kernel fills it, the probe reads it), or null. */
  splitHeat: SplitStepHeat | null;
  /** The dynamics draw counter-based noise (SimulationOptions.noise "counter", or a split run). */
  counterNoise: boolean;
  sampleEvery: number;
  /**
   * Sub-batches per batch (statistics.ts SUB_BATCHES, or 1 when a batch is too short to cut): each replica's output
   * holds, after its batch means, the running sums of every batch at the starts of its sub-batches 2..subBatches
   * (batches x (subBatches - 1) x K numbers), from which the reduction takes each estimate's correlation time
   * (reliability.ts applyCorrelationTimeRule). Values and error bars come from the batch means alone.
   */
  subBatches: number;
  /** Steps of a sub-batch (the last one of a batch takes the remainder too). */
  subLength: number;
  /** dt is beyond an estimated stability limit (exact limits are refused): no estimate is flagged reliable. */
  unstable: boolean;
  /** The stated order of the relative time-step bias (safety.ts biasOrder). */
  biasOrder: number;
  /** Energy scale of the steady state (equipartition plus bounded terms): the divergence checks' unit. */
  energyScale: number;
  /**
   * Nonlinear models: the slowest relaxation rate estimated from the model (relaxation.ts), with which the
   * slowest-mode rule of "reliable" is applied to every run (reliability.ts applyRelaxationRule, with the burn-in);
   * absent for linear models (their exact rate is src/verify's) and for models it is not estimated for.
   */
  relaxation?: ModelRelaxation;
}

const positiveFinite = (what: string, v: number) => {
  if (typeof v !== "number" || !Number.isFinite(v) || v <= 0)
    throw new ModelError(`${what} must be a positive finite number, got ${String(v)}`);
};

/**
 * The most memory a run that keeps sub-batch sums (Plan.subBatches) may hold for its outputs (outputBytesHeld: the
 * batch means and sub-batch sums, at their peak); a run that would need more keeps none, and its estimates are judged
 * without their own correlation times.
 */
export const MAX_SUB_BATCH_BYTES = 256 * 1024 ** 2;

/**
 * The bytes a run's outputs take at their peak, with `subBatches` sub-batches a batch (replicas x batches x K x
 * subBatches numbers): twice while the blocks are collected (ensemble.ts collectBlocks: the blocks' outputs and the
 * collected copy), after which the reduction adds only a copy of the batch means and two series of sub-batch values
 * (statistics.ts subBatchAutocorrelations), less than the blocks it freed.
 */
export function outputBytesHeld(replicas: number, batches: number, K: number, subBatches: number): number {
  return 2 * 8 * replicas * batches * K * subBatches;
}

/** Validates the problem, scheme and options and prepares a plan (throws ModelError / SimulationError for bad inputs). */
export function preparePlan(problem: Model, schemeSpec: Scheme | { dt: number }, options: SimulationOptions): Plan {
  checkModel(problem, "simulate");
  if (options === null || typeof options !== "object")
    throw new ModelError(`simulate: options must be an object {time, seed, ...}, got ${describeValue(options)}`);
  const o = options;
  const legacy = o as { dt?: unknown; scheme?: unknown };
  if (legacy.scheme !== undefined || legacy.dt !== undefined) {
    throw new ModelError(
      "simulate: the scheme and dt are the second argument, simulate(problem, heun({ dt }), options), not options",
    );
  }
  const model = problem;
  const schemeValue = resolveScheme(schemeSpec, model.dynamics);
  const scheme = schemeValue.scheme;
  positiveFinite("time", o.time);
  if (!Number.isSafeInteger(o.seed) || o.seed < 0)
    throw new ModelError(`seed must be a non-negative integer, got ${String(o.seed)}`);
  const replicas = o.replicas ?? 1;
  if (!Number.isSafeInteger(replicas) || replicas < 1)
    throw new ModelError(`replicas must be a positive integer, got ${String(replicas)}`);
  const burnIn = (o.burnIn ?? 0.1 * o.time) + 0; // + 0: no -0
  if (typeof burnIn !== "number" || !Number.isFinite(burnIn) || burnIn < 0) {
    throw new ModelError(`burn-in must be a finite number >= 0 (a time, not measured), got ${String(o.burnIn)}`);
  }
  const batches = o.batches ?? Math.min(64, Math.max(2, Math.ceil(32 / replicas)));
  if (!Number.isSafeInteger(batches) || batches < 1)
    throw new ModelError(`batches must be a positive integer, got ${String(o.batches)}`);
  if (batches * replicas < 2)
    throw new ModelError("an error bar needs at least 2 batch values: give batches >= 2 or replicas >= 2");
  const dt = schemeValue.dt;
  const batchLength = Math.floor(o.time / dt / batches);
  const nProduction = batchLength * batches;
  const perReplica = (o.time + burnIn) / dt;
  if (!(perReplica <= Number.MAX_SAFE_INTEGER)) {
    const steps = Number.isFinite(perReplica)
      ? `${perReplica.toExponential(2)} steps per replica`
      : "more steps than a number can hold";
    throw new ModelError(
      `this run asks for ${steps} (time and burn-in over dt), more than can be counted (2^53): shorten the time or the burn-in, or use a larger dt`,
    );
  }
  const nBurn = Math.round(burnIn / dt);
  const warnings: string[] = [];
  if (o.noise !== undefined && !NOISE_STREAMS.includes(o.noise))
    throw new ModelError(`noise must be ${NOISE_STREAMS.join(" or ")}, got ${describeValue(o.noise)}`);
  if (o.threads !== undefined) {
    if (!Number.isSafeInteger(o.threads) || o.threads < 1 || o.threads > MAX_SPLIT_THREADS)
      throw new ModelError(
        `threads must be an integer from 1 to ${MAX_SPLIT_THREADS}, got ${describeValue(o.threads)}`,
      );
    if (o.noise === "stream")
      throw new ModelError('threads splits a system with counter-based noise: remove noise: "stream" (--noise stream)');
    const refusal =
      model.kind === "particles"
        ? splitRefusal(model, scheme)
        : "it is for particles (2D overdamped soft disks), not networks";
    if (refusal !== null) throw new ModelError(`threads (splitting one system across threads): ${refusal}`);
  }
  const counterNoise = o.noise === "counter" || o.threads !== undefined;
  let split: SplitConfig | null = null;
  let splitHeat: SplitStepHeat | null = null;

  let system: LangevinSystem, probe: Probe, estimands: EstimandSpec[], timeScale: TimeScale;
  // The coordinates' names, made when first read (a particle run's are two strings per particle in 2D: tens of
  // milliseconds at N = 10^5; only fields, recorded states and small systems' covariances read them).
  let coordinateCount: number, coordinateNames: () => string[];
  let initialize: Plan["initialize"];
  let stratonovich = false;
  let heatCheck = false;
  let kernel: FusedKernel | null = null;
  let pairKernel: TwoParticleHeun | null = null;
  let fluxEstimator: FluxEstimator | undefined;
  let networkCovariance: boolean | undefined;
  let plannedPairHeat: PairHeatRule | undefined;
  if (model.kind === "network") {
    if (o.heat === false) throw new ModelError("heat: false is for overdamped particles, not networks");
    if (o.profile === true) throw new ModelError("profile: true is for particles, not networks");
    const built = networkSystem(model, { exactStepping: scheme === "exact" });
    system = built.system;
    warnings.push(...built.warnings);
    if (scheme === "exact" && !system.linear)
      throw new ModelError(
        "exact stepping needs a linear model; this network has quartic terms (use baoab, heun or euler-maruyama)",
      );
    fluxEstimator = o.fluxEstimator ?? (scheme === "exact" ? "state" : "stratonovich");
    stratonovich = model.dynamics === "overdamped" && fluxEstimator === "stratonovich";
    const N = model.dynamics === "underdamped" ? 2 * model.sites.length : model.sites.length;
    networkCovariance = o.covariance ?? N <= 40;
    const np = new NetworkProbe(model, built.field, dt, networkCovariance, fluxEstimator);
    probe = np;
    estimands = np.estimands();
    coordinateCount = N;
    coordinateNames = () => np.coordinateNames();
    timeScale = networkTimeScale(model);
    initialize = networkInitializer(model, stationaryCovariance(o, N));
    if (scheme === "baoab" && schemeValue.fused !== false && (o.fields ?? []).length === 0)
      kernel = fusedBaoabKernel(model, dt, np.covariance);
  } else {
    // A split run steps with its own kernel and lists (splitDisks.ts): the default engine's pair field is not built.
    const built = particleSystem(model, { exactStepping: scheme === "exact", withoutPairs: o.threads !== undefined });
    system = built.system;
    if (scheme === "exact" && !system.linear)
      throw new ModelError("exact stepping needs a linear model: harmonic pairs and traps at the origin in open space");
    if (o.fluxEstimator === "state")
      throw new ModelError("particle systems use the Stratonovich estimators; remove fluxEstimator: state");
    if (o.pairHeat !== undefined && !PAIR_HEAT_RULES.includes(o.pairHeat))
      throw new ModelError(`pairHeat must be ${PAIR_HEAT_RULES.join(", ")}, got ${String(o.pairHeat)}`);
    if (o.heat !== undefined && typeof o.heat !== "boolean")
      throw new ModelError(`heat must be true or false, got ${describeValue(o.heat)}`);
    if (o.heat === false && model.dynamics !== "overdamped")
      throw new ModelError("heat: false is for overdamped particles (underdamped heat flows cost nothing extra)");
    if (o.profile !== undefined && typeof o.profile !== "boolean")
      throw new ModelError(`profile must be true or false, got ${describeValue(o.profile)}`);
    if (o.profile === true && model.speciesOf.length > MAX_PROFILE_PARTICLES)
      throw new ModelError(
        `profile: true estimates one distance per particle, for at most ${MAX_PROFILE_PARTICLES} particles; this model has ${model.speciesOf.length}`,
      );
    // heat: false: no heat estimates, so no pair heat to take and none of its time-step warnings.
    const heat = o.heat !== false;
    const pairHeat = o.pairHeat ?? choosePairHeat(model);
    if (model.dynamics === "overdamped" && heat) plannedPairHeat = pairHeat;
    // The trapezoid sums carry a first-order bias; the state-function heat does not (stateHeat.ts).
    stratonovich = model.dynamics === "overdamped" && heat && pairHeat !== "state";
    const stateProblem = heat && pairHeat === "state" ? stateHeatProblem(model) : null;
    if (model.dynamics === "overdamped" && stateProblem)
      warnings.push(
        `heat flows and entropy production are biased: ${stateProblem}; pairHeat "exact" (--pair-heat exact) sums each pair's heats exactly`,
      );
    // Left open, the state heat is checked against the trapezoid in the same run and the one with the smaller
    // estimated mean squared error is reported (pairHeatChoice.ts).
    // Not with a kinked pair force (WCA at its cutoff): there the trapezoid errs at each crossing, a bias that the
    // first-order estimate does not cover, and the state function stays.
    heatCheck =
      heat &&
      o.pairHeat === undefined &&
      pairHeat === "state" &&
      model.dynamics === "overdamped" &&
      !model.pairs.some((r) => r.pair.potential === "wca");
    // A split run steps with its own kernel, which takes the step's pair heat in its own force loop.
    if (o.threads !== undefined) splitHeat = new SplitStepHeat(model);
    const pp = new ParticleProbe(
      model,
      dt,
      built.external,
      pairHeat,
      o.threads !== undefined ? splitHeat : built.pairs,
      heatCheck,
      heat,
      o.profile === true,
    );
    if (o.threads !== undefined) split = splitConfig(model, dt, o.threads, pp.needsPrevious, splitHeat);
    const kinked = model.pairs
      .filter((r) => r.pair.potential === "soft" || r.pair.potential === "wca")
      .map((r) => r.pair.potential);
    if (model.dynamics === "overdamped" && heat && pairHeat === "trapezoid" && kinked.length > 0) {
      warnings.push(
        `heat flows and entropy production take the pair heat by the trapezoid rule, which errs where the ${kinked[0]} pair force ` +
          "has a kink (its cutoff): a bias that shrinks slowly with dt and shows most near equal temperatures; " +
          'pairHeat "exact" (--pair-heat exact) removes it at up to 2.6x the cost',
      );
    }
    probe = pp;
    pairKernel = twoParticleKernel({
      model,
      scheme,
      dt,
      fused: schemeValue.fused !== false,
      pairs: built.pairs,
      heat,
      pairHeat,
      heatCheck,
      sampleEvery: o.sampleEvery ?? 1,
      probeSize: pp.size,
    });
    estimands = pp.estimands();
    coordinateCount = particleStateSize(model);
    coordinateNames = () => pp.coordinateNames();
    timeScale = particleTimeScale(model);
    warnings.push(...particleStepWarnings(model, dt));
    initialize = particleInitializer(model);
  }
  if (scheme !== "exact" && (scheme === "baoab") !== (model.dynamics === "underdamped")) {
    throw new ModelError(
      `scheme ${scheme} does not integrate ${model.dynamics} dynamics (use ${model.dynamics === "underdamped" ? "baoab or exact" : "heun, euler-maruyama or exact"})`,
    );
  }
  warnings.unshift(...checkTimeStep(timeScale, scheme, dt, stratonovich));
  const unstable = beyondLimit(timeScale, scheme, dt);
  const sampleEvery = o.sampleEvery ?? 1;
  if (!Number.isSafeInteger(sampleEvery) || sampleEvery < 1)
    throw new ModelError(`sampleEvery must be a positive integer, got ${String(o.sampleEvery)}`);
  if (sampleEvery > 1 && probe.needsPrevious)
    throw new ModelError(
      "the Stratonovich estimators of this model need every step: remove sampleEvery (--sample-every)",
    );
  if (sampleEvery > 1) kernel = null;
  // The fused kernels draw from the xoshiro stream (their inlined ziggurat): counter noise runs the sub-steps.
  if (counterNoise) {
    kernel = null;
    pairKernel = null;
  }
  if (batchLength < 1)
    throw new ModelError(
      `time ${o.time} is shorter than ${batches} batches of one step dt = ${dt}: run longer or use a smaller dt`,
    );
  const covariance = stationaryCovariance(o, coordinateCount);
  let names: string[] | undefined;
  const coordinates = () => (names ??= coordinateNames());
  const fields = (o.fields ?? []).map((f) => resolveField(f, model, coordinates(), covariance));
  const K = probe.size;
  // every sub-batch holds at least one sample, and the memory they make the run hold is at most MAX_SUB_BATCH_BYTES
  const subBatches =
    Math.floor(batchLength / SUB_BATCHES) >= sampleEvery &&
    outputBytesHeld(replicas, batches, K, SUB_BATCHES) <= MAX_SUB_BATCH_BYTES
      ? SUB_BATCHES
      : 1;
  const subLength = Math.floor(batchLength / subBatches);
  const plan: Plan = {
    model,
    options: o,
    system,
    scheme: schemeValue,
    dt,
    nBurn,
    nProduction,
    batches,
    batchLength,
    replicas,
    blockSize: blockSizeFor(replicas),
    probe,
    K,
    estimands,
    fields,
    get coordinates(): string[] {
      return coordinates();
    },
    timeScale,
    warnings,
    fluxEstimator,
    ...(networkCovariance !== undefined ? { covariance: networkCovariance } : {}),
    ...(plannedPairHeat !== undefined ? { pairHeat: plannedPairHeat } : {}),
    heatCheck,
    initialize,
    kernel,
    pairKernel,
    split,
    splitHeat,
    counterNoise,
    sampleEvery,
    unstable,
    biasOrder: biasOrder(timeScale, scheme, dt, stratonovich),
    energyScale: energyScale(model, system),
    ...relaxationOf(model),
    stepsPerReplica: nBurn + nProduction,
    subBatches,
    subLength,
    perReplica: batches * K * subBatches,
    perBlock: fields.reduce((s, f) => s + fieldSumsSize(f), 0),
    sliceSteps: Math.max(1, Math.floor(4e5 / (system.dof * 4 + K + 16))),
    replica: (r, out, sums) => new ReplicaRun(plan, r, fieldSumsViews(fields, sums), out),
  };
  return plan;
}

/**
 * The plan with the engine's own estimators left out: its replicas run the same steps (the same noise, forces and
 * trajectories to the bit) without the per-step sampling pass and without keeping the previous step's state, and
 * their batch means stay 0. For a caller that measures the state itself between ReplicaRun.advance() calls and reads
 * none of the engine's estimates (the demixing study without its entropy production): 3-8% of a step of 2D soft
 * disks. A plan with a fused kernel (which samples as it steps), a split run or fields is returned as it is.
 */
export function withoutEngineEstimators(plan: Plan): Plan {
  if (plan.kernel || plan.pairKernel || plan.split || plan.fields.length > 0) return plan;
  const probe: Probe = { size: plan.probe.size, needsPrevious: false, sample: () => {} };
  const out: Plan = Object.defineProperties({}, Object.getOwnPropertyDescriptors(plan)) as Plan;
  const replica: Plan["replica"] = (r, o, sums) => new ReplicaRun(out, r, fieldSumsViews(out.fields, sums), o);
  Object.assign(out, { probe, replica });
  return out;
}

/** Prepares a simulation spec (what workers do with it). */
function prepareSpec(spec: EnsembleSpec): Plan {
  const s = spec as SimulationSpec;
  if (s.settings === null || typeof s.settings !== "object")
    throw new ModelError(`simulate: expected settings { scheme, options }, got ${describeValue(s.settings)}`);
  const o = s.settings.options;
  if (o === null || typeof o !== "object")
    throw new ModelError(`simulate: options must be an object {time, seed, ...}, got ${describeValue(o)}`);
  return preparePlan(s.problem, s.settings.scheme, { ...o, seed: spec.seed, replicas: spec.replicas });
}

registerEnsembleKind("network", prepareSpec);
registerEnsembleKind("particles", prepareSpec);

/** The stationary covariance of the options as an N x N matrix (ModelError unless it has N x N finite entries), or undefined. */
function stationaryCovariance(o: SimulationOptions, N: number): Matrix | undefined {
  const c = o.stationaryCovariance;
  if (c === undefined) return undefined;
  if (!(c instanceof Float64Array) || c.length !== N * N || !c.every(Number.isFinite)) {
    throw new ModelError(
      `stationaryCovariance must be a Float64Array of ${N} x ${N} finite numbers (the state's covariance), got ${describeValue(c)}`,
    );
  }
  return matrix(N, N, c);
}

function networkInitializer(model: NetworkModel, covariance: Matrix | undefined): Plan["initialize"] {
  if (!covariance) return () => undefined; // start at rest at the minimum; the burn-in thermalises
  const L = semidefiniteCholesky(covariance);
  const N = L.rows,
    n = model.sites.length;
  const xi = new Float64Array(N);
  return (st, rng) => {
    rng.fillNormal(xi, 0, N);
    for (let i = 0; i < N; i++) {
      let s = 0;
      for (let j = 0; j <= i; j++) s += L.data[i * N + j] * xi[j];
      if (i < n) st.x[i] = s;
      else st.p![i - n] = s;
    }
  };
}

/**
 * From this many particles a random start is numbered along a space-filling curve (numberAlongCurve): the engines'
 * arrays then outgrow the cache and the numbering keeps the accesses of a force evaluation near each other in memory.
 * Smaller runs, and runs with bonds (which tell particles of a species apart), keep the draw's numbering (and their
 * numbers for a given seed).
 */
export const CURVE_FROM = 4096;

export function particleInitializer(model: ParticlesModel): Plan["initialize"] {
  const N = model.speciesOf.length,
    d = model.dimension;
  return (st, rng) => {
    const x = st.x;
    if (model.initial instanceof Float64Array) {
      x.set(model.initial);
    } else if (model.initial === "random") {
      for (let a = 0; a < N; a++) for (let k = 0; k < d; k++) x[a * d + k] = rng.uniform() * model.box![k];
      // Large runs without bonds: each species numbered along a space-filling curve from a random point
      // (initialOrder.ts; bonds tell particles of a species apart).
      if (N >= CURVE_FROM && !(model.bonds && model.bonds.length > 0)) {
        const origin = new Float64Array(d);
        for (let k = 0; k < d; k++) origin[k] = rng.uniform() * model.box![k];
        numberAlongCurve(x, model.speciesOf, model.species.length, d, model.box!, origin);
      }
    } else {
      // Lattice, species mixed by a random permutation, small jitter.
      const side = Math.ceil(N ** (1 / d) - 1e-9);
      const perm = Array.from({ length: N }, (_, a) => a);
      for (let a = N - 1; a > 0; a--) {
        const b = Math.floor(rng.uniform() * (a + 1));
        [perm[a], perm[b]] = [perm[b], perm[a]];
      }
      for (let site = 0; site < N; site++) {
        const a = perm[site];
        let rest = site;
        for (let k = 0; k < d; k++) {
          const c = rest % side;
          rest = Math.floor(rest / side);
          const spacing = model.box ? model.box[k] / side : 1;
          const origin = model.box ? 0 : -0.5 * (side - 1);
          x[a * d + k] = (origin + c + 0.5 * (model.box ? 1 : 0)) * spacing + 0.01 * spacing * (rng.uniform() - 0.5);
        }
      }
    }
    if (st.p) {
      for (let a = 0; a < N; a++) {
        const s = model.species[model.speciesOf[a]];
        for (let k = 0; k < d; k++) st.p[a * d + k] = Math.sqrt(s.mass * s.temperature) * rng.normal();
      }
    }
  };
}

function resolveField(
  f: FieldSpec,
  model: Model,
  coordinates: string[],
  covariance: Matrix | undefined,
): ResolvedField {
  const index = f.coordinates.map((c) => {
    const k = coordinates.indexOf(c);
    if (k < 0)
      throw new ModelError(
        `field coordinate '${c}' is unknown (coordinates are ${coordinates.slice(0, 8).join(", ")}${coordinates.length > 8 ? ", ..." : ""})`,
      );
    return k;
  }) as [number, number];
  const bins = f.bins ?? [40, 40];
  if (!bins.every((b) => Number.isSafeInteger(b) && b >= 1 && b <= 1000))
    throw new ModelError("field bins must be integers between 1 and 1000");
  const wrap: [number, number] = [0, 0];
  const range = index.map((k, axis) => {
    if (f.range) return f.range[axis];
    if (model.kind === "particles" && model.box && k < model.speciesOf.length * model.dimension) {
      wrap[axis] = model.box[k % model.dimension];
      return [0, wrap[axis]];
    }
    if (covariance) {
      const sd = Math.sqrt(covariance.data[k * covariance.cols + k]);
      return [-4 * sd, 4 * sd];
    }
    throw new ModelError(
      `field on ${f.coordinates.join(", ")}: give its range (--field-range lo1,hi1,lo2,hi2 in ness simulate; range: [[lo, hi], [lo, hi]] in the library): it cannot be derived for this model (no periodic box along these coordinates, no exact covariance)`,
    );
  }) as [[number, number], [number, number]];
  if (model.kind === "particles" && model.box) {
    index.forEach((k, axis) => {
      if (k < model.speciesOf.length * model.dimension) wrap[axis] = model.box![k % model.dimension];
    });
  }
  for (const [lo, hi] of range) if (!(hi > lo)) throw new ModelError(`field range [${lo}, ${hi}] is empty`);
  return { coordinates: f.coordinates, index, bins: [bins[0], bins[1]], range, wrap };
}

/** One replica's run, advanced in slices (so callers can report progress and honour cancellation). */
export class ReplicaRun implements ReplicaRunner {
  readonly integrator: Integrator;
  readonly state: LangevinState;
  readonly total: number;
  step = 0;
  private readonly values: Float64Array;
  private readonly sums: Float64Array;
  readonly batchMeans: Float64Array;
  /** The running sums inside each batch (Plan.subBatches), or null (one sub-batch, or a caller's own output). */
  private readonly subSums: Float64Array | null;
  private batch = 0;
  private inBatch = 0;
  /** inBatch at the next sub-batch start (whose running sums are kept), or -1: none left in this batch. */
  private nextSub = -1;
  private readonly fieldAcc: FieldAccumulator[];
  private readonly rng: Rng;
  private readonly packed: Float64Array | null;
  private readonly burnSums: Float64Array | null;
  /** Divergence checks: the bound on the energy, the scale of batch-mean energies, this batch's potential energy sum. */
  private readonly energyLimit: number;
  private readonly energyFloor: number;
  private energySum = 0;

  /**
   * Starts replica `replica` (its batch means go into `batchMeans`, its field batches into `fieldSums`), or, given
   * `resume` (checkpoint.ts), continues it from that snapshot exactly as if it had never stopped.
   */
  constructor(
    private readonly plan: Plan,
    readonly replica: number,
    private readonly fieldSums: FieldSums[],
    batchMeans?: Float64Array,
    resume?: ReplicaSnapshot,
  ) {
    const dyn = plan.counterNoise
      ? CounterRng.counterStream(plan.options.seed, replica, 0)
      : Rng.stream(plan.options.seed, replica, 0);
    this.rng = dyn;
    // The replica's running sums and scratch in one buffer (views): a short replica's allocations were a visible
    // part of a large ensemble's time (typed arrays beyond 64 bytes each get a backing store of their own).
    const K = plan.K,
      packedLength = plan.kernel ? 3 * plan.system.dof : 0;
    const scratch = new Float64Array((plan.kernel ? 3 : 2) * K + packedLength);
    this.values = scratch.subarray(0, K);
    this.sums = scratch.subarray(K, 2 * K);
    this.packed = plan.kernel ? scratch.subarray(2 * K, 2 * K + packedLength) : null;
    this.burnSums = plan.kernel ? scratch.subarray(2 * K + packedLength) : null;
    // The plan's force field is shared by the replicas a thread runs: forget what the previous one left (neighbour
    // lists, cell order), so a replica's numbers do not depend on which replicas ran before it in this thread.
    plan.system.forces.reset?.();
    this.integrator = plan.split
      ? splitIntegrator(plan.split, plan.scheme, plan.splitHeat)
      : integrator(plan.system, plan.scheme, plan.probe.needsPrevious);
    this.state = this.integrator.init(dyn);
    this.total = plan.nBurn + plan.nProduction;
    // The plan's output: the batch means, then the running sums inside the batches; a caller's output of the batch
    // means alone (a study's own layout) keeps no sub-batches.
    const out = batchMeans ?? new Float64Array(plan.perReplica);
    const means = plan.batches * plan.K;
    this.batchMeans = out.subarray(0, means);
    this.subSums = plan.subBatches > 1 && out.length >= plan.perReplica ? out.subarray(means, plan.perReplica) : null;
    this.fieldAcc = plan.fields.map((f) => new FieldAccumulator(f, plan.dt));
    if (resume) {
      const r = restoreReplica(resume, {
        replica,
        state: this.state,
        // A split run's neighbour lists are its integrator's.
        forces: plan.split ? this.integrator : plan.system.forces,
        sums: this.sums,
        burnSums: this.burnSums,
        fields: this.fieldAcc,
      });
      this.step = resume.step;
      this.batch = r.batch;
      this.inBatch = r.inBatch;
      this.energySum = r.energySum;
      this.energyLimit = r.energyLimit;
      this.energyFloor = r.energyFloor;
      this.setNextSub();
      return;
    }
    this.setNextSub();
    const init = Rng.stream(plan.options.seed, replica, 1);
    plan.initialize(this.state, init);
    this.integrator.force(this.state);
    if (plan.nBurn === 0) for (const fa of this.fieldAcc) fa.prime(this.state.x, this.state.p);
    this.checkFinite();
    const e0 = Math.abs(this.energy());
    this.energyLimit = DIVERGENCE_FACTOR * plan.energyScale + 10 * e0;
    this.energyFloor = Math.max(plan.energyScale, e0);
  }

  /** Everything this replica carries from one step to the next (checkpoint.ts), copied. */
  snapshot(): ReplicaSnapshot {
    return captureReplica({
      replica: this.replica,
      step: this.step,
      batch: this.batch,
      inBatch: this.inBatch,
      energySum: this.energySum,
      energyLimit: this.energyLimit,
      energyFloor: this.energyFloor,
      state: this.state,
      forces: this.plan.split ? this.integrator : this.plan.system.forces,
      sums: this.sums,
      burnSums: this.burnSums,
      fields: this.fieldAcc,
    });
  }

  /** The current state's coordinates, momenta, forces and potential (read only; for trajectories). */
  get current(): LangevinState {
    return this.state;
  }

  get done(): boolean {
    return this.step >= this.total;
  }

  /**
   * Runs up to `maxSteps` steps; returns how many were run. A position that no cell sort can take (PositionBlowUp,
   * thrown by the pair search between the checks every 64 steps) stops the run as a blow-up in the step that made it.
   */
  advance(maxSteps: number): number {
    try {
      return this.advanceSteps(maxSteps);
    } catch (e) {
      if (e instanceof PositionBlowUp) this.blowUp(e.what, this.step + 1);
      throw e;
    }
  }

  private advanceSteps(maxSteps: number): number {
    if (this.plan.kernel) return this.advanceFused(maxSteps, this.plan.kernel);
    if (this.plan.pairKernel) return this.advancePair(maxSteps, this.plan.pairKernel);
    const plan = this.plan,
      st = this.state,
      step = this.integrator.step,
      probe = plan.probe;
    const K = plan.K,
      values = this.values,
      sums = this.sums;
    const nBurn = plan.nBurn,
      L = plan.batchLength,
      every = plan.sampleEvery;
    const end = Math.min(this.total, this.step + maxSteps);
    const start = this.step;
    const fields = this.fieldAcc;
    while (this.step < end) {
      // The burn-in's steps are not sampled: their pair heat is not accounted (the same forces and numbers).
      st.accountStep = this.step >= nBurn;
      step(st);
      this.step++;
      if ((this.step & 63) === 0) this.checkState();
      if (this.step <= nBurn) {
        if (this.step === nBurn) for (const fa of fields) fa.prime(st.x, st.p);
        continue;
      }
      this.energySum += st.potential;
      if (this.inBatch % every === 0) {
        probe.sample(st, values);
        for (let k = 0; k < K; k++) sums[k] += values[k];
      }
      for (let f = 0; f < fields.length; f++) fields[f].sample(st.x, st.p);
      if (++this.inBatch === L) this.endBatch(Math.ceil(L / every));
      else if (this.inBatch === this.nextSub) this.endSub();
    }
    if (this.done) this.checkState();
    return this.step - start;
  }

  /** The end of a production batch: its means (over `samples` samples), the fields' batch, the energy check. */
  private endBatch(samples: number): void {
    const K = this.plan.K,
      sums = this.sums,
      off = this.batch * K;
    for (let k = 0; k < K; k++) {
      const m = sums[k] / samples;
      if (!Number.isFinite(m)) this.blowUp();
      this.batchMeans[off + k] = m;
      sums[k] = 0;
    }
    for (let f = 0; f < this.fieldAcc.length; f++) this.fieldAcc[f].endBatch(this.fieldSums[f]);
    this.endBatchEnergy();
    this.batch++;
    this.inBatch = 0;
    this.setNextSub();
  }

  /** The next sub-batch start after inBatch (-1: none in this batch, or no sub-batches kept). */
  private setNextSub(): void {
    const S = this.plan.subBatches,
      j = Math.floor(this.inBatch / this.plan.subLength) + 1;
    this.nextSub = this.subSums !== null && j < S ? j * this.plan.subLength : -1;
  }

  /** A sub-batch start inside a batch: keeps the batch's running sums (the batch sums go on unchanged). */
  private endSub(): void {
    const K = this.plan.K,
      S = this.plan.subBatches,
      j = this.inBatch / this.plan.subLength,
      off = (this.batch * (S - 1) + j - 1) * K;
    const sums = this.sums,
      sub = this.subSums!;
    for (let k = 0; k < K; k++) sub[off + k] = sums[k];
    this.setNextSub();
  }

  /**
   * advance() with the two-particle kernel: runs of steps up to the next check (every 64 steps), the end of the
   * burn-in or of a batch, so the checks, batches and sums are those of the generic loop, in the same order.
   */
  private advancePair(maxSteps: number, kernel: TwoParticleHeun): number {
    const plan = this.plan,
      st = this.state,
      nBurn = plan.nBurn,
      L = plan.batchLength;
    const end = Math.min(this.total, this.step + maxSteps);
    const start = this.step;
    while (this.step < end) {
      let m = Math.min(end, (this.step | 63) + 1) - this.step;
      if (this.step < nBurn) {
        m = Math.min(m, nBurn - this.step);
        kernel.run(st, m, null, 0, NO_FIELDS);
        this.step += m;
        if (this.step === nBurn) for (const fa of this.fieldAcc) fa.prime(st.x, st.p);
      } else {
        m = Math.min(m, (this.nextSub > 0 ? this.nextSub : L) - this.inBatch);
        this.energySum = kernel.run(st, m, this.sums, this.energySum, this.fieldAcc);
        this.step += m;
        this.inBatch += m;
        // The state check before the batch's end, as in the generic loop (the same error when both would fail).
        if ((this.step & 63) === 0) this.checkState();
        if (this.inBatch === L) this.endBatch(L);
        else if (this.inBatch === this.nextSub) this.endSub();
        continue;
      }
      if ((this.step & 63) === 0) this.checkState();
    }
    if (this.done) this.checkState();
    return this.step - start;
  }

  private advanceFused(maxSteps: number, kernel: FusedKernel): number {
    const plan = this.plan,
      st = this.state,
      n = plan.system.dof,
      K = plan.K;
    const packed = this.packed!,
      sums = this.sums;
    packed.set(st.x, 0);
    packed.set(st.p!, n);
    packed.set(st.f, 2 * n);
    const end = Math.min(this.total, this.step + maxSteps);
    const start = this.step;
    while (this.step < end) {
      if (this.step < plan.nBurn) {
        const m = Math.min(end, plan.nBurn) - this.step;
        kernel(packed, this.rng, this.burnSums!, m);
        this.step += m;
      } else {
        const m = Math.min(end - this.step, (this.nextSub > 0 ? this.nextSub : plan.batchLength) - this.inBatch);
        kernel(packed, this.rng, sums, m);
        this.step += m;
        this.inBatch += m;
        if (this.inBatch === plan.batchLength) {
          const off = this.batch * K;
          for (let k = 0; k < K; k++) {
            this.batchMeans[off + k] = sums[k] / plan.batchLength;
            sums[k] = 0;
          }
          this.batch++;
          this.inBatch = 0;
          this.setNextSub();
        } else if (this.inBatch === this.nextSub) this.endSub();
      }
      let s = 0;
      for (let i = 0; i < packed.length; i++) s += packed[i];
      if (!Number.isFinite(s)) this.blowUp();
    }
    st.x.set(packed.subarray(0, n));
    st.p!.set(packed.subarray(n, 2 * n));
    st.f.set(packed.subarray(2 * n, 3 * n));
    return this.step - start;
  }

  private checkFinite(): void {
    const st = this.state;
    let s = st.potential;
    const x = st.x;
    for (let i = 0; i < x.length; i++) s += x[i];
    if (st.p) for (let i = 0; i < st.p.length; i++) s += st.p[i];
    if (!Number.isFinite(s)) this.blowUp();
  }

  /** Potential plus kinetic energy of the current state. */
  private energy(): number {
    const st = this.state;
    let e = st.potential;
    if (st.p) {
      const m = this.plan.system.mass;
      for (let i = 0; i < st.p.length; i++) e += (0.5 * st.p[i] * st.p[i]) / m[i];
    }
    return e;
  }

  /**
   * Every 64 steps: a non-finite state is a blow-up; an energy beyond DIVERGENCE_FACTOR times the steady state's
   * scale (or 10 times the initial energy) is a divergence.
   */
  private checkState(): void {
    this.checkFinite();
    const e = this.energy();
    if (Math.abs(e) > this.energyLimit) {
      this.diverged(
        `its energy reached ${g(e)}, over 10^${Math.log10(DIVERGENCE_FACTOR)} times the steady state's scale ${g(this.plan.energyScale)} (coordinates x the highest temperature)`,
      );
    }
  }

  /**
   * End of a production batch: a steady state holds an energy of order its scale (equipartition at the highest
   * temperature, plus the bounded terms), so a batch whose mean potential energy exceeds BATCH_ENERGY_FACTOR times
   * that scale (and the initial energy) has left it: growing without bound, or thrown about by a time step it
   * cannot take.
   */
  private endBatchEnergy(): void {
    const mean = this.energySum / this.plan.batchLength;
    this.energySum = 0;
    if (Math.abs(mean) > BATCH_ENERGY_FACTOR * this.energyFloor) {
      this.diverged(
        `its mean potential energy in batch ${this.batch + 1} reached ${g(mean)}, over ${BATCH_ENERGY_FACTOR} times the steady state's scale ${g(this.plan.energyScale)}`,
      );
    }
  }

  /** Where the run is, for messages: time since the start of the burn-in or of the production run (never negative). */
  private where(step = this.step): string {
    const { nBurn, dt } = this.plan;
    const t = (n: number) => Number((n * dt).toPrecision(4));
    return step <= nBurn ? `during the burn-in at t = ${t(step)}` : `at t = ${t(step - nBurn)} of the production run`;
  }

  /** The blow-up error: "non-finite state" unless `what` says more (a particle's position), at `step`. */
  private blowUp(what = "non-finite state", step = this.step): never {
    throw new SimulationError(
      `the simulation blew up (${what}) in replica ${this.replica} ${this.where(step)}: reduce dt (now ${this.plan.dt})${limitText(this.plan)}; no result was written`,
    );
  }

  private diverged(what: string): never {
    throw new SimulationError(
      `the simulation diverged in replica ${this.replica} ${this.where()}: ${what}; reduce dt (now ${this.plan.dt})${limitText(this.plan)}; no result was written`,
    );
  }
}

const NO_FIELDS: readonly FieldAccumulator[] = [];

/** An energy this many times the steady state's scale is a divergence. */
export const DIVERGENCE_FACTOR = 1e6;
/** A batch-mean energy this many times the steady state's scale (and the initial energy) is a divergence. */
export const BATCH_ENERGY_FACTOR = 100;

const g = (x: number) => Number(x.toPrecision(3));

/** "; the stability limit ... is dt < ..." for error messages. */
function limitText(plan: Plan): string {
  const ts = plan.timeScale;
  if (!(ts.value > 0)) return "";
  const name = ts.kind === "frequency" ? "omega" : "lambda";
  return `; the stability limit${ts.exact ? "" : " (estimated)"} is dt < 2/${name} = ${g(2 / ts.value)}, where ${name} = ${g(ts.value)} is ${ts.source}`;
}

/**
 * The heat rows of the estimator with the smaller estimated mean squared error (pairHeatChoice.ts): the trapezoid's
 * replace the state heat's bath fluxes, entropy production and energy balance when it wins; the check rows go.
 */
function applyPairHeatChoice(
  all: Estimate[],
  z: number,
): { estimates: Estimate[]; choice: PairHeatChoice; sources: string[] } {
  const check = (name: string) => all.find((e) => e.group === PAIR_HEAT_CHECK && e.name === name)!;
  const ep = all.find((e) => e.group === "entropy production" && e.name === "rate")!;
  const choice = choosePairHeatByError(
    ep,
    check("trapezoid entropy production"),
    check("trapezoid minus state entropy production"),
    z,
  );
  const replacement = (e: Estimate): Estimate | undefined =>
    e.group === "bath flux"
      ? check(`trapezoid bath flux ${e.name}`)
      : e.group === "entropy production"
        ? check("trapezoid entropy production")
        : e.group === "energy balance"
          ? check("trapezoid energy balance")
          : undefined;
  // `sources`: the row each estimate's numbers come from (a replaced row keeps the state row's group and name, but
  // its own series: the correlation-time rule must judge the trapezoid's sub-batches, not the state heat's).
  const sources: string[] = [];
  const estimates = all
    .filter((e) => e.group !== PAIR_HEAT_CHECK)
    .map((e) => {
      const r = choice.rule === "trapezoid" ? replacement(e) : undefined;
      sources.push(rowKey(r ?? e));
      return r ? { ...r, group: e.group, name: e.name } : e;
    });
  // The trapezoid can win with an estimated bias that its error bar does not cover (it won on the sum of both):
  // then its entropy production is not flagged reliable (reliability.ts's rule for a known bias: half the error bar).
  const chosen = estimates.find((e) => e.group === "entropy production" && e.name === "rate")!;
  const bias = choice.trapezoidBias;
  if (choice.rule === "trapezoid" && bias > 0.5 * chosen.error) {
    chosen.reliable = false;
    const note = `the trapezoid's time-step bias, estimated as ${Number(bias.toPrecision(3))} (pairHeatChoice.ts), is more than half the error bar: reduce dt`;
    chosen.note = chosen.note ? `${chosen.note}; ${note}` : note;
  }
  return { estimates, choice, sources };
}

const rowKey = (e: { group: string; name: string }) => `${e.group}\u0000${e.name}`;

/**
 * The estimates of a plan from batch means (in replica order; `batchesPerReplica`: the plan's batches, or each
 * replica's count for a run in progress): the batch-means reduction with its statistical verdicts and, when the plan
 * left the pair heat open, the choice between the state and the trapezoid heat (pairHeatChoice.ts). What a finished
 * run reports (reduceSimulation, before the time-step rules) and what the lab shows while it runs (lab/src/live.ts).
 */
export function reduceEstimates(
  plan: Plan,
  batchMeans: Float64Array,
  batchesPerReplica: number | readonly number[] = plan.batches,
  subSums?: Float64Array,
  subSumsAt?: (row: number) => number,
): { estimates: Estimate[]; choice?: PairHeatChoice } {
  const reduced = reduceBatches(batchMeans, plan.K, batchesPerReplica, plan.estimands);
  const chosen = plan.heatCheck ? applyPairHeatChoice(reduced, plan.timeScale.bias * plan.dt) : undefined;
  const out: { estimates: Estimate[]; choice?: PairHeatChoice } = chosen
    ? { estimates: chosen.estimates, choice: chosen.choice }
    : { estimates: reduced };
  const sources = chosen?.sources ?? reduced.map(rowKey);
  // Pairs of neighbouring batches within a replica: what the lag-1 batch correlations were measured over.
  const pairs =
    typeof batchesPerReplica === "number"
      ? plan.replicas * (batchesPerReplica - 1)
      : batchesPerReplica.reduce((s, n) => s + Math.max(0, n - 1), 0);
  applyCorrelatedRunRule(out.estimates, pairs);
  const batch = plan.batchLength * plan.dt;
  // Each estimate's own correlation time, from its sub-batch series (none without sub-batches), judged after the
  // model's rate (whose notes stand where both would take a flag).
  const measured = subSums !== undefined && plan.subBatches > 1;
  if (plan.relaxation) {
    const { rate, source } = plan.relaxation;
    // production per replica: the plan's, or (a run in progress) the shortest replica's so far
    const started =
      typeof batchesPerReplica === "number" ? [batchesPerReplica] : batchesPerReplica.filter((n) => n > 0);
    const done = started.length > 0 ? Math.min(...started) : 0; // no replica with a batch yet: no production
    applyRelaxationRule(out.estimates, batch, rate, source, plan.nBurn * plan.dt, batch * done, measured);
  }
  if (measured) {
    const g = subBatchAutocorrelations(
      batchMeans,
      subSums,
      plan.K,
      subBatchSamples(plan),
      batchesPerReplica,
      plan.estimands,
      subSumsAt,
    );
    const byName = new Map(plan.estimands.map((s, i) => [rowKey(s), g[i]]));
    const own = sources.map((key) => byName.get(key) ?? NaN);
    // The sub-batches are floor(L / subBatches) steps (the last one takes the remainder).
    applyCorrelationTimeRule(out.estimates, own, batch, plan.subBatches, plan.subLength * plan.dt);
  }
  return out;
}

/** The samples of a batch before each sub-batch start: 0, those before starts 2..subBatches, the batch's. */
function subBatchSamples(plan: Plan): Float64Array {
  const S = plan.subBatches,
    every = plan.kernel || plan.pairKernel ? 1 : plan.sampleEvery;
  const samples = new Float64Array(S + 1);
  for (let j = 1; j < S; j++) samples[j] = Math.ceil((j * plan.subLength) / every);
  samples[S] = Math.ceil(plan.batchLength / every);
  return samples;
}

/**
 * A run's batch means (replica order), copied out of its outputs (Plan.perReplica numbers a replica: the batch means,
 * then the sub-batch sums), and where each batch's sub-batch sums start in the outputs, which are read in place: a
 * copy of them would double the reduction's memory.
 */
export function splitOutputs(
  plan: Plan,
  outputs: Float64Array,
): { batchMeans: Float64Array; subSumsAt: (row: number) => number } {
  const P = plan.perReplica,
    B = plan.batches,
    means = B * plan.K,
    R = outputs.length / P,
    step = (plan.subBatches - 1) * plan.K;
  const batchMeans = new Float64Array(R * means);
  for (let r = 0; r < R; r++) batchMeans.set(outputs.subarray(r * P, r * P + means), r * means);
  const subSumsAt = (row: number) => {
    const r = Math.floor(row / B);
    return r * P + means + (row - r * B) * step;
  };
  return { batchMeans, subSumsAt };
}

/** A nonlinear model's relaxation rate estimated from the model ({} for linear models and where none is). */
function relaxationOf(model: Model): { relaxation?: ModelRelaxation } {
  const linear = model.kind === "network" ? isLinearNetwork(model) : isLinearParticles(model);
  const relaxation = linear ? undefined : modelRelaxation(model);
  return relaxation ? { relaxation } : {};
}

/** Reduces every replica's batch means (in replica order) and the field sums into the simulation result. */
export function reduceSimulation(plan: Plan, out: EnsembleOutputs): SimulationResult {
  const all = out.outputs;
  const sums = fieldSumsViews(plan.fields, out.sums);
  const { batchMeans, subSumsAt } = splitOutputs(plan, all);
  const { estimates, choice } = reduceEstimates(plan, batchMeans, plan.batches, all, subSumsAt);
  const statistical: StatisticalVerdict[] = estimates.map((e) =>
    e.note === undefined ? { reliable: e.reliable } : { reliable: e.reliable, note: e.note },
  );
  for (const e of estimates) {
    if (!Number.isFinite(e.value) || (e.batches >= 2 && !Number.isFinite(e.error))) {
      throw new SimulationError(
        `the simulation diverged: the estimate "${e.group}: ${e.name}" ${Number.isFinite(e.value) ? "has no finite error bar" : "is not a finite number"}; ` +
          `reduce dt (now ${plan.dt})${limitText(plan)}; no result was written`,
      );
    }
  }
  const timeStep: TimeStepFacts = { dt: plan.dt, unstable: plan.unstable, biasOrder: plan.biasOrder };
  const estimateWarnings = applyTimeStepRules(estimates, timeStep);
  const fields = plan.fields.map((f, k) => fieldResult(f, sums[k]));
  const model = plan.model;
  return {
    name: model.name,
    kind: model.kind,
    dynamics: model.dynamics,
    scheme: plan.scheme.scheme,
    dt: plan.dt,
    time: plan.nProduction * plan.dt,
    burnIn: plan.nBurn * plan.dt,
    replicas: plan.replicas,
    seed: plan.options.seed,
    batchesPerReplica: plan.batches,
    steps: plan.replicas * (plan.nBurn + plan.nProduction),
    timeScale: plan.timeScale,
    estimates,
    fields,
    exact: false,
    warnings: [...plan.warnings, ...estimateWarnings],
    ...(plan.fluxEstimator !== undefined ? { fluxEstimator: plan.fluxEstimator } : {}),
    ...(plan.pairHeat !== undefined ? { pairHeat: choice?.rule ?? plan.pairHeat } : {}),
    ...(choice ? { pairHeatChoice: choice } : {}),
    ...(plan.counterNoise ? { noise: "counter" as const } : {}),
    ...(plan.split ? { split: true } : {}),
    timeStep,
    statistical,
    planWarnings: [...plan.warnings],
  };
}

/** Where and how a simulation runs. */
export interface SimulationRunOptions extends RunOptions {
  /** Called with the prepared plan before any step is run (the CLI estimates the cost here; throwing refuses the run). */
  onPlan?: (plan: Plan) => void | Promise<void>;
  /**
   * Runs the prepared plan instead of runPrepared (segments.ts runSegmented: checkpoints, trajectories); must give
   * the same outputs.
   */
  execute?: (spec: SimulationSpec, plan: Plan) => Promise<EnsembleOutputs>;
}

/**
 * Simulates a model with a scheme (`baoab({ dt })`, `heun({ dt })`, `eulerMaruyama({ dt })`, `exactOU({ dt })`, or
 * `{ dt }` for the default of the dynamics): every replica (on `run.runner`'s workers, or in process), every
 * estimate with its error bar.
 *
 * @example
 * ```ts
 * import { baoab, loadModel, simulate } from "ness";
 *
 * const model = loadModel(`
 * kind: network
 * sites: [a, b]
 * pinning: 1
 * springs: [{between: [a, b], stiffness: 1}]
 * baths: [{site: a, friction: 1, temperature: 2}, {site: b, friction: 1, temperature: 1}]
 * `);
 * const result = await simulate(model, baoab({ dt: 0.05 }), { time: 200, seed: 1, replicas: 2 });
 * const flux = result.estimates.find((e) => e.group === "spring flux")!;
 * console.log(Number.isFinite(flux.error)); // => true: every estimate has its error bar
 * console.log(flux.exact! > 0);             // true: the exact value of a linear model is attached
 * ```
 */
export async function simulate(
  problem: Model,
  scheme: Scheme | { dt: number },
  options: SimulationOptions,
  run: SimulationRunOptions = {},
): Promise<SimulationResult> {
  const spec = simulationSpec(problem, scheme, options);
  const plan = prepareEnsemble(spec) as Plan;
  await run.onPlan?.(plan);
  if (plan.split) await splitReady(plan.split.threads);
  return reduceSimulation(plan, await (run.execute ? run.execute(spec, plan) : runPrepared(spec, plan, run)));
}

/**
 * Synchronous simulation in the calling thread (tests, small runs).
 *
 * @example
 * ```ts
 * import { findEstimate, loadModel, simulateSync } from "ness";
 *
 * const model = loadModel(`
 * kind: network
 * sites: [a, b]
 * pinning: 1
 * springs: [{between: [a, b], stiffness: 1}]
 * baths: [{site: a, friction: 1, temperature: 2}, {site: b, friction: 1, temperature: 1}]
 * `);
 * const result = simulateSync(model, { dt: 0.05 }, { time: 100, seed: 2 }); // { dt }: the default scheme
 * console.log(findEstimate(result, "kinetic temperature", "a").value > 0); // => true
 * ```
 */
export function simulateSync(
  problem: Model,
  scheme: Scheme | { dt: number },
  options: SimulationOptions,
): SimulationResult {
  const plan = prepareEnsemble(simulationSpec(problem, scheme, options)) as Plan;
  return reduceSimulation(plan, runPreparedSync(plan));
}

/**
 * Reduces block results (any order) of a plan into the simulation result. With `release` the blocks are the
 * caller's to give up (collectBlocks): each is dropped once copied, so that the outputs are held twice at most.
 */
export function reduceBlocks(plan: Plan, blocks: BlockResult[], release = false): SimulationResult {
  return reduceSimulation(plan, collectBlocks(plan, blocks, release));
}

/**
 * Looks up an estimate by group and name.
 *
 * @example
 * ```ts
 * import { findEstimate, loadModel, simulateSync } from "ness";
 *
 * const model = loadModel(`
 * kind: network
 * sites: [a, b]
 * pinning: 1
 * springs: [{between: [a, b], stiffness: 1}]
 * baths: [{site: a, friction: 1, temperature: 2}, {site: b, friction: 1, temperature: 1}]
 * `);
 * const result = simulateSync(model, { dt: 0.05 }, { time: 100, seed: 3 });
 * const t = findEstimate(result, "kinetic temperature", "a");
 * console.log(t.group); // => kinetic temperature
 * ```
 */
export function findEstimate(result: SimulationResult, group: string, name: string): Estimate {
  requireObject(result, "findEstimate: the result");
  if (!Array.isArray(result.estimates)) throw new ModelError("findEstimate: the result has no list of estimates");
  requireString(group, "findEstimate: the group");
  requireString(name, "findEstimate: the name");
  const e = result.estimates.find((x) => x.group === group && x.name === name);
  if (!e)
    throw new ModelError(
      `findEstimate: no estimate ${group} / ${name} (groups: ${[...new Set(result.estimates.map((x) => x.group))].join(", ")})`,
    );
  return e;
}
