/**
 * Section 4.1 of [Metzger 2026]: two overdamped particles (mobility 1) at temperatures T1 and T2, joined by a spring
 * U = k r^2 / 2 and held by a trap V = lambda |r|^2 / 2, per spatial dimension
 *   x1' = -k (x1 - x2) - lambda x1 + sqrt(2 T1) eta1,   x2' = -k (x2 - x1) - lambda x2 + sqrt(2 T2) eta2
 * (eqs. 28-29 as corrected in docs/corrections.md: the printed equations swap the trap terms).
 *
 * Exact: the stationary covariance from the exact engine (an overdamped network), the heat flows and the entropy
 * production rate three ways (engine, closed form k^2 (T1 - T2)^2 / (2 T1 T2 (k + lambda)), the general linear
 * formula Tr(D^-1 F S F^T) - Tr(F)); the Gaussian density and the probability current J = (D S^-1 - F) x p(x) on a
 * grid of (x1, x2). Simulated: the same model as a `kind: particles` file through the stochastic engine, with the
 * density and current fields. Browser-safe.
 */
import { overdampedEntropyProduction } from "../../exact/linearSde.js";
import { solveNetwork, type NetworkSteadyState } from "../../exact/network.js";
import { matrix, type Matrix } from "../../linalg/matrix.js";
import { validateNetwork, type NetworkModel } from "../../model/network.js";
import { validateParticles, type ParticlesModel } from "../../model/particles.js";
import { heun } from "../../stochastic/integrators.js";
import type { RunOptions } from "../../stochastic/ensemble.js";
import { findEstimate, type SimulationOptions, type SimulationResult } from "../../stochastic/run.js";
import type { FieldResult } from "../../stochastic/fields.js";
import { measured, type Measured } from "../../stochastic/statistics.js";
import { simulateAndVerify, simulateAndVerifySync } from "../../verify/simulation.js";
import { checkSimulationCost } from "../cost.js";
import { checkRange } from "../ranges.js";
import { defaultsOf, descriptionsOf, rangesOf } from "../schema.js";
import { pairSchema } from "./parameters.js";

export interface HarmonicPairParams {
  /** Spring stiffness k > 0 between the particles. */
  k: number;
  /** Trap stiffness lambda > 0 (confinement: without it there is no steady state). */
  lambda: number;
  /** Temperature of particle 1's bath. */
  T1: number;
  /** Temperature of particle 2's bath. */
  T2: number;
}

export const PAIR_PARAM_NAMES = ["k", "lambda", "T1", "T2"] as const;

/** The recitation's values (parameters.ts): a hot particle 1 (T1 = 5) and a cold particle 2 (T2 = 1), k = lambda = 1. */
export const DEFAULT_PAIR: HarmonicPairParams = { ...defaultsOf(pairSchema, PAIR_PARAM_NAMES) };

export const PAIR_PARAM_DESCRIPTIONS = descriptionsOf(pairSchema, PAIR_PARAM_NAMES);

/**
 * The domain of the pair's parameters (declared in parameters.ts): 12 decades each. Beyond them k^2 (T1 - T2)^2
 * overflows, or the time scales 1/lambda and 1/(2k + lambda) are too far apart for the Lyapunov equation in double
 * precision.
 */
export const PAIR_RANGES = rangesOf(pairSchema, PAIR_PARAM_NAMES);

/** Checks the parameters against PAIR_RANGES; ModelError naming the first bad one and its range. */
export function validatePairParams(raw: Partial<HarmonicPairParams>): HarmonicPairParams {
  const p = { ...DEFAULT_PAIR, ...raw };
  for (const name of PAIR_PARAM_NAMES)
    checkRange(`${name} (${PAIR_PARAM_DESCRIPTIONS[name]})`, p[name], PAIR_RANGES[name]);
  return p;
}

/** The pair as an overdamped network for the exact engine: sites 1 and 2, friction 1, pinning lambda, spring k. */
export function pairNetwork(p: HarmonicPairParams): NetworkModel {
  return validateNetwork({
    kind: "network",
    name: "Harmonic pair at two temperatures (after Metzger's recitation notes)",
    dynamics: "overdamped",
    sites: ["1", "2"],
    pinning: p.lambda,
    springs: [{ between: ["1", "2"], stiffness: p.k }],
    baths: [
      { site: "1", friction: 1, temperature: p.T1 },
      { site: "2", friction: 1, temperature: p.T2 },
    ],
  });
}

/** The pair as a `kind: particles` model for the stochastic engine (species "1" and "2", one particle each). */
export function pairParticles(p: HarmonicPairParams, dimension: 1 | 2 | 3 = 1): ParticlesModel {
  return validateParticles({
    kind: "particles",
    name: "Harmonic pair at two temperatures (after Metzger's recitation notes)",
    dynamics: "overdamped",
    dimension,
    species: [
      { name: "1", count: 1, temperature: p.T1, friction: 1 },
      { name: "2", count: 1, temperature: p.T2, friction: 1 },
    ],
    pairs: [{ between: ["1", "2"], potential: "harmonic", stiffness: p.k }],
    external: [{ potential: "harmonic", stiffness: p.lambda }],
    initial: [Array.from({ length: dimension }, () => 0), Array.from({ length: dimension }, () => 0)],
  });
}

/** Closed forms per dimension (independent of the engine): covariance, heat flow, entropy production. */
export function pairClosedForm(p: HarmonicPairParams): {
  covariance: [[number, number], [number, number]];
  /** Heat from bath 1 into the pair (= heat into bath 2): k^2 (T1 - T2) / (2 (k + lambda)). */
  heatFlow: number;
  entropyProduction: number;
} {
  const { k, lambda, T1, T2 } = p;
  const a = k + lambda;
  // F S + S F^T = 2 D with F = [[a, -k], [-k, a]], D = diag(T1, T2): sum and difference of the diagonal equations.
  const trace = ((T1 + T2) * a) / (a * a - k * k);
  const diff = (T1 - T2) / a;
  const s12 = (k * trace) / (2 * a);
  const s11 = (trace + diff) / 2,
    s22 = (trace - diff) / 2;
  const heatFlow = (k * k * (T1 - T2)) / (2 * a);
  return {
    covariance: [
      [s11, s12],
      [s12, s22],
    ],
    heatFlow,
    entropyProduction: (k * k * (T1 - T2) ** 2) / (2 * T1 * T2 * a),
  };
}

export interface PairExact {
  parameters: HarmonicPairParams;
  /** Stationary covariance [[<x1 x1>, <x1 x2>], [<x2 x1>, <x2 x2>]] per dimension (exact engine). */
  covariance: [[number, number], [number, number]];
  /** Drift F and diffusion D of x' = -F x + sqrt(2 D) eta. */
  force: Matrix;
  diffusion: [number, number];
  /** Heat from each bath into the pair (exact engine), per dimension; positive for the hotter bath. */
  heatFromBath: [number, number];
  /** Heat flowing into each bath (= -heatFromBath). */
  heatIntoBath: [number, number];
  /** Entropy production rate per dimension, -sum Q_i / T_i from the engine's bath fluxes. */
  entropyProduction: number;
  /** The same from the general linear formula Tr(D^-1 F S F^T) - Tr(F). */
  entropyProductionLinear: number;
  /** The closed form k^2 (T1 - T2)^2 / (2 T1 T2 (k + lambda)). */
  entropyProductionClosedForm: number;
  /**
   * Circulation of the probability current: the mean area swept per unit time in the (x1, x2) plane,
   * <x1 o x2' - x2 o x1'> / 2 = k (T1 - T2) / (2 (k + lambda)); positive = counterclockwise (T1 > T2).
   */
  areaRate: number;
  residual: number;
  steadyState: NetworkSteadyState;
}

/** The exact stationary state of the pair, per spatial dimension. */
export function pairExact(params: HarmonicPairParams): PairExact {
  const p = validatePairParams(params);
  const ss = solveNetwork(pairNetwork(p));
  const S = ss.covariance.data;
  const a = p.k + p.lambda;
  const force = matrix(2, 2, [a, -p.k, -p.k, a]);
  const cov = matrix(2, 2, S);
  const diffusion: [number, number] = [p.T1, p.T2];
  const heatFromBath: [number, number] = [ss.baths[0].flux, ss.baths[1].flux];
  // <x1 o x2'> = -(S F^T)_12 and <x2 o x1'> = -(S F^T)_21 (no Stratonovich correction: D is diagonal).
  const x1v2 = -(S[0] * force.data[2] + S[1] * force.data[3]);
  const x2v1 = -(S[2] * force.data[0] + S[3] * force.data[1]);
  return {
    parameters: p,
    covariance: [
      [S[0], S[1]],
      [S[2], S[3]],
    ],
    force,
    diffusion,
    heatFromBath,
    heatIntoBath: [-heatFromBath[0], -heatFromBath[1]],
    entropyProduction: ss.entropyProduction,
    entropyProductionLinear: overdampedEntropyProduction(force, new Float64Array(diffusion), cov),
    entropyProductionClosedForm: pairClosedForm(p).entropyProduction,
    areaRate: (x1v2 - x2v1) / 2,
    residual: ss.residual,
    steadyState: ss,
  };
}

/** A scalar field and a vector field on a grid of cell centres; rows run over x2 (values[j][i] at (x1[i], x2[j])). */
export interface PhaseSpaceField {
  x1: number[];
  x2: number[];
  density: number[][];
  current1: number[][];
  current2: number[][];
}

/** Symmetric grid ranges: +-`width` standard deviations of each coordinate. */
export function pairGridRange(e: PairExact, width = 3.5): [[number, number], [number, number]] {
  const s1 = Math.sqrt(e.covariance[0][0]),
    s2 = Math.sqrt(e.covariance[1][1]);
  return [
    [-width * s1, width * s1],
    [-width * s2, width * s2],
  ];
}

/** Cell centres of `bins` equal cells spanning [lo, hi]. */
export function cellCentres([lo, hi]: [number, number], bins: number): number[] {
  return Array.from({ length: bins }, (_, i) => lo + ((i + 0.5) * (hi - lo)) / bins);
}

/** Exact Gaussian density p(x) and current J = (-F x - D grad) p = (D S^-1 - F) x p at the cell centres. */
export function exactPairField(
  e: PairExact,
  range: [[number, number], [number, number]],
  bins: [number, number],
): PhaseSpaceField {
  const [[s11, s12], [, s22]] = e.covariance;
  const det = s11 * s22 - s12 * s12;
  const i11 = s22 / det,
    i12 = -s12 / det,
    i22 = s11 / det;
  const F = e.force.data;
  const [D1, D2] = e.diffusion;
  // M = D S^-1 - F
  const m11 = D1 * i11 - F[0],
    m12 = D1 * i12 - F[1],
    m21 = D2 * i12 - F[2],
    m22 = D2 * i22 - F[3];
  const norm = 1 / (2 * Math.PI * Math.sqrt(det));
  const x1 = cellCentres(range[0], bins[0]),
    x2 = cellCentres(range[1], bins[1]);
  const density: number[][] = [],
    current1: number[][] = [],
    current2: number[][] = [];
  for (const b of x2) {
    const rd: number[] = [],
      r1: number[] = [],
      r2: number[] = [];
    for (const a of x1) {
      const pdf = norm * Math.exp(-0.5 * (i11 * a * a + 2 * i12 * a * b + i22 * b * b));
      rd.push(pdf);
      r1.push((m11 * a + m12 * b) * pdf);
      r2.push((m21 * a + m22 * b) * pdf);
    }
    density.push(rd);
    current1.push(r1);
    current2.push(r2);
  }
  return { x1, x2, density, current1, current2 };
}

/** The engine's FieldResult (row-major [ix * ny + iy]) as rows over x2. */
export function fieldRows(
  f: FieldResult,
): PhaseSpaceField & { densityError: number[][]; current1Error: number[][]; current2Error: number[][] } {
  const [nx, ny] = f.bins;
  const grid = (a: Float64Array) =>
    Array.from({ length: ny }, (_, j) => Array.from({ length: nx }, (_, i) => a[i * ny + j]));
  return {
    x1: cellCentres(f.range[0], nx),
    x2: cellCentres(f.range[1], ny),
    density: grid(f.density),
    current1: grid(f.currentX),
    current2: grid(f.currentY),
    densityError: grid(f.densityError),
    current1Error: grid(f.currentXError),
    current2Error: grid(f.currentYError),
  };
}

/** The stochastic engine's Measured (value, error, reliable): the type of every simulated number of these studies. */
export type { Measured };

/** An estimate of a simulation result as a Measured (RangeError when the result lacks it). */
export function estimateOf(result: SimulationResult, group: string, name: string): Measured {
  return measured(findEstimate(result, group, name));
}

export interface PairSimulationOptions {
  /** Run even above the work limit of src/studies/cost.ts. */
  force?: boolean;
  /** Production time per replica (default 400). */
  time?: number;
  dt?: number;
  replicas?: number;
  seed?: number;
  /** Bins per axis of the (x1, x2) field (default 24). */
  bins?: number;
}

export interface PairSimulation {
  /** Heat from each bath into the pair, with error bars (Stratonovich estimator). */
  heatFromBath: [Measured, Measured];
  entropyProduction: Measured;
  covariance: [[Measured, Measured], [Measured, Measured]];
  field: FieldResult;
  result: SimulationResult;
}

/** The pair's simulation: the model, scheme and options of the engine, and what is read from its result. */
function pairSimulation(params: HarmonicPairParams, options: PairSimulationOptions) {
  const p = validatePairParams(params);
  const e = pairExact(p);
  const bins = options.bins ?? 24;
  // The Stratonovich flux estimators carry a bias ~ -0.36 (rate) dt: keep (k + lambda + k) dt small.
  const dt = options.dt ?? Math.min(0.002, 0.005 / (2 * p.k + p.lambda));
  const time = options.time ?? 400;
  const replicas = options.replicas ?? 8;
  checkSimulationCost({ time, dt, replicas, particles: 2, force: options.force });
  const settings: SimulationOptions = {
    time,
    seed: options.seed ?? 1,
    replicas,
    fields: [{ coordinates: ["x:0", "x:1"], bins: [bins, bins], range: pairGridRange(e) }],
    // The trapezoid heat: at this dt its first-order bias -(k + lambda) dt is below 0.5%, far inside its error bar,
    // while the state-function heat (the engine's default for smooth pair forces) has about 3x its error bar here.
    pairHeat: "trapezoid",
  };
  const finish = (result: SimulationResult): PairSimulation => {
    const m = (group: string, name: string) => estimateOf(result, group, name);
    const c01 = m("covariance", "x:0 x:1");
    return {
      heatFromBath: [m("bath flux", "into 1"), m("bath flux", "into 2")],
      entropyProduction: m("entropy production", "rate"),
      covariance: [
        [m("covariance", "x:0 x:0"), c01],
        [c01, m("covariance", "x:1 x:1")],
      ],
      field: result.fields[0],
      result,
    };
  };
  return { model: pairParticles(p), scheme: heun({ dt }), settings, finish };
}

/** Simulates the pair in 1D with the stochastic engine (Heun), recording the (x1, x2) density and current. */
export function simulatePair(params: HarmonicPairParams, options: PairSimulationOptions = {}): PairSimulation {
  const s = pairSimulation(params, options);
  return s.finish(simulateAndVerifySync(s.model, s.scheme, s.settings));
}

/** simulatePair with the replicas on `run.runner`'s workers (or in process): the same numbers. */
export async function runPair(
  params: HarmonicPairParams,
  options: PairSimulationOptions = {},
  run: RunOptions = {},
): Promise<PairSimulation> {
  const s = pairSimulation(params, options);
  return s.finish(await simulateAndVerify(s.model, s.scheme, s.settings, run));
}

/**
 * Chi-square of the simulated current against zero over the bins where the density is well sampled (density above
 * `minDensityFraction` of its maximum): about one per bin when there is no current (detailed balance).
 */
export function currentChiSquare(f: FieldResult, minDensityFraction = 0.05): { chi2: number; bins: number } {
  let peak = 0;
  for (const v of f.density) peak = Math.max(peak, v);
  let chi2 = 0,
    bins = 0;
  for (let b = 0; b < f.density.length; b++) {
    if (f.density[b] < minDensityFraction * peak) continue;
    for (const [v, s] of [
      [f.currentX[b], f.currentXError[b]],
      [f.currentY[b], f.currentYError[b]],
    ]) {
      if (!(s > 0)) continue;
      chi2 += (v / s) ** 2;
      bins++;
    }
  }
  return { chi2, bins };
}
