/**
 * Figures of seed 004 (two overdamped particles at two temperatures): the (x1, x2) density and probability current
 * of the harmonic pair, exact beside simulated (the recitation's Section 4 figure); the entropy production and the
 * heat flow against T1/T2, exact with simulated points; the ratchet current against T_hot/T_cold. Each planned
 * figure says what it runs, so `ness reproduce two-temperature [--quick]` can log and time it. Browser-safe.
 */
import { heatmapPanel, linePanel, panelFigure } from "../../figures/charts.js";
import type { Figure } from "../../figures/figure.js";
import {
  DEFAULT_PAIR, exactPairField, fieldRows, pairExact, pairGridRange, simulatePair, type HarmonicPairParams,
} from "./harmonicPair.js";
import { ratchetCurrent } from "./ratchet.js";

export interface PlannedFigure {
  name: string;
  build(): Figure;
}

export interface FigurePlanOptions {
  quick: boolean;
  log?: (line: string) => void;
  seed?: number;
}

const fmt = (x: number, digits = 3) => Number(x.toPrecision(digits)).toString();

/** Exact heatmap with current arrows beside the simulated one. */
export function densityCurrentFigure(params: HarmonicPairParams = DEFAULT_PAIR, options: { quick?: boolean; seed?: number } = {}): Figure {
  const e = pairExact(params);
  const bins = options.quick ? 16 : 24;
  const range = pairGridRange(e);
  const sim = simulatePair(e.parameters, { time: options.quick ? 40 : 400, replicas: options.quick ? 4 : 8, seed: options.seed ?? 1, bins });
  const ex = exactPairField(e, range, [bins, bins]);
  const sm = fieldRows(sim.field);
  const top = Math.max(...ex.density.flat(), ...sm.density.flat());
  const color = { label: "density p(x1, x2)", domain: [0, top] as [number, number], scheme: "viridis" };
  const stride = Math.max(1, Math.round(bins / 12));
  const p = e.parameters;
  // Simulated circulation: the area rate sum (x1 J2 - x2 J1) / 2 over the cells.
  const cell = ((range[0][1] - range[0][0]) / bins) * ((range[1][1] - range[1][0]) / bins);
  let area = 0;
  sm.x2.forEach((b, j) => sm.x1.forEach((a, i) => (area += 0.5 * (a * sm.current2[j][i] - b * sm.current1[j][i]) * cell)));
  return panelFigure({
    name: "fig1-pair-density-current",
    title: `Harmonic pair at T1 = ${fmt(p.T1)}, T2 = ${fmt(p.T2)} (k = ${fmt(p.k)}, lambda = ${fmt(p.lambda)}): density and probability current`,
    caption:
      `Seed 004, Section 4.1 with the corrected equations (physics-notes.md: the printed eqs. 28-29 swap the trap terms). ` +
      `(a) exact Gaussian density and current J = (-F x - D grad) p; (b) the stochastic engine (Heun, dt = ${fmt(sim.result.dt)}, ` +
      `${sim.result.replicas} replicas x ${fmt(sim.result.time)}), density histogram and Stratonovich current. The current circulates ` +
      `${e.areaRate > 0 ? "counterclockwise" : e.areaRate < 0 ? "clockwise" : "nowhere"}: mean area rate <x1 o x2' - x2 o x1'>/2 = ` +
      `${fmt(e.areaRate)} exact, ${fmt(area)} simulated (within the grid). Entropy production ${fmt(e.entropyProduction)} exact, ` +
      `${fmt(sim.entropyProduction.value)} ± ${fmt(sim.entropyProduction.error, 2)} simulated.`,
    panels: [
      heatmapPanel({
        title: "exact", xLabel: "x1 (particle 1)", yLabel: "x2 (particle 2)", x: ex.x1, y: ex.x2, values: ex.density, color,
        vectors: { u: ex.current1, v: ex.current2, stride, label: "probability current" },
        width: 420, height: 380,
      }),
      heatmapPanel({
        title: "simulated", xLabel: "x1 (particle 1)", yLabel: "x2 (particle 2)", x: sm.x1, y: sm.x2, values: sm.density, color,
        vectors: { u: sm.current1, v: sm.current2, stride, label: "probability current" },
        width: 420, height: 380,
      }),
    ],
  });
}

/** Entropy production and heat flow against T1 / T2 (T2 fixed): exact lines, closed form, simulated points. */
export function entropyProductionFigure(options: { quick?: boolean; seed?: number; base?: HarmonicPairParams } = {}): Figure {
  const base = options.base ?? DEFAULT_PAIR;
  const curve = Array.from({ length: 81 }, (_, i) => 0.25 * Math.pow(40, i / 80));
  const points = options.quick ? [0.5, 2, 5] : [0.25, 0.5, 1, 2, 5, 10];
  const exact = curve.map((r) => pairExact({ ...base, T1: r * base.T2 }));
  const sims = points.map((r, i) =>
    simulatePair({ ...base, T1: r * base.T2 }, { time: options.quick ? 30 : 200, replicas: options.quick ? 4 : 8, seed: (options.seed ?? 1) + i, bins: 4 }),
  );
  return panelFigure({
    name: "fig2-entropy-production",
    title: `Harmonic pair: entropy production and heat flow against T1/T2 (T2 = ${fmt(base.T2)}, k = ${fmt(base.k)}, lambda = ${fmt(base.lambda)})`,
    caption:
      "Lines: the exact engine (overdamped network); the closed form k^2 (T1 - T2)^2 / (2 T1 T2 (k + lambda)) and the general " +
      "linear formula Tr(D^-1 F S F^T) - Tr(F) coincide with it. Points: the stochastic engine's Stratonovich estimators " +
      "(seed 004 eq. 23 with the minus sign of eq. 20, physics-notes.md) with one standard error. Both vanish at T1 = T2.",
    panels: [
      linePanel({
        title: "entropy production rate", xLabel: "T1 / T2", yLabel: "sigma", xType: "log",
        series: [
          { name: "exact", x: curve, y: exact.map((e) => e.entropyProduction), color: "black" },
          { name: "simulated", x: points, y: sims.map((s) => s.entropyProduction.value), err: sims.map((s) => s.entropyProduction.error), line: false, marker: "circle", color: "red" },
        ],
      }),
      linePanel({
        title: "heat from bath 1 into bath 2", xLabel: "T1 / T2", yLabel: "heat flow", xType: "log",
        series: [
          { name: "exact", x: curve, y: exact.map((e) => e.heatFromBath[0]), color: "black" },
          { name: "simulated", x: points, y: sims.map((s) => s.heatFromBath[0].value), err: sims.map((s) => s.heatFromBath[0].error), line: false, marker: "circle", color: "red" },
        ],
        referenceLines: [{ y: 0, color: "gray", style: "dotted" }],
      }),
    ],
  });
}

/** Ratchet current (centre-of-mass drift) against T_hot / T_cold at fixed T_hot. */
export function ratchetFigure(options: { quick?: boolean; seed?: number } = {}): Figure {
  const ratios = options.quick ? [1, 5, 20] : [1, 2, 5, 10, 20];
  const Thot = 1;
  const runs = ratios.map((r, i) =>
    ratchetCurrent({ Thot, Tcold: Thot / r }, { time: options.quick ? 40 : 800, replicas: options.quick ? 2 : 8, seed: (options.seed ?? 1) + i }),
  );
  const p = runs[0].parameters;
  return panelFigure({
    name: "fig3-ratchet-current",
    title: "Two-temperature ratchet: drift against T_hot / T_cold",
    caption:
      `A hot (T_hot = ${Thot}) and a cold particle with the soft repulsion of seed 004 eq. 26 (k = ${p.stiffness}, range ${p.range}; ` +
      `the cutoff is the range, physics-notes.md) in a sawtooth of height ${p.amplitude}, period ${p.period}, rising over ` +
      `${p.asymmetry} of it, on a ring of ${p.box} periods. Drift velocities from the stochastic engine (Heun, dt = ${runs[0].dt}, ` +
      `${runs[0].replicas} replicas x ${fmt(runs[0].time)}) with one standard error; the centre-of-mass error bar is the mean ` +
      "of the two (an upper bound). At T_hot = T_cold the system is in equilibrium and carries no current.",
    panels: [
      linePanel({
        xLabel: "T_hot / T_cold", yLabel: "drift velocity", xType: "log",
        series: [
          { name: "centre of mass", x: ratios, y: runs.map((r) => r.centreOfMass.value), err: runs.map((r) => r.centreOfMass.error), marker: "circle", color: "black" },
          { name: "hot particle", x: ratios, y: runs.map((r) => r.hot.value), err: runs.map((r) => r.hot.error), marker: "triangle", color: "red", style: "dashed" },
          { name: "cold particle", x: ratios, y: runs.map((r) => r.cold.value), err: runs.map((r) => r.cold.error), marker: "square", color: "blue", style: "dashed" },
        ],
        referenceLines: [{ y: 0, color: "gray", style: "dotted" }],
      }),
    ],
  });
}

/** The figures of `ness reproduce two-temperature`. */
export function figurePlan({ quick, seed }: FigurePlanOptions): PlannedFigure[] {
  return [
    { name: "fig1-pair-density-current", build: () => densityCurrentFigure(DEFAULT_PAIR, { quick, seed }) },
    { name: "fig2-entropy-production", build: () => entropyProductionFigure({ quick, seed }) },
    { name: "fig3-ratchet-current", build: () => ratchetFigure({ quick, seed }) },
  ];
}
