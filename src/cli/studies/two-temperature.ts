/**
 * `ness study two-temperature` (seed 004's harmonic pair for any k, lambda, T1, T2: exact covariance, heat flows and
 * entropy production, optionally checked by a simulation), its subcommands `run-and-chase` (exact quadrature and
 * simulation of a hot/cold pair with soft repulsion in 1-3D) and `ratchet` (the pair in a sawtooth: drift velocities),
 * and `ness reproduce two-temperature` (the study's figures).
 */
import { Command } from "commander";
import { basename, extname } from "node:path";
import { ModelError } from "../../errors.js";
import { writeFigure, writeFigureFile } from "../../io/render.js";
import {
  DEFAULT_PAIR,
  PAIR_PARAM_DESCRIPTIONS,
  PAIR_PARAM_NAMES,
  figurePlan,
  pairClosedForm,
  pairExact,
  simulatePair,
  validatePairParams,
  type HarmonicPairParams,
  type PairExact,
  type PairSimulation,
  DEFAULT_RATCHET,
  DEFAULT_RUN_AND_CHASE,
  RATCHET_DESCRIPTIONS,
  RUN_AND_CHASE_DESCRIPTIONS,
  ratchetCurrent,
  runAndChaseExact,
  simulateRunAndChase,
  validateRunAndChaseParams,
  type Measured,
  type RatchetParams,
  type RunAndChaseParams,
  DEFAULT_DEMIXING,
  DEMIXING_RANGES,
  PAIR_RANGES,
  RATCHET_RANGES,
  RUN_AND_CHASE_RANGES,
  demixingParams,
  simulateDemixing,
  snapshotDisks,
  type DemixingParams,
  type DemixingResult,
} from "../../studies/two-temperature/index.js";
import { particleScatter } from "../../figures/charts.js";
import { describeRange } from "../../studies/ranges.js";
import { num, table } from "../format.js";
import { progressBar } from "../progress.js";
import { checkedText, jsonText, printJson, printText, printWarnings, withoutUndefinedStatistics } from "./output.js";
import { numberOptions, positiveOption, integerOption } from "../options.js";
import type { ReproduceOptions, StudyCli } from "./registry.js";

type Options = Partial<Record<string, string | boolean>>;

/** The parameters given by the options (defaults for the rest); ModelError on bad input. */
export function pairParamsFromOptions(opts: Options): HarmonicPairParams {
  return validatePairParams(numberOptions(opts, PAIR_PARAM_NAMES));
}

/** "value ± error", flagged when the engine does not trust the error bar. */
const pm = (m: Measured) => `${num(m.value)} ± ${num(m.error, 2)}${m.reliable ? "" : " (unreliable error bar)"}`;

/** The JSON document printed by `ness study two-temperature --json` (every number in full precision). */
export function studyJson(e: PairExact, sim?: PairSimulation) {
  const closed = pairClosedForm(e.parameters);
  return {
    parameters: e.parameters,
    perDimension: true,
    covariance: e.covariance,
    covarianceClosedForm: closed.covariance,
    heatFromBath: e.heatFromBath,
    heatIntoBath: e.heatIntoBath,
    heatFlowClosedForm: closed.heatFlow,
    entropyProduction: e.entropyProduction,
    entropyProductionLinearFormula: e.entropyProductionLinear,
    entropyProductionClosedForm: e.entropyProductionClosedForm,
    areaRate: e.areaRate,
    residual: e.residual,
    ...(sim
      ? {
          simulation: {
            dt: sim.result.dt,
            time: sim.result.time,
            replicas: sim.result.replicas,
            seed: sim.result.seed,
            heatFromBath: sim.heatFromBath,
            entropyProduction: sim.entropyProduction,
            covariance: sim.covariance,
            warnings: sim.result.warnings,
          },
        }
      : {}),
  };
}

function studyText(e: PairExact, sim?: PairSimulation): string {
  const p = e.parameters;
  const out: string[] = [];
  out.push("Two overdamped particles at two temperatures, harmonic spring and trap (seed 004, Section 4.1)");
  out.push(`k = ${num(p.k)}, lambda = ${num(p.lambda)}, T1 = ${num(p.T1)}, T2 = ${num(p.T2)}; per spatial dimension`);
  out.push("(eqs. 28-29 as corrected in physics-notes.md: each particle feels its own trap)", "");
  const closed = pairClosedForm(p);
  const rows: (string | number)[][] = [
    ["<x1 x1>", e.covariance[0][0], closed.covariance[0][0]],
    ["<x1 x2>", e.covariance[0][1], closed.covariance[0][1]],
    ["<x2 x2>", e.covariance[1][1], closed.covariance[1][1]],
    ["heat into bath 1", e.heatIntoBath[0], -closed.heatFlow],
    ["heat into bath 2", e.heatIntoBath[1], closed.heatFlow],
    ["entropy production", e.entropyProduction, e.entropyProductionClosedForm],
    ["  (general linear formula)", e.entropyProductionLinear, e.entropyProductionClosedForm],
    ["area rate <x1 o x2' - x2 o x1'>/2", e.areaRate, (p.k * (p.T1 - p.T2)) / (2 * (p.k + p.lambda))],
  ];
  if (sim) {
    const simCol = [
      pm(sim.covariance[0][0]), pm(sim.covariance[0][1]), pm(sim.covariance[1][1]),
      pm({ ...sim.heatFromBath[0], value: -sim.heatFromBath[0].value }),
      pm({ ...sim.heatFromBath[1], value: -sim.heatFromBath[1].value }),
      pm(sim.entropyProduction), "", "",
    ];
    rows.forEach((r, i) => r.push(simCol[i]));
  }
  out.push(table(["quantity", "exact engine", "closed form", ...(sim ? ["simulated"] : [])], rows));
  out.push(`Lyapunov residual ${num(e.residual)}`);
  if (sim) out.push(`simulation: Heun, dt = ${num(sim.result.dt)}, ${sim.result.replicas} replicas x ${num(sim.result.time)}, seed ${sim.result.seed}`);
  return out.join("\n");
}

function command(): Command {
  const c = new Command("two-temperature").description(
    "two overdamped particles at temperatures T1, T2 with a harmonic spring k in a harmonic trap lambda (seed 004): " +
      "exact covariance, heat into each bath, entropy production k^2 (T1-T2)^2/(2 T1 T2 (k+lambda)); --simulate checks them",
  );
  for (const name of PAIR_PARAM_NAMES) c.option(`--${name} <value>`, `${PAIR_PARAM_DESCRIPTIONS[name]} (default ${DEFAULT_PAIR[name]}; ${describeRange(PAIR_RANGES[name])})`);
  c.option("--simulate", "also simulate the pair with the stochastic engine (estimates with error bars)")
    .option("--time <t>", "production time per replica for --simulate (default 200)")
    .option("--replicas <n>", "replicas for --simulate (default 8)")
    .option("--seed <n>", "random seed (default 1)")
    .option("--force", "run a simulation above the work limit (about ten minutes)")
    .option("--json", "print JSON")
    .action((opts: Options) => {
      const p = pairParamsFromOptions(opts);
      const e = pairExact(p);
      const sim = opts.simulate
        ? simulatePair(p, {
            time: positiveOption(opts.time, "--time") ?? 200,
            replicas: integerOption(opts.replicas, "--replicas", 1) ?? 8,
            seed: integerOption(opts.seed, "--seed", 0) ?? 1,
            bins: 8,
            force: opts.force === true,
          })
        : undefined;
      if (opts.json) {
        printJson(studyJson(e, sim));
        return;
      }
      printText(studyText(e, sim));
      printWarnings(sim?.result.warnings ?? []);
    });
  // Options after a subcommand belong to it (both have --time, --seed, --json ...).
  c.enablePositionalOptions();
  c.addCommand(runAndChaseCommand().exitOverride());
  c.addCommand(ratchetCommand().exitOverride());
  c.addCommand(demixingCommand().exitOverride());
  return c;
}


function simulationOptions(opts: Options, defaults: { time: number; replicas: number }) {
  return {
    time: positiveOption(opts.time, "--time") ?? defaults.time,
    replicas: integerOption(opts.replicas, "--replicas", 1) ?? defaults.replicas,
    seed: integerOption(opts.seed, "--seed", 0) ?? 1,
    dt: positiveOption(opts.dt, "--dt"),
    force: opts.force === true,
  };
}

function runAndChaseCommand(): Command {
  const c = new Command("run-and-chase").description(
    "a hot and a cold particle with the soft repulsion of seed 004 eq. 26 in a periodic box (1, 2 or 3D): exact " +
      "run-and-chase velocity, heat flow and entropy production (quadrature); --simulate checks them",
  );
  const names = Object.keys(DEFAULT_RUN_AND_CHASE) as (keyof RunAndChaseParams)[];
  for (const n of names) {
    const range = n === "dimension" ? "1, 2 or 3" : describeRange(RUN_AND_CHASE_RANGES[n]);
    c.option(`--${n} <value>`, `${RUN_AND_CHASE_DESCRIPTIONS[n]} (default ${DEFAULT_RUN_AND_CHASE[n]}; ${range})`);
  }
  c.option("--simulate", "also simulate the pair with the stochastic engine (estimates with error bars)")
    .option("--time <t>", "production time per replica for --simulate (default 2000)")
    .option("--replicas <n>", "replicas for --simulate (default 4)")
    .option("--dt <dt>", "time step for --simulate (default min(0.001, 0.02 range^2 / stiffness))")
    .option("--seed <n>", "random seed (default 1)")
    .option("--force", "run a simulation above the work limit (about ten minutes)")
    .option("--json", "print JSON")
    .action((opts: Options) => {
      const p = validateRunAndChaseParams(numberOptions(opts, names) as Partial<RunAndChaseParams>);
      const e = runAndChaseExact(p);
      const sim = opts.simulate ? simulateRunAndChase(p, simulationOptions(opts, { time: 2000, replicas: 4 })) : undefined;
      if (opts.json) {
        const { parameters, ...exact } = e;
        const simulation = sim && {
          dt: sim.result.dt, time: sim.result.time, replicas: sim.result.replicas, seed: sim.result.seed,
          chaseVelocity: sim.chaseVelocity, meanForce: sim.meanForce, meanSeparation: sim.meanSeparation,
          heatFromHotBath: sim.heatFromHotBath, heatFromColdBath: sim.heatFromColdBath,
          entropyProduction: sim.entropyProduction, centreOfMassDrift: sim.centreOfMassDrift, warnings: sim.result.warnings,
        };
        printJson({ parameters, exact, ...(simulation ? { simulation } : {}) });
        return;
      }
      const out: string[] = [
        `Run-and-chase (seed 004, Section 3.1): hot particle 1 at T = ${num(p.Thot)}, cold particle 2 at T = ${num(p.Tcold)},`,
        `soft repulsion k = ${num(p.stiffness)} acting for r < ${num(p.range)}, periodic box ${num(p.box)} in ${p.dimension}D, mobility 1`,
        "exact: the separation is Boltzmann-distributed at (T_hot + T_cold)/2; <v_cm o e> = (T_hot - T_cold)/(T_hot + T_cold) <F>", "",
      ];
      const rows: (string | number)[][] = [
        ["run-and-chase velocity <v_cm o e>", e.chaseVelocity, ...(sim ? [pm(sim.chaseVelocity)] : [])],
        ["mean repulsive force <F>", e.meanForce, ...(sim ? [pm(sim.meanForce)] : [])],
        ["heat from the hot bath", e.heatFromHotBath, ...(sim ? [pm(sim.heatFromHotBath)] : [])],
        ["heat from the cold bath", -e.heatFromHotBath, ...(sim ? [pm(sim.heatFromColdBath)] : [])],
        ["entropy production", e.entropyProduction, ...(sim ? [pm(sim.entropyProduction)] : [])],
        ["contact probability (r < range)", e.contactProbability, ...(sim ? [""] : [])],
      ];
      out.push(table(["quantity", "exact", ...(sim ? ["simulated"] : [])], rows));
      out.push(`quadrature: Simpson, estimated relative error ${num(e.quadratureError, 2)}`);
      if (sim) {
        out.push(`centre-of-mass drift along x (zero: the pair force cancels): ${pm(sim.centreOfMassDrift)}`);
        out.push(`simulation: Heun, dt = ${num(sim.result.dt)}, ${sim.result.replicas} replicas x ${num(sim.result.time)}, seed ${sim.result.seed}`);
      }
      printText(out.join("\n"));
      printWarnings(sim?.result.warnings ?? []);
    });
  return c;
}

function ratchetCommand(): Command {
  const c = new Command("ratchet").description(
    "a hot and a cold particle with soft repulsion in an asymmetric sawtooth on a ring (seed 004, Section 3.2): " +
      "drift velocities (the ratchet current) and entropy production from the stochastic engine",
  );
  const names = Object.keys(DEFAULT_RATCHET) as (keyof RatchetParams)[];
  for (const n of names) c.option(`--${n} <value>`, `${RATCHET_DESCRIPTIONS[n]} (default ${DEFAULT_RATCHET[n]}; ${describeRange(RATCHET_RANGES[n])})`);
  c.option("--time <t>", "production time per replica (default 1000)")
    .option("--replicas <n>", "replicas (default 8)")
    .option("--dt <dt>", "time step (default min(0.002, 0.1 range^2 / stiffness))")
    .option("--seed <n>", "random seed (default 1)")
    .option("--force", "run a simulation above the work limit (about ten minutes)")
    .option("--json", "print JSON")
    .action((opts: Options) => {
      const r = ratchetCurrent(numberOptions(opts, names), simulationOptions(opts, { time: 1000, replicas: 8 }));
      if (opts.json) {
        printJson(r);
        return;
      }
      const p = r.parameters;
      printText([
        `Two-temperature ratchet (seed 004, Section 3.2): T_hot = ${num(p.Thot)}, T_cold = ${num(p.Tcold)}, soft repulsion k = ${num(p.stiffness)}, range ${num(p.range)};`,
        `sawtooth height ${num(p.amplitude)}, period ${num(p.period)}, rising over ${num(p.asymmetry)} of it, ring of ${num(p.box)}`, "",
        table(["quantity", "estimate ± error"], [
          ["drift velocity, centre of mass", pm(r.centreOfMass)],
          ["drift velocity, hot particle", pm(r.hot)],
          ["drift velocity, cold particle", pm(r.cold)],
          ["entropy production", pm(r.entropyProduction)],
        ]),
        `simulation: Heun, dt = ${num(r.dt)}, ${r.replicas} replicas x ${num(r.time)}`,
      ].join("\n"));
    });
  return c;
}

async function reproduce({ outDir, quick, log }: ReproduceOptions): Promise<string[]> {
  const written: string[] = [];
  for (const planned of figurePlan({ quick, log })) {
    const t0 = performance.now();
    log(`two-temperature: ${planned.name}`);
    const paths = await writeFigure(planned.build(), outDir);
    for (const p of paths) log(`wrote ${p}`);
    log(`  (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
    written.push(...paths);
  }
  return written;
}

export const twoTemperatureStudy: StudyCli = {
  name: "two-temperature",
  summary: "overdamped particles at two temperatures: harmonic pair exact and simulated, density and current, ratchet (seed 004)",
  command,
  reproduce,
};

const DEMIXING_OPTIONS: [keyof DemixingParams, string][] = [
  ["N", "number of disks"],
  ["coldFraction", "fraction of cold disks"],
  ["phi", "area fraction of the disks (diameter = range)"],
  ["Thot", "temperature of the hot disks"],
  ["Tcold", "temperature of the cold disks"],
  ["stiffness", "stiffness k of the soft repulsion"],
  ["range", "range of the soft repulsion (= disk diameter)"],
  ["dt", "time step"],
  ["time", "production time per replica"],
  ["burnIn", "burn-in time per replica (from the random start)"],
  ["sampleInterval", "time between samples of the order parameters"],
  ["replicas", "independent replicas (error bars from their spread)"],
  ["seed", "random seed"],
  ["neighbourCutoff", "neighbour distance in units of the range"],
];


function demixingCommand(): Command {
  const c = new Command("demixing").description(
    "many hot and cold soft disks in a 2D periodic box (seed 004, Section 3.3): the cold-cold neighbour fraction, " +
      "the demixing order parameter psi (0 mixed, 1 separated) and the largest cold cluster, with error bars",
  );
  for (const [n, what] of DEMIXING_OPTIONS) {
    const range = n === "errorBars" ? "" : `; ${describeRange(DEMIXING_RANGES[n])}`;
    c.option(`--${n} <value>`, `${what} (default ${DEFAULT_DEMIXING[n] as number}${range})`);
  }
  c.option("--snapshot <file>", "write the final configuration of replica 0 as a figure (.svg or .png; a .csv beside it)")
    .option("--json", "print JSON")
    .option("--no-progress", "no progress bar")
    .option("--force", "run above the work limit (about ten minutes)")
    .action(async (opts: Options) => {
      const names = DEMIXING_OPTIONS.map(([n]) => n);
      const p = demixingParams(numberOptions(opts, names) as Partial<DemixingParams>);
      const snapshotFile = typeof opts.snapshot === "string" ? opts.snapshot : undefined;
      if (snapshotFile !== undefined && !/\.(svg|png)$/i.test(snapshotFile)) throw new ModelError(`--snapshot must name a .svg or .png file, got '${snapshotFile}'`);
      const bar = progressBar(opts.progress !== false);
      const r = simulateDemixing(p, { onProgress: bar.onProgress, force: opts.force === true });
      bar.stop();
      // The report first (checked: no NaN), then the files, then the report is printed.
      let report: string;
      if (opts.json) {
        const { snapshot, series, ...rest } = r;
        void snapshot;
        report = jsonText(withoutUndefinedStatistics({ ...rest, series }));
      } else {
        report = checkedText([
          `Hot/cold demixing (seed 004, Section 3.3): ${p.N} soft disks (${r.nCold} cold), area fraction ${num(p.phi)}, box ${num(r.boxSide)}`,
          `T_hot = ${num(p.Thot)}, T_cold = ${num(p.Tcold)} (ratio ${num(p.Thot / p.Tcold)}), k = ${num(p.stiffness)}, range ${num(p.range)}; neighbours closer than ${num(r.cutoff)}`, "",
          table(["quantity", "estimate ± error"], [
            ["psi = (f_cc - f_random)/(1 - f_random)", pm(r.psi)],
            [`cold-cold neighbour fraction f_cc (random: ${num(r.randomFraction)})`, pm(r.coldNeighbourFraction)],
            ["largest cold cluster / N_cold", pm(r.largestCluster)],
            ["entropy production (Stratonovich)", pm(r.entropyProduction)],
          ]),
          `simulation: Heun, dt = ${num(p.dt)}, ${p.replicas} replicas x (burn-in ${num(p.burnIn)} + ${num(p.time)}), seed ${p.seed}; ` +
            `error bars from ${r.psi.source === "replicas" ? "the spread of the replicas" : "batch means within the runs"}`,
          ...(snapshotFile ? [`wrote ${snapshotFile}`] : []),
        ].join("\n"));
      }
      if (snapshotFile) {
        const fig = demixingSnapshot(r, basename(snapshotFile, extname(snapshotFile)));
        await writeFigureFile(fig, snapshotFile);
        await writeFigureFile(fig, snapshotFile.replace(/\.(svg|png)$/i, ".csv"));
      }
      console.log(report);
      if (opts.json) return;
      printWarnings(r.warnings);
    });
  return c;
}

function demixingSnapshot(r: DemixingResult, name: string) {
  const p = r.parameters;
  return particleScatter({
    name,
    title: `Hot/cold demixing: ${p.N} disks at area fraction ${num(p.phi)}, T_hot/T_cold = ${num(p.Thot / p.Tcold)}`,
    caption: `Replica 0 at t = ${num(p.burnIn + p.time)} after a random start; psi = ${pm(r.psi)} over ${p.replicas} replicas.`,
    ...snapshotDisks(r),
  });
}
