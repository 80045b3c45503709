/**
 * Browser Web Worker entry for the stochastic engine (no Node imports). Bundle it as a module worker and hand the
 * constructor to webWorkerRunner (webPool.ts). Protocol:
 *   in:  a block task { runId, spec, first, count, partialMs? } | { type: "pause", seq? } | { type: "resume" }
 *   out: { type: "progress", steps } after every slice of steps;
 *        { type: "paused", seq } once the worker has stopped after the pause message `seq`: nothing more is posted
 *          until it is resumed (sent at once by an idle worker, by a running one when its block waits);
 *        { type: "partial", first, count, index, steps, outputs } at most every partialMs (when given): the block's
 *          outputs so far (replicas before `index` complete, replica `index` of the block `steps` steps in);
 *        then { type: "result", result } or { type: "error", name, message, internal? } (workerErrors.ts errorReply:
 *          `internal` for an error that is not a NessError, a bug).
 * Between slices the worker yields to its event loop every few tens of milliseconds, so a pause message stops it
 * within a slice or two; it waits until resumed. Cancelling is terminating the worker.
 * It knows the engine's ensemble kinds (model simulations, SDEs, Langevin problems); a study's SDE or force
 * term is known once its module is imported: a worker entry for a study imports that module, then this one (for
 * energy-correlations, particle-bath-chain and demixing: src/studies/webWorker.ts).
 */
import { prepareEnsemble, runBlock, type EnsembleSpec, type PreparedEnsemble } from "./ensemble.js";
import "./run.js";
import "./sde.js";
import { errorReply } from "./workerErrors.js";
import "./langevinEnsemble.js";

/** A block of replicas to run. */
export interface WebBlockTask {
  type?: "block";
  runId: string;
  spec: EnsembleSpec;
  first: number;
  count: number;
  /** Post the block's partial outputs at most this often (milliseconds; absent: never). */
  partialMs?: number;
}

export type WebWorkerMessage = WebBlockTask | { type: "pause"; seq?: number } | { type: "resume" };

interface WorkerScope {
  onmessage: ((ev: { data: WebWorkerMessage }) => void) | null;
  postMessage(message: unknown): void;
}

const scope = globalThis as unknown as WorkerScope;
let cached: { runId: string; plan: PreparedEnsemble } | null = null;
let paused = false;
let wake: (() => void) | null = null;
/** The latest pause message's number, whether its "paused" reply was sent, and whether a block is running. */
let pauseSeq = 0;
let acked = true;
let busy = false;
const ackPause = () => {
  if (acked) return;
  acked = true;
  scope.postMessage({ type: "paused", seq: pauseSeq });
};

/** A macrotask through a MessageChannel (not clamped as nested timers are): lets pause/resume messages in. */
const channel = typeof MessageChannel === "function" ? new MessageChannel() : null;
let tick: (() => void) | null = null;
if (channel) channel.port1.onmessage = () => tick?.();
const yieldToEvents = () =>
  new Promise<void>((resolve) => {
    if (!channel) return void setTimeout(resolve, 0);
    tick = resolve;
    channel.port2.postMessage(0);
  });

async function run(task: WebBlockTask): Promise<void> {
  busy = true;
  // A block handed over while paused (the previous one ended meanwhile) starts only when resumed.
  if (paused) ackPause();
  while (paused) await new Promise<void>((resolve) => (wake = resolve));
  if (!cached || cached.runId !== task.runId) cached = { runId: task.runId, plan: prepareEnsemble(task.spec) };
  let lastYield = performance.now(),
    lastPartial = lastYield;
  const partialMs = task.partialMs;
  const result = await runBlock(cached.plan, task.first, task.count, {
    onProgress: (steps) => scope.postMessage({ type: "progress", steps }),
    onSlice:
      partialMs !== undefined
        ? (index, steps, outputs) => {
            const now = performance.now();
            if (now - lastPartial < partialMs) return;
            lastPartial = now;
            const { first, count } = task;
            scope.postMessage({ type: "partial", first, count, index, steps, outputs: outputs.slice() });
          }
        : undefined,
    pause: async () => {
      const now = performance.now();
      if (now - lastYield < 30 && !paused) return;
      lastYield = now;
      await yieldToEvents();
      if (paused) ackPause(); // every message of the slices before this one is posted: it is quiet now
      while (paused) await new Promise<void>((resolve) => (wake = resolve));
    },
  });
  scope.postMessage({ type: "result", result });
}

scope.onmessage = (ev) => {
  const m = ev.data;
  if (m.type === "pause") {
    paused = true;
    pauseSeq = m.seq ?? 0;
    acked = false;
    if (!busy) ackPause(); // no block running: nothing will be posted until resumed
  } else if (m.type === "resume") {
    paused = false;
    wake?.();
    wake = null;
  } else {
    void run(m)
      .catch((err: unknown) => scope.postMessage(errorReply(err)))
      .finally(() => {
        busy = false;
        if (paused) ackPause(); // a pause that arrived while the block's last slice ran
      });
  }
};
