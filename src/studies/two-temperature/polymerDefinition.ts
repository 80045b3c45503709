/**
 * The hot/cold polymer as a study contract (`ness study two-temperature polymer`) and as the figure set
 * fig9-hot-cold-polymer of `ness reproduce two-temperature`: parameters declared once (polymer.ts polymerSchema),
 * compute() runs the stochastic engine and the exact engine's Gaussian chain, figures() and report() only draw and
 * write (polymerFigures.ts). Browser-safe.
 */
import { ModelError } from "../../errors.js";
import { GOYCHUK_ET_AL_2023, METZGER_2026, SMREK_KREMER_2017 } from "../citations.js";
import { defineStudy, estimateNumber, figureSet, type NamedNumber } from "../contract.js";
import { runAll, runOptionsOf } from "../parallel.js";
import { num, pm, table } from "../text.js";
import type { RunOptions } from "../../stochastic/ensemble.js";
import {
  polymerGaussianExact,
  polymerSchema,
  runPolymer,
  type PolymerInput,
  type PolymerObservables,
  type PolymerRun,
} from "./polymer.js";
import { polymerFigure, polymerResolved, polymerRunFigure, type PolymerFigureData } from "./polymerFigures.js";

const ROWS: [keyof PolymerObservables<number>, string][] = [
  ["gyrationHot", "Rg^2 of the hot monomers"],
  ["gyrationCold", "Rg^2 of the cold monomers"],
  ["gyrationAll", "Rg^2 of the chain"],
  ["centreDistanceHot", "<|r - R_cm|^2>, hot monomers"],
  ["centreDistanceCold", "<|r - R_cm|^2>, cold monomers"],
  ["centresApart", "|R_hot - R_cold|^2 (centres apart)"],
  ["heatFlow", "heat flow from the hot baths"],
  ["heatFromCold", "heat flow from the cold baths"],
  ["entropyProduction", "entropy production"],
];

function polymerReport(r: PolymerRun): string {
  const p = r.parameters;
  const exact = p.repulsion === 0;
  const diff = r.simulated.gyrationHotMinusCold;
  return [
    `Hot and cold monomers in one chain: ${p.monomers} monomers in ${p.dimension}D, ${p.sequence} sequence, T_hot = ${num(p.Thot)}, T_cold = ${num(p.Tcold)}`,
    `harmonic bonds k = ${num(p.bond)} (rest length 0), ` +
      (exact ? "no repulsion (the Gaussian chain)" : `soft repulsion ${num(p.repulsion)}, range ${num(p.range)}`) +
      `, trap ${num(p.trap)}; overdamped, friction 1, kB = 1`,
    "",
    table(
      ["quantity", "simulated", exact ? "exact" : "Gaussian chain (no repulsion), exact"],
      ROWS.map(([k, label]) => [label, pm(r.simulated[k]), r.gaussian[k]]),
    ),
    `hot minus cold Rg^2: ${pm(diff)} (${polymerResolved(diff) ? "resolved" : "not resolved"} under the Student-t rule, ${diff.batches} batch values)`,
    `exact engine residual ${num(r.gaussian.residual)}`,
    `simulation: Heun, dt = ${num(r.dt)}, ${r.replicas} replicas × ${num(r.time)} after a burn-in of ${num(r.burnIn)}, random seed ${r.seed}`,
  ].join("\n");
}

/** The polymer's units (the study's, and fig9's under `ness reproduce two-temperature`). */
const POLYMER_UNITS =
  "kB = 1 and friction 1: temperatures and the repulsion's stiffness in energy units, lengths in the units of the repulsion's range, time in length^2/(mobility x energy); Rg^2 and squared distances in length^2, heat flows in energy/time and per unit T_hot - T_cold in 1/time, entropy production in kB/time";

export const polymer = defineStudy({
  name: "two-temperature/polymer",
  title: "Hot and cold monomers in one chain",
  units: POLYMER_UNITS,
  summary:
    "a chain of N overdamped monomers, half hot and half cold, in blocks or alternating, with harmonic bonds, the soft " +
    "repulsion between all monomers and a weak trap: the squared radius of gyration of the hot and the cold monomers, " +
    "where each sits (mean squared distance from the centre, and the profile along the chain) and the heat flow from " +
    "the hot to the cold monomers, simulated with error bars, beside the exact engine's answer for the same chain " +
    "without repulsion (the Gaussian chain, a linear network: exact when --repulsion 0)",
  citations: [METZGER_2026, SMREK_KREMER_2017, GOYCHUK_ET_AL_2023],
  parameters: polymerSchema,
  check(p, name) {
    if (p.monomers % 2 !== 0)
      throw new ModelError(`${name("monomers")} must be even (N/2 hot and N/2 cold monomers), got ${p.monomers}`);
  },
  seeded: true,
  async compute(input, ctx): Promise<PolymerRun> {
    return runPolymer(input, { seed: ctx.seed, force: ctx.force }, runOptionsOf(ctx));
  },
  figures: (r) => [polymerRunFigure({ ...r, simulation: { dt: r.dt, time: r.time, replicas: r.replicas } })],
  report: polymerReport,
  numbers(r): NamedNumber[] {
    return [
      estimateNumber("gyrationHot", "Rg² of the hot monomers", r.simulated.gyrationHot, "length²"),
      estimateNumber("gyrationCold", "Rg² of the cold monomers", r.simulated.gyrationCold, "length²"),
      estimateNumber(
        "gyrationHotMinusCold",
        "Rg² of the hot minus the cold monomers (batch by batch)",
        r.simulated.gyrationHotMinusCold,
        "length²",
      ),
      estimateNumber("heatFlow", "heat flow from the hot to the cold monomers", r.simulated.heatFlow, "energy/time"),
      estimateNumber("entropyProduction", "entropy production rate", r.simulated.entropyProduction, "kB/time"),
      {
        key: "gaussianGyrationHot",
        label: "Rg² of the hot monomers, Gaussian chain (exact)",
        value: r.gaussian.gyrationHot,
        unit: "length²",
      },
      {
        key: "gaussianHeatFlow",
        label: "heat flow, Gaussian chain (exact)",
        value: r.gaussian.heatFlow,
        unit: "energy/time",
      },
    ];
  },
  warnings: (r) => r.warnings,
  outputs: { figure: "draw each monomer's mean squared distance from the centre along the chain" },
  examples: [
    "study two-temperature polymer --Thot 10 --sequence alternating",
    "study two-temperature polymer --repulsion 0 --monomers 10 --figure profile.png",
  ],
  reproduce: [],
});

/** Settings of fig9: the chain and the run lengths, full and quick (T_cold = 1, T_hot = ratio). */
export const POLYMER_FIGURE_SETTINGS = {
  /**
   * `halfStep`: the alternating chain at the largest ratio once more at dt/2, the time-step check of the heat flows
   * (their bias is first order in dt and not in the error bars).
   */
  full: { monomers: 20, ratios: [1, 2, 5, 10, 20], time: 200, replicas: 4, dt: 0.005, halfStep: true, curvePoints: 41 },
  quick: { monomers: 8, ratios: [1, 10], time: 12, replicas: 2, dt: 0.01, halfStep: false, curvePoints: 13 },
  base: { dimension: 3, Tcold: 1, bond: 3, repulsion: 10, range: 1, trap: 0.02 },
} as const;

interface PolymerSetParameters {
  quick: boolean;
  settings: typeof POLYMER_FIGURE_SETTINGS;
}

/** What the set keeps of a run (its parameters, estimates and the Gaussian chain). */
function pointOf(r: PolymerRun): PolymerFigureData["block"][number] {
  return { parameters: r.parameters, simulated: r.simulated, gaussian: r.gaussian };
}

export const polymerSet = figureSet<PolymerSetParameters, PolymerFigureData>({
  id: "fig9-hot-cold-polymer",
  title: "hot and cold monomers in one chain: block radii, segregation, profile and heat flow against T_hot/T_cold",
  units: POLYMER_UNITS,
  parameters: (quick) => ({ quick, settings: POLYMER_FIGURE_SETTINGS }),
  async compute(c, ctx) {
    const s = c.quick ? c.settings.quick : c.settings.full;
    const sequences = ["block", "alternating"] as const;
    const input = (sequence: (typeof sequences)[number], ratio: number): PolymerInput => ({
      ...c.settings.base,
      monomers: s.monomers,
      sequence,
      Thot: ratio * c.settings.base.Tcold,
      time: s.time,
      replicas: s.replicas,
      dt: s.dt,
    });
    const n = s.ratios.length;
    const top = s.ratios[n - 1];
    const runs = await runAll(ctx, [
      ...sequences.flatMap((sequence, si) =>
        s.ratios.map(
          (ratio, i) => (run: RunOptions) => runPolymer(input(sequence, ratio), { seed: ctx.seed + 100 * si + i }, run),
        ),
      ),
      ...(s.halfStep
        ? [
            (run: RunOptions) =>
              runPolymer({ ...input("alternating", top), dt: s.dt / 2 }, { seed: ctx.seed + 200 }, run),
          ]
        : []),
    ]);
    // the exact lines: log-spaced from ratio 1 to the largest
    const K = s.curvePoints;
    const curve = Array.from({ length: K }, (_, k) => Math.pow(top, k / (K - 1)));
    const exactCurve = (sequence: (typeof sequences)[number]) =>
      curve.map((ratio) => {
        // eslint-disable-next-line @typescript-eslint/no-unused-vars
        const { profile, residual, ...rest } = polymerGaussianExact(polymerSchema.parse(input(sequence, ratio)));
        return rest;
      });
    const r0 = runs[0];
    return {
      ratios: [...s.ratios],
      block: runs.slice(0, n).map(pointOf),
      alternating: runs.slice(n, 2 * n).map(pointOf),
      ...(s.halfStep ? { halfStep: { dt: runs[2 * n].dt, heatFlow: runs[2 * n].simulated.heatFlow } } : {}),
      curve,
      blockCurve: exactCurve("block"),
      alternatingCurve: exactCurve("alternating"),
      simulation: { dt: r0.dt, time: r0.time, burnIn: r0.burnIn, replicas: r0.replicas },
      quick: c.quick,
    };
  },
  figures: (d) => [polymerFigure(d)],
});
