/**
 * `ness simulate MODEL --time T --dt DT --seed S`: Langevin simulation of a network or particle model, every
 * estimate with its error bar and, for linear models, the exact value and the deviation in error bars.
 * Replicas run on worker threads (--workers); the result does not depend on their number. A progress bar goes to
 * stderr when it is a terminal; Ctrl-C cancels cleanly (nothing is printed on stdout).
 */
import { Command, InvalidArgumentError } from "commander";
import { ModelError } from "../../errors.js";
import type { FieldSpec } from "../../stochastic/fields.js";
import type { SchemeName } from "../../stochastic/integrators.js";
import type { FluxEstimator } from "../../stochastic/linear.js";
import type { PairHeatRule } from "../../stochastic/pairHeat.js";
import { simulate, type SimulationResult, type SimulationSpec } from "../../stochastic/run.js";
import { defaultWorkers, workerRunner } from "../../workers/pool.js";
import { num, table } from "../format.js";
import { readModelFile } from "../input.js";
import { progressBar } from "../progress.js";

interface SimulateOptions {
  time: number;
  dt: number;
  seed: number;
  replicas: number;
  workers?: number;
  burnIn?: number;
  scheme?: SchemeName;
  batches?: number;
  sampleEvery?: number;
  fluxEstimator?: FluxEstimator;
  pairHeat?: PairHeatRule;
  field: string[];
  fieldRange?: string;
  bins: number;
  json?: boolean;
  progress: boolean;
}

const number = (what: string) => (v: string) => {
  const x = Number(v);
  if (v.trim() === "" || !Number.isFinite(x)) throw new InvalidArgumentError(`${what} must be a number, got '${v}'`);
  return x;
};
const integer = (what: string) => (v: string) => {
  const x = Number(v);
  if (!Number.isSafeInteger(x)) throw new InvalidArgumentError(`${what} must be an integer, got '${v}'`);
  return x;
};

const finite = (key: string, v: number | undefined) => (v !== undefined && Number.isFinite(v) ? { [key]: v } : {});

/** The JSON document printed by `ness simulate --json`. */
export function simulationJson(r: SimulationResult) {
  return {
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
    exact: r.exact,
    // Only finite numbers: an error bar or deviation that cannot be computed is left out (and reliable is false).
    estimates: r.estimates.map((e) => ({
      group: e.group, name: e.name, value: e.value, ...finite("error", e.error),
      ...(e.exact !== undefined ? { exact: e.exact, ...finite("deviation", e.deviation) } : {}),
      ...finite("timeStepBias", e.timeStepBias),
      batches: e.batches, reliable: e.reliable, ...(e.note ? { note: e.note } : {}),
    })),
    fields: r.fields.map((f) => ({
      coordinates: f.coordinates, bins: f.bins, range: f.range, outside: f.outside,
      density: Array.from(f.density), densityError: Array.from(f.densityError),
      currentX: Array.from(f.currentX), currentXError: Array.from(f.currentXError),
      currentY: Array.from(f.currentY), currentYError: Array.from(f.currentYError),
    })),
    warnings: r.warnings,
  };
}

/** Human-readable report. */
export function simulationText(r: SimulationResult): string {
  const out: string[] = [];
  out.push(`${r.name ?? `${r.dynamics} ${r.kind}`} (${r.dynamics}, ${r.scheme}, dt = ${num(r.dt)})`);
  out.push(`${r.replicas} replica${r.replicas > 1 ? "s" : ""} x time ${num(r.time)} after burn-in ${num(r.burnIn)}; seed ${r.seed}; ${r.batchesPerReplica} batches per replica; ${r.steps} steps`);
  const tsName = r.timeScale.kind === "frequency" ? "fastest frequency" : "fastest rate";
  if (r.timeScale.value > 0) out.push(`${tsName} ${num(r.timeScale.value)} (${r.timeScale.source}); ${r.timeScale.kind === "frequency" ? "omega" : "lambda"} dt = ${num(r.timeScale.value * r.dt)}`);
  out.push("");
  const header = ["quantity", "estimate", "± error"];
  if (r.exact) header.push("exact", "deviation");
  const rows = r.estimates.map((e) => {
    const row: (string | number)[] = [`${e.group}: ${e.name}${e.reliable ? "" : " (*)"}`, num(e.value), Number.isFinite(e.error) ? num(e.error) : "-"];
    if (r.exact) {
      row.push(e.exact !== undefined ? num(e.exact) : "-");
      row.push(e.deviation !== undefined ? `${e.deviation >= 0 ? "+" : ""}${e.deviation.toFixed(1)} σ` : "-");
    }
    return row;
  });
  out.push(table(header, rows));
  if (r.estimates.some((e) => !e.reliable)) out.push("(*) not reliable: the error bar does not cover the uncertainty (too few effective samples, a time-step bias or dt beyond the stability limit: see the warnings)");
  for (const f of r.fields) {
    let maxJ = 0;
    for (let k = 0; k < f.currentX.length; k++) maxJ = Math.max(maxJ, Math.hypot(f.currentX[k], f.currentY[k]));
    out.push("", `field ${f.coordinates.join(", ")}: ${f.bins[0]}x${f.bins[1]} bins over [${f.range[0].map(num).join(", ")}] x [${f.range[1].map(num).join(", ")}], ` +
      `largest current ${num(maxJ)}, ${num(100 * f.outside)}% of samples outside (densities and currents in --json)`);
  }
  for (const w of r.warnings) out.push(`warning: ${w}`);
  return out.join("\n");
}

function parseFields(opts: SimulateOptions): FieldSpec[] {
  let range: FieldSpec["range"];
  if (opts.fieldRange !== undefined) {
    const v = opts.fieldRange.split(",").map(Number);
    if (v.length !== 4 || !v.every(Number.isFinite)) throw new ModelError(`--field-range takes lo1,hi1,lo2,hi2, got '${opts.fieldRange}'`);
    range = [[v[0], v[1]], [v[2], v[3]]];
  }
  return opts.field.map((f) => {
    const c = f.split(",").map((s) => s.trim());
    if (c.length !== 2) throw new ModelError(`--field takes two coordinates separated by a comma (e.g. q:1,q:2), got '${f}'`);
    return { coordinates: [c[0], c[1]], bins: [opts.bins, opts.bins], range };
  });
}

export function simulateCommand(): Command {
  return new Command("simulate")
    .description("Langevin simulation: every estimate with its error bar and, for linear models, the exact value")
    .argument("<model>", "network or particles model file (YAML or JSON)")
    .requiredOption("--time <T>", "production time per replica (after the burn-in)", number("--time"))
    .requiredOption("--dt <DT>", "time step", number("--dt"))
    .requiredOption("--seed <S>", "random seed (non-negative integer): same seed, same numbers", integer("--seed"))
    .option("--replicas <R>", "independent replicas", integer("--replicas"), 1)
    .option("--workers <W>", "worker threads (default: the available cores, at most one per block)", integer("--workers"))
    .option("--burn-in <B>", "burn-in time per replica, not measured (default 10% of --time)", number("--burn-in"))
    .option("--scheme <name>", "baoab (underdamped), heun or euler-maruyama (overdamped), exact (linear models)")
    .option("--batches <N>", "batches per replica for the error bars", integer("--batches"))
    .option("--sample-every <k>", "evaluate the estimators every k steps (state-function estimators only)", integer("--sample-every"))
    .option("--flux-estimator <form>", "overdamped networks: stratonovich (default) or state")
    .option("--pair-heat <rule>", "overdamped particles: trapezoid (default) or exact (each pair's heats sum to its energy change: no bias at a cutoff; slower)")
    .option("--field <a,b>", "density and current on two coordinates (repeatable), e.g. q:1,q:2 or x:0,x:1",
      (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option("--field-range <lo1,hi1,lo2,hi2>", "range of the field grid (default: from the exact covariance or the box)")
    .option("--bins <n>", "bins per axis of the field grid", integer("--bins"), 40)
    .option("--json", "print the result as JSON")
    .option("--no-progress", "no progress bar")
    .action(async (file: string, opts: SimulateOptions) => {
      const model = readModelFile(file);
      const schemes = ["baoab", "euler-maruyama", "heun", "exact"];
      if (opts.scheme !== undefined && !schemes.includes(opts.scheme)) throw new ModelError(`unknown scheme '${opts.scheme}' (one of: ${schemes.join(", ")})`);
      if (opts.fluxEstimator !== undefined && !["stratonovich", "state"].includes(opts.fluxEstimator)) {
        throw new ModelError(`unknown flux estimator '${opts.fluxEstimator}' (stratonovich or state)`);
      }
      if (opts.pairHeat !== undefined && !["exact", "trapezoid"].includes(opts.pairHeat)) {
        throw new ModelError(`unknown pair heat rule '${opts.pairHeat}' (exact or trapezoid)`);
      }
      if (opts.workers !== undefined && opts.workers < 1) throw new ModelError(`--workers must be >= 1, got ${opts.workers}`);
      const spec: SimulationSpec = {
        model,
        options: {
          dt: opts.dt, time: opts.time, seed: opts.seed, replicas: opts.replicas, burnIn: opts.burnIn, scheme: opts.scheme,
          batches: opts.batches, sampleEvery: opts.sampleEvery, fluxEstimator: opts.fluxEstimator,
          pairHeat: opts.pairHeat, fields: parseFields(opts),
        },
      };
      const controller = new AbortController();
      const onSigint = () => controller.abort();
      process.once("SIGINT", onSigint);
      const bar = progressBar(opts.progress);
      const workers = opts.workers ?? (opts.replicas > 1 ? undefined : 1);
      const runner = workers === 1 ? undefined : workerRunner(workers ?? defaultWorkers());
      try {
        const result = await simulate(spec, {
          signal: controller.signal,
          onProgress: bar.onProgress,
          runner,
        });
        bar.stop();
        if (opts.json) console.log(JSON.stringify(simulationJson(result), null, 2));
        else console.log(simulationText(result));
      } finally {
        bar.stop();
        process.removeListener("SIGINT", onSigint);
        await runner?.close();
      }
    });
}
