/**
 * The study's sweeps: C12 against the bath difference for every model (with its closed form and, for the quantum
 * models, both the exact and the approximate noise), the boundary/bulk decomposition, the bound of eq. 15,
 * correlation profiles of long chains against their continuum form, and the accuracy of eqs. 13 and A.6.
 */
import { ModelError } from "../../errors.js";
import {
  continuumAmplitude,
  continuumShape,
  exclusionC12,
  fermiC12,
  idealGasC12,
  linearAPairCovariance,
} from "./closedForms.js";
import { energyCorrelations, type EnergyCorrelations } from "./correlations.js";
import { blackbodyNoiseApprox, exactExchangeNoise, fermiNoiseApprox } from "./exchange.js";
import {
  blackbody,
  exclusionProcess,
  fermiGas,
  idealGas,
  MODEL_RANGES,
  type BuiltinModelName,
  type ChainModel,
  type NoiseForm,
} from "./models.js";
import type { Chain } from "./steadyState.js";

/** Parameters of the built-in models, by CLI name (any subset; defaults in models.ts). */
export interface ModelParameters {
  Cv?: number;
  gamma?: number;
  N?: number;
  kappa?: number;
  TF?: number;
  coupling?: number;
  aV?: number;
  noise?: NoiseForm;
}

/** Which parameters each built-in model takes (to reject the others). */
export const MODEL_PARAMETERS: Record<BuiltinModelName, (keyof ModelParameters)[]> = {
  "ideal-gas": ["Cv", "gamma", "N"],
  ssep: ["N", "gamma"],
  fermi: ["kappa", "TF", "N", "noise"],
  blackbody: ["coupling", "aV", "noise"],
};

/** Builds a built-in model from its name and parameters; throws ModelError for unknown names or foreign parameters. */
export function builtinModel(name: string, p: ModelParameters = {}): ChainModel {
  const allowed = MODEL_PARAMETERS[name as BuiltinModelName];
  if (!allowed) throw new ModelError(`unknown model '${name}' (one of: ${Object.keys(MODEL_PARAMETERS).join(", ")})`);
  const foreign = (Object.keys(p) as (keyof ModelParameters)[]).filter(
    (k) => p[k] !== undefined && !allowed.includes(k),
  );
  if (foreign.length > 0) {
    throw new ModelError(
      `the ${name} model does not take ${foreign.map((k) => `--${k}`).join(", ")} (it takes ${allowed.map((k) => `--${k}`).join(", ")})`,
    );
  }
  switch (name as BuiltinModelName) {
    case "ideal-gas":
      return idealGas({ Cv: p.Cv, gamma: p.gamma, N: p.N });
    case "ssep":
      return exclusionProcess({ N: p.N, gamma: p.gamma });
    case "fermi":
      return fermiGas({ kappa: p.kappa, TF: p.TF, N: p.N, noise: p.noise });
    case "blackbody":
      return blackbody({ coupling: p.coupling, aV: p.aV, noise: p.noise });
  }
}

/** The closed form of C12 that applies to a chain of two subsystems, if any (name and value). */
export function closedFormC12(ec: EnergyCorrelations): { formula: string; value: number } | undefined {
  const { chain } = ec;
  const { model } = chain;
  if (chain.M !== 2) return undefined;
  const p = model.parameters;
  const [b01, b12, b23] = ec.noise;
  switch (model.kind) {
    case "ideal-gas":
      return { formula: "Cv (T0 - T3)^2 / 27", value: idealGasC12(p.Cv as number, chain.left, chain.right) };
    case "ssep":
      return {
        formula: "-N (eps0 - eps3)^2 / 27 (eq. 10)",
        value: exclusionC12(p.N as number, chain.left, chain.right),
      };
    case "fermi":
      return {
        formula: "pi^2 N (B01 - 2 B12 + B23) / (48 kappa T_F (T1^2 + T2^2)) (eq. 14)",
        value: fermiC12(p.N as number, p.kappa as number, p.TF as number, ec.states[0], ec.states[1], b01, b12, b23),
      };
    case "blackbody": {
      // Linear A with rate r = dA/dE = 4 g T^3 / (4 aV T^3) = g / aV: eq. 9.
      const rate = (p.coupling as number) / (p.aV as number);
      return {
        formula: "eq. 9 with r = |lambda|^2 sigma / (aV)",
        value: linearAPairCovariance(rate, b01, b12, b23)[0][1],
      };
    }
    default:
      return undefined;
  }
}

/**
 * C12 against the bath difference: by default the figures' standard model (T0 = 1 and T3 from 1 to 5; densities
 * from 0 to 1 for the exclusion process); a page's chain (`chain`) keeps its model, parameters, M and left bath.
 */
export interface BiasSweep {
  model: BuiltinModelName;
  /** x axis: T3 - T0 (or eps3 - eps0). */
  difference: number[];
  c12: number[];
  /** C12 with the approximate noise (eq. 13 / A.6) for the quantum models. */
  c12Approx?: number[];
  /** The closed form at each point (empty where none applies: M != 2). */
  closedForm: number[];
  boundary: number[];
  bulk: number[];
  /** Eq. 15's bound and |C12| (NaN where the bound does not apply; only the standard sweeps are drawn with it). */
  bound: number[];
  /** Largest relative residual of the Lyapunov solves. */
  residual: number;
  /** The chain swept when it is a study's own (its right bath varied): absent for the standard figures. */
  chain?: { label: string; variable: string; M: number; left: number; right: number; c12: number };
}

/**
 * The standard models of the figures: unit parameters, T_F = 100 for the Fermi gas. C scales with the size, so the
 * figures show C in units of the size (C12/(Cv T0^2), ...): these are units, not subsystems one could simulate.
 */
export function figureModel(name: BuiltinModelName, noise: NoiseForm = "exact"): ChainModel {
  switch (name) {
    case "ideal-gas":
      return idealGas({ Cv: 1, gamma: 1, N: 1 });
    case "ssep":
      return exclusionProcess({ N: 1, gamma: 1 });
    case "fermi":
      return fermiGas({ N: 1, TF: 100, kappa: 1, noise });
    case "blackbody":
      return blackbody({ coupling: 1, aV: 1, noise });
  }
}

/** Bath pair for a difference d: T0 = 1, T3 = 1 + d; eps0 = 0.5 - d/2, eps3 = 0.5 + d/2 for the exclusion process. */
export function bathPair(name: BuiltinModelName, d: number): [number, number] {
  return name === "ssep" ? [0.5 - d / 2, 0.5 + d / 2] : [1, 1 + d];
}

export function linspace(a: number, b: number, n: number): number[] {
  return Array.from({ length: n }, (_, k) => a + ((b - a) * k) / (n - 1));
}

/** The models of a chain with the exact and (quantum models) the approximate noise. */
type SweepModels = { exact: ChainModel; approx?: ChainModel };

function sweep(name: BuiltinModelName, models: SweepModels, M: number, pairs: [number, number][]): BiasSweep {
  const out: BiasSweep = {
    model: name,
    difference: pairs.map(([l, r]) => r - l),
    c12: [],
    closedForm: [],
    boundary: [],
    bulk: [],
    bound: [],
    residual: 0,
  };
  if (models.approx) out.c12Approx = [];
  for (const [left, right] of pairs) {
    const ec = energyCorrelations({ model: models.exact, M, left, right });
    out.c12.push(ec.covariance.data[1]);
    const closed = closedFormC12(ec);
    if (closed) out.closedForm.push(closed.value);
    out.boundary.push(ec.decomposition.boundary);
    out.bulk.push(ec.decomposition.bulk);
    out.bound.push(ec.bound ? ec.bound.bound : NaN);
    out.residual = Math.max(out.residual, ec.residual);
    if (models.approx && out.c12Approx) {
      const ap = energyCorrelations({ model: models.approx, M, left, right });
      out.c12Approx.push(ap.covariance.data[1]);
    }
  }
  if (out.closedForm.length !== pairs.length) out.closedForm = [];
  return out;
}

const quantum = (name: BuiltinModelName): boolean => name === "fermi" || name === "blackbody";

/** C12 and its parts against the bath difference for one model (M = 2). */
export function biasSweep(name: BuiltinModelName, points = 41): BiasSweep {
  const maxD = name === "ssep" ? 1 : 4;
  const pairs = linspace(0, maxD, points).map((d) => bathPair(name, d));
  const models = { exact: figureModel(name), ...(quantum(name) ? { approx: figureModel(name, "approx") } : {}) };
  return sweep(name, models, 2, pairs);
}

/** Chains longer than this get fewer points in chainSweep (each point is a Lyapunov solve of cost M^3). */
const SWEEP_FULL_M = 16;

/**
 * C12 of subsystems 1 and 2 of a study's own chain (its model and parameters, M and left bath) against the right
 * bath: the exclusion process's density over [0, 1]; a temperature from T0 to T0 + 2 (T3 - T0), so the chain's own
 * point is in the middle (T3 = T0: up to 3 T0), within the models' temperature range. Chains longer than 16
 * subsystems get fewer points (at least 5).
 */
export function chainSweep(name: BuiltinModelName, p: ModelParameters, chain: Chain, points = 41): BiasSweep {
  const n = chain.M <= SWEEP_FULL_M ? points : Math.max(5, Math.round(points * (SWEEP_FULL_M / chain.M) ** 3));
  const { left, right } = chain;
  const { min, max } = MODEL_RANGES.temperature;
  const rights =
    name === "ssep"
      ? linspace(0, 1, n)
      : linspace(left, Math.min(max, Math.max(min, right !== left ? left + 2 * (right - left) : 3 * left)), n);
  const models = {
    exact: chain.model,
    ...(quantum(name) && p.noise !== "approx" ? { approx: builtinModel(name, { ...p, noise: "approx" }) } : {}),
  };
  const s = sweep(
    name,
    models,
    chain.M,
    rights.map((r) => [left, r]),
  );
  const own = energyCorrelations(chain);
  s.chain = {
    label: chain.model.label,
    variable: chain.model.variable,
    M: chain.M,
    left,
    right,
    c12: own.covariance.data[1],
  };
  return s;
}

/** A single subsystem (M = 1) with its right bath varied: its energy variance and the closed form under eq. 4. */
export interface SingleSweep {
  model: BuiltinModelName;
  label: string;
  variable: string;
  left: number;
  right: number;
  /** x axis: T3 - T0 (or eps3 - eps0). */
  difference: number[];
  /** <dE^2> = C11 from the Lyapunov equation (no eq. 4). */
  variance: number[];
  /** <J> tau (beta_R - beta_L)/((beta_1 - beta_L)(beta_R - beta_1)) where it applies (eq. 4, distinct betas), else NaN. */
  formula: number[];
  /** The chain's own variance. */
  chainVariance: number;
}

/** The variance of one subsystem (M = 1) against its right bath, for the chain's model, parameters and left bath. */
export function singleSweep(name: BuiltinModelName, chain: Chain, points = 41): SingleSweep {
  const { left, right } = chain;
  const { min, max } = MODEL_RANGES.temperature;
  const rights =
    name === "ssep"
      ? linspace(0, 1, points)
      : linspace(left, Math.min(max, Math.max(min, right !== left ? left + 2 * (right - left) : 3 * left)), points);
  const variance: number[] = [],
    formula: number[] = [];
  for (const r of rights) {
    const ec = energyCorrelations({ ...chain, M: 1, right: r });
    variance.push(ec.covariance.data[0]);
    formula.push(ec.single?.formula ?? NaN);
  }
  return {
    model: name,
    label: chain.model.label,
    variable: chain.model.variable,
    left,
    right,
    difference: rights.map((r) => r - left),
    variance,
    formula,
    chainVariance: energyCorrelations({ ...chain, M: 1 }).covariance.data[0],
  };
}

/** Off-diagonal correlation profiles C_ij (i != j) of a chain of M subsystems for a few fixed j. */
export interface ProfileSet {
  model: BuiltinModelName;
  M: number;
  left: number;
  right: number;
  /** Columns j (1-based) shown. */
  columns: number[];
  /** x_i = i / (M + 1), i = 1..M. */
  position: number[];
  /** values[c][i - 1] = C_{i, columns[c]} (at i = j the local-equilibrium variance, which the figures leave out). */
  values: number[][];
  /** The continuum (here exact) form for linear-A chains with quadratic B, else undefined. */
  continuum?: number[][];
  residual: number;
}

/** Correlation profiles of a long chain (continuum comparison for the ideal gas and the exclusion process). */
export function profileSet(name: BuiltinModelName, M: number, left: number, right: number): ProfileSet {
  const chain: Chain = { model: figureModel(name), M, left, right };
  const ec = energyCorrelations(chain);
  const columns = [Math.round((M + 1) / 4), Math.round((M + 1) / 2), Math.round((3 * (M + 1)) / 4)].filter(
    (j) => j >= 1 && j <= M,
  );
  const position = Array.from({ length: M }, (_, i) => (i + 1) / (M + 1));
  const values = columns.map((j) => Array.from({ length: M }, (_, i) => ec.covariance.data[i * M + (j - 1)]));
  let continuum: number[][] | undefined;
  const quadraticNoise = continuumNoiseCurvature(chain);
  if (quadraticNoise) {
    const amp = continuumAmplitude(quadraticNoise.b2, quadraticNoise.rate, left - right, M);
    continuum = columns.map((j) => Array.from({ length: M }, (_, i) => amp * continuumShape(i + 1, j, M)));
  }
  return { model: name, M, left, right, columns, position, values, continuum, residual: ec.residual };
}

/**
 * For the linear-A chains whose noise is quadratic in the node states, B = b0 + b1 (x_i + x_j) + b2 x_i x_j, the
 * curvature b2 and the rate r = dA/dE (see continuumAmplitude); undefined for the other models.
 */
export function continuumNoiseCurvature(chain: Chain): { b2: number; rate: number } | undefined {
  const { model } = chain;
  const p = model.parameters;
  if (model.kind === "ideal-gas") {
    const k = ((p.gamma as number) * (p.Cv as number)) / (p.N as number);
    return { b2: 2 * k, rate: k / (p.Cv as number) };
  }
  if (model.kind === "ssep") {
    const gamma = p.gamma as number;
    return { b2: -2 * gamma, rate: gamma / (p.N as number) };
  }
  return undefined;
}

/** Relative error of eq. 13 and A.6 against the exact noise integral, against T_min / T_max. */
export function noiseApproximationErrors(points = 101): { ratio: number[]; fermi: number[]; blackbody: number[] } {
  const ratio = linspace(0, 1, points);
  const fermi: number[] = [];
  const bb: number[] = [];
  for (const r of ratio) {
    const exact = exactExchangeNoise(1, 1, r);
    fermi.push(fermiNoiseApprox(1, 1, r) / exact - 1);
    bb.push(blackbodyNoiseApprox(1, 1, r) / exact - 1);
  }
  return { ratio, fermi, blackbody: bb };
}
