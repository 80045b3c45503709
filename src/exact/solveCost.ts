/**
 * The cost of an exact network solve before it runs, for every method (`ness solve` prints it in the method's
 * reason and refuses, unless forced, a solve estimated over SOLVE_SECONDS_LIMIT). Browser-safe.
 *
 * - Dense Lyapunov solve (network.ts): ~25 (2n)^3 operations underdamped, 25 n^3 overdamped, at a rate measured for
 *   the kernel (~1e11 of these units a second: a 1000-site underdamped network in ~2 s). Bounded by its size limit.
 * - Modal method (modal.ts): modalCost's units at the same rate. Bounded by its size limit.
 * - Frequency integrals (transmission.ts, with the chain and strip paths): measured on this machine before the solve
 *   (measureTransmission: seconds per frequency evaluation and per real factorisation, after the loops are compiled).
 *   The expected time: mode location (beyond 300 sites: ~7 inertia counts per mode and the inverse iteration's
 *   solves, about 15 times one factorisation per mode, timed with the factor the solve uses: the block LDL^T over
 *   the levels of a strip, the sparse one otherwise) and ~110 evaluations per integrated mode (the bath-fluxes-only
 *   path of strips, `springs: false`: ~20 of its end-block sweeps per mode, timed on them). The worst case: mode
 *   location and the whole evaluation budget. A network whose peaks cannot
 *   be resolved (modes damped below ~1e-12 of their frequency) runs to its budget or its stall rule
 *   (solveControl.ts): the worst case, not the expected time, is then what it costs.
 */
import { checkNetworkModel, type NetworkModel } from "../model/networkModel.js";
import { measureTransmission, modalCost, type SolveMethod, type TransmissionOptions } from "./transmission.js";

/** Refused unless forced: a solve whose cost is estimated above this many seconds (10 minutes). */
export const SOLVE_SECONDS_LIMIT = 600;
/** Operations (chooseSolveMethod's units) per second of the dense and modal kernels (measured: ~2 s at 1000 sites). */
const UNITS_PER_SECOND = 1e11;
/**
 * The cost of locating one normal mode (beyond 300 sites) in real factorisations: ~7 inertia counts (bisection,
 * Rayleigh-quotient steps) and ~5 solves, with the vector work beside them. Measured (CPU time of the mode location
 * over the located modes times one timed factorisation, December 2026): 11.6-18.5 on strips 4 x 100 to 10 x 200
 * fluxes only (block LDL^T), 10.4 and 19.7 on 10 x 60 and 4 x 100 with temperatures (sparse LDL^T); the larger
 * values on the smaller networks.
 */
const FACTORISATIONS_PER_MODE = 15;

export interface SolveCost {
  method: SolveMethod;
  /** Expected seconds. */
  seconds: number;
  /** Seconds at most (transmission: mode location and the whole evaluation budget; otherwise `seconds`). */
  maxSeconds: number;
  /** Transmission: the evaluation budget, measured seconds per evaluation and the expected evaluations. */
  budget?: number;
  secondsPerEvaluation?: number;
  evaluations?: number;
  /** One phrase: what the estimate counts (for the method's reason and the refusal). */
  text: string;
}

/** A duration in words: "under 0.01 s", "0.4 s", "52 s", "17 min", "3.2 h". */
export function seconds(s: number): string {
  if (s < 0.01) return "under 0.01 s";
  if (s < 10) return `${Number(s.toPrecision(2))} s`;
  if (s < 90) return `${Math.round(s)} s`;
  if (s < 5400) return `${Math.round(s / 60)} min`;
  return `${Number((s / 3600).toPrecision(2))} h`;
}

/** "about 2 s", or "under 0.01 s". */
function about(s: number): string {
  return s < 0.01 ? seconds(s) : `about ${seconds(s)}`;
}

/**
 * The estimated cost of solving `model` by `method`. Transmission: runs measureTransmission (0.1-0.5 s of
 * evaluations, thrown away); `options` are the solve's (temperatures, maxEvaluations, bySource); `clock` gives
 * milliseconds (default wall time: under load an estimate grows with it; a CPU clock gives CPU seconds).
 *
 * @example
 * ```ts
 * import { estimateSolveCost, loadModel } from "ness";
 *
 * const model = loadModel("kind: network\nsites: 3\npinning: 1\nbaths: [{site: 1, friction: 1, temperature: 2}, {site: 3, friction: 1, temperature: 1}]\nsprings: [{between: [1, 2], stiffness: 1}, {between: [2, 3], stiffness: 1}]");
 * if (model.kind === "network") console.log(estimateSolveCost(model, "lyapunov").seconds < 1); // => true
 * ```
 */
export function estimateSolveCost(
  model: NetworkModel,
  method: SolveMethod,
  options: Pick<TransmissionOptions, "temperatures" | "bySource" | "maxEvaluations" | "springs"> = {},
  clock?: () => number,
): SolveCost {
  checkNetworkModel(model, "estimateSolveCost");
  const n = model.sites.length;
  if (method === "lyapunov") {
    const s = (25 * (model.dynamics === "underdamped" ? 8 : 1) * n ** 3) / UNITS_PER_SECOND;
    return { method, seconds: s, maxSeconds: s, text: `the dense Lyapunov solve ${about(s)}` };
  }
  if (method === "modal") {
    const s = modalCost(model) / UNITS_PER_SECOND;
    return { method, seconds: s, maxSeconds: s, text: `the modal method ${about(s)}` };
  }
  const t = measureTransmission(model, options, clock);
  const locate = t.sparseModes ? t.modes * FACTORISATIONS_PER_MODE * t.factorisation : 0;
  const evaluations = Math.min(t.budget, Math.round(t.modes * t.evaluationsPerMode));
  const expected = locate + evaluations * t.evaluation;
  const worst = locate + t.budget * t.evaluation;
  const per =
    t.evaluation < 1e-3
      ? `${Number((t.evaluation * 1e6).toPrecision(2))} us`
      : `${Number((t.evaluation * 1e3).toPrecision(2))} ms`;
  return {
    method,
    seconds: expected,
    maxSeconds: worst,
    budget: t.budget,
    secondsPerEvaluation: t.evaluation,
    evaluations,
    text: `the frequency integrals ${about(expected)} (~${evaluations} evaluations at ${per} measured), at most ${seconds(worst)} (the budget of ${t.budget} evaluations)`,
  };
}
