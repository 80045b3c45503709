/**
 * Computing points of a figure set's map (PointMap, src/studies/contract.ts) in this thread (Node): the one function
 * that turns map points into stored rows, used by `ness reproduce` with one worker and by the sweep pool's threads
 * (sweepWorker.ts). The study and its figure set are found by name in the catalog, so a task is plain data.
 */
import { NessError } from "../errors.js";
import type { StoredPoint } from "../io/sweepStore.js";
import { findStudy } from "../studies/catalog.js";
import type { PointMap } from "../studies/contract.js";
import { plainPoint } from "../studies/pointMap.js";
import { workerName } from "./sweepPoints.js";

/** A chunk of one figure set's points: plain data (it crosses to worker threads). */
export interface MapChunkTask {
  map: { study: string; case: string; seed: number; quick: boolean };
  jobs: { key: string; index: number; point: unknown }[];
}

/** The map of a study's figure set (a bug if it is missing: the caller found it by the same names). */
export function mapOf(study: string, id: string): PointMap {
  const c = findStudy(study)?.reproduce.find((r) => r.id === id);
  if (!c?.map) throw new Error(`no figure set '${id}' with a point map in study '${study}'`);
  return c.map as PointMap;
}

/** Computes the chunk's points in turn; each row's `outputs` is `{ value }`, the point's result as JSON. */
export async function computeMapPoints(t: MapChunkTask): Promise<StoredPoint[]> {
  const map = mapOf(t.map.study, t.map.case);
  const who = workerName();
  const rows: StoredPoint[] = [];
  for (const j of t.jobs) {
    const t0 = performance.now();
    const value = plainPoint(await map.point(j.point, { seed: t.map.seed, quick: t.map.quick }));
    rows.push({
      key: j.key,
      index: j.index,
      values: [j.index],
      status: "done",
      // Wrapped: a result may be a bare number (0 included) or null.
      outputs: { value } as unknown as Record<string, number>,
      seconds: (performance.now() - t0) / 1000,
      worker: who,
    });
  }
  return rows;
}

/** A map chunk's failure as plain data: a user-level error (NessError) keeps its class across the thread. */
export function failureOf(err: unknown): { ok: false; message: string; user: boolean } {
  return { ok: false, message: err instanceof Error ? err.message : String(err), user: err instanceof NessError };
}
