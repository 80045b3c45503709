/**
 * The variance resonance of two weakly coupled underdamped oscillators at two temperatures (Boffi and De Gregorio,
 * Entropy 26, 1087 (2024)) as a contract (src/studies/contract.ts): `ness study variance-resonance` (one parameter
 * point, a sweep of one parameter, or the inverse problem; in dimensionless, mechanical or electrical form) and the
 * figure sets of `ness reproduce variance-resonance`. compute() runs the exact engine and the closed forms;
 * figures() and report() only draw and write.
 *
 * Friction: gamma is the coefficient of the force -gamma x' on each oscillator (the resistance R of each loop in
 * the electrical form); the quality factor is q = Q2 = sqrt(k2 m)/gamma. kB = 1 unless --kB says otherwise.
 */
import { z } from "zod";
import { ModelError } from "../../errors.js";
import { doubleRangeFault } from "../../model/options.js";
import { BOFFI_DE_GREGORIO_2024 } from "../citations.js";
import {
  defineStudy,
  figureSet,
  type ComputeContext,
  type DataTable,
  type NamedNumber,
  type ParameterGroup,
} from "../contract.js";
import { choice, quantity, sweepable, sweptField, text } from "../schema.js";
import { num, table } from "../text.js";
import {
  COVARIANCE_COLUMNS,
  sigma11Equilibrium,
  sigma22Equilibrium,
  type Covariance,
  type CovarianceColumns,
} from "./closedForms.js";
import {
  apparentTemperatureData,
  FIGURE1,
  FIGURE4,
  FIGURE5,
  FIGURE6,
  FIGURE7,
  FIGURE8,
  FIGURE9,
  gridPoints,
  inverseData,
  kCurves,
  pointSpectrum,
  psdData,
  resonanceWidthFromPoints,
  resonanceWidthGrid,
  resonanceWidthPoint,
  type CurveRequest,
  type KFigure,
  type ResonanceWidthPoint,
} from "./figureData.js";
import { mapSet } from "../pointMap.js";
import {
  figure1,
  figure4,
  figure5,
  figure6,
  figure7,
  figure8,
  figure9,
  figureApparentTemperature,
  figureInverse,
  figurePsd,
  figureResonanceWidth,
  overviewFigure,
  psdFigure,
  sweepFigure,
  type PointSpectrum,
  type KCurves,
  type ResonanceWidthData,
} from "./figures.js";
import { inferK, type Inference, type Measurement, type Observable } from "./inverse.js";
import {
  BOLTZMANN_SI,
  circuitToDimensionless,
  DIMENSIONLESS_RANGES,
  mechanicalToDimensionless,
  validateDimensionless,
  type DimensionlessParameters,
  type ParameterName,
  type Scales,
} from "./parameters.js";
import { findResonance, peakOfSamples, type Resonance, type SampledPeak } from "./resonance.js";
import {
  CLOSED_FORM_AGREEMENT,
  steadyState,
  toPhysicalMoments,
  type PhysicalMoments,
  type SteadyState,
} from "./steadyState.js";
import { solvePoints, sweep, type SweepMethod } from "./sweep.js";

// ---------------------------------------------------------------------------------------------------------------
// Parameters.

const POSITIVE = { min: 0, max: 1e300, exclusiveMin: true };
const NONNEGATIVE = { min: 0, max: 1e300 };
const R = DIMENSIONLESS_RANGES;
const MECH = "Mechanical parameters";
const CIRCUIT = "Electrical parameters (RLC analog)";
const OUT = "Analysis";

/** The parameters of `ness study variance-resonance`, in one of three forms (groups below). */
export const varianceResonanceSchema = z.object({
  k: sweepable({
    describe: "k = k1/k2, the ratio of the pinning stiffnesses",
    unit: "1",
    range: R.k,
    defaultText: "1",
  }),
  k0: sweepable({ describe: "coupling k0 = K/k2", unit: "1", range: R.k0 }),
  q: sweepable({
    describe: "quality factor q = Q2 = sqrt(k2 m)/gamma (Q2 itself, not its square)",
    unit: "1",
    range: R.q,
  }),
  T1: sweepable({
    describe: "bath temperature of oscillator 1 (0: a noiseless damper)",
    unit: "T0 = k2 L^2/kB (mechanical, electrical: your units)",
    range: R.T1,
    flag: "T1",
  }),
  T2: sweepable({
    describe: "bath temperature of oscillator 2",
    unit: "T0 = k2 L^2/kB (mechanical, electrical: your units)",
    range: R.T2,
    flag: "T2",
  }),
  m: sweepable({ describe: "mass of each oscillator", unit: "mass", range: POSITIVE, section: MECH }),
  k1: sweepable({
    describe: "pinning stiffness of oscillator 1",
    unit: "force/length",
    range: NONNEGATIVE,
    section: MECH,
  }),
  k2: sweepable({
    describe: "pinning stiffness of oscillator 2",
    unit: "force/length",
    range: POSITIVE,
    section: MECH,
  }),
  K: sweepable({ describe: "coupling stiffness", unit: "force/length", range: NONNEGATIVE, flag: "K", section: MECH }),
  gamma: sweepable({
    describe: "friction coefficient of each oscillator: the force -gamma x'",
    unit: "mass/time",
    range: POSITIVE,
    section: MECH,
  }),
  L: quantity({
    describe: "length scale of the dimensionless displacements u = x/L",
    unit: "length",
    range: POSITIVE,
    flag: "L",
    defaultText: "1",
    section: MECH,
  }),
  kB: quantity({
    describe: "Boltzmann's constant in your units",
    unit: "energy/temperature",
    range: POSITIVE,
    flag: "kB",
    defaultText: "1 (electrical 1.380649e-23)",
    section: MECH,
  }),
  inductance: sweepable({
    describe: "inductance of each loop (the analog of the mass)",
    unit: "H",
    range: POSITIVE,
    section: CIRCUIT,
  }),
  resistance: sweepable({
    describe: "resistance of each loop (the analog of gamma; its Johnson noise is the bath)",
    unit: "ohm",
    range: POSITIVE,
    section: CIRCUIT,
  }),
  C1: sweepable({
    describe: "capacitor of loop 1 (1/C1 is the analog of k1)",
    unit: "F",
    range: POSITIVE,
    flag: "C1",
    section: CIRCUIT,
  }),
  C2: sweepable({ describe: "capacitor of loop 2", unit: "F", range: POSITIVE, flag: "C2", section: CIRCUIT }),
  C: sweepable({
    describe: "coupling capacitor (1/C is the analog of K)",
    unit: "F",
    range: POSITIVE,
    flag: "C",
    section: CIRCUIT,
  }),
  chargeScale: quantity({
    describe: "charge unit of the dimensionless charges",
    unit: "C",
    range: POSITIVE,
    defaultText: "sqrt(kB T1 C2)",
    section: CIRCUIT,
  }),
  method: choice(["lyapunov", "closed-form"] as const, {
    describe: "sweep engine: the exact engine (Lyapunov equation) or the closed forms",
    default: "lyapunov",
    valueName: "method",
    section: OUT,
  }),
  infer: text({
    describe:
      "inverse problem: k from measured values, e.g. 'sigma11=3.2±0.03,sigma12=-1.1±0.02' (also sigma22, ratio; mechanical: x1x1, x2x2, x1x2; electrical: q1q1, q2q2, q1q2)",
    valueName: "measured",
    section: OUT,
  }),
  window: text({
    describe: "k window lo:hi of the resonance finder (default 0:2) and of the inverse problem (default 0.01:4)",
    valueName: "lo:hi",
    section: OUT,
  }),
});

export type VarianceResonanceParameters = z.output<typeof varianceResonanceSchema>;
export type Mode = "dimensionless" | "mechanical" | "circuit";

const GROUPS: ParameterGroup[] = [
  {
    name: "dimensionless",
    title: "Dimensionless parameters (default)",
    keys: ["k", "k0", "q", "T1", "T2"],
    defaults: { k0: 0.01, q: 4000, T1: 1, T2: 11 },
  },
  {
    name: "mechanical",
    title: MECH,
    keys: ["m", "k1", "k2", "K", "gamma", "L", "T1", "T2", "kB"],
    required: ["m", "k1", "k2", "K", "gamma", "T1", "T2"],
    unlessGiven: { k1: "infer" },
    defaults: { L: 1, kB: 1 },
  },
  {
    name: "electrical",
    title: CIRCUIT,
    keys: ["inductance", "resistance", "C1", "C2", "C", "T1", "T2", "kB", "chargeScale"],
    required: ["inductance", "resistance", "C1", "C2", "C", "T1", "T2"],
    unlessGiven: { C1: "infer" },
    defaults: { kB: BOLTZMANN_SI },
  },
];

/** The parameters each form converts (in order; the swept one may be any of them). */
const MODE_KEYS: Record<Mode, string[]> = {
  dimensionless: ["k", "k0", "q", "T1", "T2"],
  mechanical: ["m", "k1", "k2", "K", "gamma", "L", "T1", "T2", "kB"],
  circuit: ["inductance", "resistance", "C1", "C2", "C", "T1", "T2", "kB", "chargeScale"],
};

/** The form of validated parameters (the groups' required fields tell them apart). */
export function modeOf(p: VarianceResonanceParameters): Mode {
  return p.inductance !== undefined ? "circuit" : p.m !== undefined ? "mechanical" : "dimensionless";
}

/** The unknown of the inverse problem in each form. */
const UNKNOWN: Record<Mode, "k" | "k1" | "C1"> = { dimensionless: "k", mechanical: "k1", circuit: "C1" };

/** One point of a form's parameters in dimensionless form (with the scales of the physical forms). */
function convert(mode: Mode, v: Record<string, number>): { parameters: DimensionlessParameters; scales?: Scales } {
  if (mode === "dimensionless")
    return { parameters: validateDimensionless({ k: v.k, k0: v.k0, q: v.q, T1: v.T1, T2: v.T2 }) };
  if (mode === "mechanical") {
    return mechanicalToDimensionless({
      m: v.m,
      k1: v.k1,
      k2: v.k2,
      K: v.K,
      gamma: v.gamma,
      T1: v.T1,
      T2: v.T2,
      L: v.L,
      boltzmann: v.kB,
    });
  }
  return circuitToDimensionless({
    inductance: v.inductance,
    resistance: v.resistance,
    C1: v.C1,
    C2: v.C2,
    C: v.C,
    T1: v.T1,
    T2: v.T2,
    boltzmann: v.kB,
    chargeScale: v.chargeScale,
  });
}

/** The fixed values of the form (a swept parameter holds its first value). */
function fixedValues(p: VarianceResonanceParameters, mode: Mode): Record<string, number> {
  const out: Record<string, number> = {};
  const all = p as Record<string, unknown>;
  for (const key of MODE_KEYS[mode]) {
    const v = all[key];
    if (typeof v === "number") out[key] = v;
    else if (v && typeof v === "object" && "start" in v) out[key] = (v as { start: number }).start;
  }
  if (mode === "dimensionless" && out.k === undefined && p.infer === undefined) out.k = 1;
  return out;
}

/** Parses 'sigma11=3.2±0.03,sigma22=8.1' (names depend on the form); ModelError naming `flag`. */
export function parseMeasured(
  textValue: string,
  mode: Mode,
  flag = "--infer",
): { measured: Partial<Record<Observable, number>>; errors: Partial<Record<Observable, number>> } {
  const names: Record<Mode, Record<string, Observable>> = {
    dimensionless: { sigma11: "sigma11", sigma22: "sigma22", sigma12: "sigma12", ratio: "ratio" },
    mechanical: { x1x1: "sigma11", x2x2: "sigma22", x1x2: "sigma12", ratio: "ratio" },
    circuit: { q1q1: "sigma11", q2q2: "sigma22", q1q2: "sigma12", ratio: "ratio" },
  };
  const allowed = names[mode];
  const measured: Partial<Record<Observable, number>> = {},
    errors: Partial<Record<Observable, number>> = {};
  for (const part of textValue
    .split(",")
    .map((x) => x.trim())
    .filter(Boolean)) {
    const m = /^([A-Za-z0-9]+)\s*=\s*(.+?)(?:\s*(?:±|\+-|\+\/-)\s*(.+))?$/.exec(part);
    if (!m || !(m[1] in allowed)) {
      throw new ModelError(
        `${flag}: cannot read '${part}' (use ${Object.keys(allowed)
          .map((k) => `${k}=VALUE[±ERROR]`)
          .join(", ")})`,
      );
    }
    const o = allowed[m[1]];
    const value = Number(m[2]);
    const fault =
      doubleRangeFault(m[2], value) ?? (m[3] !== undefined ? doubleRangeFault(m[3], Number(m[3])) : undefined);
    if (fault !== undefined) throw new ModelError(`${flag}: ${fault} (in '${part}')`);
    if (!Number.isFinite(value)) throw new ModelError(`${flag}: '${m[2]}' is not a number (in '${part}')`);
    measured[o] = value;
    if (m[3] !== undefined) {
      const e = Number(m[3]);
      if (!Number.isFinite(e)) throw new ModelError(`${flag}: '${m[3]}' is not a number (in '${part}')`);
      errors[o] = e;
    }
  }
  if (Object.keys(measured).length === 0) throw new ModelError(`${flag}: give at least one measured value`);
  return { measured, errors };
}

/** Parses a k window 'lo:hi'; ModelError naming `flag`. */
export function parseWindow(
  textValue: string | undefined,
  fallback: [number, number],
  flag = "--window",
): [number, number] {
  if (textValue === undefined) return fallback;
  const parts = textValue.split(":").map((x) => (x.trim() === "" ? NaN : Number(x)));
  textValue.split(":").forEach((x, i) => {
    const fault = doubleRangeFault(x, parts[i]);
    if (fault !== undefined) throw new ModelError(`${flag}: ${fault}`);
  });
  const kMax = R.k.max;
  if (
    parts.length !== 2 ||
    !parts.every(Number.isFinite) ||
    !(parts[0] >= 0 && parts[1] > parts[0] && parts[1] <= kMax)
  ) {
    throw new ModelError(`${flag}: '${textValue}' is not lo:hi with 0 <= lo < hi <= ${kMax} (a window of k = k1/k2)`);
  }
  return [parts[0], parts[1]];
}

/** Checks across parameters: the unknown of --infer, the required stiffness or capacitor otherwise, the texts. */
function check(p: VarianceResonanceParameters, name: (key: string) => string): void {
  const mode = modeOf(p);
  const unknown = UNKNOWN[mode];
  if (p.infer !== undefined) {
    if (p[unknown] !== undefined)
      throw new ModelError(`${name("infer")} finds ${unknown}: do not give ${name(unknown)}`);
    if (sweptField(p as Record<string, unknown>))
      throw new ModelError(`${name("infer")} works on one parameter point: no ranges`);
    parseMeasured(p.infer, mode, name("infer"));
  }
  parseWindow(p.window, [0, 2], name("window"));
}

// ---------------------------------------------------------------------------------------------------------------
// Results.

/** One parameter point: the old --json document of a point (every number in full precision). */
export interface PointResults {
  kind: "point";
  mode: Mode;
  input: Record<string, number>;
  parameters: DimensionlessParameters;
  covariance: Covariance;
  matrix: { order: string[]; rows: number[][] };
  residual: number;
  closedForm: Covariance;
  closedFormDeviation: number;
  equilibrium: SteadyState["equilibrium"];
  apparentTemperature: SteadyState["apparentTemperature"];
  fluxes: SteadyState["fluxes"];
  entropyProduction?: number;
  detailedBalance: SteadyState["detailedBalance"];
  scales?: Scales;
  physical?: PhysicalMoments;
  resonance: Resonance[];
  window: [number, number];
  undefinedQuantities?: SteadyState["undefinedQuantities"];
  /** Displacement spectra around the two normal modes (computed when figures are asked for). */
  spectrum?: PointSpectrum;
  warnings: string[];
}

/** A sweep of one parameter: the swept values and the seven covariance columns (typed arrays, written as lists). */
export interface SweepResults extends CovarianceColumns {
  kind: "sweep";
  mode: Mode;
  parameter: string;
  spacing: "linear" | "log";
  /** The fixed values of the form (the swept one holds its first value). */
  input: Record<string, number>;
  method: SweepMethod;
  values: Float64Array;
  maxResidual: number;
  closedFormDeviation?: number;
  /** Dimensionless sweeps: the fixed dimensionless parameters. */
  base?: DimensionlessParameters;
  /** sigma11 at T1 and sigma22 at T2 if the whole system were at that temperature (sweeps small enough to draw). */
  localEquilibrium?: { sigma11: Float64Array; sigma22: Float64Array };
  /** Largest deviation of sigma11 from local equilibrium (ascending sweeps). */
  peak?: SampledPeak;
  /** Dimensionless sweeps of k: the resonances of sigma11 and sigma22 in the swept window (closed forms, refined). */
  resonance?: Resonance[];
  warnings: string[];
}

/** The inverse problem: k (k1, C1) from measured second moments. */
export interface InferenceResults extends Inference {
  kind: "inference";
  mode: Mode;
  input: Record<string, number>;
  parameters: Omit<DimensionlessParameters, "k">;
  measurement: Measurement;
  warnings: string[];
}

export type VarianceResonanceResults = PointResults | SweepResults | InferenceResults;

/** Most points a sweep's figure draws (an SVG of more is unusable; --csv writes any number). */
export const MAX_FIGURE_POINTS = 100_000;

function computePoint(p: VarianceResonanceParameters, mode: Mode, ctx: ComputeContext): PointResults {
  const input = fixedValues(p, mode);
  const { parameters, scales } = convert(mode, input);
  const window = parseWindow(p.window, [0, 2]);
  const s = steadyState(parameters);
  const resonance = [
    findResonance(parameters, { oscillator: 1, domain: window }),
    findResonance(parameters, { oscillator: 2, domain: window }),
  ];
  return {
    kind: "point",
    mode,
    input,
    parameters: s.parameters,
    covariance: s.covariance,
    matrix: {
      order: ["u1", "u2", "v1", "v2"],
      rows: [0, 1, 2, 3].map((i) => Array.from(s.matrix.subarray(4 * i, 4 * i + 4))),
    },
    residual: s.residual,
    closedForm: s.closedForm,
    closedFormDeviation: s.closedFormDeviation,
    equilibrium: s.equilibrium,
    apparentTemperature: s.apparentTemperature,
    fluxes: s.fluxes,
    ...(s.entropyProduction !== undefined ? { entropyProduction: s.entropyProduction } : {}),
    detailedBalance: s.detailedBalance,
    ...(scales ? { scales, physical: toPhysicalMoments(s, scales) } : {}),
    resonance,
    window,
    ...(Object.keys(s.undefinedQuantities).length > 0 ? { undefinedQuantities: s.undefinedQuantities } : {}),
    ...(ctx.figures ? { spectrum: pointSpectrum(s.parameters) } : {}),
    warnings: s.warnings,
  };
}

function computeSweep(p: VarianceResonanceParameters, mode: Mode, ctx: ComputeContext): SweepResults {
  const swept = sweptField(p as Record<string, unknown>)!;
  const name = swept.key;
  const values = swept.values;
  const n = values.length;
  const input = fixedValues(p, mode);
  const method = p.method;
  const convertAt = (i: number) => convert(mode, { ...input, [name]: values[i] });
  let columns: CovarianceColumns & { maxResidual: number; closedFormDeviation?: number };
  let base: DimensionlessParameters | undefined;
  if (mode === "dimensionless") {
    const s = sweep(convert(mode, input).parameters, name as ParameterName, values, {
      method,
      onProgress: ctx.progress,
    });
    columns = s;
    base = s.base;
  } else {
    columns = solvePoints({ count: n, pointAt: (i) => convertAt(i).parameters }, { method, onProgress: ctx.progress });
  }
  const pointAt = (i: number): DimensionlessParameters =>
    base ? { ...base, [name]: values[i] } : convertAt(i).parameters;
  const warnings: string[] = [];
  const deviation = columns.closedFormDeviation;
  if (deviation !== undefined && !(deviation <= CLOSED_FORM_AGREEMENT)) {
    warnings.push(
      `the exact engine and the closed forms differ by up to ${num(deviation, 2)} (relative) in this sweep: ` +
        "where the time scales 1/q and 1/sqrt(k), 1/sqrt(k0) are far apart the equations are ill-conditioned; trust the digits only to that level",
    );
  }
  const out: SweepResults = {
    kind: "sweep",
    mode,
    parameter: name,
    spacing: swept.range.spacing,
    input,
    method,
    values,
    ...(Object.fromEntries(COVARIANCE_COLUMNS.map((e) => [e, columns[e]])) as CovarianceColumns),
    maxResidual: columns.maxResidual,
    ...(deviation !== undefined ? { closedFormDeviation: deviation } : {}),
    ...(base ? { base } : {}),
    warnings,
  };
  const ascending = values.every((x, i) => i === 0 || x > values[i - 1]);
  if (ascending || n <= MAX_FIGURE_POINTS) {
    const eq11 = new Float64Array(n),
      eq22 = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const q = pointAt(i);
      eq11[i] = sigma11Equilibrium(q, q.T1);
      eq22[i] = sigma22Equilibrium(q, q.T2);
    }
    if (ascending) out.peak = peakOfSamples(values, columns.sigma11, eq11);
    if (n <= MAX_FIGURE_POINTS) out.localEquilibrium = { sigma11: eq11, sigma22: eq22 };
  }
  if (mode === "dimensionless" && name === "k" && base) {
    const lo = Math.min(values[0], values[n - 1]),
      hi = Math.max(values[0], values[n - 1]);
    out.resonance = [
      findResonance(base, { oscillator: 1, domain: [lo, hi] }),
      findResonance(base, { oscillator: 2, domain: [lo, hi] }),
    ];
  }
  return out;
}

function computeInference(p: VarianceResonanceParameters, mode: Mode): InferenceResults {
  const fixed = fixedValues(p, mode);
  // k does not enter k0, q or the temperatures: any placeholder converts the rest.
  const { parameters, scales } = convert(mode, { ...fixed, k: 1, k1: fixed.k2, C1: fixed.C2 });
  const { measured, errors } = parseMeasured(p.infer!, mode);
  const toSigma = (o: Observable, x: number) => (o === "ratio" || !scales ? x : x / (scales.length * scales.length));
  const measurement: Measurement = { uncertainty: {} };
  for (const o of Object.keys(measured) as Observable[]) {
    measurement[o] = toSigma(o, measured[o]!);
    if (errors[o] !== undefined) measurement.uncertainty![o] = toSigma(o, errors[o]!);
  }
  const { k: _k, ...rest } = parameters;
  const inf = inferK(rest, measurement, { domain: parseWindow(p.window, [0.01, 4]) });
  return { kind: "inference", mode, input: fixed, parameters: rest, measurement, ...inf, warnings: [] };
}

// ---------------------------------------------------------------------------------------------------------------
// Report.

const LABEL: Record<keyof Covariance, string> = {
  sigma11: "<u1^2>",
  sigma12: "<u1 u2>",
  sigma22: "<u2^2>",
  sigma33: "<v1^2>",
  sigma34: "<v1 v2>",
  sigma44: "<v2^2>",
  sigma23: "<u2 v1> = -<u1 v2>",
};

function describeResonance(r: Resonance, who: string): string {
  if (r.kind === "none") return `${who}: no resonance (${r.reason})`;
  const w = r.width !== undefined ? `full width ${num(r.width)}` : "width not resolved in the window";
  const v = r.variance
    ? `; ${r.kind === "peak" ? "maximum" : "minimum"} of the variance itself ${num(r.variance.value)} at k = ${num(r.variance.location, 8)}`
    : "";
  return (
    `${who}: ${r.kind} at k = ${num(r.location, 8)}, variance ${num(r.height)} (local equilibrium ${num(r.baseline)}, excess ${num(r.excess)}), ${w}${v}\n` +
    `  eq. 48 (Lorentzian-like factor (1 - k)^2 + 4 k0^2): centre 1, full width 4 k0 = ${num(r.lorentzian.width)}; with finite q ${num(r.lorentzian.widthFiniteQ)}; q -> infinity excess at k = 1 ${num(r.lorentzian.excess)}`
  );
}

function pointReport(r: PointResults): string {
  const p = r.parameters;
  const out: string[] = [];
  out.push("Two coupled underdamped oscillators at two temperatures (Boffi & De Gregorio, Entropy 26, 1087 (2024))");
  if (r.mode !== "dimensionless") {
    const sc = r.scales!;
    out.push(
      `${r.mode} parameters: ${MODE_KEYS[r.mode]
        .filter((n) => r.input[n] !== undefined)
        .map((n) => `${n} = ${num(r.input[n])}`)
        .join(", ")}`,
    );
    out.push(
      `units: length ${num(sc.length)}, time tau = ${num(sc.time)}, temperature T0 = ${num(sc.temperature)}, energy flux ${num(sc.power)}`,
    );
  }
  out.push(
    `dimensionless: k = ${num(p.k, 8)}, k0 = ${num(p.k0)}, q = ${num(p.q)}, T1 = ${num(p.T1)}, T2 = ${num(p.T2)}`,
    "",
  );
  out.push(
    table(
      ["element", "", "exact (Lyapunov)", "closed form"],
      COVARIANCE_COLUMNS.map((e) => [e, LABEL[e], r.covariance[e], r.closedForm[e]]),
    ),
  );
  out.push(`Lyapunov residual ${num(r.residual)}; closed forms agree to ${num(r.closedFormDeviation)} (relative)`, "");
  const eq = r.equilibrium;
  out.push(
    `if all at T1: sigma11 = ${num(eq.sigma11AtT1)}; if all at T2: sigma22 = ${num(eq.sigma22AtT2)}; at the mean temperature: sigma11 = ${num(eq.sigma11AtMean)}, sigma22 = ${num(eq.sigma22AtMean)}`,
  );
  const t = r.apparentTemperature;
  out.push(
    `apparent temperatures (units T0): oscillator 1 ${num(t.configurational1)} (from sigma11), ${num(t.kinetic1)} (kinetic); oscillator 2 ${num(t.configurational2)}, ${num(t.kinetic2)}`,
  );
  const f = r.fluxes;
  out.push(
    `energy fluxes (units k2 L^2/tau): bath 1 -> oscillator 1 ${num(f.bathToOscillator1)}, bath 2 -> oscillator 2 ${num(f.bathToOscillator2)}, spring 1 -> 2 ${num(f.spring1to2)}`,
  );
  const undefinedEp = r.undefinedQuantities?.entropyProduction;
  out.push(
    `entropy production rate ${r.entropyProduction !== undefined ? `${num(r.entropyProduction)} kB/tau` : undefinedEp}`,
  );
  out.push(
    `detailed balance (eq. 40): sigma23 = ${num(r.detailedBalance.sigma23)}, sigma34 = ${num(r.detailedBalance.sigma34)} (both vanish iff it holds)`,
  );
  if (r.scales && r.physical) {
    const sc = r.scales,
      ph = r.physical;
    const [x, v] = r.mode === "circuit" ? ["q", "I"] : ["x", "v"];
    out.push(
      "",
      `physical: <${x}1^2> = ${num(ph.x1x1)}, <${x}1 ${x}2> = ${num(ph.x1x2)}, <${x}2^2> = ${num(ph.x2x2)}, <${v}1^2> = ${num(ph.v1v1)}, <${v}1 ${v}2> = ${num(ph.v1v2)}, <${v}2^2> = ${num(ph.v2v2)}`,
      `  apparent temperatures: oscillator 1 ${num(t.configurational1 * sc.temperature)} (from <${x}1^2>), ${num(t.kinetic1 * sc.temperature)} (kinetic); oscillator 2 ${num(t.configurational2 * sc.temperature)}, ${num(t.kinetic2 * sc.temperature)}`,
      `  fluxes: bath 1 -> 1 ${num(ph.bathToOscillator1)}, bath 2 -> 2 ${num(ph.bathToOscillator2)}, spring 1 -> 2 ${num(ph.spring1to2)} (energy per time); entropy production ${ph.entropyProduction !== undefined ? `${num(ph.entropyProduction)} (kB per time)` : undefinedEp}`,
    );
  }
  out.push(
    "",
    `resonance in k for these k0, q, T1, T2 (window [${r.window[0]}, ${r.window[1]}]):`,
    describeResonance(r.resonance[0], "  oscillator 1 (sigma11)"),
    describeResonance(r.resonance[1], "  oscillator 2 (sigma22)"),
  );
  return out.join("\n");
}

/** The header of a sweep's data table: the swept parameter, the covariance; physical forms add more. */
function sweepHeader(r: SweepResults): string[] {
  const header = [r.parameter, ...COVARIANCE_COLUMNS] as string[];
  if (r.mode !== "dimensionless") {
    const [x, v] = r.mode === "circuit" ? ["q", "I"] : ["x", "v"];
    header.push(
      "k",
      "k0",
      "q",
      "T1",
      "T2",
      `${x}1${x}1`,
      `${x}1${x}2`,
      `${x}2${x}2`,
      `${v}1${v}1`,
      `${v}1${v}2`,
      `${v}2${v}2`,
    );
  }
  return header;
}

/** Row i of a sweep's data table (physical forms: converted on demand, nothing per point is kept). */
function sweepRow(r: SweepResults, header: string[]): (i: number, row: (number | string)[]) => void {
  return (i, row) => {
    row[0] = r.values[i];
    COVARIANCE_COLUMNS.forEach((e, c) => (row[c + 1] = r[e][i]));
    if (r.mode === "dimensionless") return;
    const { parameters: p, scales: sc } = convert(r.mode, { ...r.input, [r.parameter]: r.values[i] });
    const L2 = sc!.length * sc!.length,
      t2 = sc!.time * sc!.time;
    const extra = [
      p.k,
      p.k0,
      p.q,
      p.T1,
      p.T2,
      L2 * r.sigma11[i],
      L2 * r.sigma12[i],
      L2 * r.sigma22[i],
      (L2 / t2) * r.sigma33[i],
      (L2 / t2) * r.sigma34[i],
      (L2 / t2) * r.sigma44[i],
    ];
    for (let c = 0; c < extra.length; c++) {
      if (!Number.isFinite(extra[c]))
        throw new ModelError(
          `the physical ${header[8 + c]} at ${r.parameter} = ${r.values[i]} overflows: rescale the parameters (choose other units)`,
        );
      row[8 + c] = extra[c];
    }
  };
}

function sweepReport(r: SweepResults): string {
  const { parameter: name, values } = r;
  const n = values.length;
  const out: string[] = [];
  out.push(
    `swept ${name} over ${n} values from ${num(values[0])} to ${num(values[n - 1])} (${r.method === "lyapunov" ? `exact engine, largest Lyapunov residual ${num(r.maxResidual)}; closed forms agree to ${num(r.closedFormDeviation!)}` : "closed forms"})`,
  );
  if (r.peak) {
    const pk = r.peak;
    out.push(
      `largest deviation of sigma11 from local equilibrium (T1 everywhere): ${num(pk.excess)} at ${name} = ${num(pk.location, 8)}${pk.width !== undefined ? `, full width at half maximum ${num(pk.width)}` : ""}${pk.atEdge ? " (at the edge of the sweep)" : ""}`,
    );
  }
  if (r.resonance) {
    out.push(describeResonance(r.resonance[0], "resonance of sigma11 (closed forms, refined)"));
    out.push(describeResonance(r.resonance[1], "resonance of sigma22"));
  }
  const header = sweepHeader(r);
  const fill = sweepRow(r, header);
  const step = Math.max(1, Math.floor((n - 1) / 10));
  const rows: number[][] = [];
  const row = new Array<number | string>(header.length).fill(0);
  const take = (i: number) => {
    fill(i, row);
    rows.push(row.slice(0, 8) as number[]);
  };
  for (let i = 0; i < n; i += step) take(i);
  if ((n - 1) % step !== 0) take(n - 1);
  out.push(
    "",
    table([name, ...COVARIANCE_COLUMNS], rows),
    step === 1
      ? `(all ${n} points; --csv FILE writes them in full precision, --figure FILE.png draws them)`
      : `(${rows.length} of the ${n} points shown, every ${step}th; --csv FILE writes all ${n}, --figure FILE.png draws them)`,
  );
  return out.join("\n");
}

function inferenceReport(r: InferenceResults): string {
  const out: string[] = [];
  const v = r.input;
  const extra = (k: number) =>
    r.mode === "mechanical" ? `, k1 = ${num(k * v.k2, 8)}` : r.mode === "circuit" ? `, C1 = ${num(v.C2 / k, 8)}` : "";
  out.push(
    `inverse problem: k = k1/k2 from measured ${r.primary}${r.jointFit ? " and more" : ""}, searched in [${r.domain[0]}, ${r.domain[1]}]`,
  );
  if (r.solutions.length === 0)
    out.push("  no k in the window reproduces the measurement (is it above the resonance peak?)");
  for (const s of r.solutions) {
    const res = Object.entries(s.residual)
      .map(([o, x]) => `${o} off by ${num(x!)}`)
      .join(", ");
    const sens = Object.entries(s.sensitivity)
      .map(([o, d]) => `dk/d${o} = ${num(d!)}`)
      .join(", ");
    out.push(
      `  k = ${num(s.k, 10)}${extra(s.k)} (${s.side} the resonance): ${sens}${s.kError !== undefined ? `, error ${num(s.kError)}` : ""}; ${res}`,
    );
  }
  if (r.jointFits.length > 0) {
    out.push(
      `least-squares fits to all measured values (best first)${r.ambiguous ? ": AMBIGUOUS, the two best fit about equally well" : ""}:`,
    );
    for (const j of r.jointFits.slice(0, 4))
      out.push(
        `  k = ${num(j.k, 10)}${extra(j.k)}${j.kError !== undefined ? ` ± ${num(j.kError)}` : ""} (mismatch ${num(j.mismatch)})`,
      );
    if (r.ambiguous)
      out.push(
        "  (sigma22 mirrors sigma11 near the resonance; the covariance sigma12, which changes sign at k = 1, tells the sides apart)",
      );
  }
  return out.join("\n");
}

/** The named numbers of a result (the lab's report box): dimensionless units, as the report. */
function varianceResonanceNumbers(r: VarianceResonanceResults): NamedNumber[] {
  if (r.kind === "point") {
    const c = r.covariance;
    const out: NamedNumber[] = [
      { key: "sigma11", label: "⟨u₁²⟩", value: c.sigma11, unit: "L²" },
      { key: "sigma22", label: "⟨u₂²⟩", value: c.sigma22, unit: "L²" },
      { key: "sigma12", label: "⟨u₁u₂⟩", value: c.sigma12, unit: "L²" },
      { key: "sigma33", label: "⟨v₁²⟩ (kinetic temperature of 1)", value: c.sigma33, unit: "L²/τ²" },
      { key: "sigma44", label: "⟨v₂²⟩ (kinetic temperature of 2)", value: c.sigma44, unit: "L²/τ²" },
      {
        key: "spring1to2",
        label: "energy flux through the coupling, 1 → 2",
        value: r.fluxes.spring1to2,
        unit: "k₂L²/τ",
      },
    ];
    if (r.entropyProduction !== undefined)
      out.push({
        key: "entropyProduction",
        label: "entropy production rate",
        value: r.entropyProduction,
        unit: "kB/τ",
      });
    out.push({ key: "residual", label: "Lyapunov residual", value: r.residual });
    return out;
  }
  if (r.kind === "sweep") {
    const out: NamedNumber[] = [];
    let max = -Infinity;
    for (const x of r.sigma11) if (x > max) max = x;
    out.push({ key: "sigma11Max", label: `largest ⟨u₁²⟩ over the sweep of ${r.parameter}`, value: max, unit: "L²" });
    if (r.peak) {
      out.push(
        { key: "peakExcess", label: "largest ⟨u₁²⟩ above local equilibrium", value: r.peak.excess, unit: "L²" },
        { key: "peakLocation", label: `${r.parameter} at that largest excess`, value: r.peak.location },
      );
      if (r.peak.width !== undefined)
        out.push({ key: "peakWidth", label: "full width at half maximum", value: r.peak.width });
    }
    const res = r.resonance?.[0];
    if (res && res.kind !== "none")
      out.push({
        key: "resonance",
        label: `k at the ${res.kind} of ⟨u₁²⟩ (closed forms, refined)`,
        value: res.location,
      });
    out.push({ key: "residual", label: "largest Lyapunov residual", value: r.maxResidual });
    return out;
  }
  return r.solutions.map((s, i) => ({
    key: i === 0 ? "k" : `k${i + 1}`,
    label: `k = k₁/k₂ (${s.side} the resonance)`,
    value: s.k,
    ...(s.kError !== undefined ? { error: s.kError } : {}),
  }));
}

const AXIS: Record<string, string> = { k: "k = k₁/k₂", k0: "k₀ = K/k₂", q: "q = Q₂", T1: "T₁", T2: "T₂" };

// ---------------------------------------------------------------------------------------------------------------
// The study.

export const varianceResonance = defineStudy({
  name: "variance-resonance",
  title: "Variance resonance of two weakly coupled oscillators at two temperatures",
  units:
    "dimensionless as in Boffi & De Gregorio: u = x/L, time in tau = sqrt(m/k2), stiffnesses in k2, temperatures in T0 = k2 L^2/kB; sigma_ij in L^2 (positions), L^2/tau (mixed), L^2/tau^2 (velocities); energy fluxes in k2 L^2/tau, entropy production in kB/tau, frequencies in 1/tau (mechanical and electrical inputs are converted to these)",
  summary:
    "two weakly coupled underdamped oscillators at two temperatures: covariance, fluxes, resonance, spectra, inverse problem " +
    "(one point, a sweep of one parameter, or --infer; dimensionless, mechanical or electrical parameters)",
  citations: [BOFFI_DE_GREGORIO_2024],
  parameters: varianceResonanceSchema,
  groups: GROUPS,
  check,
  seeded: false,
  async compute(p, ctx): Promise<VarianceResonanceResults> {
    const mode = modeOf(p);
    if (p.infer !== undefined) return computeInference(p, mode);
    return sweptField(p as Record<string, unknown>) ? computeSweep(p, mode, ctx) : computePoint(p, mode, ctx);
  },
  figures(r) {
    if (r.kind === "point") return r.spectrum ? [psdFigure(r.spectrum)] : [];
    if (r.kind !== "sweep" || !r.localEquilibrium) return [];
    const log = r.spacing === "log";
    if (r.base) {
      return [
        sweepFigure(
          {
            parameter: r.parameter as ParameterName,
            values: r.values,
            base: r.base,
            maxResidual: r.maxResidual,
            columns: r,
            localEquilibrium: r.localEquilibrium,
          },
          { log },
        ),
      ];
    }
    const n = r.values.length;
    return [
      overviewFigure({
        name: `variance-resonance-${r.parameter}-sweep`,
        title: `Steady state of two coupled oscillators against ${r.parameter}`,
        caption: `Sweep of the ${r.mode} parameter ${r.parameter} over ${n} values (${MODE_KEYS[r.mode]
          .filter((x) => x !== r.parameter && r.input[x] !== undefined)
          .map((x) => `${x} = ${num(r.input[x])}`)
          .join(
            ", ",
          )}), shown in dimensionless units (length L, time tau = sqrt(m/k2), temperature T0 = k2 L^2/kB). Exact engine, largest residual ${num(r.maxResidual)}.`,
        x: r.values,
        xLabel: AXIS[r.parameter] ?? r.parameter,
        xName: r.parameter,
        log,
        columns: r,
        localEquilibrium: r.localEquilibrium,
      }),
    ];
  },
  report(r) {
    return r.kind === "point" ? pointReport(r) : r.kind === "sweep" ? sweepReport(r) : inferenceReport(r);
  },
  numbers: varianceResonanceNumbers,
  // The page opens on the paper's picture: sigma11 against k across the resonance (801 exact solves).
  pageSweep: { key: "k", range: { start: 0.9, stop: 1.1, count: 801, spacing: "linear" } },
  table(r): DataTable | undefined {
    if (r.kind !== "sweep") return undefined;
    const columns = sweepHeader(r);
    return { columns, rows: r.values.length, row: sweepRow(r, columns) };
  },
  outputs: {
    figure: "one point: the displacement spectra around the two normal modes; a sweep: a four-panel overview",
    csv: "a sweep: the swept parameter, sigma11, sigma12, sigma22, sigma33, sigma34, sigma44, sigma23 (physical forms add the dimensionless parameters and the physical moments)",
  },
  checkOutputs(p, wanted) {
    const swept = sweptField(p as Record<string, unknown>);
    if (p.infer !== undefined && (wanted.csv !== undefined || wanted.figure !== undefined)) {
      throw new ModelError("--infer prints its answer; --csv and --figure do not apply");
    }
    if (!swept && wanted.csv !== undefined)
      throw new ModelError("--csv needs a sweep: give one parameter as a range start:stop:count (e.g. --k 0:2:2001)");
    if (swept && wanted.figure !== undefined && swept.values.length > MAX_FIGURE_POINTS) {
      throw new ModelError(
        `--figure draws at most ${MAX_FIGURE_POINTS} points, got ${swept.values.length}: write them with --csv, or sweep fewer points`,
      );
    }
  },
  examples: [
    "study variance-resonance --k0 0.01 --q 4000 --T1 1 --T2 11 --k 0:2:2001 --csv sweep.csv --figure sweep.png",
    "study variance-resonance --k 0.98 --figure spectrum.png",
    "study variance-resonance --m 1 --k1 2 --k2 2.1 --K 0.01 --gamma 0.001 --T1 1 --T2 3",
    "study variance-resonance --infer 'sigma11=4.2±0.04,sigma12=-2.33±0.02'",
    "reproduce variance-resonance --out out/variance-resonance",
  ],
  reproduce: [],
});

// ---------------------------------------------------------------------------------------------------------------
// The figure sets of `ness reproduce variance-resonance` (one per figure; the paper's first, then beyond it).

/** A figure of curves against k as a map: one point per curve (a scan over k), its data assembled from them. */
const kFigure = <R>(id: string, title: string, data: KFigure<R>, draw: (d: R) => ReturnType<typeof figure1>) =>
  mapSet<{ points: number }, CurveRequest & { points: number }, KCurves, R>({
    id,
    title,
    parameters: (quick) => ({ points: gridPoints(quick) }),
    map: {
      points: (c) => data.curves.map((r) => ({ ...r, points: c.points })),
      point: (r) => kCurves(r.k0, r.q, r.settings, r.element, r.points),
      assemble: (_c, curves) => data.assemble(curves),
    },
    figures: (d) => [draw(d)],
  });

varianceResonance.reproduce.push(
  kFigure(
    "fig1-variance-resonance",
    "Fig. 1 of [Boffi & De Gregorio 2024]: the variance of the colder oscillator against k",
    FIGURE1,
    figure1,
  ),
  kFigure(
    "fig4-cold-oscillator",
    "Fig. 4 of [Boffi & De Gregorio 2024]: the cold oscillator's sigma11 against k",
    FIGURE4,
    figure4,
  ),
  kFigure(
    "fig5-hot-oscillator",
    "Fig. 5 of [Boffi & De Gregorio 2024]: the hot oscillator's sigma11 against k",
    FIGURE5,
    figure5,
  ),
  kFigure(
    "fig6-covariance",
    "Fig. 6 of [Boffi & De Gregorio 2024]: the covariance sigma12 against k",
    FIGURE6,
    figure6,
  ),
  kFigure("fig7-coupling", "Fig. 7 of [Boffi & De Gregorio 2024]: changing the coupling k0", FIGURE7, figure7),
  kFigure(
    "fig8-quality-factor",
    "Fig. 8 of [Boffi & De Gregorio 2024]: changing the quality factor q",
    FIGURE8,
    figure8,
  ),
  kFigure(
    "fig9-detailed-balance",
    "Fig. 9 of [Boffi & De Gregorio 2024]: the energy flux sigma23 and the velocity correlation sigma34",
    FIGURE9,
    figure9,
  ),
  figureSet({
    id: "psd-displacement",
    title: "displacement spectra near and away from the resonance",
    parameters: (quick: boolean) => ({ points: quick ? 1200 : 6000 }),
    compute: async (c: { points: number }) => psdData(c.points),
    figures: (d) => [figurePsd(d)],
  }),
  figureSet({
    id: "apparent-temperature",
    title: "apparent temperatures of the two oscillators against k",
    parameters: (quick: boolean) => ({ points: gridPoints(quick) }),
    compute: async (c: { points: number }) => apparentTemperatureData(c.points),
    figures: (d) => [figureApparentTemperature(d)],
  }),
  // A map: one point per (q, k0), each a run of the resonance finder.
  mapSet<{ count: number }, { k0: number; q: number }, ResonanceWidthPoint, ResonanceWidthData>({
    id: "resonance-width",
    title: "width of the resonance against k0 (eq. 48)",
    parameters: (quick: boolean) => ({ count: quick ? 13 : 41 }),
    map: {
      points: (c) => {
        const { k0s, qs } = resonanceWidthGrid(c.count);
        return qs.flatMap(({ q }) => k0s.map((k0) => ({ k0, q })));
      },
      point: (p) => resonanceWidthPoint(p.k0, p.q),
      assemble: (c, points) => resonanceWidthFromPoints(c.count, points),
    },
    figures: (d) => [figureResonanceWidth(d)],
  }),
  figureSet({
    id: "inverse-problem",
    title: "the inverse problem: k from measured second moments",
    parameters: (quick: boolean) => ({ points: quick ? 201 : 801 }),
    compute: async (c: { points: number }) => inverseData(c.points),
    figures: (d) => [figureInverse(d)],
  }),
);
