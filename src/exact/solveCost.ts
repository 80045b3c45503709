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
import { EXACT_MAX_COORDINATES } from "./network.js";
import { cuthillMcKee, symbolicLdl, symmetricPattern } from "../linalg/sparse.js";
import {
  EVALUATIONS_PER_MODE,
  measureTransmission,
  MODAL_MAX_SITES,
  modalCost,
  screenedModes,
  type SolveMethod,
  type TransmissionOptions,
} from "./transmission.js";

/** Refused unless forced: a solve whose cost is estimated above this many seconds (10 minutes). */
export const SOLVE_SECONDS_LIMIT = 600;
/**
 * Operations (chooseSolveMethod's units) per second of the dense and modal kernels. Measured in CPU time, December
 * 2026: the dense solve of an underdamped ring with chords 5.9-6.2 s at 600 sites (4.3e10 units) and 30.5 s at 1000
 * (2e11), i.e. ~7e9 a second; the modal method with its default fluxes by source 0.8-1.0 s at 300 sites and 3 baths,
 * 2.7 s at 600, 6.3-9.2 s at 1000 (5.6e10 units). It was 1e11, which put every dense and modal estimate over 10 times
 * under the solve's time (a 400-site strip was taken for the modal method without measuring the frequency integrals).
 */
const UNITS_PER_SECOND = 7e9;
/**
 * Real factorisations that locate one normal mode (beyond 300 sites): inertia counts of the bisection, the first
 * inverse step and the Rayleigh-quotient steps. Counted (the solve's `modes.factorisations`, December 2026): 6.0
 * (4 x 80), 5.8 (6 x 60), 6.4 (4 x 100), 6.1 (10 x 100, 10 x 200) per located mode fluxes only (block LDL^T), 6.2 on
 * 4 x 100 with temperatures (sparse LDL^T).
 */
const FACTORISATIONS_PER_MODE = 6.5;
/**
 * CPU time of locating the modes per counted factorisation, in units of one timed factorisation: the solves, the
 * vector work and the screen's growth beside the factorisations. Measured (the mode location's CPU time over the
 * counted factorisations times one timed factorisation, median of 7 timings, `nice -n 5`, load ~20, December 2026):
 * 1.4 (10 x 400), 1.0-2.1 (10 x 200), 1.6-2.9 (10 x 100), 2.2-3.6 (10 x 60), 3.3 (6 x 60), 3.7-5.3 (4 x 100),
 * 4.9 (4 x 80) fluxes only; 2.5-3.0 (4 x 100) and ~1.5 (10 x 60) with temperatures. Set for the long strips, where
 * the estimate matters (the small ones locate their modes in under a second).
 */
const LOCATE_WORK_PER_FACTORISATION = 1.5;

/** The options of a transmission solve that its cost estimate follows (the path it takes, its budget, its modes). */
export type CostOptions = Pick<
  TransmissionOptions,
  "temperatures" | "bySource" | "maxEvaluations" | "springs" | "poles" | "spectrum" | "screen"
>;

export interface SolveCost {
  method: SolveMethod;
  /** Expected seconds. */
  seconds: number;
  /** Seconds at most (transmission: mode location and the whole evaluation budget; otherwise `seconds`). */
  maxSeconds: number;
  /**
   * Transmission: the evaluation budget, measured seconds per evaluation and the expected evaluations (on the
   * bath-fluxes-only path of strips, in units of one real-axis sweep of the end block), the modes it integrates,
   * the expected real factorisations that locate them (a count, as the solve's `modes.factorisations`; 0 where the
   * dense mode analysis does), and whether it takes that strip path.
   */
  budget?: number;
  secondsPerEvaluation?: number;
  evaluations?: number;
  modes?: number;
  factorisations?: number;
  strip?: boolean;
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
  options: CostOptions = {},
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
  const factorisations = t.sparseModes ? Math.round(t.modes * FACTORISATIONS_PER_MODE) : 0;
  const locate = factorisations * LOCATE_WORK_PER_FACTORISATION * t.factorisation;
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
    modes: t.modes,
    factorisations,
    strip: t.strip,
    text: `the frequency integrals${t.strip ? " (the strip's end block, bath fluxes only)" : ""} ${about(expected)} (~${evaluations} evaluations at ${per} measured), at most ${seconds(worst)} (the budget of ${t.budget} evaluations)`,
  };
}

/**
 * `--method auto` gives the dense Lyapunov solve or the modal method without measuring the frequency integrals when
 * it is estimated under this many seconds: about what measuring them costs (measureTransmission).
 */
const MEASURE_SECONDS = 0.25;
/**
 * `--method auto` does not measure the frequency integrals where their operation count (transmissionUnits) is this
 * many times the cheaper other method's: measuring a network whose factorisation fills in costs seconds itself.
 */
const UNMEASURED_FACTOR = 10;

/**
 * The frequency integrals' operations in the dense solve's units (before measuring them): ~110 evaluations per
 * integrated mode, each a sparse factorisation (~sum_k c_k^2 for the column counts c_k of its factor: a random
 * network's factor fills in), the bath columns and the integrands (overdamped: with the rounding estimate of the
 * solves, which beyond 32 baths is the larger part), and FACTORISATIONS_PER_MODE real factorisations
 * per mode (times LOCATE_WORK_PER_FACTORISATION) to locate the modes. `modes`: those integrated.
 */
export function transmissionUnits(model: NetworkModel, modes: number): number {
  const n = model.sites.length;
  const p = symmetricPattern(
    n,
    model.springs.map((s) => s.i),
    model.springs.map((s) => s.j),
  );
  const { Lp } = symbolicLdl(
    p,
    cuthillMcKee(
      p,
      model.baths.map((b) => b.site),
    ),
  );
  let factorWork = 0;
  for (let k = 0; k < n; k++) factorWork += (Lp[k + 1] - Lp[k]) ** 2;
  const B = model.baths.length;
  const over = model.dynamics === "overdamped";
  // The bath columns solved (transmission.ts, makePlan): every bath's, except overdamped beyond 32 baths, where only
  // those away from the most common temperature; and overdamped, the rounding of the solves (SolveRounding): per
  // column one more solve and the residual in double-double (~60 operations per entry of V), and beyond 32 baths the
  // direct bath-flux integrands and their estimates (~B operations per column, three times).
  let cols = B;
  if (over && B > 32) {
    const count = new Map<number, number>();
    for (const b of model.baths) count.set(b.temperature, (count.get(b.temperature) ?? 0) + 1);
    cols = B - Math.max(...count.values());
  }
  const rounding = over ? cols * (16 * n + 60 * (2 * model.springs.length + n) + (B > 32 ? 3 * B : 0)) : 0;
  return (
    modes *
    (EVALUATIONS_PER_MODE * (8 * (factorWork + n) + 16 * cols * n + 10 * (model.springs.length + n) + rounding) +
      FACTORISATIONS_PER_MODE * LOCATE_WORK_PER_FACTORISATION * 2 * (factorWork + n))
  );
}

function ratio(x: number): string {
  return String(Number(x.toPrecision(2)));
}

/**
 * The method for `ness solve --method auto`, with the reason in words and the estimated cost of the method chosen
 * (estimateSolveCost's, for the cost gate to reuse). Up to 150 sites the dense Lyapunov solve (which also gives the
 * whole covariance); beyond 3000 sites the frequency integrals; in between, whichever has the smallest estimated
 * cost among the methods that will not refuse the network: the dense solve only up to its size limit
 * (EXACT_MAX_COORDINATES: 2000 coordinates, i.e. 1000 underdamped or 2000 overdamped sites), and the modal method,
 * by their size (estimateSolveCost), against the frequency integrals as estimateSolveCost measures them with the
 * same options as the solve (the path they take, the modes they integrate: with `fluxesOnly` only those below the
 * frequency screen's cutoff on chains and strips). When the dense or modal solve is estimated under 0.25 s (about
 * what measuring the frequency integrals costs), or the frequency integrals' operation count (transmissionUnits: a
 * factorisation that fills in) is over 10 times its cost, it is chosen without that measurement. `clock` as
 * estimateSolveCost.
 *
 * @example
 * ```ts
 * import { chooseSolveMethod, loadModel } from "ness";
 *
 * const model = loadModel("kind: network\nsites: 3\npinning: 1\nbaths: [{site: 1, friction: 1, temperature: 2}, {site: 3, friction: 1, temperature: 1}]\nsprings: [{between: [1, 2], stiffness: 1}, {between: [2, 3], stiffness: 1}]");
 * if (model.kind === "network") console.log(chooseSolveMethod(model).method); // => lyapunov
 * ```
 */
export function chooseSolveMethod(
  model: NetworkModel,
  options: { fluxesOnly?: boolean } & Pick<CostOptions, "bySource" | "maxEvaluations" | "springs"> = {},
  clock?: () => number,
): { method: SolveMethod; reason: string; cost?: SolveCost } {
  checkNetworkModel(model, "chooseSolveMethod");
  const n = model.sites.length;
  const under = model.dynamics === "underdamped";
  const coordinates = under ? 2 * n : n;
  const { fluxesOnly, ...rest } = options;
  const costOptions: CostOptions = {
    ...rest,
    ...(fluxesOnly || options.springs === false ? { temperatures: false } : {}),
  };
  if (n <= 150)
    return { method: "lyapunov", reason: `${n} sites: the dense Lyapunov solve is fast and gives the covariance` };
  const denseRefuses = coordinates > EXACT_MAX_COORDINATES;
  const limit = `the dense Lyapunov solve refuses more than ${EXACT_MAX_COORDINATES} coordinates (this network has ${coordinates})`;
  if (n > MODAL_MAX_SITES)
    return {
      method: "transmission",
      reason: `${n} sites: too many for the dense Lyapunov solve (${EXACT_MAX_COORDINATES} coordinates) and the modal method (${MODAL_MAX_SITES} sites)`,
      cost: estimateSolveCost(model, "transmission", costOptions, clock),
    };
  const dense = estimateSolveCost(model, "lyapunov");
  const modal = estimateSolveCost(model, "modal");
  const modalName = under ? "one eigen-decomposition and the poles" : "one eigen-decomposition (relaxation modes)";
  const modalFirst = denseRefuses || modal.seconds < dense.seconds;
  const cheap = modalFirst ? modal : dense;
  if (cheap.seconds < MEASURE_SECONDS) {
    const vs = denseRefuses
      ? `; ${limit}`
      : modalFirst
        ? ` estimated ${ratio(dense.seconds / modal.seconds)}x cheaper than the dense Lyapunov solve`
        : `: the dense Lyapunov solve estimated ${ratio(modal.seconds / dense.seconds)}x cheaper than the modal method`;
    return {
      method: cheap.method,
      reason: `${n} sites${modalFirst ? `: ${modalName}` : ""}${vs}, under ${seconds(MEASURE_SECONDS)} (the frequency integrals not measured)`,
      cost: cheap,
    };
  }
  // Not measured where their operation count rules the frequency integrals out by far.
  const counted =
    transmissionUnits(model, (costOptions.temperatures === false ? screenedModes(model) : undefined) ?? n) /
    UNITS_PER_SECOND;
  if (counted > UNMEASURED_FACTOR * cheap.seconds) {
    const vs = denseRefuses
      ? `; ${limit}`
      : modalFirst
        ? `, ${ratio(dense.seconds / modal.seconds)}x cheaper than the dense Lyapunov solve`
        : `, ${ratio(modal.seconds / dense.seconds)}x cheaper than the modal method`;
    return {
      method: cheap.method,
      reason: `${n} sites: ${modalFirst ? modalName : "the dense Lyapunov solve"} estimated ${ratio(counted / cheap.seconds)}x cheaper than the frequency integrals (by the size of their factorisation, not measured)${vs}`,
      cost: cheap,
    };
  }
  const t = estimateSolveCost(model, "transmission", costOptions, clock);
  const screened = t.modes! < n ? `, ${t.modes} of ${n} modes below the frequency screen's cutoff` : "";
  const size = `${n} sites${screened}`;
  const integrals = t.strip ? "the frequency integrals (the strip's end block)" : "the frequency integrals";
  if (modal.seconds < t.seconds && modalFirst)
    return {
      method: "modal",
      reason: denseRefuses
        ? `${size}: ${modalName} estimated ${ratio(t.seconds / modal.seconds)}x cheaper than ${integrals} (measured); ${limit}`
        : `${size}: ${modalName} estimated ${ratio(dense.seconds / modal.seconds)}x cheaper than the dense Lyapunov solve, ${ratio(t.seconds / modal.seconds)}x than ${integrals} (measured)`,
      cost: modal,
    };
  if (denseRefuses || t.seconds < dense.seconds)
    return {
      method: "transmission",
      reason: denseRefuses
        ? `${size}: ${integrals} (measured) estimated ${ratio(modal.seconds / t.seconds)}x cheaper than the modal method; ${limit}`
        : `${size}: ${integrals} (measured) estimated ${ratio(dense.seconds / t.seconds)}x cheaper than the dense Lyapunov solve, ${ratio(modal.seconds / t.seconds)}x than the modal method`,
      cost: t,
    };
  return {
    method: "lyapunov",
    reason: `${size}: the dense Lyapunov solve estimated ${ratio(t.seconds / dense.seconds)}x cheaper than ${integrals} (measured), ${ratio(modal.seconds / dense.seconds)}x than the modal method`,
    cost: dense,
  };
}
