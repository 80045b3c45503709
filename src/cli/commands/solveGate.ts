/**
 * `ness solve`'s cost gate and progress line (src/exact/solveCost.ts estimates, src/exact/solveControl.ts
 * controls): before a solve, its estimated cost; a dense or modal solve estimated over SOLVE_SECONDS_LIMIT (10
 * minutes), or a --max-evaluations budget that could run past it, is refused in one line unless --force; the
 * frequency integrals' default evaluation budget is capped to what fits in the limit (stated in the method's reason;
 * --force lifts the cap); a solve expected to take over a minute (or forced
 * with a worst case over the limit) says so on stderr first; and a progress line on stderr while the quadrature runs (only on a terminal, only after two
 * seconds: never in --json's stdout).
 */
import type cliProgress from "cli-progress";
import { ModelError } from "../../errors.js";
import { estimateSolveCost, seconds, SOLVE_SECONDS_LIMIT, type SolveCost } from "../../exact/solveCost.js";
import type { SolveControl, SolveProgress } from "../../exact/solveControl.js";
import type { SolveMethod } from "../../exact/transmission.js";
import type { NetworkModel } from "../../model/network.js";

/** A cost line goes to stderr before a solve expected to take longer than this (seconds). */
export const SOLVE_ANNOUNCE_SECONDS = 60;

/** CPU time of this process in milliseconds (the clock of the cost estimates). */
export function cpuMilliseconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** What the gate lets through: the cost, a phrase for the method's reason, the budget to use (transmission). */
export interface GatedSolve {
  cost: SolveCost;
  /** Appended to the method's reason: the estimate, and a capped budget. */
  reason: string;
  /** The evaluation budget to pass to the solve (the user's, or the default capped to the limit). */
  maxEvaluations?: number;
  /** The cost line for stderr (a long solve): printed by solveProgress once the quadrature has run two seconds,
   * after every refusal the solve can make (stderr then holds one line when a solve is refused). */
  announce?: string;
}

const advice: Record<SolveMethod, string> = {
  lyapunov: "use --method transmission or modal",
  modal: "use --method transmission",
  transmission:
    "use --fluxes-only (or --bath-fluxes-only on a strip), a larger --tolerance or a smaller --max-evaluations",
};

/**
 * Estimates a solve and refuses it (ModelError, one line) when, without `force`, a dense or modal solve's cost or an
 * explicit --max-evaluations budget's worst case is over the limit. With the default budget and a worst
 * case over the limit, the budget is capped to what fits (unless `force`).
 */
export function gateSolve(
  model: NetworkModel,
  method: SolveMethod,
  options: { temperatures?: boolean; bySource?: boolean; maxEvaluations?: number; springs?: boolean },
  force: boolean,
  estimate: (...args: Parameters<typeof estimateSolveCost>) => SolveCost = estimateSolveCost,
): GatedSolve {
  // CPU time of this process: the estimate and the limit do not move with the machine's load.
  const cost = estimate(model, method, options, cpuMilliseconds);
  const limit = `the limit of ${seconds(SOLVE_SECONDS_LIMIT)}`;
  // The frequency integrals are refused only for an explicit budget that could run past the limit: the default
  // budget is capped to it instead (their expected time, ~110 evaluations a mode, is a rough guide, and a refusal
  // by it would pre-empt the mode analysis's own refusals: a decoupled mode found in seconds).
  const over = method !== "transmission" ? cost.seconds : options.maxEvaluations !== undefined ? cost.maxSeconds : 0;
  if (!force && over > SOLVE_SECONDS_LIMIT) {
    throw new ModelError(`this solve is estimated at ${cost.text}, over ${limit}: ${advice[method]}, or pass --force`);
  }
  let reason = `estimated cost: ${cost.text}`;
  let maxEvaluations = options.maxEvaluations;
  // Said on stderr first: an expected cost over a minute, or with --force a worst case over the limit.
  const announce = cost.seconds > SOLVE_ANNOUNCE_SECONDS || (force && cost.maxSeconds > SOLVE_SECONDS_LIMIT);
  if (
    !force &&
    maxEvaluations === undefined &&
    cost.budget !== undefined &&
    cost.secondsPerEvaluation !== undefined &&
    cost.maxSeconds > SOLVE_SECONDS_LIMIT
  ) {
    // The time outside the quadrature (mode location) comes first; the rest of the limit goes to evaluations.
    const outside = cost.maxSeconds - cost.budget * cost.secondsPerEvaluation;
    maxEvaluations = Math.max(
      1000,
      Math.min(cost.budget, Math.floor((SOLVE_SECONDS_LIMIT - outside) / cost.secondsPerEvaluation)),
    );
    reason += `; budget capped at ${maxEvaluations} evaluations to fit ${limit} (--force lifts the cap)`;
  }
  return {
    cost,
    reason,
    maxEvaluations,
    announce: announce ? `ness: estimated cost: ${reason.replace(/^estimated cost: /, "")}` : undefined,
  };
}

/** Seconds of quadrature before the progress line appears. */
const PROGRESS_AFTER_SECONDS = 2;

/**
 * Solve controls with a progress line on stderr (a terminal only, after two seconds): evaluations, budget and the
 * estimated error against the tolerance. `stop()` clears it; call it before printing the result.
 */
export async function solveProgress(
  announce?: string,
  print: (line: string) => void = (l) => console.error(l),
): Promise<{ control: SolveControl; stop(): void }> {
  const tty = process.stderr.isTTY === true;
  if (!tty && announce === undefined) return { control: {}, stop: () => {} };
  // Loaded on a terminal only (start-up cost of `ness solve` elsewhere).
  const progress = tty ? (await import("cli-progress")).default : undefined;
  let bar: cliProgress.SingleBar | undefined;
  let start = 0;
  const payload = (p: SolveProgress) => ({
    evaluations: p.evaluations,
    error:
      p.stage === "first pass"
        ? "not estimated yet (first pass over the panels)"
        : p.errorRatio > 1
          ? `${p.errorRatio.toExponential(1)}x the tolerance`
          : "at the tolerance",
  });
  return {
    control: {
      progressInterval: 0.5,
      onProgress: (p) => {
        if (p.elapsedSeconds < PROGRESS_AFTER_SECONDS) return;
        if (announce !== undefined) {
          print(announce);
          announce = undefined;
        }
        if (!progress) return;
        // Progress in digits of the error gained: from the first estimate down to the tolerance (0 in the first pass).
        const digits = p.stage === "first pass" ? Infinity : Math.max(0, Math.log10(Math.max(p.errorRatio, 1)));
        if (bar && !Number.isFinite(start) && Number.isFinite(digits)) start = Math.max(digits, 1);
        if (!bar) {
          start = Number.isFinite(digits) ? Math.max(digits, 1) : Infinity;
          bar = new progress.SingleBar(
            {
              stream: process.stderr,
              format: `frequency quadrature [{bar}] {evaluations} of at most ${p.budget} evaluations | error {error}`,
              hideCursor: true,
              clearOnComplete: true,
            },
            progress.Presets.shades_classic,
          );
          bar.start(1000, 0, payload(p));
        }
        const done = Number.isFinite(digits) && Number.isFinite(start) ? 1 - digits / start : 0;
        bar.update(Math.round(1000 * Math.min(1, Math.max(0, done))), payload(p));
      },
    },
    stop: () => bar?.stop(),
  };
}
