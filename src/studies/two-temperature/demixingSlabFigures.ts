/**
 * fig10 of `ness reproduce two-temperature`: the separated (slab) start against the random start (demixingSlab.ts).
 * (a) the composition profile across the slab early and late at T_hot / T_cold = 1, 3, 100; (b) the retention of the
 * composition mode across the slab in time; (c) S_cc(q_min) / N against N from both starts. Pure: draws the runs the
 * figure set computes (definition.ts). Browser-safe.
 */
import { linePanel, panelFigure, type Series } from "../../figures/charts.js";
import type { Figure } from "../../figures/figure.js";
import type { DemixingParams, MeasuredValue } from "./demixing.js";
import type { DemixingVerdict } from "./demixingBounds.js";
import { SLAB_BOUNDS, slabStartLowQ, type DemixingSlab, type SlabVerdict } from "./demixingSlab.js";

const fmt = (x: number, digits = 3) => Number(x.toPrecision(digits)).toString();

/** One run of the slab figure: its start, parameters and what the figure draws. */
export interface DemixingSlabRun {
  start: "random" | "slab";
  parameters: DemixingParams;
  /** S_cc(q_min): the late window's (slab start) or the production run's (random start: its window is the same). */
  sccLowQ: Pick<MeasuredValue, "value" | "error" | "batches">;
  slab?: DemixingSlab;
}

export interface DemixingSlabFigureData {
  quick: boolean;
  /** The size whose profiles and retention are drawn. */
  profileN: number;
  runs: DemixingSlabRun[];
  /** Per temperature ratio: the slab test at the largest size, and the combined verdict where both starts ran. */
  verdicts: { ratio: number; slab: SlabVerdict; combined?: DemixingVerdict; reasons?: string[] }[];
}

const ratioOf = (p: DemixingParams) => p.Thot / p.Tcold;
const COLORS: Record<string, string> = { "1": "blue", "3": "orange", "100": "red" };
const colorOf = (ratio: number, i: number) => COLORS[String(Math.round(ratio))] ?? ["green", "purple", "brown"][i % 3];

/** The figure (see the module header). */
export function demixingSlabFigure(d: DemixingSlabFigureData): Figure {
  const width = d.quick ? 380 : 430,
    height = d.quick ? 300 : 330;
  const profileRuns = d.runs.filter((r) => r.start === "slab" && r.parameters.N === d.profileN && r.slab);
  const p0 = profileRuns[0].parameters;
  const x = profileRuns[0].slab!;
  const coldX = Math.round(p0.coldFraction * p0.N) / p0.N;
  const verdictOf = (ratio: number) => d.verdicts.find((v) => v.ratio === ratio);
  const label = (ratio: number) => {
    const v = verdictOf(ratio);
    return `T_hot/T_cold\u00a0=\u00a0${fmt(ratio)}${v ? ` (slab ${v.slab})` : ""}`;
  };
  // (a) profiles: positions across the box relative to the slab's centre at the start, in units of the box side.
  const profileAt = (s: DemixingSlab, k: number) => {
    const pts = s.binCentre.map((c, b) => {
      let u = (c - s.centre) / s.boxSide;
      u -= Math.round(u);
      return { u, c: s.profile[k][b] };
    });
    pts.sort((a, b) => a.u - b.u);
    return { x: pts.map((p) => p.u), y: pts.map((p) => p.c) };
  };
  const early = (s: DemixingSlab) => {
    const target = 0.1 * s.time[s.time.length - 1];
    let k = 1;
    while (k < s.time.length - 1 && s.time[k] < target) k++;
    return k;
  };
  const profileSeries: Series[] = [
    {
      name: "start (t = 0, replicas pooled)",
      ...profileAt(x, 0),
      color: "gray",
      style: "dotted",
    },
    ...profileRuns.flatMap((r, i) => {
      const s = r.slab!,
        ratio = ratioOf(r.parameters),
        ke = early(s),
        kl = s.time.length - 1;
      return [
        {
          name: `${label(ratio)}, t = ${fmt(s.time[ke])}`,
          ...profileAt(s, ke),
          color: colorOf(ratio, i),
          style: "dashed" as const,
        },
        {
          name: `${label(ratio)}, t = ${fmt(s.time[kl])}`,
          ...profileAt(s, kl),
          color: colorOf(ratio, i),
          marker: "circle" as const,
        },
      ];
    }),
  ];
  const panels = [
    linePanel({
      title: `cold fraction across the slab, N = ${d.profileN}`,
      xLabel: "(x − slab centre) / L",
      yLabel: "cold fraction",
      xColumn: "x_over_L",
      yColumn: "cold_fraction",
      xDomain: [-0.5, 0.5],
      yDomain: [0, 1.05],
      series: profileSeries,
      referenceLines: [{ y: coldX, label: "random start", color: "gray", style: "dotted" }],
      width,
      height,
    }),
    // (b) retention of the composition mode across the slab in time.
    linePanel({
      title: `composition mode across the slab, N = ${d.profileN}`,
      xLabel: "t",
      yLabel: "retention r (1 start, 0 mixed)",
      xColumn: "t",
      yColumn: "retention",
      series: profileRuns.map((r, i) => ({
        name: label(ratioOf(r.parameters)),
        x: r.slab!.time,
        y: r.slab!.retention,
        err: r.slab!.retentionError,
        color: colorOf(ratioOf(r.parameters), i),
        marker: "circle" as const,
      })),
      referenceLines: [
        { y: SLAB_BOUNDS.retention, label: "bound", color: "gray", style: "dotted" },
        { y: 0, color: "gray", style: "solid" },
      ],
      width,
      height,
    }),
  ];
  // (c) S_cc(q_min) / N against N from both starts, with the stripe's exact start value and the ideal mixture's.
  const groups = new Map<string, DemixingSlabRun[]>();
  for (const r of d.runs) {
    const key = `${r.start}:${ratioOf(r.parameters)}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const sizeSeries: Series[] = [];
  let i = 0;
  for (const [key, runs] of groups) {
    const sorted = [...runs].sort((a, b) => a.parameters.N - b.parameters.N);
    if (sorted.length < 2) continue;
    const ratio = ratioOf(sorted[0].parameters);
    sizeSeries.push({
      name: key.startsWith("slab")
        ? `slab start, ${label(ratio)}`
        : `random start, T_hot/T_cold\u00a0=\u00a0${fmt(ratio)}${verdictOf(ratio)?.combined ? ` (both starts: ${verdictOf(ratio)!.combined})` : ""}`,
      x: sorted.map((r) => r.parameters.N),
      y: sorted.map((r) => r.sccLowQ.value / r.parameters.N),
      err: sorted.map((r) => r.sccLowQ.error / r.parameters.N),
      color: colorOf(ratio, i++),
      marker: key.startsWith("slab") ? ("circle" as const) : ("square" as const),
      style: key.startsWith("slab") ? ("solid" as const) : ("dashed" as const),
    });
  }
  const sizes = [...new Set(d.runs.map((r) => r.parameters.N))].sort((a, b) => a - b);
  const ideal = coldX * (1 - coldX);
  const stripeAt = (N: number) =>
    slabStartLowQ(
      N,
      Math.round(p0.coldFraction * N),
      Math.sqrt((N * Math.PI * p0.range ** 2) / (4 * p0.phi)),
      p0.range,
    ) / N;
  sizeSeries.push(
    {
      name: "stripe at the start (exact)",
      x: sizes,
      y: sizes.map(stripeAt),
      color: "gray",
      style: "dashed",
      strokeWidth: 1,
    },
    {
      name: "ideal mixture x(1 − x)/N",
      x: sizes,
      y: sizes.map((N) => ideal / N),
      color: "gray",
      style: "dotted",
      strokeWidth: 1,
    },
  );
  panels.push(
    linePanel({
      title: "S_cc(q_min)/N against N, both starts",
      xLabel: "N",
      yLabel: "S_cc(q_min) / N",
      xColumn: "N",
      yColumn: "S_cc_qmin_over_N",
      xType: "log",
      yType: "log",
      xDomain: [sizes[0] / 1.3, sizes[sizes.length - 1] * 1.3],
      series: sizeSeries,
      width,
      height,
    }),
  );
  const rate = (r: DemixingSlabRun) => `${fmt(r.parameters.time)}`;
  // The cold disks' interdiffusion time of the largest ratio's largest slab run: what "persists" would need.
  const slowest = d.runs
    .filter((r) => r.slab)
    .reduce((a, b) => (b.slab!.coldTime > a.slab!.coldTime ? b : a), profileRuns[0]);
  const coldNote = ` (${fmt(slowest.slab!.coldTime)} at T_hot/T_cold = ${fmt(ratioOf(slowest.parameters))}, N = ${slowest.parameters.N})`;
  const top = d.verdicts.find((v) => v.combined !== undefined);
  return panelFigure({
    name: "fig10-demixing-slab",
    title: `Demixing from a separated start: the slab persists or dissolves (phi = ${p0.phi}, T_hot = ${fmt(p0.Thot)})${d.quick ? " (quick: not resolved)" : ""}`,
    caption:
      `N soft disks (half cold), Heun, dt = ${fmt(p0.dt)}, ${p0.replicas} replicas per point over t = ${rate(profileRuns[0])}, random seeds from ${p0.seed}. ` +
      `Slab start: the cold disks in a stripe across the periodic box, the hot ones in the rest, same density. (a) Cold fraction in 16 bins across the box (box frame, replicas pooled) at an early and the last time; ` +
      `(b) retention r = (S_n − x(1 − x))/(S_stripe − x(1 − x)) of the composition mode across the slab (mean ± standard error over replicas); ` +
      `(c) S_cc at the smallest |q| over N: slab start over the last quarter of the run, random start over the same window; a separated state keeps S_cc(q_min) ∝ N, a mixture x(1 − x). ` +
      `Slab test: persists when r ≥ ${SLAB_BOUNDS.retention}, the hot disks' density in the slab's core ≤ ${SLAB_BOUNDS.hotExcluded} of their mean and the slab compressed, at the Student-t threshold of the replicas, after the cold disks' interdiffusion time (L/2π)²/T_cold${coldNote}; dissolves when r ≤ ${SLAB_BOUNDS.retention} and the slab has expanded. ` +
      (top ? `Both starts at T_hot/T_cold = ${fmt(top.ratio)}: ${top.combined}. ` : "") +
      `Method: docs/studies/two-temperature.md, "The separated start".`,
    panels,
    columns: 3,
    legend: "per-panel",
  });
}
