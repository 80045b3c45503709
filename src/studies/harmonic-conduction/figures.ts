/**
 * Figures of harmonic heat conduction, built from data with the shared chart builders (they compute nothing): the
 * transmission spectrum of a network's baths, the current against the chain length on log axes with the fitted
 * power law, and kinetic-temperature profiles with their error bars.
 */
import { lineChart, type Series } from "../../figures/charts.js";
import type { Figure, Table } from "../../figures/figure.js";
import type { SpectrumSeries } from "./spectrum.js";

const COLORS = ["blue", "orange", "green", "red", "purple", "brown", "pink", "gray", "olive", "cyan"];

/** T_bc(omega) of every pair of baths (the envelope for the plot; `table`: every sample, for the CSV). */
export function spectrumFigure(data: {
  name?: string;
  title: string;
  series: SpectrumSeries[];
  table: Table;
  caption?: string;
}): Figure {
  return lineChart({
    name: data.name ?? "transmission-spectrum",
    title: data.title,
    caption:
      data.caption ??
      "Transmission T_bc(omega) = 4 omega^2 gamma_b gamma_c |G_bc(omega)|^2 between every pair of baths, " +
        "G(omega) = [V - omega^2 M - i omega Gamma]^-1; the heat current from bath b is J_b = sum_c int (d omega / 2 pi) T_bc (T_b - T_c). " +
        "The curve is the envelope (smallest and largest value) of the sampled spectrum in ~1500 frequency bins; the CSV has every sample.",
    xLabel: "angular frequency ω",
    yLabel: "transmission T(ω)",
    series: data.series.map((s, k) => ({
      name: s.name,
      x: s.omega,
      y: s.transmission,
      color: COLORS[k % COLORS.length],
      strokeWidth: 1.2,
    })),
    table: data.table,
    width: 720,
    height: 360,
  });
}

export interface ScalingSeries {
  name: string;
  N: number[];
  J: number[];
  /** Error bar of each J (spread over disorder realisations, or the quadrature error). */
  err?: number[];
  /** The fitted power law J = A N^-alpha, drawn over the same N. */
  fit?: { A: number; alpha: number; alphaError: number };
}

/** Current against chain length on log-log axes, each series with its fitted exponent. */
export function scalingFigure(data: {
  name: string;
  title: string;
  caption: string;
  series: ScalingSeries[];
  table: Table;
}): Figure {
  const series: Series[] = [];
  data.series.forEach((s, k) => {
    const color = COLORS[k % COLORS.length];
    series.push({ name: s.name, x: s.N, y: s.J, err: s.err, color, line: false, marker: "circle" });
    if (s.fit) {
      const { A, alpha, alphaError } = s.fit;
      series.push({
        name: `fit: alpha = ${alpha.toFixed(3)} ± ${alphaError.toFixed(3)}`,
        x: s.N,
        y: s.N.map((n) => A * n ** -alpha),
        color,
        style: "dashed",
        strokeWidth: 1.5,
      });
    }
  });
  return lineChart({
    name: data.name,
    title: data.title,
    caption: data.caption,
    xLabel: "chain length N",
    yLabel: "heat current J",
    xType: "log",
    yType: "log",
    series,
    table: data.table,
    width: 620,
    height: 400,
  });
}

export interface ProfileSeries {
  name: string;
  /** Site position (index, or column of a strip). */
  x: number[];
  temperature: number[];
  err?: number[];
}

/** Kinetic-temperature profiles along a chain or strip, with error bars and the bath temperatures as references. */
export function profileFigure(data: {
  name: string;
  title: string;
  caption: string;
  xLabel: string;
  series: ProfileSeries[];
  references: { y: number; label: string }[];
  table: Table;
}): Figure {
  return lineChart({
    name: data.name,
    title: data.title,
    caption: data.caption,
    xLabel: data.xLabel,
    yLabel: "kinetic temperature <p²>/m",
    series: data.series.map((s, k) => ({
      name: s.name,
      x: s.x,
      y: s.temperature,
      err: s.err,
      color: COLORS[k % COLORS.length],
      strokeWidth: 1.5,
      marker: s.x.length <= 80 ? "circle" : undefined,
    })),
    referenceLines: data.references.map((r) => ({ y: r.y, label: r.label, color: "gray", style: "dotted" })),
    // Sites (columns) 1..N: half a site of margin each side (a nice domain left 32..35 empty on a 32-site chain).
    xDomain: [0.5, Math.max(1, ...data.series.flatMap((s) => s.x)) + 0.5],
    table: data.table,
    width: 680,
    height: 380,
  });
}
