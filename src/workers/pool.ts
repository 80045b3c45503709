/**
 * Worker threads for replicas (Node): a piscina pool runs the blocks of an ensemble (src/stochastic/ensemble.ts: a
 * simulation, an SDE, a Langevin problem), one block per task, with progress sent back over a MessagePort per task and cancellation by AbortSignal. Blocks and
 * their reduction order are fixed by the replica count, so the result does not depend on the number of workers.
 * The worker script is the compiled dist/workers/simulateWorker.js (built by `npm run build`).
 */
import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { MessageChannel } from "node:worker_threads";
import { Piscina } from "piscina";
import { ModelError, NessError } from "../errors.js";
import type { BlockHooks, BlockResult, BlockRunner, EnsembleSpec } from "../stochastic/ensemble.js";
import type { BlockState } from "../stochastic/checkpoint.js";
import type { SegmentResult, SegmentRunner, SegmentTask } from "../stochastic/segments.js";
import { CancelledError, SimulationError } from "../stochastic/safety.js";
import type { BlockReply, BlockTask } from "./simulateWorker.js";

/** Path of the compiled worker script (next to this module in dist/, or dist/ when running from src/). */
export function workerScript(): string {
  const here = new URL(import.meta.url);
  const url = here.pathname.endsWith(".ts")
    ? new URL("../../dist/workers/simulateWorker.js", here)
    : new URL("./simulateWorker.js", here);
  const path = fileURLToPath(url);
  if (!existsSync(path))
    throw new NessError(`worker threads need the built library (${path} is missing): run npm run build`);
  return path;
}

/**
 * `execArgv` of every piscina pool's threads. piscina loads its script with require() first, and Node 20.19+ then
 * loads an ES module synchronously (require(esm)); a thread terminated in the middle of that (a pool destroyed while
 * its threads start: Ctrl-C right after `ness worker` printed its start line) aborted the whole process (V8's
 * "FATAL ERROR: v8::Module::IsGraphAsync must be used on an instantiated module", from ModuleWrap::InstantiateSync
 * under require). With require(esm) off in the threads, piscina loads the script with import(), which does not take
 * that path. Older Node 20 releases, without the option, load by import() anyway.
 */
export function threadExecArgv(): string[] {
  const off = "--no-experimental-require-module";
  return process.allowedNodeEnvironmentFlags.has(off) ? [...process.execArgv, off] : [...process.execArgv];
}

/**
 * A sensible default worker count: the available cores, at most the number of blocks.
 *
 * @example
 * ```ts
 * import { defaultWorkers } from "ness/node";
 *
 * console.log(defaultWorkers() >= 1); // => true
 * ```
 */
export function defaultWorkers(): number {
  return Math.max(1, availableParallelism());
}

let runCounter = 0;

/**
 * Worker threads (piscina) started when first needed and kept until closed, for several runners of one command:
 * `ness reproduce` runs every figure set's replica blocks (workerRunner) and point maps (reproduceMap.ts) on one such
 * pool, so its threads start once, load their modules once and stay warm from set to set. Tasks name their script
 * (`run(task, { filename })`); the pool's default is the block worker.
 */
export class SharedThreads {
  private pool: Piscina | null = null;
  constructor(readonly workers: number) {}
  get(): Piscina {
    this.pool ??= new Piscina({
      filename: workerScript(),
      minThreads: 0,
      maxThreads: Math.max(1, this.workers),
      idleTimeout: Infinity,
      execArgv: threadExecArgv(),
    });
    return this.pool;
  }
  async close(): Promise<void> {
    const p = this.pool;
    this.pool = null;
    await p?.destroy();
  }
}

function reviveError(r: { name: string; message: string }): NessError {
  if (r.name === "SimulationError") return new SimulationError(r.message);
  if (r.name === "ModelError") return new ModelError(r.message);
  if (r.name === "CancelledError") return new CancelledError();
  return new NessError(r.message);
}

/** The buffers of a block state's outputs and sums that can be transferred whole (each array its buffer's only view). */
function movable(state: BlockState): ArrayBuffer[] {
  const out: ArrayBuffer[] = [];
  for (const a of [state.outputs, state.sums])
    if (a.buffer instanceof ArrayBuffer && a.byteOffset === 0 && a.byteLength === a.buffer.byteLength && a.length > 0)
      out.push(a.buffer);
  return out;
}

/**
 * A BlockRunner on `workers` worker threads. On the first error, or on cancellation, a shared flag asks every
 * running block to stop at its next slice (milliseconds); queued blocks return at once. Tasks always settle normally
 * (terminating threads with tasks in flight races with their replies), then the pool is destroyed.
 *
 * @example
 * ```ts
 * import { baoab, loadModel, simulate } from "ness";
 * import { workerRunner } from "ness/node";
 *
 * const model = loadModel(`
 * kind: network
 * sites: [a, b]
 * pinning: 1
 * springs: [{between: [a, b], stiffness: 1}]
 * baths: [{site: a, friction: 1, temperature: 2}, {site: b, friction: 1, temperature: 1}]
 * `);
 * const runner = workerRunner(2);
 * try {
 *   const result = await simulate(model, baoab({ dt: 0.05 }), { time: 100, seed: 1, replicas: 4 }, { runner });
 *   console.log(result.replicas); // => 4: the same numbers as in process, for any number of workers
 * } finally {
 *   await runner.close();
 * }
 * ```
 */
export function workerRunner(
  workers: number,
  /** Threads owned by the caller (closed by it, not by `close`); by default the runner has a pool of its own. */
  shared?: SharedThreads,
): BlockRunner & { segments: SegmentRunner; close(): Promise<void> } {
  if (!Number.isSafeInteger(workers) || workers < 1)
    throw new ModelError(`workerRunner: the number of workers must be a positive integer, got ${String(workers)}`);
  // One pool per runner, reused across runs (warm threads and JIT); idle threads exit after a second.
  let pool: Piscina | null = null;
  // Segments of one run share its id, so each worker prepares the run's plan once.
  const segmentRuns = new WeakMap<object, string>();
  const newRunId = () => `${process.pid}-${++runCounter}-${Date.now()}`;
  const segments: SegmentRunner = async (spec, tasks, hooks) => {
    let runId = segmentRuns.get(spec);
    if (runId === undefined) segmentRuns.set(spec, (runId = newRunId()));
    const replies = await runTasks(
      spec,
      tasks.map((t) => ({ first: t.state.first, count: t.state.count, segment: t })),
      hooks,
      runId,
    );
    return replies.map((r) => (r as { segment: SegmentResult }).segment);
  };
  const run: BlockRunner = async (spec, blocks, hooks) => {
    const replies = await runTasks(spec, blocks, hooks, newRunId());
    return replies.map((r) => (r as { result: BlockResult }).result);
  };
  const runTasks = async (
    spec: EnsembleSpec,
    blocks: { first: number; count: number; segment?: SegmentTask }[],
    hooks: BlockHooks,
    runId: string,
  ): Promise<BlockReply[]> => {
    pool ??=
      shared?.get() ??
      new Piscina({
        filename: workerScript(),
        minThreads: 0,
        maxThreads: Math.max(1, workers),
        idleTimeout: 1000,
        execArgv: threadExecArgv(),
      });
    let failure: Error | null = null;
    const stop = new Int32Array(new SharedArrayBuffer(4));
    const fail = (err: Error) => {
      failure ??= err;
      Atomics.store(stop, 0, 1);
    };
    const onAbort = () => fail(new CancelledError());
    if (hooks.signal?.aborted) onAbort();
    hooks.signal?.addEventListener("abort", onAbort);
    try {
      const results = await Promise.all(
        blocks.map(async (b) => {
          const channel = new MessageChannel();
          let seen = 0,
            closed = false;
          channel.port1.on("message", (n: number) => {
            if (closed || failure) return;
            seen += n;
            hooks.onProgress?.(n);
          });
          const task: BlockTask = { runId, spec, first: b.first, count: b.count, port: channel.port2, stop };
          if (b.segment) task.segment = b.segment;
          try {
            // A state given up by the caller moves to the worker (no copy of it stays here while it runs).
            const moved = b.segment?.give ? movable(b.segment.state) : [];
            const r = (await pool!.run(task, { transferList: [channel.port2, ...moved] })) as BlockReply;
            if (!r.ok) throw reviveError(r);
            closed = true;
            if (r.steps > seen && !failure) hooks.onProgress?.(r.steps - seen);
            return r;
          } catch (err) {
            fail(err as Error);
            return null;
          } finally {
            closed = true;
            channel.port1.close();
          }
        }),
      );
      if (failure) throw failure;
      return results as BlockReply[];
    } finally {
      hooks.signal?.removeEventListener("abort", onAbort);
    }
  };
  return Object.assign(run, {
    segments,
    async close() {
      const p = pool;
      pool = null;
      if (!shared) await p?.destroy();
    },
  });
}
