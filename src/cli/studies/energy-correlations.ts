/**
 * `ness study energy-correlations` (steady state, correlation matrix, noise decomposition and bound of a chain of M
 * subsystems between two baths, for the ideal-gas, exclusion-process, Fermi-gas and blackbody models; optionally
 * verified by simulating the energy SDE) and `ness reproduce energy-correlations` (figures with their data).
 */
import { Command, Option } from "commander";
import { ModelError } from "../../errors.js";
import { writeFigure } from "../../io/render.js";
import { toRows, type Matrix } from "../../linalg/matrix.js";
import {
  BUILTIN_MODELS,
  biasSweep,
  boundFigure,
  builtinModel,
  c12Figure,
  closedFormC12,
  decompositionFigure,
  energyCorrelations,
  FLUCTUATION_WARNING,
  MODEL_DEFAULTS,
  MODEL_RANGES,
  noiseApproximationFigure,
  profilesFigure,
  simulateEnergyCorrelations,
  verificationFigure,
  verificationSweep,
  type BuiltinModelName,
  type Chain,
  type EnergyCorrelations,
  type ModelParameters,
  type SimulationResult,
} from "../../studies/energy-correlations/index.js";
import { describeRange } from "../../studies/ranges.js";
import { num, table } from "../format.js";
import { printJson, printText, printWarnings } from "./output.js";
import { numberOption, integerOption } from "../options.js";
import type { ReproduceOptions, StudyCli } from "./registry.js";

interface Options {
  model?: string;
  T0?: string;
  T3?: string;
  eps0?: string;
  eps3?: string;
  M?: string;
  Cv?: string;
  gamma?: string;
  N?: string;
  kappa?: string;
  TF?: string;
  coupling?: string;
  aV?: string;
  noise?: string;
  simulate?: boolean;
  replicas?: string;
  duration?: string;
  seed?: string;
  json?: boolean;
  force?: boolean;
}

/** The chain described by the options (throws ModelError on bad input). */
export function chainFromOptions(opts: Options): Chain {
  const name = opts.model;
  if (name === undefined) throw new ModelError(`--model is required (one of: ${BUILTIN_MODELS.join(", ")})`);
  if (!BUILTIN_MODELS.includes(name as BuiltinModelName)) {
    throw new ModelError(`unknown model '${name}' (one of: ${BUILTIN_MODELS.join(", ")})`);
  }
  if (opts.noise !== undefined && opts.noise !== "exact" && opts.noise !== "approx") {
    throw new ModelError(`--noise must be 'exact' or 'approx', got '${opts.noise}'`);
  }
  const params: ModelParameters = {
    Cv: numberOption(opts.Cv, "--Cv"),
    gamma: numberOption(opts.gamma, "--gamma"),
    N: numberOption(opts.N, "--N"),
    kappa: numberOption(opts.kappa, "--kappa"),
    TF: numberOption(opts.TF, "--TF"),
    coupling: numberOption(opts.coupling, "--coupling"),
    aV: numberOption(opts.aV, "--aV"),
    noise: opts.noise as ModelParameters["noise"],
  };
  const model = builtinModel(name, params);
  let left: number;
  let right: number;
  if (name === "ssep") {
    if (opts.eps0 !== undefined && opts.T0 !== undefined) throw new ModelError("give the left density as --eps0 or --T0, not both");
    if (opts.eps3 !== undefined && opts.T3 !== undefined) throw new ModelError("give the right density as --eps3 or --T3, not both");
    left = numberOption(opts.eps0 ?? opts.T0, opts.eps0 !== undefined ? "--eps0" : "--T0") ?? 0.2;
    right = numberOption(opts.eps3 ?? opts.T3, opts.eps3 !== undefined ? "--eps3" : "--T3") ?? 0.8;
  } else {
    if (opts.eps0 !== undefined || opts.eps3 !== undefined) {
      throw new ModelError(`--eps0/--eps3 are densities of the exclusion process (--model ssep); the ${name} model takes bath temperatures --T0, --T3`);
    }
    left = numberOption(opts.T0, "--T0") ?? 1;
    right = numberOption(opts.T3, "--T3") ?? 3;
  }
  const M = integerOption(opts.M, "--M", 2) ?? 2;
  return { model, M, left, right };
}

const rows = (m: Matrix): number[][] => toRows(m);

/** The JSON document printed by `ness study energy-correlations --json` (every number in full precision). */
export function correlationsJson(ec: EnergyCorrelations, sim?: SimulationResult) {
  const { chain } = ec;
  const { model, M } = chain;
  const density = model.variable === "density";
  const closed = closedFormC12(ec);
  return {
    model: model.kind,
    label: model.label,
    parameters: model.parameters,
    M,
    variable: model.variable,
    carried: model.carried,
    baths: { left: chain.left, right: chain.right },
    temperatures: Array.from(ec.states),
    ...(density ? { densities: Array.from(ec.states) } : {}),
    energies: Array.from(ec.energies),
    current: ec.current,
    noise: Array.from(ec.noise),
    R: rows(ec.relaxation),
    Q: rows(ec.noiseMatrix),
    C: rows(ec.covariance),
    relaxationRates: Array.from(ec.relaxationRates, (r) => -r),
    relaxationTime: ec.relaxationTime,
    decomposition: {
      pair: ec.decomposition.pair,
      byLink: ec.decomposition.byLink,
      boundary: ec.decomposition.boundary,
      bulk: ec.decomposition.bulk,
    },
    ...(ec.noiseCurvature !== undefined ? { noiseCurvature: ec.noiseCurvature } : {}),
    ...(closed ? { closedForm: { C12: closed.value, formula: closed.formula } } : {}),
    ...(ec.bound ? { bound: ec.bound } : {}),
    fluctuation: { relative: Array.from(ec.fluctuation.relative), max: ec.fluctuation.max, subsystem: ec.fluctuation.subsystem },
    residual: ec.residual,
    steadyStateResidual: ec.steadyStateResidual,
    warnings: ec.warnings,
    ...(sim
      ? {
          simulation: {
            scheme: sim.scheme,
            C: rows(sim.covariance),
            error: rows(sim.covarianceError),
            maxDeviationSigma: sim.maxDeviation,
            discretisationBias: rows(sim.discretisationBias),
            meanEnergies: Array.from(sim.meanEnergies),
            meanEnergyErrors: Array.from(sim.meanEnergyErrors),
            dt: sim.dt,
            stepsPerReplica: sim.stepsPerReplica,
            replicas: sim.replicas,
            seed: sim.seed,
            clampedSteps: sim.clampedSteps,
          },
        }
      : {}),
  };
}

function matrixText(m: Matrix, err?: Matrix): string {
  const header = ["C", ...Array.from({ length: m.cols }, (_, j) => String(j + 1))];
  const body = Array.from({ length: m.rows }, (_, i) => [
    String(i + 1),
    ...Array.from({ length: m.cols }, (_, j) => (err ? `${num(m.data[i * m.cols + j])} ± ${num(err.data[i * m.cols + j], 2)}` : num(m.data[i * m.cols + j]))),
  ]);
  return table(header, body);
}

/** Human-readable report. */
export function correlationsText(ec: EnergyCorrelations, sim?: SimulationResult): string {
  const { chain } = ec;
  const { model, M } = chain;
  const x = model.variable === "density" ? "eps" : model.variable === "energy" ? "E" : "T";
  const q = model.carried === "particles" ? "N_i (particles)" : "E_i";
  const out: string[] = [];
  out.push(`${model.label}: ${M} subsystems between baths ${x}0 = ${num(chain.left)} and ${x}${M + 1} = ${num(chain.right)} (kB = 1)`, "");
  out.push(
    table(
      ["subsystem", x, q],
      Array.from({ length: M }, (_, i) => [String(i + 1), ec.states[i], ec.energies[i]]),
    ),
    "",
  );
  out.push(`mean current <J> = ${num(ec.current)} (positive: from the left bath to the right bath); slowest relaxation time tau = ${num(ec.relaxationTime)}`);
  out.push(`link noise B: ${Array.from(ec.noise, (b, k) => `B${k}${k + 1} = ${num(b)}`).join(", ")}`, "");
  out.push(`correlation matrix C_ij = <E_i E_j> - <E_i><E_j> (${model.carried === "particles" ? "particle numbers" : "energies"}):`, matrixText(ec.covariance), "");
  const c12 = ec.covariance.data[1];
  const closed = closedFormC12(ec);
  out.push(`C12 = ${num(c12, 6)} (${c12 > 0 ? "positive" : c12 < 0 ? "negative" : "zero"})${closed ? `; closed form ${closed.formula} = ${num(closed.value, 6)}` : ""}`);
  const d = ec.decomposition;
  out.push(
    `noise decomposition of C12: boundary links ${num(d.boundary)}, bulk links ${num(d.bulk)} (by link: ${d.byLink.map((v, b) => `${b}-${b + 1}: ${num(v)}`).join(", ")})`,
  );
  if (ec.noiseCurvature !== undefined) out.push(`B01 - 2 B12 + B23 = ${num(ec.noiseCurvature)}`);
  if (ec.bound) {
    const b = ec.bound;
    out.push(
      `bound (eq. 15): |C12| = ${num(b.correlation)} ${b.holds ? "<=" : ">"} 18 |<J>| tau max|beta_i - beta_i+1|^-1 = ${num(b.bound)} (${b.holds ? "holds" : "VIOLATED"}; ` +
        `premises: monotone currents ${b.monotoneCurrents ? "yes" : "no"}, eq. 4 deviation ${num(b.fdrDeviation, 2)})`,
    );
  }
  const f = ec.fluctuation;
  out.push(
    `large-subsystem check: energy fluctuation / distance to the edge of the energy range ${Array.from(f.relative, (v) => num(v, 2)).join(", ")} ` +
      `(linear noise needs << 1: ${f.max <= FLUCTUATION_WARNING ? "fine" : "TOO SMALL, see the warning"})`,
  );
  out.push(`Lyapunov residual ${ec.residual.toExponential(1)}; steady-state current imbalance ${ec.steadyStateResidual.toExponential(1)}`);
  if (sim) {
    out.push(
      "",
      `simulated energy SDE (${sim.scheme}, dt = ${num(sim.dt)}, ${sim.replicas} replicas x ${sim.stepsPerReplica} steps, seed ${sim.seed}):`,
      matrixText(sim.covariance, sim.covarianceError),
      `largest |simulated - exact| / error bar: ${num(sim.maxDeviation, 3)}${sim.clampedSteps > 0 ? `; ${sim.clampedSteps} steps clamped a state or a negative B` : ""}`,
    );
  }
  return out.join("\n");
}

const D = MODEL_DEFAULTS;

function command(): Command {
  return new Command("energy-correlations")
    .description(
      "energy correlations of M subsystems carrying a heat current between two baths (seed 002): mean state, correlation matrix C, boundary/bulk noise decomposition, bound of eq. 15",
    )
    .addOption(new Option("--model <name>", "ideal-gas | ssep | fermi | blackbody").choices([...BUILTIN_MODELS]))
    .option("--T0 <T>", `left bath temperature (kB = 1; ${describeRange(MODEL_RANGES.temperature)}; density in [0, 1] for ssep), default 1 (ssep 0.2)`)
    .option("--T3 <T>", "right bath temperature (node M+1; density for ssep), default 3 (ssep 0.8)")
    .option("--eps0 <density>", "ssep: left bath density in [0, 1]")
    .option("--eps3 <density>", "ssep: right bath density in [0, 1]")
    .option("--M <n>", "number of subsystems (>= 2)", "2")
    .option("--Cv <c>", `ideal-gas: heat capacity of a subsystem (E = Cv T), default ${D.idealGas.Cv}`)
    .option("--gamma <rate>", `ideal-gas, ssep: rate constant gamma, default ${D.idealGas.gamma}`)
    .option("--N <n>", `ideal-gas: subsystem size (eps = E/N), default ${D.idealGas.N}; ssep: box capacity, default ${D.ssep.N}; fermi: fermions per subsystem, default ${D.fermi.N}`)
    .option("--kappa <k>", `fermi: junction constant of eq. 12, A = kappa (Ti^4 - Tj^4), default ${D.fermi.kappa}`)
    .option("--TF <T>", `fermi: Fermi temperature (needs T << TF), default ${D.fermi.TF}`)
    .option("--coupling <g>", `blackbody: |lambda|^2 sigma of eq. A.5, default ${D.blackbody.coupling}`)
    .option("--aV <a>", `blackbody: radiation constant times volume, E = aV T^4, default ${D.blackbody.aV}`)
    .option("--noise <form>", "fermi, blackbody: B exact (integral) or approx (eq. 13 / A.6), default exact")
    .option("--simulate", "also simulate the energy SDE and compare C with error bars (needs large subsystems: the study checks)")
    .option("--replicas <n>", "simulation: independent replicas (2 to 100000)", "16")
    .option("--duration <t>", "simulation: length of each replica in slowest relaxation times (50 to 1e8)", "2000")
    .option("--seed <n>", "simulation: random seed", "1")
    .option("--force", "simulation: run above the work limit (about four minutes)")
    .option("--json", "print JSON")
    .action((opts: Options) => {
      const chain = chainFromOptions(opts);
      let sim: SimulationResult | undefined;
      if (opts.simulate) {
        sim = simulateEnergyCorrelations(chain, {
          replicas: integerOption(opts.replicas, "--replicas", 2),
          duration: numberOption(opts.duration, "--duration"),
          seed: integerOption(opts.seed, "--seed", 0),
          force: opts.force === true,
        });
      }
      const ec = sim ? sim.exact : energyCorrelations(chain);
      if (opts.json) {
        printJson(correlationsJson(ec, sim));
        return;
      }
      printText(correlationsText(ec, sim));
      printWarnings(ec.warnings);
    });
}

async function reproduce({ outDir, quick, log }: ReproduceOptions): Promise<string[]> {
  const written: string[] = [];
  const models: BuiltinModelName[] = ["ideal-gas", "ssep", "fermi", "blackbody"];
  log("energy-correlations: C12 against the bath difference (4 models, exact and approximate noise)");
  const sweeps = models.map((m) => biasSweep(m, quick ? 11 : 41));
  const figures = [
    c12Figure({ quick }, sweeps),
    decompositionFigure({ quick }, sweeps),
    boundFigure({ quick }, sweeps),
    profilesFigure({ quick }),
    noiseApproximationFigure({ quick }),
  ];
  for (const f of figures) {
    const paths = await writeFigure(f, outDir);
    for (const p of paths) log(`wrote ${p}`);
    written.push(...paths);
  }
  log("energy-correlations: simulating the energy SDE for the verification figure");
  const verification = models.map((m) =>
    verificationSweep(m, quick ? { points: 2, replicas: 8, duration: 500 } : { points: 4, replicas: 32, duration: 4000 }),
  );
  const paths = await writeFigure(verificationFigure(verification), outDir);
  for (const p of paths) log(`wrote ${p}`);
  written.push(...paths);
  return written;
}

export const energyCorrelationsStudy: StudyCli = {
  name: "energy-correlations",
  summary: "energy correlations between subsystems carrying a heat current (seed 002)",
  command,
  reproduce,
};
