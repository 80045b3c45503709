/**
 * Figures of the two-temperature studies (after J. Metzger's lecture notes, Recitation 5): the (x1, x2) density
 * and probability current of the harmonic pair, exact beside simulated (Section 4); the entropy production and the
 * heat flow against T1/T2, exact with simulated points; the ratchet current against T_hot/T_cold and the asymmetry;
 * run-and-chase in 1, 2 and 3 dimensions, exact (quadrature) with simulated points; hot/cold demixing
 * (demixingFigures.ts). Pure: every function draws the data computed by the study (definition.ts). Browser-safe.
 */
import { heatmapPanel, linePanel, panelFigure } from "../../figures/charts.js";
import type { Figure } from "../../figures/figure.js";
import type { Measured } from "../contract.js";
import type { HarmonicPairParams, PhaseSpaceField } from "./harmonicPair.js";
import type { RatchetParams } from "./ratchet.js";
import type { RunAndChaseParams } from "./runAndChase.js";

const fmt = (x: number, digits = 3) => Number(x.toPrecision(digits)).toString();

/** A value with one standard error (the reliability flag is optional here). */
type Estimate = Pick<Measured, "value" | "error">;

/** The data of the density-and-current figure. */
export interface DensityCurrentData {
  parameters: HarmonicPairParams;
  exact: PhaseSpaceField;
  /** Absent: the exact panel only (the study's own figure, e.g. in the lab). */
  simulated?: PhaseSpaceField;
  /** Mean area rate <x1 o x2' - x2 o x1'>/2: exact, and from the simulated current within the grid. */
  areaRate: number;
  simulatedAreaRate?: number;
  entropyProduction: number;
  simulatedEntropyProduction?: Estimate;
  simulation?: { dt: number; replicas: number; time: number };
}

/** Exact heatmap with current arrows beside the simulated one. */
export function densityCurrentFigure(d: DensityCurrentData): Figure {
  const { exact: ex, simulated: sm, parameters: p } = d;
  const bins = ex.x1.length;
  const top = Math.max(...ex.density.flat(), ...(sm ? sm.density.flat() : []));
  const color = { label: "density p(x1, x2)", domain: [0, top] as [number, number], scheme: "viridis" };
  const stride = Math.max(1, Math.round(bins / 12));
  const panel = (title: string, f: PhaseSpaceField) =>
    heatmapPanel({
      title,
      xLabel: "x1 (particle 1)",
      columns: { value: "density" },
      yLabel: "x2 (particle 2)",
      x: f.x1,
      y: f.x2,
      values: f.density,
      color,
      vectors: { u: f.current1, v: f.current2, stride, label: "probability current" },
      width: 420,
      height: 380,
    });
  const circulation = `The current circulates ${d.areaRate > 0 ? "counterclockwise" : d.areaRate < 0 ? "clockwise" : "nowhere"}: mean area rate <x1 o x2' - x2 o x1'>/2 = `;
  const sim = sm && d.simulation && d.simulatedEntropyProduction && d.simulatedAreaRate !== undefined;
  return panelFigure({
    name: "fig1-pair-density-current",
    title: `Harmonic pair at T1 = ${fmt(p.T1)}, T2 = ${fmt(p.T2)} (k = ${fmt(p.k)}, lambda = ${fmt(p.lambda)}): density and probability current`,
    caption: sim
      ? `After Section 4.1 of [Metzger 2026], with eqs. 28-29 corrected (docs/corrections.md). (a) Exact density and current; (b) the ` +
        `stochastic engine (Heun, dt = ${fmt(d.simulation!.dt)}, ${d.simulation!.replicas} replicas × ${fmt(d.simulation!.time)}). ${circulation}` +
        `${fmt(d.areaRate)} exact, ${fmt(d.simulatedAreaRate!)} simulated (within the grid). Entropy production ${fmt(d.entropyProduction)} exact, ` +
        `${fmt(d.simulatedEntropyProduction!.value)} ± ${fmt(d.simulatedEntropyProduction!.error, 2)} simulated. Units: kB = 1, mobility 1; ` +
        `x1, x2 in the length unit of k (thermal length √(T2/k) = ${fmt(Math.sqrt(p.T2 / p.k))}), time in 1/(mobility k), density per unit area.`
      : `After Section 4.1 of [Metzger 2026], with eqs. 28-29 corrected (docs/corrections.md): the exact stationary density ` +
        `(a Gaussian) and probability current. ${circulation}${fmt(d.areaRate)}. Entropy production ${fmt(d.entropyProduction)}. Units: kB = 1, mobility 1; ` +
        `x1, x2 in the length unit of k (thermal length √(T2/k) = ${fmt(Math.sqrt(p.T2 / p.k))}), time in 1/(mobility k), density per unit area.`,
    panels: sm ? [panel("exact", ex), panel("simulated", sm)] : [panel("exact", ex)],
  });
}

/** The data of the entropy-production figure: exact curves and simulated points against T1/T2 (T2 fixed). */
export interface EntropyProductionData {
  base: HarmonicPairParams;
  curve: number[];
  exactEntropyProduction: number[];
  exactHeatFromBath1: number[];
  points: number[];
  entropyProduction: Estimate[];
  heatFromBath1: Estimate[];
}

/** Entropy production and heat flow against T1 / T2 (T2 fixed): exact lines, closed form, simulated points. */
export function entropyProductionFigure(d: EntropyProductionData): Figure {
  const base = d.base;
  return panelFigure({
    name: "fig2-entropy-production",
    title: `Harmonic pair: entropy production and heat flow against T1/T2 (T2 = ${fmt(base.T2)}, k = ${fmt(base.k)}, lambda = ${fmt(base.lambda)})`,
    caption:
      "Lines: the exact engine, equal to the closed form k^2 (T1 - T2)^2 / (2 T1 T2 (k + lambda)). Points: the stochastic engine " +
      "(eq. 23 of [Metzger 2026] with the sign of their eq. 20, docs/corrections.md), one standard error. Both vanish at T1 = T2.",
    panels: [
      linePanel({
        title: "entropy production rate",
        xLabel: "T1 / T2",
        yLabel: "sigma",
        yColumn: "entropy_production",
        xType: "log",
        series: [
          { name: "exact", x: d.curve, y: d.exactEntropyProduction, color: "black" },
          {
            name: "simulated",
            x: d.points,
            y: d.entropyProduction.map((s) => s.value),
            err: d.entropyProduction.map((s) => s.error),
            line: false,
            marker: "circle",
            color: "red",
          },
        ],
      }),
      linePanel({
        title: "heat from bath 1 into bath 2",
        xLabel: "T1 / T2",
        yLabel: "heat flow",
        xType: "log",
        series: [
          { name: "exact", x: d.curve, y: d.exactHeatFromBath1, color: "black" },
          {
            name: "simulated",
            x: d.points,
            y: d.heatFromBath1.map((s) => s.value),
            err: d.heatFromBath1.map((s) => s.error),
            line: false,
            marker: "circle",
            color: "red",
          },
        ],
        referenceLines: [{ y: 0, color: "gray", style: "dotted" }],
      }),
    ],
  });
}

const DIMENSION_COLORS = ["black", "red", "blue"];

/** The data of the run-and-chase figure, for dimensions 1, 2, 3 (index 0, 1, 2). */
export interface RunAndChaseFigureData {
  base: RunAndChaseParams;
  curve: number[];
  exact: { chaseVelocity: number[]; entropyProduction: number[] }[];
  ratios: number[];
  /** Absent: the exact lines only (the study's own figure, e.g. in the lab). */
  simulated?: { chaseVelocity: Estimate[]; entropyProduction: Estimate[] }[];
  simulation?: { dt: number; replicas: number; time: number };
}

/** Run-and-chase in 1, 2 and 3 dimensions: chase velocity and entropy production against T_hot / T_cold. */
export function runAndChaseFigure(d: RunAndChaseFigureData): Figure {
  const base = d.base;
  const s0 = d.simulation;
  const series = (which: "chaseVelocity" | "entropyProduction") =>
    [1, 2, 3].flatMap((dim, di) => [
      { name: `${dim}D exact`, x: d.curve, y: d.exact[di][which], color: DIMENSION_COLORS[di] },
      ...(d.simulated
        ? [
            {
              name: `${dim}D simulated`,
              x: d.ratios,
              y: d.simulated[di][which].map((s) => s.value),
              err: d.simulated[di][which].map((s) => s.error),
              line: false,
              marker: (["circle", "square", "triangle"] as const)[di],
              color: DIMENSION_COLORS[di],
            },
          ]
        : []),
    ]);
  return panelFigure({
    name: "fig4-run-and-chase",
    title: `Run-and-chase: a hot and a cold particle with soft repulsion in 1, 2 and 3 dimensions (T_hot = ${fmt(base.Thot)})`,
    caption:
      `After Section 3.1 of [Metzger 2026]: eq. 26 with k = ${fmt(base.stiffness)}, range ${fmt(base.range)} (acting for r < range, docs/corrections.md), ` +
      `periodic box of side ${fmt(base.box)}, mobility 1. (a) The centre of mass's velocity along r_cold − r_hot, <v_cm o e> ` +
      "(Stratonovich): positive, the pair runs towards the cold particle; lines: (T_hot − T_cold)/(T_hot + T_cold) <F> by quadrature. " +
      "(b) Entropy production, zero at equal temperatures." +
      (d.simulated && s0
        ? ` Points: the stochastic engine (Heun, dt = ${fmt(s0.dt)}, ${s0.replicas} replicas × ${fmt(s0.time)} per point) with one standard error.`
        : ""),
    panels: [
      linePanel({
        title: "run-and-chase velocity",
        xLabel: "T_hot / T_cold",
        yLabel: "<v_cm o e>",
        yColumn: "chase_velocity",
        xType: "log",
        series: series("chaseVelocity"),
        referenceLines: [{ y: 0, color: "gray", style: "dotted" }],
      }),
      linePanel({
        title: "entropy production rate",
        xLabel: "T_hot / T_cold",
        yLabel: "sigma",
        yColumn: "entropy_production",
        xType: "log",
        series: series("entropyProduction"),
      }),
    ],
  });
}

/** The data of the ratchet figure: the centre-of-mass drift against the temperature ratio and the asymmetry. */
export interface RatchetFigureData {
  base: RatchetParams;
  ratios: number[];
  byRatio: Estimate[];
  asymmetries: number[];
  ratioAtAsymmetry: number;
  byAsymmetry: Estimate[];
  /** `longest`: the time per replica of the points not zero by symmetry, when longer than `time`. */
  simulation: { dt: number; replicas: number; time: number; longest?: number };
  /** A --quick run: an unresolved figure says "quick: not resolved" in its title. */
  quick?: boolean;
}

/** Ratchet current (centre-of-mass drift) against T_hot / T_cold and against the sawtooth's asymmetry. */
export function ratchetFigure(d: RatchetFigureData): Figure {
  const base = d.base;
  const drift = (runs: Estimate[], x: number[]) => [
    {
      name: "centre of mass",
      x,
      y: runs.map((r) => r.value),
      err: runs.map((r) => r.error),
      marker: "circle" as const,
      color: "black",
    },
  ];
  const r0 = d.simulation;
  // Whether the run resolves the sign of the drift where it is not zero by symmetry (more than 4 error bars).
  const nonzero = [
    ...d.byRatio.filter((_, i) => d.ratios[i] !== 1),
    ...d.byAsymmetry.filter((_, i) => d.asymmetries[i] !== 0.5),
  ];
  const resolved = nonzero.filter((e) => Math.abs(e.value) > 4 * e.error).length;
  const resolution =
    resolved === nonzero.length
      ? "Where it is not zero by symmetry the sign is resolved (more than 4 error bars)."
      : `Not resolved: ${nonzero.length - resolved} of the ${nonzero.length} points not zero by symmetry are within 4 error bars of zero (run longer).`;
  const times =
    r0.longest !== undefined && r0.longest > r0.time
      ? `${fmt(r0.time)} (${fmt(r0.longest)} where not zero by symmetry)`
      : fmt(r0.time);
  return panelFigure({
    name: "fig3-ratchet-current",
    title:
      "Two-temperature ratchet: current against T_hot / T_cold and the sawtooth's asymmetry" +
      (d.quick && resolved < nonzero.length ? " (quick: not resolved)" : ""),
    caption:
      `A hot (T_hot = ${fmt(base.Thot)}) and a cold particle with the soft repulsion of eq. 26 of [Metzger 2026] (k = ${fmt(base.stiffness)}, ` +
      `range ${fmt(base.range)}: they cannot pass each other) in a sawtooth of height ${fmt(base.amplitude)} and period ${fmt(base.period)} ` +
      `on a ring of ${fmt(base.box / base.period)} periods. (a) Against T_hot / T_cold, the sawtooth rising over ${fmt(base.asymmetry)} ` +
      `of the period: zero at equal temperatures; the pair moves towards −x. (b) Against the asymmetry at T_hot / T_cold = ` +
      `${d.ratioAtAsymmetry}: zero for the symmetric sawtooth (0.5). Heun, dt = ${fmt(r0.dt)}, ${r0.replicas} replicas × ${times} per point, ` +
      `one standard error. ${resolution}`,
    panels: [
      linePanel({
        title: "against the temperature ratio",
        xLabel: "T_hot / T_cold",
        yLabel: "drift velocity",
        xType: "log",
        series: drift(d.byRatio, d.ratios),
        referenceLines: [{ y: 0, color: "gray", style: "dotted" }],
      }),
      linePanel({
        title: `against the asymmetry (T_hot / T_cold = ${d.ratioAtAsymmetry})`,
        xLabel: "rising fraction of the period",
        yLabel: "drift velocity",
        series: drift(d.byAsymmetry, d.asymmetries),
        referenceLines: [{ y: 0, color: "gray", style: "dotted" }],
      }),
    ],
  });
}

/** One ratchet run (`ness study two-temperature ratchet`): its parameters, drift velocities and simulation. */
export interface RatchetRunFigureData {
  parameters: RatchetParams;
  centreOfMass: Estimate;
  hot: Estimate;
  cold: Estimate;
  dt: number;
  time: number;
  replicas: number;
  seed: number;
}

/**
 * The drift velocities of one ratchet run with their error bars against zero: the centre of mass (the ratchet
 * current) and each particle. The caption says whether the current is zero by symmetry and whether its sign is resolved.
 */
export function ratchetRunFigure(d: RatchetRunFigureData): Figure {
  const p = d.parameters;
  const rows: [string, Estimate, string][] = [
    ["centre of mass", d.centreOfMass, "black"],
    ["hot particle", d.hot, "#d62728"],
    ["cold particle", d.cold, "#1f77b4"],
  ];
  const c = d.centreOfMass;
  const symmetric = p.Thot === p.Tcold || p.asymmetry === 0.5;
  const bar = Number.isFinite(c.error) && c.error > 0;
  const sigmas = bar ? fmt(Math.abs(c.value) / c.error, 2) : "";
  const sign = !bar
    ? "The centre-of-mass drift has no error bar (too few replicas or blocks): its sign is not resolved."
    : Math.abs(c.value) > 4 * c.error
      ? `The centre of mass drifts towards ${c.value < 0 ? "−x" : "+x"} (${sigmas} error bars from zero).`
      : `The centre-of-mass drift is within 4 error bars of zero (${sigmas}): not resolved${symmetric ? "" : "; run longer or with more replicas"}.`;
  return panelFigure({
    name: "ratchet-drift",
    title: "Two-temperature ratchet: drift velocities",
    caption:
      `A hot (T_hot = ${fmt(p.Thot)}) and a cold (T_cold = ${fmt(p.Tcold)}) particle with the soft repulsion of eq. 26 of [Metzger 2026] ` +
      `(k = ${fmt(p.stiffness)}, range ${fmt(p.range)}) in a sawtooth of height ${fmt(p.amplitude)} and period ${fmt(p.period)} rising over ` +
      `${fmt(p.asymmetry)} of it, on a ring of ${fmt(p.box)}. Drift velocities with one standard error; the centre of mass's is ` +
      `(v_hot + v_cold) / 2. ${symmetric ? (p.Thot === p.Tcold ? "Equal temperatures: equilibrium, zero by detailed balance. " : "Symmetric sawtooth: zero by symmetry. ") : ""}` +
      `${sign} Heun, dt = ${fmt(d.dt)}, ${d.replicas} replicas × ${fmt(d.time)}, random seed ${d.seed}.`,
    panels: [
      linePanel({
        xLabel: "",
        yLabel: "drift velocity (length/time)",
        xDomain: [0.5, 3.5],
        xCategories: rows.map(([label], i) => ({ x: i + 1, label })),
        series: rows.map(([name, e, color], i) => ({
          name,
          x: [i + 1],
          y: [e.value],
          ...(Number.isFinite(e.error) ? { err: [e.error] } : {}),
          color,
          line: false,
          marker: "circle" as const,
        })),
        referenceLines: [{ y: 0, color: "gray", style: "dotted" }],
        width: 420,
        height: 300,
      }),
    ],
    legend: "shared",
  });
}
