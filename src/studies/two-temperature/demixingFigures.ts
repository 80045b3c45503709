/**
 * Figures of the lecture notes' Section 3.3 (demixing of hot and cold soft disks without attraction): snapshots at equal
 * temperatures and at large T_hot / T_cold, coloured by temperature (fig4); the neighbour order parameter psi and
 * the largest cold cluster against T_hot / T_cold for a few area fractions, with the time series of psi from the
 * random start (fig5). Pure: they draw the runs of the study (definition.ts computes them). Browser-safe.
 */
import { linePanel, panelFigure, particleScatterPanel, type ParticleScatterSpec, type Series } from "../../figures/charts.js";
import type { Figure } from "../../figures/figure.js";
import type { DemixingResult, DemixingSweep, MeasuredValue } from "./demixing.js";

const fmt = (x: number, digits = 3) => Number(x.toPrecision(digits)).toString();
/** "0.31 ± 0.01" with the error to two significant digits and the value to the same decimal place. */
export function formatMeasured(m: MeasuredValue): string {
  if (!(m.error > 0) || !Number.isFinite(m.error)) return `${fmt(m.value)} ± ${fmt(m.error, 2)}`;
  const decimals = Math.max(0, 1 - Math.floor(Math.log10(m.error)));
  return `${m.value.toFixed(decimals)} ± ${m.error.toFixed(decimals)}${m.reliable ? "" : "*"}`;
}

const conventions =
  "Overdamped, mobility 1, kB = 1: r' = -grad U + sqrt(2 T) xi, each species in its own bath; U is the soft repulsion of " +
  "the lecture notes' eq. 26, (k/2)(1 - r/range)^2, acting for r < range (the cutoff is the length scale, physics-notes.md, not r < 1); " +
  "disks of diameter range, area fraction phi = N pi range^2 / (4 L^2) in a periodic square box of side L; random initial positions (mixed).";

const orderParameters = (cutoff: number) =>
  `Order parameters: f_cc = 2 n_cc / (2 n_cc + n_ch), the cold fraction of a cold disk's neighbours (centres closer than ${fmt(cutoff)} range), ` +
  "and psi = (f_cc - f_random) / (1 - f_random) with f_random = (N_cold - 1)/(N - 1), the value for exchangeable labels (psi = 0: mixed, 1: separated); " +
  "largest cluster = the largest connected group of cold neighbours over N_cold.";

const errorBars =
  "Error bars: one standard error from the independent replicas (each replica's average over its production run is one value: " +
  "batches cut from one run would be correlated through slow composition fluctuations); * marks an error bar from fewer than 16 values, " +
  "the project's threshold for a trusted error bar.";

/** Replica 0's final configuration as disks to scale, hot and cold, for a particle scatter panel or figure. */
export function snapshotDisks(r: {
  snapshot: { x: ArrayLike<number>; cold: ArrayLike<number>; box: [number, number] };
  parameters: { range: number };
}): Pick<ParticleScatterSpec, "box" | "x" | "y" | "category" | "categories" | "radius"> {
  const snap = r.snapshot, N = snap.cold.length;
  return {
    box: snap.box,
    x: Array.from({ length: N }, (_, a) => snap.x[2 * a]),
    y: Array.from({ length: N }, (_, a) => snap.x[2 * a + 1]),
    category: Array.from(snap.cold, (c) => (c ? "cold" : "hot")),
    categories: [{ name: "hot", label: "hot disks" }, { name: "cold", label: "cold disks" }],
    radius: 0.5 * r.parameters.range,
  };
}

/** The runs of the snapshot figure: equal temperatures (mixed) beside growing temperature ratios. */
export type DemixingRun = Pick<DemixingResult, "parameters" | "nCold" | "psi" | "coldNeighbourFraction" | "largestCluster" | "entropyProduction" | "snapshot">;

/** Snapshots of replica 0 at the end of its run: equal temperatures (mixed) beside growing temperature ratios. */
export function demixingSnapshotFigure(runs: DemixingRun[], options: { quick?: boolean } = {}): Figure {
  const quick = options.quick ?? false;
  const p0 = runs[0].parameters;
  const size = quick ? 300 : 400;
  const panels = runs.map((r) => {
    const ratio = r.parameters.Thot / r.parameters.Tcold;
    return particleScatterPanel({ title: `T_hot/T_cold = ${fmt(ratio)}: psi = ${formatMeasured(r.psi)}`, ...snapshotDisks(r), size });
  });
  const details = runs.map((r) =>
    `T_hot / T_cold = ${fmt(r.parameters.Thot / r.parameters.Tcold)} (T_cold = ${fmt(r.parameters.Tcold)}, random seed ${r.parameters.seed}): ` +
    `psi = ${formatMeasured(r.psi)}, f_cc = ${formatMeasured(r.coldNeighbourFraction)}, largest cold cluster ${formatMeasured(r.largestCluster)}, ` +
    `entropy production ${formatMeasured(r.entropyProduction)}`).join("; ");
  return panelFigure({
    name: "fig5-demixing-snapshots",
    title: `Hot and cold soft disks demix without attraction (N = ${p0.N}, phi = ${p0.phi}, T_hot = ${fmt(p0.Thot)})`,
    caption:
      `Lecture notes (J. Metzger, MIT 8.808/8.308 IAP 2026, Recitation 5), Section 3.3. ${runs.length} runs of N = ${p0.N} disks (${runs[0].nCold} cold) at area fraction ${p0.phi}, ` +
      `k = ${fmt(p0.stiffness)}, range ${fmt(p0.range)}, T_hot = ${fmt(p0.Thot)} (T_hot / k = ${fmt(p0.Thot / p0.stiffness)}: nearly hard disks), ` +
      `stochastic engine (Heun), dt = ${fmt(p0.dt)}, burn-in ${fmt(p0.burnIn)}, then ${fmt(p0.time)} sampled every ${fmt(p0.sampleInterval)}; ` +
      `${p0.replicas} replicas each; snapshots of replica 0 at the end of its run, disks drawn to scale. ` +
      `At equal temperatures the system is in equilibrium and the labels are exchangeable (psi = 0 exactly in expectation); at large ` +
      `T_hot / T_cold the cold disks gather into cold-rich domains surrounded by a hot gas. ${details}. ` +
      `Entropy production: the whole system's rate from the engine's Stratonovich estimator (the lecture notes' eq. 23 with the sign of physics-notes.md); ` +
      `it vanishes at equal temperatures (each pair's heats sum to its exact energy change, so the estimator has no quadrature bias there). ${orderParameters(p0.neighbourCutoff)} ${errorBars} ${conventions}`,
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
    timeSeries.push({ name: `T_hot = T_cold, phi = ${sweep.phis[mid]}`, x: eq.series.time, y: eq.series.psi, color: "gray", style: "dotted", strokeWidth: 1.5 });
  }
  const width = quick ? 400 : 440;
  const height = quick ? 300 : 320;
  // At equal temperatures psi vanishes in expectation: say how far the measured values are from 0.
  const z = sweep.ratios[0] === 1 ? Math.max(...sweep.psi.map((row) => Math.abs(row[0].value) / row[0].error)) : NaN;
  const equalT = !Number.isFinite(z) ? "" :
    `At T_hot = T_cold psi must vanish in expectation (the labels are exchangeable): the measured values lie ` +
    (z < 4 ? "within 4 standard errors of 0." : `up to ${fmt(z, 2)} standard errors from 0.`);
  const demixed = sweep.phis.map((phi, i) => {
    const cells = sweep.ratios.map((ratio, j) => `${fmt(ratio)}: ${formatMeasured(sweep.psi[i][j])}`).join(", ");
    return `phi = ${phi}: psi at T_hot / T_cold = ${cells}`;
  }).join("; ");
  return panelFigure({
    name: "fig6-demixing-map",
    title: `Demixing of hot and cold soft disks against T_hot / T_cold and area fraction (N = ${p0.N}, T_hot = ${fmt(p0.Thot)})`,
    caption:
      `Lecture notes (J. Metzger, MIT 8.808/8.308 IAP 2026, Recitation 5), Section 3.3. For each area fraction and temperature ratio: N = ${p0.N} disks (half cold), k = ${fmt(p0.stiffness)}, ` +
      `range ${fmt(p0.range)}, T_hot = ${fmt(p0.Thot)} held fixed and T_cold = T_hot / ratio; stochastic engine (Heun), dt = ${fmt(p0.dt)}, ` +
      `${p0.replicas} replicas x (burn-in ${fmt(p0.burnIn)} + ${fmt(p0.time)} sampled every ${fmt(p0.sampleInterval)}), ` +
      `random seeds ${p0.seed} to ${p0.seed + sweep.phis.length * sweep.ratios.length - 1}. (a) psi; (b) the largest cold cluster ` +
      `(it grows with phi even for random labels, as the cold disks percolate); (c) psi from the random start (mean over replicas) at ` +
      `T_hot / T_cold = ${fmt(sweep.ratios[top])} (solid) and at equal temperatures (dotted, phi = ${sweep.phis[mid]}). ${equalT} ` +
      `psi is the average over the window after the burn-in and still grows slowly with time (c): the cold domains coarsen slowly ` +
      `(in separate runs of N = 1000 at phi = 0.4 and ratio 100, psi levels off near 0.40 from t of about 5000 to 40000). ${demixed}. ` +
      `${orderParameters(p0.neighbourCutoff)} ${errorBars} ${conventions}`,
    panels: [
      linePanel({
        title: "neighbour order parameter psi", xLabel: "T_hot / T_cold", yLabel: "psi", xType: "log", series: seriesOf((r) => r.psi),
        referenceLines: [{ y: 0, color: "gray", style: "dotted" }], width, height,
      }),
      linePanel({
        title: "largest cold cluster / N_cold", xLabel: "T_hot / T_cold", yLabel: "largest cluster fraction", xType: "log",
        series: seriesOf((r) => r.largestCluster), width, height,
      }),
      linePanel({
        title: `psi against time (T_hot / T_cold = ${fmt(sweep.ratios[top])} and 1)`, xLabel: "time (burn-in included)", yLabel: "psi",
        series: timeSeries, referenceLines: [{ y: 0, color: "gray", style: "dotted" }, { x: p0.burnIn, label: "end of burn-in", color: "gray", style: "dashed", labelAt: "start" }],
        width, height,
      }),
    ],
    columns: 3,
    legend: "per-panel",
  });
}
