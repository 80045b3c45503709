/**
 * The steady state of the two-oscillator system by the exact engine (the two oscillators as a linear SDE problem of
 * src/problem; the 4x4 Lyapunov equation A S + S A^T = B B^T solved by stationary(problem) at one point and by the
 * allocation-free prepareInPlace solver in sweeps) and everything derived from it: energy fluxes
 * (Section 5.2), entropy production, the detailed-balance test of eqs. 39-41, apparent temperatures, and the
 * closed forms for comparison. All quantities are dimensionless (units: length L, time tau = sqrt(m/k2),
 * temperature T0 = k2 L^2 / kB, energy flux k2 L^2 / tau); `physicalSteadyState` converts them.
 */
import { ModelError, SteadyStateError } from "../../errors.js";
import { prepareInPlace, stationary, type InPlaceStationary } from "../../exact/linearSde.js";
import { harmonicDiffusionInto, harmonicDriftInto, harmonicProblem } from "../../problem/harmonic.js";
import type { LinearSdeProblem } from "../../problem/linearSde.js";
import {
  closedFormCovariance,
  covarianceFromMatrix,
  COVARIANCE_COLUMNS,
  sigma11Equilibrium,
  sigma22Equilibrium,
  stiffnessDeterminant,
  type Covariance,
} from "./closedForms.js";
import {
  mechanicalToDimensionless,
  validateDimensionless,
  type DimensionlessParameters,
  type MechanicalParameters,
  type Scales,
} from "./parameters.js";

/** Largest relative difference between the exact engine and the closed forms that passes without a warning. */
export const CLOSED_FORM_AGREEMENT = 1e-6;

/** Stationary covariance by the Lyapunov equation, with the solve's relative residual. */
export interface LyapunovCovariance {
  covariance: Covariance;
  /** Row-major 4x4 covariance of (u1, u2, v1, v2). */
  matrix: Float64Array;
  /** ||A S + S A^T - B B^T|| / (2 ||A|| ||S|| + ||B B^T||). */
  residual: number;
}

/**
 * The two oscillators as harmonic oscillators with baths (src/problem harmonic.ts), in the dimensionless units:
 * unit masses, stiffness matrix [[k + k0, -k0], [-k0, 1 + k0]], friction 1/q on each (gamma in the force -gamma v),
 * bath temperatures T1, T2; the state is (u1, u2, v1, v2).
 */
export interface OscillatorPairProblem {
  /** The linear SDE problem; writeOscillatorPair rewrites its drift and diffusion in place. */
  problem: LinearSdeProblem;
  stiffness: Float64Array;
  mass: Float64Array;
  friction: Float64Array;
  temperature: Float64Array;
}

/** A new linear SDE problem of the two oscillators at the parameters (validated by the caller). */
export function oscillatorPairProblem(p: DimensionlessParameters): OscillatorPairProblem {
  const pair: OscillatorPairProblem = {
    problem: harmonicProblem({
      dynamics: "underdamped",
      stiffness: new Float64Array(4),
      mass: new Float64Array([1, 1]),
      friction: new Float64Array([1, 1]),
      temperature: new Float64Array(2),
      names: ["1", "2"],
    }),
    stiffness: new Float64Array(4),
    mass: new Float64Array([1, 1]),
    friction: new Float64Array(2),
    temperature: new Float64Array(2),
  };
  return writeOscillatorPair(p, pair);
}

/** Rewrites the problem's drift and diffusion for the parameters p, in place (no allocation: a sweep's inner step). */
export function writeOscillatorPair(p: DimensionlessParameters, pair: OscillatorPairProblem): OscillatorPairProblem {
  const V = pair.stiffness;
  V[0] = p.k + p.k0;
  V[1] = -p.k0;
  V[2] = -p.k0;
  V[3] = 1 + p.k0;
  pair.friction[0] = pair.friction[1] = 1 / p.q;
  pair.temperature[0] = p.T1;
  pair.temperature[1] = p.T2;
  harmonicDriftInto("underdamped", 2, V, pair.mass, pair.friction, pair.problem.drift.data);
  harmonicDiffusionInto("underdamped", 2, pair.friction, pair.temperature, pair.problem.diffusion.data);
  return pair;
}

/** The exact engine's allocation-free solver of the two oscillators, for sweeps (prepareInPlace, src/exact). */
export interface OscillatorPairSolver {
  pair: OscillatorPairProblem;
  solver: InPlaceStationary;
}

/** Prepares an allocation-free solver (one per sweep; the parameters of the first point do not matter). */
export function prepareOscillatorPair(): OscillatorPairSolver {
  const pair = oscillatorPairProblem({ k: 1, k0: 0, q: 1, T1: 1, T2: 1 });
  return { pair, solver: prepareInPlace(pair.problem) };
}

function cannotSolve(p: DimensionlessParameters, err: unknown): SteadyStateError {
  return new SteadyStateError(
    `the exact engine cannot solve the Lyapunov equation at k = ${p.k}, k0 = ${p.k0}, q = ${p.q} to working precision ` +
      `(the time scales 1/q and 1/sqrt(k), 1/sqrt(k0) are too far apart for double precision): ${(err as Error).message}`,
  );
}

let shared: OscillatorPairSolver | undefined;

/**
 * Solves A S + S A^T = B B^T for validated parameters with the exact engine's in-place solver (writes S into `out`,
 * no allocation); returns the residual. The stability of the drift is guaranteed by the parameters' ranges
 * (q > 0, k >= 0 and k0 >= 0 not both zero: validateDimensionless).
 */
export function lyapunovCovarianceInto(
  p: DimensionlessParameters,
  out: Float64Array,
  prepared?: OscillatorPairSolver,
): number {
  const s = prepared ?? (shared ??= prepareOscillatorPair());
  writeOscillatorPair(p, s.pair);
  try {
    return s.solver.solveInto(out);
  } catch (err) {
    throw cannotSolve(p, err);
  }
}

/** The stationary covariance of one parameter point by the exact engine (stationary(problem), src/exact). */
export function lyapunovCovariance(parameters: DimensionlessParameters): LyapunovCovariance {
  const p = validateDimensionless(parameters);
  let solution;
  try {
    solution = stationary(oscillatorPairProblem(p).problem);
  } catch (err) {
    throw cannotSolve(p, err);
  }
  const matrix = solution.covariance.data;
  return { covariance: covarianceFromMatrix(matrix), matrix, residual: solution.residual };
}

/** Energy fluxes in units of k2 L^2 / tau (Section 5.2 with docs/corrections.md's directions). */
export interface EnergyFluxes {
  /** From bath 1 into oscillator 1: (T1 - sigma33) / q (eq. 33). */
  bathToOscillator1: number;
  /** From bath 2 into oscillator 2: (T2 - sigma44) / q. */
  bathToOscillator2: number;
  /** Through the coupling spring from oscillator 1 to 2: K <x1 x2'> = k0 sigma14 = -k0 sigma23. */
  spring1to2: number;
}

export function energyFluxes(p: DimensionlessParameters, c: Covariance): EnergyFluxes {
  return {
    bathToOscillator1: (p.T1 - c.sigma33) / p.q,
    bathToOscillator2: (p.T2 - c.sigma44) / p.q,
    spring1to2: -p.k0 * c.sigma23,
  };
}

/**
 * Entropy production rate (units kB / tau): -(phi_1 / T1 + phi_2 / T2) >= 0. In the steady state phi_1 = -phi_2 =
 * the spring flux from 1 to 2, so it equals phi_{1->2} (1/T2 - 1/T1), computed that way (no cancellation between two
 * nearly opposite bath terms, so no round-off below zero). At T_i = 0 it is infinite when heat flows into that bath
 * (a noiseless damper that absorbs heat), and 0 when no heat flows (k0 = 0 or T1 = T2 = 0): then `value` is
 * undefined and `undefinedReason` says why.
 */
export function entropyProductionRate(
  p: DimensionlessParameters,
  f: EnergyFluxes,
): { value?: number; undefinedReason?: string } {
  const flux = f.spring1to2;
  if (p.T1 > 0 && p.T2 > 0) return { value: flux * (1 / p.T2 - 1 / p.T1) };
  if (p.k0 === 0 || p.T1 === p.T2) return { value: 0 };
  const cold = p.T1 === 0 ? 1 : 2;
  return {
    undefinedReason: `infinite: bath ${cold} is at T${cold} = 0 and receives heat (a noiseless damper), so -phi${cold}/T${cold} diverges`,
  };
}

/** Entropy production rate (units kB / tau); throws SteadyStateError where it is infinite (a bath at T = 0 receiving heat). */
export function entropyProduction(p: DimensionlessParameters, f: EnergyFluxes): number {
  const r = entropyProductionRate(p, f);
  if (r.value === undefined) throw new SteadyStateError(`the entropy production is ${r.undefinedReason}`);
  return r.value;
}

/**
 * Detailed balance (eq. 39): B B^T - A S - eps A eps S with eps = diag(1, 1, -1, -1). It vanishes iff detailed
 * balance holds; for this system it equals (2/q) [[0,0,0,0],[0,0,0,0],[0,-s23,-q k0 s23,-s34],[s23,0,-s34,q k0 s23]],
 * i.e. eq. 40 up to the factor 2/q and the sign of the sigma34 entries (docs/corrections.md).
 */
export function detailedBalanceMatrix(p: DimensionlessParameters, s: Float64Array): Float64Array {
  const { problem } = oscillatorPairProblem(p);
  const a = problem.drift.data,
    d = problem.diffusion.data;
  const eps = [1, 1, -1, -1];
  const out = new Float64Array(16);
  for (let i = 0; i < 4; i++) {
    for (let j = 0; j < 4; j++) {
      let as = 0,
        eaes = 0;
      for (let l = 0; l < 4; l++) {
        as += a[i * 4 + l] * s[l * 4 + j];
        eaes += eps[i] * a[i * 4 + l] * eps[l] * s[l * 4 + j];
      }
      out[i * 4 + j] = d[i * 4 + j] - as - eaes;
    }
  }
  return out;
}

/** Apparent temperatures (units T0): what each oscillator's variances would mean at equilibrium. */
export interface ApparentTemperatures {
  /** sigma11 over its equilibrium value per unit temperature, sigma11 (k + (1+k) k0) / (1 + k0). */
  configurational1: number;
  /** sigma22 (k + (1+k) k0) / (k + k0). */
  configurational2: number;
  /** Kinetic temperature <v1^2> = sigma33. */
  kinetic1: number;
  /** Kinetic temperature <v2^2> = sigma44. */
  kinetic2: number;
}

export function apparentTemperatures(
  p: Pick<DimensionlessParameters, "k" | "k0">,
  c: Covariance,
): ApparentTemperatures {
  const D = stiffnessDeterminant(p);
  return {
    configurational1: (c.sigma11 * D) / (1 + p.k0),
    configurational2: p.k + p.k0 > 0 ? (c.sigma22 * D) / (p.k + p.k0) : NaN,
    kinetic1: c.sigma33,
    kinetic2: c.sigma44,
  };
}

/** Largest relative difference between two covariances, element by element (see `elementDeviation`). */
export function covarianceDeviation(a: Covariance, b: Covariance): number {
  let worst = 0;
  for (const key of COVARIANCE_COLUMNS) worst = Math.max(worst, elementDeviation(a, b, key));
  return worst;
}

/**
 * The difference a - b of one element relative to b; for an element smaller than 1e-6 of its natural scale
 * (sqrt(s_ii s_jj): elements that vanish, like sigma23 at T1 = T2, or cross zero), relative to that scale instead.
 */
export function relativeDeviation(a: number, b: number, scale: number): number {
  const s = Math.abs(scale);
  const denom = Math.abs(b) >= 1e-6 * s ? Math.abs(b) : s;
  return denom > 0 ? Math.abs(a - b) / denom : Math.abs(a - b) === 0 ? 0 : Infinity;
}

/** Natural scale of each element: |s_ii| for a variance, sqrt(|s_ii s_jj|) for a covariance. */
export function elementScale(b: Covariance, key: (typeof COVARIANCE_COLUMNS)[number]): number {
  switch (key) {
    case "sigma12":
      return Math.sqrt(Math.abs(b.sigma11 * b.sigma22));
    case "sigma34":
      return Math.sqrt(Math.abs(b.sigma33 * b.sigma44));
    case "sigma23":
      return Math.sqrt(Math.abs(b.sigma22 * b.sigma33));
    default:
      return Math.abs(b[key]);
  }
}

/** relativeDeviation of one element of a from b. */
export function elementDeviation(a: Covariance, b: Covariance, key: (typeof COVARIANCE_COLUMNS)[number]): number {
  return relativeDeviation(a[key], b[key], elementScale(b, key));
}

/** Everything about one parameter point. */
export interface SteadyState {
  parameters: DimensionlessParameters;
  /** By the Lyapunov equation (exact engine). */
  covariance: Covariance;
  /** Row-major 4x4 covariance of (u1, u2, v1, v2). */
  matrix: Float64Array;
  residual: number;
  /** By the closed forms (eqs. 29-31, 36, 38, 41 corrected, and the derived sigma12, sigma22). */
  closedForm: Covariance;
  /** Largest relative difference between the two (elementDeviation). */
  closedFormDeviation: number;
  /** References: sigma11 and sigma22 if the whole system were at T1, at T2, at the mean temperature. */
  equilibrium: { sigma11AtT1: number; sigma22AtT2: number; sigma11AtMean: number; sigma22AtMean: number };
  fluxes: EnergyFluxes;
  /** Entropy production rate (kB / tau); undefined where it is infinite (T1 or T2 = 0 with heat flowing). */
  entropyProduction?: number;
  /** Quantities that are not defined at these parameters, with the reason (e.g. entropyProduction at T1 = 0). */
  undefinedQuantities: Record<string, string>;
  /** Things the user should know: the exact engine and the closed forms disagree (ill-conditioned), ... */
  warnings: string[];
  /** Detailed balance indicators (eq. 40): both vanish iff detailed balance holds. */
  detailedBalance: { sigma23: number; sigma34: number; residualNorm: number };
  apparentTemperature: ApparentTemperatures;
}

/** The steady state of one parameter point, by the exact engine, cross-checked with the closed forms. */
export function steadyState(parameters: DimensionlessParameters): SteadyState {
  const p = validateDimensionless(parameters);
  const { covariance, matrix, residual } = lyapunovCovariance(p);
  const closedForm = closedFormCovariance(p);
  const fluxes = energyFluxes(p, covariance);
  const db = detailedBalanceMatrix(p, matrix);
  let norm = 0;
  for (const v of db) norm += v * v;
  const Tm = (p.T1 + p.T2) / 2;
  const closedFormDeviation = covarianceDeviation(closedForm, covariance);
  const sigma = entropyProductionRate(p, fluxes);
  const warnings: string[] = [];
  if (!(closedFormDeviation <= CLOSED_FORM_AGREEMENT)) {
    warnings.push(
      `the exact engine and the closed forms differ by ${Number(closedFormDeviation.toPrecision(2))} (relative) at k = ${p.k}, k0 = ${p.k0}, q = ${p.q}: ` +
        "the time scales 1/q and 1/sqrt(k), 1/sqrt(k0) are far apart and the equations are ill-conditioned; trust the digits only to that level",
    );
  }
  return {
    parameters: p,
    covariance,
    matrix,
    residual,
    closedForm,
    closedFormDeviation,
    equilibrium: {
      sigma11AtT1: sigma11Equilibrium(p, p.T1),
      sigma22AtT2: sigma22Equilibrium(p, p.T2),
      sigma11AtMean: sigma11Equilibrium(p, Tm),
      sigma22AtMean: sigma22Equilibrium(p, Tm),
    },
    fluxes,
    ...(sigma.value !== undefined ? { entropyProduction: sigma.value } : {}),
    undefinedQuantities: sigma.undefinedReason !== undefined ? { entropyProduction: sigma.undefinedReason } : {},
    warnings,
    detailedBalance: { sigma23: covariance.sigma23, sigma34: covariance.sigma34, residualNorm: Math.sqrt(norm) },
    apparentTemperature: apparentTemperatures(p, covariance),
  };
}

/** Physical second moments and fluxes (the units of the mechanical parameters; charges and currents for a circuit). */
export interface PhysicalMoments {
  /** <x1^2>, <x1 x2>, <x2^2> (= L^2 sigma). */
  x1x1: number;
  x1x2: number;
  x2x2: number;
  /** <x1'^2>, <x1' x2'>, <x2'^2> (= L^2 / tau^2 sigma). */
  v1v1: number;
  v1v2: number;
  v2v2: number;
  /** <x2 x1'> = -<x1 x2'> (= L^2 / tau sigma23). */
  x2v1: number;
  /** Energy fluxes (energy per time). */
  bathToOscillator1: number;
  bathToOscillator2: number;
  spring1to2: number;
  /** Entropy production rate, in units of kB per unit time (undefined where it is infinite, see SteadyState). */
  entropyProduction?: number;
}

/** Converts a dimensionless steady state to physical units with the given scales. */
export function toPhysicalMoments(s: SteadyState, scales: Scales): PhysicalMoments {
  const L2 = scales.length * scales.length;
  const t = scales.time;
  const c = s.covariance;
  const out: PhysicalMoments = {
    x1x1: L2 * c.sigma11,
    x1x2: L2 * c.sigma12,
    x2x2: L2 * c.sigma22,
    v1v1: (L2 / (t * t)) * c.sigma33,
    v1v2: (L2 / (t * t)) * c.sigma34,
    v2v2: (L2 / (t * t)) * c.sigma44,
    x2v1: (L2 / t) * c.sigma23,
    bathToOscillator1: scales.power * s.fluxes.bathToOscillator1,
    bathToOscillator2: scales.power * s.fluxes.bathToOscillator2,
    spring1to2: scales.power * s.fluxes.spring1to2,
    ...(s.entropyProduction !== undefined ? { entropyProduction: (scales.boltzmann * s.entropyProduction) / t } : {}),
  };
  for (const [name, value] of Object.entries(out)) {
    if (!Number.isFinite(value)) {
      throw new ModelError(
        `the physical ${name} overflows (the dimensionless value times the units L = ${scales.length}, tau = ${scales.time}): rescale the parameters (choose other units)`,
      );
    }
  }
  return out;
}

/** The steady state of a mechanical system, in dimensionless and physical units. */
export function physicalSteadyState(input: MechanicalParameters): {
  state: SteadyState;
  scales: Scales;
  physical: PhysicalMoments;
} {
  const { parameters, scales } = mechanicalToDimensionless(input);
  const state = steadyState(parameters);
  return { state, scales, physical: toPhysicalMoments(state, scales) };
}
