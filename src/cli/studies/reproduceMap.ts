/**
 * `ness reproduce` for a figure set declared as a point map (PointMap, src/studies/contract.ts): its points run as a
 * sweep. Each point has a key (a hash of the study, the set, the point, the seed and the ness version, as a sweep
 * point's); results are stored as they come in OUT/.sweeps/ID/sweep.sqlite (the sweep store: a batch of results is
 * all there or not at all, a key is stored once), so a reproduce interrupted at any moment and run again with
 * --resume computes only the points not stored yet. The store is removed once the set's results.json is written. Points run on the reproduce's worker threads (each point's replicas
 * inside it, so the numbers do not depend on the number of workers), or in this thread for one worker. The set's
 * results are then assembled from the stored points, in the order of the map.
 */
import { existsSync, readdirSync, rmdirSync, rmSync } from "node:fs";
import path from "node:path";
import { NessError } from "../../errors.js";
import { STORE_FILE, SweepStore, type StoredPoint } from "../../io/sweepStore.js";
import { CancelledError } from "../../stochastic/safety.js";
import type { PointMap, ReproduceCase, Study } from "../../studies/contract.js";
import { pointKey, shortHash } from "../../sweep/key.js";
import { NESS_VERSION } from "../../version.js";
import { computeMapPoints, type MapChunkTask } from "../../workers/mapPoints.js";
import type { SharedThreads } from "../../workers/pool.js";
import { sweepWorkerScript } from "../../workers/sweepPool.js";
import type { ChunkReply } from "../../workers/sweepWorker.js";

/** At most this much work (ms) is computed in this thread between two writes to the store. */
const FLUSH_MS = 1000;

/** The folder of a figure set's point store under the output folder. */
export function mapStoreDir(outDir: string, id: string): string {
  return path.join(outDir, ".sweeps", id);
}

/** Removes a complete figure set's point store (its results.json now stands for it), and .sweeps when empty. */
export function removeMapStore(outDir: string, id: string): void {
  rmSync(mapStoreDir(outDir, id), { recursive: true, force: true });
  const parent = path.join(outDir, ".sweeps");
  if (existsSync(parent) && readdirSync(parent).length === 0) rmdirSync(parent);
}

export interface MapRunOptions {
  outDir: string;
  seed: number;
  quick: boolean;
  /** Keep the points already in the store (when it holds this very set); otherwise start afresh. */
  resume: boolean;
  log: (line: string) => void;
  signal?: AbortSignal;
  /** The threads of the points (shared by the figure sets of one reproduce: started once). */
  pool: MapPool;
}

/**
 * Worker threads for the points of a reproduce's maps: the reproduce's shared threads (the replica blocks run on
 * them too), each point chunk run by the sweep pool's script.
 */
export class MapPool {
  constructor(private readonly threads: SharedThreads) {}
  get workers(): number {
    return this.threads.workers;
  }
  /** Runs one chunk of points on a thread (the threads start with the first task). */
  run(chunk: MapChunkTask): Promise<ChunkReply> {
    return this.threads.get().run(chunk, { filename: sweepWorkerScript() }) as Promise<ChunkReply>;
  }
}

/** Runs a figure set's points as a resumable sweep and assembles its results. */
export async function runMapCase(
  study: Study,
  c: ReproduceCase,
  parameters: unknown,
  o: MapRunOptions,
): Promise<unknown> {
  const map = c.map as PointMap;
  const at = { seed: o.seed, quick: o.quick };
  const points = map.points(parameters, at);
  const keys = points.map((point) => pointKey({ study: study.name, case: c.id, point }, o.seed, { kind: "study" }));
  const sweepId = shortHash({ study: study.name, case: c.id, keys, version: NESS_VERSION });
  const dir = mapStoreDir(o.outDir, c.id);
  let resume = false;
  if (existsSync(path.join(dir, STORE_FILE)) && o.resume) {
    const probe = SweepStore.openExisting(dir);
    resume = probe.meta.sweepId === sweepId;
    probe.close();
    if (!resume) o.log(`  ${dir} holds other points (other parameters or ness version): starting afresh`);
  }
  if (!resume) rmSync(dir, { recursive: true, force: true });
  const store = SweepStore.open(
    dir,
    {
      sweepId,
      version: NESS_VERSION,
      seed: o.seed,
      spec: JSON.stringify({ study: study.name, case: c.id, parameters }),
      axes: ["point"],
      columns: [],
      points: points.length,
      keys: new Set(keys).size,
    },
    resume,
  );
  try {
    const done = store.doneKeys();
    const seen = new Set<string>(done);
    const jobs: MapChunkTask["jobs"] = [];
    points.forEach((point, index) => {
      if (seen.has(keys[index])) return;
      seen.add(keys[index]);
      jobs.push({ key: keys[index], index, point });
    });
    const distinct = new Set(keys).size;
    o.log(
      `  ${points.length} points${distinct < points.length ? ` (${distinct} distinct)` : ""}: ${jobs.length} to compute${done.size > 0 ? ` (${done.size} already in ${path.join(dir, STORE_FILE)})` : ""}`,
    );
    const spec: MapChunkTask["map"] = { study: study.name, case: c.id, seed: o.seed, quick: o.quick };
    const workers = Math.min(o.pool.workers, jobs.length);
    if (workers <= 1) {
      // Stored in batches of about a second of work (each transaction waits for the disk).
      let batch: StoredPoint[] = [];
      let last = performance.now();
      for (const job of jobs) {
        if (o.signal?.aborted) throw new CancelledError();
        batch.push(...(await computeMapPoints({ map: spec, jobs: [job] })));
        if (performance.now() - last > FLUSH_MS) {
          store.put(batch);
          batch = [];
          last = performance.now();
        }
      }
      store.put(batch);
    } else {
      const size = Math.max(1, Math.min(16, Math.ceil(jobs.length / (8 * workers))));
      let failure: Error | null = null;
      const chunks: MapChunkTask[] = [];
      for (let i = 0; i < jobs.length; i += size) chunks.push({ map: spec, jobs: jobs.slice(i, i + size) });
      await Promise.all(
        chunks.map(async (chunk) => {
          if (failure || o.signal?.aborted) return;
          const r = await o.pool.run(chunk);
          if (!r.ok)
            failure ??= r.user ? new NessError(r.message) : new Error(`a reproduce worker thread failed: ${r.message}`);
          else if (!failure) store.put(r.rows);
        }),
      );
      if (failure) throw failure;
      if (o.signal?.aborted) throw new CancelledError();
    }
    const byKey = new Map<string, unknown>();
    for (const p of store.points() as Iterable<StoredPoint>)
      byKey.set(p.key, (p.outputs as unknown as { value: unknown } | undefined)?.value);
    const values = keys.map((k) => {
      if (!byKey.has(k)) throw new Error(`internal: point ${k} of ${c.id} is not in its store`);
      return byKey.get(k);
    });
    return map.assemble(parameters, values, at);
  } finally {
    store.close();
  }
}
