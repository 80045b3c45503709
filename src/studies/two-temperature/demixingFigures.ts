/**
 * Figures of the lecture notes' Section 3.3 (demixing of hot and cold soft disks without attraction): snapshots at equal
 * temperatures and at large T_hot / T_cold, coloured by temperature (fig4); the neighbour order parameter psi and
 * the largest cold cluster against T_hot / T_cold for a few area fractions, with the time series of psi from the
 * random start (fig5). Pure: they draw the runs of the study (definition.ts computes them). Browser-safe.
 */
import {
  linePanel,
  panelFigure,
  particleScatterPanel,
  type ParticleScatterSpec,
  type Series,
} from "../../figures/charts.js";
import type { Figure } from "../../figures/figure.js";
import type { DemixingResult, DemixingSweep, MeasuredValue } from "./demixing.js";

const fmt = (x: number, digits = 3) => Number(x.toPrecision(digits)).toString();
/** "0.31 ± 0.01" with the error to two significant digits and the value to the same decimal place. */
export function formatMeasured(m: MeasuredValue): string {
  if (!(m.error > 0) || !Number.isFinite(m.error)) return `${fmt(m.value)} ± ${fmt(m.error, 2)}`;
  const decimals = Math.max(0, 1 - Math.floor(Math.log10(m.error)));
  return `${m.value.toFixed(decimals)} ± ${m.error.toFixed(decimals)}${m.reliable ? "" : "*"}`;
}

/** Replica 0's final configuration as disks to scale, hot and cold, for a particle scatter panel or figure. */
export function snapshotDisks(r: {
  snapshot: { x: ArrayLike<number>; cold: ArrayLike<number>; box: [number, number] };
  parameters: { range: number };
}): Pick<ParticleScatterSpec, "box" | "x" | "y" | "category" | "categories" | "radius"> {
  const snap = r.snapshot,
    N = snap.cold.length;
  return {
    box: snap.box,
    x: Array.from({ length: N }, (_, a) => snap.x[2 * a]),
    y: Array.from({ length: N }, (_, a) => snap.x[2 * a + 1]),
    category: Array.from(snap.cold, (c) => (c ? "cold" : "hot")),
    categories: [
      { name: "hot", label: "hot disks" },
      { name: "cold", label: "cold disks" },
    ],
    radius: 0.5 * r.parameters.range,
  };
}

/** The runs of the snapshot figure: equal temperatures (mixed) beside growing temperature ratios. */
export type DemixingRun = Pick<
  DemixingResult,
  "parameters" | "nCold" | "psi" | "coldNeighbourFraction" | "largestCluster" | "entropyProduction" | "snapshot"
>;

/** Snapshots of replica 0 at the end of its run: equal temperatures (mixed) beside growing temperature ratios. */
export function demixingSnapshotFigure(runs: DemixingRun[], options: { quick?: boolean } = {}): Figure {
  const quick = options.quick ?? false;
  const p0 = runs[0].parameters;
  const size = quick ? 300 : 400;
  const panels = runs.map((r) => {
    const ratio = r.parameters.Thot / r.parameters.Tcold;
    return particleScatterPanel({
      title: `T_hot/T_cold = ${fmt(ratio)}: psi = ${formatMeasured(r.psi)}`,
      ...snapshotDisks(r),
      size,
    });
  });
  const seeds = runs.map((r) => r.parameters.seed).join(", ");
  return panelFigure({
    name: "fig5-demixing-snapshots",
    title: `Hot and cold soft disks demix without attraction (N = ${p0.N}, phi = ${p0.phi}, T_hot = ${fmt(p0.Thot)})`,
    caption:
      `After Section 3.3 of [Metzger 2026]. ${runs.length} runs of N = ${p0.N} soft disks (${runs[0].nCold} cold), area fraction ${p0.phi}, ` +
      `k = ${fmt(p0.stiffness)}, range ${fmt(p0.range)}; Heun, dt = ${fmt(p0.dt)}, ${p0.replicas} replicas x (burn-in ${fmt(p0.burnIn)} + ${fmt(p0.time)}), ` +
      `random seeds ${seeds}; replica 0 at the end of its run, disks to scale. At equal temperatures psi = 0 in expectation (mixed); ` +
      `at large T_hot / T_cold the cold disks gather into domains in a hot gas. psi, error bars (*: fewer than 16 values) and the ` +
      `entropy production (in the .results.json) are defined in docs/studies/two-temperature.md.`,
    panels,
    columns: panels.length,
  });
}

/** The sweep of the map figure: psi and the largest cold cluster for each (area fraction, ratio). */
export type DemixingMap = Pick<DemixingSweep, "ratios" | "phis" | "psi"> & {
  runs: Pick<DemixingResult, "parameters" | "psi" | "largestCluster" | "series">[][];
};

/** psi and the largest cold cluster against T_hot / T_cold for a few area fractions, and psi against time. */
export function demixingMapFigure(sweep: DemixingMap, options: { quick?: boolean } = {}): Figure {
  const quick = options.quick ?? false;
  const p0 = sweep.runs[0][0].parameters;
  const colors = ["blue", "orange", "green", "red", "purple"];
  const markers = ["circle", "square", "triangle", "diamond"] as const;
  const seriesOf = (pick: (r: DemixingMap["runs"][number][number]) => MeasuredValue): Series[] =>
    sweep.phis.map((phi, i) => ({
      name: `phi = ${phi}`,
      x: sweep.ratios,
      y: sweep.runs[i].map((r) => pick(r).value),
      err: sweep.runs[i].map((r) => pick(r).error),
      color: colors[i % colors.length],
      marker: markers[i % markers.length],
    }));
  const top = sweep.ratios.length - 1;
  // Coarsening: psi from the random start at the largest ratio for every phi, and at equal temperatures for one phi.
  const mid = Math.floor(sweep.phis.length / 2);
  const timeSeries: Series[] = sweep.phis.map((phi, i) => {
    const hi = sweep.runs[i][top];
    return { name: `phi = ${phi}`, x: hi.series.time, y: hi.series.psi, color: colors[i % colors.length] };
  });
  const eq = sweep.runs[mid][0];
  if (eq.parameters.Thot === eq.parameters.Tcold) {
    timeSeries.push({
      name: `T_hot = T_cold, phi = ${sweep.phis[mid]}`,
      x: eq.series.time,
      y: eq.series.psi,
      color: "gray",
      style: "dotted",
      strokeWidth: 1.5,
    });
  }
  const width = quick ? 400 : 440;
  const height = quick ? 300 : 320;
  // At equal temperatures psi vanishes in expectation: say how far the measured values are from 0.
  const z = sweep.ratios[0] === 1 ? Math.max(...sweep.psi.map((row) => Math.abs(row[0].value) / row[0].error)) : NaN;
  const equalT = !Number.isFinite(z)
    ? ""
    : `At T_hot = T_cold psi must vanish in expectation (the labels are exchangeable): the measured values lie ` +
      (z < 4 ? "within 4 standard errors of 0." : `up to ${fmt(z, 2)} standard errors from 0.`);
  return panelFigure({
    name: "fig6-demixing-map",
    title: `Demixing of hot and cold soft disks against T_hot / T_cold and area fraction (N = ${p0.N}, T_hot = ${fmt(p0.Thot)})`,
    caption:
      `After Section 3.3 of [Metzger 2026]. N = ${p0.N} soft disks (half cold), k = ${fmt(p0.stiffness)}, range ${fmt(p0.range)}, ` +
      `T_hot = ${fmt(p0.Thot)} fixed, T_cold = T_hot / ratio; Heun, dt = ${fmt(p0.dt)}, ${p0.replicas} replicas x (burn-in ${fmt(p0.burnIn)} + ${fmt(p0.time)}), ` +
      `random seeds ${p0.seed} to ${p0.seed + sweep.phis.length * sweep.ratios.length - 1}. (a) psi; (b) the largest cold cluster (it grows with ` +
      `phi even for random labels); (c) psi from the random start at T_hot / T_cold = ${fmt(sweep.ratios[top])} (solid) and at equal ` +
      `temperatures (dotted): the domains coarsen slowly. ${equalT} Definitions: docs/studies/two-temperature.md.`,
    panels: [
      linePanel({
        title: "neighbour order parameter psi",
        xLabel: "T_hot / T_cold",
        yLabel: "psi",
        xType: "log",
        series: seriesOf((r) => r.psi),
        referenceLines: [{ y: 0, color: "gray", style: "dotted" }],
        width,
        height,
      }),
      linePanel({
        title: "largest cold cluster / N_cold",
        xLabel: "T_hot / T_cold",
        yLabel: "largest cluster fraction",
        xType: "log",
        series: seriesOf((r) => r.largestCluster),
        width,
        height,
      }),
      linePanel({
        title: `psi against time (T_hot / T_cold = ${fmt(sweep.ratios[top])} and 1)`,
        xLabel: "time (burn-in included)",
        yLabel: "psi",
        series: timeSeries,
        referenceLines: [
          { y: 0, color: "gray", style: "dotted" },
          { x: p0.burnIn, label: "end of burn-in", color: "gray", style: "dashed", labelAt: "start" },
        ],
        width,
        height,
      }),
    ],
    columns: 3,
    legend: "per-panel",
  });
}
