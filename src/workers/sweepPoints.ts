/**
 * Computing points of a sweep in this process (Node): the one function that turns point jobs into stored rows, used
 * by the local pool's threads (sweepWorker.ts), by `--workers 1`, and by queue workers. A prepared sweep is cached by
 * the sweep's identity, so a thread or a queue worker prepares it once.
 */
import { hostname } from "node:os";
import { threadId } from "node:worker_threads";
import type { StoredPoint } from "../io/sweepStore.js";
import { prepareSweep, type PreparedSweep } from "../sweep/evaluate.js";
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

export function preparedFor(sweepId: string, task: SweepTask): PreparedSweep {
  if (!cached || cached.id !== sweepId) cached = { id: sweepId, prepared: prepareSweep(task) };
  return cached.prepared;
}

/** Computes the jobs one after another; a point without an answer is a failed row (its reason kept). */
export function computePoints(sweepId: string, task: SweepTask, jobs: PointJob[]): StoredPoint[] {
  const prepared = preparedFor(sweepId, task);
  const who = workerName();
  return jobs.map((j) => {
    const t0 = performance.now();
    const outcome = prepared.evaluate(j.values);
    const seconds = (performance.now() - t0) / 1000;
    return outcome.status === "done"
      ? { key: j.key, index: j.index, values: j.values, status: "done", outputs: outcome.outputs, seconds, worker: who }
      : { key: j.key, index: j.index, values: j.values, status: "failed", error: outcome.error, seconds, worker: who };
  });
}
