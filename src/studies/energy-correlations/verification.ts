/**
 * Verification sweeps for the figures: the energy SDE of large subsystems simulated at a few bath differences, its
 * C12 scaled to the units of the standard (unit-parameter) models of the figures, against the exact curve.
 * Large subsystems make the O(1/N) corrections of the nonlinear SDE to the linear-noise answer negligible; the
 * scaled exact C12 does not depend on the size (C grows like N, like the simulated one).
 */
import { bathPair, biasSweep, linspace } from "./study.js";
import { blackbody, exclusionProcess, fermiGas, idealGas, type BuiltinModelName, type ChainModel } from "./models.js";
import type { RunOptions } from "../../stochastic/ensemble.js";
import { runAll, type RunContext } from "../parallel.js";
import { runEnergyCorrelations, type SimulationOptions } from "./simulate.js";

const MODEL_INDEX: Record<BuiltinModelName, number> = { "ideal-gas": 0, ssep: 1, fermi: 2, blackbody: 3 };

/** Large-subsystem versions of the figure models, with the factor that maps their C onto the figure models' C. */
export function simulationModel(name: BuiltinModelName): { model: ChainModel; toFigureUnits: number } {
  switch (name) {
    case "ideal-gas":
      return { model: idealGas({ Cv: 1000, gamma: 1, N: 1 }), toFigureUnits: 1e-3 }; // C ~ Cv
    case "ssep":
      return { model: exclusionProcess({ N: 1000, gamma: 1000 }), toFigureUnits: 1e-3 }; // C ~ N
    case "fermi":
      // C ~ N / T_F: (N, T_F) = (1e6, 1000) against the figure's (1, 100).
      return { model: fermiGas({ N: 1e6, TF: 1000, kappa: 1 }), toFigureUnits: 1000 / 1e6 / 100 };
    case "blackbody":
      return { model: blackbody({ aV: 1e4, coupling: 1 }), toFigureUnits: 1e-4 }; // C ~ aV
  }
}

export interface VerificationSweep {
  model: BuiltinModelName;
  difference: number[];
  /** Simulated and exact C12 in the figure models' units, and the one-sigma error bar. */
  simulated: number[];
  error: number[];
  exact: number[];
  /** For each point, max over the entries of C of |simulated - exact| / error bar. */
  deviation: number[];
  /** The exact curve (figure units) to draw under the points. */
  curve: { difference: number[]; c12: number[] };
  /** Point k of model m uses seed + 1000 m + k (independent streams for every point). */
  settings: { replicas: number; duration: number; seed: number };
}

/** Simulates `points` bath differences of one model (M = 2), on `ctx.runner`'s workers, and compares C with the exact one. */
export async function verificationSweep(
  name: BuiltinModelName,
  options: { points?: number; replicas?: number; duration?: number; seed?: number } = {},
  ctx: RunContext = {},
): Promise<VerificationSweep> {
  const points = options.points ?? 4;
  const maxD = name === "ssep" ? 1 : 4;
  const difference = linspace(maxD / points, maxD, points);
  const settings = {
    replicas: options.replicas ?? 16,
    duration: options.duration ?? 4000,
    seed: options.seed ?? 20260,
  };
  const { model, toFigureUnits } = simulationModel(name);
  const out: VerificationSweep = {
    model: name,
    difference,
    simulated: [],
    error: [],
    exact: [],
    deviation: [],
    curve: (() => {
      const s = biasSweep(name, 41);
      return { difference: s.difference, c12: s.c12 };
    })(),
    settings,
  };
  const runs = await runAll(
    ctx,
    difference.map((d, k) => (run: RunOptions) => {
      const [left, right] = bathPair(name, d);
      const opts: SimulationOptions = {
        seed: settings.seed + 1000 * MODEL_INDEX[name] + k,
        replicas: settings.replicas,
        duration: settings.duration,
      };
      return runEnergyCorrelations({ model, M: 2, left, right }, opts, run);
    }),
  );
  for (const r of runs) {
    out.simulated.push(r.covariance.data[1] * toFigureUnits);
    out.error.push(r.covarianceError.data[1] * toFigureUnits);
    out.exact.push(r.exact.covariance.data[1] * toFigureUnits);
    out.deviation.push(r.maxDeviation);
  }
  return out;
}
