/**
 * `ness study variance-resonance` (any parameters: dimensionless, mechanical or electrical; one point or a sweep of
 * one parameter; the inverse problem) and `ness reproduce variance-resonance` (the paper's figures with their data).
 */
import { Command } from "commander";
import * as path from "node:path";
import { ModelError } from "../../errors.js";
import { writeFigure, writeFigureFile } from "../../io/render.js";
import {
  circuitToDimensionless,
  CLOSED_FORM_AGREEMENT,
  COVARIANCE_COLUMNS,
  DIMENSIONLESS_RANGES,
  findResonance,
  inferK,
  MAX_SWEEP_POINTS,
  mechanicalToDimensionless,
  overviewFigure,
  parseRange,
  peakOfSamples,
  psdFigure,
  rangeValues,
  REPRODUCED_FIGURES,
  sigma11Equilibrium,
  solvePoints,
  steadyState,
  sweep,
  sweepFigure,
  toPhysicalMoments,
  validateDimensionless,
  type Covariance,
  type CovarianceColumns,
  type DimensionlessParameters,
  type Inference,
  type Measurement,
  type Observable,
  type Resonance,
  type Scales,
  type SteadyState,
  type Sweep,
  type SweepMethod,
} from "../../studies/variance-resonance/index.js";
import { describeRange } from "../../studies/ranges.js";
import { num, table } from "../format.js";
import { progressBar } from "../progress.js";
import { checkedText, csvColumns, finiteText, jsonColumns, jsonText, printJson, printText, printWarnings, writeChunks, writeStdout } from "./output.js";
import type { ReproduceOptions, StudyCli } from "./registry.js";

type Mode = "dimensionless" | "mechanical" | "circuit";

interface ModeSpec {
  names: string[];
  required: string[];
  defaults: Record<string, number>;
  /** Converts one point of this mode's parameters. */
  convert(v: Record<string, number>): { parameters: DimensionlessParameters; scales?: Scales };
}

const MODES: Record<Mode, ModeSpec> = {
  dimensionless: {
    names: ["k", "k0", "q", "T1", "T2"],
    required: [],
    defaults: { k: 1, k0: 0.01, q: 4000, T1: 1, T2: 11 },
    convert: (v) => ({ parameters: validateDimensionless({ k: v.k, k0: v.k0, q: v.q, T1: v.T1, T2: v.T2 }) }),
  },
  mechanical: {
    names: ["m", "k1", "k2", "K", "gamma", "L", "T1", "T2", "kB"],
    required: ["m", "k1", "k2", "K", "gamma", "T1", "T2"],
    defaults: { L: 1, kB: 1 },
    convert: (v) =>
      mechanicalToDimensionless({ m: v.m, k1: v.k1, k2: v.k2, K: v.K, gamma: v.gamma, T1: v.T1, T2: v.T2, L: v.L, boltzmann: v.kB }),
  },
  circuit: {
    names: ["inductance", "resistance", "C1", "C2", "C", "T1", "T2", "kB", "chargeScale"],
    required: ["inductance", "resistance", "C1", "C2", "C", "T1", "T2"],
    defaults: { kB: 1.380649e-23 },
    convert: (v) =>
      circuitToDimensionless({
        inductance: v.inductance, resistance: v.resistance, C1: v.C1, C2: v.C2, C: v.C, T1: v.T1, T2: v.T2,
        boltzmann: v.kB, chargeScale: v.chargeScale,
      }),
  },
};

const MECH_ONLY = ["m", "k1", "k2", "K", "gamma", "L"];
const CIRCUIT_ONLY = ["inductance", "resistance", "C1", "C2", "C", "chargeScale"];
const DIMLESS_ONLY = ["k", "k0", "q"];

/** The flag of an option name (for messages). */
const flag = (name: string) => (name === "chargeScale" ? "--charge-scale" : `--${name}`);

interface Parsed {
  mode: Mode;
  fixed: Record<string, number>;
  swept?: { name: string; values: Float64Array; log: boolean };
}

/** Reads the parameter options: which mode, fixed values, at most one range. Throws ModelError on misuse. */
export function parseParameters(opts: Record<string, unknown>, optional: string[] = []): Parsed {
  const given = (names: string[]) => names.filter((n) => opts[n] !== undefined);
  const mech = given(MECH_ONLY), circ = given(CIRCUIT_ONLY), dim = given(DIMLESS_ONLY);
  if (mech.length > 0 && circ.length > 0) {
    throw new ModelError(`mixed mechanical (${mech.map(flag).join(", ")}) and electrical (${circ.map(flag).join(", ")}) parameters: give one set`);
  }
  const mode: Mode = mech.length > 0 ? "mechanical" : circ.length > 0 ? "circuit" : "dimensionless";
  if (mode !== "dimensionless" && dim.length > 0) {
    const what = dim.length === 1 ? `${flag(dim[0])} is a dimensionless parameter` : `${dim.map(flag).join(", ")} are dimensionless parameters`;
    throw new ModelError(`${what}; with ${mode} parameters give ${mode === "mechanical" ? "--k1, --k2, --K, --gamma, --m" : "--C1, --C2, --C, --resistance, --inductance"} instead`);
  }
  const spec = MODES[mode];
  const fixed: Record<string, number> = {};
  let swept: Parsed["swept"];
  for (const name of spec.names) {
    const raw = opts[name];
    if (raw === undefined) {
      if (spec.defaults[name] !== undefined) fixed[name] = spec.defaults[name];
      continue;
    }
    const r = parseRange(String(raw), flag(name));
    if (typeof r === "number") {
      fixed[name] = r;
    } else {
      if (swept) throw new ModelError(`only one parameter can be a range: got ${flag(swept.name)} and ${flag(name)}`);
      swept = { name, values: rangeValues(r), log: r.spacing === "log" };
      fixed[name] = r.start;
    }
  }
  const missing = spec.required.filter((n) => fixed[n] === undefined && !optional.includes(n));
  if (missing.length > 0) {
    throw new ModelError(`${mode} parameters need ${missing.map(flag).join(", ")} as well`);
  }
  return { mode, fixed, swept };
}

function checkOutputFile(file: string | undefined, option: string, allowed: string[]): void {
  if (file === undefined) return;
  const ext = path.extname(file).toLowerCase();
  if (!allowed.includes(ext)) throw new ModelError(`${option} ${file}: unknown extension '${ext}' (use ${allowed.join(", ")})`);
}

const LABEL: Record<keyof Covariance, string> = {
  sigma11: "<u1^2>", sigma12: "<u1 u2>", sigma22: "<u2^2>", sigma33: "<v1^2>", sigma34: "<v1 v2>", sigma44: "<v2^2>", sigma23: "<u2 v1> = -<u1 v2>",
};

function describeResonance(r: Resonance, who: string): string {
  if (r.kind === "none") return `${who}: no resonance (${r.reason})`;
  const w = r.width !== undefined ? `full width ${num(r.width)}` : "width not resolved in the window";
  const v = r.variance ? `; ${r.kind === "peak" ? "maximum" : "minimum"} of the variance itself ${num(r.variance.value)} at k = ${num(r.variance.location, 8)}` : "";
  return (
    `${who}: ${r.kind} at k = ${num(r.location, 8)}, variance ${num(r.height)} (local equilibrium ${num(r.baseline)}, excess ${num(r.excess)}), ${w}${v}\n` +
    `  eq. 48 (Lorentzian-like factor (1 - k)^2 + 4 k0^2): centre 1, full width 4 k0 = ${num(r.lorentzian.width)}; with finite q ${num(r.lorentzian.widthFiniteQ)}; q -> infinity excess at k = 1 ${num(r.lorentzian.excess)}`
  );
}

function pointText(mode: Mode, v: Record<string, number>, s: SteadyState, scales: Scales | undefined): string {
  const p = s.parameters;
  const out: string[] = [];
  out.push(`Two coupled underdamped oscillators at two temperatures (seed 000)`);
  if (mode !== "dimensionless") {
    out.push(`${mode} parameters: ${MODES[mode].names.filter((n) => v[n] !== undefined).map((n) => `${n} = ${num(v[n])}`).join(", ")}`);
    out.push(`units: length ${num(scales!.length)}, time tau = ${num(scales!.time)}, temperature T0 = ${num(scales!.temperature)}, energy flux ${num(scales!.power)}`);
  }
  out.push(`dimensionless: k = ${num(p.k, 8)}, k0 = ${num(p.k0)}, q = ${num(p.q)}, T1 = ${num(p.T1)}, T2 = ${num(p.T2)}`, "");
  out.push(
    table(
      ["element", "", "exact (Lyapunov)", "closed form"],
      COVARIANCE_COLUMNS.map((e) => [e, LABEL[e], s.covariance[e], s.closedForm[e]]),
    ),
  );
  out.push(`Lyapunov residual ${num(s.residual)}; closed forms agree to ${num(s.closedFormDeviation)} (relative)`, "");
  const eq = s.equilibrium;
  out.push(`if all at T1: sigma11 = ${num(eq.sigma11AtT1)}; if all at T2: sigma22 = ${num(eq.sigma22AtT2)}; at the mean temperature: sigma11 = ${num(eq.sigma11AtMean)}, sigma22 = ${num(eq.sigma22AtMean)}`);
  const t = s.apparentTemperature;
  out.push(`apparent temperatures (units T0): oscillator 1 ${num(t.configurational1)} (from sigma11), ${num(t.kinetic1)} (kinetic); oscillator 2 ${num(t.configurational2)}, ${num(t.kinetic2)}`);
  const f = s.fluxes;
  out.push(`energy fluxes (units k2 L^2/tau): bath 1 -> oscillator 1 ${num(f.bathToOscillator1)}, bath 2 -> oscillator 2 ${num(f.bathToOscillator2)}, spring 1 -> 2 ${num(f.spring1to2)}`);
  out.push(`entropy production rate ${s.entropyProduction !== undefined ? `${num(s.entropyProduction)} kB/tau` : s.undefinedQuantities.entropyProduction}`);
  out.push(`detailed balance (eq. 40): sigma23 = ${num(s.detailedBalance.sigma23)}, sigma34 = ${num(s.detailedBalance.sigma34)} (both vanish iff it holds)`);
  if (scales) {
    const ph = toPhysicalMoments(s, scales);
    const [x, v] = mode === "circuit" ? ["q", "I"] : ["x", "v"];
    out.push(
      "",
      `physical: <${x}1^2> = ${num(ph.x1x1)}, <${x}1 ${x}2> = ${num(ph.x1x2)}, <${x}2^2> = ${num(ph.x2x2)}, <${v}1^2> = ${num(ph.v1v1)}, <${v}1 ${v}2> = ${num(ph.v1v2)}, <${v}2^2> = ${num(ph.v2v2)}`,
      `  apparent temperatures: oscillator 1 ${num(t.configurational1 * scales.temperature)} (from <${x}1^2>), ${num(t.kinetic1 * scales.temperature)} (kinetic); oscillator 2 ${num(t.configurational2 * scales.temperature)}, ${num(t.kinetic2 * scales.temperature)}`,
      `  fluxes: bath 1 -> 1 ${num(ph.bathToOscillator1)}, bath 2 -> 2 ${num(ph.bathToOscillator2)}, spring 1 -> 2 ${num(ph.spring1to2)} (energy per time); entropy production ${ph.entropyProduction !== undefined ? `${num(ph.entropyProduction)} (kB per time)` : s.undefinedQuantities.entropyProduction}`,
    );
  }
  return out.join("\n");
}

function pointJson(mode: Mode, v: Record<string, number>, s: SteadyState, scales: Scales | undefined, resonance: Resonance[]) {
  return {
    mode,
    input: v,
    parameters: s.parameters,
    covariance: s.covariance,
    matrix: { order: ["u1", "u2", "v1", "v2"], rows: [0, 1, 2, 3].map((i) => Array.from(s.matrix.subarray(4 * i, 4 * i + 4))) },
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
    ...(Object.keys(s.undefinedQuantities).length > 0 ? { undefinedQuantities: s.undefinedQuantities } : {}),
    warnings: s.warnings,
  };
}

/** Parses --infer "sigma11=3.2±0.03,sigma22=8.1" (names depend on the mode). */
function parseInfer(text: string, mode: Mode): { measured: Partial<Record<Observable, number>>; errors: Partial<Record<Observable, number>> } {
  const names: Record<Mode, Record<string, Observable>> = {
    dimensionless: { sigma11: "sigma11", sigma22: "sigma22", sigma12: "sigma12", ratio: "ratio" },
    mechanical: { x1x1: "sigma11", x2x2: "sigma22", x1x2: "sigma12", ratio: "ratio" },
    circuit: { q1q1: "sigma11", q2q2: "sigma22", q1q2: "sigma12", ratio: "ratio" },
  };
  const allowed = names[mode];
  const measured: Partial<Record<Observable, number>> = {}, errors: Partial<Record<Observable, number>> = {};
  for (const part of text.split(",").map((x) => x.trim()).filter(Boolean)) {
    const m = /^([A-Za-z0-9]+)\s*=\s*(.+?)(?:\s*(?:±|\+-|\+\/-)\s*(.+))?$/.exec(part);
    if (!m || !(m[1] in allowed)) {
      throw new ModelError(`--infer: cannot read '${part}' (use ${Object.keys(allowed).map((k) => `${k}=VALUE[±ERROR]`).join(", ")})`);
    }
    const o = allowed[m[1]];
    const value = Number(m[2]);
    if (!Number.isFinite(value)) throw new ModelError(`--infer: '${m[2]}' is not a number (in '${part}')`);
    measured[o] = value;
    if (m[3] !== undefined) {
      const e = Number(m[3]);
      if (!Number.isFinite(e)) throw new ModelError(`--infer: '${m[3]}' is not a number (in '${part}')`);
      errors[o] = e;
    }
  }
  if (Object.keys(measured).length === 0) throw new ModelError("--infer: give at least one measured value");
  return { measured, errors };
}

function parseWindow(text: string | undefined, fallback: [number, number]): [number, number] {
  if (text === undefined) return fallback;
  const parts = text.split(":").map((x) => (x.trim() === "" ? NaN : Number(x)));
  const kMax = DIMENSIONLESS_RANGES.k.max;
  if (parts.length !== 2 || !parts.every(Number.isFinite) || !(parts[0] >= 0 && parts[1] > parts[0] && parts[1] <= kMax)) {
    throw new ModelError(`--window: '${text}' is not lo:hi with 0 <= lo < hi <= ${kMax} (a window of k = k1/k2)`);
  }
  return [parts[0], parts[1]];
}

function inferenceText(inf: Inference, mode: Mode, v: Record<string, number>): string {
  const out: string[] = [];
  const extra = (k: number) => (mode === "mechanical" ? `, k1 = ${num(k * v.k2, 8)}` : mode === "circuit" ? `, C1 = ${num(v.C2 / k, 8)}` : "");
  out.push(`inverse problem: k = k1/k2 from measured ${inf.primary}${inf.jointFit ? " and more" : ""}, searched in [${inf.domain[0]}, ${inf.domain[1]}]`);
  if (inf.solutions.length === 0) out.push("  no k in the window reproduces the measurement (is it above the resonance peak?)");
  for (const s of inf.solutions) {
    const res = Object.entries(s.residual).map(([o, r]) => `${o} off by ${num(r!)}`).join(", ");
    const sens = Object.entries(s.sensitivity).map(([o, d]) => `dk/d${o} = ${num(d!)}`).join(", ");
    out.push(`  k = ${num(s.k, 10)}${extra(s.k)} (${s.side} the resonance): ${sens}${s.kError !== undefined ? `, error ${num(s.kError)}` : ""}; ${res}`);
  }
  if (inf.jointFits.length > 0) {
    out.push(`least-squares fits to all measured values (best first)${inf.ambiguous ? ": AMBIGUOUS, the two best fit about equally well" : ""}:`);
    for (const j of inf.jointFits.slice(0, 4)) {
      out.push(`  k = ${num(j.k, 10)}${extra(j.k)}${j.kError !== undefined ? ` ± ${num(j.kError)}` : ""} (mismatch ${num(j.mismatch)})`);
    }
    if (inf.ambiguous) out.push("  (sigma22 mirrors sigma11 near the resonance; the covariance sigma12, which changes sign at k = 1, tells the sides apart)");
  }
  return out.join("\n");
}

interface Options extends Record<string, unknown> {
  csv?: string;
  figure?: string;
  psd?: string;
  json?: boolean;
  method?: string;
  infer?: string;
  window?: string;
}

/** Most points a sweep's figure draws (an SVG of more is unusable; --csv writes any number). */
const MAX_FIGURE_POINTS = 100_000;

async function run(opts: Options): Promise<void> {
  checkOutputFile(opts.csv, "--csv", [".csv"]);
  checkOutputFile(opts.figure, "--figure", [".svg", ".png", ".csv"]);
  checkOutputFile(opts.psd, "--psd", [".svg", ".png", ".csv"]);
  const method = opts.method ?? "lyapunov";
  if (method !== "lyapunov" && method !== "closed-form") throw new ModelError(`--method must be lyapunov or closed-form, got '${method}'`);

  // The inverse problem: k (or k1, C1) is the unknown.
  if (opts.infer !== undefined) {
    const unknown = { dimensionless: "k", mechanical: "k1", circuit: "C1" } as const;
    const probe = parseParameters({ ...opts, k: undefined, k1: undefined, C1: undefined }, ["k1", "C1"]);
    if (opts[unknown[probe.mode]] !== undefined) throw new ModelError(`--infer finds ${unknown[probe.mode]}: do not give ${flag(unknown[probe.mode])}`);
    if (probe.swept) throw new ModelError("--infer works on one parameter point: no ranges");
    if (opts.csv || opts.figure || opts.psd) throw new ModelError("--infer prints its answer; --csv, --figure and --psd do not apply");
    const v = { ...probe.fixed, k: 1, k1: probe.fixed.k2, C1: probe.fixed.C2 }; // placeholder: k does not enter k0, q, T
    const { parameters, scales } = MODES[probe.mode].convert(v);
    const { measured, errors } = parseInfer(opts.infer, probe.mode);
    const toSigma = (o: Observable, x: number) => (o === "ratio" || !scales ? x : x / (scales.length * scales.length));
    const measurement: Measurement = { uncertainty: {} };
    for (const o of Object.keys(measured) as Observable[]) {
      measurement[o] = toSigma(o, measured[o]!);
      if (errors[o] !== undefined) measurement.uncertainty![o] = toSigma(o, errors[o]!);
    }
    const inf = inferK(parameters, measurement, { domain: parseWindow(opts.window, [0.01, 4]) });
    if (opts.json) printJson({ mode: probe.mode, parameters: { ...parameters, k: undefined }, measurement, ...inf });
    else printText(inferenceText(inf, probe.mode, probe.fixed));
    return;
  }

  const parsed = parseParameters(opts);
  const spec = MODES[parsed.mode];
  const window = parseWindow(opts.window, [0, 2]);

  if (!parsed.swept) {
    if (opts.csv || opts.figure) throw new ModelError("--csv and --figure need a sweep: give one parameter as a range start:stop:count (e.g. --k 0:2:2001)");
    const { parameters, scales } = spec.convert(parsed.fixed);
    const s = steadyState(parameters);
    const res = [findResonance(parameters, { oscillator: 1, domain: window }), findResonance(parameters, { oscillator: 2, domain: window })];
    const psd = opts.psd ? psdFigure(parameters) : undefined;
    if (opts.json) {
      const doc = jsonText(pointJson(parsed.mode, parsed.fixed, s, scales, res));
      if (psd) await writeFigureFile(psd, opts.psd!);
      console.log(doc);
      return;
    }
    const text = checkedText(
      [
        pointText(parsed.mode, parsed.fixed, s, scales),
        "",
        `resonance in k for these k0, q, T1, T2 (window [${window[0]}, ${window[1]}]):`,
        describeResonance(res[0], "  oscillator 1 (sigma11)"),
        describeResonance(res[1], "  oscillator 2 (sigma22)"),
        ...(opts.psd ? [`\nspectrum written to ${opts.psd}`] : []),
      ].join("\n"),
    );
    if (psd) await writeFigureFile(psd, opts.psd!);
    console.log(text);
    printWarnings(s.warnings);
    return;
  }

  if (opts.psd) throw new ModelError("--psd draws the spectrum of one parameter point: give no range");
  const { name, values, log } = parsed.swept;
  const n = values.length;
  if (opts.figure && n > MAX_FIGURE_POINTS) {
    throw new ModelError(`--figure draws at most ${MAX_FIGURE_POINTS} points, got ${n}: write them with --csv, or sweep fewer points`);
  }
  // Data table: dimensionless sweeps have exactly the swept column and the covariance; other modes add the
  // dimensionless parameters and the physical moments.
  const header = [name, ...COVARIANCE_COLUMNS] as string[];
  if (parsed.mode !== "dimensionless") {
    const [x, v] = parsed.mode === "circuit" ? ["q", "I"] : ["x", "v"];
    header.push("k", "k0", "q", "T1", "T2", `${x}1${x}1`, `${x}1${x}2`, `${x}2${x}2`, `${v}1${v}1`, `${v}1${v}2`, `${v}2${v}2`);
  }
  // Point i of the sweep (physical modes: converted on demand, so nothing per point is kept but the covariance).
  const convertAt = (i: number) => spec.convert({ ...parsed.fixed, [name]: values[i] });
  const bar = progressBar(n >= 1_000_000, "sweeping");
  const t0 = performance.now();
  // A cost line for long sweeps, projected from the first chunk (the output costs about as much again).
  let announced = false;
  const onProgress = (done: number, total: number) => {
    bar.onProgress(done, total);
    if (announced) return;
    announced = true;
    const perPoint = (performance.now() - t0) / 1000 / done;
    const seconds = perPoint * total * (opts.csv || opts.json ? 2.5 : 1);
    if (seconds > 10) {
      const bytes = total * (opts.csv ? header.length : 8) * 20;
      console.error(`ness: sweeping ${total} points: about ${Math.ceil(seconds)} s${opts.csv || opts.json ? ` and ${Math.ceil(bytes / 1e6)} MB of ${opts.csv ? "CSV" : "JSON"}` : ""}`);
    }
  };
  let columns: CovarianceColumns & { maxResidual: number; closedFormDeviation?: number };
  let sweepResult: Sweep | undefined;
  try {
    if (parsed.mode === "dimensionless") {
      const base = spec.convert(parsed.fixed).parameters;
      sweepResult = sweep(base, name as keyof DimensionlessParameters, values, { method: method as SweepMethod, onProgress });
      columns = sweepResult;
    } else {
      columns = solvePoints({ count: n, pointAt: (i) => convertAt(i).parameters }, { method: method as SweepMethod, onProgress });
    }
  } finally {
    bar.stop();
  }
  const elapsed = performance.now() - t0;
  const { maxResidual, closedFormDeviation: deviation } = columns;
  const pointAt = (i: number): DimensionlessParameters => (sweepResult ? { ...sweepResult.base, [name]: values[i] } : convertAt(i).parameters);
  const warnings: string[] = [];
  if (deviation !== undefined && !(deviation <= CLOSED_FORM_AGREEMENT)) {
    warnings.push(
      `the exact engine and the closed forms differ by up to ${num(deviation, 2)} (relative) in this sweep: ` +
        "where the time scales 1/q and 1/sqrt(k), 1/sqrt(k0) are far apart the equations are ill-conditioned; trust the digits only to that level",
    );
  }

  const rowAt = (i: number, row: number[]): void => {
    row[0] = values[i];
    COVARIANCE_COLUMNS.forEach((e, c) => (row[c + 1] = columns[e][i]));
    if (parsed.mode === "dimensionless") return;
    const { parameters: p, scales: sc } = convertAt(i);
    const L2 = sc!.length * sc!.length, t2 = sc!.time * sc!.time;
    const extra = [p.k, p.k0, p.q, p.T1, p.T2, L2 * columns.sigma11[i], L2 * columns.sigma12[i], L2 * columns.sigma22[i],
      (L2 / t2) * columns.sigma33[i], (L2 / t2) * columns.sigma34[i], (L2 / t2) * columns.sigma44[i]];
    for (let c = 0; c < extra.length; c++) {
      if (!Number.isFinite(extra[c])) throw new ModelError(`the physical ${header[9 + c]} at ${name} = ${values[i]} overflows: rescale the parameters (choose other units)`);
      row[8 + c] = extra[c];
    }
  };
  const ascending = values.every((x, i) => i === 0 || x > values[i - 1]);
  const figure = opts.figure
    ? sweepResult
      ? sweepFigure(sweepResult, { log })
      : overviewFigure({
          name: `variance-resonance-${name}-sweep`,
          title: `Steady state of two coupled oscillators against ${name}`,
          caption: `Sweep of the ${parsed.mode} parameter ${name} over ${n} values (${spec.names.filter((x) => x !== name && parsed.fixed[x] !== undefined).map((x) => `${x} = ${num(parsed.fixed[x])}`).join(", ")}), shown in dimensionless units (length L, time tau = sqrt(m/k2), temperature T0 = k2 L^2/kB). Exact engine, largest residual ${num(maxResidual)}.`,
          x: values, xLabel: name, xName: name, log, columns, parameters: pointAt,
        })
    : undefined;

  // Summary.
  const out: string[] = [];
  out.push(`swept ${name} over ${n} values from ${num(values[0])} to ${num(values[n - 1])} in ${elapsed.toFixed(1)} ms (${method === "lyapunov" ? `exact engine, largest Lyapunov residual ${num(maxResidual)}; closed forms agree to ${num(deviation!)}` : "closed forms"})`);
  if (ascending) {
    const eq = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const p = pointAt(i);
      eq[i] = sigma11Equilibrium(p, p.T1);
    }
    const pk = peakOfSamples(values, columns.sigma11, eq);
    out.push(`largest deviation of sigma11 from local equilibrium (T1 everywhere): ${num(pk.excess)} at ${name} = ${num(pk.location, 8)}${pk.width !== undefined ? `, full width at half maximum ${num(pk.width)}` : ""}${pk.atEdge ? " (at the edge of the sweep)" : ""}`);
  }
  if (parsed.mode === "dimensionless" && name === "k" && sweepResult) {
    const lo = Math.min(values[0], values[n - 1]), hi = Math.max(values[0], values[n - 1]);
    const b = sweepResult.base;
    out.push(describeResonance(findResonance(b, { oscillator: 1, domain: [lo, hi] }), "resonance of sigma11 (closed forms, refined)"));
    out.push(describeResonance(findResonance(b, { oscillator: 2, domain: [lo, hi] }), "resonance of sigma22"));
  }
  if (opts.json) {
    // Check every number before the first byte goes out, then stream the columns.
    const cols = [{ name: "values", length: n, at: (i: number) => values[i] }, ...COVARIANCE_COLUMNS.map((e) => ({ name: e, length: n, at: (i: number) => columns[e][i] }))];
    for (const c of cols) for (let i = 0; i < n; i++) finiteText(c.at(i), () => `${c.name}[${i}]`);
    if (opts.csv) await writeChunks(opts.csv, csvColumns(header, n, rowAt));
    if (figure) await writeFigureFile(figure, opts.figure!);
    await writeStdout(jsonColumns({ parameter: name }, cols, { maxResidual, closedFormDeviation: deviation, warnings }));
    return;
  }
  const text: string[] = [out.join("\n")];
  if (!opts.csv && !opts.figure) {
    const step = Math.max(1, Math.floor((n - 1) / 10));
    const rows: number[][] = [];
    const row = new Array<number>(header.length).fill(0);
    const take = (i: number) => {
      rowAt(i, row);
      rows.push(row.slice(0, 8));
    };
    for (let i = 0; i < n; i += step) take(i);
    if ((n - 1) % step !== 0) take(n - 1);
    text.push("", table([name, ...COVARIANCE_COLUMNS], rows), `(every ${step}th point; write all of them with --csv FILE, draw them with --figure FILE.png)`);
  }
  printText(text.join("\n"));
  if (opts.csv) {
    await writeChunks(opts.csv, csvColumns(header, n, rowAt));
    console.log(`data written to ${opts.csv}`);
  }
  if (figure) {
    await writeFigureFile(figure, opts.figure!);
    console.log(`figure written to ${opts.figure}`);
  }
  printWarnings(warnings);
}

function command(): Command {
  const c = new Command("variance-resonance")
    .description("two weakly coupled underdamped oscillators at two temperatures (seed 000): covariance, fluxes, resonance, spectra, inverse problem")
    .addHelpText(
      "after",
      [
        "",
        "Each parameter takes a number or (for one of them) a range start:stop:count[:log], e.g. --k 0:2:2001 (at most",
        `${MAX_SWEEP_POINTS} points). Domain: k, k0 ${describeRange(DIMENSIONLESS_RANGES.k)}; q ${describeRange(DIMENSIONLESS_RANGES.q)};`,
        `T1, T2 ${describeRange(DIMENSIONLESS_RANGES.T1)} (units T0; mechanical and electrical inputs are checked through these).`,
        "Parameters in one of three forms:",
        "  dimensionless (default): --k --k0 --q --T1 --T2   (T in units of T0 = k2 L^2/kB; q = Q2 = sqrt(k2 m)/gamma)",
        "  mechanical:              --m --k1 --k2 --K --gamma --T1 --T2 [--L] [--kB]",
        "  electrical (RLC analog): --inductance --resistance --C1 --C2 --C --T1 --T2 [--kB] [--charge-scale]",
        "",
        "Examples:",
        "  ness study variance-resonance --k0 0.01 --q 4000 --T1 1 --T2 11 --k 0:2:2001 --csv sweep.csv --figure sweep.png",
        "  ness study variance-resonance --k 0.98 --psd spectrum.png",
        "  ness study variance-resonance --infer 'sigma11=4.2±0.04,sigma12=-2.33±0.02'",
        "  ness reproduce variance-resonance --out out/variance-resonance",
      ].join("\n"),
    )
    .option("--k <value|range>", "k = k1/k2 (default 1)")
    .option("--k0 <value|range>", "coupling k0 = K/k2 (default 0.01)")
    .option("--q <value|range>", "quality factor q = Q2 = sqrt(k2 m)/gamma (default 4000)")
    .option("--T1 <value|range>", "bath temperature of oscillator 1 (dimensionless default 1)")
    .option("--T2 <value|range>", "bath temperature of oscillator 2 (dimensionless default 11)")
    .option("--m <value|range>", "mass of each oscillator (mechanical)")
    .option("--k1 <value|range>", "pinning stiffness of oscillator 1 (mechanical)")
    .option("--k2 <value|range>", "pinning stiffness of oscillator 2 (mechanical)")
    .option("--K <value|range>", "coupling stiffness (mechanical)")
    .option("--gamma <value|range>", "friction coefficient, force -gamma x' (mechanical)")
    .option("--L <value>", "length scale of the dimensionless displacements (mechanical; default 1)")
    .option("--kB <value>", "Boltzmann's constant in your units (mechanical default 1, electrical default 1.380649e-23)")
    .option("--inductance <value|range>", "inductance of each loop, henry (electrical)")
    .option("--resistance <value|range>", "resistance of each loop, ohm (electrical)")
    .option("--C1 <value|range>", "capacitor of loop 1, farad (electrical)")
    .option("--C2 <value|range>", "capacitor of loop 2, farad (electrical)")
    .option("--C <value|range>", "coupling capacitor, farad (electrical)")
    .option("--charge-scale <value>", "charge unit of the dimensionless charges (electrical; default sqrt(kB T1 C2))")
    .option("--csv <file>", "sweep: write k,sigma11,sigma12,sigma22,sigma33,sigma34,sigma44,sigma23 (first column: the swept parameter)")
    .option("--figure <file>", "sweep: draw an overview (.svg, .png; .csv writes its data)")
    .option("--psd <file>", "one point: the displacement spectra around the two normal modes (.svg, .png or .csv)")
    .option("--json", "print JSON (one point: everything; sweep: the columns)")
    .option("--method <method>", "sweep engine: lyapunov (exact engine, default) or closed-form")
    .option("--infer <measured>", "inverse problem: k from measured variances, e.g. 'sigma11=3.2±0.03,sigma12=-1.1±0.02' (also sigma22, ratio; mechanical: x1x1, x2x2, x1x2; electrical: q1q1, q2q2, q1q2)")
    .option("--window <lo:hi>", "k window for the resonance finder (default 0:2) and the inverse problem (default 0.01:4)")
    .action(async (opts: Options) => run(opts));
  return c;
}

async function reproduce(options: ReproduceOptions): Promise<string[]> {
  const written: string[] = [];
  for (const f of REPRODUCED_FIGURES) {
    const t0 = performance.now();
    const figure = f.build({ quick: options.quick });
    const paths = await writeFigure(figure, options.outDir);
    written.push(...paths);
    options.log(`${figure.name}: ${paths.map((p) => path.basename(p)).join(", ")} (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
    for (const p of paths) options.log(`  wrote ${p}`);
  }
  return written;
}

export const varianceResonanceStudy: StudyCli = {
  name: "variance-resonance",
  summary: "two weakly coupled underdamped oscillators at two temperatures: the variance resonance (seed 000)",
  command,
  reproduce,
};
