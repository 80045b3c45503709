/**
 * The particle-bath chain (Krekels, Maes, Santra and Zhai, arXiv:2604.00777) as a contract (src/studies/contract.ts):
 * the effective bath and the chain's current for any parameters, with optional direct simulations
 * (`ness study particle-bath-chain`), and the figure sets of `ness reproduce particle-bath-chain` (Figures 2a, 2b, 3,
 * 4 and the current three ways). compute() runs the engines; figures() and report() only draw and write.
 */
import { SteadyStateError } from "../../errors.js";
import { KREKELS_ET_AL_2026 } from "../citations.js";
import {
  defineStudy,
  estimateNumber,
  figureSet,
  type ComputeContext,
  type Measured,
  type NamedNumber,
} from "../contract.js";
import { num, table } from "../text.js";
import { effectiveBath } from "./effectiveBath.js";
import { currentSimulationFigure, frictionFigure, meanForceFigure, methodsFigure, ndcFigure } from "./figures.js";
import { currentMaximum, effectiveCurrent, logSpace, type CurrentMaximum } from "./ndc.js";
import { chainSchema, DEFAULT_PARAMS, PARAM_NAMES, validateParams, type ParticleBathChainParams } from "./params.js";
import { runChainCurrent, runProbeDecay } from "./simulation.js";
import { runOptionsOf } from "../parallel.js";
import { mapSet } from "../pointMap.js";
import {
  currentSimulationScan,
  currentTheoryCurves,
  frictionScan,
  frictionTheory,
  meanForceCurves,
  methodComparison,
  ndcSimulationScan,
  studyPoint,
  type CurrentSimulationPoint,
  type FrictionPoint,
  type MeanForceCurve,
  type MethodRow,
  type NdcSimulation,
} from "./study.js";

export interface ChainResults {
  parameters: ParticleBathChainParams;
  gammaL: number;
  kEff: number;
  softening: number;
  criticalTemperature: number;
  stable: true;
  /** The chain's current: exact engine, frequency integral, long-chain closed form, with the bath's memory, as printed. */
  current: number;
  currentFrequencyIntegral: number;
  currentLongChain: number;
  currentMemory: number;
  currentLongChainAsPrinted: number;
  residual: number;
  bathTime: number;
  timeScaleSeparation: number;
  maximum?: { TL: number; current: number; atStabilityEdge: boolean };
  highTemperatureCoefficient: number;
  /** J(T_L) of the effective theory from the stability edge to 30 T_R (only when figures are asked for). */
  curves?: TheoryCurve[];
  probe?: {
    friction: Measured;
    stiffness: Measured;
    formulaFriction: number;
    memoryFriction: number;
    /** k_eff of the formula (Markov limit), for the stiffness. */
    kEff: number;
    dt: number;
    steps: number;
  };
  simulation?: {
    current: Measured;
    springCurrent: Measured;
    dt: number;
    steps: number;
    replicas: number;
    duration: number;
  };
}

function report(r: ChainResults): string {
  const p = r.parameters;
  const out: string[] = [];
  out.push("Harmonic chain driven by a bath of overdamped particles (Krekels, Maes, Santra & Zhai, arXiv:2604.00777)");
  out.push(PARAM_NAMES.map((k) => `${k} = ${num(p[k])}`).join(", "), "");
  out.push("Effective bath on site 1 (second order in eps; k_eff with the minus sign of docs/corrections.md)");
  out.push(
    table(
      ["quantity", "value"],
      [
        ["friction gamma_L(T_L)", r.gammaL],
        ["stiffness k_eff(T_L) = K - softening", r.kEff],
        ["softening N_b eps^2 Var(F) / T_L", r.softening],
        ["unstable below T_L", r.criticalTemperature],
        ["slowest bath time zeta L^2/(4 pi^2 T_L)", r.bathTime],
        ["omega_c x bath time (<< 1: separated)", r.timeScaleSeparation],
      ],
    ),
    "",
  );
  out.push(`Heat current from the particle bath into the chain (N = ${p.N})`);
  out.push(
    table(
      ["method", "J"],
      [
        ["exact engine (Lyapunov)", r.current],
        ["frequency integral", r.currentFrequencyIntegral],
        ["long-chain closed form (corrected)", r.currentLongChain],
        ["closed form as printed (2x, wrong)", r.currentLongChainAsPrinted],
        ["with the bath's memory (finite zeta)", r.currentMemory],
      ],
    ),
  );
  out.push(`Lyapunov residual ${num(r.residual)}`);
  if (r.timeScaleSeparation > 0.3) {
    out.push(
      `note: the bath is slow (omega_c x bath time = ${num(r.timeScaleSeparation)}): the Markov effective theory is not accurate; see the memory value`,
    );
  }
  if (r.maximum) {
    out.push(
      "",
      r.maximum.atStabilityEdge
        ? `at T_R = ${num(p.TR)} the long-chain current is largest at the stability edge T_L = ${num(r.maximum.TL)} (J = ${num(r.maximum.current)})`
        : `NDC: at T_R = ${num(p.TR)} the long-chain current peaks at T_L = ${num(r.maximum.TL)} (J = ${num(r.maximum.current)}) and falls beyond`,
      `high T_L: J ~ ${num(r.highTemperatureCoefficient)} / T_L`,
    );
  }
  const probe = r.probe;
  if (probe) {
    out.push(
      "",
      `single probe (k = 0), decay of the mean velocity: friction ${num(probe.friction.value)} ± ${num(probe.friction.error)} ` +
        `(formula ${num(probe.formulaFriction)}, with memory ${num(probe.memoryFriction)}); stiffness ${num(probe.stiffness.value)} ± ${num(probe.stiffness.error)} (k_eff ${num(probe.kEff)})`,
    );
  }
  const sim = r.simulation;
  if (sim) {
    out.push(
      "",
      `full simulation (chain + particles + Langevin bath): J = ${num(sim.current.value)} ± ${num(sim.current.error)} ` +
        `(spring fluxes ${num(sim.springCurrent.value)} ± ${num(sim.springCurrent.error)}); effective theory ${num(r.current)}, with memory ${num(r.currentMemory)}`,
    );
    // Say when the run is too short to resolve the current (its sign within 4 error bars of zero).
    const unresolved = [
      ...(Math.abs(sim.current.value) <= 4 * sim.current.error ? ["J"] : []),
      ...(Math.abs(sim.springCurrent.value) <= 4 * sim.springCurrent.error ? ["the spring fluxes"] : []),
    ];
    if (unresolved.length > 0)
      out.push(
        `not resolved: ${unresolved.join(" and ")} ${unresolved.length > 1 || unresolved[0] !== "J" ? "are" : "is"} within 4 error bars of zero at this run length (run longer: --time, --replicas)`,
      );
  }
  return out.join("\n");
}

/**
 * Points of the J(T_L) curves of a draft (context.draft): each point is two solves of the chain (with and without
 * the bath's memory), some 3-10 ms each in a browser, against 60 points in a full run.
 */
const DRAFT_POINTS = 8;

export const particleBathChain = defineStudy({
  name: "particle-bath-chain",
  title: "A harmonic chain driven by a bath of overdamped particles",
  units:
    "kB = 1: temperatures in energy units; mass, length and time in the units of the chain's parameters (m, K, k) and of the particle bath (zeta, L); heat currents in energy/time",
  summary:
    "harmonic chain driven by a bath of overdamped particles: effective friction gamma_L(T_L) and stiffness " +
    "k_eff(T_L), the heat current (exact engine, frequency integral, long-chain closed form), NDC maximum; " +
    "--probe / --simulate run direct simulations",
  citations: [KREKELS_ET_AL_2026],
  parameters: chainSchema,
  seeded: true,
  async compute(input, ctx): Promise<ChainResults> {
    const { probe, pairs, v0, simulate, replicas, duration, ...raw } = input;
    const p = validateParams(raw);
    const s = studyPoint(p);
    if (!s.stable) throw new SteadyStateError(s.message!);
    const results: ChainResults = {
      parameters: p,
      gammaL: s.gammaL,
      kEff: s.kEff,
      softening: s.softening,
      criticalTemperature: s.criticalTemperature,
      stable: true,
      current: s.current!,
      currentFrequencyIntegral: s.currentFrequencyIntegral!,
      currentLongChain: s.currentLongChain!,
      currentMemory: s.currentMemory!,
      currentLongChainAsPrinted: s.currentLongChainAsPrinted!,
      residual: s.residual!,
      bathTime: s.bathTime,
      timeScaleSeparation: s.separation,
      ...(s.maximum
        ? { maximum: { TL: s.maximum.TL, current: s.maximum.current, atStabilityEdge: s.maximum.atStabilityEdge } }
        : {}),
      highTemperatureCoefficient: s.highTemperatureCoefficient,
    };
    if (ctx.figures) {
      const top = Math.max(30 * Math.max(p.TR, p.TL), 2 * (s.maximum?.TL ?? 0));
      results.curves = currentTheoryCurves(p, [p.zeta], top, ctx.draft ? DRAFT_POINTS : 60);
    }
    if (probe) {
      const d = await runProbeDecay(p, { pairs, v0, seed: ctx.seed, force: ctx.force }, runOptionsOf(ctx));
      results.probe = {
        friction: d.friction,
        stiffness: d.stiffness,
        formulaFriction: d.gammaL,
        memoryFriction: d.memoryFriction,
        kEff: d.kEff,
        dt: d.dt,
        steps: d.steps,
      };
    }
    if (simulate) {
      const c = await runChainCurrent(
        p,
        { replicas, duration, burnIn: 200, seed: ctx.seed, force: ctx.force },
        runOptionsOf(ctx),
      );
      results.simulation = {
        current: c.current,
        springCurrent: c.springCurrent,
        dt: c.dt,
        steps: c.steps,
        replicas,
        duration,
      };
    }
    return results;
  },
  figures: (r) => (r.curves ? [currentSimulationFigure(r.parameters, [], r.curves)] : []),
  // Not with a simulation (--probe, --simulate): a draft would run it twice.
  draftFigures: (p) => !p.probe && !p.simulate,
  report,
  numbers(r) {
    const out: NamedNumber[] = [
      { key: "current", label: "heat current J (exact engine)", value: r.current, unit: "energy/time" },
      { key: "gammaL", label: "effective friction γ_L(T_L)", value: r.gammaL, unit: "mass/time" },
      { key: "kEff", label: "effective stiffness k_eff(T_L)", value: r.kEff, unit: "energy/length²" },
    ];
    if (r.maximum)
      out.push(
        { key: "maximumTL", label: "largest current at T_L =", value: r.maximum.TL, unit: "energy" },
        { key: "maximumCurrent", label: "largest current", value: r.maximum.current, unit: "energy/time" },
      );
    if (r.simulation)
      out.push(estimateNumber("simulatedCurrent", "heat current J (simulated)", r.simulation.current, "energy/time"));
    if (r.probe) {
      out.push(estimateNumber("probeFriction", "friction of the probe (simulated)", r.probe.friction, "mass/time"));
      out.push(
        estimateNumber("probeStiffness", "stiffness of the probe (simulated)", r.probe.stiffness, "energy/length²"),
      );
    }
    return out;
  },
  outputs: { figure: "draw the current J against T_L (effective theory) with its maximum" },
  examples: [
    "study particle-bath-chain --TL 3 --TR 0.5 --zeta 0.2 --N 24",
    "study particle-bath-chain --N 8 --simulate --time 1000 --replicas 2",
  ],
  reproduce: [],
});

// ---------------------------------------------------------------------------------------------------------------
// The figure sets of `ness reproduce particle-bath-chain`. Parameters not given in the paper (zeta, N, k, gamma_R,
// the temperatures) are stated in the captions.

const meanForceSet = figureSet<
  { parameters: ParticleBathChainParams; TLs: number[]; qMax: number; points: number },
  { parameters: ParticleBathChainParams; curves: MeanForceCurve[]; criticalTemperature: number }
>({
  id: "fig2a-mean-force",
  title: "Fig. 2a of [Krekels et al. 2026]: the bath's mean force on a probe held at q",
  parameters: (quick) => ({
    parameters: { ...DEFAULT_PARAMS },
    TLs: [0.5, 1, 2, 5],
    qMax: 20,
    points: quick ? 41 : 161,
  }),
  async compute(c) {
    const p = validateParams(c.parameters);
    return {
      parameters: p,
      curves: meanForceCurves(p, c.TLs, c.qMax, c.points),
      criticalTemperature: effectiveBath({ ...p, TL: 1 }).criticalTemperature,
    };
  },
  figures: (d) => [meanForceFigure(d.parameters, d.curves, d.criticalTemperature)],
});

const frictionSet = figureSet<
  {
    parameters: ParticleBathChainParams;
    zetas: number[];
    TLs: number[][];
    pairs: number;
    v0: number;
    theoryPoints: number;
  },
  { parameters: ParticleBathChainParams; points: FrictionPoint[]; theory: FrictionPoint[] }
>({
  id: "fig2b-effective-friction",
  title: "Fig. 2b of [Krekels et al. 2026]: effective friction and stiffness of one probe, simulated and predicted",
  seed: 2024,
  parameters: (quick) => ({
    parameters: { ...DEFAULT_PARAMS },
    zetas: [0.1, 1],
    TLs: quick
      ? [
          [2, 10],
          [2, 20],
        ]
      : [
          [1, 2, 3, 5, 10, 20],
          [1, 2, 3, 5, 10, 20, 50, 100],
        ],
    pairs: quick ? 3 : 16,
    v0: 50,
    theoryPoints: quick ? 20 : 60,
  }),
  async compute(c, ctx) {
    const p = validateParams(c.parameters);
    ctx.log?.(`  single probe, ${c.pairs} antithetic pairs per point`);
    const points = await frictionScan(
      p,
      { zetas: c.zetas, TLs: c.TLs, pairs: c.pairs, v0: c.v0, seed: ctx.seed, log: ctx.log },
      ctx,
    );
    const grid = logSpace(0.55, 100, c.theoryPoints);
    const theory = c.zetas.flatMap((zeta) => grid.map((TL) => frictionTheory(p, zeta, TL)));
    return { parameters: p, points, theory };
  },
  figures: (d) => [frictionFigure(d.parameters, d.points, d.theory)],
});

const methodsSet = figureSet<
  { parameters: ParticleBathChainParams; Ns: number[]; convergenceTL: number[] },
  {
    parameters: ParticleBathChainParams;
    rows: MethodRow[];
    convergence: { TL: number; gammaL: number; rows: MethodRow[] }[];
  }
>({
  id: "current-three-ways",
  title: "the current three ways (exact engine, frequency integral, closed form)",
  // zeta = 1: a strongly coupled effective bath (gamma_L = 1.6 at T_L = 2), where the three methods and the factor 2
  // of the closed form are most visible (this compares methods for the effective chain itself).
  parameters: (quick) => ({
    parameters: { ...DEFAULT_PARAMS, zeta: 1 },
    Ns: quick ? [2, 4, 8, 16, 24] : Array.from({ length: 31 }, (_, i) => i + 2),
    convergenceTL: [0.6, 2, 5],
  }),
  async compute(c) {
    const q = validateParams(c.parameters);
    const rows = methodComparison(q, c.Ns);
    const convergence = c.convergenceTL.map((TL) => ({
      TL,
      gammaL: effectiveBath({ ...q, TL }).gammaL,
      rows: methodComparison(
        { ...q, TL, TR: 0 },
        c.Ns.filter((n) => n % 2 === 0),
      ),
    }));
    return { parameters: q, rows, convergence };
  },
  figures: (d) => [methodsFigure(d.parameters, d.rows, d.convergence)],
});

type TheoryCurve = ReturnType<typeof currentTheoryCurves>[number];

const simulationSet = figureSet<
  {
    parameters: ParticleBathChainParams;
    zetas: number[];
    TLs: number[][];
    replicas: number;
    duration: number;
    burnIn: number;
    TLmax: number;
    theoryPoints: number;
  },
  { parameters: ParticleBathChainParams; points: CurrentSimulationPoint[]; curves: TheoryCurve[] }
>({
  id: "fig3-current-simulation",
  title: "Fig. 3 of [Krekels et al. 2026]: the full simulation against the effective theory",
  seed: 2031,
  parameters: (quick) => ({
    parameters: { ...DEFAULT_PARAMS, N: 8, TR: 0 },
    zetas: [0.01, 0.1, 1],
    TLs: quick
      ? [
          [1, 3],
          [1, 5],
          [1, 5, 20],
        ]
      : [
          [0.6, 1, 2, 3, 5, 8, 13, 20],
          [0.6, 1, 2, 3, 5, 8, 13, 20, 35, 50],
          [0.6, 1, 2, 3, 5, 8, 13, 20, 35, 50],
        ],
    replicas: 2,
    duration: quick ? 400 : 2000,
    burnIn: quick ? 100 : 200,
    TLmax: 60,
    theoryPoints: quick ? 25 : 60,
  }),
  async compute(c, ctx) {
    const q = validateParams(c.parameters);
    ctx.log?.(`  full simulation of the chain (N = ${q.N}), ${c.replicas} x ${c.duration} time units per point`);
    const points = await currentSimulationScan(
      q,
      {
        zetas: c.zetas,
        TLs: c.TLs,
        replicas: c.replicas,
        duration: c.duration,
        burnIn: c.burnIn,
        seed: ctx.seed,
        log: ctx.log,
      },
      ctx,
    );
    return { parameters: q, points, curves: currentTheoryCurves(q, c.zetas, c.TLmax, c.theoryPoints) };
  },
  figures: (d) => [currentSimulationFigure(d.parameters, d.points, d.curves)],
});

type NdcParameters = {
  parameters: ParticleBathChainParams;
  ks: number[];
  points: number;
  deltas: number;
  fixedTR: number;
  fixedTL: number;
  /** The simulated points (panels d, e): the full system at its own zeta and N. */
  simulation: NdcSimulationSettings;
};

/** One point of Fig. 4: a current at one parameter set (long-chain or memory form), or a maximum over T_L. */
type NdcPoint =
  | { what: "current"; method: "longChain" | "memory"; parameters: ParticleBathChainParams }
  | { what: "maximum"; parameters: ParticleBathChainParams }
  | { what: "simulation"; parameters: ParticleBathChainParams; TR: number; settings: NdcSimulationSettings };

/** Settings of Fig. 4's simulated points. */
type NdcSimulationSettings = {
  zeta: number;
  N: number;
  ks: number[];
  TLs: number[];
  /** T_L at which T_R is lowered (vary T_R), and those T_R. */
  fixedTL: number;
  TRs: number[];
  replicas: number;
  duration: number;
  burnIn: number;
};

/** The T_L grid of Fig. 4 and the bath differences of its inset. */
function ndcGrids(c: NdcParameters) {
  const q = validateParams(c.parameters);
  const Tc = effectiveBath({ ...q, TL: 1 }).criticalTemperature;
  const grid = logSpace(Tc * 1.05, 1000, c.points);
  const delta = Array.from({ length: c.deltas }, (_, i) => (40 * i) / (c.deltas - 1));
  return { q, grid, memoryGrid: grid.filter((TL) => TL > 5), delta };
}

// A map of every current of the figure (`ness reproduce` runs them as a resumable sweep on its worker threads).
const ndcSet = mapSet<
  NdcParameters,
  NdcPoint,
  number | CurrentMaximum | NdcSimulation,
  {
    parameters: ParticleBathChainParams;
    byK: { k: number; TL: number[]; current: number[]; maximum: CurrentMaximum }[];
    memory: { TL: number; current: number }[];
    delta: { delta: number[]; varyTL: number[]; varyTR: number[]; fixedTR: number; fixedTL: number };
    simulation: NdcSimulation;
  }
>({
  id: "fig4-ndc",
  title: "Fig. 4 of [Krekels et al. 2026]: negative differential thermal conductivity",
  seed: 4041,
  // zeta = 0.1: above T_R = 10 the slowest bath time is < 0.16 (omega_c tau < 0.32): close to separated.
  parameters: (quick) => ({
    parameters: { ...DEFAULT_PARAMS, zeta: 0.1, TR: 10 },
    ks: [0.5, 1, 2],
    points: quick ? 40 : 160,
    deltas: quick ? 21 : 81,
    fixedTR: 10,
    fixedTL: 50,
    // The full system at zeta = 1, where a run is cheap (the bath time sets dt) and the memory theory holds.
    simulation: {
      zeta: 1,
      N: 8,
      ks: quick ? [1] : [0.5, 1, 2],
      TLs: quick ? [2, 20, 40] : [2, 5, 20, 30, 40],
      fixedTL: 40,
      TRs: quick ? [20] : [30, 20],
      replicas: 2,
      duration: quick ? 1500 : 6000,
      burnIn: 200,
    },
  }),
  map: {
    points(c) {
      const { q, grid, memoryGrid, delta } = ndcGrids(c);
      const longChain = (parameters: ParticleBathChainParams): NdcPoint => ({
        what: "current",
        method: "longChain",
        parameters,
      });
      return [
        ...c.ks.flatMap((k) => [
          ...grid.map((TL) => longChain({ ...q, k, TL })),
          { what: "maximum" as const, parameters: { ...q, k } },
        ]),
        ...memoryGrid.map((TL): NdcPoint => ({ what: "current", method: "memory", parameters: { ...q, N: 32, TL } })),
        ...delta.map((d) => longChain({ ...q, TR: c.fixedTR, TL: c.fixedTR + d })),
        ...delta.map((d) => longChain({ ...q, TL: c.fixedTL, TR: c.fixedTL - d })),
        // Last: the simulated points, one long point (its replicas run on the point's runner).
        { what: "simulation", parameters: q, TR: c.fixedTR, settings: c.simulation },
      ];
    },
    point: (p, ctx) =>
      p.what === "simulation"
        ? ndcSimulation(p.parameters, p.TR, p.settings, ctx)
        : p.what === "maximum"
          ? currentMaximum(p.parameters, "longChain")
          : effectiveCurrent(p.parameters, p.method),
    assemble(c, values) {
      const { q, grid, memoryGrid, delta } = ndcGrids(c);
      let at = 0;
      const take = (n: number) => values.slice(at, (at += n));
      const byK = c.ks.map((k) => {
        const current = take(grid.length) as number[];
        const [maximum] = take(1) as CurrentMaximum[];
        return { k, TL: grid, current, maximum };
      });
      const memoryCurrents = take(memoryGrid.length) as number[];
      const varyTL = take(delta.length) as number[];
      const varyTR = take(delta.length) as number[];
      const [simulation] = take(1) as NdcSimulation[];
      return {
        parameters: q,
        byK,
        memory: memoryGrid.map((TL, i) => ({ TL, current: memoryCurrents[i] })),
        delta: { delta, varyTL, varyTR, fixedTR: c.fixedTR, fixedTL: c.fixedTL },
        simulation,
      };
    },
  },
  figures: (d) => [ndcFigure(d.parameters, d.byK, d.memory, d.delta, d.simulation)],
});

/**
 * The simulated points of Fig. 4 (J against T_L at T_R = fixedTR for each k; T_R lowered at T_L = fixedTL for the
 * middle k) and the effective theories of the same chain as lines.
 */
async function ndcSimulation(
  q: ParticleBathChainParams,
  TR: number,
  c: { zeta: number; N: number; ks: number[]; TLs: number[]; fixedTL: number; TRs: number[] } & {
    replicas: number;
    duration: number;
    burnIn: number;
  },
  ctx: ComputeContext,
): Promise<NdcSimulation> {
  const p = { ...q, zeta: c.zeta, N: c.N };
  const kMid = c.ks[Math.floor(c.ks.length / 2)];
  const points = [
    ...c.ks.flatMap((k) => c.TLs.map((TL) => ({ k, TL, TR }))),
    ...c.TRs.map((t) => ({ k: kMid, TL: c.fixedTL, TR: t })),
  ];
  ctx.log?.(`  full simulation at zeta = ${c.zeta} (N = ${c.N}), ${c.replicas} x ${c.duration} time units per point`);
  const simulated = await ndcSimulationScan(
    p,
    { points, replicas: c.replicas, duration: c.duration, burnIn: c.burnIn, seed: ctx.seed, log: ctx.log },
    ctx,
  );
  const Tc = effectiveBath({ ...p, TL: 1 }).criticalTemperature;
  const grid = logSpace(Math.max(Tc * 1.05, 2), 1.15 * Math.max(...c.TLs), 40);
  const deltas = Array.from({ length: 31 }, (_, i) => (i * (c.fixedTL - Math.min(TR, ...c.TRs))) / 30);
  return {
    zeta: c.zeta,
    N: c.N,
    TR,
    fixedTL: c.fixedTL,
    kMid,
    points: simulated,
    lines: c.ks.map((k) => ({
      k,
      TL: grid,
      memory: grid.map((TL) => effectiveCurrent({ ...p, k, TL, TR }, "memory")),
      markov: grid.map((TL) => effectiveCurrent({ ...p, k, TL, TR }, "exact")),
    })),
    delta: {
      delta: deltas,
      varyTL: deltas.map((d) => effectiveCurrent({ ...p, k: kMid, TL: TR + d, TR }, "memory")),
      varyTR: deltas.map((d) => effectiveCurrent({ ...p, k: kMid, TL: c.fixedTL, TR: c.fixedTL - d }, "memory")),
    },
  };
}

particleBathChain.reproduce.push(meanForceSet, frictionSet, methodsSet, simulationSet, ndcSet);
