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
import { isResolved, resolvedStandardErrors } from "../../studentT.js";
import { ModelError } from "../../errors.js";
import { MIXED_BOUNDS, SLAB_BOUNDS } from "./demixingBounds.js";
import type { DemixingMapSpinodal } from "./demixingTheory.js";
import type {
  DemixingEvidence,
  DemixingLooks,
  DemixingParams,
  DemixingResult,
  DemixingSweep,
  DemixingVerdict,
  MeasuredValue,
} from "./demixing.js";

const fmt = (x: number, digits = 3) => Number(x.toPrecision(digits)).toString();
/** "0.31 ± 0.01" with the error to two significant digits and the value to the same decimal place. */
export function formatMeasured(m: MeasuredValue): string {
  if (!(m.error > 0) || !Number.isFinite(m.error)) return `${fmt(m.value)} ± ${fmt(m.error, 2)}`;
  // Two significant digits of the error when they start with 1 or 2 (0.014), else one (0.0047 -> 0.005).
  const lead = Math.floor(Math.log10(m.error));
  const decimals = Math.max(0, (m.error / 10 ** lead < 3 ? 1 : 0) - lead);
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

/**
 * The quick runs of the finite-size and coarsening figures are too short and too small for S_cc(q -> 0) to grow
 * with N or L(t) to grow in time beyond the noise: their figures say so.
 */
const QUICK_UNRESOLVED = " (quick: not resolved)";

/**
 * Whether psi > 0 is resolved at every temperature ratio above 1 (beyond resolvedStandardErrors(n) error bars for an
 * error bar from n values: 4 for many, 32.6 for 4 replicas, 10050 for 2): the quick snapshot and map figures say
 * "quick: not resolved" otherwise.
 */
function psiResolved(points: { ratio: number; psi: MeasuredValue }[]): boolean {
  return points.every((p) => p.ratio <= 1 || (p.psi.value > 0 && isResolved(p.psi.value, p.psi.error, p.psi.batches)));
}

/** Snapshots of replica 0 at the end of its run: equal temperatures (mixed) beside growing temperature ratios. */
export function demixingSnapshotFigure(runs: DemixingRun[], options: { quick?: boolean } = {}): Figure {
  const quick = options.quick ?? false;
  const p0 = runs[0].parameters;
  const size = quick ? 300 : 400;
  const panels = runs.map((r) => {
    const ratio = r.parameters.Thot / r.parameters.Tcold;
    return particleScatterPanel({
      title: `T_hot/T_cold = ${fmt(ratio)}, psi = ${formatMeasured(r.psi)}`,
      ...snapshotDisks(r),
      size,
    });
  });
  const seeds = runs.map((r) => r.parameters.seed).join(", ");
  // The run lengths of the last run, and those of any run that differs (the full figure's equal temperatures).
  const last = runs[runs.length - 1].parameters;
  const lengths = (p: DemixingParams) => `burn-in ${fmt(p.burnIn)} + ${fmt(p.time)}`;
  const differing = runs.filter(
    (r) => lengths(r.parameters) !== lengths(last) || r.parameters.replicas !== last.replicas,
  );
  const schedule =
    `${last.replicas} replicas × (${lengths(last)})` +
    (differing.length > 0
      ? ` (${differing.map((r) => `T_hot/T_cold = ${fmt(r.parameters.Thot / r.parameters.Tcold)}: ${r.parameters.replicas} × (${lengths(r.parameters)})`).join("; ")}, a mixture from the start)`
      : "");
  const unresolved =
    quick && !psiResolved(runs.map((r) => ({ ratio: r.parameters.Thot / r.parameters.Tcold, psi: r.psi })));
  return panelFigure({
    name: "fig5-demixing-snapshots",
    title: `Hot and cold soft disks demix without attraction (N = ${p0.N}, phi = ${p0.phi}, T_hot = ${fmt(p0.Thot)})${unresolved ? QUICK_UNRESOLVED : ""}`,
    caption:
      `After Section 3.3 of [Metzger 2026]. ${runs.length} runs of N = ${p0.N} soft disks (${runs[0].nCold} cold), area fraction ${p0.phi}, ` +
      `k = ${fmt(p0.stiffness)}, range ${fmt(p0.range)}; Heun, dt = ${fmt(p0.dt)}, ${schedule}, ` +
      `random seeds ${seeds}; replica 0 at the end of its run, disks to scale. At equal temperatures psi = 0 in expectation (mixed); ` +
      `at large T_hot / T_cold the cold disks gather into domains in a hot gas. psi, error bars (*: fewer than 16 values) and the ` +
      `entropy production (in the .results.json) are defined in docs/studies/two-temperature.md.`,
    panels,
    columns: panels.length,
  });
}

/** The sweep of the map figure: psi, the largest cold cluster and the criterion's verdict for each (area fraction, ratio). */
export type DemixingMap = Pick<DemixingSweep, "ratios" | "phis" | "psi"> & {
  runs: Pick<DemixingResult, "parameters" | "psi" | "largestCluster" | "series">[][];
  /**
   * The criterion at each point, from runs at these sizes (absent: panel (b) shows the largest cluster); a point
   * without a verdict (not run) is left out of the panel.
   */
  verdict?: (DemixingVerdict | undefined)[][];
  sizes?: number[];
  /** The second-virial spinodal: threshold ratio at each area fraction (Infinity: none below the largest ratio). */
  spinodal?: { phi: number[]; ratio: number[] };
};

const VERDICT_STYLE: Record<DemixingVerdict, { color: string; marker: "circle" | "square" | "triangle" }> = {
  mixed: { color: "gray", marker: "circle" },
  correlated: { color: "orange", marker: "square" },
  separating: { color: "blue", marker: "triangle" },
  unresolved: { color: "#9e9ac8", marker: "circle" },
};

/** The criterion's verdicts over (T_hot / T_cold, phi) with the second-virial spinodal. */
function verdictPanel(sweep: DemixingMap, width: number, height: number) {
  const verdict = sweep.verdict!;
  const series: Series[] = (["mixed", "correlated", "separating", "unresolved"] as const)
    .map((v) => {
      const x: number[] = [],
        y: number[] = [];
      sweep.phis.forEach((phi, i) =>
        sweep.ratios.forEach((ratio, j) => {
          if (verdict[i][j] === v) {
            x.push(ratio);
            y.push(phi);
          }
        }),
      );
      return { name: v, x, y, line: false, color: VERDICT_STYLE[v].color, marker: VERDICT_STYLE[v].marker };
    })
    .filter((s) => s.name !== "unresolved" || s.x.length > 0);
  if (sweep.spinodal) {
    const x: number[] = [],
      y: number[] = [];
    const lo = Math.min(...sweep.ratios),
      hi = Math.max(...sweep.ratios);
    sweep.spinodal.phi.forEach((phi, i) => {
      const r = sweep.spinodal!.ratio[i];
      if (Number.isFinite(r) && r >= lo && r <= hi) {
        x.push(r);
        y.push(phi);
      }
    });
    if (x.length > 1) series.push({ name: "second-virial spinodal", x, y, color: "black", style: "dashed" });
  }
  const phis = sweep.phis;
  const pad = phis.length > 1 ? 0.15 * (Math.max(...phis) - Math.min(...phis)) : 0.05;
  return linePanel({
    title: `criterion (N = ${(sweep.sizes ?? []).join(", ")})`,
    xLabel: "T_hot / T_cold",
    yLabel: "area fraction phi",
    xType: "log",
    yDomain: [Math.min(...phis) - pad, Math.max(...phis) + pad],
    series: series.filter((x) => x.x.length > 0),
    width,
    height,
  });
}

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
  const pTop = sweep.runs[0][top].parameters;
  // runs[0][0] is the largest of the point's sizes, seeded base + (sizes - 1) (the seeds of demixingSweep).
  const firstSeed = p0.seed - ((sweep.sizes?.length ?? 1) - 1);
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
  // At equal temperatures psi vanishes in expectation (the labels are exchangeable: docs/studies/two-temperature.md):
  // say how far the measured values are from 0.
  const z = sweep.ratios[0] === 1 ? Math.max(...sweep.psi.map((row) => Math.abs(row[0].value) / row[0].error)) : NaN;
  const equalT = !Number.isFinite(z)
    ? ""
    : `At T_hot = T_cold psi ` +
      (z < 4 ? "is within 4 standard errors of 0, as it must be. " : `is up to ${fmt(z, 2)} standard errors from 0. `);
  const unresolved =
    quick && !psiResolved(sweep.runs.flatMap((row) => row.map((r, j) => ({ ratio: sweep.ratios[j], psi: r.psi }))));
  // At most about four lines at quick size: the method (model, criterion, why psi vanishes at equal temperatures) is
  // in docs/studies/two-temperature.md and every parameter in the CSV's header.
  return panelFigure({
    name: "fig6-demixing-map",
    title: `Demixing of hot and cold soft disks against T_hot / T_cold and area fraction (N = ${p0.N}, T_hot = ${fmt(p0.Thot)})${unresolved ? QUICK_UNRESOLVED : ""}`,
    caption:
      `After Section 3.3 of [Metzger 2026]. Soft disks (half cold), T_cold = T_hot / ratio; ` +
      `Heun, dt = ${fmt(p0.dt)}, ${p0.replicas} replicas × (burn-in ${fmt(pTop.burnIn)}${p0.burnIn !== pTop.burnIn ? ` (${fmt(p0.burnIn)} at T_hot = T_cold)` : ""} + ${fmt(p0.time)}), random seeds from ${firstSeed}. ` +
      `(a) psi; (b) ${sweep.verdict ? "verdict of the finite-size and coarsening criterion" : "the largest cold cluster (it grows with phi even for random labels)"}; ` +
      `(c) psi(t) at T_hot / T_cold = ${fmt(sweep.ratios[top])} (solid) and 1 (dotted). ${equalT}` +
      (sweep.verdict && p0.replicas >= 2
        ? `Resolved: beyond ${fmt(resolvedStandardErrors(p0.replicas))} standard errors (Student's t, ${p0.replicas} replicas); ` +
          `mixed: |psi| < ${MIXED_BOUNDS.psi} and S_cc(q -> 0) < ${MIXED_BOUNDS.sccExcess + 1} x(1 - x) at that many. `
        : "") +
      `Method: docs/studies/two-temperature.md.`,
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
      sweep.verdict
        ? verdictPanel(sweep, width, height)
        : linePanel({
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
          { x: pTop.burnIn, label: "end of burn-in", color: "gray", style: "dashed", labelAt: "start" },
          ...(p0.burnIn !== pTop.burnIn
            ? [
                {
                  x: p0.burnIn,
                  label: "(T_hot = T_cold)",
                  color: "gray",
                  style: "dotted" as const,
                  labelAt: "start" as const,
                },
              ]
            : []),
        ],
        width,
        height,
      }),
    ],
    columns: 3,
    legend: "per-panel",
  });
}

/** One physical point at several sizes, as the finite-size figure draws it. */
export interface DemixingSizeSeries {
  ratio: number;
  verdict: DemixingVerdict;
  evidence: DemixingEvidence;
  runs: Pick<DemixingResult, "parameters" | "structure" | "sccLowQ" | "psi">[];
  /** The looks of a point run sequentially (demixingFiniteSize's `looks`). */
  sequential?: DemixingLooks;
}

/** "phi = 0.7, T_hot/k = 0.002, T_hot/T_cold = 100" (no-break spaces: a wrapped title keeps each on one line). */
function sizePointLabel(pt: DemixingSizeSeries): string {
  const p = pt.runs[0].parameters;
  return `phi\u00a0=\u00a0${p.phi}, T_hot/k\u00a0=\u00a0${fmt(p.Thot / p.stiffness)}, T_hot/T_cold\u00a0=\u00a0${fmt(pt.ratio)}`;
}

/**
 * Finite-size scaling: S_cc(q) against q for each N at each point (panels a, b, ...), and S_cc(q -> 0) against N for
 * every point (last panel), with the ideal-mixture value x(1 - x). A point is one (phi, T_hot/k, T_hot/T_cold) at
 * several sizes; the points may differ in phi, stiffness and run length (the caption gives each one's schedule).
 * `costs[i]`: the particle-steps of point i's sizes.
 */
export function demixingFiniteSizeFigure(
  points: DemixingSizeSeries[],
  options: { quick?: boolean; costs?: { N: number; particleSteps: number }[][] } = {},
): Figure {
  const quick = options.quick ?? false;
  const width = quick ? 380 : 420,
    height = quick ? 300 : 320;
  const colors = ["blue", "orange", "green", "red", "purple", "brown"];
  const pointColors = ["green", "gray", "purple", "red", "blue", "brown"];
  const ideal = points[0].runs[0].structure.ideal;
  const panels = points.map((pt) =>
    linePanel({
      title: `S_cc(q), ${sizePointLabel(pt)}: ${pt.verdict}`,
      xLabel: "q (1 / range)",
      yLabel: "S_cc(q)",
      xType: "log",
      yType: "log",
      series: pt.runs.map((r, i) => ({
        name: `N = ${r.parameters.N}`,
        x: r.structure.q,
        y: r.structure.S,
        color: colors[i % colors.length],
        marker: "circle" as const,
      })),
      referenceLines: [{ y: ideal, label: "x(1 − x)", color: "gray", style: "dotted" }],
      width,
      height,
    }),
  );
  // A separated steady state (one domain per box) has S_cc(q_min) proportional to N: the reference line through the
  // smallest size of the last point at the largest ratio (the stiff point's).
  const top = points.reduce((a, b) => (b.ratio >= a.ratio ? b : a), points[0]);
  const sizes = top.runs.map((r) => r.parameters.N);
  const allSizes = points.flatMap((pt) => pt.runs.map((r) => r.parameters.N));
  // The y range is the data's (error bars and x(1 - x) included): the proportional line shows its slope and ends
  // at the frame instead of stretching the axis. It is cut there, not drawn beyond: the log axis's ticks follow the
  // values of the series, and a line far outside the frame would make them those of several decades (labels at 1, 2,
  // 5 only: none above 0.24 on a 0.15-0.43 axis).
  const measured = points.flatMap((pt) => pt.runs.map((r) => r.sccLowQ));
  const lows = [ideal, ...measured.map((m) => m.value - m.error), ...measured.map((m) => m.value)].filter((v) => v > 0);
  const highs = [ideal, ...measured.map((m) => m.value + m.error)].filter(Number.isFinite);
  const yDomain: [number, number] = [Math.min(...lows) / 1.15, Math.max(...highs) * 1.15];
  const s0 = top.runs[0].sccLowQ.value;
  const nEnd = Math.min(sizes[sizes.length - 1], (sizes[0] * yDomain[1]) / s0);
  // From the frame's left edge (or where the line leaves the frame below): a separating pair lies on the line, which
  // would otherwise hide under the series joining them.
  const nStart = Math.max(Math.min(...allSizes) / 1.3, (sizes[0] * yDomain[0]) / s0);
  const proportional: Series[] =
    sizes.length > 1 && s0 > 0 && s0 < yDomain[1]
      ? [
          {
            name: "proportional to N",
            x: [nStart, nEnd],
            y: [(s0 * nStart) / sizes[0], (s0 * nEnd) / sizes[0]],
            color: "gray",
            style: "dashed",
            strokeWidth: 1,
          },
        ]
      : [];
  panels.push(
    linePanel({
      title: "S_cc(q → 0) against system size",
      xLabel: "N",
      yLabel: "S_cc at the smallest |q|",
      xType: "log",
      yType: "log",
      // A little room either side: the smallest and largest N off the frame's edges, labelled ticks inside it.
      xDomain: [Math.min(...allSizes) / 1.3, Math.max(...allSizes) * 1.3],
      yDomain,
      series: [
        ...points.map((pt, i) => ({
          name: `${sizePointLabel(pt)} (${pt.verdict})`,
          x: pt.runs.map((r) => r.parameters.N),
          y: pt.runs.map((r) => r.sccLowQ.value),
          err: pt.runs.map((r) => r.sccLowQ.error),
          color: pointColors[i % pointColors.length],
          marker: "square" as const,
        })),
        ...proportional,
      ],
      referenceLines: [{ y: ideal, label: "x(1 − x)", color: "gray", style: "dotted" }],
      width,
      height,
    }),
  );
  // Each point's schedule, seeds, S_cc(q -> 0) at each size and the growth with N in standard errors (and the
  // Student-t threshold of its replicas), then its work.
  const describe = (pt: DemixingSizeSeries, i: number) => {
    const p = pt.runs[0].parameters;
    const n = p.replicas;
    const seq = pt.sequential;
    const scc = pt.runs.map((r) => `${formatMeasured(r.sccLowQ)} at N\u00a0=\u00a0${r.parameters.N}`).join(", ");
    const growth =
      pt.runs.length > 1
        ? ` (largest over smallest ${fmt(pt.evidence.sizeRatio)}, ${fmt(pt.evidence.sizeZ, 2)} standard errors; short of ∝ N by ${fmt(pt.evidence.scalingDeficitZ, 2)}; resolved beyond ${fmt(resolvedStandardErrors(n, seq?.falseAlarmShare ?? 1))})`
        : "";
    // A sequential point: which of its pre-declared looks decided, at what share of the false-alarm rate.
    const looks = seq
      ? `, looks at ${seq.looks.join(" and ")} replicas (each at 1/${seq.looks.length} of the false-alarm rate), stopped at ${seq.looks[seq.stoppedAt]}`
      : "";
    const work = options.costs?.[i]?.length
      ? `; ${options.costs[i].map((c) => `${c.particleSteps.toExponential(1)}`).join(" + ")} particle-steps`
      : "";
    // The schedule of each size where they differ (a larger box settles later).
    const same = pt.runs.every((r) => r.parameters.burnIn === p.burnIn && r.parameters.time === p.time);
    const schedule = same
      ? `(burn-in ${fmt(p.burnIn)} + ${fmt(p.time)})`
      : `(${pt.runs.map((r) => `burn-in ${fmt(r.parameters.burnIn)} + ${fmt(r.parameters.time)} at N\u00a0=\u00a0${r.parameters.N}`).join(", ")})`;
    return (
      `${sizePointLabel(pt)}: ${n} replicas × ${schedule}${looks}, random seeds from ${p.seed}${work}; ` +
      `S_cc(q → 0) = ${scc}${growth}: ${pt.verdict}`
    );
  };
  const p0 = points[0].runs[0].parameters;
  return panelFigure({
    name: "fig7-demixing-finite-size",
    title: `Demixing: finite-size scaling of S_cc(q) — S_cc(q → 0) grows with N where the mixture separates${quick ? QUICK_UNRESOLVED : ""}`,
    caption:
      `Concentration structure factor S_cc(q) (Bhatia-Thornton) of N soft disks (half cold, k = ${fmt(p0.stiffness)}, range ${fmt(p0.range)}) over the box's allowed wavevectors, shell-averaged, ` +
      `Heun, dt = ${fmt(p0.dt)}, from a random start, averaged after a burn-in. ${points.map(describe).join(". ")}. ` +
      `A mixture keeps S_cc(q → 0) at a value independent of N (x(1 − x) when ideal); a separated state, one domain per box, makes it grow like N (dashed, through the smallest size at the largest ratio). ` +
      `A correlated mixture, S_cc(q) ≈ S0 / (1 + ξ²q²), also rises with N in boxes whose smallest q is near 1/ξ, but less than ∝ N: "separating" needs a growth resolved above 1 + (N2/N1 − 1)/4 (1.25 for a doubling) and not resolved below N2/N1 (short of ∝ N by less than the threshold), so that a mixture whose larger box spans more than about 11 correlation lengths passes no more often than the false-alarm rate (one in a box of 5-11 correlation lengths can pass: the separated start decides). ` +
      `Error bars: standard errors over the replicas (*: fewer than 16 values; each verdict's threshold, Student's t at that count, allows for it). ` +
      `Domains growing within the run alone leave the verdict unresolved: coarsening and the settling of a correlated mixture look alike in a fixed window, and the separated start (fig10) decides (criterion: docs/studies/two-temperature.md).`,
    panels,
    columns: 2,
    legend: "per-panel",
  });
}

/** The runs of the coarsening figure: one per temperature ratio (and size). */
export type DemixingCoarseningRun = Pick<DemixingResult, "parameters" | "series" | "structure">;

/**
 * Coarsening: the domain size L(t) from the random start (log-log), and S_cc(q) at a few times of the first run (the
 * peak grows and moves to small q). The first runs share the first run's phi and T_hot / k (a correlated mixture at
 * the default stiffness: its domains stop growing); a run at another phi or T_hot / k (the stiff point, where a
 * separated state is stable) is labelled with both and carries the t^(1/3) of diffusive coarsening through its end.
 */
export function demixingCoarseningFigure(runs: DemixingCoarseningRun[], options: { quick?: boolean } = {}): Figure {
  const quick = options.quick ?? false;
  const width = quick ? 400 : 460,
    height = quick ? 300 : 340;
  const colors = ["blue", "orange", "green", "red", "purple"];
  const main = runs[0];
  const stiffness = (r: DemixingCoarseningRun) => r.parameters.Thot / r.parameters.stiffness;
  const isOther = (r: DemixingCoarseningRun) =>
    r.parameters.phi !== main.parameters.phi || stiffness(r) !== stiffness(main);
  const stiff = runs.find(isOther);
  // No-break spaces: a wrapped title or caption keeps "N = 200" on one line.
  const ratioLabel = (r: DemixingCoarseningRun) =>
    `T_hot/T_cold\u00a0=\u00a0${fmt(r.parameters.Thot / r.parameters.Tcold)}`;
  const pointLabel = (r: DemixingCoarseningRun) =>
    `phi\u00a0=\u00a0${r.parameters.phi}, T_hot/k\u00a0=\u00a0${fmt(stiffness(r))}`;
  const label = (r: DemixingCoarseningRun) =>
    isOther(r)
      ? `${pointLabel(r)}, ${ratioLabel(r)}, N\u00a0=\u00a0${r.parameters.N} (stiff: coarsening)`
      : `${stiff ? `${pointLabel(r)}, ` : ""}${ratioLabel(r)}, N\u00a0=\u00a0${r.parameters.N}`;
  const positive = (r: DemixingCoarseningRun) => r.series.time.map((t, k) => k).filter((k) => r.series.time[k] > 0);
  const lengthSeries: Series[] = runs.map((r, i) => {
    const ks = positive(r);
    return {
      name: label(r),
      x: ks.map((k) => r.series.time[k]),
      y: ks.map((k) => r.series.lengthScale[k]),
      err: ks.map((k) => r.series.lengthScaleError[k]),
      color: isOther(r) ? "purple" : colors[i % colors.length],
      ...(isOther(r) ? { strokeWidth: 2.5 } : {}),
    };
  });
  // t^(1/3) through the last point of the stiff run (of the main run when there is none).
  const refRun = stiff ?? main;
  const rk = positive(refRun);
  const rEnd = refRun.series.time[rk[rk.length - 1]],
    rL = refRun.series.lengthScale[rk[rk.length - 1]];
  const r0 = refRun.series.time[rk[0]];
  lengthSeries.push({
    name: `t^(1/3) (diffusive coarsening) through the end of ${stiff ? "the stiff run" : "the first run"}`,
    x: [r0, rEnd],
    y: [r0, rEnd].map((t) => rL * (t / rEnd) ** (1 / 3)),
    color: "gray",
    style: "dashed",
    strokeWidth: 1,
  });
  // Effective exponent: the least-squares slope of ln L against ln t over the last factor 5 of a run's time.
  const exponent = (r: DemixingCoarseningRun) => {
    const ks = positive(r);
    const end = r.series.time[ks[ks.length - 1]];
    let n = 0,
      sx = 0,
      sy = 0,
      sxx = 0,
      sxy = 0;
    for (const k of ks) {
      if (r.series.time[k] < end / 5 || !(r.series.lengthScale[k] > 0)) continue;
      const x = Math.log(r.series.time[k]),
        y = Math.log(r.series.lengthScale[k]);
      n++;
      sx += x;
      sy += y;
      sxx += x * x;
      sxy += x * y;
    }
    const d = n * sxx - sx * sx;
    return n >= 3 && d > 0 ? (n * sxy - sx * sy) / d : undefined;
  };
  const exponentText = (r: DemixingCoarseningRun) => {
    const a = exponent(r);
    const ks = positive(r);
    const end = r.series.time[ks[ks.length - 1]];
    return a === undefined ? "" : `effective exponent ${a.toFixed(2)} over t = ${fmt(end / 5)}-${fmt(end)}`;
  };
  const mk = positive(main);
  const tEnd = main.series.time[mk[mk.length - 1]];
  const t0 = main.series.time[mk[0]];
  // S_cc(q) of the main run at about 5 logarithmically spaced times.
  const times = main.series.time;
  const picks: number[] = [];
  for (const f of [0, 0.25, 0.5, 0.75, 1]) {
    const t = t0 * (tEnd / t0) ** f;
    let best = mk[0];
    for (const k of mk) if (Math.abs(Math.log(times[k] / t)) < Math.abs(Math.log(times[best] / t))) best = k;
    if (!picks.includes(best)) picks.push(best);
  }
  const sq = main.structure.q;
  const structureSeries: Series[] = picks.map((k, i) => ({
    name: `t = ${fmt(times[k])}`,
    x: sq,
    y: main.series.structure[k],
    color: colors[i % colors.length],
  }));
  const p = main.parameters;
  return panelFigure({
    name: "fig8-demixing-coarsening",
    title: stiff
      ? `Demixing: coarsening at the stiff point (${pointLabel(stiff)}) beside a correlated mixture whose domains stop (${pointLabel(main)})${quick ? QUICK_UNRESOLVED : ""}`
      : `Demixing: growth of the cold domains (phi = ${p.phi}, T_hot = ${fmt(p.Thot)})${quick ? QUICK_UNRESOLVED : ""}`,
    caption:
      `(a) Domain size L(t) = 2π Σ D(q) / Σ |q| D(q), D = max(S_cc − x(1 − x), 0) over 0 < |q| ≤ π/range, of the replica-mean S_cc(q, t) ` +
      `(jackknife error bars), from a random start (Heun, dt = ${fmt(p.dt)}, k = ${fmt(p.stiffness)}, range ${fmt(p.range)}, half the disks cold, random seeds from ${p.seed}). ` +
      `Phi = ${p.phi}, T_hot = ${fmt(p.Thot)} (T_hot/k = ${fmt(stiffness(main))}): ${runs
        .filter((r) => !isOther(r))
        .map(
          (r) =>
            `${ratioLabel(r)}, N\u00a0=\u00a0${r.parameters.N}, ${r.parameters.replicas} replicas × ${fmt(r.parameters.time)}`,
        )
        .join("; ")}. ` +
      (stiff
        ? `Purple: the stiff point, phi = ${stiff.parameters.phi}, T_hot = ${fmt(stiff.parameters.Thot)}, T_cold = ${fmt(stiff.parameters.Tcold)} (T_hot/k = ${fmt(stiffness(stiff))}: ten times harder disks), N = ${stiff.parameters.N}, ${stiff.parameters.replicas} replicas × ${fmt(stiff.parameters.time)}, seed ${stiff.parameters.seed}, where a separated start holds (docs): its domains keep growing (${exponentText(stiff)}; the first phi = ${p.phi}, ratio-${fmt(p.Thot / p.Tcold)} run: ${exponentText(main)}); dashed: t^(1/3) through its last point. `
        : "Dashed: t^(1/3). ") +
      `(b) S_cc(q) of the first run (${label(main)}, ${p.replicas} replicas) ` +
      `at five times: the peak grows and moves to smaller q as the domains grow. At phi = ${p.phi}, T_hot/k = ${fmt(stiffness(main))} the growth is not coarsening: at T_hot/T_cold = 100 a separated start dissolves at N = 200 and 400 (fig10, docs), so it is the settling of a correlated mixture to its domain size (the curves level off). Definitions: docs/studies/two-temperature.md.`,
    panels: [
      linePanel({
        title: "domain size L(t)",
        xLabel: "time (from the random start)",
        yLabel: "L (range)",
        // Units in the CSV: L in ranges (time's unit is in the file's units line).
        yColumn: "L_range",
        xType: "log",
        yType: "log",
        series: lengthSeries,
        width,
        height,
      }),
      linePanel({
        title: `S_cc(q) at growing times (${ratioLabel(main)})`,
        xLabel: "q (1 / range)",
        yLabel: "S_cc(q)",
        xType: "log",
        yType: "log",
        series: structureSeries,
        referenceLines: [{ y: main.structure.ideal, label: "x(1 − x)", color: "gray", style: "dotted" }],
        width,
        height,
      }),
    ],
    columns: 2,
    legend: "per-panel",
  });
}

/** A measured value as the demixing map's results JSON keeps it. */
export interface DemixingMapValue {
  value: number;
  error: number;
  reliable: boolean;
}

/** One point of the demixing map's results (scripts/demixing-stiff-map.js): the criterion on a pair of sizes. */
export interface DemixingMapPoint {
  phi: number;
  ratio: number;
  /** The seed of the smallest size; size s runs at seed + s. */
  seed: number;
  /** Sample interval, burn-in and production per size. */
  schedule: { factor: number; sampleInterval: number; burnIns: number[]; times: number[] };
  verdict: DemixingVerdict;
  evidence: Pick<DemixingEvidence, "sizes" | "sccLowQ" | "ideal" | "sizeRatio" | "sizeZ" | "scalingDeficitZ">;
  /** One run per size, smallest first. */
  runs: {
    parameters: Pick<
      DemixingParams,
      "N" | "phi" | "Thot" | "Tcold" | "stiffness" | "range" | "replicas" | "dt" | "seed"
    >;
    psi: DemixingMapValue;
    sccLowQ: DemixingMapValue;
  }[];
}

/** The results JSON of the demixing map (scripts/demixing-stiff-map.js): version, parameters, seed, points. */
export interface DemixingMapResults {
  version: string;
  seed: number;
  parameters: {
    base: { Thot: number; stiffness: number; range: number; coldFraction: number; dt: number };
    phis: number[];
    ratios: number[];
    sizes: number[];
    replicas: number;
  };
  /** The second-virial spinodal at the results' T_hot and stiffness, computed by the script that ran the map. */
  spinodal?: DemixingMapSpinodal;
  points: DemixingMapPoint[];
  /** Points of the map run from the separated start (scripts/demixing-stiff-map.js --slab). */
  slabPoints?: DemixingMapSlabPoint[];
}

/** One point of the map run from the separated start: the slab's retention over time and the stored verdicts. */
export interface DemixingMapSlabPoint {
  phi: number;
  ratio: number;
  N: number;
  seed: number;
  parameters: Pick<DemixingParams, "replicas" | "time" | "sampleInterval">;
  /**
   * The run's schedule: on the "cold" horizon (the default) 1.4 t_cold; on the "mixing" horizon long enough for a
   * slab relaxing at the mixed control's rate (mixingRate, per t_cold: slabMixingRate of the ratio-1 point at the same
   * phi) to dissolve (slabMixingHorizon); n the control's replicas and lower the rate's one-sided 95% lower bound
   * k - t95 dk that set the horizon.
   */
  schedule?: {
    horizon?: "cold" | "mixing";
    mixingRate?: { value: number; error: number; n?: number; lower?: number; controlSeed: number };
  };
  /** The cold disks' interdiffusion time (L / 2 pi)^2 / T_cold and the start of the late window. */
  coldTime: number;
  lateFrom: number;
  series: { time: number[]; retention: number[]; retentionError: number[] };
  late: {
    retention: DemixingMapValue;
    hotExclusion: DemixingMapValue;
    compression: DemixingMapValue;
  };
  /** classifySlab's verdict and combineDemixing's (with the random start's verdict at the same point). */
  slabVerdict: "persists" | "dissolves" | "undecided";
  verdict: DemixingVerdict;
}

/**
 * The demixing map from saved results (docs/studies/two-temperature.md, "The map at the stiff stiffness"): (a) the
 * growth of S_cc(q -> 0) from the smaller to the larger size against T_hot / T_cold, with the no-growth line and the
 * growth in proportion to N of a separated state; (b) the criterion's verdict at each (ratio, phi) with the
 * second-virial spinodal at the results' T_hot and stiffness (as stored in the results: the figure computes
 * nothing); (c) psi at the larger size; (d), when the results hold points run from the separated start
 * (slabPoints), the slab's retention r against t / t_cold with the stored slab test and combined verdicts. Points of
 * the grid missing from the results (a partial run) are left out and named in the caption.
 */
export function demixingStiffMapFigure(results: DemixingMapResults, options: { name?: string } = {}): Figure {
  const { phis, ratios, sizes, replicas, base } = results.parameters;
  if (results.points.length === 0) throw new ModelError("the demixing map has no points to draw");
  if (sizes.length !== 2) throw new ModelError(`the demixing map draws a pair of sizes, got ${sizes.length}`);
  const at = (phi: number, ratio: number) => results.points.find((p) => p.phi === phi && p.ratio === ratio);
  const colors = ["blue", "orange", "green", "red", "purple"];
  const markers = ["circle", "square", "triangle", "diamond"] as const;
  const perPhi = (pick: (p: DemixingMapPoint) => { value: number; error: number }): Series[] =>
    phis
      .map((phi, i) => {
        const pts = ratios.map((r) => at(phi, r)).filter((p): p is DemixingMapPoint => p !== undefined);
        const v = pts.map(pick);
        return {
          name: `phi = ${phi}`,
          x: pts.map((p) => p.ratio),
          y: v.map((m) => m.value),
          err: v.map((m) => m.error),
          color: colors[i % colors.length],
          marker: markers[i % markers.length],
        };
      })
      .filter((s) => s.x.length > 0);
  // S2 / S1 with the error of a ratio of independent estimates.
  const growth = (p: DemixingMapPoint) => {
    const [a, b] = p.evidence.sccLowQ;
    const r = b.value / a.value;
    return { value: r, error: Math.abs(r) * Math.hypot(a.error / a.value, b.error / b.value) };
  };
  const spinodal = results.spinodal?.curve;
  const thresholdText = (phi: number) => {
    const t = results.spinodal?.thresholds.find((u) => u.phi === phi);
    return `${t?.ratio === undefined ? "none below 10^6" : fmt(t.ratio, 2)} at phi = ${phi}`;
  };
  const map: DemixingMap = {
    phis,
    ratios,
    sizes,
    psi: [],
    runs: [],
    verdict: phis.map((phi) => ratios.map((r) => at(phi, r)?.verdict)),
    spinodal,
  };
  const missing = phis.flatMap((phi) => ratios.filter((r) => !at(phi, r)).map((r) => `(${phi}, ${r})`));
  const resolved = resolvedStandardErrors(replicas);
  const slabs = [...(results.slabPoints ?? [])].sort(
    (a, b) => a.phi - b.phi || a.ratio - b.ratio || Number(isMixing(a)) - Number(isMixing(b)),
  );
  const v3 = (m: DemixingMapValue) => `${fmt(m.value, 2)} ± ${fmt(m.error, 2)}`;
  const slabCaption =
    slabs.length > 0
      ? `(d) The separated start (a slab of the cold disks; burn-in 0, N = ${[...new Set(slabs.map((s) => s.N))].join(", ")}; 1.4 t_cold, or on the mixing horizon: long enough for a slab relaxing at the rate k of the ratio-1 control at that phi, at its one-sided 95% lower bound, to dissolve) at ` +
        slabs
          .map(
            (s) =>
              `(${s.phi}, ${fmt(s.ratio)}${isMixing(s) ? `, mixing horizon from k = ${fmt(s.schedule!.mixingRate!.value, 2)} ± ${fmt(s.schedule!.mixingRate!.error, 2)} per t_cold` : ""}; ${s.parameters.replicas} replicas): late (t ≥ ${fmt(s.lateFrom)}, t_cold = ${fmt(s.coldTime)}) r = ${v3(s.late.retention)}, h = ${v3(s.late.hotExclusion)}, kappa = ${v3(s.late.compression)}, slab test ${s.slabVerdict}, both starts ${s.verdict}`,
          )
          .join("; ") +
        `; the slab test (persists: after t_cold, r ≥ ${SLAB_BOUNDS.retention}, h ≤ ${SLAB_BOUNDS.hotExcluded}, kappa > ${SLAB_BOUNDS.compressed}; where the mixed control at that phi needs over 1.4 t_cold to dissolve, also the slab's own relaxation rate, at its upper end, below half the control's lower end; dissolves: r ≤ ${SLAB_BOUNDS.retention}, kappa < ${SLAB_BOUNDS.compressed}; each at the replicas' Student-t threshold) and the verdict of both starts as stored. `
      : "";
  const width = 440,
    height = 320;
  return panelFigure({
    name: options.name ?? "demixing-stiff-map",
    title: `Where hot and cold soft disks separate: T_hot / T_cold against area fraction at T_hot / k = ${fmt(base.Thot / base.stiffness)} (N = ${sizes.join(" and ")})`,
    caption:
      `Soft disks (half cold), T_hot = ${fmt(base.Thot)}, k = ${fmt(base.stiffness)}, range ${fmt(base.range)}, T_cold = T_hot / ratio; ` +
      `random start, Heun, dt = ${fmt(base.dt)}, ${replicas} replicas per size; burn-in and production scaled with the cold disks' ` +
      `interdiffusion time (${fmt(results.points[0].schedule.burnIns[1] / results.points[0].schedule.factor)} + ` +
      `${fmt(results.points[0].schedule.times[1] / results.points[0].schedule.factor)} at N = ${sizes[1]} times (max(ratio, 3) / 100)(0.7 / phi)); ` +
      `random seeds from ${results.seed}; ness ${results.version}. ` +
      `(a) S_cc(q -> 0) at N = ${sizes[1]} over N = ${sizes[0]}: 1 without growth, ${fmt(sizes[1] / sizes[0])} in proportion to N (separated); ` +
      `(b) the criterion's verdict (resolved beyond ${fmt(resolved)} standard errors, Student's t of ${replicas} replicas), ` +
      (results.spinodal
        ? `dashed: the second-virial spinodal at this T_hot / k (threshold ratio ${phis.map(thresholdText).join(", ")}); `
        : "the second-virial spinodal is not in these results; ") +
      `(c) psi at N = ${sizes[1]}. ` +
      (missing.length > 0 ? `Not run: (phi, ratio) = ${missing.join(", ")}. ` : "") +
      slabCaption +
      `Method: docs/studies/two-temperature.md.`,
    panels: [
      linePanel({
        title: `S_cc(q -> 0) growth, N = ${sizes[0]} -> ${sizes[1]}`,
        xLabel: "T_hot / T_cold",
        yLabel: `S_cc(q -> 0) at N = ${sizes[1]} / at N = ${sizes[0]}`,
        xType: "log",
        series: perPhi(growth),
        referenceLines: [
          { y: 1, label: "no growth", color: "gray", style: "dotted" },
          { y: sizes[1] / sizes[0], label: "∝ N", color: "gray", style: "dashed" },
        ],
        width,
        height,
      }),
      verdictPanel(map, width, height),
      linePanel({
        title: `neighbour order parameter psi (N = ${sizes[1]})`,
        xLabel: "T_hot / T_cold",
        yLabel: "psi",
        xType: "log",
        series: perPhi((p) => p.runs[p.runs.length - 1].psi),
        referenceLines: [{ y: 0, color: "gray", style: "dotted" }],
        width,
        height,
      }),
      ...(slabs.length > 0 ? [slabPanel(slabs, width, height)] : []),
    ],
    columns: slabs.length > 0 ? 2 : 3,
    legend: "per-panel",
  });
}

/** Whether a slab point ran on the mixing horizon (from the mixed control's relaxation) rather than 1.4 t_cold. */
function isMixing(s: DemixingMapSlabPoint): boolean {
  return s.schedule?.horizon === "mixing" && s.schedule.mixingRate !== undefined;
}

/** The slab's retention r against t / t_cold at each slab point of the map, labelled with the stored verdicts. */
function slabPanel(slabs: DemixingMapSlabPoint[], width: number, height: number) {
  const colors = ["blue", "orange", "green", "red", "purple", "brown", "black"];
  const markers = ["circle", "square", "triangle", "diamond"] as const;
  const series: Series[] = slabs.map((s, i) => ({
    name: `phi = ${s.phi}, ratio ${fmt(s.ratio)}${isMixing(s) ? " (mixing horizon)" : ""}, ${s.parameters.replicas} replicas: ${s.slabVerdict}; both: ${s.verdict}`,
    x: s.series.time.map((t) => t / s.coldTime),
    y: s.series.retention,
    err: s.series.retentionError,
    color: colors[i % colors.length],
    marker: markers[i % markers.length],
  }));
  return linePanel({
    title: `separated start, N = ${[...new Set(slabs.map((s) => s.N))].join(", ")}: retention r(t)`,
    xLabel: "t / t_cold, t_cold = (L/2π)² / T_cold",
    yLabel: "r (1: the stripe; 0: dissolved)",
    xColumn: "t_over_t_cold",
    yColumn: "retention",
    series,
    referenceLines: [
      { y: SLAB_BOUNDS.retention, label: "r bound", color: "gray", style: "dotted" },
      { x: 1, label: "t_cold", color: "gray", style: "dashed" },
    ],
    width,
    height,
  });
}
