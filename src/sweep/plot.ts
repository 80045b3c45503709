/**
 * Figures of a sweep from its stored points (pure: no file, no engine): a line chart of an output against an axis,
 * one line per value of a --color axis, with error bars where the output is a measured (stochastic) one; or a heatmap
 * of an output over two axes. Browser-safe.
 */
import { SweepError } from "../errors.js";
import { heatmapFigure, lineChart } from "../figures/charts.js";
import type { Figure } from "../figures/figure.js";

export interface SweepRow {
  values: number[];
  outputs: Record<string, number>;
  /** Per stochastic output, whether its error bar is reliable (absent: a store that kept no flags). */
  reliable?: Record<string, boolean>;
}

export interface SweepPlotSpec {
  axes: string[];
  columns: string[];
  rows: SweepRow[];
  x: string;
  y: string;
  color?: string;
  title?: string;
}

const distinct = (v: number[]) => [...new Set(v)].sort((a, b) => a - b);

/** Evenly spaced in log (a log range) over more than a decade: drawn on a log axis. */
function looksLog(v: number[]): boolean {
  if (v.length < 3 || !(v[0] > 0) || v[v.length - 1] / v[0] < 10) return false;
  const r = v[1] / v[0];
  return v.every((x, i) => i === 0 || Math.abs(x / v[i - 1] / r - 1) < 1e-6);
}

export function sweepFigure(s: SweepPlotSpec): Figure {
  const axisIndex = (name: string, flag: string) => {
    const k = s.axes.indexOf(name);
    if (k < 0) throw new SweepError(`${flag} ${name}: not an axis of this sweep (axes: ${s.axes.join(", ")})`);
    return k;
  };
  const output = (name: string, flag: string) => {
    if (!s.columns.includes(name) || (name.endsWith(".error") && s.columns.includes(name.slice(0, -6)))) {
      throw new SweepError(
        `${flag} ${name}: not an output of this sweep (outputs: ${s.columns.filter((c) => !c.endsWith(".error")).join(", ")})`,
      );
    }
    return name;
  };
  if (s.rows.length === 0) throw new SweepError("the sweep has no computed points yet");
  const xi = axisIndex(s.x, "--x");
  const title = s.title ?? "Sweep";
  if (s.axes.includes(s.y)) {
    // Heatmap: two axes, the output in colour.
    const yi = axisIndex(s.y, "--y");
    if (s.color === undefined) throw new SweepError(`--y ${s.y} is an axis: a heatmap needs --color OUTPUT`);
    const c = output(s.color, "--color");
    checkOthers(s, [xi, yi]);
    const xs = distinct(s.rows.map((r) => r.values[xi]));
    const ys = distinct(s.rows.map((r) => r.values[yi]));
    const grid: number[][] = ys.map(() => xs.map(() => NaN));
    for (const r of s.rows) grid[ys.indexOf(r.values[yi])][xs.indexOf(r.values[xi])] = r.outputs[c];
    const missing = grid.flat().filter((v) => Number.isNaN(v)).length;
    if (missing > 0)
      throw new SweepError(
        `a heatmap needs a full grid of ${s.x} x ${s.y}: ${missing} of ${xs.length * ys.length} cells have no result (a Latin hypercube or a failed point?)`,
      );
    return heatmapFigure({
      name: `${c} over ${s.x} and ${s.y}`,
      title,
      caption: `${c} over ${s.x} and ${s.y}.`,
      xLabel: s.x,
      yLabel: s.y,
      x: xs,
      y: ys,
      values: grid,
      color: { label: c },
    });
  }
  const y = output(s.y, "--y");
  const ci = s.color !== undefined ? axisIndex(s.color, "--color") : -1;
  if (ci === xi) throw new SweepError("--color must be another axis than --x");
  checkOthers(s, ci >= 0 ? [xi, ci] : [xi]);
  const err = s.columns.includes(`${y}.error`) ? `${y}.error` : undefined;
  // Unreliable points (flag false) drawn hollow, when the store kept the flags.
  const flagged = err !== undefined && s.rows.some((r) => r.reliable?.[y] !== undefined);
  const groups = ci >= 0 ? distinct(s.rows.map((r) => r.values[ci])) : [NaN];
  const series = groups.map((g) => {
    const rows = s.rows.filter((r) => ci < 0 || r.values[ci] === g).sort((a, b) => a.values[xi] - b.values[xi]);
    return {
      name: ci >= 0 ? `${s.color} = ${Number(g.toPrecision(4))}` : y,
      x: rows.map((r) => r.values[xi]),
      y: rows.map((r) => r.outputs[y]),
      ...(err ? { err: rows.map((r) => r.outputs[err]) } : {}),
      ...(flagged ? { hollow: rows.map((r) => r.reliable?.[y] !== true) } : {}),
      marker: "circle" as const,
    };
  });
  return lineChart({
    name: `${y} vs ${s.x}`,
    title,
    caption:
      `${y} against ${s.x}${err ? " (error bars: one standard error)" : ""}.` +
      (flagged && s.rows.some((r) => r.reliable?.[y] !== true)
        ? " Hollow markers: points whose error bar is not reliable (see the sweep's .note column)."
        : ""),
    xLabel: s.x,
    yLabel: y,
    series,
    xType: looksLog(distinct(s.rows.map((r) => r.values[xi]))) ? "log" : "linear",
  });
}

/** The axes not drawn must be constant (one value), or the figure would mix points. */
function checkOthers(s: SweepPlotSpec, drawn: number[]): void {
  const varying = s.axes.filter((_, k) => !drawn.includes(k) && distinct(s.rows.map((r) => r.values[k])).length > 1);
  if (varying.length > 0)
    throw new SweepError(
      `the sweep also varies ${varying.join(", ")}: draw it with --color (one line per value) or as a heatmap (--y AXIS --color OUTPUT)`,
    );
}
