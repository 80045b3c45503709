/**
 * Simulations in the page on the engine's Web Worker runner (webWorkerRunner, src/stochastic/webPool.ts, workers
 * running src/stochastic/webWorker.ts): the blocks of replicas are those of `ness simulate` (fixed by the replica
 * count), each replica draws from its own random streams (seed, replica), and the result is the library's own
 * reduction of the blocks in order: the numbers `ness simulate` prints for the same model, options and seed. Live
 * estimates come from the runner's partial outputs (the batches completed so far in every replica; live.ts); pause and
 * resume reach the workers between slices of steps (milliseconds), and onPaused reports when every worker has
 * stopped (the progress shown then is final until resume); cancel terminates them.
 */
import { NessError } from "../../src/errors.js";
import { planBlocks, prepareEnsemble } from "../../src/stochastic/ensemble.js";
import { reduceBlocks, type Plan, type SimulationResult, type SimulationSpec } from "../../src/stochastic/run.js";
import type { Estimate } from "../../src/stochastic/statistics.js";
import { webWorkerRunner, type PartialBlock, type WebWorkerRunner } from "../../src/stochastic/webPool.js";
import type { ExactReference } from "../../src/verify/reference.js";
import { liveEstimates } from "./live.js";

export interface RunCallbacks {
  /** Live estimates (null before the first completed batch), steps done and the total. */
  onUpdate(live: Estimate[] | null, done: number, total: number): void;
  onDone(result: SimulationResult): void;
  /** After pause(): every worker has stopped; the estimates and steps done then (they stay so until resume()). */
  onPaused(live: Estimate[] | null, done: number, total: number): void;
  onError(message: string): void;
}

/**
 * What the panel says of a failed run: a NessError (user-caused: the model, the options, a blow-up) by its message,
 * anything else (a bug in ness, in a worker or in the reduction) as the CLI says it, "internal error: ...".
 */
export function errorMessage(err: unknown): string {
  const message = (err as Error | undefined)?.message ?? String(err);
  return err instanceof NessError ? message : `internal error: ${message}`;
}

export class PageSimulation {
  readonly plan: Plan;
  readonly total: number;
  private readonly runner: WebWorkerRunner;
  private readonly controller = new AbortController();
  /** The latest outputs of each block (by its first replica). */
  private readonly partial = new Map<number, PartialBlock>();
  private done = 0;
  private stopped = false;
  private quiet = false;

  /**
   * Prepares the plan in the page first: a bad option or model is refused here with the library's message. With the
   * exact `reference` of a linear model, live estimates carry their exact values and the slowest-mode rule.
   */
  constructor(
    readonly spec: SimulationSpec,
    private readonly cb: RunCallbacks,
    workers = 2,
    private readonly reference?: ExactReference,
  ) {
    this.plan = prepareEnsemble(spec) as Plan;
    this.total = this.plan.replicas * (this.plan.nBurn + this.plan.nProduction);
    this.runner = webWorkerRunner(
      () =>
        new Worker(new URL("../../src/stochastic/webWorker.ts", import.meta.url), {
          type: "module",
          name: "ness-simulation",
        }),
      workers,
      {
        onPartial: (b) => this.partial.set(b.first, b),
        partialMs: 200,
        onPaused: () => {
          if (this.stopped || !this.runner.paused) return;
          this.quiet = true;
          this.cb.onPaused(this.live(), this.done, this.total);
        },
      },
    );
    let lastUpdate = 0;
    this.runner(spec, planBlocks(this.plan), {
      signal: this.controller.signal,
      onProgress: (n) => {
        this.done += n;
        const now = performance.now();
        if (now - lastUpdate < 100) return;
        lastUpdate = now;
        this.cb.onUpdate(this.live(), this.done, this.total);
      },
    }).then(
      (blocks) => {
        if (this.stopped) return;
        this.stopped = true;
        // The live view is over: its blocks (the same arrays as the results) go, and the results are dropped as
        // they are copied, so that the reduction holds the outputs twice at most, as `ness simulate` does.
        this.partial.clear();
        try {
          this.cb.onDone(reduceBlocks(this.plan, blocks, true));
        } catch (err) {
          this.cb.onError(errorMessage(err));
        }
      },
      (err: unknown) => {
        if (this.stopped) return;
        this.stopped = true;
        this.cb.onError(errorMessage(err));
      },
    );
  }

  /**
   * Estimates from every completed batch so far (replica order; live.ts), beside their exact values with the
   * slowest-mode rule of "reliable" for a linear model, without the time-step bias flags of the end.
   */
  live(): Estimate[] | null {
    return liveEstimates(this.plan, this.partial.values(), this.reference);
  }

  /** Pause asked for (the workers may still be finishing their slices: see `quiet`). */
  get paused(): boolean {
    return this.runner.paused;
  }

  /** Paused and confirmed by every worker: nothing changes until resume(). */
  get pausedQuiet(): boolean {
    return this.quiet && this.runner.paused;
  }

  pause(): void {
    this.runner.pause();
  }

  resume(): void {
    this.quiet = false;
    this.runner.resume();
  }

  cancel(): void {
    this.stopped = true;
    this.controller.abort();
  }

  get running(): boolean {
    return !this.stopped;
  }
}
