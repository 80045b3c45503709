/**
 * `ness plot-trajectory FILE [--columns a,b] [--out fig.png|fig.svg|taus.csv] [--max-lag N]`: a figure of a
 * trajectory written by `ness simulate --trajectory` (CSV or Parquet): the time series of chosen columns and their
 * autocorrelation functions, with the integrated autocorrelation times (computed by src/stochastic/autocorrelation.ts;
 * the figure, src/figures/trajectory.ts, only draws them). Prints each column's integrated time on stdout.
 */
import path from "node:path";
import { Command } from "commander";
import { ModelError } from "../../errors.js";
import { trajectoryFigure } from "../../figures/trajectory.js";
import { writeFigureFile } from "../../io/render.js";
import { readTrajectory } from "../../io/trajectory.js";
import { summarizeSeries } from "../../stochastic/autocorrelation.js";
import { num, table } from "../format.js";
import { numberOption } from "../../model/options.js";
import { modelCsvComments } from "../commandLine.js";

/** The columns drawn by default: up to three observables ("group: name"), else the first two state columns. */
export function defaultColumns(columns: string[]): string[] {
  const data = columns.filter((c) => c !== "step" && c !== "time");
  const observables = data.filter((c) => c.includes(": "));
  return (observables.length > 0 ? observables : data).slice(0, observables.length > 0 ? 3 : 2);
}

/** "Model: NAME; replica R, seed S." from a trajectory's provenance (CSV `#` lines or Parquet metadata), or undefined. */
export function provenanceLine(lines: string[]): string | undefined {
  const get = (re: RegExp) => lines.map((l) => re.exec(l)).find((m) => m)?.[1];
  const model = get(/^(?:ness\.)?model: (.*?)(?: \(sha256 [0-9a-f]+\))?$/);
  const replica = get(/simulate trajectory; replica (\d+);/) ?? get(/^ness\.replica: (\d+)$/);
  const seed = get(/simulate trajectory; replica \d+; seed (\d+)/) ?? get(/^ness\.seed: (\d+)$/);
  if (model === undefined) return undefined;
  return `Model: ${model}${replica !== undefined ? `; replica ${replica}` : ""}${seed !== undefined ? `, seed ${seed}` : ""}.`;
}

/** The `#` lines of the integrated times' CSV: this command's provenance, then the trajectory's, line by line. */
export function plotCsvComments(file: string, source: readonly string[]): string[] {
  const flat = (l: string) => l.replace(/[\r\n]+/g, " ");
  return [
    ...modelCsvComments().slice(0, 1),
    `# trajectory: ${flat(file)}${source.length > 0 ? "; its provenance:" : " (no provenance)"}`,
    ...source.flatMap((l) => l.split(/\r?\n/)).map((l) => `#   ${flat(l)}`),
  ];
}

export function plotTrajectoryCommand(): Command {
  return new Command("plot-trajectory")
    .description("time series and autocorrelations of a trajectory written by ness simulate --trajectory")
    .argument("<file>", "trajectory file (.csv or .parquet)")
    .option(
      "--columns <names>",
      "columns to draw, separated by commas (default: up to three observables, else two coordinates)",
    )
    .option("--out <file>", "the figure: .png, .svg, or .csv for the integrated times (default: FILE with .png)")
    .option("--max-lag <N>", "largest lag of the autocorrelation, in rows (default: a quarter of the rows)")
    .action(async (file: string, o: { columns?: string; out?: string; maxLag?: string }) => {
      const maxLag = numberOption(o.maxLag, "--max-lag", { integer: true, min: 1 });
      const data = readTrajectory(file);
      const timeIndex = data.columns.indexOf("time");
      if (timeIndex < 0) throw new ModelError(`${file}: no 'time' column (is it a trajectory of ness simulate?)`);
      let names: string[];
      if (o.columns !== undefined) {
        names = o.columns.split(",").map((s) => s.trim());
        for (const n of names) {
          if (n === "" || !data.columns.includes(n))
            throw new ModelError(
              `--columns: no column '${n}' in ${file} (columns: ${data.columns.slice(0, 12).join(", ")}${data.columns.length > 12 ? ", ..." : ""})`,
            );
        }
      } else {
        names = defaultColumns(data.columns);
        if (names.length === 0) throw new ModelError(`${file}: no data columns besides step and time`);
      }
      const series = summarizeSeries(
        data.data[timeIndex],
        names.map((n) => ({ name: n, values: data.data[data.columns.indexOf(n)] })),
        { maxLag },
      );
      const figure = trajectoryFigure({
        source: path.basename(file),
        series,
        timeLabel: "time t",
        provenance: provenanceLine(data.provenance),
      });
      const out = o.out ?? file.replace(/\.(csv|parquet)$/i, "") + ".png";
      // A .csv of the integrated times says where it came from: this command, then the trajectory's own provenance
      // (its version, command, model, parameters and seed), one `#` line each.
      await writeFigureFile(figure, out, { provenance: plotCsvComments(file, data.provenance) });
      console.log(
        table(
          ["column", "integrated autocorrelation time", "rows"],
          series.map((s) => [
            s.name,
            `${num(s.tau)}${s.converged ? "" : " (lower bound: run too short)"}`,
            String(data.data[0].length),
          ]),
        ),
      );
      console.log(`figure: ${out}`);
    });
}
