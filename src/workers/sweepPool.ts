/**
 * The local executor of a sweep (Node): chunks of points on `workers` threads (piscina), or in this thread for one
 * worker. Each point is computed by the same code wherever it runs (sweepPoints.ts), and a simulation's replicas run
 * inside the point, so results do not depend on the number of workers. Results come back per chunk, in completion
 * order; the caller stores each chunk in one transaction.
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Piscina } from "piscina";
import { NessError } from "../errors.js";
import type { StoredPoint } from "../io/sweepStore.js";
import type { SweepTask } from "../sweep/spec.js";
import { threadExecArgv } from "./pool.js";
import { computePoints, type PointJob } from "./sweepPoints.js";
import type { ChunkReply, ChunkTask } from "./sweepWorker.js";

/** The compiled worker script of the sweep pool (sweepWorker.js); NessError when the library is not built. */
export function sweepWorkerScript(): string {
  const here = new URL(import.meta.url);
  const url = here.pathname.endsWith(".ts")
    ? new URL("../../dist/workers/sweepWorker.js", here)
    : new URL("./sweepWorker.js", here);
  const file = fileURLToPath(url);
  if (!existsSync(file))
    throw new NessError(`worker threads need the built library (${file} is missing): run npm run build`);
  return file;
}

/** Points per chunk: about `targetCost` units of work (one unit: a small exact solve), at least 4 chunks per worker. */
export function chunkSize(points: number, workers: number, relativeCost: number): number {
  const byCost = Math.max(1, Math.floor(256 / Math.max(1, relativeCost)));
  const byCount = Math.max(1, Math.ceil(points / (4 * workers)));
  return Math.min(byCost, byCount, 256);
}

export interface RunHooks {
  onRows(rows: StoredPoint[]): void;
  signal?: AbortSignal;
}

/** Computes every job; rows are handed over chunk by chunk. */
export async function runLocal(
  sweepId: string,
  task: SweepTask,
  jobs: PointJob[],
  workers: number,
  relativeCost: number,
  hooks: RunHooks,
): Promise<void> {
  const size = chunkSize(jobs.length, workers, relativeCost);
  const chunks: PointJob[][] = [];
  for (let i = 0; i < jobs.length; i += size) chunks.push(jobs.slice(i, i + size));
  if (workers <= 1) {
    let last = Date.now();
    for (const c of chunks) {
      if (hooks.signal?.aborted) return;
      hooks.onRows(await computePoints(sweepId, task, c));
      // Let the progress bar and signals through now and then.
      if (Date.now() - last > 100) {
        last = Date.now();
        await new Promise<void>((r) => setImmediate(r));
      }
    }
    return;
  }
  const pool = new Piscina({
    filename: sweepWorkerScript(),
    minThreads: workers,
    maxThreads: workers,
    idleTimeout: 1000,
    execArgv: threadExecArgv(),
  });
  try {
    let failure: Error | null = null;
    await Promise.all(
      chunks.map(async (c) => {
        if (failure || hooks.signal?.aborted) return;
        const t: ChunkTask = { sweepId, task, jobs: c };
        const r = (await pool.run(t)) as ChunkReply;
        if (!r.ok) {
          failure ??= new Error(`a sweep worker thread failed: ${r.message}`);
          return;
        }
        if (!failure) hooks.onRows(r.rows);
      }),
    );
    if (failure) throw failure;
  } finally {
    await pool.destroy();
  }
}
