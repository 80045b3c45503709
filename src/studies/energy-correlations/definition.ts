/**
 * Energy correlations between subsystems carrying a heat current (Bunin, Kafri, Lecomte, Podolsky and Polkovnikov,
 * arXiv:1306.1551) as a contract (src/studies/contract.ts): the mean state, the correlation matrix, its noise
 * decomposition and bound for any model and chain, optionally verified by simulating the energy SDE
 * (`ness study energy-correlations`), and the figure sets of `ness reproduce energy-correlations`. compute() runs
 * the engines; figures() and report() only draw and write.
 */
import { ModelError } from "../../errors.js";
import { toRows, type Matrix } from "../../linalg/matrix.js";
import { BUNIN_ET_AL_2013 } from "../citations.js";
import { defineStudy, figureSet, type ComputeContext, type NamedNumber } from "../contract.js";
import { checkRange } from "../ranges.js";
import { runAll, runOptionsOf } from "../parallel.js";
import { mapSet } from "../pointMap.js";
import { num, table } from "../text.js";
import { energyCorrelations, FLUCTUATION_WARNING, type EnergyCorrelations } from "./correlations.js";
import {
  boundFigure,
  c12Figure,
  decompositionFigure,
  noiseApproximationFigure,
  profilesFigure,
  singleVarianceFigure,
  verificationFigure,
} from "./figures.js";
import { MODEL_RANGES, type BuiltinModelName } from "./models.js";
import { correlationsSchema } from "./parameters.js";
import { runEnergyCorrelations, type SimulationResult } from "./simulate.js";
import type { Chain } from "./steadyState.js";
import {
  biasSweep,
  builtinModel,
  chainSweep,
  type BiasSweep,
  closedFormC12,
  noiseApproximationErrors,
  profileSet,
  singleSweep,
  type ModelParameters,
  type SingleSweep,
} from "./study.js";
import { verificationSweep, type VerificationSweep } from "./verification.js";
import type { z } from "zod";
import { validateParameters } from "../schema.js";

type Input = z.output<typeof correlationsSchema>;

const DENSITY = { min: 0, max: 1 };

/** The model's own parameters among the input (those given). */
function modelParameters(p: Input): ModelParameters {
  return { Cv: p.Cv, gamma: p.gamma, N: p.N, kappa: p.kappa, TF: p.TF, coupling: p.coupling, aV: p.aV, noise: p.noise };
}

/** The baths of the chain: temperatures (defaults 1 and 3), or densities for the exclusion process (0.2 and 0.8). */
function baths(p: Input): [number, number] {
  return p.model === "ssep" ? [p.eps0 ?? p.T0 ?? 0.2, p.eps3 ?? p.T3 ?? 0.8] : [p.T0 ?? 1, p.T3 ?? 3];
}

/** Checks the baths against the model and the model's parameters; ModelError naming the flags. */
function checkChain(p: Input, name: (key: string) => string): void {
  if (p.model === "ssep") {
    if (p.eps0 !== undefined && p.T0 !== undefined)
      throw new ModelError(`give the left density as ${name("eps0")} or ${name("T0")}, not both`);
    if (p.eps3 !== undefined && p.T3 !== undefined)
      throw new ModelError(`give the right density as ${name("eps3")} or ${name("T3")}, not both`);
    for (const [a, b] of [
      ["eps0", "T0"],
      ["eps3", "T3"],
    ] as const) {
      const key = p[a] !== undefined ? a : b;
      const v = p[key];
      if (v !== undefined && !(v >= DENSITY.min && v <= DENSITY.max))
        throw new ModelError(`${name(key)} must be a density in [0, 1] for the ssep model, got ${v}`);
    }
  } else {
    if (p.eps0 !== undefined || p.eps3 !== undefined) {
      throw new ModelError(
        `${name("eps0")}/${name("eps3")} are densities of the exclusion process (${name("model")} ssep); the ${p.model} model takes bath temperatures ${name("T0")}, ${name("T3")}`,
      );
    }
    for (const key of ["T0", "T3"] as const)
      if (p[key] !== undefined) checkRange(name(key), p[key], MODEL_RANGES.temperature, ` for the ${p.model} model`);
  }
  builtinModel(p.model, modelParameters(p));
}

/** The chain of the input (validated). */
export function chainOf(p: Input): Chain {
  checkChain(p, (k) => `--${k}`);
  const [left, right] = baths(p);
  return { model: builtinModel(p.model, modelParameters(p)), M: p.M, left, right };
}

const rows = (m: Matrix): number[][] => toRows(m);

/** The results of `ness study energy-correlations` (every number in full precision). */
export interface CorrelationResults {
  model: string;
  label: string;
  parameters: Record<string, unknown>;
  M: number;
  variable: string;
  carried: string;
  baths: { left: number; right: number };
  temperatures: number[];
  densities?: number[];
  energies: number[];
  current: number;
  noise: number[];
  R: number[][];
  Q: number[][];
  C: number[][];
  relaxationRates: number[];
  relaxationTime: number;
  decomposition: { pair: [number, number]; byLink: number[]; boundary: number; bulk: number };
  noiseCurvature?: number;
  closedForm?: { C12: number; formula: string };
  bound?: EnergyCorrelations["bound"];
  /** M = 1: the single subsystem's variance and its closed form <J> tau (beta_R - beta_L)/((beta_1 - beta_L)(beta_R - beta_1)). */
  single?: EnergyCorrelations["single"];
  /** The validity condition of eq. 4, (Delta beta)^2 kappa3 / kappa1 per link against its threshold (not for the ideal gas). */
  thirdCumulant?: EnergyCorrelations["thirdCumulant"];
  fluctuation: { relative: number[]; max: number; subsystem: number };
  residual: number;
  steadyStateResidual: number;
  /** C12 against the right bath for this chain (its model, parameters, M and left bath; only with ctx.figures, M >= 2). */
  biasSweep?: BiasSweep;
  /** M = 1: the subsystem's variance against the right bath (only with ctx.figures). */
  singleSweep?: SingleSweep;
  warnings: string[];
  simulation?: {
    scheme: string;
    C: number[][];
    error: number[][];
    maxDeviationSigma: number;
    discretisationBias: number[][];
    meanEnergies: number[];
    meanEnergyErrors: number[];
    dt: number;
    stepsPerReplica: number;
    replicas: number;
    seed: number;
    clampedSteps: number;
  };
}

/** The results document of one chain (and its simulation). */
export function correlationResults(ec: EnergyCorrelations, sim?: SimulationResult): CorrelationResults {
  const { chain } = ec;
  const { model, M } = chain;
  const density = model.variable === "density";
  const closed = closedFormC12(ec);
  return {
    model: model.kind,
    label: model.label,
    parameters: model.parameters,
    M,
    variable: model.variable,
    carried: model.carried,
    baths: { left: chain.left, right: chain.right },
    temperatures: Array.from(ec.states),
    ...(density ? { densities: Array.from(ec.states) } : {}),
    energies: Array.from(ec.energies),
    current: ec.current,
    noise: Array.from(ec.noise),
    R: rows(ec.relaxation),
    Q: rows(ec.noiseMatrix),
    C: rows(ec.covariance),
    relaxationRates: Array.from(ec.relaxationRates, (r) => -r),
    relaxationTime: ec.relaxationTime,
    decomposition: {
      pair: ec.decomposition.pair,
      byLink: ec.decomposition.byLink,
      boundary: ec.decomposition.boundary,
      bulk: ec.decomposition.bulk,
    },
    ...(ec.noiseCurvature !== undefined ? { noiseCurvature: ec.noiseCurvature } : {}),
    ...(closed ? { closedForm: { C12: closed.value, formula: closed.formula } } : {}),
    ...(ec.bound ? { bound: ec.bound } : {}),
    ...(ec.single ? { single: ec.single } : {}),
    ...(ec.thirdCumulant ? { thirdCumulant: ec.thirdCumulant } : {}),
    fluctuation: {
      relative: Array.from(ec.fluctuation.relative),
      max: ec.fluctuation.max,
      subsystem: ec.fluctuation.subsystem,
    },
    residual: ec.residual,
    steadyStateResidual: ec.steadyStateResidual,
    warnings: ec.warnings,
    ...(sim
      ? {
          simulation: {
            scheme: sim.scheme,
            C: rows(sim.covariance),
            error: rows(sim.covarianceError),
            maxDeviationSigma: sim.maxDeviation,
            discretisationBias: rows(sim.discretisationBias),
            meanEnergies: Array.from(sim.meanEnergies),
            meanEnergyErrors: Array.from(sim.meanEnergyErrors),
            dt: sim.dt,
            stepsPerReplica: sim.stepsPerReplica,
            replicas: sim.replicas,
            seed: sim.seed,
            clampedSteps: sim.clampedSteps,
          },
        }
      : {}),
  };
}

function matrixText(m: number[][], err?: number[][]): string {
  const header = ["C", ...m[0].map((_, j) => String(j + 1))];
  const body = m.map((row, i) => [
    String(i + 1),
    ...row.map((v, j) => (err ? `${num(v)} ± ${num(err[i][j], 2)}` : num(v))),
  ]);
  return table(header, body);
}

/** The terminal report. */
export function correlationsReport(r: CorrelationResults): string {
  const M = r.M;
  const x = r.variable === "density" ? "eps" : r.variable === "energy" ? "E" : "T";
  const q = r.carried === "particles" ? "N_i (particles)" : "E_i";
  const out: string[] = [];
  out.push(
    `${r.label}: ${M} subsystem${M === 1 ? "" : "s"} between baths ${x}0 = ${num(r.baths.left)} and ${x}${M + 1} = ${num(r.baths.right)} (kB = 1)`,
    "",
  );
  out.push(
    table(
      ["subsystem", x, q],
      Array.from({ length: M }, (_, i) => [String(i + 1), r.temperatures[i], r.energies[i]]),
    ),
    "",
  );
  out.push(
    `mean current <J> = ${num(r.current)} (positive: from the left bath to the right bath); slowest relaxation time tau = ${num(r.relaxationTime)}`,
  );
  out.push(`link noise B: ${r.noise.map((b, k) => `B${k}${k + 1} = ${num(b)}`).join(", ")}`, "");
  out.push(
    `correlation matrix C_ij = <E_i E_j> - <E_i><E_j> (${r.carried === "particles" ? "particle numbers" : "energies"}):`,
    matrixText(r.C),
    "",
  );
  const d = r.decomposition;
  if (M === 1) {
    out.push(`variance <dE^2> = C11 = (B01 + B12) tau / 2 = ${num(r.C[0][0], 6)} (linear noise)`);
    const s = r.single;
    if (s?.formula !== undefined) {
      out.push(
        `closed form under eq. 4: <J> tau (beta2 - beta0)/((beta1 - beta0)(beta2 - beta1)) = ${num(s.formula, 6)} (relative difference ${num(Math.abs(s.formula - r.C[0][0]) / r.C[0][0], 2)})`,
      );
    } else if (s) {
      out.push("closed form under eq. 4: not defined at equal baths (no current; the variance is the equilibrium one)");
    }
    out.push(`noise decomposition of C11: link 0-1 ${num(d.byLink[0])}, link 1-2 ${num(d.byLink[1])}`);
  } else {
    const c12 = r.C[0][1];
    out.push(
      `C12 = ${num(c12, 6)} (${c12 > 0 ? "positive" : c12 < 0 ? "negative" : "zero"})${r.closedForm ? `; closed form ${r.closedForm.formula} = ${num(r.closedForm.C12, 6)}` : ""}`,
    );
    out.push(
      `noise decomposition of C12: boundary links ${num(d.boundary)}, bulk links ${num(d.bulk)} (by link: ${d.byLink.map((v, b) => `${b}-${b + 1}: ${num(v)}`).join(", ")})`,
    );
  }
  if (r.noiseCurvature !== undefined) out.push(`B01 - 2 B12 + B23 = ${num(r.noiseCurvature)}`);
  if (r.bound) {
    const b = r.bound;
    out.push(
      `bound (eq. 15): |C12| = ${num(b.correlation)} ${b.holds ? "<=" : ">"} 18 |<J>| tau max|beta_i - beta_i+1|^-1 = ${num(b.bound)} (${b.holds ? "holds" : "VIOLATED"}; ` +
        `premises: monotone currents ${b.monotoneCurrents ? "yes" : "no"}, eq. 4 deviation ${num(b.fdrDeviation, 2)})`,
    );
  }
  const k3 = r.thirdCumulant;
  out.push(
    k3
      ? k3.satisfied
        ? `eq. 4 validity (third cumulant): satisfied: (Delta beta)^2 kappa3 / kappa1 = ${num(k3.value, 3)} <= ${k3.threshold} ` +
          `with Delta beta = ${num(k3.betaGap, 3)}`
        : `eq. 4 validity (third cumulant): NOT SATISFIED at these baths: (Delta beta)^2 kappa3 / kappa1 = ${num(k3.value, 3)} ` +
          `with Delta beta = ${num(k3.betaGap, 3)}, and it needs <= ${k3.threshold}: eq. 4, and the bound and closed forms that ` +
          `assume it, are approximate here (C itself does not use eq. 4); baths closer to equilibrium satisfy it (at these ` +
          `temperatures, about Delta beta < ${num(k3.betaGap * Math.sqrt(k3.threshold / k3.value), 2)} between neighbours)`
      : r.warnings.some((w) => w.startsWith("a bath's conjugate variable beta is infinite"))
        ? "eq. 4 validity (third cumulant): not defined (a bath's beta is infinite: see the warnings)"
        : "eq. 4 validity (third cumulant): not available (the model gives only A and B; the ideal gas defines B by eq. 4)",
  );
  const f = r.fluctuation;
  out.push(
    `large-subsystem check: energy fluctuation / distance to the edge of the energy range ${f.relative.map((v) => num(v, 2)).join(", ")} ` +
      `(linear noise needs << 1: ${f.max <= FLUCTUATION_WARNING ? "fine" : "TOO SMALL, see the warning"})`,
  );
  out.push(
    `Lyapunov residual ${r.residual.toExponential(1)}; steady-state current imbalance ${r.steadyStateResidual.toExponential(1)}`,
  );
  const sim = r.simulation;
  if (sim) {
    out.push(
      "",
      `simulated energy SDE (${sim.scheme}, dt = ${num(sim.dt)}, ${sim.replicas} replicas × ${sim.stepsPerReplica} steps, random seed ${sim.seed}):`,
      matrixText(sim.C, sim.error),
      `largest |simulated - exact| / error bar: ${num(sim.maxDeviationSigma, 3)}${sim.clampedSteps > 0 ? `; ${sim.clampedSteps} steps clamped a state or a negative B` : ""}`,
    );
  }
  return out.join("\n");
}

export const energyCorrelationsStudy = defineStudy({
  name: "energy-correlations",
  title: "Energy correlations between subsystems carrying a heat current",
  units:
    "kB = 1: temperatures in energy units (ssep: densities in [0, 1]); energies of the subsystems in the same energy unit, correlations C_ij in energy^2 (ssep: particles^2), time in the inverse of the rate constants (gamma, kappa, coupling)",
  summary:
    "energy correlations of M subsystems carrying a heat current between two baths: mean state, correlation matrix C, " +
    "boundary/bulk noise decomposition, bound of eq. 15; --simulate checks C by simulating the energy SDE",
  citations: [BUNIN_ET_AL_2013],
  parameters: correlationsSchema,
  check: checkChain,
  seeded: true,
  async compute(p, ctx: ComputeContext): Promise<CorrelationResults> {
    const chain = chainOf(p);
    const sim = p.simulate
      ? await runEnergyCorrelations(
          chain,
          { replicas: p.replicas, duration: p.duration, seed: ctx.seed, force: ctx.force },
          runOptionsOf(ctx),
        )
      : undefined;
    const results = correlationResults(sim ? sim.exact : energyCorrelations(chain), sim);
    if (ctx.figures && chain.M >= 2) results.biasSweep = chainSweep(p.model, modelParameters(p), chain, 41);
    if (ctx.figures && chain.M === 1) results.singleSweep = singleSweep(p.model, chain, 41);
    return results;
  },
  figures: (r) =>
    r.biasSweep
      ? [c12Figure([r.biasSweep]), decompositionFigure([r.biasSweep])]
      : r.singleSweep
        ? [
            singleVarianceFigure(
              r.singleSweep,
              r.simulation ? { value: r.simulation.C[0][0], error: r.simulation.error[0][0] } : undefined,
            ),
          ]
        : [],
  report: correlationsReport,
  numbers(r) {
    const density = r.variable === "density";
    const u2 = density ? "particles²" : "energy²";
    const out: NamedNumber[] = [
      { key: "current", label: "mean current ⟨J⟩", value: r.current, unit: density ? "particles/time" : "energy/time" },
    ];
    if (r.M >= 2) out.push({ key: "C12", label: "C₁₂ = ⟨δE₁δE₂⟩ (Lyapunov)", value: r.C[0][1], unit: u2 });
    else out.push({ key: "C11", label: "⟨δE²⟩ = C₁₁ (Lyapunov)", value: r.C[0][0], unit: u2 });
    if (r.closedForm)
      out.push({
        key: "closedFormC12",
        label: `C₁₂, closed form ${r.closedForm.formula}`,
        value: r.closedForm.C12,
        unit: u2,
      });
    if (r.single?.formula !== undefined)
      out.push({
        key: "closedFormC11",
        label: "⟨δE²⟩, closed form ⟨J⟩τ(β_R−β_L)/((β₁−β_L)(β_R−β₁))",
        value: r.single.formula,
        unit: u2,
      });
    const sim = r.simulation;
    if (sim) {
      const [i, j] = r.M >= 2 ? [0, 1] : [0, 0];
      out.push({
        key: r.M >= 2 ? "simulatedC12" : "simulatedC11",
        label: `${r.M >= 2 ? "C₁₂" : "C₁₁"} (simulated)`,
        value: sim.C[i][j],
        error: sim.error[i][j],
        unit: u2,
      });
    }
    out.push({ key: "relaxationTime", label: "relaxation time", value: r.relaxationTime, unit: "time" });
    return out;
  },
  outputs: {
    figure:
      "M >= 2: C12 against the right bath (and its noise decomposition); M = 1: the subsystem's variance against it",
  },
  examples: [
    "study energy-correlations --model ideal-gas --T0 1 --T3 3 --Cv 2",
    "study energy-correlations --model ssep --eps0 0.1 --eps3 0.7 --M 4",
    "study energy-correlations --model fermi --noise approx --simulate --replicas 16 --time 2000",
  ],
  reproduce: [],
});

// ---------------------------------------------------------------------------------------------------------------
// The figure sets of `ness reproduce energy-correlations`.

const MODELS: BuiltinModelName[] = ["ideal-gas", "ssep", "fermi", "blackbody"];

const biasSweeps = figureSet<
  { models: BuiltinModelName[]; points: number },
  { quick: boolean; sweeps: ReturnType<typeof biasSweep>[] }
>({
  id: "energy-correlations-bias-sweeps",
  title: "C12 against the bath difference (4 models, exact and approximate noise): C12, its decomposition, the bound",
  parameters: (quick) => ({ models: MODELS, points: quick ? 11 : 41 }),
  async compute(c, ctx) {
    return { quick: ctx.quick, sweeps: c.models.map((m) => biasSweep(m, c.points)) };
  },
  figures: (d) => [c12Figure(d.sweeps), decompositionFigure(d.sweeps), boundFigure(d.sweeps)],
});

type ProfileChain = { model: BuiltinModelName; left: number; right: number };

// A map of one point per chain (`ness reproduce` runs them as a resumable sweep on its worker threads).
const profiles = mapSet<
  { M: number; chains: ProfileChain[] },
  ProfileChain & { M: number },
  ReturnType<typeof profileSet>,
  { M: number; sets: ReturnType<typeof profileSet>[] }
>({
  id: "energy-correlations-profiles",
  title: "correlation profiles of long chains against their continuum form",
  parameters: (quick) => ({
    M: quick ? 11 : 23,
    chains: [
      { model: "ideal-gas", left: 1, right: 3 },
      { model: "ssep", left: 0.1, right: 0.9 },
      { model: "fermi", left: 1, right: 3 },
      { model: "blackbody", left: 1, right: 3 },
    ],
  }),
  map: {
    points: (c) => c.chains.map((ch) => ({ ...ch, M: c.M })),
    point: (q) => profileSet(q.model, q.M, q.left, q.right),
    assemble: (c, sets) => ({ M: c.M, sets }),
  },
  figures: (d) => [profilesFigure(d.M, d.sets)],
});

const noiseApproximations = figureSet<{ points: number }, ReturnType<typeof noiseApproximationErrors>>({
  id: "energy-correlations-noise-approximations",
  title: "accuracy of the closed-form noise strengths (eqs. 13, A.6)",
  parameters: (quick) => ({ points: quick ? 41 : 201 }),
  async compute(c) {
    return noiseApproximationErrors(c.points);
  },
  figures: (d) => [noiseApproximationFigure(d)],
});

const verification = figureSet<
  { models: BuiltinModelName[]; points: number; replicas: number; duration: number },
  VerificationSweep[]
>({
  id: "energy-correlations-verification",
  title: "simulating the energy SDE reproduces the exact C12",
  seed: 20260,
  parameters: (quick) => ({
    models: MODELS,
    ...(quick ? { points: 2, replicas: 8, duration: 500 } : { points: 4, replicas: 32, duration: 4000 }),
  }),
  async compute(c, ctx) {
    // Every model's points at once on the workers (runAll: one after another in process).
    return runAll(
      { runner: ctx.runner },
      c.models.map(
        (m) => () =>
          verificationSweep(m, { points: c.points, replicas: c.replicas, duration: c.duration, seed: ctx.seed }, ctx),
      ),
    );
  },
  figures: (d) => [verificationFigure(d)],
});

energyCorrelationsStudy.reproduce.push(biasSweeps, profiles, noiseApproximations, verification);

/** The chain of a parameter set given as in `ness study energy-correlations` (keys, not flags), validated. */
export function chainFromParameters(input: Partial<z.input<typeof correlationsSchema>>): Chain {
  const { parameters } = validateParameters(energyCorrelationsStudy, input as Record<string, unknown>);
  return chainOf(parameters);
}
