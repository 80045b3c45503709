/**
 * The trajectory figure of `ness plot-trajectory`: (a) time series of chosen columns, (b) their normalised
 * autocorrelation functions against the lag, with each integrated autocorrelation time in the legend. It draws the
 * summaries it is given (src/stochastic/autocorrelation.ts summarizeSeries computes them): it computes nothing.
 */
import { checkSpec } from "./check.js";
import { linePanel, panelFigure, type Series } from "./charts.js";
import type { Figure, Table } from "./figure.js";

/** One column's data as the figure draws it (summarizeSeries's output). */
export interface TrajectorySeries {
  name: string;
  time: readonly number[];
  values: readonly number[];
  lag: readonly number[];
  rho: readonly number[];
  /** Integrated autocorrelation time (time units) and whether its window converged. */
  tau: number;
  converged: boolean;
}

export interface TrajectoryFigureSpec {
  name?: string;
  /** Where the data come from (the file name), for the title. */
  source: string;
  series: TrajectorySeries[];
  /** Label of the time axis (with its unit). */
  timeLabel?: string;
  /** One caption line about the provenance (model, replica, seed). */
  provenance?: string;
}

const g = (x: number) => Number(x.toPrecision(3)).toString();

/**
 * Time series and autocorrelations of a trajectory, in two panels.
 *
 * @example
 * ```ts
 * import { summarizeSeries, trajectoryFigure } from "ness";
 *
 * const time = Array.from({ length: 100 }, (_, i) => i + 1);
 * const series = summarizeSeries(time, [{ name: "q:a", values: time.map((t) => Math.cos(0.3 * t)) }]);
 * console.log(trajectoryFigure({ source: "demo.csv", series }).title); // => Trajectory demo.csv
 * ```
 */
export function trajectoryFigure(spec: TrajectoryFigureSpec): Figure {
  checkSpec(spec, "trajectory figure", ["series"], ["series"]);
  spec.series.forEach((s, k) => checkSpec(s, `trajectory figure: series[${k}]`, ["time", "values", "lag", "rho"]));
  const timeLabel = spec.timeLabel ?? "time t";
  const tauText = (s: TrajectorySeries) =>
    `τ = ${g(s.tau)}${s.converged ? "" : " (lower bound: the run is too short)"}`;
  const values: Series[] = spec.series.map((s) => ({ name: s.name, x: s.time, y: s.values, strokeWidth: 1 }));
  const acf: Series[] = spec.series.map((s) => ({ name: s.name, x: s.lag, y: s.rho, strokeWidth: 1.5 }));
  const a = linePanel({ title: "time series", xLabel: timeLabel, yLabel: "value", series: values });
  const b = linePanel({
    title: "autocorrelation",
    xLabel: "lag (time)",
    yLabel: "ρ(lag)",
    series: acf,
    referenceLines: [{ y: 0, color: "#888", style: "dotted" }],
  });
  const table: Table = { columns: ["column", "tau", "converged"], rows: [] };
  for (const s of spec.series) table.rows.push([s.name, s.tau, s.converged ? "yes" : "no"]);
  const caption =
    `(a) ${spec.series.map((s) => s.name).join(", ")} against time; (b) their autocorrelation ρ(lag) = C(lag)/C(0), ` +
    `integrated autocorrelation times ${spec.series.map((s) => `${s.name}: ${tauText(s)}`).join("; ")} (in time units; Sokal's window, c = 5).` +
    (spec.provenance ? ` ${spec.provenance}` : "");
  return panelFigure({
    name: spec.name ?? "trajectory",
    title: `Trajectory ${spec.source}`,
    caption,
    panels: [a, b],
    columns: 1,
    legend: "shared",
    table,
  });
}
