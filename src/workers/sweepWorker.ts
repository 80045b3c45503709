/**
 * Worker-thread entry of the local sweep pool (piscina): computes one chunk of points of a sweep, or of a figure
 * set's point map (`ness reproduce`). Errors that are not a point's own failure (a bug; for a map, any error) come
 * back as plain data.
 */
import type { StoredPoint } from "../io/sweepStore.js";
import type { SweepTask } from "../sweep/spec.js";
import { computeMapPoints, failureOf, type MapChunkTask } from "./mapPoints.js";
import { computePoints, type PointJob } from "./sweepPoints.js";

export interface ChunkTask {
  sweepId: string;
  task: SweepTask;
  jobs: PointJob[];
}

export type ChunkReply = { ok: true; rows: StoredPoint[] } | { ok: false; message: string; user?: boolean };

export default async function runChunk(t: ChunkTask | MapChunkTask): Promise<ChunkReply> {
  if ("map" in t) {
    try {
      return { ok: true, rows: await computeMapPoints(t) };
    } catch (err) {
      return failureOf(err);
    }
  }
  try {
    return { ok: true, rows: await computePoints(t.sweepId, t.task, t.jobs) };
  } catch (err) {
    return { ok: false, message: err instanceof Error ? err.message : String(err) };
  }
}
