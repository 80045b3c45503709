/**
 * `ness entropy FILE [--model MODEL] [--columns a,b] [--lag N] [--bins N] [--blocks N] [--json]`: the model-free
 * entropy-production estimators (src/stochastic/modelFree.ts: Gaussian and binned time-reversal KL rates, the TUR
 * bound of an area current) on a trajectory written by `ness simulate --trajectory` (CSV or Parquet), each with its
 * jackknife error bar; the production rows only (the burn-in the file's provenance names is skipped). Beside them:
 * the run's own estimate where the trajectory carries the observable `entropy production: rate` (`--observe`), with
 * a blocked error bar, and, given `--model` of a linear model, the exact rate from the exact engine.
 */
import { Command } from "commander";
import { ModelError } from "../../errors.js";
import { readTrajectory, type TrajectoryData } from "../../io/trajectory.js";
import { numberOption } from "../../model/options.js";
import { modelFreeEntropy, type ModelFreeRow } from "../../stochastic/modelFree.js";
import { meanOfIndependent } from "../../stochastic/statistics.js";
import { exactReference } from "../../verify/reference.js";
import { modelProvenance } from "../commandLine.js";
import { num, table, warn } from "../format.js";
import { loadModelFile } from "../input.js";

const OWN = "entropy production: rate";

/** The first production row: after the burn-in that the provenance names ("burn-in: steps 1 .. N"), else 0. */
export function productionStart(data: TrajectoryData): number {
  let burn = 0;
  for (const line of data.provenance) {
    const m = /burn-in: steps 1 \.\. (\d+);/.exec(line);
    if (m) burn = Number(m[1]);
  }
  const step = data.columns.indexOf("step");
  if (step < 0 || burn === 0) return 0;
  const s = data.data[step];
  let i = 0;
  while (i < s.length && s[i] <= burn) i++;
  return i;
}

/** The coordinate columns of a trajectory (x:0, y:0, q:site, ...): not step, time, momenta or observables. */
export function coordinateColumns(columns: string[]): string[] {
  return columns.filter((c) => c !== "step" && c !== "time" && !c.includes(": ") && !/^p[xyz]?:/.test(c));
}

interface EntropyOptions {
  model?: string;
  columns?: string;
  lag?: string;
  bins?: string;
  blocks?: string;
  json?: boolean;
}

export function entropyCommand(): Command {
  return new Command("entropy")
    .description(
      "model-free entropy production (time-reversal KL, TUR) of a trajectory written by ness simulate --trajectory",
    )
    .argument("<file>", "trajectory file (.csv or .parquet)")
    .option("--model <file>", "the model the trajectory was simulated from: its exact rate where it is linear")
    .option(
      "--columns <names>",
      "coordinates to use, separated by commas; the first two carry the TUR's area current (default: every position coordinate)",
    )
    .option("--lag <N>", "lag of the time-reversal estimators, in rows (default 1)")
    .option("--bins <N>", "bins per coordinate of the transition KL (default: up to 8, at most 1024 states)")
    .option("--blocks <N>", "blocks of the jackknife error bars (default 16 for KL, 32 for TUR)")
    .option("--json", "print the result as JSON")
    .action(async (file: string, o: EntropyOptions) => {
      const lag = numberOption(o.lag, "--lag", { integer: true, min: 1 }) ?? 1;
      const bins = numberOption(o.bins, "--bins", { integer: true, min: 2 });
      const blocks = numberOption(o.blocks, "--blocks", { integer: true, min: 4 });
      const model = o.model !== undefined ? await loadModelFile(o.model) : undefined;
      const data = readTrajectory(file);
      const time = data.columns.indexOf("time");
      if (time < 0) throw new ModelError(`${file}: no 'time' column (is it a trajectory of ness simulate?)`);
      let names: string[];
      if (o.columns !== undefined) {
        names = o.columns.split(",").map((s) => s.trim());
        for (const n of names)
          if (n === "" || !data.columns.includes(n))
            throw new ModelError(
              `--columns: no column '${n}' in ${file} (columns: ${data.columns.slice(0, 12).join(", ")}${data.columns.length > 12 ? ", ..." : ""})`,
            );
      } else {
        names = coordinateColumns(data.columns);
        if (names.length === 0) throw new ModelError(`${file}: no coordinate columns (x:0, q:site, ...)`);
      }
      const first = productionStart(data);
      const t = data.data[time];
      const rows = t.length - first;
      if (rows < 3) throw new ModelError(`${file}: ${rows} production rows are too few`);
      const dt = t[first + 1] - t[first];
      for (let i = first + 1; i < t.length; i++)
        if (!(Math.abs(t[i] - t[i - 1] - dt) <= 1e-6 * dt))
          throw new ModelError(
            `${file}: the rows are not evenly spaced in time (rows ${i - 1} and ${i}): a restarted run? use one run's rows`,
          );
      const d = names.length;
      const states = new Float64Array(rows * d);
      names.forEach((n, k) => {
        const col = data.data[data.columns.indexOf(n)];
        for (let i = 0; i < rows; i++) states[i * d + k] = col[first + i];
      });
      const estimates = modelFreeEntropy(
        { states, dim: d, dt },
        { lag, ...(bins !== undefined ? { bins } : {}), ...(blocks !== undefined ? { blocks } : {}) },
      );
      // The run's own estimator, where recorded: the mean of its per-step values, error bar over 32 blocks.
      const ownIndex = data.columns.indexOf(OWN);
      let own: { value: number; error: number } | null = null;
      if (ownIndex >= 0) {
        const col = data.data[ownIndex],
          B = 32,
          per = Math.floor(rows / B);
        if (per >= 1) {
          const means = Float64Array.from({ length: B }, (_, b) => {
            let s = 0;
            for (let i = 0; i < per; i++) s += col[first + b * per + i];
            return s / per;
          });
          const m = meanOfIndependent(means);
          own = { value: m.value, error: m.error };
        }
      }
      let exact: number | null = null;
      if (model !== undefined) {
        const warnings: string[] = [];
        const ref = exactReference(model, warnings);
        if (ref) exact = ref.steadyState.entropyProduction;
        else warn(`no exact rate: ${warnings[0] ?? "the model is not linear"}`);
        const named = /^(?:ness\.)?model: (.*?)(?: \(sha256 [0-9a-f]+\))?$/;
        const recorded = data.provenance.map((l) => named.exec(l)).find((m) => m)?.[1];
        const name = model.name ?? `${model.dynamics} ${model.kind}`;
        if (recorded !== undefined && recorded !== name)
          warn(`the trajectory was simulated from '${recorded}', not '${name}' (--model)`);
      }
      print(file, names, rows, dt, estimates, own, exact, o.json === true, data.provenance);
    });
}

function print(
  file: string,
  names: string[],
  rows: number,
  dt: number,
  estimates: ModelFreeRow[],
  own: { value: number; error: number } | null,
  exact: number | null,
  json: boolean,
  source: readonly string[] = [],
): void {
  if (json) {
    console.log(
      JSON.stringify(
        {
          ...modelProvenance(),
          trajectory: file,
          // The trajectory's own provenance (its version, command, model, parameters, seed), line by line.
          trajectoryProvenance: source,
          columns: names,
          rows,
          dt,
          estimators: estimates.map((e) => ({
            estimator: e.estimator,
            ...(e.estimate ? { value: e.estimate.value, error: e.estimate.error, blocks: e.estimate.blocks } : {}),
            note: e.note,
          })),
          ...(own ? { runEstimate: own } : {}),
          ...(exact !== null ? { exact } : {}),
        },
        null,
        2,
      ),
    );
    return;
  }
  console.log(`${file}: ${rows} production rows every ${num(dt)} of ${names.join(", ")}`);
  console.log("model-free entropy production rate (each a lower bound of the true rate)\n");
  const body = estimates.map((e) => [
    e.estimator,
    e.estimate ? num(e.estimate.value) : "-",
    e.estimate ? num(e.estimate.error) : "-",
    e.note,
  ]);
  if (own) body.push(["run's estimator (column)", num(own.value), num(own.error), `'${OWN}' recorded by --observe`]);
  if (exact !== null) body.push(["exact (linear model)", num(exact), "0", "the exact engine's rate for --model"]);
  console.log(table(["estimator", "estimate", "± error", "note"], body));
}
