/**
 * Worker-thread entry (piscina): runs one block of replicas of an ensemble spec (a simulation, an SDE, a Langevin
 * problem: src/stochastic/ensemble.ts) and returns its outputs. User-facing errors come back as plain data (their
 * class does not survive the thread boundary). It imports the engine's ensemble kinds (kinds.ts) and, before the first
 * spec that is not a model simulation, every study module that registers an ensemble kind, an SDE or a force term
 * (studyKinds.ts), so that any spec the library makes can be prepared here.
 */
import type { MessagePort } from "node:worker_threads";
import { NessError } from "../errors.js";
import {
  prepareEnsemble,
  runBlock,
  type BlockResult,
  type EnsembleSpec,
  type PreparedEnsemble,
} from "../stochastic/ensemble.js";
import { runSegment, type SegmentResult, type SegmentTask } from "../stochastic/segments.js";
import type { Plan } from "../stochastic/run.js";
import { MODEL_KINDS } from "./kinds.js";
// Split runs (SimulationOptions.threads) in a pool worker run their shares on helper threads of their own.
import "./splitThreads.js";

export interface BlockTask {
  runId: string;
  spec: EnsembleSpec;
  first: number;
  count: number;
  port: MessagePort;
  /** Shared flag (Int32Array on a SharedArrayBuffer): nonzero asks the block to stop. */
  stop: Int32Array;
  /** Continue the block from a state for a number of steps (segments.ts) instead of running it whole. */
  segment?: SegmentTask;
}

/** steps: all steps of the block (progress messages may arrive after the reply; the pool makes up the difference). */
export type BlockReply =
  | { ok: true; result: BlockResult; steps: number }
  | { ok: true; segment: SegmentResult; steps: number }
  | { ok: false; name: string; message: string };

let cached: { runId: string; plan: PreparedEnsemble } | null = null;
let studyKinds: Promise<unknown> | null = null;

/**
 * The studies' registrations (studyKinds.ts), imported once, before the first spec that is not a model simulation
 * (about 60 ms of imports a worker running `ness simulate` on a model does without).
 */
async function registrationsFor(spec: EnsembleSpec): Promise<void> {
  const kind = (spec?.problem as { kind?: unknown } | null | undefined)?.kind;
  if (typeof kind === "string" && MODEL_KINDS.has(kind)) return;
  await (studyKinds ??= import("./studyKinds.js"));
}

export default async function runBlockTask(task: BlockTask): Promise<BlockReply> {
  try {
    if (!cached || cached.runId !== task.runId) {
      await registrationsFor(task.spec);
      cached = { runId: task.runId, plan: prepareEnsemble(task.spec) };
    }
    let pending = 0;
    let last = Date.now();
    const hooks = {
      shouldStop: () => Atomics.load(task.stop, 0) !== 0,
      onProgress: (n: number) => {
        pending += n;
        const now = Date.now();
        if (now - last > 50) {
          task.port.postMessage(pending);
          pending = 0;
          last = now;
        }
      },
    };
    if (task.segment) {
      // the state is this worker's copy (structured clone): advanced in place, not copied again
      const segment = await runSegment(cached.plan as Plan, task.segment, hooks, true);
      if (pending > 0) task.port.postMessage(pending);
      task.port.close();
      return { ok: true, segment, steps: segment.state.steps - task.segment.state.steps };
    }
    const result = await runBlock(cached.plan, task.first, task.count, hooks);
    if (pending > 0) task.port.postMessage(pending);
    task.port.close();
    return { ok: true, result, steps: task.count * cached.plan.stepsPerReplica };
  } catch (err) {
    task.port.close();
    if (err instanceof NessError) return { ok: false, name: err.name, message: err.message };
    throw err;
  }
}
