/**
 * Worker-thread entry of the local sweep pool (piscina): computes one chunk of points. Errors that are not a
 * point's own failure (a bug) come back as plain data.
 */
import type { StoredPoint } from "../io/sweepStore.js";
import type { SweepTask } from "../sweep/spec.js";
import { computePoints, type PointJob } from "./sweepPoints.js";

export interface ChunkTask {
  sweepId: string;
  task: SweepTask;
  jobs: PointJob[];
}

export type ChunkReply = { ok: true; rows: StoredPoint[] } | { ok: false; message: string };

export default async function runChunk(t: ChunkTask): Promise<ChunkReply> {
  try {
    return { ok: true, rows: await computePoints(t.sweepId, t.task, t.jobs) };
  } catch (err) {
    return { ok: false, message: err instanceof Error ? err.message : String(err) };
  }
}
