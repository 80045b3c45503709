/**
 * Models of [Bunin et al. 2013]: a chain of M subsystems between two baths, each link b (between node b and node b+1; node 0
 * and node M+1 are the baths) carrying an energy (or particle) current J_b = A_b + sqrt(B_b) eta_b.
 *
 * Every model describes a node by a state variable x (a temperature, with kB = 1; a density for the exclusion
 * process; the energy itself for custom models) and gives, as functions of the states of the two nodes of a link,
 * the mean current A(x_i, x_j) from i to j, its gradient and the noise strength B(x_i, x_j); plus the energy E(x) of a
 * subsystem, its capacity dE/dx and the inverse x(E), and the conjugate variable beta(x) of eq. 4
 * (2 A_ij = (beta_j - beta_i) B_ij).
 *
 * Built-in models (units: kB = 1, energies in units of temperature):
 *  - ideal gas (linear A, Section 4): E = Cv T, A = gamma (eps_i - eps_j) with eps = E / N, i.e. A = k (T_i - T_j)
 *    with the conductance k = gamma Cv / N; B from eq. 4: B = 2 k T_i T_j.
 *  - boxed exclusion process (Section 4): x = density eps in [0, 1] of a box of capacity N, "energy" = particle
 *    number N eps; A = gamma (eps_i - eps_j), B = gamma (eps_i (1 - eps_j) + eps_j (1 - eps_i));
 *    beta = ln((1 - eps) / eps) (minus the chemical potential over kB T).
 *  - Fermi gases (Section 5): A = kappa (T_i^4 - T_j^4) (eq. 12); B exact (eq. 11 with a constant density of
 *    states, see exchange.ts) or eq. 13; E = (3/5) N T_F (1 + (5 pi^2 / 12)(T / T_F)^2) (valid for T << T_F).
 *  - blackbody cavities (Appendix A): A = |lambda|^2 sigma (T_i^4 - T_j^4) (A.5), B exact or (A.6);
 *    E = a V T^4 (radiation constant a times volume V, one parameter aV), so A is linear in the energies.
 *  - custom: any A(E_i, E_j), B(E_i, E_j) given as functions (x = E).
 */
import { ModelError } from "../../errors.js";
import { checkRange, type ParameterRange } from "../ranges.js";
import {
  blackbodyNoiseApprox,
  exactExchangeNoise,
  exchangeNoiseTable,
  exchangeThirdCumulant,
  fermiNoiseApprox,
} from "./exchange.js";

export type ModelKind = "ideal-gas" | "ssep" | "fermi" | "blackbody" | "custom";

/** Which B a Fermi or blackbody junction uses: the exact integral or the paper's closed-form approximation. */
export type NoiseForm = "exact" | "approx";

export interface ChainModel {
  readonly kind: ModelKind;
  /** Human-readable name, e.g. "ideal gas (Cv = 1)". */
  readonly label: string;
  /** What the state x of a node is. */
  readonly variable: "temperature" | "density" | "energy";
  /** What the currents carry. */
  readonly carried: "energy" | "particles";
  /** A depends linearly on the energies with equal rates on every link (eq. 8): eq. 9 applies for M = 2. */
  readonly linearA: boolean;
  /** The parameters, for reports. */
  readonly parameters: Record<string, number | string>;
  /** Throws ModelError unless x is an admissible bath state (`what` names it in the message). */
  checkBath(x: number, what: string): void;
  /** True when x is an admissible subsystem state (strictly inside the domain). */
  admissible(x: number): boolean;
  /** Energy (or particle number) E(x) of a subsystem. */
  energy(x: number): number;
  /** dE/dx (> 0). */
  capacity(x: number): number;
  /** x(E), the inverse of energy(); clamped into the domain (used by the simulation). */
  stateOf(e: number): number;
  /** Mean current A(x_i, x_j) from node i to node j across link `bond` (0..M). */
  current(xi: number, xj: number, bond: number): number;
  /** Writes [dA/dx_i, dA/dx_j] into out. */
  currentGradient(xi: number, xj: number, bond: number, out: Float64Array): void;
  /** Noise strength B(x_i, x_j) >= 0 of the current across link `bond`. */
  noise(xi: number, xj: number, bond: number): number;
  /** A fast B for the simulation's hot loop (same as noise() to ~1e-13 relative); defaults to noise(). */
  fastNoise?(xi: number, xj: number, bond: number): number;
  /** Conjugate variable beta(x) of eq. 4 (1/T for energy models); undefined when the model has none. */
  conjugate?(x: number): number;
  /**
   * Third cumulant per unit time of the energy (or particles) carried across link `bond` from i to j, for the
   * validity condition of eq. 4 ((Delta beta)^2 kappa3 << kappa1 = A); undefined when the model gives only A and B
   * (the ideal gas, whose B is defined by eq. 4).
   */
  thirdCumulant?(xi: number, xj: number, bond: number): number;
  /** Validity warnings for the steady-state states (e.g. T not << T_F). */
  validity?(states: ArrayLike<number>): string[];
  /** The states a subsystem can have, [lo, hi] (the energy's range is [E(lo), E(hi)]). */
  readonly stateDomain: readonly [number, number];
  /** The parameter that makes subsystems larger (for the large-subsystem advice), e.g. "Cv" or "N". */
  readonly sizeParameter?: string;
}

/**
 * The domain of the built-in models' parameters: temperatures and rates over 12 decades, sizes from 1e-6 to 1e15
 * (subsystems below about 100 are outside the large-subsystem description, which the study checks and warns about).
 * Beyond these, powers such as T^5 and N T^2 overflow or the mean state cannot be solved in double precision.
 */
export const MODEL_RANGES: Readonly<Record<"temperature" | "rate" | "size" | "TF", ParameterRange>> = Object.freeze({
  temperature: { min: 1e-6, max: 1e6 },
  rate: { min: 1e-6, max: 1e6 },
  size: { min: 1e-6, max: 1e15 },
  TF: { min: 1e-3, max: 1e9 },
});

/**
 * Defaults of the built-in models: large subsystems (about 1000 degrees of freedom or more), inside the
 * linear-noise description, so that a simulation of the full energy SDE agrees with the exact C within error bars.
 */
export const MODEL_DEFAULTS = Object.freeze({
  idealGas: { Cv: 1000, gamma: 1, N: 1000 },
  ssep: { N: 1000, gamma: 1 },
  fermi: { kappa: 1, TF: 100, N: 1e5 },
  blackbody: { coupling: 1, aV: 1e4 },
});

function positiveParameter(
  value: number,
  name: string,
  what: string,
  range: ParameterRange = MODEL_RANGES.size,
): number {
  return checkRange(`${name} (${what})`, value, range);
}

function checkTemperature(t: number, what: string): void {
  checkRange(`${what} (kB = 1)`, t, MODEL_RANGES.temperature);
}

const inverseTemperature = (t: number): number => 1 / t;

function pow4(t: number): number {
  const t2 = t * t;
  return t2 * t2;
}

export interface IdealGasParameters {
  /** Heat capacity Cv of one subsystem (E = Cv T). Default 1000. */
  Cv?: number;
  /** Rate constant gamma of eq. 8. Default 1. */
  gamma?: number;
  /** Size N of a subsystem (energy density eps = E / N). Default 1000 (so eps = T with the default Cv). */
  N?: number;
}

/** Ideal gases with Fourier's law (Section 4): A = gamma (eps_i - eps_j), E = Cv T, B = 2 (gamma Cv / N) T_i T_j. */
export function idealGas(p: IdealGasParameters = {}): ChainModel {
  const d = MODEL_DEFAULTS.idealGas;
  const Cv = positiveParameter(p.Cv ?? d.Cv, "Cv", "heat capacity of a subsystem");
  const gamma = positiveParameter(p.gamma ?? d.gamma, "gamma", "rate constant", MODEL_RANGES.rate);
  const N = positiveParameter(p.N ?? d.N, "N", "subsystem size");
  const k = (gamma * Cv) / N;
  return {
    kind: "ideal-gas",
    label: `ideal gas (Cv = ${Cv})`,
    variable: "temperature",
    carried: "energy",
    linearA: true,
    parameters: { Cv, gamma, N },
    checkBath: checkTemperature,
    stateDomain: [0, Infinity],
    sizeParameter: "Cv",
    admissible: (t) => t > 0 && Number.isFinite(t),
    energy: (t) => Cv * t,
    capacity: () => Cv,
    stateOf: (e) => Math.max(e / Cv, 0),
    current: (ti, tj) => k * (ti - tj),
    currentGradient: (_ti, _tj, _b, out) => {
      out[0] = k;
      out[1] = -k;
    },
    noise: (ti, tj) => 2 * k * ti * tj,
    conjugate: inverseTemperature,
  };
}

export interface ExclusionParameters {
  /** Capacity N of a box (densities eps = particles / N). Default 1000. */
  N?: number;
  /** Hopping rate constant gamma. Default 1. */
  gamma?: number;
}

/** Boxed symmetric simple exclusion process (Section 4): x = density, carried quantity = particles. */
export function exclusionProcess(p: ExclusionParameters = {}): ChainModel {
  const N = positiveParameter(p.N ?? MODEL_DEFAULTS.ssep.N, "N", "capacity of a box");
  const gamma = positiveParameter(p.gamma ?? MODEL_DEFAULTS.ssep.gamma, "gamma", "hopping rate", MODEL_RANGES.rate);
  return {
    kind: "ssep",
    label: `boxed exclusion process (N = ${N})`,
    variable: "density",
    carried: "particles",
    linearA: true,
    parameters: { N, gamma },
    checkBath: (e, what) => {
      if (!Number.isFinite(e)) throw new ModelError(`${what} must be a finite number, got ${e}`);
      if (e < 0 || e > 1) {
        throw new ModelError(`${what} must be a density in [0, 1] for the exclusion process, got ${e}`);
      }
    },
    stateDomain: [0, 1],
    sizeParameter: "N",
    admissible: (e) => e >= 0 && e <= 1,
    energy: (e) => N * e,
    capacity: () => N,
    stateOf: (n) => Math.min(Math.max(n / N, 0), 1),
    current: (ei, ej) => gamma * (ei - ej),
    currentGradient: (_ei, _ej, _b, out) => {
      out[0] = gamma;
      out[1] = -gamma;
    },
    noise: (ei, ej) => gamma * (ei * (1 - ej) + ej * (1 - ei)),
    // Hops are unit jumps in both directions (Poisson): every odd cumulant rate equals the net rate A.
    thirdCumulant: (ei, ej) => gamma * (ei - ej),
    conjugate: (e) => Math.log((1 - e) / e),
  };
}

export interface FermiParameters {
  /** kappa of eq. 12 (A = kappa (T_i^4 - T_j^4)), the same on every junction. Default 1. */
  kappa?: number;
  /** Fermi temperature T_F (the model needs T << T_F). Default 100. */
  TF?: number;
  /** Number of fermions N in a subsystem. Default 1e5 (N T / T_F >> 1: many thermal excitations). */
  N?: number;
  /** B from the exact integral of eq. 11 (default) or from eq. 13. */
  noise?: NoiseForm;
}

/** Coupled Fermi gases (Section 5). */
export function fermiGas(p: FermiParameters = {}): ChainModel {
  const d = MODEL_DEFAULTS.fermi;
  const kappa = positiveParameter(p.kappa ?? d.kappa, "kappa", "junction constant of eq. 12", MODEL_RANGES.rate);
  const TF = positiveParameter(p.TF ?? d.TF, "TF", "Fermi temperature", MODEL_RANGES.TF);
  const N = positiveParameter(p.N ?? d.N, "N", "number of fermions in a subsystem");
  const form = checkNoiseForm(p.noise ?? "exact");
  const e0 = 0.6 * N * TF;
  const c2 = (5 * Math.PI ** 2) / 12;
  const tableF = exchangeNoiseTable();
  const prefactor = (15 * kappa) / Math.PI ** 4;
  const fastExact = (ti: number, tj: number): number => prefactor * tableF(ti, tj);
  const cv = (Math.PI ** 2 / 2) * (N / TF);
  return {
    kind: "fermi",
    label: `Fermi gas (${form === "exact" ? "exact B, eq. 11" : "approximate B, eq. 13"})`,
    variable: "temperature",
    carried: "energy",
    linearA: false,
    parameters: { kappa, TF, N, noise: form },
    checkBath: (t, what) => {
      checkTemperature(t, what);
      // E = (3/5) N T_F (1 + (5 pi^2/12)(T/T_F)^2): below T = 1e-4 T_F the thermal part is lost in the round-off.
      if (t < 1e-4 * TF) {
        throw new ModelError(
          `${what} T = ${t} is below 1e-4 T_F = ${1e-4 * TF}: the thermal energy of a Fermi gas, (5 pi^2/12)(T/T_F)^2 of its ` +
            "ground-state energy (3/5) N T_F, would be lost in the round-off; use a smaller --TF",
        );
      }
    },
    stateDomain: [0, Infinity],
    sizeParameter: "N",
    admissible: (t) => t > 0 && Number.isFinite(t),
    energy: (t) => e0 * (1 + c2 * (t / TF) * (t / TF)),
    capacity: (t) => cv * t,
    stateOf: (e) => TF * Math.sqrt(Math.max(e / e0 - 1, 0) / c2),
    current: (ti, tj) => kappa * (pow4(ti) - pow4(tj)),
    currentGradient: (ti, tj, _b, out) => {
      out[0] = 4 * kappa * ti * ti * ti;
      out[1] = -4 * kappa * tj * tj * tj;
    },
    noise:
      form === "exact" ? (ti, tj) => exactExchangeNoise(kappa, ti, tj) : (ti, tj) => fermiNoiseApprox(kappa, ti, tj),
    fastNoise: form === "exact" ? fastExact : (ti, tj) => fermiNoiseApprox(kappa, ti, tj),
    thirdCumulant: (ti, tj) => exchangeThirdCumulant(kappa, ti, tj),
    conjugate: inverseTemperature,
    validity: (states) => {
      const tmax = Math.max(...Array.from(states));
      return tmax > 0.1 * TF
        ? [`T = ${Number(tmax.toPrecision(3))} is not << T_F = ${TF}: eq. 12 and E(T) assume T << T_F`]
        : [];
    },
  };
}

export interface BlackbodyParameters {
  /** |lambda|^2 sigma of eq. A.5 (transmission squared times the Stefan constant of the contact area). Default 1. */
  coupling?: number;
  /** a V: radiation constant times cavity volume, E = a V T^4. Default 1e4 (a V T^3 >> 1: many photons). */
  aV?: number;
  /** B from the exact integral (default) or from eq. A.6. */
  noise?: NoiseForm;
}

/** Coupled blackbody cavities (Appendix A). */
export function blackbody(p: BlackbodyParameters = {}): ChainModel {
  const d = MODEL_DEFAULTS.blackbody;
  const g = positiveParameter(p.coupling ?? d.coupling, "coupling", "|lambda|^2 sigma of eq. A.5", MODEL_RANGES.rate);
  const aV = positiveParameter(p.aV ?? d.aV, "aV", "radiation constant times volume, E = aV T^4");
  const form = checkNoiseForm(p.noise ?? "exact");
  const tableF = exchangeNoiseTable();
  const prefactor = (15 * g) / Math.PI ** 4;
  const fastExact = (ti: number, tj: number): number => prefactor * tableF(ti, tj);
  return {
    kind: "blackbody",
    label: `blackbody cavities (${form === "exact" ? "exact B" : "approximate B, eq. A.6"})`,
    variable: "temperature",
    carried: "energy",
    linearA: true,
    parameters: { coupling: g, aV, noise: form },
    checkBath: checkTemperature,
    stateDomain: [0, Infinity],
    sizeParameter: "aV",
    admissible: (t) => t > 0 && Number.isFinite(t),
    energy: (t) => aV * pow4(t),
    capacity: (t) => 4 * aV * t * t * t,
    stateOf: (e) => Math.sqrt(Math.sqrt(Math.max(e, 0) / aV)),
    current: (ti, tj) => g * (pow4(ti) - pow4(tj)),
    currentGradient: (ti, tj, _b, out) => {
      out[0] = 4 * g * ti * ti * ti;
      out[1] = -4 * g * tj * tj * tj;
    },
    noise: form === "exact" ? (ti, tj) => exactExchangeNoise(g, ti, tj) : (ti, tj) => blackbodyNoiseApprox(g, ti, tj),
    fastNoise: form === "exact" ? fastExact : (ti, tj) => blackbodyNoiseApprox(g, ti, tj),
    thirdCumulant: (ti, tj) => exchangeThirdCumulant(g, ti, tj),
    conjugate: inverseTemperature,
  };
}

function checkNoiseForm(form: string): NoiseForm {
  if (form !== "exact" && form !== "approx") throw new ModelError(`noise must be "exact" or "approx", got "${form}"`);
  return form;
}

/** A custom model: currents and noises as functions of the energies of the two nodes of a link. */
export interface CustomModelSpec {
  label?: string;
  /** Mean current A(E_i, E_j) from node i to node j across link `bond` (0 = left bath to subsystem 1). */
  current(ei: number, ej: number, bond: number): number;
  /** Noise strength B(E_i, E_j) >= 0. */
  noise(ei: number, ej: number, bond: number): number;
  /** [dA/dE_i, dA/dE_j]; central finite differences when omitted. */
  gradient?(ei: number, ej: number, bond: number): [number, number];
  /** beta(E) for eq. 4 and the bound of eq. 15 (omit if the model has none). */
  beta?(e: number): number;
  /** Third cumulant per unit time of the energy carried across a link (for the validity condition of eq. 4). */
  thirdCumulant?(ei: number, ej: number, bond: number): number;
  /** Admissible energies (closed interval for the baths, open for the subsystems); default (-inf, inf). */
  domain?: [number, number];
  /** A is linear in the energies with equal rates on every link (eq. 9 applies for M = 2). Default false. */
  linearA?: boolean;
}

/** A model given as functions of the energies (x = E, capacity 1). */
export function customModel(spec: CustomModelSpec): ChainModel {
  if (typeof spec.current !== "function" || typeof spec.noise !== "function") {
    throw new ModelError("a custom model needs current(Ei, Ej, bond) and noise(Ei, Ej, bond) functions");
  }
  const [lo, hi] = spec.domain ?? [-Infinity, Infinity];
  if (!(lo < hi)) throw new ModelError(`custom model: domain [${lo}, ${hi}] is empty`);
  const gradient =
    spec.gradient ??
    ((ei: number, ej: number, bond: number): [number, number] => {
      const hi_ = 1e-6 * Math.max(Math.abs(ei), 1e-3);
      const hj = 1e-6 * Math.max(Math.abs(ej), 1e-3);
      return [
        (spec.current(ei + hi_, ej, bond) - spec.current(ei - hi_, ej, bond)) / (2 * hi_),
        (spec.current(ei, ej + hj, bond) - spec.current(ei, ej - hj, bond)) / (2 * hj),
      ];
    });
  return {
    kind: "custom",
    label: spec.label ?? "custom model",
    variable: "energy",
    carried: "energy",
    linearA: spec.linearA ?? false,
    parameters: {},
    checkBath: (e, what) => {
      if (!Number.isFinite(e)) throw new ModelError(`${what} must be a finite number, got ${e}`);
      if (e < lo || e > hi) throw new ModelError(`${what} must lie in [${lo}, ${hi}], got ${e}`);
    },
    stateDomain: [lo, hi],
    admissible: (e) => e > lo && e < hi,
    energy: (e) => e,
    capacity: () => 1,
    stateOf: (e) => Math.min(Math.max(e, lo), hi),
    current: (ei, ej, b) => spec.current(ei, ej, b),
    currentGradient: (ei, ej, b, out) => {
      const g = gradient(ei, ej, b);
      out[0] = g[0];
      out[1] = g[1];
    },
    noise: (ei, ej, b) => spec.noise(ei, ej, b),
    conjugate: spec.beta ? (e) => spec.beta!(e) : undefined,
    ...(spec.thirdCumulant
      ? { thirdCumulant: (ei: number, ej: number, b: number) => spec.thirdCumulant!(ei, ej, b) }
      : {}),
  };
}

/** The built-in models by CLI name. */
export type BuiltinModelName = Exclude<ModelKind, "custom">;
export const BUILTIN_MODELS: readonly BuiltinModelName[] = ["ideal-gas", "ssep", "fermi", "blackbody"];
