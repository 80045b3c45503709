/**
 * Parameters of the variance-resonance system ([Boffi & De Gregorio 2024]): two underdamped oscillators of mass m pinned by springs
 * k1, k2, coupled by a spring K, each in its own bath (friction gamma, temperatures T1, T2; kB = 1 unless given).
 * Three equivalent descriptions, validated at the boundary and converted into one another:
 *  - dimensionless (Section 3): k = k1/k2, k0 = K/k2, q = Q2 = sqrt(k2 m)/gamma (the quality factor itself, see
 *    docs/corrections.md), T1, T2 in units of T0 = k2 L^2 / kB;
 *  - mechanical: m, k1, k2, K, gamma, T1, T2 and a length scale L (units: tau = sqrt(m/k2), T0 = k2 L^2 / kB);
 *  - electrical (Section 5.3): two RLC loops L q'' = -q/C_i - R q' - (q_i - q_j)/C + Johnson noise, mapped by
 *    q_i <-> x_i, L <-> m, 1/C_i <-> k_i, 1/C <-> K, R <-> gamma.
 * Dimensionless state y = (u1, u2, v1, v2) with u = x/L and v = du/ds, s = t/tau; dy = -A y ds + B dW with
 *   A = [[0,0,-1,0],[0,0,0,-1],[k+k0,-k0,1/q,0],[-k0,1+k0,0,1/q]],  B B^T = diag(0, 0, 2 T1/q, 2 T2/q).
 */
import { ModelError } from "../../errors.js";
import { checkRange, describeRange, type ParameterRange } from "../ranges.js";

/** The five dimensionless parameters of Section 3 (temperatures in units of T0 = k2 L^2 / kB). */
export interface DimensionlessParameters {
  /** k = k1 / k2, the ratio of the pinning stiffnesses. */
  k: number;
  /** k0 = K / k2, the coupling. */
  k0: number;
  /** q = Q2 = sqrt(k2 m) / gamma, the quality factor of oscillator 2 (not its square). */
  q: number;
  /** Bath temperature of oscillator 1, in units of T0. */
  T1: number;
  /** Bath temperature of oscillator 2, in units of T0. */
  T2: number;
}

/** The mechanical system of eq. 8 (any consistent units; kB = 1 unless `boltzmann` is given). */
export interface MechanicalParameters {
  /** Mass of each oscillator. */
  m: number;
  /** Pinning stiffness of oscillator 1 and 2. */
  k1: number;
  k2: number;
  /** Coupling stiffness. */
  K: number;
  /** Friction coefficient (force -gamma x'), the same for both oscillators. */
  gamma: number;
  /** Bath temperatures. */
  T1: number;
  T2: number;
  /** Length scale L of the dimensionless displacements u = x / L (the physical variances do not depend on it). */
  L: number;
  /** Boltzmann's constant in the units used (default 1; 1.380649e-23 for SI units with T in kelvin). */
  boltzmann?: number;
}

/** The electrical analog of Section 5.3 (SI units suggested: henry, ohm, farad, kelvin). */
export interface CircuitParameters {
  /** Inductance of each loop (the analog of the mass). */
  inductance: number;
  /** Resistance of each loop (the analog of gamma); it is also the Johnson noise source. */
  resistance: number;
  /** Capacitors of loop 1 and 2 (1/C_i is the analog of k_i). */
  C1: number;
  C2: number;
  /** Coupling capacitor (1/C is the analog of K). */
  C: number;
  /** Noise temperatures of the two resistors. */
  T1: number;
  T2: number;
  /** Boltzmann's constant (default 1.380649e-23, SI). */
  boltzmann?: number;
  /** Charge scale of the dimensionless charges (default sqrt(kB T1 C2), so that the dimensionless T1 is 1). */
  chargeScale?: number;
}

/** SI value of Boltzmann's constant (J/K). */
export const BOLTZMANN_SI = 1.380649e-23;

/** Units that turn dimensionless results into physical ones. */
export interface Scales {
  /** Length (or charge) unit L of u = x / L. */
  length: number;
  /** Time unit tau = sqrt(m / k2). */
  time: number;
  /** Temperature unit T0 = k2 L^2 / kB. */
  temperature: number;
  /** Energy unit k2 L^2 (= kB T0). */
  energy: number;
  /** Energy-flux unit k2 L^2 / tau. */
  power: number;
  /** Boltzmann's constant used. */
  boltzmann: number;
}

export type ParameterName = keyof DimensionlessParameters;
export const PARAMETER_NAMES: readonly ParameterName[] = ["k", "k0", "q", "T1", "T2"];

function describe(v: unknown): string {
  return typeof v === "number" ? String(v) : (JSON.stringify(v) ?? String(v));
}

function requireNumber(what: string, v: unknown, rule: "positive" | "nonnegative", hint = ""): number {
  if (typeof v !== "number" || !Number.isFinite(v))
    throw new ModelError(`${what} must be a finite number, got ${describe(v)}${hint}`);
  if (rule === "positive" && !(v > 0)) throw new ModelError(`${what} must be > 0, got ${v}${hint}`);
  if (rule === "nonnegative" && !(v >= 0)) throw new ModelError(`${what} must be >= 0, got ${v}${hint}`);
  return v;
}

/**
 * The domain of the dimensionless parameters. Inside it the exact engine (the 4x4 Lyapunov equation) agrees with the
 * closed forms to 1e-6 or better; outside it the time scales 1/q and 1/sqrt(k), 1/sqrt(k0) are too far apart for
 * double precision (the Lyapunov equation becomes singular to working precision, or, for q < 1e-3, wrong without a
 * large residual), or the variances overflow (T > 1e100, or a stiffness k or coupling k0 below 1e-100: at k = 0 the
 * variance is T1 (1 + k0) / k0, Infinity for T1 = 1e100 and k0 = 1e-250). A temperature may be exactly 0: a noiseless damper (cold
 * damping), where the covariance is defined but the entropy production is infinite.
 */
export const DIMENSIONLESS_RANGES: Readonly<Record<ParameterName, ParameterRange>> = Object.freeze({
  k: { min: 1e-100, max: 1e6, zero: true },
  k0: { min: 1e-100, max: 1e6, zero: true },
  q: { min: 1e-3, max: 1e12 },
  T1: { min: 1e-100, max: 1e100, zero: true },
  T2: { min: 1e-100, max: 1e100, zero: true },
});

const DIMENSIONLESS_LABELS: Record<ParameterName, string> = {
  k: "k = k1/k2",
  k0: "k0 = K/k2 (the coupling)",
  q: "q = Q2 (the quality factor)",
  T1: "T1",
  T2: "T2",
};

/**
 * Validates the dimensionless parameters against DIMENSIONLESS_RANGES (k, k0 zero or in [1e-100, 1e6], q in
 * [1e-3, 1e12], T1, T2 zero or in [1e-100, 1e100]) and oscillator 1 confined (k > 0 or k0 > 0), throwing a ModelError that names the
 * parameter and its range. Returns a plain copy.
 */
export function validateDimensionless(p: DimensionlessParameters, context = ""): DimensionlessParameters {
  const at = context ? ` (${context})` : "";
  const get = (name: ParameterName) => checkRange(DIMENSIONLESS_LABELS[name], p[name], DIMENSIONLESS_RANGES[name], at);
  const k = get("k"),
    k0 = get("k0"),
    q = get("q"),
    T1 = get("T1"),
    T2 = get("T2");
  if (k === 0 && k0 === 0) {
    throw new ModelError(
      `k = 0 and k0 = 0: oscillator 1 is neither pinned nor coupled, so it diffuses and has no steady state${at}`,
    );
  }
  return { k, k0, q, T1, T2 };
}

/** Validates the mechanical parameters, naming the field at fault. */
export function validateMechanical(p: MechanicalParameters): MechanicalParameters {
  const kB = p.boltzmann === undefined ? 1 : requireNumber("boltzmann (kB)", p.boltzmann, "positive");
  return {
    m: requireNumber("m (mass)", p.m, "positive"),
    k1: requireNumber("k1 (pinning of oscillator 1)", p.k1, "nonnegative"),
    k2: requireNumber("k2 (pinning of oscillator 2)", p.k2, "positive"),
    K: requireNumber("K (coupling)", p.K, "nonnegative"),
    gamma: requireNumber("gamma (friction)", p.gamma, "positive"),
    T1: requireNumber("T1", p.T1, "nonnegative"),
    T2: requireNumber("T2", p.T2, "nonnegative"),
    L: requireNumber("L (length scale)", p.L, "positive"),
    boltzmann: kB,
  };
}

/** Validates the circuit parameters, naming the field at fault. */
export function validateCircuit(p: CircuitParameters): CircuitParameters {
  const out: CircuitParameters = {
    inductance: requireNumber("inductance L", p.inductance, "positive"),
    resistance: requireNumber("resistance R", p.resistance, "positive"),
    C1: requireNumber("C1", p.C1, "positive"),
    C2: requireNumber("C2", p.C2, "positive"),
    C: requireNumber("C (coupling capacitor)", p.C, "positive"),
    T1: requireNumber("T1", p.T1, "nonnegative"),
    T2: requireNumber("T2", p.T2, "nonnegative"),
    boltzmann: p.boltzmann === undefined ? BOLTZMANN_SI : requireNumber("boltzmann (kB)", p.boltzmann, "positive"),
  };
  if (p.chargeScale !== undefined) out.chargeScale = requireNumber("chargeScale", p.chargeScale, "positive");
  return out;
}

/** Scales (tau, T0, ...) of a mechanical system. */
export function mechanicalScales(p: Pick<MechanicalParameters, "m" | "k2" | "L" | "boltzmann">): Scales {
  const kB = p.boltzmann ?? 1;
  const time = Math.sqrt(p.m / p.k2);
  const energy = p.k2 * p.L * p.L;
  return { length: p.L, time, temperature: energy / kB, energy, power: energy / time, boltzmann: kB };
}

/** Mechanical -> dimensionless (Section 3, eqs. 10-20), with the scales that convert back. */
export function mechanicalToDimensionless(
  input: MechanicalParameters,
  from: "mechanical" | "electrical" = "mechanical",
  given?: Record<ParameterName, Record<string, number>>,
): { parameters: DimensionlessParameters; scales: Scales } {
  const p = validateMechanical(input);
  const scales = mechanicalScales(p);
  for (const [name, value, formula] of [
    ["time unit", scales.time, "tau = sqrt(m/k2)"],
    ["energy unit", scales.energy, "k2 L^2"],
    ["temperature unit", scales.temperature, "T0 = k2 L^2/kB"],
    ["power unit", scales.power, "k2 L^2/tau"],
  ] as const) {
    if (!(value > 0) || !Number.isFinite(value)) {
      const what =
        value === Infinity
          ? "overflows (above 1.8e308, the largest double)"
          : value === 0
            ? "underflows to 0 (below 4.9e-324, the smallest double)"
            : `is not a positive finite number (${value})`;
      throw new ModelError(`the ${name} ${formula} ${what}: rescale the parameters (choose other units)`);
    }
  }
  const parameters = {
    k: p.k1 / p.k2,
    k0: p.K / p.k2,
    // sqrt(k2) sqrt(m), not sqrt(k2 m): k2 = m = 1e300 are fine if gamma is as large.
    q: (Math.sqrt(p.k2) * Math.sqrt(p.m)) / p.gamma,
    T1: p.T1 / scales.temperature,
    T2: p.T2 / scales.temperature,
  };
  const formula: Record<ParameterName, string> =
    from === "mechanical"
      ? { k: "k1/k2", k0: "K/k2", q: "sqrt(k2 m)/gamma", T1: "T1/T0, T0 = k2 L^2/kB", T2: "T2/T0, T0 = k2 L^2/kB" }
      : {
          k: "C2/C1",
          k0: "C2/C",
          q: "sqrt(inductance/C2)/resistance",
          T1: "T1/T0, T0 = chargeScale^2/(C2 kB)",
          T2: "T2/T0, T0 = chargeScale^2/(C2 kB)",
        };
  // The values each dimensionless parameter is computed from, to name them when the result over- or underflows.
  const inputs: Record<ParameterName, Record<string, number>> = given ?? {
    k: { k1: p.k1, k2: p.k2 },
    k0: { K: p.K, k2: p.k2 },
    q: { k2: p.k2, m: p.m, gamma: p.gamma },
    T1: { T1: p.T1, T0: scales.temperature },
    T2: { T2: p.T2, T0: scales.temperature },
  };
  // Zero only from a zero input: k1 = 0, K = 0, T = 0 (q is never 0).
  const zero: Record<ParameterName, boolean> = {
    k: p.k1 === 0,
    k0: p.K === 0,
    q: false,
    T1: p.T1 === 0,
    T2: p.T2 === 0,
  };
  for (const name of PARAMETER_NAMES) {
    const value = parameters[name];
    if (!Number.isFinite(value) || (value === 0 && !zero[name])) {
      const values = Object.entries(inputs[name])
        .map(([key, v]) => `${key} = ${v}`)
        .join(", ");
      throw new ModelError(
        `the dimensionless ${name} = ${formula[name]} ${value === 0 ? "underflows to 0 (below 4.9e-324, the smallest double)" : "overflows (above 1.8e308, the largest double)"} ` +
          `(from ${values}): it must be ${describeRange(DIMENSIONLESS_RANGES[name])}`,
      );
    }
    checkRange(
      `the dimensionless ${name} = ${formula[name]}`,
      parameters[name],
      DIMENSIONLESS_RANGES[name],
      ` (from the ${from} parameters)`,
    );
  }
  return { parameters: validateDimensionless(parameters), scales };
}

/**
 * Dimensionless -> mechanical: needs the three units the dimensionless form hides, the mass m, the stiffness k2
 * and the length L (and kB, default 1).
 */
export function dimensionlessToMechanical(
  input: DimensionlessParameters,
  units: { m: number; k2: number; L: number; boltzmann?: number },
): MechanicalParameters {
  const d = validateDimensionless(input);
  const m = requireNumber("m (mass)", units.m, "positive");
  const k2 = requireNumber("k2", units.k2, "positive");
  const L = requireNumber("L (length scale)", units.L, "positive");
  const kB = units.boltzmann === undefined ? 1 : requireNumber("boltzmann (kB)", units.boltzmann, "positive");
  const T0 = (k2 * L * L) / kB;
  return {
    m,
    k1: d.k * k2,
    k2,
    K: d.k0 * k2,
    gamma: Math.sqrt(k2 * m) / d.q,
    T1: d.T1 * T0,
    T2: d.T2 * T0,
    L,
    boltzmann: kB,
  };
}

/** The mechanical system a circuit is the analog of (L <-> m, 1/C_i <-> k_i, 1/C <-> K, R <-> gamma, charge scale <-> L). */
export function circuitToMechanical(input: CircuitParameters): MechanicalParameters {
  const c = validateCircuit(input);
  const kB = c.boltzmann ?? BOLTZMANN_SI;
  // Default charge unit: sqrt(kB T1 C2), i.e. T0 = T1 (dimensionless T1 = 1); fall back to T2 if T1 = 0.
  const Tref = c.T1 > 0 ? c.T1 : c.T2 > 0 ? c.T2 : 1;
  const chargeScale = c.chargeScale ?? Math.sqrt(kB * Tref * c.C2);
  for (const [name, value] of [
    ["C1", c.C1],
    ["C2", c.C2],
    ["C (coupling capacitor)", c.C],
  ] as const) {
    if (!Number.isFinite(1 / value)) {
      throw new ModelError(`${name} = ${value} is too small: its inverse (the analog of a stiffness) overflows`);
    }
  }
  if (!(chargeScale > 0) || !Number.isFinite(chargeScale)) {
    throw new ModelError(
      `the charge unit sqrt(kB T C2) = ${chargeScale} (kB = ${kB}, T = ${Tref}, C2 = ${c.C2}) is not a positive ` +
        "finite number: give --charge-scale (or choose other units)",
    );
  }
  return {
    m: c.inductance,
    k1: 1 / c.C1,
    k2: 1 / c.C2,
    K: 1 / c.C,
    gamma: c.resistance,
    T1: c.T1,
    T2: c.T2,
    L: chargeScale,
    boltzmann: kB,
  };
}

/** Circuit -> dimensionless, with the scales (length = charge unit, time = sqrt(L C2)). */
export function circuitToDimensionless(input: CircuitParameters): {
  parameters: DimensionlessParameters;
  scales: Scales;
} {
  const c = validateCircuit(input);
  const mech = circuitToMechanical(c);
  const T0 = (mech.L * mech.L * mech.k2) / (mech.boltzmann ?? BOLTZMANN_SI);
  return mechanicalToDimensionless(mech, "electrical", {
    k: { C1: c.C1, C2: c.C2 },
    k0: { C: c.C, C2: c.C2 },
    q: { inductance: c.inductance, C2: c.C2, resistance: c.resistance },
    T1: { T1: c.T1, T0 },
    T2: { T2: c.T2, T0 },
  });
}

/** Dimensionless -> circuit, given the inductance, C2 (the units hidden by the dimensionless form) and the charge unit. */
export function dimensionlessToCircuit(
  input: DimensionlessParameters,
  units: { inductance: number; C2: number; chargeScale: number; boltzmann?: number },
): CircuitParameters {
  const kB = units.boltzmann ?? BOLTZMANN_SI;
  const C2 = requireNumber("C2", units.C2, "positive");
  const mech = dimensionlessToMechanical(input, {
    m: units.inductance,
    k2: 1 / C2,
    L: units.chargeScale,
    boltzmann: kB,
  });
  if (mech.k1 === 0 || mech.K === 0) {
    throw new ModelError("a circuit needs k > 0 and k0 > 0 (C1 = C2/k and C = C2/k0 must be finite)");
  }
  return {
    inductance: mech.m,
    resistance: mech.gamma,
    C1: 1 / mech.k1,
    C2,
    C: 1 / mech.K,
    T1: mech.T1,
    T2: mech.T2,
    boltzmann: kB,
    chargeScale: units.chargeScale,
  };
}

/** Normal-mode angular frequencies (units 1/tau) of the undamped system: eigenvalues of [[k+k0,-k0],[-k0,1+k0]]. */
export function normalModeFrequencies(p: Pick<DimensionlessParameters, "k" | "k0">): [number, number] {
  const a = p.k + p.k0,
    b = 1 + p.k0;
  const mean = (a + b) / 2;
  const half = Math.hypot((a - b) / 2, p.k0);
  const hi = mean + half;
  // The lower eigenvalue as det / hi avoids the cancellation in mean - half when the coupling is weak.
  const det = a * b - p.k0 * p.k0;
  return [Math.sqrt(Math.max(0, det / hi)), Math.sqrt(hi)];
}
