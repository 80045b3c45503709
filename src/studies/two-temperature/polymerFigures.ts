/**
 * The hot/cold polymer figure (fig9 of `ness reproduce two-temperature`, and the study's own figure): pure drawing
 * of the results of src/studies/two-temperature/polymer.ts, no engine. Simulated points carry one standard error;
 * the lines are the exact engine's answer for the same chain without the repulsion (the Gaussian chain). The hot
 * minus cold differences are the simulation's own estimates (taken batch by batch: their error bars include the
 * correlation of hot and cold, which the same run measures). A difference counts as resolved under the Student-t
 * rule of src/studentT.ts (the quantile of n - 1 degrees of freedom, n the batch values behind the error bars, with
 * the false-alarm rate of 4 normal standard errors).
 * Browser-safe.
 */
import { linePanel, panelFigure, type Series } from "../../figures/charts.js";
import type { Figure } from "../../figures/figure.js";
import { isResolved } from "../../studentT.js";
import type {
  PolymerDifferences,
  PolymerEstimate,
  PolymerExact,
  PolymerObservables,
  PolymerParams,
  PolymerProfile,
} from "./polymer.js";

const fmt = (x: number, digits = 3) => Number(x.toPrecision(digits)).toString();
const pm = (e: { value: number; error: number }) => `${fmt(e.value)} ± ${fmt(e.error, 2)}`;

const HOT = "red",
  COLD = "blue";

/** One simulated point of the figure: the run's parameters, its estimates and the Gaussian chain's exact values. */
export interface PolymerPoint {
  parameters: PolymerParams;
  simulated: PolymerObservables<PolymerEstimate> &
    PolymerDifferences<PolymerEstimate> & { profile: PolymerProfile<PolymerEstimate> };
  gaussian: PolymerExact;
}

/** The data of the polymer figure: block and alternating chains at T_hot / T_cold = ratios (T_cold fixed). */
export interface PolymerFigureData {
  ratios: number[];
  block: PolymerPoint[];
  alternating: PolymerPoint[];
  /** The Gaussian chain's exact values on a fine grid of ratios (lines). */
  curve: number[];
  blockCurve: PolymerObservables<number>[];
  alternatingCurve: PolymerObservables<number>[];
  simulation: { dt: number; time: number; burnIn: number; replicas: number };
  /** The alternating chain at the largest ratio run again at dt/2: the time-step check of the heat flow. */
  halfStep?: { dt: number; heatFlow: PolymerEstimate };
  /** A --quick run: the title says so where a difference the figure states is not resolved. */
  quick?: boolean;
}

/** Whether a difference is resolved from zero under the Student-t rule. */
export function polymerResolved(e: PolymerEstimate): boolean {
  return isResolved(e.value, e.error, e.batches);
}

type Key = keyof PolymerObservables<number>;

function pointSeries(
  name: string,
  ratios: number[],
  points: PolymerPoint[],
  key: Key,
  color: string,
  marker: "circle" | "square",
): Series {
  return {
    name,
    x: ratios,
    y: points.map((p) => p.simulated[key].value),
    err: points.map((p) => p.simulated[key].error),
    line: false,
    marker,
    color,
  };
}

function lineSeries(name: string, curve: number[], values: PolymerObservables<number>[], key: Key, color: string) {
  return { name, x: curve, y: values.map((v) => v[key]), color, style: "dashed" as const };
}

/** The hot/cold polymer figure: block radii, where hot and cold monomers sit, the profile and the heat flow. */
export function polymerFigure(d: PolymerFigureData): Figure {
  const p0 = d.block[0].parameters;
  const last = d.ratios.length - 1;
  const top = d.ratios[last];
  const s = d.simulation;
  // Resolved differences the caption states.
  const blockDiff = d.block.map((p) => p.simulated.gyrationHotMinusCold);
  const altDiff = d.alternating.map((p) => p.simulated.centreDistanceHotMinusCold);
  const equal = d.ratios.indexOf(1);
  const swellResolved = d.ratios.map((r, i) => r > 1 && polymerResolved(blockDiff[i]));
  const firstSwell = d.ratios.find((r, i) => swellResolved[i]);
  const drivenRatios = d.ratios.filter((r) => r > 1).length;
  const unresolved = d.ratios.some((r, i) => r > 1 && !swellResolved[i]);
  const equalText =
    equal >= 0
      ? ` At equal temperatures the blocks' Rg² differ by ${pm(blockDiff[equal])} (${polymerResolved(blockDiff[equal]) ? "resolved: a bug or too short a run" : "not resolved, as the chain's symmetry requires"}) and the heat flows are ${pm(d.block[equal].simulated.heatFlow)} (block) and ${pm(d.alternating[equal].simulated.heatFlow)} (alternating).`
      : "";
  const swellText =
    drivenRatios === 0
      ? ""
      : firstSwell === undefined
        ? " The hot block's swelling is not resolved at any ratio (Student-t rule): run longer."
        : ` The hot block is larger than the cold one, resolved (Student-t rule) from T_hot/T_cold = ${fmt(firstSwell)}${unresolved ? " (not at every ratio)" : ""}.`;
  const halfText = d.halfStep
    ? ` Time step: at ${fmt(top)} the alternating chain's heat flow is ${pm(d.alternating[last].simulated.heatFlow)} at dt = ${fmt(s.dt)} and ${pm(d.halfStep.heatFlow)} at dt = ${fmt(d.halfStep.dt)} (diamond): the heat flows' time-step bias, not in their error bars.`
    : " Heat flows carry a time-step bias (first order in dt), not in their error bars.";
  const altText = ` In the alternating chain the hot monomers sit ${altDiff[last].value > 0 ? "farther from" : "nearer to"} the centre than the cold ones by ${pm(altDiff[last])} at ${fmt(top)} (${polymerResolved(altDiff[last]) ? "resolved" : "not resolved"}).`;
  // Heat flow over T_hot - T_cold (ratio > 1): the chain's conductance. For the Gaussian chain (a linear network)
  // the heat flow is exactly proportional to T_hot - T_cold: its line is the constant, drawn from ratio 1.
  const driven = d.ratios.map((r, i) => (r > 1 ? i : -1)).filter((i) => i >= 0);
  const dT = (pt: PolymerPoint) => pt.parameters.Thot - pt.parameters.Tcold;
  const conductance = (pts: PolymerPoint[], name: string, marker: "circle" | "square"): Series => ({
    name,
    x: driven.map((i) => d.ratios[i]),
    y: driven.map((i) => pts[i].simulated.heatFlow.value / dT(pts[i])),
    err: driven.map((i) => pts[i].simulated.heatFlow.error / dT(pts[i])),
    line: false,
    marker,
    color: "black",
  });
  const curveDriven = d.curve.map((r, i) => (r > 1 ? i : -1)).filter((i) => i >= 0);
  const gaussianConductance = (values: PolymerObservables<number>[]) => {
    const g = curveDriven.map((i) => values[i].heatFlow / ((d.curve[i] - 1) * p0.Tcold));
    return { x: [1, ...curveDriven.map((i) => d.curve[i])], y: [g[0], ...g] };
  };
  const profileSeries = (pts: PolymerPoint, name: string, marker: "circle" | "square"): Series[] =>
    (["hot", "cold"] as const).map((which) => {
      const idx = pts.simulated.profile.hot
        .map((h, j) => ((h ? "hot" : "cold") === which ? j : -1))
        .filter((j) => j >= 0);
      return {
        name: `${name}, ${which}`,
        x: idx.map((j) => j + 1),
        y: idx.map((j) => pts.simulated.profile.distance[j].value),
        err: idx.map((j) => pts.simulated.profile.distance[j].error),
        line: false,
        marker,
        color: which === "hot" ? HOT : COLD,
      };
    });
  const monomers = d.block[last].simulated.profile.hot.map((_, j) => j + 1);
  return panelFigure({
    name: "fig9-hot-cold-polymer",
    title:
      `Hot and cold monomers in one chain: swelling, segregation and heat flow (${p0.monomers} monomers, T_cold = ${fmt(p0.Tcold)})` +
      (d.quick && (unresolved || firstSwell === undefined) ? " (quick: not resolved)" : ""),
    caption:
      "Hot/cold segregation as a picture of genome organization, Section 3.3 of [Metzger 2026]; hot and cold polymer melts: " +
      "J. Smrek and K. Kremer, arXiv:1701.07362 (2017). " +
      `${p0.monomers} overdamped monomers in ${p0.dimension}D (friction 1, kB = 1), half at T_hot, half at T_cold, in blocks (circles) or alternating (squares); ` +
      `harmonic bonds k r²/2 with k = ${fmt(p0.bond)}, the soft repulsion (k_rep/2)(1 − r/range)² with k_rep = ${fmt(p0.repulsion)}, range ${fmt(p0.range)} ` +
      `between all monomers, a trap ${fmt(p0.trap)}|r|²/2 on each. ` +
      `Points: Heun, dt = ${fmt(s.dt)}, ${s.replicas} replicas × ${fmt(s.time)} after ${fmt(s.burnIn)}, one standard error; dashed lines: ` +
      `the same chains without the repulsion, exact (the Gaussian chain is a linear network). (a) Block chain: Rg² of each block. ` +
      `(b) Alternating chain: mean squared distance of the hot and the cold monomers from the chain's centre. (c) Each monomer's ` +
      `mean squared distance from the centre along the chain at T_hot/T_cold = ${fmt(top)}. (d) Heat flow from the hot baths through ` +
      `the chain into the cold ones over T_hot − T_cold (a constant for the Gaussian chain, whose heat flow is linear in it).${swellText}${altText}${equalText}${halfText}`,
    panels: [
      linePanel({
        title: "block chain: radius of gyration of each block",
        xLabel: "T_hot / T_cold",
        yLabel: "Rg² (length²)",
        yColumn: "gyration_squared",
        xType: "log",
        series: [
          pointSeries("hot", d.ratios, d.block, "gyrationHot", HOT, "circle"),
          pointSeries("cold", d.ratios, d.block, "gyrationCold", COLD, "circle"),
          lineSeries("hot, Gaussian chain (exact)", d.curve, d.blockCurve, "gyrationHot", HOT),
          lineSeries("cold, Gaussian chain (exact)", d.curve, d.blockCurve, "gyrationCold", COLD),
        ],
      }),
      linePanel({
        title: "alternating chain: distance from the centre",
        xLabel: "T_hot / T_cold",
        yLabel: "<|r − R_cm|²> (length²)",
        yColumn: "centre_distance_squared",
        xType: "log",
        series: [
          pointSeries("hot", d.ratios, d.alternating, "centreDistanceHot", HOT, "square"),
          pointSeries("cold", d.ratios, d.alternating, "centreDistanceCold", COLD, "square"),
          lineSeries("hot, Gaussian chain (exact)", d.curve, d.alternatingCurve, "centreDistanceHot", HOT),
          lineSeries("cold, Gaussian chain (exact)", d.curve, d.alternatingCurve, "centreDistanceCold", COLD),
        ],
      }),
      linePanel({
        title: `profile along the chain at T_hot/T_cold = ${fmt(top)}`,
        xLabel: "monomer along the chain",
        yLabel: "<|r − R_cm|²> (length²)",
        xColumn: "monomer",
        yColumn: "centre_distance_squared",
        series: [
          ...profileSeries(d.block[last], "block", "circle"),
          ...profileSeries(d.alternating[last], "alternating", "square"),
          {
            name: "block, Gaussian chain (exact)",
            x: monomers,
            y: d.block[last].gaussian.profile.distance,
            color: "black",
            style: "dashed",
          },
          {
            name: "alternating, Gaussian chain (exact)",
            x: monomers,
            y: d.alternating[last].gaussian.profile.distance,
            color: "gray",
            style: "dotted",
          },
        ],
      }),
      linePanel({
        title: "heat flow from hot to cold monomers per unit T_hot − T_cold",
        xLabel: "T_hot / T_cold",
        yLabel: "heat flow / (T_hot − T_cold) (1/time)",
        yColumn: "heat_conductance",
        xType: "log",
        series: [
          conductance(d.block, "block", "circle"),
          conductance(d.alternating, "alternating", "square"),
          ...(d.halfStep
            ? [
                {
                  name: `alternating, dt = ${fmt(d.halfStep.dt)}`,
                  x: [top],
                  y: [d.halfStep.heatFlow.value / dT(d.alternating[last])],
                  err: [d.halfStep.heatFlow.error / dT(d.alternating[last])],
                  line: false,
                  marker: "diamond" as const,
                  color: "gray",
                },
              ]
            : []),
          {
            name: "block, Gaussian chain (exact)",
            ...gaussianConductance(d.blockCurve),
            color: "black",
            style: "dashed",
          },
          {
            name: "alternating, Gaussian chain (exact)",
            ...gaussianConductance(d.alternatingCurve),
            color: "gray",
            style: "dotted",
          },
        ],
      }),
    ],
  });
}

/** The study's own figure: one chain's profile along it, simulated (hot and cold) and the Gaussian chain exact. */
export function polymerRunFigure(
  r: PolymerPoint & { simulation: { dt: number; time: number; replicas: number } },
): Figure {
  const p = r.parameters,
    prof = r.simulated.profile;
  const series = (["hot", "cold"] as const).map((which) => {
    const idx = prof.hot.map((h, j) => ((h ? "hot" : "cold") === which ? j : -1)).filter((j) => j >= 0);
    return {
      name: which,
      x: idx.map((j) => j + 1),
      y: idx.map((j) => prof.distance[j].value),
      err: idx.map((j) => prof.distance[j].error),
      line: false,
      marker: "circle" as const,
      color: which === "hot" ? HOT : COLD,
    };
  });
  const exact = p.repulsion === 0;
  return panelFigure({
    name: "polymer-profile",
    title: `${p.sequence === "block" ? "Block" : "Alternating"} chain of ${p.monomers} monomers, T_hot/T_cold = ${fmt(p.Thot / p.Tcold)}: profile`,
    caption:
      "A chain of hot and cold monomers (Section 3.3 of [Metzger 2026]; cf. [Smrek & Kremer 2017]). " +
      `Each monomer's mean squared distance from the chain's centre (Heun, dt = ${fmt(r.simulation.dt)}, ${r.simulation.replicas} replicas × ` +
      `${fmt(r.simulation.time)}, one standard error); dashed: the exact engine for the same chain ${exact ? "(it has no repulsion: the exact answer)" : "without the repulsion"}. ` +
      `Rg² hot ${pm(r.simulated.gyrationHot)}, cold ${pm(r.simulated.gyrationCold)}; heat flow from the hot to the cold monomers ${pm(r.simulated.heatFlow)}.`,
    panels: [
      linePanel({
        xLabel: "monomer along the chain",
        yLabel: "<|r − R_cm|²> (length²)",
        xColumn: "monomer",
        yColumn: "centre_distance_squared",
        series: [
          ...series,
          {
            name: exact ? "exact" : "Gaussian chain (exact)",
            x: prof.hot.map((_, j) => j + 1),
            y: r.gaussian.profile.distance,
            color: "black",
            style: "dashed",
          },
        ],
      }),
    ],
  });
}
