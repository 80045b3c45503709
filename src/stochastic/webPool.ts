/**
 * Replicas on browser Web Workers: a BlockRunner that sends each block of an ensemble (a simulation, an SDE, a
 * Langevin problem: ensemble.ts) to a pool of workers running webWorker.ts. As with Node's worker threads, blocks are
 * fixed by the replica count and reduced in order, so the result is the same for any number of workers.
 * Cancellation terminates the workers.
 */
import { ModelError, NessError } from "../errors.js";
import type { BlockResult, BlockRunner } from "./ensemble.js";
import { CancelledError, SimulationError } from "./safety.js";
import type { WebBlockTask } from "./webWorker.js";

/** The part of the DOM Worker interface used here. */
export interface WorkerLike {
  postMessage(message: unknown): void;
  terminate(): void;
  /** Declared as a method's type (checked bivariantly), so a DOM Worker, whose handler takes a MessageEvent, fits. */
  onmessage: { handler(ev: { data: unknown }): void }["handler"] | null;
}

type Reply =
  | { type: "progress"; steps: number }
  | { type: "result"; result: BlockResult }
  | { type: "error"; name: string; message: string };

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
export function webWorkerRunner(createWorker: () => WorkerLike, workers: number): BlockRunner {
  return (spec, blocks, hooks) =>
    new Promise<BlockResult[]>((resolve, reject) => {
      const runId = `web-${++counter}-${Date.now()}`;
      const pool = Array.from({ length: Math.max(1, Math.min(workers, blocks.length)) }, createWorker);
      const results: BlockResult[] = [];
      let next = 0,
        finished = 0,
        failed = false;
      const stop = (err: Error) => {
        if (failed) return;
        failed = true;
        for (const w of pool) w.terminate();
        reject(err);
      };
      hooks.signal?.addEventListener("abort", () => stop(new CancelledError()));
      const feed = (w: WorkerLike) => {
        if (next >= blocks.length) {
          w.terminate();
          return;
        }
        const b = blocks[next++];
        const task: WebBlockTask = { runId, spec, first: b.first, count: b.count };
        w.postMessage(task);
      };
      for (const w of pool) {
        w.onmessage = (ev) => {
          const m = ev.data as Reply;
          if (m.type === "progress") hooks.onProgress?.(m.steps);
          else if (m.type === "error") stop(reviveError(m));
          else {
            results.push(m.result);
            if (++finished === blocks.length) {
              for (const x of pool) x.terminate();
              resolve(results);
            } else feed(w);
          }
        };
        feed(w);
      }
    });
}

/** A user-facing error from a worker, as its class (the class does not survive the worker boundary). */
function reviveError(r: { name: string; message: string }): NessError {
  if (r.name === "SimulationError") return new SimulationError(r.message);
  if (r.name === "ModelError") return new ModelError(r.message);
  if (r.name === "CancelledError") return new CancelledError();
  return new NessError(r.message);
}
