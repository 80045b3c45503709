/**
 * Control of a long exact solve from outside (library users, the lab and the CLI alike): a progress callback, an
 * AbortSignal, a time limit, and the adaptive frequency quadrature's stop on diminishing returns. The quadrature
 * loops (transmission.ts, stripFluxes.ts) call a QuadratureMonitor once per refinement step; it throttles the
 * callback, checks the signal and the clock, and watches how fast the estimated error falls. Browser-safe.
 */
import { ModelError, NessError } from "../errors.js";

/** One progress report of a solve (the frequency quadrature of the transmission method). */
export interface SolveProgress {
  /** What is running: "first pass" (every initial panel once) or "quadrature" (adaptive refinement). */
  stage: "first pass" | "quadrature";
  /** Frequency evaluations so far (one sparse factorisation and the bath columns each). */
  evaluations: number;
  /** The evaluation budget: the quadrature stops refining there at the latest. */
  budget: number;
  /** The largest estimated error so far relative to the tolerance (1: at the tolerance; the run ends below it);
   * Infinity during the first pass (not estimated yet). */
  errorRatio: number;
  /** Seconds since the quadrature started. */
  elapsedSeconds: number;
}

/** Options that control a long solve (part of the transmission method's options). */
export interface SolveControl {
  /**
   * Called about every `progressInterval` seconds during the frequency quadrature (and once at its start). It runs
   * inside the solve, synchronously: to stop the solve from it, abort the `signal`'s controller there.
   */
  onProgress?: (p: SolveProgress) => void;
  /** Seconds between progress reports (default 0.25). */
  progressInterval?: number;
  /**
   * Checked at every refinement step: once aborted, the solve throws SolveAbortedError (no partial result). A
   * synchronous solve sees an abort made from `onProgress` (or from another thread's shared state), not one made by
   * a timer or an event of the same thread, which cannot run until the solve returns: use `maxSeconds` for a time
   * limit.
   */
  signal?: AbortSignal;
  /**
   * Stop refining after this many seconds of quadrature and return what was reached, with its estimated error and
   * a warning (like the evaluation budget). Results then depend on the machine's speed; default: no limit.
   */
  maxSeconds?: number;
  /**
   * Stop refining when the estimated error has stopped falling (diminishing returns: see QuadratureMonitor), with
   * its estimated error and a warning. Default true; false refines to the tolerance or the budget.
   */
  stopWhenStalled?: boolean;
  /** Evaluations of refinement after the first pass before the stall rule applies (default STALL_MIN_EVALUATIONS). */
  stallEvaluations?: number;
}

/** A solve stopped by its AbortSignal. */
export class SolveAbortedError extends NessError {
  override name = "SolveAbortedError";
}

/** Why a quadrature stopped refining before its tolerance (besides its evaluation budget). */
export type QuadratureStop = "time" | "stalled";

/**
 * The stall rule: refinement continues while the worst estimated error (relative to the tolerance) keeps falling.
 * From STALL_MIN_EVALUATIONS evaluations of refinement on (after the first pass over the panels), at every doubling
 * of the evaluations spent on refinement, the error must have fallen by STALL_FACTOR since the previous doubling;
 * adaptive Gauss-Kronrod on a resolvable integrand falls by orders of magnitude per doubling, so a run that gains
 * less than that is spending its evaluations on what it cannot resolve (peaks too narrow for double precision,
 * rounding noise). Its estimated error is reported, with a warning: the Gauss-Kronrod differences and bounds as at the
 * budget, plus each quantity's change since the previous checkpoint (the last doubling), because before a peak is
 * resolved the Gauss-Kronrod difference alone can understate the error (measured on a 4 x 30 strip stopped early:
 * 1.9x under the actual error of a kinetic temperature without the change, covered with it). The transmission method applies it only where a peak is narrower than 1e-6 of its frequency.
 * Measured on a 4 x 80 disordered strip with 17 unresolvable modes: the error ratio fell 4e9 -> 150 in the first
 * 65 000 evaluations of refinement, then 150 -> 14 over the next 280 000.
 */
export const STALL_MIN_EVALUATIONS = 50_000;
export const STALL_FACTOR = 10;

/** Watches one quadrature: progress reports, the abort signal, the time limit and the stall rule. */
export class QuadratureMonitor {
  private readonly t0 = performance.now();
  private lastReport = -Infinity;
  private start = -1;
  private nextCheck = 0;
  private atCheck = Infinity;
  /** Why the quadrature was stopped (undefined: it was not). */
  stopped: QuadratureStop | undefined;
  /** Set by step() when it took a checkpoint of the stall rule: the quadrature keeps its values then (see below). */
  checkpoint = false;

  /** Checks the options (ModelError) and the signal (SolveAbortedError: aborted before the solve). */
  constructor(
    private readonly control: SolveControl,
    private readonly budget: number,
  ) {
    checkSolveControl(control);
  }

  /** Called during the first pass over the panels: the abort signal and progress reports (no stop). */
  tick(evaluations: number): void {
    const c = this.control;
    if (c.signal?.aborted) throw new SolveAbortedError("the solve was aborted (AbortSignal)");
    const now = performance.now();
    if (c.onProgress && (now - this.lastReport) / 1000 >= (c.progressInterval ?? 0.25)) {
      this.lastReport = now;
      const elapsedSeconds = (now - this.t0) / 1000;
      c.onProgress({ stage: "first pass", evaluations, budget: this.budget, errorRatio: Infinity, elapsedSeconds });
      if (c.signal?.aborted) throw new SolveAbortedError("the solve was aborted (AbortSignal)");
    }
  }

  /**
   * Called before each refinement step with the evaluations so far and the worst error relative to the tolerance;
   * true: stop refining (`stopped` says why). Throws SolveAbortedError once the signal is aborted.
   */
  step(evaluations: number, errorRatio: number): boolean {
    const c = this.control;
    this.checkpoint = false;
    if (c.signal?.aborted) throw new SolveAbortedError("the solve was aborted (AbortSignal)");
    const now = performance.now();
    const elapsed = (now - this.t0) / 1000;
    if (c.onProgress && (now - this.lastReport) / 1000 >= (c.progressInterval ?? 0.25)) {
      this.lastReport = now;
      c.onProgress({ stage: "quadrature", evaluations, budget: this.budget, errorRatio, elapsedSeconds: elapsed });
      if (c.signal?.aborted) throw new SolveAbortedError("the solve was aborted (AbortSignal)");
    }
    if (c.maxSeconds !== undefined && elapsed > c.maxSeconds) {
      this.stopped = "time";
      return true;
    }
    if (c.stopWhenStalled === false) return false;
    if (this.start < 0) {
      this.start = evaluations;
      this.nextCheck = evaluations + (c.stallEvaluations ?? STALL_MIN_EVALUATIONS);
      return false;
    }
    if (evaluations < this.nextCheck) return false;
    // At every doubling of the refinement's evaluations: has the error fallen by STALL_FACTOR since the last one?
    if (errorRatio * STALL_FACTOR > this.atCheck) {
      this.stopped = "stalled";
      return true;
    }
    this.atCheck = errorRatio;
    this.nextCheck = this.start + 2 * (evaluations - this.start);
    this.checkpoint = true;
    return false;
  }
}

/** Throws ModelError for a bad control option, SolveAbortedError if the signal is already aborted. */
export function checkSolveControl(c: SolveControl): void {
  const nonNegative = (name: string, x: number | undefined) => {
    if (x !== undefined && !(typeof x === "number" && x >= 0 && Number.isFinite(x)))
      throw new ModelError(`${name} must be a finite number >= 0, got ${String(x)}`);
  };
  nonNegative("maxSeconds", c.maxSeconds);
  nonNegative("progressInterval", c.progressInterval);
  nonNegative("stallEvaluations", c.stallEvaluations);
  if (c.onProgress !== undefined && typeof c.onProgress !== "function")
    throw new ModelError(`onProgress must be a function, got ${typeof c.onProgress}`);
  if (c.signal?.aborted) throw new SolveAbortedError("the solve was aborted (AbortSignal) before it started");
}
