/**
 * Replicas on browser Web Workers: a BlockRunner that sends each block of an ensemble (a simulation, an SDE, a
 * Langevin problem: ensemble.ts) to a pool of workers running webWorker.ts. As with Node's worker threads, blocks are
 * fixed by the replica count and reduced in order, so the result is the same for any number of workers.
 * Cancellation terminates the workers; pause() and resume() reach them between slices of steps (milliseconds), and
 * `onPaused` is called once every worker has confirmed that it stopped (no progress or outputs arrive after it until
 * resume()); with `onPartial`, the blocks' outputs so far arrive while they run (a live view: the lab's simulation
 * panel).
 */
import { ModelError, NessError } from "../errors.js";
import type { BlockResult, BlockRunner } from "./ensemble.js";
import { CancelledError, SimulationError } from "./safety.js";
import type { WebBlockTask } from "./webWorker.js";
import type { ErrorReply } from "./workerErrors.js";

/** The part of the DOM Worker interface used here. */
export interface WorkerLike {
  postMessage(message: unknown): void;
  terminate(): void;
  /** Declared as a method's type (checked bivariantly), so a DOM Worker, whose handler takes a MessageEvent, fits. */
  onmessage: { handler(ev: { data: unknown }): void }["handler"] | null;
  /**
   * The worker failed outside a block (its script did not load, an uncaught error, out of memory): the run ends with a
   * NessError saying so (it would otherwise wait for that worker's blocks for ever). A DOM Worker has it.
   */
  onerror?: { handler(ev: { message?: string; preventDefault?(): void }): void }["handler"] | null;
  /**
   * A worker's reply could not be read (it did not survive structured cloning): the run ends with a NessError saying
   * so, as for `onerror` (that reply, a block's result maybe, will never come). A DOM Worker has it.
   */
  onmessageerror?: { handler(ev: unknown): void }["handler"] | null;
}

/** A block's outputs while it runs: replicas first .. first + index - 1 complete, replica first + index `steps` in. */
export interface PartialBlock {
  first: number;
  count: number;
  /** Replicas of the block that are complete (the next one has run `steps` steps, burn-in included). */
  index: number;
  steps: number;
  /** count x perReplica numbers (those of replicas not started yet are zero). */
  outputs: Float64Array;
}

export interface WebWorkerRunnerOptions {
  /** Receives the blocks' outputs so far, about every `partialMs`, and every block once complete. */
  onPartial?: (block: PartialBlock) => void;
  /** Interval of partial outputs (milliseconds, default 200). */
  partialMs?: number;
  /**
   * Called after pause() once every live worker has replied that it stopped (at once when none is live): from then
   * on, until resume(), no progress, partial output or result arrives.
   */
  onPaused?: () => void;
}

/** A BlockRunner on Web Workers that can also pause and resume every run it has in flight. */
export interface WebWorkerRunner extends BlockRunner {
  /** Stops the workers between slices of steps (a run started while paused starts paused). */
  pause(): void;
  resume(): void;
  readonly paused: boolean;
}

type Reply =
  | { type: "progress"; steps: number }
  | ({ type: "partial" } & PartialBlock)
  | { type: "result"; result: BlockResult }
  | { type: "paused"; seq: number }
  | ErrorReply;

let counter = 0;

/**
 * A BlockRunner on `workers` Web Workers made by `createWorker` (e.g. () => new Worker(url, { type: "module" })).
 *
 * @example
 * ```ts
 * import { webWorkerRunner } from "ness";
 *
 * // In a browser: a module worker whose script imports ness's worker entry (src/stochastic/webWorker.ts).
 * const runner = webWorkerRunner(() => new Worker(new URL("./worker.js", import.meta.url), { type: "module" }), 4);
 * // await simulate(model, baoab({ dt }), options, { runner }) runs the replicas on 4 workers (created on first use).
 * console.log(typeof runner); // => function
 * ```
 */
export function webWorkerRunner(
  createWorker: () => WorkerLike,
  workers: number,
  options: WebWorkerRunnerOptions = {},
): WebWorkerRunner {
  if (typeof createWorker !== "function")
    throw new ModelError("webWorkerRunner: createWorker must be a function that starts a worker");
  if (!Number.isSafeInteger(workers) || workers < 1)
    throw new ModelError(`webWorkerRunner: the number of workers must be a positive integer, got ${String(workers)}`);
  const live = new Set<WorkerLike>();
  let paused = false;
  // The current pause's number, the workers that confirmed it, and whether onPaused was called for it.
  let pauseSeq = 0;
  const confirmed = new Set<WorkerLike>();
  let reported = false;
  const checkPaused = () => {
    if (!paused || reported) return;
    for (const w of live) if (!confirmed.has(w)) return;
    reported = true;
    options.onPaused?.();
  };
  const partialMs = options.onPartial ? (options.partialMs ?? 200) : undefined;
  const runner: BlockRunner = (spec, blocks, hooks) =>
    new Promise<BlockResult[]>((resolve, reject) => {
      const runId = `web-${++counter}-${Date.now()}`;
      const pool = Array.from({ length: Math.max(1, Math.min(workers, blocks.length)) }, () => {
        const w = createWorker();
        live.add(w);
        if (paused) w.postMessage({ type: "pause", seq: pauseSeq });
        return w;
      });
      const end = (w: WorkerLike) => {
        live.delete(w);
        confirmed.delete(w);
        w.terminate();
        checkPaused();
      };
      const results: BlockResult[] = [];
      let next = 0,
        finished = 0,
        failed = false;
      // The abort listener holds this run's results: removed when the run settles.
      const onAbort = () => stop(new CancelledError());
      const stop = (err: Error) => {
        if (failed) return;
        failed = true;
        hooks.signal?.removeEventListener("abort", onAbort);
        for (const w of pool) end(w);
        reject(err);
      };
      hooks.signal?.addEventListener("abort", onAbort, { once: true });
      if (hooks.signal?.aborted) return stop(new CancelledError()); // cancelled before it started: no abort event comes
      const feed = (w: WorkerLike) => {
        if (next >= blocks.length) {
          end(w);
          return;
        }
        const b = blocks[next++];
        const task: WebBlockTask = { runId, spec, first: b.first, count: b.count, partialMs };
        w.postMessage(task);
      };
      const receive = (w: WorkerLike, m: Reply): void => {
        if (failed) return;
        if (m.type === "paused") {
          if (paused && m.seq === pauseSeq) confirmed.add(w);
          checkPaused();
        } else if (m.type === "progress") hooks.onProgress?.(m.steps);
        else if (m.type === "partial") {
          const { first, count, index, steps, outputs } = m;
          options.onPartial?.({ first, count, index, steps, outputs });
        } else if (m.type === "error") stop(reviveError(m));
        else {
          results.push(m.result);
          const r = m.result;
          options.onPartial?.({ first: r.first, count: r.count, index: r.count, steps: 0, outputs: r.outputs });
          if (++finished === blocks.length) {
            for (const x of pool) end(x);
            hooks.signal?.removeEventListener("abort", onAbort);
            resolve(results);
          } else feed(w);
        }
      };
      for (const w of pool) {
        w.onerror = (ev) => {
          ev.preventDefault?.(); // handled here: the run ends with it (not reported again by the page)
          stop(new NessError(`a simulation worker failed: ${ev.message || "no message (its script, or memory)"}`));
        };
        w.onmessageerror = () =>
          stop(new NessError("a simulation worker's reply could not be read (it did not survive the worker boundary)"));
        w.onmessage = (ev) => {
          // A callback that throws (onProgress, onPartial) ends the run with its error, which would otherwise escape
          // into the worker's message handler and leave the run waiting.
          try {
            receive(w, ev.data as Reply);
          } catch (err) {
            stop(err instanceof Error ? err : new Error(String(err)));
          }
        };
        // A first task that cannot be posted (a spec that does not survive structured cloning) ends the run with
        // that error, and its workers with it (they would otherwise stay alive, idle).
        try {
          feed(w);
        } catch (err) {
          return stop(err instanceof Error ? err : new Error(String(err)));
        }
      }
    });
  return Object.defineProperties(runner, {
    pause: {
      value: () => {
        if (paused) return;
        paused = true;
        pauseSeq++;
        confirmed.clear();
        reported = false;
        for (const w of live) w.postMessage({ type: "pause", seq: pauseSeq });
        checkPaused();
      },
    },
    resume: {
      value: () => {
        paused = false;
        confirmed.clear();
        for (const w of live) w.postMessage({ type: "resume" });
      },
    },
    paused: { get: () => paused },
  }) as WebWorkerRunner;
}

/**
 * A worker's error as its class (the class does not survive the worker boundary): a user-facing error as a NessError,
 * a bug (`internal`) as a plain Error of the same name and message, which is not a NessError.
 */
function reviveError(r: ErrorReply): Error {
  if (r.internal) return Object.assign(new Error(r.message), { name: r.name });
  if (r.name === "SimulationError") return new SimulationError(r.message);
  if (r.name === "ModelError") return new ModelError(r.message);
  if (r.name === "CancelledError") return new CancelledError();
  return new NessError(r.message);
}
