/**
 * `ness simulate MODEL --time T --dt DT --seed S`: Langevin simulation of a network or particle model, every
 * estimate with its error bar and, for linear models, the exact value and the deviation in error bars (the stochastic
 * engine runs, then src/verify compares it with the exact engine).
 * Replicas run on worker threads (--workers); the result does not depend on their number. Before the run its cost
 * is estimated (cost.ts: refused above an hour unless --force, announced on stderr above a minute); a progress bar
 * goes to stderr when it is a terminal; Ctrl-C or SIGTERM stops cleanly (nothing on stdout, exit 130 or 143).
 */
import { Command } from "commander";
import { ModelError } from "../../errors.js";
import type { Model } from "../../model/modelCheck.js";
import type { FieldSpec } from "../../stochastic/fields.js";
import { SCHEME_NAMES, schemeByName, type Scheme } from "../../stochastic/integrators.js";
import type { FluxEstimator } from "../../stochastic/linear.js";
import type { PairHeatRule } from "../../stochastic/pairHeat.js";
import { describePairHeatChoice, type PairHeatChoice } from "../../stochastic/pairHeatChoice.js";
import { describePairHeat } from "../../stochastic/stateHeat.js";
import type { NoiseStream, SimulationOptions, SimulationResult } from "../../stochastic/run.js";
import { simulateAndVerify } from "../../verify/simulation.js";
import { defaultWorkers, workerRunner } from "../../workers/pool.js";
import "../../workers/splitThreads.js";
import { ANNOUNCE_SECONDS, checkCost, describeCost, duration } from "../cost.js";
import { modelProvenance } from "../commandLine.js";
import { num, table, warn } from "../format.js";
import { loadModelFile } from "../input.js";
import { interruptible } from "../interrupt.js";
import { doubleRangeFault, numberOption, workersOption } from "../../model/options.js";
import { progressBar } from "../progress.js";
import { trajectoryFormat } from "../../io/trajectory.js";
import {
  readCheckpointFile,
  recordingExecute,
  recordingWanted,
  shellWord,
  thermoHidden,
  type RecordingOptions,
} from "./simulateRecord.js";
import path from "node:path";

/** The options as commander hands them over (strings; parsed and checked by parseOptions). */
interface RawOptions {
  time?: string;
  dt?: string;
  seed?: string;
  replicas?: string;
  workers?: string;
  burnIn?: string;
  scheme?: string;
  batches?: string;
  sampleEvery?: string;
  fluxEstimator?: string;
  pairHeat?: string;
  noise?: string;
  threads?: string;
  field: string[];
  fieldRange?: string;
  bins?: string;
  json?: boolean;
  progress: boolean;
  force?: boolean;
  trajectory?: string;
  every?: string;
  observe?: string;
  trajectoryReplica?: string;
  thermo?: string;
  thermoAlways?: boolean;
  checkpoint?: string;
  checkpointEvery?: string;
  restart?: string;
}

/** Most worker threads accepted (a run has at most 64 blocks of replicas anyway). */

function required(value: string | undefined, flag: string, what: string): string {
  if (value === undefined) throw new ModelError(`${flag} is required (${what})`);
  return value;
}

/** Every option parsed and range-checked (one ModelError naming the option), before the model is read. */
function parseOptions(o: RawOptions, argv: string[] = process.argv) {
  const time = numberOption(required(o.time, "--time", "the production time per replica"), "--time", { above: 0 })!;
  const dt = numberOption(required(o.dt, "--dt", "the time step"), "--dt", { above: 0 })!;
  const seed = numberOption(required(o.seed, "--seed", "a non-negative integer: same seed, same numbers"), "--seed", {
    integer: true,
    min: 0,
  })!;
  const replicas = numberOption(o.replicas ?? "1", "--replicas", { integer: true, min: 1 })!;
  const workers = workersOption(o.workers);
  const threads = numberOption(o.threads, "--threads", { integer: true, min: 1, max: 8 });
  const burnIn = numberOption(o.burnIn, "--burn-in", { min: 0 });
  const batches = numberOption(o.batches, "--batches", { integer: true, min: 1 });
  const sampleEvery = numberOption(o.sampleEvery, "--sample-every", { integer: true, min: 1 });
  const bins = numberOption(o.bins ?? "40", "--bins", { integer: true, min: 1, max: 1000 })!;
  if (o.scheme !== undefined && !(SCHEME_NAMES as readonly string[]).includes(o.scheme))
    throw new ModelError(`unknown scheme '${o.scheme}' (one of: ${SCHEME_NAMES.join(", ")})`);
  // The scheme is a value: the named one at dt, or the default of the model's dynamics ({ dt }).
  const scheme: Scheme | { dt: number } = o.scheme !== undefined ? schemeByName(o.scheme, dt) : { dt };
  if (o.fluxEstimator !== undefined && !["stratonovich", "state"].includes(o.fluxEstimator)) {
    throw new ModelError(`unknown flux estimator '${o.fluxEstimator}' (stratonovich or state)`);
  }
  if (o.pairHeat !== undefined && !["state", "exact", "trapezoid"].includes(o.pairHeat)) {
    throw new ModelError(`unknown pair heat rule '${o.pairHeat}' (state, exact or trapezoid)`);
  }
  if (o.noise !== undefined && !["stream", "counter"].includes(o.noise)) {
    throw new ModelError(`unknown noise '${o.noise}' (stream or counter)`);
  }
  const recording = parseRecording(o, replicas, argv);
  return {
    recording,
    time,
    dt,
    seed,
    replicas,
    workers,
    burnIn,
    batches,
    sampleEvery,
    bins,
    scheme,
    fluxEstimator: o.fluxEstimator as FluxEstimator | undefined,
    pairHeat: o.pairHeat as PairHeatRule | undefined,
    noise: o.noise as NoiseStream | undefined,
    threads,
    fields: parseFields(o.field, o.fieldRange, bins),
  };
}

/**
 * Options that would change nothing for this model are refused rather than ignored without a word (as --threads is
 * for networks): --pair-heat chooses the heat rule of overdamped particles; --flux-estimator the spring-flux estimator
 * of overdamped networks (an underdamped network's fluxes are functions of the state).
 */
function refuseIneffective(model: Model, o: { pairHeat?: string; fluxEstimator?: string }): void {
  if (o.pairHeat !== undefined && !(model.kind === "particles" && model.dynamics === "overdamped"))
    throw new ModelError(
      `--pair-heat is for overdamped particles (the rule for their pair heats); this is ${model.kind === "network" ? "a network" : "an underdamped particle model, whose heat flows are functions of the state"}`,
    );
  if (o.fluxEstimator !== undefined && !(model.kind === "network" && model.dynamics === "overdamped"))
    throw new ModelError(
      `--flux-estimator is for overdamped networks; this is ${model.kind === "network" ? "an underdamped network, whose spring fluxes k (q_i - q_j) p_j / m_j are functions of the state" : "a particle model (its estimators are Stratonovich)"}`,
    );
}

/** The trajectory, running-table and checkpoint options (simulateRecord.ts), checked before the model is read. */
function parseRecording(o: RawOptions, replicas: number, argv: string[]): RecordingOptions {
  const needs = (flag: string, value: unknown, other: string, present: boolean) => {
    if (value !== undefined && !present) throw new ModelError(`${flag} needs ${other}`);
  };
  needs("--every", o.every, "--trajectory FILE", o.trajectory !== undefined);
  needs(
    "--observe",
    o.observe,
    "--trajectory FILE or --thermo N",
    o.trajectory !== undefined || o.thermo !== undefined,
  );
  needs(
    "--trajectory-replica",
    o.trajectoryReplica,
    "--trajectory FILE or --thermo N",
    o.trajectory !== undefined || o.thermo !== undefined,
  );
  needs("--checkpoint-every", o.checkpointEvery, "--checkpoint FILE", o.checkpoint !== undefined);
  needs("--thermo-always", o.thermoAlways, "--thermo N", o.thermo !== undefined);
  const every = numberOption(o.every, "--every", { integer: true, min: 1 });
  const thermo = numberOption(o.thermo, "--thermo", { integer: true, min: 1 });
  const checkpointEvery = numberOption(o.checkpointEvery, "--checkpoint-every", { integer: true, min: 1 });
  const replica = numberOption(o.trajectoryReplica ?? "0", "--trajectory-replica", { integer: true, min: 0 })!;
  if (replica >= replicas)
    throw new ModelError(
      `--trajectory-replica ${replica}: the run has replicas 0 .. ${replicas - 1} (--replicas ${replicas})`,
    );
  if (o.trajectory !== undefined) trajectoryFormat(o.trajectory, "--trajectory");
  if (
    o.trajectory !== undefined &&
    o.checkpoint !== undefined &&
    path.resolve(o.trajectory) === path.resolve(o.checkpoint)
  )
    throw new ModelError(`--trajectory and --checkpoint name the same file ${o.trajectory}`);
  if (o.trajectory !== undefined && o.restart !== undefined && path.resolve(o.trajectory) === path.resolve(o.restart))
    throw new ModelError(`--trajectory and --restart name the same file ${o.trajectory}`);
  let observe: string[] | undefined;
  if (o.observe !== undefined) {
    observe = o.observe.split(",").map((s) => s.trim());
    if (observe.some((s) => s === ""))
      throw new ModelError(
        `--observe takes names separated by commas (e.g. 'kinetic temperature: a'), got '${o.observe}'`,
      );
  }
  return {
    trajectory: o.trajectory,
    every,
    observe,
    replica,
    thermo,
    thermoShown: process.stderr.isTTY === true || o.thermoAlways === true,
    checkpoint: o.checkpoint,
    checkpointEvery,
    restart: o.restart !== undefined ? { file: o.restart, checkpoint: readCheckpointFile(o.restart) } : undefined,
    command: ["ness", ...argv.slice(2)].map(shellWord).join(" "),
  };
}

const finite = (key: string, v: number | undefined) => (v !== undefined && Number.isFinite(v) ? { [key]: v } : {});

/** The JSON document printed by `ness simulate --json`. */
export function simulationJson(r: SimulationResult) {
  return {
    // Provenance: the version, the command as typed (model file and options) and the units (the seed is below).
    ...modelProvenance(),
    name: r.name,
    kind: r.kind,
    dynamics: r.dynamics,
    scheme: r.scheme,
    dt: r.dt,
    time: r.time,
    burnIn: r.burnIn,
    replicas: r.replicas,
    seed: r.seed,
    batchesPerReplica: r.batchesPerReplica,
    steps: r.steps,
    timeScale: r.timeScale,
    ...(r.pairHeat !== undefined ? { pairHeat: r.pairHeat } : {}),
    ...(r.pairHeatChoice && finiteChoice(r.pairHeatChoice) ? { pairHeatChoice: r.pairHeatChoice } : {}),
    ...(r.noise !== undefined ? { noise: r.noise } : {}),
    ...(r.split ? { split: true } : {}),
    exact: r.exact,
    // Only finite numbers: an error bar or deviation that cannot be computed is left out (and reliable is false).
    estimates: r.estimates.map((e) => ({
      group: e.group,
      name: e.name,
      value: e.value,
      ...finite("error", e.error),
      ...(e.exact !== undefined ? { exact: e.exact, ...finite("deviation", e.deviation) } : {}),
      ...finite("timeStepBias", e.timeStepBias),
      batches: e.batches,
      reliable: e.reliable,
      ...(e.note ? { note: e.note } : {}),
    })),
    fields: r.fields.map((f) => ({
      coordinates: f.coordinates,
      bins: f.bins,
      range: f.range,
      outside: f.outside,
      density: Array.from(f.density),
      densityError: Array.from(f.densityError),
      currentX: Array.from(f.currentX),
      currentXError: Array.from(f.currentXError),
      currentY: Array.from(f.currentY),
      currentYError: Array.from(f.currentYError),
    })),
    warnings: r.warnings,
  };
}

/** Human-readable report (without the warnings: the CLI prints them on stderr). */
export function simulationText(r: SimulationResult): string {
  const out: string[] = [];
  out.push(`${r.name ?? `${r.dynamics} ${r.kind}`} (${r.dynamics}, ${r.scheme}, dt = ${num(r.dt)})`);
  out.push(
    `${r.replicas} replica${r.replicas > 1 ? "s" : ""} x time ${num(r.time)} after burn-in ${num(r.burnIn)}; seed ${r.seed}; ${r.batchesPerReplica} batches per replica; ${r.steps} steps`,
  );
  if (r.split)
    out.push("split across threads (--threads): counter-based noise, the same numbers for every thread count");
  else if (r.noise === "counter") out.push("counter-based noise (--noise counter)");
  const tsName = r.timeScale.kind === "frequency" ? "fastest frequency" : "fastest rate";
  if (r.timeScale.value > 0)
    out.push(
      `${tsName} ${num(r.timeScale.value)} (${r.timeScale.source}); ${r.timeScale.kind === "frequency" ? "omega" : "lambda"} dt = ${num(r.timeScale.value * r.dt)}`,
    );
  if (r.pairHeat !== undefined) out.push(`pair heat: ${r.pairHeat}, ${describePairHeat(r.pairHeat)}`);
  if (r.pairHeatChoice && finiteChoice(r.pairHeatChoice)) out.push(`  ${describePairHeatChoice(r.pairHeatChoice)}`);
  out.push("");
  const header = ["quantity", "estimate", "± error"];
  if (r.exact) header.push("exact", "deviation");
  const rows = r.estimates.map((e) => {
    const row: (string | number)[] = [
      `${e.group}: ${e.name}${e.reliable ? "" : " (*)"}`,
      num(e.value),
      Number.isFinite(e.error) ? num(e.error) : "-",
    ];
    if (r.exact) {
      row.push(e.exact !== undefined ? num(e.exact) : "-");
      row.push(e.deviation !== undefined ? `${e.deviation >= 0 ? "+" : ""}${e.deviation.toFixed(1)} σ` : "-");
    }
    return row;
  });
  out.push(table(header, rows));
  if (r.estimates.some((e) => !e.reliable))
    out.push(
      "(*) not reliable: the error bar does not cover the uncertainty (too few effective samples, a time-step bias or dt beyond the stability limit: see the warnings)",
    );
  for (const f of r.fields) {
    let maxJ = 0;
    for (let k = 0; k < f.currentX.length; k++) maxJ = Math.max(maxJ, Math.hypot(f.currentX[k], f.currentY[k]));
    out.push(
      "",
      `field ${f.coordinates.join(", ")}: ${f.bins[0]}x${f.bins[1]} bins over [${f.range[0].map((x) => num(x)).join(", ")}] x [${f.range[1].map((x) => num(x)).join(", ")}], ` +
        `largest current ${num(maxJ)}, ${num(100 * f.outside)}% of samples outside (densities and currents in --json)`,
    );
  }
  return out.join("\n"); // warnings go to stderr (the action)
}

function parseFields(field: string[], fieldRange: string | undefined, bins: number): FieldSpec[] {
  let range: FieldSpec["range"];
  if (fieldRange !== undefined) {
    const v = fieldRange.split(",").map((x) => (x.trim() === "" ? NaN : Number(x)));
    fieldRange.split(",").forEach((x, i) => {
      const fault = doubleRangeFault(x, v[i]);
      if (fault !== undefined) throw new ModelError(`--field-range: ${fault}`);
    });
    if (v.length !== 4 || !v.every(Number.isFinite))
      throw new ModelError(`--field-range takes four numbers lo1,hi1,lo2,hi2, got '${fieldRange}'`);
    if (!(v[1] > v[0] && v[3] > v[2]))
      throw new ModelError(`--field-range needs lo1 < hi1 and lo2 < hi2, got '${fieldRange}'`);
    range = [
      [v[0], v[1]],
      [v[2], v[3]],
    ];
  }
  return field.map((f) => {
    const c = f.split(",").map((s) => s.trim());
    if (c.length !== 2 || c.some((x) => x === ""))
      throw new ModelError(`--field takes two coordinates separated by a comma (e.g. q:1,q:2), got '${f}'`);
    return { coordinates: [c[0], c[1]], bins: [bins, bins], range };
  });
}

export function simulateCommand(): Command {
  return new Command("simulate")
    .description("Langevin simulation: every estimate with its error bar and, for linear models, the exact value")
    .argument("<model>", "network or particles model file (YAML or JSON)")
    .option("--time <T>", "production time per replica (after the burn-in); required")
    .option("--dt <DT>", "time step; required")
    .option("--seed <S>", "random seed (non-negative integer): same seed, same numbers; required")
    .option("--replicas <R>", "independent replicas (default 1)")
    .option("--workers <W>", "worker threads (default: the available cores, at most one per block)")
    .option("--burn-in <B>", "burn-in time per replica, not measured (default 10% of --time)")
    .option("--scheme <name>", "baoab (underdamped), heun or euler-maruyama (overdamped), exact (linear models)")
    .option("--batches <N>", "batches per replica for the error bars")
    .option("--sample-every <k>", "evaluate the estimators every k steps (state-function estimators only)")
    .option("--flux-estimator <form>", "overdamped networks: stratonovich (default) or state")
    .option(
      "--pair-heat <rule>",
      "overdamped particles: state (state function; default where pair forces are continuous), exact (each pair's heats sum to its energy change; default where they jump) or trapezoid",
    )
    .option(
      "--noise <stream>",
      "the Gaussian numbers: stream (default) or counter (each coordinate's number a function of seed, replica, step and coordinate: the same statistics, other numbers)",
    )
    .option(
      "--threads <T>",
      "split each replica's system across T threads (1-8; 2D overdamped soft disks): bit-identical for every T, counter noise",
    )
    .option(
      "--field <a,b>",
      "density and current on two coordinates (repeatable), e.g. q:1,q:2 or x:0,x:1",
      (v: string, acc: string[]) => [...acc, v],
      [] as string[],
    )
    .option(
      "--field-range <lo1,hi1,lo2,hi2>",
      "range of the field grid (default: from the exact covariance or the box)",
    )
    .option("--bins <n>", "bins per axis of the field grid (default 40, at most 1000)")
    .option("--trajectory <file>", "write one replica's states (and --observe observables) over time: .csv or .parquet")
    .option("--every <N>", "a trajectory row every N steps (default: about 10^4 rows)")
    .option(
      "--observe <names>",
      "observables in the trajectory and the --thermo table, as reported, separated by commas (e.g. 'kinetic temperature: a' or a whole group 'bath flux')",
    )
    .option("--trajectory-replica <R>", "the replica recorded by --trajectory and --thermo (default 0)")
    .option("--thermo <N>", "every N steps, a running table of observables with their running error bars on stderr")
    .option("--thermo-always", "print the --thermo table even when stderr is not a terminal")
    .option(
      "--checkpoint <file>",
      "write the run's complete state to this file (atomically, with SHA-256 checksums) every --checkpoint-every steps",
    )
    .option("--checkpoint-every <N>", "steps between checkpoints (default: a tenth of the run)")
    .option(
      "--restart <file>",
      "continue the run saved in this checkpoint: same model and parameters, the same numbers (a checkpoint changed after it was written, or of an older format, is refused)",
    )
    .option("--force", "run even when the estimated time is over an hour")
    .option("--json", "print the result as JSON")
    .option("--no-progress", "no progress bar")
    .action(async (file: string, raw: RawOptions, cmd: Command) => {
      // The words as given to main() (commander keeps them on the program), for the provenance of recorded files.
      const argv = (cmd.parent as unknown as { rawArgs?: string[] } | null)?.rawArgs;
      const o = parseOptions(raw, argv && argv.length > 0 ? argv : process.argv);
      const model = await loadModelFile(file);
      refuseIneffective(model, o);
      const options: SimulationOptions = {
        time: o.time,
        seed: o.seed,
        replicas: o.replicas,
        burnIn: o.burnIn,
        batches: o.batches,
        sampleEvery: o.sampleEvery,
        fluxEstimator: o.fluxEstimator,
        pairHeat: o.pairHeat,
        ...(o.noise !== undefined ? { noise: o.noise } : {}),
        ...(o.threads !== undefined ? { threads: o.threads } : {}),
        fields: o.fields,
      };
      // A split run's threads are the cores' work already: its replicas run one after another unless --workers.
      const workers = o.workers ?? (o.replicas > 1 && o.threads === undefined ? defaultWorkers() : 1);
      const bar = progressBar(raw.progress);
      let done = 0,
        total = 0;
      const runner = workers === 1 ? undefined : workerRunner(workers);
      const recording = recordingWanted(o.recording);
      // The running table and the progress bar would write over each other: the table wins.
      const thermoShown = o.recording.thermo !== undefined && o.recording.thermoShown;
      if (o.recording.thermo !== undefined && !o.recording.thermoShown) thermoHidden();
      try {
        const result = await interruptible(
          (signal) =>
            simulateAndVerify(model, o.scheme, options, {
              signal,
              runner,
              onPlan: async (plan) => {
                total = plan.replicas * (plan.nBurn + plan.nProduction);
                const cost = await checkCost(plan, workers, raw.force === true, { signal });
                if (cost.seconds !== undefined && cost.seconds > ANNOUNCE_SECONDS)
                  console.error(`ness: estimated cost: ${describeCost(cost)}`);
                bar.label(
                  `simulating ${num(cost.stepsPerReplica * cost.replicas, 3)} steps x ${cost.dof} dof${cost.seconds !== undefined ? ` (estimated ${duration(cost.seconds)})` : ""}`,
                );
              },
              onProgress: (d, t) => {
                done = d;
                total = t;
                if (!thermoShown) bar.onProgress(d, t);
              },
              execute: recording
                ? recordingExecute(o.recording, {
                    segments: runner?.segments,
                    signal,
                    onProgress: (d, t) => {
                      done = d;
                      total = t;
                      if (!thermoShown) bar.onProgress(d, t);
                    },
                  })
                : undefined,
            }),
          (sig) =>
            `interrupted by ${sig} ${done > 0 ? `after ${percentDone(done, total)} of the steps` : "before the first step"}: no result printed`,
        );
        bar.stop();
        for (const w of result.warnings) warn(w);
        if (raw.json) console.log(JSON.stringify(simulationJson(result), null, 2));
        else console.log(simulationText(result));
      } finally {
        bar.stop();
        await runner?.close();
      }
    });
}

/** "0.4%", "37%", or "less than 0.1%" (never an exponent in a progress message). */
function percentDone(done: number, total: number): string {
  const p = (100 * done) / total;
  return p < 0.1 ? "less than 0.1%" : `${p < 10 ? p.toFixed(1) : p.toFixed(0)}%`;
}

/** True when every number of the pair-heat choice is finite (JSON carries no NaN; too few batches leave them so). */
function finiteChoice(c: PairHeatChoice): boolean {
  return [c.state, c.trapezoid, c.difference]
    .flatMap((v) => [v.value, v.error])
    .concat([c.stateMse, c.trapezoidMse, c.trapezoidBias])
    .every(Number.isFinite);
}
