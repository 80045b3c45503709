/**
 * Computing points of a sweep in this process (Node): the one function that turns point jobs into stored rows, used
 * by the local pool's threads (sweepWorker.ts), by `--workers 1`, and by queue workers. A prepared sweep is cached by
 * the sweep's identity, so a thread or a queue worker prepares it once.
 */
import { hostname } from "node:os";
import { threadId } from "node:worker_threads";
import type { StoredPoint } from "../io/sweepStore.js";
import { prepareSweep, type PreparedSweep } from "../sweep/evaluate.js";
import { loadStudies } from "../sweep/studyCompute.js";
import type { SweepTask } from "../sweep/spec.js";

/** A point to compute: its key, index in the sweep and axis values. */
export interface PointJob {
  key: string;
  index: number;
  values: number[];
}

let cached: { id: string; prepared: PreparedSweep } | null = null;

/** Who computes here: host, process id and thread. */
export function workerName(): string {
  return `${hostname()}:${process.pid}${threadId ? `/${threadId}` : ""}`;
}

/** Makes `prepared` the preparation of this sweep here (the coordinator's, whose messages name the spec file). */
export function keepPrepared(sweepId: string, prepared: PreparedSweep): void {
  cached = { id: sweepId, prepared };
}

export function preparedFor(sweepId: string, task: SweepTask): PreparedSweep {
  if (!cached || cached.id !== sweepId) cached = { id: sweepId, prepared: prepareSweep(task) };
  return cached.prepared;
}

/**
 * Computes the jobs one after another; a point without an answer is a failed row (its reason kept). Study points
 * are awaited one by one; exact and simulated points run without an await between them.
 */
export async function computePoints(sweepId: string, task: SweepTask, jobs: PointJob[]): Promise<StoredPoint[]> {
  await loadStudies(task.base);
  const prepared = preparedFor(sweepId, task);
  const who = workerName();
  const rows: StoredPoint[] = [];
  for (const j of jobs) {
    const t0 = performance.now();
    let outcome = prepared.evaluate(j.values);
    if (outcome instanceof Promise) outcome = await outcome;
    const seconds = (performance.now() - t0) / 1000;
    rows.push(
      outcome.status === "done"
        ? {
            key: j.key,
            index: j.index,
            values: j.values,
            status: "done",
            outputs: outcome.outputs,
            ...(outcome.flags ? { flags: outcome.flags } : {}),
            seconds,
            worker: who,
          }
        : {
            key: j.key,
            index: j.index,
            values: j.values,
            status: "failed",
            error: outcome.error,
            seconds,
            worker: who,
          },
    );
  }
  return rows;
}
