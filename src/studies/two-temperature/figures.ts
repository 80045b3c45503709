/**
 * Figures of seed 004 (two overdamped particles at two temperatures): the (x1, x2) density and probability current
 * of the harmonic pair, exact beside simulated (the recitation's Section 4 figure); the entropy production and the
 * heat flow against T1/T2, exact with simulated points; the ratchet current against T_hot/T_cold and the asymmetry;
 * run-and-chase in 1, 2 and 3 dimensions, exact (quadrature) with simulated points; hot/cold demixing
 * (demixingFigures.ts). Each planned
 * figure says what it runs, so `ness reproduce two-temperature [--quick]` can log and time it. Browser-safe.
 */
import { heatmapPanel, linePanel, panelFigure } from "../../figures/charts.js";
import type { Figure } from "../../figures/figure.js";
import {
  DEFAULT_PAIR, exactPairField, fieldRows, pairExact, pairGridRange, simulatePair, type HarmonicPairParams, type Measured,
} from "./harmonicPair.js";
import { demixingFigurePlan } from "./demixingFigures.js";
import { DEFAULT_RATCHET, ratchetCurrent, type RatchetCurrent, type RatchetParams } from "./ratchet.js";
import {
  runAndChaseExact, simulateRunAndChase, validateRunAndChaseParams, type RunAndChaseExact, type RunAndChaseParams,
  type RunAndChaseSimulation,
} from "./runAndChase.js";

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

const DIMENSION_COLORS = ["black", "red", "blue"];

/** Run-and-chase in 1, 2 and 3 dimensions: chase velocity and entropy production against T_hot / T_cold. */
export function runAndChaseFigure(options: { quick?: boolean; seed?: number; base?: Partial<RunAndChaseParams> } = {}): Figure {
  const base = validateRunAndChaseParams(options.base ?? {});
  const ratios = options.quick ? [1, 10] : [1, 2, 5, 10, 20];
  const curve = Array.from({ length: 61 }, (_, i) => Math.pow(30, i / 60));
  const dims = [1, 2, 3] as const;
  const exact = dims.map((d) => curve.map((r) => runAndChaseExact({ ...base, dimension: d, Tcold: base.Thot / r })));
  const sims = dims.map((d, di) =>
    ratios.map((r, i) =>
      simulateRunAndChase({ ...base, dimension: d, Tcold: base.Thot / r }, {
        time: options.quick ? 200 : 2000, replicas: options.quick ? 2 : 4, seed: (options.seed ?? 1) + 100 * di + i,
      }),
    ),
  );
  const s0 = sims[0][0].result;
  const series = (pick: (x: RunAndChaseExact) => number, pickSim: (x: RunAndChaseSimulation) => Measured) =>
    dims.flatMap((d, di) => [
      { name: `${d}D exact`, x: curve, y: exact[di].map(pick), color: DIMENSION_COLORS[di] },
      {
        name: `${d}D simulated`, x: ratios, y: sims[di].map((s) => pickSim(s).value), err: sims[di].map((s) => pickSim(s).error),
        line: false, marker: (["circle", "square", "triangle"] as const)[di], color: DIMENSION_COLORS[di],
      },
    ]);
  return panelFigure({
    name: "fig4-run-and-chase",
    title: `Run-and-chase: a hot and a cold particle with soft repulsion in 1, 2 and 3 dimensions (T_hot = ${fmt(base.Thot)})`,
    caption:
      `Seed 004, Section 3.1: eq. 26 with k = ${fmt(base.stiffness)}, range ${fmt(base.range)} (acting for r < range, physics-notes.md), ` +
      `periodic box of side ${fmt(base.box)}, mobility 1. (a) The centre of mass's velocity along r_cold - r_hot, <v_cm o e> ` +
      "(Stratonovich): positive, the pair runs towards the cold particle. The pair force cancels in the centre of mass, " +
      "whose noise is correlated with the separation's; exactly, <v_cm o e> = (T_hot - T_cold)/(T_hot + T_cold) <F> with F the " +
      "repulsive force and the separation Boltzmann-distributed at (T_hot + T_cold)/2 (lines, by quadrature). " +
      "(b) Entropy production <F^2> (T_hot - T_cold)^2 / (T_hot T_cold (T_hot + T_cold)), zero at equal temperatures. " +
      `Points: the stochastic engine (Heun, dt = ${fmt(s0.dt)}, ${s0.replicas} replicas x ${fmt(s0.time)} per point) with one standard error.`,
    panels: [
      linePanel({
        title: "run-and-chase velocity", xLabel: "T_hot / T_cold", yLabel: "<v_cm o e>", xType: "log",
        series: series((e) => e.chaseVelocity, (s) => s.chaseVelocity),
        referenceLines: [{ y: 0, color: "gray", style: "dotted" }],
      }),
      linePanel({
        title: "entropy production rate", xLabel: "T_hot / T_cold", yLabel: "sigma", xType: "log",
        series: series((e) => e.entropyProduction, (s) => s.entropyProduction),
      }),
    ],
  });
}

/** Ratchet current (centre-of-mass drift) against T_hot / T_cold and against the sawtooth's asymmetry. */
export function ratchetFigure(options: { quick?: boolean; seed?: number; base?: Partial<RatchetParams> } = {}): Figure {
  const base = { ...DEFAULT_RATCHET, ...options.base };
  const ratios = options.quick ? [1, 20] : [1, 2, 5, 10, 20, 50];
  const asymmetries = options.quick ? [0.5, 0.8] : [0.5, 0.6, 0.7, 0.8, 0.9];
  const ratioAtAsymmetry = 20;
  const run = (p: Partial<RatchetParams>, seed: number) =>
    ratchetCurrent({ ...base, ...p }, { time: options.quick ? 100 : 1000, replicas: options.quick ? 2 : 8, seed });
  const byRatio = ratios.map((r, i) => run({ Tcold: base.Thot / r }, (options.seed ?? 1) + i));
  const byAsymmetry = asymmetries.map((a, i) => run({ Tcold: base.Thot / ratioAtAsymmetry, asymmetry: a }, (options.seed ?? 1) + 50 + i));
  const drift = (runs: RatchetCurrent[], x: number[]) => [
    { name: "centre of mass", x, y: runs.map((r) => r.centreOfMass.value), err: runs.map((r) => r.centreOfMass.error), marker: "circle" as const, color: "black" },
  ];
  const r0 = byRatio[0];
  return panelFigure({
    name: "fig3-ratchet-current",
    title: "Two-temperature ratchet: centre-of-mass current against T_hot / T_cold and the sawtooth's asymmetry",
    caption:
      `A hot (T_hot = ${fmt(base.Thot)}) and a cold particle with the soft repulsion of seed 004 eq. 26 (k = ${fmt(base.stiffness)}, ` +
      `range ${fmt(base.range)}: they cannot pass each other) in a sawtooth of height ${fmt(base.amplitude)} and period ${fmt(base.period)} ` +
      `on a ring of ${fmt(base.box / base.period)} periods. (a) Against T_hot / T_cold, the sawtooth rising over ${fmt(base.asymmetry)} ` +
      `of the period: zero at equal temperatures (equilibrium); the pair moves towards -x (negative), crossing the barriers by ` +
      `their short steep side, which the hot particle's push spans. (b) Against the ` +
      `asymmetry at T_hot / T_cold = ${ratioAtAsymmetry}: zero for the symmetric sawtooth (0.5, parity). Stochastic engine (Heun, ` +
      `dt = ${fmt(r0.dt)}, ${r0.replicas} replicas x ${fmt(r0.time)} per point); error bars are one standard error of the ` +
      "centre-of-mass drift.",
    panels: [
      linePanel({
        title: "against the temperature ratio", xLabel: "T_hot / T_cold", yLabel: "drift velocity", xType: "log",
        series: drift(byRatio, ratios), referenceLines: [{ y: 0, color: "gray", style: "dotted" }],
      }),
      linePanel({
        title: `against the asymmetry (T_hot / T_cold = ${ratioAtAsymmetry})`, xLabel: "rising fraction of the period", yLabel: "drift velocity",
        series: drift(byAsymmetry, asymmetries), referenceLines: [{ y: 0, color: "gray", style: "dotted" }],
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
    { name: "fig4-run-and-chase", build: () => runAndChaseFigure({ quick, seed }) },
    ...demixingFigurePlan({ quick, seed }),
  ];
}
