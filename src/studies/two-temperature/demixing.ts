/**
 * Section 3.3 of [Metzger 2026]: demixing of many purely repulsive hot and cold soft disks (phase separation without
 * attraction; Weber, Weber & Frey, PRL 116, 058301 (2016); Grosberg & Joanny, PRE 92, 032118 (2015)).
 *
 * N disks in a 2D periodic square box, a fraction of them cold (bath T_cold), the rest hot (T_hot), overdamped with
 * mobility 1: r_a' = -grad_a U + sqrt(2 T_a) xi_a, U the sum over pairs of the soft repulsion of eq. 26,
 * (k/2)(1 - r/range)^2 for r < range (the cutoff is the length scale, docs/corrections.md; it is called `range` here,
 * never sigma, which the lecture notes also use for the entropy production rate). Disks have diameter `range`: the area
 * fraction phi = N pi range^2 / (4 L^2) fixes the box side L.
 *
 * Order parameters, from positions alone (cell list, minimum image, O(N)); two disks are neighbours when their
 * centres are closer than a cutoff, by default 1.5 range (about the first minimum of the pair correlation of a dense
 * soft-disk liquid: it takes in the first shell of neighbours and not the second):
 *   f_cc = (2 x cold-cold neighbour pairs) / (neighbour pairs with a cold end, counted once per cold end), the
 *     fraction of a cold disk's neighbours that are cold;
 *   psi = (f_cc - f_random) / (1 - f_random), f_random = (N_cold - 1) / (N - 1): psi = 0 for labels that are
 *     exchangeable (a mixture: at T_hot = T_cold the two species are the same particles, so <2 n_cc> = f_random
 *     <cold ends> exactly) and psi = 1 when no cold disk touches a hot one;
 *   the largest cluster of cold disks (union-find over cold-cold neighbour pairs), as a fraction of N_cold.
 *
 * The simulation is an ensemble of the stochastic engine (src/stochastic/ensemble.ts, kind
 * "two-temperature/demixing", registered here): each replica is the engine's replica run (Heun), sampled every
 * sampling interval in the thread that runs it, so replicas run on worker threads (same seed, same numbers, whatever
 * the number of workers). Every replica starts from uniformly random positions (a mixed state), runs a burn-in, then
 * a production run in which the order parameters are sampled every sampling interval. Error bars (statistics.ts, reduceBatches) come by default from the replicas:
 * each replica's whole production run gives one value and the standard error is that of the R independent values
 * (`errorBars: "replicas"`, the default for R >= 2). This is honest whatever the correlation time, which matters
 * here: psi feels every composition fluctuation, and those of long wavelength relax by interdiffusion over a time
 * of order L^2 / (4 pi^2 D), longer than affordable runs (about 1000 for N = 400 at T = 0.02), so batches cut from
 * one run are correlated beyond what their lag-1 correlation reveals (at equal temperatures, N = 400, phi = 0.4,
 * psi / error had an rms of 1.7 over 24 seeds with 16 batches from 4 replicas, 1.2 over 60 seeds with 16 replicas).
 * With one replica the error bar falls back to batch means within the run (`errorBars: "batches"`), flagged by the
 * lag-1 test when it can tell. As in the engine, fewer than 16 values mark an error bar unreliable. f_cc is a ratio
 * of means, <2 n_cc> / <cold ends>, with a delta-method (linearised) error bar. While the cold disks still coarsen,
 * the time average depends on the window: the estimate is that of the window [burnIn, burnIn + time] from a random
 * start. The engine's entropy production rate (Stratonovich, whole system) is reduced the same way, and reported only
 * when asked for (`entropyProduction: true`): at the default dt it carries an O(dt) bias the structure does not.
 * Same seed, same numbers. Browser-safe.
 */
import { requireNumbers } from "../../arguments.js";
import { ModelError, SteadyStateError } from "../../errors.js";
import { validateParticles, type ParticlesModel } from "../../model/particles.js";
import { pairsWithin } from "../../stochastic/neighbours/pairSearch.js";
import {
  blockSizeFor,
  ensemble,
  ensembleSync,
  registerEnsembleKind,
  type EnsembleJob,
  type EnsembleOutputs,
  type EnsembleSpec,
  type PreparedEnsemble,
  type ReplicaRunner,
  type RunOptions,
} from "../../stochastic/ensemble.js";
import { heun } from "../../stochastic/integrators.js";
import { preparePlan, ReplicaRun, withoutEngineEstimators, type Plan } from "../../stochastic/run.js";
import {
  linear,
  meanOfFinite,
  meanOfIndependent,
  measured,
  reduceBatches,
  RESOLVED_NORMAL_Z,
  resolvedNormalZ,
  resolvedStandardErrors,
  type Estimate,
  type Measured,
} from "../../stochastic/statistics.js";
import {
  concentrationWeights,
  fftWorkspace,
  firstMomentLength,
  shellAverages,
  structureFactorMethod,
  structureFactorModes,
  structureFactorModesFFT,
  wavevectors,
  type Wavevectors,
} from "../../stochastic/structureFactor.js";
import { checkSimulationWork } from "../cost.js";
import { runAll, type RunContext } from "../parallel.js";
import { checkRange, type ParameterRange } from "../ranges.js";
import { defaultsOf, rangesOf } from "../schema.js";
import { MIXED_BOUNDS, type DemixingVerdict } from "./demixingBounds.js";
import {
  reduceSlab,
  SLAB_SAMPLE_SIZE,
  slabGeometry,
  slabSample,
  slabStart,
  type DemixingSlab,
  type DemixingStart,
  type SlabGeometry,
} from "./demixingSlab.js";
import { demixingSchema } from "./parameters.js";

export { MIXED_BOUNDS };
export type { DemixingVerdict };

// ---------------------------------------------------------------------------
// Parameters and model

export interface DemixingParams {
  /** Total number of disks. */
  N: number;
  /** Fraction of cold disks, in (0, 1); N_cold = round(coldFraction N). */
  coldFraction: number;
  /** Area fraction of disks of diameter `range`, in (0, 1). */
  phi: number;
  Thot: number;
  Tcold: number;
  /** Soft repulsion (eq. 26 of [Metzger 2026]): stiffness k and range (cutoff and disk diameter). */
  stiffness: number;
  range: number;
  /** Time step of the integrator. */
  dt: number;
  /** Production time per replica (after the burn-in). */
  time: number;
  /** Burn-in time per replica (not measured; sampled for the time series). */
  burnIn: number;
  /** Time between samples of the order parameters. */
  sampleInterval: number;
  replicas: number;
  seed: number;
  /** Neighbour cutoff in units of the range (default 1.5). */
  neighbourCutoff: number;
  /**
   * Where the error bars come from: "replicas" (one value per replica; default when replicas >= 2) or "batches"
   * (batch means within each replica; default for one replica).
   */
  errorBars?: "replicas" | "batches";
  /** Batches per replica for `errorBars: "batches"` (default max(2, ceil(32 / replicas))); 1 for "replicas". */
  batches?: number;
  /**
   * Also report the engine's entropy production rate (kB/time; default false). The study measures the structure,
   * converged in dt at the default dt = 0.1, where the Stratonovich entropy production carries an O(dt) bias: asked
   * for at a large dt, it comes flagged unreliable with the engine's time-step note.
   */
  entropyProduction?: boolean;
  /**
   * How the replicas start (default "random"): uniformly random positions (a mixed state), or "slab", the cold disks
   * in a stripe across the box and the hot ones in the rest, at the same density (demixingSlab.ts): the separated
   * start, whose result carries `slab` (profile amplitude, hot exclusion, compression, the composition profile).
   */
  start?: DemixingStart;
  /**
   * The separated start's contrast (default 1): the fraction of each species placed in its region, the rest uniform.
   * A weaker stripe (e.g. 0.5) sharpens where the mixture separates and fades where it mixes.
   */
  slabContrast?: number;
}

const DEMIXING_NAMES = [
  "N",
  "coldFraction",
  "phi",
  "Thot",
  "Tcold",
  "stiffness",
  "range",
  "dt",
  "time",
  "burnIn",
  "sampleInterval",
  "replicas",
  "neighbourCutoff",
] as const;

/**
 * Default parameters (declared in parameters.ts): a 50/50 mixture at area fraction 0.4, T_hot / T_cold = 100, nearly hard disks (T_hot / k =
 * 0.02). Only T / k, phi and the cold fraction matter (time scales as range^2 / k), so k = 1 sets the unit of time;
 * dt = 0.1 / k keeps the hot disks' step sqrt(2 T_hot dt) near 0.06 range (structure converged in dt; the entropy
 * production at large ratios carries a first-order time-step bias of a few percent).
 */
export const DEFAULT_DEMIXING: DemixingParams = {
  ...defaultsOf(demixingSchema, DEMIXING_NAMES),
  seed: 1,
  entropyProduction: false,
  start: "random",
  slabContrast: 1,
};

/** Why a demixing result has no entropy production unless asked (`entropyProductionNotComputed`). */
export const ENTROPY_PRODUCTION_NOT_COMPUTED =
  "entropy production not computed (ask with --entropy-production, entropyProduction: true): the study measures the " +
  "structure (psi, S_cc, L), converged at the default dt = 0.1, where the Stratonovich entropy production carries a " +
  "time-step bias of several percent; ask for it at a small dt (the note then says how large the bias is)";

const num = (v: unknown) =>
  typeof v === "number" ? String(v) : typeof v === "undefined" ? "nothing" : JSON.stringify(v);

/**
 * The domain of the parameters. Temperatures, stiffness and range over 12 decades; N up to 1e5 disks; an area
 * fraction of at least 0.01 (sparser boxes have more than 1e7 neighbour cells); a neighbour cutoff of 0.1 to 100
 * ranges; times and steps as for the other particle studies (the work is also limited, see src/studies/cost.ts).
 */
export const DEMIXING_RANGES: Readonly<
  Record<Exclude<keyof DemixingParams, "errorBars" | "entropyProduction" | "start" | "slabContrast">, ParameterRange>
> = Object.freeze({
  ...rangesOf(demixingSchema, DEMIXING_NAMES),
  seed: { min: 0, max: Number.MAX_SAFE_INTEGER, integer: true },
  batches: { min: 1, max: 10_000, integer: true },
});

const DEMIXING_LABELS: Record<
  Exclude<keyof DemixingParams, "errorBars" | "entropyProduction" | "start" | "slabContrast">,
  string
> = {
  N: "N (number of disks)",
  coldFraction: "cold fraction",
  phi: "area fraction",
  Thot: "T_hot",
  Tcold: "T_cold",
  stiffness: "stiffness",
  range: "range",
  dt: "dt",
  time: "time",
  burnIn: "burn-in",
  sampleInterval: "sampling interval",
  replicas: "replicas",
  seed: "seed",
  neighbourCutoff: "neighbour cutoff",
  batches: "batches",
};

/** At most this many numbers in the S_cc(q) time series of all replicas (8 bytes each: 128 MB). */
export const MAX_SERIES_NUMBERS = 16_000_000;

/** Fills in the defaults and validates against DEMIXING_RANGES; throws ModelError naming the parameter and its range. */
export function demixingParams(raw: Partial<DemixingParams> = {}): DemixingParams {
  const p: DemixingParams = { ...DEFAULT_DEMIXING, ...raw };
  for (const name of Object.keys(DEMIXING_RANGES) as (keyof typeof DEMIXING_RANGES)[]) {
    if (name === "batches" && p.batches === undefined) continue;
    checkRange(DEMIXING_LABELS[name], p[name], DEMIXING_RANGES[name]);
  }
  if (p.sampleInterval < p.dt)
    throw new ModelError(`sampling interval ${p.sampleInterval} is shorter than the time step dt = ${p.dt}`);
  if (p.errorBars !== undefined && p.errorBars !== "replicas" && p.errorBars !== "batches") {
    throw new ModelError(`error bars must come from "replicas" or "batches", got ${num(p.errorBars)}`);
  }
  if (p.entropyProduction !== undefined && typeof p.entropyProduction !== "boolean")
    throw new ModelError(`entropyProduction must be true or false, got ${num(p.entropyProduction)}`);
  if (p.start !== undefined && p.start !== "random" && p.start !== "slab")
    throw new ModelError(`the start must be "random" or "slab", got ${num(p.start)}`);
  if (
    p.slabContrast !== undefined &&
    !(typeof p.slabContrast === "number" && p.slabContrast > 0 && p.slabContrast <= 1)
  )
    throw new ModelError(`the slab contrast must be a number in (0, 1], got ${num(p.slabContrast)}`);
  if (p.errorBars === "replicas" && p.replicas < 2)
    throw new ModelError("error bars from replicas need at least 2 replicas");
  const nCold = coldCount(p);
  if (nCold < 1 || nCold > p.N - 1) {
    throw new ModelError(
      `cold fraction ${p.coldFraction} of N = ${p.N} gives ${nCold} cold disks: need at least one hot and one cold disk`,
    );
  }
  const L = boxSide(p);
  if (2 * p.range > L)
    throw new ModelError(
      `the box side ${Number(L.toPrecision(4))} (from N = ${p.N}, phi = ${p.phi}) is less than twice the range ${p.range}: use more disks`,
    );
  if (2 * p.neighbourCutoff * p.range > L) {
    throw new ModelError(
      `the neighbour cutoff ${p.neighbourCutoff} x range is more than half the box side ${Number(L.toPrecision(4))}: use more disks or a smaller cutoff`,
    );
  }
  const samples = Math.floor(p.time / p.sampleInterval);
  // The S_cc(q) time series of every replica is kept (L(t)): bound its memory.
  const series = (Math.floor((p.time + p.burnIn) / p.sampleInterval) + 2) * (Math.floor(L / (2 * p.range)) + 1);
  if (series * p.replicas > MAX_SERIES_NUMBERS)
    throw new ModelError(
      `the S_cc(q) time series would hold about ${Number((series * p.replicas).toPrecision(2))} numbers (replicas x samples x shells of q), ` +
        `more than ${MAX_SERIES_NUMBERS}: use a longer --sample-interval or fewer --replicas`,
    );
  const batches = batchesOf(p);
  if (samples < batches)
    throw new ModelError(
      `time ${p.time} holds ${samples} samples at the sampling interval ${p.sampleInterval}, fewer than the ${batches} batches: run longer or sample more often`,
    );
  return p;
}

/** How the error bars are made. */
export function errorBarSource(p: Pick<DemixingParams, "replicas" | "errorBars">): "replicas" | "batches" {
  return p.errorBars ?? (p.replicas >= 2 ? "replicas" : "batches");
}

/** Batches per replica of the production run. */
function batchesOf(p: Pick<DemixingParams, "replicas" | "errorBars" | "batches">): number {
  return p.batches ?? (errorBarSource(p) === "replicas" ? 1 : Math.min(64, Math.max(2, Math.ceil(32 / p.replicas))));
}

/** Number of cold disks. */
export function coldCount(p: Pick<DemixingParams, "N" | "coldFraction">): number {
  return Math.round(p.coldFraction * p.N);
}

/** Side of the square box: L = sqrt(N pi range^2 / (4 phi)) (disks of diameter `range`). */
export function boxSide(p: Pick<DemixingParams, "N" | "phi" | "range">): number {
  return Math.sqrt((p.N * Math.PI * p.range * p.range) / (4 * p.phi));
}

/** f_random = (N_cold - 1) / (N - 1): the cold fraction of a cold disk's neighbours for random labels. */
export function randomColdFraction(N: number, nCold: number): number {
  return (nCold - 1) / (N - 1);
}

/** The `kind: particles` model: hot disks first (species 0), then cold (species 1), random initial positions. */
export function demixingModel(raw: Partial<DemixingParams> = {}): ParticlesModel {
  const p = demixingParams(raw);
  const nCold = coldCount(p);
  const L = boxSide(p);
  return validateParticles({
    kind: "particles",
    name: "Hot/cold soft-disk demixing (after Metzger's recitation notes)",
    description: `N = ${p.N} soft disks (${nCold} cold) at area fraction ${p.phi}, T_hot / T_cold = ${Number((p.Thot / p.Tcold).toPrecision(4))}`,
    dynamics: "overdamped",
    dimension: 2,
    box: L,
    species: [
      { name: "hot", count: p.N - nCold, temperature: p.Thot },
      { name: "cold", count: nCold, temperature: p.Tcold },
    ],
    pairs: [{ potential: "soft", stiffness: p.stiffness, range: p.range }],
    initial: "random",
  });
}

// ---------------------------------------------------------------------------
// Order parameters (pure functions of positions)

/** Neighbour pairs (i < j not required) of centres closer than the cutoff, with the minimum image. */
export interface NeighbourPairs {
  i: Int32Array;
  j: Int32Array;
  count: number;
}

/**
 * All pairs of points closer than `cutoff` in a periodic 2D box [0, Lx) x [0, Ly) (positions may lie outside; they
 * are wrapped), in O(N) on the engine's cell grid (pairsWithin of src/stochastic/neighbours/pairSearch.ts; an axis
 * with fewer than 3 cells takes all pairs along it). Minimum image: the cutoff must not exceed half a box side.
 */
export function neighbourPairs(x: Float64Array, box: ArrayLike<number>, cutoff: number): NeighbourPairs {
  if (!(box[0] > 0 && box[1] > 0)) throw new ModelError(`box sides must be > 0, got ${box[0]}, ${box[1]}`);
  return pairsWithin(x, 2, [box[0], box[1]], cutoff);
}

export interface NeighbourComposition {
  /** Cold-cold neighbour pairs. */
  coldCold: number;
  /** Cold-hot neighbour pairs. */
  coldHot: number;
  /** Hot-hot neighbour pairs. */
  hotHot: number;
  /** Neighbour pairs with a cold end, counted once per cold end: 2 coldCold + coldHot. */
  coldEnds: number;
  /** f_cc = 2 coldCold / coldEnds (NaN when no cold disk has a neighbour). */
  coldNeighbourFraction: number;
  /** f_random = (N_cold - 1) / (N - 1). */
  randomFraction: number;
  /** psi = (f_cc - f_random) / (1 - f_random): 0 for random labels, 1 when no cold disk touches a hot one. */
  psi: number;
}

/** Label count and f_random of a labelling (nonzero = cold). */
function labelCounts(cold: ArrayLike<number | boolean>): { N: number; nCold: number } {
  let nCold = 0;
  for (let a = 0; a < cold.length; a++) if (cold[a]) nCold++;
  return { N: cold.length, nCold };
}

/** The neighbour composition of cold disks from given neighbour pairs. */
export function compositionOfPairs(pairs: NeighbourPairs, cold: ArrayLike<number | boolean>): NeighbourComposition {
  let cc = 0,
    ch = 0,
    hh = 0;
  for (let k = 0; k < pairs.count; k++) {
    const a = cold[pairs.i[k]] ? 1 : 0,
      b = cold[pairs.j[k]] ? 1 : 0;
    if (a + b === 2) cc++;
    else if (a + b === 1) ch++;
    else hh++;
  }
  const { N, nCold } = labelCounts(cold);
  const coldEnds = 2 * cc + ch;
  const f = coldEnds > 0 ? (2 * cc) / coldEnds : NaN;
  const fr = randomColdFraction(N, nCold);
  return {
    coldCold: cc,
    coldHot: ch,
    hotHot: hh,
    coldEnds,
    coldNeighbourFraction: f,
    randomFraction: fr,
    psi: (f - fr) / (1 - fr),
  };
}

/**
 * Neighbour composition of the cold disks: f_cc, f_random and psi. Positions are row-major N x 2, `cold` marks the
 * cold disks (nonzero / true), the box is [Lx, Ly], neighbours are centres closer than `cutoff`.
 */
export function neighbourComposition(
  x: Float64Array,
  cold: ArrayLike<number | boolean>,
  box: ArrayLike<number>,
  cutoff: number,
): NeighbourComposition {
  checkLabels(x, cold);
  return compositionOfPairs(neighbourPairs(x, box, cutoff), cold);
}

/** S_cc(q) of one configuration, its q -> 0 shell and the domain size L (one frame: noisy; average frames or replicas). */
export interface ConfigurationStructure extends DemixingStructure {
  /** S_cc of the smallest shell of wavevectors. */
  sccLowQ: number;
  /** L = 2 pi sum D / sum |q| D, D = max(S_cc - x(1 - x), 0) (NaN when S_cc nowhere exceeds x(1 - x)). */
  lengthScale: number;
  /** How the modes were computed ("modes": exact; "fft": grid, for large N; structureFactorMethod). */
  method: "modes" | "fft";
}

/**
 * The concentration structure factor S_cc(q) over 0 < |q| <= pi / range, shell-averaged, and the domain size L of one
 * configuration (row-major N x 2 positions `x`, labels `cold` nonzero for a cold disk, periodic box [L_x, L_y]), as the
 * study samples them: for frames of a long `ness simulate` run of the mixture (with --checkpoint, --trajectory), the
 * way to follow L(t) beyond what one study run affords. The error bars are 0: average several frames or replicas.
 * Throws ModelError for bad arguments.
 *
 * @example
 * ```ts
 * import { configurationStructure } from "ness";
 *
 * // 16 disks on a 4 x 4 lattice, the cold ones in the half x < 2: S_cc(q_min) = 1 / (4 sin^2(pi / 4)).
 * const x = new Float64Array(32), cold = new Uint8Array(16);
 * for (let a = 0; a < 16; a++) {
 *   x[2 * a] = Math.floor(a / 4) + 0.5;
 *   x[2 * a + 1] = (a % 4) + 0.5;
 *   cold[a] = a < 8 ? 1 : 0;
 * }
 * const s = configurationStructure(x, cold, [4, 4]);
 * console.log(s.sccLowQ.toFixed(4), s.ideal, s.method); // => 0.5000 0.25 modes
 * ```
 */
export function configurationStructure(
  x: Float64Array,
  cold: ArrayLike<number | boolean>,
  box: ArrayLike<number>,
  range = 1,
): ConfigurationStructure {
  if (!(x instanceof Float64Array))
    throw new ModelError("configurationStructure: the positions must be a Float64Array");
  requireNumbers(cold, "configurationStructure: the labels");
  requireNumbers(box, "configurationStructure: the box");
  if (x.length !== 2 * cold.length)
    throw new ModelError(`positions hold ${x.length / 2} disks (N x 2, row-major) but there are ${cold.length} labels`);
  if (!(Number.isFinite(range) && range > 0)) throw new ModelError(`the range must be a number > 0, got ${num(range)}`);
  const wv = wavevectors(box, STRUCTURE_QMAX / range);
  const weights = [concentrationWeights(cold)];
  const method = structureFactorMethod(cold.length, wv);
  const modes = method === "fft" ? structureFactorModesFFT(x, weights, wv) : structureFactorModes(x, weights, wv);
  const S = shellAverages(modes, wv);
  const { N, nCold } = labelCounts(cold);
  const ideal = (nCold / N) * (1 - nCold / N);
  return {
    q: Array.from(wv.shellQ),
    S: Array.from(S),
    error: Array.from(S, () => 0),
    count: Array.from(wv.shellCount),
    ideal,
    sccLowQ: S[0],
    lengthScale: firstMomentLength(wv.shellQ, S, wv.shellCount, ideal),
    method,
  };
}

export interface ColdClusters {
  /** Number of clusters of cold disks (an isolated cold disk is a cluster of one). */
  count: number;
  /** Size of the largest cluster. */
  largest: number;
  /** largest / N_cold. */
  largestFraction: number;
  /** Cluster sizes, largest first. */
  sizes: number[];
}

/** Clusters of cold disks from given neighbour pairs: union-find over the cold-cold pairs. */
export function clustersOfPairs(pairs: NeighbourPairs, cold: ArrayLike<number | boolean>): ColdClusters {
  const N = cold.length;
  const parent = new Int32Array(N);
  for (let a = 0; a < N; a++) parent[a] = a;
  const find = (a: number): number => {
    while (parent[a] !== a) {
      parent[a] = parent[parent[a]];
      a = parent[a];
    }
    return a;
  };
  for (let k = 0; k < pairs.count; k++) {
    const a = pairs.i[k],
      b = pairs.j[k];
    if (!cold[a] || !cold[b]) continue;
    const ra = find(a),
      rb = find(b);
    if (ra !== rb) parent[ra < rb ? rb : ra] = ra < rb ? ra : rb;
  }
  const size = new Int32Array(N);
  let nCold = 0;
  for (let a = 0; a < N; a++)
    if (cold[a]) {
      size[find(a)]++;
      nCold++;
    }
  const sizes: number[] = [];
  for (let a = 0; a < N; a++) if (size[a] > 0) sizes.push(size[a]);
  sizes.sort((u, v) => v - u);
  const largest = sizes[0] ?? 0;
  return { count: sizes.length, largest, largestFraction: nCold > 0 ? largest / nCold : NaN, sizes };
}

/** Clusters of cold disks: two cold disks are in one cluster when a chain of cold neighbours joins them. */
export function coldClusters(
  x: Float64Array,
  cold: ArrayLike<number | boolean>,
  box: ArrayLike<number>,
  cutoff: number,
): ColdClusters {
  checkLabels(x, cold);
  return clustersOfPairs(neighbourPairs(x, box, cutoff), cold);
}

function checkLabels(x: Float64Array, cold: ArrayLike<number | boolean>): void {
  if (x.length !== 2 * cold.length)
    throw new ModelError(`positions hold ${x.length / 2} disks (N x 2, row-major) but there are ${cold.length} labels`);
}

// ---------------------------------------------------------------------------
// Simulation

/** The engine's Measured (value, error, reliable) with the batch-means diagnostics behind the error bar. */
export type MeasuredValue = Measured &
  Pick<Estimate, "batches" | "batchCorrelation" | "note"> & {
    /** Where the error bar comes from: replica values (batches = replicas) or batch means within replicas. */
    source: "replicas" | "batches";
  };

export interface DemixingOptions {
  /** Run even above the work limit of src/studies/cost.ts. */
  force?: boolean;
}

export interface DemixingSeries {
  /** Sampling times from the start (burn-in included). */
  time: number[];
  /** psi and the largest cold cluster fraction, averaged over replicas, with the standard error across replicas (0 for one). */
  psi: number[];
  psiError: number[];
  largestCluster: number[];
  largestClusterError: number[];
  /** The domain size L(t) (first moment of S_cc(q), see DemixingStructure), mean over replicas and its standard error. */
  lengthScale: number[];
  lengthScaleError: number[];
  /** S_cc of the smallest shell of wavevectors, mean over replicas. */
  sccLowQ: number[];
  /** S_cc(q) of every shell (structure.q) at each time, mean over replicas: structure[time][shell]. */
  structure: number[][];
}

/** The concentration structure factor S_cc(q) over the production run (time average, mean over replicas or batches). */
export interface DemixingStructure {
  /** Mean |q| of each shell of allowed wavevectors, 0 < |q| <= pi / range. */
  q: number[];
  S: number[];
  error: number[];
  /** Wavevectors (one half plane) in each shell. */
  count: number[];
  /** The ideal-mixture value x(1 - x), x = N_cold / N. */
  ideal: number;
}

export interface DemixingSnapshot {
  /** Row-major N x 2 positions wrapped into [0, L)^2. */
  x: Float64Array;
  /** 1 for a cold disk, 0 for a hot one. */
  cold: Uint8Array;
  box: [number, number];
}

export interface DemixingResult {
  parameters: DemixingParams;
  nCold: number;
  boxSide: number;
  /** Neighbour cutoff (absolute). */
  cutoff: number;
  randomFraction: number;
  /** f_cc = <2 n_cc> / <cold ends> over the production samples. */
  coldNeighbourFraction: MeasuredValue;
  /** psi = (f_cc - f_random) / (1 - f_random). */
  psi: MeasuredValue;
  /** Time average of the largest cold cluster over N_cold. */
  largestCluster: MeasuredValue;
  /**
   * The engine's entropy production rate of the whole system (Stratonovich, eq. 23 of [Metzger 2026] with the sign of
   * docs/corrections.md), kB/time: only when `entropyProduction: true` was asked for (else absent, and
   * `entropyProductionNotComputed` says why).
   */
  entropyProduction?: MeasuredValue;
  /** Present when the entropy production was not asked for: one line saying so and why. */
  entropyProductionNotComputed?: string;
  /** The concentration structure factor S_cc(q) (Bhatia-Thornton), time-averaged over the production run. */
  structure: DemixingStructure;
  /** S_cc at the smallest shell of wavevectors (|q| = 2 pi / L and sqrt 2 x that): the q -> 0 estimate. */
  sccLowQ: MeasuredValue;
  /** The domain size L(t) = 2 pi sum S_cc / sum |q| S_cc (first moment), averaged over the production run. */
  lengthScale: MeasuredValue;
  /** L over the second half of the production run minus L over the first half (> 0: the domains grow). */
  lengthGrowth: MeasuredValue;
  /** psi over the second half of the production run minus psi over the first half. */
  psiGrowth: MeasuredValue;
  series: DemixingSeries;
  /** Replica 0 at the end of its run. */
  snapshot: DemixingSnapshot;
  /** Order-parameter samples per replica (production). */
  samplesPerReplica: number;
  batchesPerReplica: number;
  /** Integration steps, all replicas, burn-in included. */
  steps: number;
  /** The separated start's measurements and composition profile (start "slab" only; demixingSlab.ts). */
  slab?: DemixingSlab;
  /** Warnings of the engine (time step, resolution of collisions). */
  warnings: string[];
}

function measuredValue(e: Estimate, source: "replicas" | "batches", scale = 1, shift = 0): MeasuredValue {
  const out: MeasuredValue = {
    ...measured(e, scale, shift),
    source,
    batches: e.batches,
  };
  if (e.batchCorrelation !== undefined) out.batchCorrelation = e.batchCorrelation;
  if (e.note) out.note = e.note;
  return out;
}

/** The ensemble problem of a demixing run: its validated parameters (plain data; replicas and seed are the spec's). */
export interface DemixingProblem {
  kind: "two-temperature/demixing";
  parameters: DemixingParams;
}

/** How a demixing run lays out its numbers: the engine's plan, the sampler, and each replica's output. */
interface DemixingLayout {
  p: DemixingParams;
  plan: Plan;
  cold: Uint8Array;
  box: [number, number];
  cutoff: number;
  batches: number;
  sampleSteps: number;
  samplesPerBatch: number;
  burnSamples: number;
  seriesLength: number;
  /** The wavevectors of S_cc(q) and the concentration weights c - x of the disks. */
  wv: Wavevectors;
  weights: Float64Array;
  shells: number;
  /** How S_cc(q) is computed: the exact modes (O(N M)) or the grid (O(N + G^2 log G), large N; structureFactorMethod). */
  sqMethod: "modes" | "fft";
  /** The separated start's geometry (start "slab"), else undefined. */
  slab?: SlabGeometry;
  /** Offsets in a replica's output: engine batch means (batches x K), order-parameter batch sums (batches x 3: 2 n_cc,
   * cold ends, largest cluster fraction), the psi and largest-cluster series (seriesLength each), final positions (N x 2),
   * the S_cc(q) series (seriesLength x shells). */
  at: {
    engine: number;
    op: number;
    psi: number;
    cluster: number;
    snapshot: number;
    sq: number;
    /** The slab samples (seriesLength x SLAB_SAMPLE_SIZE; start "slab" only). */
    slab: number;
    size: number;
  };
}

/** The largest wavevector of S_cc(q), in units of 1 / range: wavelengths of at least two disk diameters. */
export const STRUCTURE_QMAX = Math.PI;

function demixingLayout(p: DemixingParams): DemixingLayout {
  const model = demixingModel(p);
  const L = model.box![0];
  const cold = new Uint8Array(p.N);
  for (let a = 0; a < p.N; a++) cold[a] = model.speciesOf[a] === 1 ? 1 : 0;
  const batches = batchesOf(p);
  const sampleSteps = Math.max(1, Math.round(p.sampleInterval / p.dt));
  // Steps in the time asked for, a rounding of time / dt (70 / 0.07 = 999.99...) counted as the whole step it is.
  const productionSteps = Math.floor((p.time / p.dt) * (1 + 1e-12));
  // Whole batches of whole sampling intervals: the engine's batches and ours coincide.
  const samplesPerBatch = Math.floor(productionSteps / sampleSteps / batches);
  if (samplesPerBatch < 1)
    throw new ModelError(`time ${p.time} is too short for ${batches} batches of samples every ${p.sampleInterval}`);
  const batchSteps = samplesPerBatch * sampleSteps;
  const prepared: Plan = preparePlan(model, heun({ dt: p.dt }), {
    time: batchSteps * batches * p.dt * (1 + 1e-12),
    burnIn: Math.round(p.burnIn / p.dt / sampleSteps) * sampleSteps * p.dt,
    seed: p.seed,
    replicas: p.replicas,
    batches,
    covariance: false,
    // The pair heat is accounted only when the entropy production is asked for (most of a step's cost otherwise).
    heat: p.entropyProduction === true,
    pairHeat: "exact",
  });
  // Without the entropy production the study reads none of the engine's estimates (its own samples are taken between
  // advance() calls): the engine's per-step sampling is left out, the trajectories unchanged to the bit.
  const plan = p.entropyProduction === true ? prepared : withoutEngineEstimators(prepared);
  if (plan.batchLength !== batchSteps || plan.nBurn % sampleSteps !== 0)
    throw new Error("internal: batch layout of the engine and the sampler differ");
  // The separated start: the random start's positions (same stream) mapped into the slab and its complement.
  const slab = p.start === "slab" ? slabGeometry(p.N, coldCount(p), L, p.slabContrast) : undefined;
  if (slab) {
    const random = plan.initialize.bind(plan);
    plan.initialize = (st, rng) => {
      random(st, rng);
      slabStart(st.x, cold, slab);
    };
  }
  const burnSamples = plan.nBurn / sampleSteps;
  const seriesLength = burnSamples + samplesPerBatch * batches + 1;
  const wv = wavevectors([L, L], STRUCTURE_QMAX / p.range);
  const shells = wv.shellQ.length;
  const engine = 0,
    op = batches * plan.K,
    psi = op + 3 * batches,
    cluster = psi + seriesLength,
    snapshot = cluster + seriesLength,
    sq = snapshot + 2 * p.N,
    slabAt = sq + seriesLength * shells;
  return {
    p,
    plan,
    cold,
    box: [L, L],
    cutoff: p.neighbourCutoff * p.range,
    batches,
    sampleSteps,
    samplesPerBatch,
    burnSamples,
    seriesLength,
    wv,
    weights: concentrationWeights(cold),
    shells,
    sqMethod: structureFactorMethod(p.N, wv),
    ...(slab ? { slab } : {}),
    at: {
      engine,
      op,
      psi,
      cluster,
      snapshot,
      sq,
      slab: slabAt,
      size: slabAt + (slab ? seriesLength * SLAB_SAMPLE_SIZE : 0),
    },
  };
}

/** A replica of a demixing run: the engine's replica, sampled every sampling interval (whole intervals per slice). */
function demixingReplica(l: DemixingLayout, r: number, out: Float64Array): ReplicaRunner {
  const { plan, cold, box, cutoff, at, seriesLength, burnSamples, samplesPerBatch, sampleSteps, wv, weights, shells } =
    l;
  const run = new ReplicaRun(plan, r, [], out.subarray(at.engine, at.op));
  const modes = new Float64Array(wv.nx.length);
  const workspace = l.sqMethod === "fft" ? fftWorkspace(wv) : undefined;
  const measure = (k: number) => {
    const pairs = neighbourPairs(run.state.x, box, cutoff);
    const c = compositionOfPairs(pairs, cold);
    const cl = clustersOfPairs(pairs, cold);
    out[at.psi + k] = c.psi;
    out[at.cluster + k] = cl.largestFraction;
    if (workspace) structureFactorModesFFT(run.state.x, [weights], wv, { out: modes, workspace });
    else structureFactorModes(run.state.x, [weights], wv, modes);
    shellAverages(modes, wv, out.subarray(at.sq + k * shells, at.sq + (k + 1) * shells));
    if (l.slab)
      slabSample(
        run.state.x,
        cold,
        l.slab,
        out.subarray(at.slab + k * SLAB_SAMPLE_SIZE, at.slab + (k + 1) * SLAB_SAMPLE_SIZE),
      );
    return { c, cl };
  };
  measure(0);
  let k = 1;
  return {
    get done() {
      return k >= seriesLength;
    },
    advance(maxSteps: number): number {
      const samples = Math.min(seriesLength - k, Math.max(1, Math.floor(maxSteps / sampleSteps)));
      for (let s = 0; s < samples; s++, k++) {
        if (run.advance(sampleSteps) !== sampleSteps) throw new Error("internal: the replica ended early");
        const { c, cl } = measure(k);
        if (k > burnSamples) {
          const o = at.op + 3 * Math.floor((k - burnSamples - 1) / samplesPerBatch);
          out[o] += 2 * c.coldCold;
          out[o + 1] += c.coldEnds;
          out[o + 2] += cl.largestFraction;
        }
      }
      if (k >= seriesLength && !run.done) throw new Error("internal: the replica did not finish");
      // The positions (in the box) after every slice, the final ones at the end: a live view reads them from the
      // partial outputs of a running replica (demixingLiveSnapshot); O(N) per slice of many steps.
      const L = box[0],
        x = run.state.x;
      for (let i = 0; i < x.length; i++) out[at.snapshot + i] = x[i] - L * Math.floor(x[i] / L);
      return samples * sampleSteps;
    },
  };
}

/**
 * Reads the positions of a replica while it runs (or at its end) from its outputs, as a partial result of the
 * ensemble hands them (webWorkerRunner's onPartial): the frames of the lab's live animation. `raw`: the run's
 * parameters (the layout is built once).
 */
export function demixingSnapshotReader(
  raw: Partial<DemixingParams>,
): (replicaOutputs: Float64Array) => { x: Float64Array; cold: Uint8Array; box: [number, number] } {
  const l = demixingLayout(demixingParams(raw));
  return (out) => {
    if (out.length !== l.at.size)
      throw new ModelError(`demixing: a replica's outputs have ${l.at.size} numbers, got ${out.length}`);
    return { x: out.slice(l.at.snapshot, l.at.snapshot + 2 * l.p.N), cold: l.cold, box: l.box };
  };
}

/** Prepares a demixing spec (in every thread: workers rebuild the model and the engine's plan from the parameters). */
function prepareDemixing(spec: EnsembleSpec): PreparedEnsemble {
  const q = (spec.problem as DemixingProblem).parameters;
  const l = demixingLayout(demixingParams({ ...q, replicas: spec.replicas, seed: spec.seed }));
  return {
    replicas: l.p.replicas,
    blockSize: blockSizeFor(l.p.replicas),
    stepsPerReplica: l.plan.nBurn + l.plan.nProduction,
    perReplica: l.at.size,
    perBlock: 0,
    sliceSteps: l.sampleSteps * Math.max(1, Math.floor(l.plan.sliceSteps / l.sampleSteps)),
    replica: (r, out) => demixingReplica(l, r, out),
  };
}

registerEnsembleKind("two-temperature/demixing", prepareDemixing);

/** Reduces the replicas' outputs (in replica order) into the result; see the header for the error bars. */
function reduceDemixing(l: DemixingLayout, out: EnsembleOutputs): DemixingResult {
  const { p, plan, batches, samplesPerBatch, seriesLength, cutoff, at } = l;
  const R = p.replicas,
    K = plan.K,
    P = out.perReplica,
    all = out.outputs;
  const nCold = coldCount(p);
  const fr = randomColdFraction(p.N, nCold);
  const source = errorBarSource(p);
  const engineBatches = new Float64Array(R * batches * K);
  const opBatches = new Float64Array(R * batches * 3);
  for (let r = 0; r < R; r++) {
    engineBatches.set(all.subarray(r * P + at.engine, r * P + at.op), r * batches * K);
    opBatches.set(all.subarray(r * P + at.op, r * P + at.psi), r * batches * 3);
  }
  // Rows of the error bars: batch means, or one row per replica (the mean of its equal batches).
  const perRow = source === "replicas" ? batches : 1;
  const rows = (R * batches) / perRow;
  const op = collapseRows(opBatches, 3, perRow);
  const engineRows = collapseRows(engineBatches, K, perRow);
  // f_cc as a ratio of means with its linearisation (delta method) per row.
  let sumA = 0,
    sumB = 0;
  for (let b = 0; b < rows; b++) {
    sumA += op[3 * b] / samplesPerBatch;
    sumB += op[3 * b + 1] / samplesPerBatch;
  }
  if (!(sumB > 0)) {
    throw new SteadyStateError(
      `the demixing order parameters are undefined: no cold disk had a neighbour closer than ${Number(cutoff.toPrecision(4))} in any sample ` +
        `(area fraction ${p.phi}, neighbour cutoff ${p.neighbourCutoff} ranges): use a larger --phi or --neighbourCutoff`,
    );
  }
  const meanB = sumB / rows;
  const f = sumA / sumB;
  const values = new Float64Array(rows * 2);
  for (let b = 0; b < rows; b++) {
    const A = op[3 * b] / samplesPerBatch,
      B = op[3 * b + 1] / samplesPerBatch;
    values[2 * b] = f + (A - f * B) / meanB;
    values[2 * b + 1] = op[3 * b + 2] / samplesPerBatch;
  }
  const rowsPerReplica = batches / perRow;
  const [fEst, clusterEst] = reduceBatches(values, 2, rowsPerReplica, [
    { group: "demixing", name: "f_cc", estimand: linear([[0, 1]]) },
    { group: "demixing", name: "largest cluster", estimand: linear([[1, 1]]) },
  ]);
  const engine = reduceBatches(
    engineRows,
    K,
    rowsPerReplica,
    plan.estimands.filter((e) => e.group === "entropy production"),
  );

  // The time series: psi of a sample is undefined when no cold disk has a neighbour (a sparse gas); such samples are
  // left out of the mean over replicas, and a time with no defined sample at all is left out of the series. The
  // error bar of a series point is the standard error across replicas (0 for one replica).
  const time: number[] = [],
    psi: number[] = [],
    psiError: number[] = [],
    largest: number[] = [],
    largestError: number[] = [];
  const column = new Float64Array(R);
  const across = (offset: number, k: number) => {
    for (let r = 0; r < R; r++) column[r] = all[r * P + offset + k];
    const m = meanOfFinite(column);
    return { ...m, error: m.count < 2 ? 0 : m.error };
  };
  // S_cc(q) of every sample of every replica; L(t) from the mean over replicas of S_cc(q, t), with a jackknife error
  // over the replicas (L of a single noisy S_cc(q) would be biased by its noise).
  const { wv, shells } = l;
  const ideal = (nCold / p.N) * (1 - nCold / p.N);
  const lengthAt = (k: number) => {
    const sum = new Float64Array(shells),
      loo = new Float64Array(shells);
    for (let r = 0; r < R; r++) for (let q = 0; q < shells; q++) sum[q] += all[r * P + at.sq + k * shells + q];
    for (let q = 0; q < shells; q++) loo[q] = sum[q] / R;
    const value = firstMomentLength(wv.shellQ, loo, wv.shellCount, ideal);
    if (R < 2) return { value, error: 0, mean: Array.from(loo) };
    const Ls: number[] = [];
    for (let r = 0; r < R; r++) {
      for (let q = 0; q < shells; q++) loo[q] = (sum[q] - all[r * P + at.sq + k * shells + q]) / (R - 1);
      Ls.push(firstMomentLength(wv.shellQ, loo, wv.shellCount, ideal));
    }
    const m = Ls.reduce((x, y) => x + y, 0) / R;
    const error = Math.sqrt(((R - 1) / R) * Ls.reduce((x, y) => x + (y - m) ** 2, 0));
    return { value, error: Number.isFinite(error) ? error : 0, mean: Array.from(sum, (v) => v / R) };
  };
  const lengthScale: number[] = [],
    lengthScaleError: number[] = [],
    sccLowQ: number[] = [],
    structureSeries: number[][] = [];
  let undefinedSamples = 0;
  for (let k = 0; k < seriesLength; k++) {
    const s1 = across(at.psi, k);
    undefinedSamples += R - s1.count;
    if (s1.count === 0) continue;
    const s2 = across(at.cluster, k);
    time.push(k * l.sampleSteps * p.dt);
    psi.push(s1.value);
    psiError.push(s1.error);
    largest.push(s2.value);
    largestError.push(s2.error);
    const len = lengthAt(k);
    lengthScale.push(Number.isFinite(len.value) ? len.value : 0);
    lengthScaleError.push(len.error);
    sccLowQ.push(len.mean[0]);
    structureSeries.push(len.mean);
  }
  const structure = reduceStructure(l, out);
  const slab = l.slab
    ? reduceSlab(
        all,
        R,
        P,
        at.slab,
        seriesLength,
        Array.from({ length: seriesLength }, (_, k) => k * l.sampleSteps * p.dt),
        l.burnSamples + 1,
        l.slab,
        { Thot: p.Thot, Tcold: p.Tcold },
        (r, k) => all[r * P + at.sq + k * l.shells],
      )
    : undefined;
  return {
    parameters: p,
    nCold,
    boxSide: l.box[0],
    cutoff,
    randomFraction: fr,
    coldNeighbourFraction: measuredValue(fEst, source),
    psi: measuredValue(fEst, source, 1 / (1 - fr), fr),
    largestCluster: measuredValue(clusterEst, source),
    ...(p.entropyProduction
      ? { entropyProduction: entropyProductionOf(measuredValue(engine[0], source), plan.warnings) }
      : { entropyProductionNotComputed: ENTROPY_PRODUCTION_NOT_COMPUTED }),
    structure: structure.structure,
    sccLowQ: structure.lowQ,
    lengthScale: structure.lengthScale,
    lengthGrowth: structure.growth,
    psiGrowth: structure.psiGrowth,
    series: {
      time,
      psi,
      psiError,
      largestCluster: largest,
      largestClusterError: largestError,
      lengthScale,
      lengthScaleError,
      sccLowQ,
      structure: structureSeries,
    },
    snapshot: { x: all.slice(at.snapshot, at.snapshot + 2 * p.N), cold: l.cold.slice(), box: l.box },
    samplesPerReplica: samplesPerBatch * batches,
    batchesPerReplica: batches,
    steps: R * (plan.nBurn + plan.nProduction),
    ...(slab ? { slab } : {}),
    warnings: [
      ...plan.warnings.filter((w) => !isEntropyBiasWarning(w)),
      ...(undefinedSamples > 0
        ? [
            `psi is undefined in ${undefinedSamples} of ${R * seriesLength} samples of the time series (no cold disk had a neighbour): they are left out`,
          ]
        : []),
      ...shortenedProduction(l),
    ],
  };
}

/**
 * The production run holds whole batches of whole sampling intervals: when that drops one sampling interval or more of
 * the time asked for, a warning says how long it ran and which times fit (the results' time axis ends there too).
 */
function shortenedProduction(l: DemixingLayout): string[] {
  const fmt6 = (x: number) => String(Number(x.toPrecision(6)));
  const { p, batches, samplesPerBatch, sampleSteps } = l;
  const asked = p.time / p.dt,
    ran = samplesPerBatch * batches * sampleSteps;
  if (asked - ran < sampleSteps * (1 - 1e-9)) return [];
  const whole = batches * sampleSteps * p.dt;
  return [
    `the production ran for time ${fmt6(ran * p.dt)}, not the ${fmt6(p.time)} asked for: it holds ${batches} whole batches of ${samplesPerBatch} samples every ${fmt6(sampleSteps * p.dt)}; times that fit exactly are multiples of ${fmt6(whole)}${batches > 1 ? " (or fewer batches)" : ""}`,
  ];
}

/** The engine's warning of a time-step bias in heat flows and entropy production (it concerns only that estimate). */
function isEntropyBiasWarning(w: string): boolean {
  return w.startsWith("dt = ") && w.includes("in heat fluxes and entropy production");
}

/**
 * The entropy production with the engine's time-step bias warning attached to it: the structure (psi, S_cc, L) is
 * converged in dt at the study's time steps (docs/studies/two-temperature.md), the Stratonovich entropy production
 * carries an O(dt) bias, so that warning belongs to this one estimate (flagged unreliable), not to the whole run.
 */
function entropyProductionOf(m: MeasuredValue, warnings: readonly string[]): MeasuredValue {
  const w = warnings.find(isEntropyBiasWarning);
  if (w === undefined) return m;
  return { ...m, reliable: false, note: m.note ? `${m.note}; ${w}` : w };
}

/** Mean and standard error of independent row values, as a MeasuredValue. */
function rowMeasured(values: ArrayLike<number>, source: "replicas" | "batches"): MeasuredValue {
  const m = meanOfIndependent(values);
  if (values.length >= 2) return { ...m, source, batches: values.length };
  // One value has no error bar: 0, flagged unreliable and ignored by the criterion (outputs hold no NaN).
  return {
    ...m,
    error: 0,
    reliable: false,
    source,
    batches: values.length,
    note: "one value: no error bar",
  };
}

/**
 * S_cc(q) averaged over the production run, its smallest shell, the mean domain size and its growth. Rows of the error
 * bars as for psi: one per replica (R >= 2, error bars from replicas) or one per batch of samples. The growth is L over
 * the second half of a replica's production samples minus L over the first half (one replica: later batches minus
 * earlier ones, pairwise).
 */
function reduceStructure(
  l: DemixingLayout,
  out: EnsembleOutputs,
): {
  structure: DemixingStructure;
  lowQ: MeasuredValue;
  lengthScale: MeasuredValue;
  growth: MeasuredValue;
  psiGrowth: MeasuredValue;
} {
  const { p, batches, samplesPerBatch, burnSamples, at, shells, wv } = l;
  const R = p.replicas,
    P = out.perReplica,
    all = out.outputs;
  const source = errorBarSource(p);
  const x = l.cold.reduce((a, c) => a + c, 0) / p.N;
  const ideal = x * (1 - x);
  const first = burnSamples + 1,
    nProd = samplesPerBatch * batches;
  /** S_cc(q) of replica r averaged over samples [k0, k0 + n). */
  const average = (r: number, k0: number, n: number): Float64Array => {
    const S = new Float64Array(shells);
    for (let k = k0; k < k0 + n; k++) {
      const o = r * P + at.sq + k * shells;
      for (let q = 0; q < shells; q++) S[q] += all[o + q] / n;
    }
    return S;
  };
  const lengthOf = (S: Float64Array) => firstMomentLength(wv.shellQ, S, wv.shellCount, ideal);
  const byReplica = source === "replicas";
  const rows = byReplica ? R : R * batches;
  const rowS: Float64Array[] = [];
  for (let row = 0; row < rows; row++) {
    const r = byReplica ? row : Math.floor(row / batches);
    rowS.push(
      byReplica ? average(r, first, nProd) : average(r, first + (row % batches) * samplesPerBatch, samplesPerBatch),
    );
  }
  const column = new Float64Array(rows);
  const S: number[] = [],
    error: number[] = [];
  let lowQ: MeasuredValue | undefined;
  for (let q = 0; q < shells; q++) {
    for (let row = 0; row < rows; row++) column[row] = rowS[row][q];
    const m = rowMeasured(column, source);
    if (q === 0) lowQ = m;
    S.push(m.value);
    error.push(Number.isFinite(m.error) ? m.error : 0);
  }
  // L of each row's time-averaged S_cc(q); its growth: L of the second half of a replica's production samples minus L
  // of the first half (one replica: later batches minus earlier ones, pairwise).
  const rowL = rowS.map(lengthOf).map((v) => (Number.isFinite(v) ? v : 0));
  const growthValues: number[] = [];
  if (R >= 2) {
    const half = Math.floor(nProd / 2);
    for (let r = 0; r < R; r++) {
      const a = lengthOf(average(r, first, half)),
        b = lengthOf(average(r, first + nProd - half, half));
      growthValues.push(Number.isFinite(a) && Number.isFinite(b) ? b - a : 0);
    }
  } else {
    const half = Math.floor(batches / 2);
    for (let b = 0; b < half; b++) growthValues.push(rowL[batches - half + b] - rowL[b]);
  }
  // The growth of psi the same way (psi ~ 1 - c / L for compact domains: a second, local measure of coarsening).
  const psiMean = (r: number, k0: number, n: number) => {
    let m = 0,
      c = 0;
    for (let k = k0; k < k0 + n; k++) {
      const v = all[r * P + at.psi + k];
      if (Number.isFinite(v)) {
        m += v;
        c++;
      }
    }
    return c > 0 ? m / c : 0;
  };
  const psiGrowth: number[] = [];
  if (R >= 2) {
    const half = Math.floor(nProd / 2);
    for (let r = 0; r < R; r++) psiGrowth.push(psiMean(r, first + nProd - half, half) - psiMean(r, first, half));
  } else {
    const half = Math.floor(batches / 2);
    for (let b = 0; b < half; b++)
      psiGrowth.push(
        psiMean(0, first + (batches - half + b) * samplesPerBatch, samplesPerBatch) -
          psiMean(0, first + b * samplesPerBatch, samplesPerBatch),
      );
  }
  return {
    structure: { q: Array.from(wv.shellQ), S, error, count: Array.from(wv.shellCount), ideal },
    lowQ: lowQ!,
    lengthScale: rowMeasured(rowL, source),
    growth: rowMeasured(growthValues, R >= 2 ? "replicas" : "batches"),
    psiGrowth: rowMeasured(psiGrowth, R >= 2 ? "replicas" : "batches"),
  };
}

/**
 * The simulation of the mixture as an ensemble job (see the header for what is measured and how the error bars are
 * made): run it with `ensemble(job.problem, { ...job.options, runner })` on workers (`runDemixing`), or in process
 * (`simulateDemixing`). Throws ModelError for parameters out of range or a run above the work limit.
 */
export function demixingEnsemble(
  raw: Partial<DemixingParams> = {},
  options: DemixingOptions = {},
): EnsembleJob<DemixingResult> {
  const p = demixingParams(raw);
  checkSimulationWork(
    { time: p.time + p.burnIn, dt: p.dt, replicas: p.replicas, particles: p.N, force: options.force },
    (n) => (n === "time" ? "--time (or --burnIn)" : `--${n}`),
  );
  const l = demixingLayout(p);
  const problem: DemixingProblem = { kind: "two-temperature/demixing", parameters: p };
  return { problem, options: { replicas: p.replicas, seed: p.seed, reduce: (out) => reduceDemixing(l, out) } };
}

/** Simulates the mixture in the calling thread (see demixingEnsemble). */
export function simulateDemixing(raw: Partial<DemixingParams> = {}, options: DemixingOptions = {}): DemixingResult {
  const job = demixingEnsemble(raw, options);
  return ensembleSync(job.problem, job.options);
}

/** Simulates the mixture with its replicas on `run.runner`'s workers (or in process), with progress and cancellation. */
export async function runDemixing(
  raw: Partial<DemixingParams> = {},
  options: DemixingOptions = {},
  run: RunOptions = {},
): Promise<DemixingResult> {
  const job = demixingEnsemble(raw, options);
  return ensemble(job.problem, { ...job.options, ...run });
}

// ---------------------------------------------------------------------------
// Mixed, correlated or separating: the finite-size and time criterion

/** What a run of the criterion contributes: its size, S_cc(q -> 0) and the growth of L. */
export type DemixingCriterionRun = Pick<
  DemixingResult,
  "parameters" | "nCold" | "psi" | "sccLowQ" | "lengthScale" | "lengthGrowth" | "psiGrowth" | "structure"
>;

export interface DemixingEvidence {
  /** Sizes, in increasing order, and S_cc at the smallest shell of each (the q -> 0 estimate). */
  sizes: number[];
  sccLowQ: { value: number; error: number }[];
  /** x(1 - x) of the largest system. */
  ideal: number;
  /** (S_cc(q->0) - x(1 - x)) / error at the largest size. */
  excessZ: number;
  /** psi / error at the largest size (local cold-cold correlation). */
  psiZ: number;
  /** S_cc(q->0) of the largest size over that of the smallest, and the difference in standard errors (1 and 0 for one size). */
  sizeRatio: number;
  sizeZ: number;
  /**
   * How far the growth falls short of the S_cc(q->0) proportional to N of a separated state: (N2 / N1) S1 - S2 in
   * standard errors (largest size 2, smallest 1; 0 for one size). Resolved (> 0) means the growth saturates, as that of
   * a correlated mixture does (Ornstein-Zernike, S_cc(q) = S0 / (1 + xi^2 q^2)): not "separating".
   */
  scalingDeficitZ: number;
  /**
   * How far the growth clears the floor of "separating", S2 - G S1 in standard errors with G = 1 + (N2/N1 - 1) *
   * SEPARATING_FLOOR (1.25 for a doubling; 0 for one size): "separating" needs it resolved, an equivalence test as
   * "mixed" has. With the deficit test only unresolved, a growth halfway between no growth and N2/N1 would pass on
   * few values. What the floor guarantees: an Ornstein-Zernike mixture growing by at most G (a larger box of more than
   * about 11 correlation lengths) passes no more often than the false-alarm rate. One growing by more than G is not
   * kept out: the measured growth passes both tests above max(G + t s, N2/N1 - t s) (s its standard error, t the
   * threshold), never less than 1.625 for a doubling, so a true growth of 1.5-1.6 passes at ordinary rates
   * (docs/studies/two-temperature.md, "The floor of separating").
   */
  floorZ: number;
  /**
   * The correlation length xi of an Ornstein-Zernike mixture, S_cc(q) = S0 / (1 + xi^2 q^2), with this growth between
   * the two sizes' smallest shells q1 > q2: xi^2 = (r - 1) / (q1^2 - r q2^2) for the ratio r; absent unless
   * 1 < r < (q1 / q2)^2 (beyond that no finite xi gives the growth). xi q_min near or above 1 means the box does not
   * reach the scale where a mixture's S_cc saturates.
   */
  ozLength?: number;
  /** Growth of L within the production run at the largest size, relative to L, and in standard errors. */
  lengthGrowth: number;
  lengthGrowthZ: number;
  /** Growth of psi within the production run at the largest size, in standard errors. */
  psiGrowthZ: number;
  /**
   * The largest |psi| and |S_cc(q -> 0) - x(1 - x)| / x(1 - x) the data allow at the largest size: the estimate's
   * magnitude plus resolvedStandardErrors(n) error bars; absent when that is not finite (an error bar from fewer than
   * 2 values: no bound). "mixed" needs both, within MIXED_BOUNDS.
   */
  psiBound?: number;
  sccExcessBound?: number;
  /** All error bars behind the verdict finite and from at least 16 values. */
  reliable: boolean;
  /** One sentence per test, as the verdict used it. */
  reasons: string[];
}

/**
 * Standard errors beyond which a difference counts as resolved for a normally distributed estimate; an error bar from
 * n values (replicas or batches) needs resolvedStandardErrors(n) of them instead (the Student-t quantile with the same
 * false-alarm rate: 32.6 for 4 replicas, 5.48 for 16; statistics.ts).
 */
export const DEMIXING_Z = RESOLVED_NORMAL_Z;

/**
 * "Separating" needs S_cc(q -> 0) to grow from N1 to N2 by a resolved margin above 1 + (N2/N1 - 1) * SEPARATING_FLOOR
 * (1.25 for a doubling), not only by a growth not resolved below N2/N1: a claim of S_cc ~ N that few values cannot
 * make (DemixingEvidence.floorZ). For a doubling, an Ornstein-Zernike mixture S0 / (1 + xi^2 q^2) grows by
 * (1 + 2 u^2) / (1 + u^2), u = xi q_min of the larger box: 1.25 at u = 0.58, a larger box of 2 pi / 0.58 = 10.9
 * correlation lengths. A mixture in a larger box than that reads "separating" at most at the false-alarm rate; in a
 * box of 5-11 correlation lengths (growth 1.25-1.625) it can read "separating" at ordinary rates (a measured growth
 * above 1.625 with a large enough error bar passes both tests), so "separating" says: a separated state, or a mixture
 * correlated over more than about a tenth of the larger box (the separated start and larger sizes decide).
 */
export const SEPARATING_FLOOR = 0.25;

const fmt3 = (x: number) => (Number.isFinite(x) ? Number(x.toPrecision(3)).toString() : String(x));

/**
 * The demixing criterion (docs/studies/two-temperature.md, "Mixed, correlated or separating"), from runs of one
 * physical point at one or more sizes N:
 *  - "separating" when S_cc(q -> 0) grows with N as a separated state's does: largest over smallest size > 1.25 and
 *    resolved above 1 + (N2/N1 - 1)/4 (SEPARATING_FLOOR: 1.25 for a doubling), the largest size resolved above
 *    x(1 - x), and the growth not resolved below N2 / N1 (S_cc(q_min) of a separated state is in proportion to N; a
 *    correlated mixture's, S0 / (1 + xi^2 q^2), saturates, so a growth resolved below N2 / N1 is that of a box near
 *    the correlation length and reads "unresolved"; a growth resolved above 1 but neither above the floor nor below
 *    N2 / N1 reads "unresolved" too: the two tests together keep a mixture whose larger box spans more than about
 *    11 correlation lengths from reading "separating" beyond the false-alarm rate). "Separating" thus
 *    says: composition correlated over the whole box at both sizes, S_cc(q_min) ~ N; a mixture whose correlation
 *    length exceeds both boxes would read the same (larger sizes, or the slab start, decide);
 *  - otherwise "unresolved" when the domains grow within the production run (the domain size L by more than 5% and
 *    resolved, or psi, whose deficit 1 - psi falls like the interface per cold disk, ~ 1/L, resolved): a growth in a
 *    fixed window is coarsening towards a separated state or the settling of a correlated mixture after the random
 *    start, which the window cannot tell apart (at T_hot/T_cold = 100, phi = 0.4 the separated start dissolves at
 *    N = 200 and 400 while the random start's psi grows: docs, "The separated start"); combineDemixing with slab
 *    runs decides;
 *  - otherwise "correlated" when psi (local cold-cold correlation) or S_cc(q -> 0) - x(1 - x) (long-wavelength
 *    composition fluctuations) is resolved from 0 at the largest size: a mixed state with correlations;
 *  - otherwise "mixed", if the data exclude a correlation: |psi| and |S_cc(q -> 0) - x(1 - x)| / x(1 - x) plus their
 *    thresholds' worth of error bars within MIXED_BOUNDS (0.05 and 1); else "unresolved".
 * "Resolved" is beyond resolvedStandardErrors(n) standard errors for an error bar from n values: 4 for many values,
 * the Student-t quantile with the same false-alarm rate for few (5.48 for 16 replicas, 32.6 for 4). When the verdict
 * at those thresholds differs from the one with 4 standard errors in place of each threshold, it is "unresolved" (few values:
 * the data do not decide), never a "mixed" that only says nothing was resolved.
 * `falseAlarmShare` (default 1): every threshold at that share of the false-alarm rate (resolvedStandardErrors(n,
 * share), and resolvedNormalZ(share) in place of 4), for a decision at one of several pre-declared looks
 * (demixingFiniteSize's `looks`: share 1/K at each of K looks keeps the chance of a false decision at any look within
 * the single rule's).
 * Throws ModelError for no runs or runs of different physical points.
 */
export function classifyDemixing(
  runs: readonly DemixingCriterionRun[],
  options: { falseAlarmShare?: number } = {},
): {
  verdict: DemixingVerdict;
  evidence: DemixingEvidence;
} {
  const share = options.falseAlarmShare ?? 1;
  if (!(share > 0 && share <= 1))
    throw new ModelError(`the criterion's false-alarm share must lie in (0, 1], got ${num(share)}`);
  const normalZ = resolvedNormalZ(share);
  if (runs.length === 0) throw new ModelError("the demixing criterion needs at least one run");
  const key = (r: DemixingCriterionRun) => {
    const q = r.parameters;
    return [q.phi, q.Thot, q.Tcold, q.coldFraction, q.stiffness, q.range].join(",");
  };
  if (runs.some((r) => key(r) !== key(runs[0])))
    throw new ModelError("the demixing criterion compares runs of one physical point (phi, temperatures, pair law)");
  const sorted = [...runs].sort((a, b) => a.parameters.N - b.parameters.N);
  const small = sorted[0],
    large = sorted[sorted.length - 1];
  const ideal = large.structure.ideal;
  const s0 = large.sccLowQ;
  const z = (value: number, error: number) => (error > 0 && Number.isFinite(error) ? value / error : 0);
  // Each test is resolved at the Student-t threshold of the number of values behind its error bar (a difference of
  // two: the smaller number, conservative for Welch's degrees of freedom).
  const zOf = (m: { batches: number }) => resolvedStandardErrors(m.batches, share);
  const excessZ = z(s0.value - ideal, s0.error);
  const sizeRatio = small.sccLowQ.value > 0 ? large.sccLowQ.value / small.sccLowQ.value : 1;
  const sizeZ =
    sorted.length > 1
      ? z(large.sccLowQ.value - small.sccLowQ.value, Math.hypot(large.sccLowQ.error, small.sccLowQ.error))
      : 0;
  const g = large.lengthGrowth;
  const lengthGrowth = large.lengthScale.value > 0 ? g.value / large.lengthScale.value : 0;
  const lengthGrowthZ = z(g.value, g.error);
  // Growth with N counts only above the ideal mixture: after a random start S_cc(q_min) of a small box falls below
  // x(1 - x) as the domains form (composition is conserved, S_cc ~ q^4 below the domains' wavenumber) while that of a
  // large box keeps the random start's x(1 - x) (the mode has not relaxed): a rise with N from below x(1 - x) to it is
  // kinetic, not the S_cc(q_min) ~ N of a separated steady state.
  const sizeThreshold = Math.max(zOf(large.sccLowQ), zOf(small.sccLowQ));
  // A separated steady state's S_cc(q_min) is the squared amplitude of one composition profile over N, in proportion
  // to N for the same shape; a correlated mixture's, S0 / (1 + xi^2 q_min^2) (Ornstein-Zernike), grows from N1 to N2
  // by (1 + xi^2 q1^2) / (1 + xi^2 q2^2) < q1^2 / q2^2 = N2 / N1, reaching N2 / N1 only for xi >> L. A growth resolved
  // below N2 / N1 therefore saturates (a box near the correlation length: q_min xi ~ 1) and is not separation.
  const nRatio = large.parameters.N / small.parameters.N;
  const scalingDeficitZ =
    sorted.length > 1
      ? z(
          nRatio * small.sccLowQ.value - large.sccLowQ.value,
          Math.hypot(large.sccLowQ.error, nRatio * small.sccLowQ.error),
        )
      : 0;
  // The floor of "separating": the growth resolved above G = 1 + (N2/N1 - 1) SEPARATING_FLOOR (an equivalence test:
  // a growth that is only not resolved below N2/N1 is no evidence for S_cc ~ N on few values).
  const growthFloor = 1 + (nRatio - 1) * SEPARATING_FLOOR;
  const floorZ =
    sorted.length > 1
      ? z(
          large.sccLowQ.value - growthFloor * small.sccLowQ.value,
          Math.hypot(large.sccLowQ.error, growthFloor * small.sccLowQ.error),
        )
      : 0;
  const q1 = small.structure.q[0],
    q2 = large.structure.q[0];
  const xi2 = sizeRatio > 1 ? (sizeRatio - 1) / (q1 * q1 - sizeRatio * q2 * q2) : NaN;
  const ozLength = sorted.length > 1 && xi2 > 0 && Number.isFinite(xi2) ? Math.sqrt(xi2) : undefined;
  const excessThreshold = zOf(s0);
  const psiGrowthZ = z(large.psiGrowth.value, large.psiGrowth.error);
  const psiZ = z(large.psi.value, large.psi.error);
  const psiThreshold = zOf(large.psi);
  // The verdict with every test at the thresholds t(...) (each test's own, or 4 for all).
  const decide = (t: (own: number) => number) => {
    const rises = sorted.length > 1 && sizeZ > t(sizeThreshold) && sizeRatio > 1.25 && excessZ > t(excessThreshold);
    const saturates = rises && scalingDeficitZ > t(sizeThreshold);
    const clears = rises && floorZ > t(sizeThreshold);
    const grows = clears && !saturates;
    // A growth resolved above 1 that is neither resolved above the floor nor below N2/N1: the data do not decide.
    const between = rises && !clears && !saturates;
    const inTime =
      (lengthGrowthZ > t(zOf(large.lengthGrowth)) && lengthGrowth > 0.05) || psiGrowthZ > t(zOf(large.psiGrowth));
    const verdict: DemixingVerdict = grows
      ? "separating"
      : saturates || between || inTime
        ? "unresolved"
        : excessZ > t(excessThreshold) || psiZ > t(psiThreshold)
          ? "correlated"
          : "mixed";
    return { grows, saturates, between, inTime, verdict };
  };
  const strict = decide((own) => own);
  const { grows: growsWithN, saturates, between, inTime: growsInTime } = strict;
  // The threshold in a reason when it is not the normal one (few values behind the error bar).
  const beyond = (t: number) => (t > normalZ + 0.005 ? `; resolved beyond ${fmt3(t)}` : "");
  const reasons: string[] = [];
  if (sorted.length > 1)
    reasons.push(
      `S_cc(q->0) ${growsWithN ? "grows with N" : saturates ? "rises with N, but less than in proportion to N" : between ? "rises with N, but not resolved above the floor of separating nor below N2/N1" : sizeZ > sizeThreshold && sizeRatio > 1.25 ? "rises with N but not above x(1 - x) (kinetic: small boxes depleted)" : "does not grow with N"}: ${fmt3(small.sccLowQ.value)} at N = ${small.parameters.N}, ` +
        `${fmt3(large.sccLowQ.value)} at N = ${large.parameters.N} (ratio ${fmt3(sizeRatio)}, ${fmt3(sizeZ)} standard errors; ` +
        `a separated state's ratio ${fmt3(nRatio)}, ${fmt3(scalingDeficitZ)} standard errors short of it; ` +
        `${fmt3(floorZ)} standard errors above the floor ${fmt3(growthFloor)} that separating needs${beyond(sizeThreshold)})`,
    );
  reasons.push(
    `the domains ${growsInTime ? "grow" : "do not grow"} in time: L by ${fmt3(100 * lengthGrowth)}% over the production run (${fmt3(lengthGrowthZ)} standard errors${beyond(zOf(large.lengthGrowth))}), ` +
      `psi by ${fmt3(large.psiGrowth.value)} (${fmt3(psiGrowthZ)} standard errors${beyond(zOf(large.psiGrowth))}) at N = ${large.parameters.N}`,
  );
  reasons.push(
    `S_cc(q->0) = ${fmt3(s0.value)} ± ${fmt3(s0.error)} against the ideal mixture's x(1 - x) = ${fmt3(ideal)} (${fmt3(excessZ)} standard errors${beyond(excessThreshold)})`,
  );
  reasons.push(
    `psi = ${fmt3(large.psi.value)} ± ${fmt3(large.psi.error)} (${fmt3(psiZ)} standard errors from 0${beyond(psiThreshold)})`,
  );
  // "mixed" must exclude a correlation, not only fail to resolve one: the interval at the Student-t threshold of psi
  // and of the S_cc excess within MIXED_BOUNDS.
  const bound = (value: number, error: number, t: number, scale: number) => {
    const b = (Math.abs(value) + t * error) / scale;
    return error >= 0 && Number.isFinite(b) ? b : undefined;
  };
  const psiBound = bound(large.psi.value, large.psi.error, psiThreshold, 1);
  const sccExcessBound = ideal > 0 ? bound(s0.value - ideal, s0.error, excessThreshold, ideal) : undefined;
  const excludes =
    psiBound !== undefined &&
    sccExcessBound !== undefined &&
    psiBound <= MIXED_BOUNDS.psi &&
    sccExcessBound <= MIXED_BOUNDS.sccExcess;
  const upTo = (b: number | undefined) => (b === undefined ? "no bound" : fmt3(b));
  const normal = decide(() => normalZ).verdict;
  const verdict: DemixingVerdict =
    strict.verdict !== normal || (strict.verdict === "mixed" && !excludes) ? "unresolved" : normal;
  if (strict.verdict === "mixed")
    reasons.push(
      `the data ${excludes ? "exclude" : "do not exclude"} a correlation: |psi| < ${upTo(psiBound)} (mixed needs ${MIXED_BOUNDS.psi}), ` +
        `|S_cc(q->0) - x(1 - x)| / x(1 - x) < ${upTo(sccExcessBound)} (mixed needs ${MIXED_BOUNDS.sccExcess}) at the thresholds of their error bars`,
    );
  if (verdict === "unresolved" && strict.verdict === normal && saturates)
    reasons.push(
      `unresolved: a growth resolved below N2/N1 saturates, as a correlated mixture's S_cc(q_min) = S0 / (1 + xi^2 q_min^2) does in a box near its correlation length` +
        `${ozLength !== undefined ? ` (this ratio gives xi = ${fmt3(ozLength)}, xi q_min = ${fmt3(ozLength * q1)} and ${fmt3(ozLength * q2)})` : ""}` +
        `, or a separated state not yet settled in the larger box; larger sizes (q_min xi << 1) or the separated start (start: "slab") decide`,
    );
  else if (verdict === "unresolved" && strict.verdict === normal && between)
    reasons.push(
      `unresolved: the growth with N is resolved above 1 but neither above ${fmt3(growthFloor)} (separating) nor below ${fmt3(nRatio)} (saturating, as a correlated mixture's)` +
        `${ozLength !== undefined ? `; as a correlated mixture it would have xi = ${fmt3(ozLength)}, xi q_min = ${fmt3(ozLength * q1)} and ${fmt3(ozLength * q2)}` : ""}` +
        `: more replicas, larger sizes or the separated start (start: "slab") decide`,
    );
  else if (verdict === "unresolved" && strict.verdict === normal && growsInTime)
    reasons.push(
      `unresolved: the domains grow within the run, which is coarsening towards a separated state or the settling of a correlated mixture after the random start; a fixed window cannot tell them apart (the separated start, start: "slab", decides)`,
    );
  else if (verdict === "unresolved")
    reasons.push(
      strict.verdict !== normal
        ? `unresolved: "${normal}" at ${fmt3(normalZ)} standard errors, "${strict.verdict}" at the thresholds of the few values behind the error bars (more replicas decide)`
        : `unresolved: no cold-cold correlation resolved, but none of the sizes above excluded either: not mixed (more replicas or a longer run decide)`,
    );
  const reliable = sorted.every(
    (r) =>
      r.sccLowQ.reliable &&
      r.lengthGrowth.reliable &&
      Number.isFinite(r.sccLowQ.error) &&
      Number.isFinite(r.lengthGrowth.error),
  );
  return {
    verdict,
    evidence: {
      sizes: sorted.map((r) => r.parameters.N),
      sccLowQ: sorted.map((r) => ({ value: r.sccLowQ.value, error: r.sccLowQ.error })),
      ideal,
      excessZ,
      psiZ,
      sizeRatio,
      sizeZ,
      scalingDeficitZ,
      floorZ,
      ...(ozLength !== undefined ? { ozLength } : {}),
      lengthGrowth,
      lengthGrowthZ,
      psiGrowthZ,
      ...(psiBound !== undefined ? { psiBound } : {}),
      ...(sccExcessBound !== undefined ? { sccExcessBound } : {}),
      reliable,
      reasons,
    },
  };
}

export interface DemixingFiniteSizeOptions {
  /** System sizes N (at least one; two or more for the finite-size test). Size i runs with seed base.seed + i. */
  sizes: number[];
  /** Everything else (defaults: DEFAULT_DEMIXING). */
  base?: Partial<DemixingParams>;
  /**
   * The burn-in of each size (default base.burnIn for all): a larger box takes longer to settle, its slowest
   * composition mode relaxing in about (L / 2 pi)^2 / T_cold, in proportion to N. One per size.
   */
  burnIns?: number[];
  /** The production time of each size (default base.time for all). One per size. */
  times?: number[];
  /**
   * Run sizes above the work limit of one simulation (the CLI's --force; `ness reproduce` sets it for its own figure
   * sets, whose cost is stated in their captions).
   */
  force?: boolean;
  /**
   * Replica counts at which to look, ascending, the last the most the point may take (default: one look at
   * base.replicas). With K looks every size runs with the first count; the criterion then decides at share 1/K of its
   * false-alarm rate (classifyDemixing's falseAlarmShare: Bonferroni over the looks), and the point stops there when
   * the verdict is decided (not "unresolved"), else runs again with the next count. Replica r draws from the streams
   * (seed, r) whatever the count, so a later look repeats the earlier looks' replicas (the same numbers) and adds the
   * rest: a point decided early costs that look's share of the work, one that needs every look costs their sum.
   */
  looks?: number[];
}

/** The sequential schedule of a finite-size point run with `looks` (demixingFiniteSize). */
export interface DemixingLooks {
  /** The replica counts declared, and the look that decided (index into `looks`; the last when none did earlier). */
  looks: number[];
  stoppedAt: number;
  /** The criterion's false-alarm share at every look (1 / looks.length). */
  falseAlarmShare: number;
}

export interface DemixingFiniteSize {
  sizes: number[];
  runs: DemixingResult[];
  verdict: DemixingVerdict;
  evidence: DemixingEvidence;
  /** Present when run with `looks`. */
  sequential?: DemixingLooks;
}

/**
 * One physical point at several system sizes, and the criterion's verdict (classifyDemixing). The sizes run on
 * `ctx.runner`'s workers, all at once (or one after another in process). This is the per-point compute of the
 * demixing map: runs at each size, burn-in + production each, S_cc(q) sampled with psi.
 */
export async function demixingFiniteSize(
  options: DemixingFiniteSizeOptions,
  ctx: RunContext = {},
): Promise<DemixingFiniteSize> {
  const sizes = options.sizes;
  if (!Array.isArray(sizes) || sizes.length === 0)
    throw new ModelError("the finite-size study needs at least one system size N");
  const base = demixingParams(options.base);
  const burnIns = options.burnIns;
  if (burnIns !== undefined && (!Array.isArray(burnIns) || burnIns.length !== sizes.length))
    throw new ModelError(
      `the finite-size study needs one burn-in per system size (${sizes.length}), got ${Array.isArray(burnIns) ? burnIns.length : "no list"}`,
    );
  const times = options.times;
  if (times !== undefined && (!Array.isArray(times) || times.length !== sizes.length))
    throw new ModelError(
      `the finite-size study needs one production time per system size (${sizes.length}), got ${Array.isArray(times) ? times.length : "no list"}`,
    );
  const looks = options.looks;
  if (
    looks !== undefined &&
    (!Array.isArray(looks) ||
      looks.length === 0 ||
      looks.some((n, k) => !(Number.isInteger(n) && n >= 2 && (k === 0 || n > looks[k - 1]))))
  )
    throw new ModelError(
      `the finite-size study's looks must be ascending replica counts of at least 2, got ${Array.isArray(looks) ? `[${looks.map(num).join(", ")}]` : "no list"}`,
    );
  const runAt = (replicas: number) => {
    const grid = sizes.map((N, i) =>
      demixingParams({
        ...base,
        N,
        replicas,
        seed: base.seed + i,
        ...(burnIns ? { burnIn: burnIns[i] } : {}),
        ...(times ? { time: times[i] } : {}),
      }),
    );
    const jobs = grid.map((q) => demixingEnsemble(q, { force: options.force }));
    return runAll(
      ctx,
      jobs.map((job) => (run: RunOptions) => ensemble(job.problem, { ...job.options, ...run })),
    );
  };
  if (looks === undefined) {
    const runs = await runAt(base.replicas);
    const { verdict, evidence } = classifyDemixing(runs);
    return { sizes: [...sizes], runs, verdict, evidence };
  }
  const falseAlarmShare = 1 / looks.length;
  for (let k = 0; ; k++) {
    const runs = await runAt(looks[k]);
    const { verdict, evidence } = classifyDemixing(runs, { falseAlarmShare });
    if (verdict !== "unresolved" || k === looks.length - 1)
      return {
        sizes: [...sizes],
        runs,
        verdict,
        evidence,
        sequential: { looks: [...looks], stoppedAt: k, falseAlarmShare },
      };
  }
}

/** Averages groups of `group` consecutive rows of K values (rows of equal weight). */
function collapseRows(a: Float64Array, K: number, group: number): Float64Array {
  if (group === 1) return a;
  const rows = a.length / K / group;
  const out = new Float64Array(rows * K);
  for (let r = 0; r < rows; r++)
    for (let g = 0; g < group; g++) for (let k = 0; k < K; k++) out[r * K + k] += a[(r * group + g) * K + k] / group;
  return out;
}

// ---------------------------------------------------------------------------
// Sweep

export interface DemixingSweepOptions {
  /** Temperature ratios T_hot / T_cold (T_hot fixed at the base value, T_cold = T_hot / ratio). */
  ratios: number[];
  /** Area fractions. */
  phis: number[];
  /**
   * System sizes run at every point for the criterion (classifyDemixing); default the base N alone. Point
   * (phi index i, ratio index j) runs size s with seed base.seed + (i * ratios.length + j) * sizes.length + s.
   */
  sizes?: number[];
  /** Everything else (defaults: DEFAULT_DEMIXING). */
  base?: Partial<DemixingParams>;
}

export interface DemixingSweep {
  ratios: number[];
  phis: number[];
  sizes: number[];
  /** psi[i][j] at phis[i], ratios[j] (largest size). */
  psi: MeasuredValue[][];
  largestCluster: MeasuredValue[][];
  /** The criterion's verdict and its evidence at each point. */
  verdict: DemixingVerdict[][];
  evidence: DemixingEvidence[][];
  /** The runs of the largest size. */
  runs: DemixingResult[][];
}

/**
 * The criterion, psi and the largest cold cluster over a grid of T_hot / T_cold and area fraction. T_hot is held at
 * the base value and T_cold = T_hot / ratio: the hot gas and the time step stay the same, the cold disks get colder.
 * The per-point compute: one demixing run (burn-in + production, replicas) at each size, then classifyDemixing. All
 * runs go to `ctx.runner`'s workers at once (or one after another in process); progress counts steps over the whole
 * sweep.
 */
export async function demixingSweep(options: DemixingSweepOptions, ctx: RunContext = {}): Promise<DemixingSweep> {
  const { ratios, phis } = options;
  if (ratios.length === 0 || phis.length === 0)
    throw new ModelError("the sweep needs at least one temperature ratio and one area fraction");
  for (const r of ratios)
    if (!(Number.isFinite(r) && r > 0))
      throw new ModelError(`temperature ratio must be a finite number > 0, got ${num(r)}`);
  const base = demixingParams(options.base);
  const sizes = options.sizes ?? [base.N];
  if (sizes.length === 0) throw new ModelError("the sweep needs at least one system size");
  const S = sizes.length;
  const grid = phis.flatMap((phi, i) =>
    ratios.flatMap((ratio, j) =>
      sizes.map((N, s) =>
        demixingParams({
          ...base,
          N,
          phi,
          Tcold: base.Thot / ratio,
          seed: base.seed + (i * ratios.length + j) * S + s,
        }),
      ),
    ),
  );
  const jobs = grid.map((q) => demixingEnsemble(q));
  const flat = await runAll(
    ctx,
    jobs.map((job) => (run: RunOptions) => ensemble(job.problem, { ...job.options, ...run })),
  );
  const point = (i: number, j: number) => flat.slice((i * ratios.length + j) * S, (i * ratios.length + j + 1) * S);
  const largestOf = (runs: DemixingResult[]) =>
    runs.reduce((a, b) => (b.parameters.N > a.parameters.N ? b : a), runs[0]);
  const runs = phis.map((_, i) => ratios.map((_, j) => largestOf(point(i, j))));
  const classified = phis.map((_, i) => ratios.map((_, j) => classifyDemixing(point(i, j))));
  return {
    ratios: [...ratios],
    phis: [...phis],
    sizes: [...sizes],
    psi: runs.map((row) => row.map((r) => r.psi)),
    largestCluster: runs.map((row) => row.map((r) => r.largestCluster)),
    verdict: classified.map((row) => row.map((c) => c.verdict)),
    evidence: classified.map((row) => row.map((c) => c.evidence)),
    runs,
  };
}
