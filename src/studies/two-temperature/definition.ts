/**
 * The two-temperature studies as contracts (src/studies/contract.ts), after J. Metzger's lecture notes
 * (Recitation 5): the harmonic pair (`ness study two-temperature`), run-and-chase, the ratchet and demixing
 * (`ness study two-temperature run-and-chase|ratchet|demixing|polymer`), and the figure sets of
 * `ness reproduce two-temperature`. compute() runs the engines; figures() and report() only draw and write.
 */
import { particleScatter } from "../../figures/charts.js";
import type { Figure } from "../../figures/figure.js";
import { GROSBERG_JOANNY_2015, METZGER_2026, WEBER_WEBER_FREY_2016 } from "../citations.js";
import type { RunOptions } from "../../stochastic/ensemble.js";
import {
  defineStudy,
  estimateNumber,
  figureSet,
  type ComputeContext,
  type Measured,
  type NamedNumber,
  type PointMap,
} from "../contract.js";
import { runAll, runOptionsOf, type RunContext } from "../parallel.js";
import { mapSet } from "../pointMap.js";
import { num, pm, table } from "../text.js";
import {
  classifyDemixing,
  demixingFiniteSize,
  demixingParams,
  runDemixing,
  type DemixingCriterionRun,
  type DemixingFiniteSize,
  type DemixingParams,
  type DemixingResult,
} from "./demixing.js";
import {
  demixingCoarseningFigure,
  demixingFiniteSizeFigure,
  demixingMapFigure,
  demixingSnapshotFigure,
  formatMeasured,
  snapshotDisks,
  type DemixingCoarseningRun,
  type DemixingMap,
  type DemixingRun,
  type DemixingSizeSeries,
} from "./demixingFigures.js";
import { spinodalRatio } from "./demixingTheory.js";
import { classifySlab, combineDemixing, type DemixingSlab } from "./demixingSlab.js";
import { demixingSlabFigure, type DemixingSlabFigureData, type DemixingSlabRun } from "./demixingSlabFigures.js";
import {
  densityCurrentFigure,
  entropyProductionFigure,
  ratchetFigure,
  ratchetRunFigure,
  runAndChaseFigure,
  type DensityCurrentData,
  type EntropyProductionData,
  type RatchetFigureData,
  type RunAndChaseFigureData,
} from "./figures.js";
import {
  DEFAULT_PAIR,
  exactPairField,
  fieldRows,
  pairClosedForm,
  pairExact,
  pairGridRange,
  runPair,
  type HarmonicPairParams,
  type PhaseSpaceField,
} from "./harmonicPair.js";
import { demixingSchema, pairSchema, ratchetSchema, runAndChaseSchema } from "./parameters.js";
import { polymerSet } from "./polymerDefinition.js";
import { DEFAULT_RATCHET, runRatchet, runRatchetDrift, type RatchetParams } from "./ratchet.js";
import {
  DEFAULT_RUN_AND_CHASE,
  runAndChaseExact,
  runRunAndChase,
  validateRunAndChaseParams,
  type RunAndChaseParams,
} from "./runAndChase.js";

/** A value with one standard error, as the simulations report it (the reliability flag where the engine gives it). */
type Estimate = Pick<Measured, "value" | "error"> & { reliable?: boolean };

// ---------------------------------------------------------------------------------------------------------------
// The harmonic pair.

/** Grid of the study's own density-current figure (exact only: cheap). */
const PAIR_FIGURE_BINS = 24;

export interface PairResults {
  parameters: HarmonicPairParams;
  /** Every quantity is per spatial dimension. */
  perDimension: true;
  covariance: [[number, number], [number, number]];
  covarianceClosedForm: [[number, number], [number, number]];
  heatFromBath: [number, number];
  heatIntoBath: [number, number];
  heatFlowClosedForm: number;
  entropyProduction: number;
  entropyProductionLinearFormula: number;
  entropyProductionClosedForm: number;
  areaRate: number;
  /** k (T1 - T2) / (2 (k + lambda)). */
  areaRateClosedForm: number;
  residual: number;
  /** The exact density and probability current on a grid (only when figures are asked for: ctx.figures). */
  field?: PhaseSpaceField;
  simulation?: {
    dt: number;
    time: number;
    replicas: number;
    seed: number;
    heatFromBath: [Estimate, Estimate];
    entropyProduction: Estimate;
    covariance: [[Estimate, Estimate], [Estimate, Estimate]];
    warnings: string[];
  };
}

function pairReport(r: PairResults): string {
  const p = r.parameters;
  const out: string[] = [];
  out.push(
    "Two overdamped particles at two temperatures, harmonic spring and trap (Metzger, Recitation 5, Section 4.1)",
  );
  out.push(`k = ${num(p.k)}, lambda = ${num(p.lambda)}, T1 = ${num(p.T1)}, T2 = ${num(p.T2)}; per spatial dimension`);
  out.push("(eqs. 28-29 as corrected in docs/corrections.md: each particle feels its own trap)", "");
  const rows: (string | number)[][] = [
    ["<x1 x1>", r.covariance[0][0], r.covarianceClosedForm[0][0]],
    ["<x1 x2>", r.covariance[0][1], r.covarianceClosedForm[0][1]],
    ["<x2 x2>", r.covariance[1][1], r.covarianceClosedForm[1][1]],
    ["heat into bath 1", r.heatIntoBath[0], -r.heatFlowClosedForm],
    ["heat into bath 2", r.heatIntoBath[1], r.heatFlowClosedForm],
    ["entropy production", r.entropyProduction, r.entropyProductionClosedForm],
    ["  (general linear formula)", r.entropyProductionLinearFormula, r.entropyProductionClosedForm],
    ["area rate <x1 o x2' - x2 o x1'>/2", r.areaRate, r.areaRateClosedForm],
  ];
  const sim = r.simulation;
  if (sim) {
    const simCol = [
      pm(sim.covariance[0][0]),
      pm(sim.covariance[0][1]),
      pm(sim.covariance[1][1]),
      pm({ ...sim.heatFromBath[0], value: -sim.heatFromBath[0].value }),
      pm({ ...sim.heatFromBath[1], value: -sim.heatFromBath[1].value }),
      pm(sim.entropyProduction),
      "",
      "",
    ];
    rows.forEach((row, i) => row.push(simCol[i]));
  }
  out.push(table(["quantity", "exact engine", "closed form", ...(sim ? ["simulated"] : [])], rows));
  out.push(`Lyapunov residual ${num(r.residual)}`);
  if (sim)
    out.push(
      `simulation: Heun, dt = ${num(sim.dt)}, ${sim.replicas} replicas × ${num(sim.time)}, random seed ${sim.seed}`,
    );
  return out.join("\n");
}

export const twoTemperature = defineStudy({
  name: "two-temperature",
  title: "Overdamped particles at two temperatures",
  units:
    "kB = 1 and mobility 1: temperatures in energy units, time in 1/(mobility x stiffness); heat flows in energy/time, entropy production in kB/time",
  summary:
    "two overdamped particles at temperatures T1, T2 with a harmonic spring k in a harmonic trap lambda: " +
    "exact covariance, heat into each bath, entropy production k^2 (T1-T2)^2/(2 T1 T2 (k+lambda)); --simulate checks them " +
    "(sub-studies: run-and-chase, ratchet, demixing). Every particle is overdamped with friction gamma = 1 " +
    "(gamma x' = F + sqrt(2 gamma T) xi, unit mobility), kB = 1",
  citations: [METZGER_2026],
  parameters: pairSchema,
  seeded: true,
  async compute(input, ctx): Promise<PairResults> {
    const { simulate, time, replicas, ...p } = input;
    const e = pairExact(p);
    const closed = pairClosedForm(e.parameters);
    const results: PairResults = {
      parameters: e.parameters,
      perDimension: true,
      covariance: e.covariance,
      covarianceClosedForm: closed.covariance,
      heatFromBath: e.heatFromBath,
      heatIntoBath: e.heatIntoBath,
      heatFlowClosedForm: closed.heatFlow,
      entropyProduction: e.entropyProduction,
      entropyProductionLinearFormula: e.entropyProductionLinear,
      entropyProductionClosedForm: e.entropyProductionClosedForm,
      areaRate: e.areaRate,
      areaRateClosedForm: (p.k * (p.T1 - p.T2)) / (2 * (p.k + p.lambda)),
      residual: e.residual,
    };
    if (ctx.figures) results.field = exactPairField(e, pairGridRange(e), [PAIR_FIGURE_BINS, PAIR_FIGURE_BINS]);
    if (simulate) {
      const sim = await runPair(p, { time, replicas, seed: ctx.seed, bins: 8, force: ctx.force }, runOptionsOf(ctx));
      results.simulation = {
        dt: sim.result.dt,
        time: sim.result.time,
        replicas: sim.result.replicas,
        seed: sim.result.seed,
        heatFromBath: sim.heatFromBath,
        entropyProduction: sim.entropyProduction,
        covariance: sim.covariance,
        warnings: sim.result.warnings,
      };
    }
    return results;
  },
  figures: (r) =>
    r.field
      ? [
          densityCurrentFigure({
            parameters: r.parameters,
            exact: r.field,
            areaRate: r.areaRate,
            entropyProduction: r.entropyProduction,
          }),
        ]
      : [],
  report: pairReport,
  numbers(r) {
    const out: NamedNumber[] = [
      {
        key: "entropyProduction",
        label: "entropy production rate (exact)",
        value: r.entropyProduction,
        unit: "kB/time",
      },
      { key: "heatFromBath1", label: "heat from bath 1 (exact)", value: r.heatFromBath[0], unit: "energy/time" },
      { key: "areaRate", label: "area rate ⟨x₁ẋ₂ − x₂ẋ₁⟩/2 (exact)", value: r.areaRate, unit: "length²/time" },
      { key: "residual", label: "Lyapunov residual", value: r.residual },
    ];
    const sim = r.simulation;
    if (sim)
      out.push(
        estimateNumber(
          "simulatedEntropyProduction",
          "entropy production rate (simulated)",
          sim.entropyProduction,
          "kB/time",
        ),
        estimateNumber("simulatedHeatFromBath1", "heat from bath 1 (simulated)", sim.heatFromBath[0], "energy/time"),
      );
    return out;
  },
  warnings: (r) => r.simulation?.warnings ?? [],
  outputs: { figure: "draw the exact density and probability current of the pair" },
  examples: [
    "study two-temperature --k 2 --lambda 0.5 --T1 3 --T2 1",
    "study two-temperature --simulate --time 400 --replicas 8 --seed 2",
  ],
  reproduce: [],
});

// ---------------------------------------------------------------------------------------------------------------
// Run-and-chase.

export interface RunAndChaseResults {
  parameters: RunAndChaseParams;
  exact: {
    /** T_eff = (mu_hot T_hot + mu_cold T_cold)/(mu_hot + mu_cold): the separation is Boltzmann at T_eff. */
    effectiveTemperature: number;
    /** c = mu_hot mu_cold (T_hot - T_cold)/(mu_hot T_hot + mu_cold T_cold): local mean velocity c F(r) e. */
    chaseCoefficient: number;
    meanForce: number;
    meanSquaredForce: number;
    contactProbability: number;
    quadratureError: number;
    chaseVelocity: number;
    /** Ito (pre-point) average of v_cm . e: (mu_cold - mu_hot) <F>/2. */
    itoChaseVelocity: number;
    heatFromHotBath: number;
    entropyProduction: number;
  };
  /** Exact chase velocity and entropy production against T_hot/T_cold in 1, 2, 3D (only with ctx.figures). */
  curves?: Omit<RunAndChaseFigureData, "ratios" | "simulated" | "simulation">;
  simulation?: {
    dt: number;
    time: number;
    replicas: number;
    seed: number;
    chaseVelocity: Estimate;
    itoChaseVelocity?: Estimate;
    meanForce: Estimate;
    meanSeparation: Estimate;
    heatFromHotBath: Estimate;
    heatFromColdBath: Estimate;
    entropyProduction: Estimate;
    centreOfMassDrift: Estimate;
    warnings: string[];
  };
}

function racReport(r: RunAndChaseResults): string {
  const p = r.parameters,
    e = r.exact,
    sim = r.simulation;
  const unit = p.muHot === 1 && p.muCold === 1;
  const out: string[] = [
    `Run-and-chase (Metzger, Recitation 5, Section 3.1): hot particle 1 at T = ${num(p.Thot)}, cold particle 2 at T = ${num(p.Tcold)},`,
    `soft repulsion k = ${num(p.stiffness)} acting for r < ${num(p.range)}, periodic box ${num(p.box)} in ${p.dimension}D, ` +
      (unit
        ? "mobility 1"
        : `mobilities mu_hot = ${num(p.muHot)}, mu_cold = ${num(p.muCold)} (frictions gamma = 1/mu = ${num(1 / p.muHot)}, ${num(1 / p.muCold)})`),
    unit
      ? "exact: the separation is Boltzmann-distributed at (T_hot + T_cold)/2; <v_cm o e> = (T_hot - T_cold)/(T_hot + T_cold) <F>"
      : `exact: the separation is Boltzmann-distributed at T_eff = (mu_hot T_hot + mu_cold T_cold)/(mu_hot + mu_cold) = ${num(e.effectiveTemperature)};\n` +
        `both particles move with local mean velocity c F(r) e, c = mu_hot mu_cold (T_hot - T_cold)/(mu_hot T_hot + mu_cold T_cold) = ${num(e.chaseCoefficient)}`,
    "",
  ];
  const rows: (string | number)[][] = [
    ["run-and-chase velocity <v_cm o e>", e.chaseVelocity, ...(sim ? [pm(sim.chaseVelocity)] : [])],
    ...(unit
      ? []
      : [
          [
            "  Ito (pre-point) <v_cm . e> = (mu_cold - mu_hot) <F>/2",
            e.itoChaseVelocity,
            ...(sim ? [sim.itoChaseVelocity ? pm(sim.itoChaseVelocity) : ""] : []),
          ],
        ]),
    ["mean repulsive force <F>", e.meanForce, ...(sim ? [pm(sim.meanForce)] : [])],
    ["heat from the hot bath", e.heatFromHotBath, ...(sim ? [pm(sim.heatFromHotBath)] : [])],
    ["heat from the cold bath", -e.heatFromHotBath, ...(sim ? [pm(sim.heatFromColdBath)] : [])],
    ["entropy production", e.entropyProduction, ...(sim ? [pm(sim.entropyProduction)] : [])],
    ["contact probability (r < range)", e.contactProbability, ...(sim ? [""] : [])],
  ];
  out.push(table(["quantity", "exact", ...(sim ? ["simulated"] : [])], rows));
  out.push(`quadrature: Simpson, estimated relative error ${num(e.quadratureError, 2)}`);
  if (sim) {
    out.push(`centre-of-mass drift along x (zero: the pair force cancels): ${pm(sim.centreOfMassDrift)}`);
    out.push(
      `simulation: Heun, dt = ${num(sim.dt)}, ${sim.replicas} replicas × ${num(sim.time)}, random seed ${sim.seed}`,
    );
  }
  return out.join("\n");
}

/** Exact run-and-chase lines against T_hot/T_cold (1 to 30, T_hot fixed) in 1, 2 and 3 dimensions. */
function runAndChaseCurves(
  p: RunAndChaseParams,
  points: number,
): Omit<RunAndChaseFigureData, "ratios" | "simulated" | "simulation"> {
  const curve = Array.from({ length: points }, (_, i) => Math.pow(30, i / (points - 1)));
  const exact = ([1, 2, 3] as const).map((d) =>
    curve.map((r) => runAndChaseExact({ ...p, dimension: d, Tcold: p.Thot / r })),
  );
  return {
    base: p,
    curve,
    exact: exact.map((row) => ({
      chaseVelocity: row.map((e) => e.chaseVelocity),
      entropyProduction: row.map((e) => e.entropyProduction),
    })),
  };
}

export const runAndChase = defineStudy({
  name: "two-temperature/run-and-chase",
  title: "Run-and-chase of a hot and a cold particle",
  units:
    "kB = 1 and mobility 1: temperatures in energy units, lengths in the units of the box and the repulsion range, time in length^2/(mobility x energy); velocities in length/time, heat flows in energy/time, entropy production in kB/time",
  summary:
    "a hot and a cold particle with the soft repulsion of eq. 26 of [Metzger 2026] in a periodic box (1, 2 or 3D), each " +
    "with its own mobility mu = 1/gamma (overdamped gamma x' = F + sqrt(2 gamma T) xi; default 1): exact run-and-chase " +
    "velocity, heat flow and entropy production (quadrature); --simulate checks them",
  citations: [METZGER_2026],
  parameters: runAndChaseSchema,
  seeded: true,
  async compute(input, ctx): Promise<RunAndChaseResults> {
    const { simulate, time, replicas, dt, dimension, ...rest } = input;
    const p = validateRunAndChaseParams({ ...rest, dimension: dimension as 1 | 2 | 3 });
    const { parameters, ...exact } = runAndChaseExact(p);
    const results: RunAndChaseResults = { parameters, exact };
    if (ctx.figures) results.curves = runAndChaseCurves(p, 41);
    if (simulate) {
      const sim = await runRunAndChase(p, { time, replicas, dt, seed: ctx.seed, force: ctx.force }, runOptionsOf(ctx));
      results.simulation = {
        dt: sim.result.dt,
        time: sim.result.time,
        replicas: sim.result.replicas,
        seed: sim.result.seed,
        chaseVelocity: sim.chaseVelocity,
        ...(sim.itoChaseVelocity ? { itoChaseVelocity: sim.itoChaseVelocity } : {}),
        meanForce: sim.meanForce,
        meanSeparation: sim.meanSeparation,
        heatFromHotBath: sim.heatFromHotBath,
        heatFromColdBath: sim.heatFromColdBath,
        entropyProduction: sim.entropyProduction,
        centreOfMassDrift: sim.centreOfMassDrift,
        warnings: sim.result.warnings,
      };
    }
    return results;
  },
  figures: (r) => (r.curves ? [runAndChaseFigure({ ...r.curves, ratios: [] })] : []),
  report: racReport,
  numbers(r) {
    const e = r.exact,
      sim = r.simulation;
    const out: NamedNumber[] = [
      {
        key: "chaseVelocity",
        label: "run-and-chase velocity ⟨v_cm·e⟩ (exact)",
        value: e.chaseVelocity,
        unit: "length/time",
      },
      { key: "meanForce", label: "mean repulsive force ⟨F⟩ (exact)", value: e.meanForce, unit: "energy/length" },
      {
        key: "entropyProduction",
        label: "entropy production rate (exact)",
        value: e.entropyProduction,
        unit: "kB/time",
      },
    ];
    if (sim)
      out.push(
        estimateNumber(
          "simulatedChaseVelocity",
          "run-and-chase velocity (simulated)",
          sim.chaseVelocity,
          "length/time",
        ),
        estimateNumber(
          "simulatedEntropyProduction",
          "entropy production rate (simulated)",
          sim.entropyProduction,
          "kB/time",
        ),
      );
    return out;
  },
  warnings: (r) => r.simulation?.warnings ?? [],
  outputs: { figure: "draw the exact chase velocity and entropy production against T_hot/T_cold in 1, 2 and 3D" },
  examples: [
    "study two-temperature run-and-chase --dimension 3 --Tcold 0.05 --simulate",
    "study two-temperature run-and-chase --mu-hot 3 --mu-cold 1 --simulate --time 400",
  ],
  reproduce: [],
});

// ---------------------------------------------------------------------------------------------------------------
// The ratchet.

export interface RatchetResults {
  parameters: RatchetParams;
  hot: Estimate;
  cold: Estimate;
  centreOfMass: Estimate;
  entropyProduction: Estimate;
  dt: number;
  time: number;
  replicas: number;
  seed: number;
}

export const ratchet = defineStudy({
  name: "two-temperature/ratchet",
  title: "A two-temperature ratchet",
  units:
    "kB = 1 and mobility 1: temperatures and the sawtooth height in energy units, lengths in the units of the period, time in length^2/(mobility x energy); drift velocities in length/time, entropy production in kB/time",
  summary:
    "a hot and a cold particle with soft repulsion in an asymmetric sawtooth on a ring (Section 3.2 of [Metzger 2026]): " +
    "drift velocities (the ratchet current) and entropy production from the stochastic engine",
  citations: [METZGER_2026],
  parameters: ratchetSchema,
  seeded: true,
  async compute(input, ctx): Promise<RatchetResults> {
    const { time, replicas, dt, ...p } = input;
    return {
      ...(await runRatchet(p, { time, replicas, dt, seed: ctx.seed, force: ctx.force }, runOptionsOf(ctx))),
      seed: ctx.seed,
    };
  },
  figures: (r) => [ratchetRunFigure(r)],
  report(r) {
    const p = r.parameters;
    return [
      `Two-temperature ratchet (Metzger, Recitation 5, Section 3.2): T_hot = ${num(p.Thot)}, T_cold = ${num(p.Tcold)}, soft repulsion k = ${num(p.stiffness)}, range ${num(p.range)};`,
      `sawtooth height ${num(p.amplitude)}, period ${num(p.period)}, rising over ${num(p.asymmetry)} of it, ring of ${num(p.box)}`,
      "",
      table(
        ["quantity", "estimate ± error"],
        [
          ["drift velocity, centre of mass", pm(r.centreOfMass)],
          ["drift velocity, hot particle", pm(r.hot)],
          ["drift velocity, cold particle", pm(r.cold)],
          ["entropy production", pm(r.entropyProduction)],
        ],
      ),
      `simulation: Heun, dt = ${num(r.dt)}, ${r.replicas} replicas × ${num(r.time)}, random seed ${r.seed}`,
    ].join("\n");
  },
  numbers: (r) => [
    estimateNumber("centreOfMass", "drift velocity, centre of mass", r.centreOfMass, "length/time"),
    estimateNumber("hot", "drift velocity, hot particle", r.hot, "length/time"),
    estimateNumber("cold", "drift velocity, cold particle", r.cold, "length/time"),
    estimateNumber("entropyProduction", "entropy production rate", r.entropyProduction, "kB/time"),
  ],
  outputs: { figure: "draw the drift velocities (the ratchet current) with their error bars" },
  examples: [
    "study two-temperature ratchet --Tcold 0.02 --time 2000 --replicas 16",
    "study two-temperature ratchet --time 200 --replicas 4 --figure ratchet.png",
  ],
  reproduce: [],
});

// ---------------------------------------------------------------------------------------------------------------
// Demixing.

export type DemixingResults = Omit<DemixingResult, "snapshot"> & {
  snapshot: { x: number[]; cold: number[]; box: [number, number] };
};

/** A demixing result as plain JSON data (the snapshot's typed arrays as lists). */
function plainDemixing(r: DemixingResult): DemixingResults {
  return { ...r, snapshot: { x: Array.from(r.snapshot.x), cold: Array.from(r.snapshot.cold), box: r.snapshot.box } };
}

function demixingSnapshot(r: DemixingResults): Figure {
  const p = r.parameters;
  return particleScatter({
    name: "demixing-snapshot",
    title: `Hot/cold demixing: ${p.N} disks at area fraction ${num(p.phi)}, T_hot/T_cold = ${num(p.Thot / p.Tcold)}`,
    caption: `Replica 0 at t = ${num(p.burnIn + p.time)} after a ${p.start === "slab" ? "separated (slab)" : "random"} start; psi = ${pm(r.psi)} over ${p.replicas} replicas.`,
    ...snapshotDisks(r),
  });
}

export const demixing = defineStudy({
  name: "two-temperature/demixing",
  title: "Demixing of hot and cold soft disks",
  units:
    "kB = 1 and mobility 1: temperatures in energy units, lengths in the units of the repulsion range (= disk diameter; area fraction dimensionless), time in diameter^2/(mobility x energy)",
  summary:
    "many hot and cold soft disks in a 2D periodic box (Section 3.3 of [Metzger 2026]): the cold-cold neighbour fraction, " +
    "the demixing order parameter psi (0 mixed, 1 separated), the largest cold cluster, the concentration structure factor " +
    "S_cc(q) and the domain size L, with error bars, and the criterion (mixed, correlated or separating)",
  citations: [METZGER_2026, WEBER_WEBER_FREY_2016, GROSBERG_JOANNY_2015],
  parameters: demixingSchema,
  seeded: true,
  async compute(input, ctx): Promise<DemixingResults> {
    return plainDemixing(await runDemixing({ ...input, seed: ctx.seed }, { force: ctx.force }, runOptionsOf(ctx)));
  },
  figures: (r) => [demixingSnapshot(r)],
  report(r) {
    const p = r.parameters;
    const criterion = classifyDemixing([r]);
    const slabTest = r.slab ? classifySlab(r.slab) : undefined;
    return [
      `Hot/cold demixing (Metzger, Recitation 5, Section 3.3): ${p.N} soft disks (${r.nCold} cold), area fraction ${num(p.phi)}, box ${num(r.boxSide)}`,
      `T_hot = ${num(p.Thot)}, T_cold = ${num(p.Tcold)} (ratio ${num(p.Thot / p.Tcold)}), k = ${num(p.stiffness)}, range ${num(p.range)}; neighbours closer than ${num(r.cutoff)}`,
      "",
      table(
        ["quantity", "estimate ± error"],
        [
          ["psi = (f_cc - f_random)/(1 - f_random)", pm(r.psi)],
          [`cold-cold neighbour fraction f_cc (random: ${num(r.randomFraction)})`, pm(r.coldNeighbourFraction)],
          ["largest cold cluster / N_cold", pm(r.largestCluster)],
          [`S_cc(q -> 0), smallest |q| (ideal mixture: ${num(r.structure.ideal)})`, pm(r.sccLowQ)],
          ["domain size L (first moment of S_cc - x(1 - x))", pm(r.lengthScale)],
          ["growth of L over the production run", pm(r.lengthGrowth)],
          ["growth of psi over the production run", pm(r.psiGrowth)],
          ...(r.entropyProduction
            ? [
                [
                  `entropy production (Stratonovich)${r.entropyProduction.note ? " [time-step bias: see the note in --json]" : ""}`,
                  pm(r.entropyProduction),
                ],
              ]
            : []),
        ],
      ),
      ...(r.entropyProductionNotComputed ? [r.entropyProductionNotComputed] : []),
      ...(r.slab
        ? [
            "",
            `separated start (slab of cold disks, contrast ${num(p.slabContrast ?? 1)}), over the last quarter of the run (from t = ${num(r.slab.lateFrom)}):`,
            table(
              ["quantity", "estimate ± error"],
              [
                ["retention r of the composition mode across the slab (1 start, 0 mixed)", pm(r.slab.late.retention)],
                ["hot disks' density in the slab's core / their mean (h)", pm(r.slab.late.hotExclusion)],
                ["cold disks' density in the slab's core / the start's (kappa)", pm(r.slab.late.compression)],
                ["profile amplitude m in the box frame", pm(r.slab.late.amplitude)],
                ["S_cc(q -> 0) over the late window", pm(r.slab.late.sccLowQ)],
              ],
            ),
            `slab test (docs/studies/two-temperature.md, "The separated start"): ${slabTest!.verdict}; ${slabTest!.reasons.join("; ")}`,
            "the random-start criterion below reads a separated start's structure as growth or correlation: the slab test is this run's verdict",
          ]
        : []),
      `criterion at this one size (docs/studies/two-temperature.md): ${criterion.verdict}; ${criterion.evidence.reasons.join("; ")}`,
      `simulation: Heun, dt = ${num(p.dt)}, ${p.replicas} replicas × (burn-in ${num(p.burnIn)} + ${num(p.time)}), random seed ${p.seed}; ` +
        `error bars from ${r.psi.source === "replicas" ? "the spread of the replicas" : "batch means within the runs"}`,
    ].join("\n");
  },
  numbers: (r) => [
    estimateNumber("psi", "demixing order parameter ψ", r.psi),
    estimateNumber("coldNeighbourFraction", "cold-cold neighbour fraction", r.coldNeighbourFraction),
    estimateNumber("largestCluster", "largest cold cluster / N_cold", r.largestCluster),
    estimateNumber("lengthScale", "domain size L", r.lengthScale, "length"),
    ...(r.entropyProduction
      ? [estimateNumber("entropyProduction", "entropy production rate", r.entropyProduction, "kB/time")]
      : []),
  ],
  outputs: {
    figure: "draw the final configuration of replica 0",
    csv: "write the positions of the final configuration of replica 0",
  },
  examples: ["study two-temperature demixing --N 400 --time 500 --replicas 4 --figure snapshot.png"],
  reproduce: [],
});

// ---------------------------------------------------------------------------------------------------------------
// The figure sets of `ness reproduce two-temperature`.

const pairEstimate = (m: Estimate): Estimate => ({ value: m.value, error: m.error });

const densityCurrent = figureSet<
  { pair: HarmonicPairParams; bins: number; time: number; replicas: number },
  DensityCurrentData
>({
  id: "fig1-pair-density-current",
  title: "harmonic pair: density and probability current, exact and simulated",
  parameters: (quick) => ({
    pair: { ...DEFAULT_PAIR },
    bins: quick ? 16 : 24,
    time: quick ? 40 : 400,
    replicas: quick ? 4 : 8,
  }),
  async compute(c, ctx) {
    const e = pairExact(c.pair);
    const range = pairGridRange(e);
    const sim = await runPair(
      e.parameters,
      { time: c.time, replicas: c.replicas, seed: ctx.seed, bins: c.bins },
      runOptionsOf(ctx),
    );
    const { x1, x2, density, current1, current2 } = fieldRows(sim.field);
    const ex = exactPairField(e, range, [c.bins, c.bins]);
    // Simulated circulation: the area rate sum (x1 J2 - x2 J1) / 2 over the cells.
    const cell = ((range[0][1] - range[0][0]) / c.bins) * ((range[1][1] - range[1][0]) / c.bins);
    let area = 0;
    x2.forEach((b, j) => x1.forEach((a, i) => (area += 0.5 * (a * current2[j][i] - b * current1[j][i]) * cell)));
    return {
      parameters: e.parameters,
      exact: ex,
      simulated: { x1, x2, density, current1, current2 },
      areaRate: e.areaRate,
      simulatedAreaRate: area,
      entropyProduction: e.entropyProduction,
      simulatedEntropyProduction: pairEstimate(sim.entropyProduction),
      simulation: { dt: sim.result.dt, replicas: sim.result.replicas, time: sim.result.time },
    };
  },
  figures: (d) => [densityCurrentFigure(d)],
});

const entropyProduction = figureSet<
  { base: HarmonicPairParams; points: number[]; time: number; replicas: number },
  EntropyProductionData
>({
  id: "fig2-entropy-production",
  title: "harmonic pair: entropy production and heat flow against T1/T2",
  parameters: (quick) => ({
    base: { ...DEFAULT_PAIR },
    points: quick ? [0.5, 2, 5] : [0.25, 0.5, 1, 2, 5, 10],
    time: quick ? 30 : 200,
    replicas: quick ? 4 : 8,
  }),
  async compute(c, ctx) {
    const base = c.base;
    const curve = Array.from({ length: 81 }, (_, i) => 0.25 * Math.pow(40, i / 80));
    const exact = curve.map((r) => pairExact({ ...base, T1: r * base.T2 }));
    const sims = await runAll(
      ctx,
      c.points.map(
        (r, i) => (run: RunOptions) =>
          runPair(
            { ...base, T1: r * base.T2 },
            { time: c.time, replicas: c.replicas, seed: ctx.seed + i, bins: 4 },
            run,
          ),
      ),
    );
    return {
      base,
      curve,
      exactEntropyProduction: exact.map((e) => e.entropyProduction),
      exactHeatFromBath1: exact.map((e) => e.heatFromBath[0]),
      points: c.points,
      entropyProduction: sims.map((s) => pairEstimate(s.entropyProduction)),
      heatFromBath1: sims.map((s) => pairEstimate(s.heatFromBath[0])),
    };
  },
  figures: (d) => [entropyProductionFigure(d)],
});

const ratchetSet = figureSet<
  {
    base: RatchetParams;
    ratios: number[];
    asymmetries: number[];
    ratioAtAsymmetry: number;
    time: number;
    /** Time per replica of the points not zero by symmetry (T_hot > T_cold and an asymmetric sawtooth). */
    signTime: number;
    replicas: number;
    quick: boolean;
  },
  RatchetFigureData
>({
  id: "fig3-ratchet-current",
  title: "ratchet current against the temperature ratio and the asymmetry",
  units:
    "kB = 1 and mobility 1: temperatures (Thot, Tcold), the sawtooth height (amplitude) and the repulsion's stiffness in energy units, lengths (period, range, box) in the units of the period, time in length^2/(mobility x energy); T_hot_over_T_cold and rising_fraction_of_the_period dimensionless, drift_velocity (the centre of mass's) and drift_velocity_error in length/time",
  // Quick: every point is short (0.35 CPU-s in all). Resolving the sign of the one point not zero by symmetry
  // (T_hot/T_cold = 20, rising over 0.8: drift about -0.035) takes ~2 replicas x 2500 time units, 20 CPU-s; the
  // quick figure says "quick: not resolved" instead.
  parameters: (quick) => ({
    quick,
    base: { ...DEFAULT_RATCHET },
    ratios: quick ? [1, 20] : [1, 2, 5, 10, 20, 50],
    asymmetries: quick ? [0.5, 0.8] : [0.5, 0.6, 0.7, 0.8, 0.9],
    ratioAtAsymmetry: 20,
    time: quick ? 25 : 1000,
    signTime: quick ? 50 : 1000,
    replicas: quick ? 2 : 8,
  }),
  async compute(c, ctx) {
    const base = c.base;
    const points: { p: Partial<RatchetParams>; seed: number }[] = [
      ...c.ratios.map((r, i) => ({ p: { Tcold: base.Thot / r }, seed: ctx.seed + i })),
      ...c.asymmetries.map((a, i) => ({
        p: { Tcold: base.Thot / c.ratioAtAsymmetry, asymmetry: a },
        seed: ctx.seed + 50 + i,
      })),
    ];
    // A point both panels share (the same temperatures and sawtooth) is simulated once.
    const key = (p: Partial<RatchetParams>) => {
      const q = { ...base, ...p };
      return `${q.Tcold}/${q.asymmetry}`;
    };
    const unique = new Map<string, { p: Partial<RatchetParams>; seed: number }>();
    for (const x of points) if (!unique.has(key(x.p))) unique.set(key(x.p), x);
    const zeroBySymmetry = (p: Partial<RatchetParams>) => {
      const q = { ...base, ...p };
      return q.Tcold === q.Thot || q.asymmetry === 0.5;
    };
    const runs = await runAll(
      ctx,
      [...unique.values()].map(
        (x) => (run: RunOptions) =>
          // The figure draws the drift only: no pair-heat accounting.
          runRatchetDrift(
            { ...base, ...x.p },
            {
              time: zeroBySymmetry(x.p) ? c.time : Math.max(c.time, c.signTime),
              replicas: c.replicas,
              seed: x.seed,
            },
            run,
          ),
      ),
    );
    const byKey = new Map([...unique.keys()].map((k, i) => [k, runs[i]]));
    const all = points.map((x) => byKey.get(key(x.p))!);
    const byRatio = all.slice(0, c.ratios.length),
      byAsymmetry = all.slice(c.ratios.length);
    const longest = runs.reduce((a, b) => (b.time > a.time ? b : a));
    return {
      base,
      ratios: c.ratios,
      byRatio: byRatio.map((r) => pairEstimate(r.centreOfMass)),
      asymmetries: c.asymmetries,
      ratioAtAsymmetry: c.ratioAtAsymmetry,
      byAsymmetry: byAsymmetry.map((r) => pairEstimate(r.centreOfMass)),
      simulation: { dt: byRatio[0].dt, replicas: byRatio[0].replicas, time: byRatio[0].time, longest: longest.time },
      quick: c.quick,
    };
  },
  figures: (d) => [ratchetFigure(d)],
});

const runAndChaseSet = figureSet<
  { base: RunAndChaseParams; ratios: number[]; time: number; replicas: number },
  RunAndChaseFigureData
>({
  id: "fig4-run-and-chase",
  title: "run-and-chase in 1, 2 and 3 dimensions",
  units:
    "kB = 1 and mobility 1: temperatures (Thot, Tcold) and the repulsion's stiffness in energy units, mobilities (muHot, muCold) in units of that mobility, lengths (range, box) in the units of the repulsion range, time in length^2/(mobility x energy); T_hot_over_T_cold dimensionless, chase_velocity (<v_cm o e>, the centre of mass's velocity along r2 - r1) and chase_velocity_error in length/time, entropy_production and entropy_production_error in kB/time",
  parameters: (quick) => ({
    base: { ...DEFAULT_RUN_AND_CHASE },
    ratios: quick ? [1, 10] : [1, 2, 5, 10, 20],
    // Full: the least resolved point, 3D chase at T_hot/T_cold = 2, is 0.061 at 4.5 standard errors with 1000 (6.3
    // with 2000; every other chase velocity and entropy production 9 to 90).
    time: quick ? 100 : 1000,
    replicas: quick ? 2 : 4,
  }),
  async compute(c, ctx) {
    const base = validateRunAndChaseParams(c.base);
    const curve = Array.from({ length: 61 }, (_, i) => Math.pow(30, i / 60));
    const dims = [1, 2, 3] as const;
    const exact = dims.map((d) => curve.map((r) => runAndChaseExact({ ...base, dimension: d, Tcold: base.Thot / r })));
    const flat = await runAll(
      ctx,
      dims.flatMap((d, di) =>
        c.ratios.map(
          (r, i) => (run: RunOptions) =>
            runRunAndChase(
              { ...base, dimension: d, Tcold: base.Thot / r },
              { time: c.time, replicas: c.replicas, seed: ctx.seed + 100 * di + i },
              run,
            ),
        ),
      ),
    );
    const sims = dims.map((_, di) => flat.slice(di * c.ratios.length, (di + 1) * c.ratios.length));
    const s0 = sims[0][0].result;
    return {
      base,
      curve,
      exact: exact.map((row) => ({
        chaseVelocity: row.map((e) => e.chaseVelocity),
        entropyProduction: row.map((e) => e.entropyProduction),
      })),
      ratios: c.ratios,
      simulated: sims.map((row) => ({
        chaseVelocity: row.map((s) => pairEstimate(s.chaseVelocity)),
        entropyProduction: row.map((s) => pairEstimate(s.entropyProduction)),
      })),
      simulation: { dt: s0.dt, replicas: s0.replicas, time: s0.time },
    };
  },
  figures: (d) => [runAndChaseFigure(d)],
});

/** Settings of the two demixing figures: the physical point and the run lengths, full and quick. */
export const DEMIXING_FIGURE_SETTINGS = {
  snapshot: {
    full: { N: 1000, phi: 0.4, time: 2000, burnIn: 2000, sampleInterval: 50, replicas: 4 },
    quick: { N: 150, phi: 0.4, time: 150, burnIn: 50, sampleInterval: 10, replicas: 2 },
    /**
     * The full run at equal temperatures, shorter: the random start is already a mixture there (the labels are
     * exchangeable) and only the packing relaxes, within a few hot-disk diffusion times range^2 / (4 T_hot) = 12.5;
     * measured psi = 0.0035 +- 0.0087 (4 replicas; the other ratios' psi are 0.19 and 0.37).
     */
    fullEqual: { burnIn: 200, time: 400 },
    ratios: [1, 10, 100],
  },
  map: {
    /**
     * 16 replicas: the criterion resolves a difference beyond 5.48 standard errors of 16 values (Student's t), 8.47 of
     * 8; with 8 the growth in time at ratios 30-100 (about 5 error bars) and "mixed" at ratio 1 (which must bound psi
     * and the S_cc excess) were undecided. At equal temperatures the burn-in is 50: the labels are exchangeable, only
     * the packing relaxes, within a few hot-disk diffusion times range^2 / (4 T_hot) = 12.5.
     */
    full: {
      N: 600,
      sizes: [150, 600],
      time: 400,
      burnIn: 200,
      burnInEqual: 50,
      sampleInterval: 10,
      replicas: 16,
      ratios: [1, 3, 10, 30, 100],
      phis: [0.25, 0.4, 0.55],
    },
    quick: {
      N: 120,
      sizes: [60, 120],
      time: 100,
      burnIn: 20,
      sampleInterval: 10,
      replicas: 4,
      ratios: [1, 10, 100],
      phis: [0.4],
    },
  },
  /**
   * Finite-size scaling (fig7): the correlated mixture at phi = 0.4 (default stiffness, ratio 100) and the stiff point
   * (phi = 0.7, T_hot/k = 0.002) at equal temperatures and at ratio 100, each at several sizes. Seeds: the phi = 0.4
   * point seed + 100 (as when fig7 also ran ratio 3, so its numbers are those recorded), the stiff point seed + 200
   * (ratio 1) and seed + 50 (ratio 100); size i of a point adds i.
   */
  finiteSize: {
    /**
     * 16 replicas (threshold 5.48 standard errors; 4 replicas needed 32.6 and decided nothing). Sizes 250 to 4000
     * (a factor 16, as 500 to 8000 before, at half the cost): at t = 600 every box still holds several domains and the
     * largest box's S_cc(q_min) stays at the random start's x(1 - x), as N = 8000's did.
     */
    full: { sizes: [250, 1000, 4000], phi: 0.4, time: 400, burnIn: 200, sampleInterval: 20, replicas: 16 },
    quick: { sizes: [60, 120], phi: 0.4, time: 40, burnIn: 10, sampleInterval: 10, replicas: 2 },
    ratios: [100],
    /**
     * The stiff point (docs: "The stiff point"; a separated start holds there at N = 200). At ratio 100 the pair
     * N = 30 and 60 from the random start, 24 replicas (Student-t threshold 4.88), chosen by statistics (docs, fig7):
     * a pilot of 16 single-replica runs per size from t = 0 (1.5 and 1.2 t_cold, t_cold = (L / 2 pi)^2 / T_cold =
     * 4.25e4 and 8.5e4) has the replica mean of S_cc(q_min) flat near 0.46 from t = 10^4 at N = 30 and near 0.89 from
     * about 6e4 at N = 60 (ratio 1.9, within a standard error of N2/N1 = 2), and its spread between replicas over
     * these windows (0.092 and 0.180) predicts the growth at 2.08 sqrt(replicas) standard errors: 10.2 at 24, twice
     * the threshold, for about 1.4e9 particle-steps (the N = 100 / 200 pair it replaces: 6.4e9 for 18.9 against
     * 8.47; that pair stays in the long test). Run sequentially: looks at 12 and 24 replicas, the criterion at half
     * its false-alarm rate at each (Bonferroni; 6.75 and 5.16 standard errors), stopping at 12 when decided: the
     * verdict of the last full run (12.8 standard errors at 24) predicts about 9 at 12, so the pair usually costs
     * half its 24 replicas' 1.37e9 particle-steps (and 1.5 times that when the first look does not decide).
     * At equal temperatures the labels are exchangeable and the random start is already the mixture: only the
     * packing relaxes, within a few range^2 / (4 T_hot) = 125, so its runs are short; "mixed" must bound |psi| by
     * 0.05, which a box of 60 cannot (psi's error bar 0.008-0.014 at 16 replicas), so its sizes stay N = 100 and 200
     * with 16 replicas (about 10 CPU-s; MIXED_BOUNDS needs about 12 or more).
     */
    stiff: {
      full: {
        sizes: [30, 60],
        phi: 0.7,
        Thot: 0.002,
        time: 20000,
        burnIn: 10000,
        burnIns: [10000, 60000],
        times: [20000, 20000],
        sampleInterval: 1000,
        replicas: 24,
        looks: [12, 24],
      },
      fullEqual: { sizes: [100, 200], time: 1000, burnIn: 500, sampleInterval: 50, replicas: 16 },
      quick: { sizes: [60, 120], phi: 0.7, Thot: 0.002, time: 40, burnIn: 10, sampleInterval: 10, replicas: 2 },
      ratios: [1, 100],
    },
  },
  /** Coarsening (fig8): a long run at ratio 100 from the random start, and shorter ones at lower ratios. */
  coarsening: {
    full: { N: 1000, phi: 0.4, time: 12000, refTime: 2000, burnIn: 0, sampleInterval: 100, replicas: 2 },
    quick: { N: 100, phi: 0.4, time: 60, refTime: 60, burnIn: 0, sampleInterval: 5, replicas: 2 },
    ratios: [100, 10, 1],
    /**
     * The stiff point (docs: "The stiff point"): phi = 0.7, T_hot/T_cold = 100 with ten times harder disks than the
     * base (T_hot / k = 0.002), the first point found where a separated state is stable; from the random start its
     * domains coarsen. The base's dt = 0.1 / k holds: the hot disks' step sqrt(2 T_hot dt) = 0.02 range and k dt =
     * 0.1, far inside Heun's stability. Full: about 120 CPU-s (5e7 particle-steps).
     */
    stiff: {
      full: { N: 1000, phi: 0.7, Thot: 0.002, Tcold: 2e-5, time: 50000, sampleInterval: 1000, replicas: 2 },
      quick: { N: 100, phi: 0.7, Thot: 0.002, Tcold: 2e-5, time: 60, sampleInterval: 5, replicas: 2 },
    },
  },
  /** Physical parameters common to both: T_hot fixed, T_cold = T_hot / ratio; k and range set the units. */
  base: {
    Thot: 0.02,
    stiffness: 1,
    range: 1,
    coldFraction: 0.5,
    dt: 0.1,
    neighbourCutoff: 1.5,
  } satisfies Partial<DemixingParams>,
} as const;

/** The parameters of the snapshot figure (fig5): the settings of every demixing figure, full or quick. */
interface DemixingSnapshotParameters {
  quick: boolean;
  settings: typeof DEMIXING_FIGURE_SETTINGS;
}

/**
 * fig5 as a map of points (mapSet): one demixing run per temperature ratio i, with seed seed + i, each keeping
 * everything but its time series. `ness reproduce` runs them as a resumable sweep on the worker threads.
 */
const snapshotMap: PointMap<DemixingSnapshotParameters, { parameters: DemixingParams }, DemixingRun, DemixingRun[]> = {
  points(c, at) {
    const s = c.settings;
    const base: Partial<DemixingParams> = { ...s.base, ...(c.quick ? s.snapshot.quick : s.snapshot.full) };
    // The snapshots' .results.json keep the entropy production of each run (with its time-step note at large dt).
    return s.snapshot.ratios.map((ratio, i) => ({
      parameters: demixingParams({
        ...base,
        ...(ratio === 1 && !c.quick ? s.snapshot.fullEqual : {}),
        Tcold: s.base.Thot / ratio,
        seed: at.seed + i,
        entropyProduction: true,
      }),
    }));
  },
  async point(q, ctx) {
    const { series: _series, ...r } = plainDemixing(await runDemixing(q.parameters, {}, runOptionsOf(ctx)));
    return r as unknown as DemixingRun;
  },
  assemble: (_c, values) => values,
};

/** The runs of the snapshot figure (`quick`: small systems for tests and --quick), on `ctx.runner`'s workers. */
export async function demixingSnapshotRuns(
  quick: boolean,
  ctx: Pick<ComputeContext, "seed"> & RunContext,
): Promise<DemixingRun[]> {
  const c = { quick, settings: DEMIXING_FIGURE_SETTINGS };
  const at = { seed: ctx.seed, quick };
  const runs = await runAll(
    ctx,
    snapshotMap
      .points(c, at)
      .map(
        (q) => async (run: RunOptions) =>
          snapshotMap.point(q, { ...at, runner: run.runner, signal: run.signal, progress: run.onProgress }),
      ),
  );
  return snapshotMap.assemble(c, runs, at);
}

const demixingSnapshots = mapSet<
  DemixingSnapshotParameters,
  { parameters: DemixingParams },
  DemixingRun,
  { quick: boolean; runs: DemixingRun[] }
>({
  id: "fig5-demixing-snapshots",
  title: "demixing: snapshots at equal and growing temperature ratios",
  parameters: (quick) => ({ quick, settings: DEMIXING_FIGURE_SETTINGS }),
  map: {
    points: (c, at) => snapshotMap.points(c, at),
    point: (q, ctx) => snapshotMap.point(q, ctx),
    assemble: (c, values, at) => ({ quick: c.quick, runs: snapshotMap.assemble(c, values, at) }),
  },
  figures: (d) => [demixingSnapshotFigure(d.runs, { quick: d.quick })],
});

/** The parameters of the map figure (fig6): the settings of every demixing figure, full or quick. */
export interface DemixingMapParameters {
  quick: boolean;
  settings: typeof DEMIXING_FIGURE_SETTINGS;
}

/** One point of the map: one demixing run at one (area fraction, ratio, size), validated, with its own seed. */
interface DemixingMapPoint {
  parameters: DemixingParams;
}

/** What a point of the map keeps of its run: the criterion's inputs and the figure's. */
type DemixingMapValue = DemixingCriterionRun & Pick<DemixingResult, "largestCluster" | "series">;

/** Area fractions at which the map draws the second-virial spinodal. */
const SPINODAL_PHIS = [0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65];

function demixingMapGrid(c: DemixingMapParameters) {
  const s = c.settings;
  return c.quick ? s.map.quick : s.map.full;
}

/**
 * fig6 as a map of points (mapSet): one demixing run per (area fraction i, ratio j, size s), with seed
 * seed + (i * ratios + j) * sizes + s (the seeds of demixingSweep), then, per (area fraction, ratio), the criterion
 * (classifyDemixing over the sizes), psi and the largest cluster of the largest size; and the spinodal.
 */
const demixingMap = mapSet<
  DemixingMapParameters,
  DemixingMapPoint,
  DemixingMapValue,
  { quick: boolean; sweep: DemixingMap }
>({
  id: "fig6-demixing-map",
  title: "demixing: psi and the largest cold cluster against the temperature ratio and the area fraction",
  parameters: (quick) => ({ quick, settings: DEMIXING_FIGURE_SETTINGS }),
  map: {
    points(c, at) {
      const grid = demixingMapGrid(c);
      const base = demixingParams({
        ...c.settings.base,
        N: grid.N,
        time: grid.time,
        burnIn: grid.burnIn,
        sampleInterval: grid.sampleInterval,
        replicas: grid.replicas,
        seed: at.seed,
      });
      const R = grid.ratios.length,
        S = grid.sizes.length;
      return grid.phis.flatMap((phi, i) =>
        grid.ratios.flatMap((ratio, j) =>
          grid.sizes.map((N, s) => ({
            parameters: demixingParams({
              ...base,
              N,
              phi,
              ...(ratio === 1 && "burnInEqual" in grid ? { burnIn: grid.burnInEqual } : {}),
              Tcold: base.Thot / ratio,
              seed: base.seed + (i * R + j) * S + s,
            }),
          })),
        ),
      );
    },
    async point(q, ctx) {
      const r = await runDemixing(q.parameters, {}, runOptionsOf(ctx));
      return {
        parameters: r.parameters,
        nCold: r.nCold,
        psi: r.psi,
        largestCluster: r.largestCluster,
        sccLowQ: r.sccLowQ,
        lengthScale: r.lengthScale,
        lengthGrowth: r.lengthGrowth,
        psiGrowth: r.psiGrowth,
        structure: r.structure,
        series: r.series,
      };
    },
    assemble(c, values) {
      const grid = demixingMapGrid(c);
      const R = grid.ratios.length,
        S = grid.sizes.length;
      const point = (i: number, j: number) => values.slice((i * R + j) * S, (i * R + j + 1) * S);
      const largestOf = (runs: DemixingMapValue[]) =>
        runs.reduce((a, b) => (b.parameters.N > a.parameters.N ? b : a), runs[0]);
      const phis = [...grid.phis],
        ratios = [...grid.ratios];
      const runs = phis.map((_, i) => ratios.map((_, j) => largestOf(point(i, j))));
      const b = c.settings.base;
      return {
        quick: c.quick,
        sweep: {
          ratios,
          phis,
          psi: runs.map((row) => row.map((r) => r.psi)),
          verdict: phis.map((_, i) => ratios.map((_, j) => classifyDemixing(point(i, j)).verdict)),
          sizes: [...grid.sizes],
          spinodal: {
            phi: SPINODAL_PHIS,
            ratio: SPINODAL_PHIS.map((phi) =>
              spinodalRatio({ phi, coldFraction: b.coldFraction, Thot: b.Thot, stiffness: 1, range: 1 }),
            ),
          },
          runs: runs.map((row) =>
            row.map((r) => ({
              parameters: r.parameters,
              psi: r.psi,
              largestCluster: r.largestCluster,
              series: r.series,
            })),
          ),
        },
      };
    },
  },
  figures: (d) => [demixingMapFigure(d.sweep, { quick: d.quick })],
});

/** One point of fig7 (one physical point at several sizes) before it runs: its ratio, sizes and base parameters. */
interface FiniteSizePoint {
  ratio: number;
  sizes: number[];
  /** The burn-in and production time of each size, where they differ from base's. */
  burnIns?: number[];
  times?: number[];
  /** Replica counts of a sequential point (demixingFiniteSize's `looks`). */
  looks?: number[];
  base: Partial<DemixingParams>;
}

/**
 * The points of fig7 in the figure's order: phi = 0.4 at the default stiffness (ratio 100), then the stiff point at
 * equal temperatures and at ratio 100; seeds as DEMIXING_FIGURE_SETTINGS.finiteSize says.
 */
export function demixingFiniteSizePoints(quick: boolean, seed: number): FiniteSizePoint[] {
  const s = DEMIXING_FIGURE_SETTINGS;
  const f = quick ? s.finiteSize.quick : s.finiteSize.full;
  const st = s.finiteSize.stiff;
  const sf = quick ? st.quick : st.full;
  const schedule = (x: { time: number; burnIn: number; sampleInterval: number; replicas: number }) => ({
    time: x.time,
    burnIn: x.burnIn,
    sampleInterval: x.sampleInterval,
    replicas: x.replicas,
  });
  return [
    ...s.finiteSize.ratios.map((ratio) => ({
      ratio,
      sizes: [...f.sizes] as number[],
      base: {
        ...s.base,
        phi: f.phi,
        ...schedule(f),
        Tcold: s.base.Thot / ratio,
        seed: seed + 100,
      },
    })),
    ...st.ratios.map((ratio) => ({
      ratio,
      sizes: [...(ratio === 1 && !quick ? st.fullEqual.sizes : sf.sizes)] as number[],
      ...(ratio !== 1 && "burnIns" in sf ? { burnIns: [...sf.burnIns], times: [...sf.times] } : {}),
      ...(ratio !== 1 && "looks" in sf ? { looks: [...sf.looks] } : {}),
      base: {
        ...s.base,
        phi: sf.phi,
        Thot: sf.Thot,
        ...schedule(ratio === 1 && !quick ? st.fullEqual : sf),
        Tcold: sf.Thot / ratio,
        seed: ratio === 1 ? seed + 200 : seed + 50,
      },
    })),
  ];
}

/** The finite-size scaling of fig7: each point at each size, on `ctx.runner`'s workers. */
export async function demixingFiniteSizeRuns(
  quick: boolean,
  ctx: Pick<ComputeContext, "seed"> & RunContext,
): Promise<{ points: DemixingSizeSeries[]; costs: { N: number; particleSteps: number }[][] }> {
  const pts = demixingFiniteSizePoints(quick, ctx.seed);
  // Every point at once, the longest (the stiff point at ratio 100, last) first: every size's replicas go to the pool
  // together and no worker idles at the end of a point.
  const order = pts.map((_, i) => i).reverse();
  const done = await runAll(
    ctx,
    order.map(
      (i) => (run: RunOptions) =>
        demixingFiniteSize(
          {
            sizes: pts[i].sizes,
            base: pts[i].base,
            ...(pts[i].burnIns ? { burnIns: pts[i].burnIns } : {}),
            ...(pts[i].times ? { times: pts[i].times } : {}),
            ...(pts[i].looks ? { looks: pts[i].looks } : {}),
            // The figure's own schedule (its cost is in the caption), whatever one simulation's work limit says.
            force: true,
          },
          { runner: run.runner, signal: run.signal, progress: run.onProgress },
        ),
    ),
  );
  const all = pts.map((_, i) => done[order.indexOf(i)]);
  // The work of every look run (a later look repeats the earlier looks' replicas).
  const lookWork = (fs: DemixingFiniteSize) =>
    fs.sequential
      ? fs.sequential.looks.slice(0, fs.sequential.stoppedAt + 1).reduce((a, b) => a + b, 0) /
        fs.sequential.looks[fs.sequential.stoppedAt]
      : 1;
  const costs = all.map((fs) =>
    fs.runs.map((r) => ({ N: r.parameters.N, particleSteps: r.steps * r.parameters.N * lookWork(fs) })),
  );
  const points: DemixingSizeSeries[] = all.map((fs, i) => ({
    ratio: pts[i].ratio,
    verdict: fs.verdict,
    evidence: fs.evidence,
    runs: fs.runs.map((r) => ({ parameters: r.parameters, structure: r.structure, sccLowQ: r.sccLowQ, psi: r.psi })),
    ...(fs.sequential ? { sequential: fs.sequential } : {}),
  }));
  return { points, costs };
}

/**
 * The coarsening runs of fig8 (phi = 0.4: ratio 100 long, lower ratios shorter; then the stiff point, phi = 0.7,
 * T_hot / k = 0.002, ratio 100), on `ctx.runner`'s workers.
 */
export async function demixingCoarseningRuns(
  quick: boolean,
  ctx: Pick<ComputeContext, "seed"> & RunContext,
): Promise<DemixingCoarseningRun[]> {
  const s = DEMIXING_FIGURE_SETTINGS;
  const c = quick ? s.coarsening.quick : s.coarsening.full;
  const stiff = quick ? s.coarsening.stiff.quick : s.coarsening.stiff.full;
  const nRatios = s.coarsening.ratios.length;
  // The stiff point first: the longest run starts first on the pool, so no worker idles at the end.
  const jobs = [
    (run: RunOptions) => runDemixing({ ...s.base, ...stiff, burnIn: 0, seed: ctx.seed + nRatios }, {}, run),
    ...s.coarsening.ratios.map(
      (ratio, i) => (run: RunOptions) =>
        runDemixing(
          {
            ...s.base,
            N: c.N,
            phi: c.phi,
            time: i === 0 ? c.time : c.refTime,
            burnIn: c.burnIn,
            sampleInterval: c.sampleInterval,
            replicas: c.replicas,
            Tcold: s.base.Thot / ratio,
            seed: ctx.seed + i,
          },
          {},
          run,
        ),
    ),
  ];
  const [stiffRun, ...runs] = await runAll(ctx, jobs);
  // Ratios in order (the first, ratio 100, is the figure's main run), then the stiff point.
  return [...runs, stiffRun].map((r) => ({ parameters: r.parameters, series: r.series, structure: r.structure }));
}

const demixingFiniteSizeSet = figureSet<
  { quick: boolean; settings: typeof DEMIXING_FIGURE_SETTINGS },
  { quick: boolean; points: DemixingSizeSeries[]; costs: { N: number; particleSteps: number }[][] }
>({
  id: "fig7-demixing-finite-size",
  title: "demixing: finite-size scaling of the concentration structure factor S_cc(q) and the criterion",
  parameters: (quick) => ({ quick, settings: DEMIXING_FIGURE_SETTINGS }),
  async compute(c, ctx) {
    return { quick: c.quick, ...(await demixingFiniteSizeRuns(c.quick, ctx)) };
  },
  figures: (d) => [demixingFiniteSizeFigure(d.points, { quick: d.quick, costs: d.costs })],
});

const demixingCoarseningSet = figureSet<
  { quick: boolean; settings: typeof DEMIXING_FIGURE_SETTINGS },
  { quick: boolean; runs: DemixingCoarseningRun[] }
>({
  id: "fig8-demixing-coarsening",
  title: "demixing: the domain size L(t) and S_cc(q, t) from a random start",
  parameters: (quick) => ({ quick, settings: DEMIXING_FIGURE_SETTINGS }),
  async compute(c, ctx) {
    return { quick: c.quick, runs: await demixingCoarseningRuns(c.quick, ctx) };
  },
  figures: (d) => [demixingCoarseningFigure(d.runs, { quick: d.quick })],
});

/**
 * Settings of fig10 (the separated start, demixingSlab.ts): the slab start at T_hot / T_cold = 1, 3 (sizes where it
 * dissolves within the run: the mixture's relaxation time grows like N) and 100 (every size), and the random start at
 * 100 over the same late window (burn-in 3/4 of the time, production the last quarter). 8 replicas (Student-t
 * threshold 8.47 standard errors). Full: about 3.2e8 particle-steps.
 */
export const DEMIXING_SLAB_SETTINGS = {
  full: {
    profileN: 200,
    sizes: [100, 200, 400],
    dissolveSizes: [100, 200],
    time: 2000,
    sampleInterval: 50,
    replicas: 8,
  },
  quick: { profileN: 100, sizes: [60, 100], dissolveSizes: [60, 100], time: 120, sampleInterval: 10, replicas: 4 },
  ratios: [1, 3, 100],
  phi: 0.4,
} as const;

/** The runs of fig10 and the verdicts (slab test at the largest size; both starts combined at the largest ratio). */
export async function demixingSlabRuns(
  quick: boolean,
  ctx: Pick<ComputeContext, "seed"> & RunContext,
): Promise<DemixingSlabFigureData> {
  const c = DEMIXING_SLAB_SETTINGS;
  const f = quick ? c.quick : c.full;
  const top = c.ratios[c.ratios.length - 1];
  const jobs: { start: "random" | "slab"; ratio: number; params: Partial<DemixingParams> }[] = [];
  c.ratios.forEach((ratio, i) => {
    const sizes = ratio === top ? f.sizes : f.dissolveSizes;
    const base = {
      ...DEMIXING_FIGURE_SETTINGS.base,
      phi: c.phi,
      Tcold: DEMIXING_FIGURE_SETTINGS.base.Thot / ratio,
      sampleInterval: f.sampleInterval,
      replicas: f.replicas,
    };
    sizes.forEach((N, s) => {
      jobs.push({
        start: "slab",
        ratio,
        params: { ...base, N, start: "slab", burnIn: 0, time: f.time, seed: ctx.seed + 10 * i + s },
      });
      if (ratio === top)
        jobs.push({
          start: "random",
          ratio,
          params: { ...base, N, burnIn: 0.75 * f.time, time: 0.25 * f.time, seed: ctx.seed + 10 * i + 5 + s },
        });
    });
  });
  const results = await runAll(
    ctx,
    jobs.map((j) => (run: RunOptions) => runDemixing(j.params, {}, run)),
  );
  const runs: DemixingSlabRun[] = results.map((r, k) => ({
    start: jobs[k].start,
    parameters: r.parameters,
    sccLowQ: r.slab ? r.slab.late.sccLowQ : r.sccLowQ,
    ...(r.slab ? { slab: r.slab } : {}),
  }));
  const verdicts = c.ratios.map((ratio) => {
    const slabs = results.filter((r, k) => jobs[k].ratio === ratio && r.slab) as (DemixingResult & {
      slab: DemixingSlab;
    })[];
    const randoms = results.filter((r, k) => jobs[k].ratio === ratio && jobs[k].start === "random");
    const largest = slabs.reduce((a, b) => (b.parameters.N > a.parameters.N ? b : a), slabs[0]);
    if (randoms.length === 0) return { ratio, slab: classifySlab(largest.slab).verdict };
    const random = classifyDemixing(randoms);
    const big = randoms.reduce((a, b) => (b.parameters.N > a.parameters.N ? b : a), randoms[0]);
    const both = combineDemixing({ verdict: random.verdict, psi: big.psi }, slabs);
    return { ratio, slab: both.slab, combined: both.verdict, reasons: both.reasons };
  });
  return { quick, profileN: f.profileN, runs, verdicts };
}

const demixingSlabSet = figureSet<{ quick: boolean; settings: typeof DEMIXING_SLAB_SETTINGS }, DemixingSlabFigureData>({
  id: "fig10-demixing-slab",
  title: "demixing from a separated start: the slab persists where the mixture separates, dissolves where it mixes",
  parameters: (quick) => ({ quick, settings: DEMIXING_SLAB_SETTINGS }),
  compute: (c, ctx) => demixingSlabRuns(c.quick, ctx),
  figures: (d) => [demixingSlabFigure(d)],
});

twoTemperature.reproduce.push(
  densityCurrent,
  entropyProduction,
  ratchetSet,
  runAndChaseSet,
  demixingSnapshots,
  demixingMap,
  demixingFiniteSizeSet,
  demixingCoarseningSet,
);
// The hot/cold polymer (polymerDefinition.ts): its own set, after the others.
twoTemperature.reproduce.push(polymerSet);
// The separated start (fig10), after the polymer: the sets keep their numbers' order.
twoTemperature.reproduce.push(demixingSlabSet);

/** The hot/cold polymer sub-study (`ness study two-temperature polymer`), defined in polymerDefinition.ts. */
export { polymer } from "./polymerDefinition.js";

/** "0.31 ± 0.01" (re-exported for the documentation's examples). */
export { formatMeasured };
