/**
 * The cost of a simulation before it runs (`ness simulate`): steps x replicas x degrees of freedom, the memory of
 * the batch means, and a wall-time estimate from the measured cost of a step of this very plan (replica 0 run for
 * 0.2 to 1.5 s on this machine, then thrown away: every replica draws from its own stream, so the results are
 * unchanged). Runs that cannot be counted or would not fit in memory are refused; runs estimated above
 * an hour are refused unless --force; runs above a minute print a cost line on stderr first.
 */
import { availableParallelism } from "node:os";
import { ModelError } from "../errors.js";
import { planBlocks, runBlock } from "../stochastic/ensemble.js";
import type { Plan } from "../stochastic/run.js";
import { CancelledError } from "../stochastic/safety.js";
import { duration, num } from "./format.js";

/** Refused unless --force: a run estimated to take longer than this (seconds). */
export const MAX_SECONDS = 3600;
/** A cost line goes to stderr before a run estimated to take longer than this (seconds). */
export const ANNOUNCE_SECONDS = 60;
/** Refused even with --force: batch means and fields above this many bytes (the memory held by a run's results). */
export const MAX_RESULT_BYTES = 1024 ** 3;
/** Below this many steps x degrees of freedom a run takes seconds at most: its cost is not measured. */
export const CALIBRATE_ABOVE = 1e8;
/** The measurement of the cost of a step: its windows, and how long it runs at least and at most (milliseconds). */
const CALIBRATION_WINDOW_MS = 100;
const CALIBRATION_MS = 200;
const CALIBRATION_MAX_MS = 1500;

export interface Cost {
  /** Steps per replica, burn-in included. */
  stepsPerReplica: number;
  replicas: number;
  /** Degrees of freedom of one replica (coordinates and momenta). */
  dof: number;
  /** steps x replicas x dof. */
  work: number;
  /** Bytes of batch means and field sums held at once. */
  resultBytes: number;
  /** Threads the replicas run on at once. */
  parallel: number;
  /** Estimated wall time (seconds), when measured. */
  seconds?: number;
}

/** Human-readable duration (in format.ts, which the study command loads without this file). */
export { duration };

const bytes = (b: number) => (b >= 1024 ** 3 ? `${num(b / 1024 ** 3, 3)} GB` : `${num(b / 1024 ** 2, 3)} MB`);

/** One line: "steps x replicas x degrees of freedom = work, about T on W threads". */
export function describeCost(c: Cost): string {
  const what = `${num(c.stepsPerReplica, 3)} steps x ${c.replicas} replica${c.replicas === 1 ? "" : "s"} x ${c.dof} degrees of freedom`;
  return c.seconds === undefined
    ? what
    : `${what}, about ${duration(c.seconds)} on ${c.parallel} thread${c.parallel === 1 ? "" : "s"}`;
}

/** The size of a plan (no measurement). */
export function planCost(plan: Plan, workers: number): Cost {
  const stepsPerReplica = plan.nBurn + plan.nProduction;
  const blocks = planBlocks(plan).length;
  const parallel = Math.max(1, Math.min(workers, blocks, availableParallelism()));
  // Every block keeps its field sums (6 numbers a bin) until the reduction; a running replica accumulates 3 a bin.
  const fieldBytes = plan.fields.reduce((s, f) => s + 8 * f.bins[0] * f.bins[1] * (6 * blocks + 3 * parallel + 6), 0);
  return {
    stepsPerReplica,
    replicas: plan.replicas,
    dof: plan.system.dof,
    work: stepsPerReplica * plan.replicas * plan.system.dof,
    // Block results and the reduction hold the outputs (batch means and sub-batch sums) twice.
    resultBytes: 2 * 8 * plan.replicas * plan.perReplica + fieldBytes,
    parallel,
  };
}

/**
 * Seconds per step of one replica of this plan, measured on this thread: replica 0 runs in windows of
 * CALIBRATION_WINDOW_MS and the rate of the last window is taken (the first slices include compiling the step and
 * are several times slower: up to a second for particle systems). It stops after CALIBRATION_MS once two windows
 * agree within 20% or the run is estimated (by `seconds`) under ANNOUNCE_SECONDS, and after CALIBRATION_MAX_MS at
 * the latest (under 3% of a run long enough to need it). The steps run are thrown away.
 */
export async function secondsPerStep(
  plan: Plan,
  seconds: (perStep: number) => number = () => 0,
  signal?: AbortSignal,
): Promise<number> {
  let steps = 0,
    windowSteps = 0;
  const t0 = performance.now();
  let windowStart = t0;
  const rates: number[] = []; // seconds per step of each window
  const perStep = () =>
    rates.length > 0 ? rates[rates.length - 1] : (performance.now() - t0) / 1000 / Math.max(1, steps);
  let lastPause = t0;
  try {
    await runBlock(plan, 0, 1, {
      signal,
      // Let the event loop see Ctrl-C now and then (a signal aborts the measurement and the run).
      pause: async () => {
        if (performance.now() - lastPause < 50) return;
        lastPause = performance.now();
        await new Promise((resolve) => setTimeout(resolve, 0));
      },
      onProgress: (n) => {
        steps += n;
        windowSteps += n;
        const now = performance.now();
        if (now - windowStart >= CALIBRATION_WINDOW_MS) {
          rates.push((now - windowStart) / 1000 / windowSteps);
          windowStart = now;
          windowSteps = 0;
        }
      },
      shouldStop: () => {
        const elapsed = performance.now() - t0;
        if (steps === 0 || elapsed < CALIBRATION_MS) return false;
        if (elapsed > CALIBRATION_MAX_MS) return true;
        const n = rates.length;
        const stable = n >= 2 && Math.abs(rates[n - 1] / rates[n - 2] - 1) < 0.2;
        return stable || seconds(perStep()) < ANNOUNCE_SECONDS;
      },
    });
  } catch (err) {
    if (!(err instanceof CancelledError) || signal?.aborted) throw err;
  }
  return perStep();
}

/**
 * Checks a plan before it runs: refuses what cannot be counted or held in memory, and (unless `force`) what is
 * estimated to take more than MAX_SECONDS. Returns the cost, with the time estimate when the run is large enough to
 * measure it (above `calibrateAbove` steps x dof, default CALIBRATE_ABOVE); `signal` aborts the measurement.
 */
export async function checkCost(
  plan: Plan,
  workers: number,
  force: boolean,
  options: { calibrateAbove?: number; signal?: AbortSignal } = {},
): Promise<Cost> {
  const calibrateAbove = options.calibrateAbove ?? CALIBRATE_ABOVE;
  const c = planCost(plan, workers);
  const tooMany = `: shorten --time or --burn-in, use a larger --dt or fewer --replicas`;
  if (!Number.isSafeInteger(c.stepsPerReplica) || !Number.isSafeInteger(c.stepsPerReplica * c.replicas)) {
    const steps = Number.isFinite(c.stepsPerReplica)
      ? `${num(c.stepsPerReplica, 3)} steps per replica`
      : "more steps than a number can hold";
    throw new ModelError(
      `this run asks for ${steps} (--time and --burn-in over --dt), more than can be counted (2^53)${tooMany}`,
    );
  }
  if (c.resultBytes > MAX_RESULT_BYTES) {
    throw new ModelError(
      `this run would hold ${bytes(c.resultBytes)} of results (${c.replicas} replicas x ${plan.batches} batches x ${plan.K} estimators${plan.fields.length > 0 ? ", and the fields" : ""}), ` +
        `more than the ${bytes(MAX_RESULT_BYTES)} limit: use fewer --replicas, --batches or --bins`,
    );
  }
  if (c.work > calibrateAbove) {
    // Blocks of blockSize replicas run one after another on each of the parallel threads.
    const rounds = Math.ceil(planBlocks(plan).length / c.parallel);
    const seconds = (perStep: number) => rounds * plan.blockSize * c.stepsPerReplica * perStep;
    c.seconds = seconds(await secondsPerStep(plan, seconds, options.signal));
  }
  if (!force && c.seconds !== undefined && c.seconds > MAX_SECONDS) {
    throw new ModelError(
      `this run is estimated at ${describeCost(c)}, over the limit of ${MAX_SECONDS / 3600} hour${tooMany}, or pass --force`,
    );
  }
  return c;
}
