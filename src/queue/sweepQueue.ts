/**
 * Distributed sweeps on BullMQ + Redis (Node). With `ness sweep --queue redis://HOST:PORT` the coordinator stores the
 * sweep's task once in Redis and adds one job per pending point to the queue `ness-sweep`; `ness worker --queue URL`
 * processes (any number, on any machines) pull jobs, compute the point in a worker thread (so the job's lock is
 * renewed while it runs) and put the row into the hash `ness:sweep:<id>:results` under the point's key; the
 * coordinator moves rows from that hash into its store, one transaction per batch, then deletes them from the hash.
 *
 * At-least-once delivery is made safe by the keys: a job's id is its sweep and key (adding it twice adds it once),
 * a row is stored once per key, and a row moved twice is ignored the second time. A worker killed mid-job loses its
 * lock; the job returns to the queue after the lock expires (`--lock-seconds`) and another worker runs it. A point
 * that fails deterministically (no steady state, a non-finite output) is a row with its reason, not a retried job;
 * a job that throws (a bug, a lost worker thread) is retried up to 3 times, then stored as failed with its error.
 * A coordinator that crashes leaves jobs and rows in Redis: `ness sweep --resume` first moves the rows, then adds the
 * jobs still missing (those still queued are not added twice).
 */
import { Queue, WaitingError, Worker, type Job } from "bullmq";
import { Redis } from "ioredis";
import { SweepError } from "../errors.js";
import type { StoredPoint } from "../io/sweepStore.js";
import type { SweepTask } from "../sweep/spec.js";
import type { PointJob } from "../workers/sweepPoints.js";

export const QUEUE_NAME = "ness-sweep";
/** The prefix of every key (BullMQ's and the sweeps' own). */
export const PREFIX = "ness";
/** The key of a sweep's task (what its jobs compute), stored by the coordinator. */
export const taskKey = (id: string) => `${PREFIX}:sweep:${id}:task`;
const resultsKey = (id: string) => `${PREFIX}:sweep:${id}:results`;

export interface JobData extends PointJob {
  sweepId: string;
}

/** Checks the URL's form: redis://[user:password@]host[:port][/db] or rediss://. */
export function checkQueueUrl(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new SweepError(`--queue: '${url}' is not a URL (expected redis://HOST:PORT)`);
  }
  if (u.protocol !== "redis:" && u.protocol !== "rediss:")
    throw new SweepError(`--queue: '${url}' is not a Redis URL (expected redis://HOST:PORT)`);
  if (!u.hostname) throw new SweepError(`--queue: '${url}' names no host (expected redis://HOST:PORT)`);
  return url;
}

/** A client that retries for ever (BullMQ's workers need maxRetriesPerRequest: null). */
function client(url: string): Redis {
  const r = new Redis(url, { maxRetriesPerRequest: null, retryStrategy: (n) => Math.min(200 * n, 2000) });
  r.on("error", () => undefined); // reconnection is automatic; a lasting loss is reported by the callers
  return r;
}

/** Connects once with a deadline, or throws one line saying why Redis cannot be reached. */
export async function checkRedis(url: string, timeoutMs = 3000): Promise<void> {
  checkQueueUrl(url);
  const r = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: timeoutMs,
    enableOfflineQueue: false,
  });
  let last: Error | null = null;
  r.on("error", (e: Error) => void (last = e));
  try {
    await r.connect();
    await r.ping();
  } catch (err) {
    const why = (last as Error | null)?.message ?? (err as Error).message;
    throw new SweepError(`cannot reach Redis at ${url}: ${why}`);
  } finally {
    r.disconnect();
  }
}

/** Resolves with `p`, or rejects after `ms` with SweepError(message). */
function deadline<T>(p: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p,
    new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new SweepError(message)), ms))),
  ]).finally(() => clearTimeout(timer));
}

export interface CoordinatorOptions {
  /** Stored so far (rows moved into the store); called with each batch. */
  onRows(rows: StoredPoint[]): void;
  /** True when every key is stored. */
  finished(): boolean;
  /** How long Redis may be unreachable before the coordinator gives up (ms). */
  redisTimeoutMs: number;
  /** Poll period (ms). */
  pollMs?: number;
  /** Where the store is, for the message on giving up. */
  out: string;
}

/** Runs the pending jobs of a sweep through the queue until every key is stored. */
export async function runQueued(
  url: string,
  sweepId: string,
  task: SweepTask,
  jobs: PointJob[],
  o: CoordinatorOptions,
): Promise<void> {
  const redis = client(url);
  const connection = client(url);
  const queue = new Queue(QUEUE_NAME, { connection, prefix: PREFIX });
  queue.on("error", () => undefined);
  const lost = (what: string) =>
    `lost the connection to Redis at ${url} (${what} did not answer for ${Math.round(o.redisTimeoutMs / 1000)} s); ` +
    `the results so far are in ${o.out}: run the same command with --resume when Redis is back`;
  const guard = <T>(p: Promise<T>, what: string) => deadline(p, o.redisTimeoutMs, lost(what));
  try {
    await guard(redis.set(taskKey(sweepId), JSON.stringify(task)), "storing the sweep");
    await drain(redis, sweepId, o, guard);
    // Add the jobs still missing (a job already in the queue, from a crashed run, is not added twice).
    for (let i = 0; i < jobs.length && !o.finished(); i += 500) {
      const batch = jobs.slice(i, i + 500).map((j) => ({
        name: "point",
        data: { sweepId, ...j } satisfies JobData,
        opts: {
          jobId: `${sweepId}-${j.key}`,
          removeOnComplete: true,
          removeOnFail: false,
          attempts: 3,
          backoff: { type: "fixed", delay: 500 },
        },
      }));
      await guard(queue.addBulk(batch), "adding jobs");
    }
    const pollMs = o.pollMs ?? 200;
    while (!o.finished()) {
      const moved = await drain(redis, sweepId, o, guard);
      await collectFailed(queue, sweepId, o, guard);
      if (moved === 0) await new Promise((r) => setTimeout(r, pollMs));
    }
    await guard(redis.del(taskKey(sweepId), resultsKey(sweepId)), "cleaning up");
  } finally {
    await queue.close().catch(() => undefined);
    connection.disconnect();
    redis.disconnect();
  }
}

type Guard = <T>(p: Promise<T>, what: string) => Promise<T>;

/** Moves rows from the results hash into the store (one transaction per batch), then deletes them from the hash. */
async function drain(redis: Redis, sweepId: string, o: CoordinatorOptions, guard: Guard): Promise<number> {
  let cursor = "0";
  let moved = 0;
  do {
    const [next, flat] = await guard(redis.hscan(resultsKey(sweepId), cursor, "COUNT", 1000), "reading results");
    cursor = next;
    if (flat.length === 0) continue;
    const fields: string[] = [];
    const rows: StoredPoint[] = [];
    for (let i = 0; i < flat.length; i += 2) {
      fields.push(flat[i]);
      rows.push(JSON.parse(flat[i + 1]) as StoredPoint);
    }
    o.onRows(rows);
    await guard(redis.hdel(resultsKey(sweepId), ...fields), "deleting moved results");
    moved += rows.length;
  } while (cursor !== "0");
  return moved;
}

/** Jobs of this sweep that failed after their retries: stored as failed points with the error, then removed. */
async function collectFailed(queue: Queue, sweepId: string, o: CoordinatorOptions, guard: Guard): Promise<void> {
  const failed = (await guard(queue.getFailed(0, 999), "reading failed jobs")) as Job<JobData>[];
  const mine = failed.filter((j) => j?.data?.sweepId === sweepId);
  if (mine.length === 0) return;
  o.onRows(
    mine.map((j) => ({
      key: j.data.key,
      index: j.data.index,
      values: j.data.values,
      status: "failed" as const,
      error: `worker error after ${j.attemptsMade} attempts: ${j.failedReason}`,
      seconds: 0,
      worker: "queue",
    })),
  );
  for (const j of mine) await guard(j.remove(), "removing failed jobs");
}

export interface WorkerOptions {
  concurrency: number;
  lockSeconds: number;
  /** How long Redis may be unreachable before the worker gives up (ms). */
  redisTimeoutMs: number;
  /** Computes one point (in a worker thread); returns its row. */
  compute(sweepId: string, task: SweepTask, job: PointJob): Promise<StoredPoint>;
  log(line: string): void;
}

/** A running queue worker. */
export interface QueueWorker {
  /**
   * Stops taking jobs and waits up to `graceMs` for the points in hand to finish and be delivered; points still
   * running then go back to the queue's wait list (BullMQ's moveToWait: no attempt used), each given at most
   * `releaseMs`; the connections are closed in any case. Resolves within about graceMs + releaseMs.
   */
  close(graceMs: number, releaseMs?: number): Promise<void>;
  /** Resolves with a one-line reason when Redis has not answered for `redisTimeoutMs` (the worker is then useless). */
  readonly lost: Promise<string>;
}

/** The worker's Redis health check period (ms): a PING with this deadline, when the client is connected. */
const HEALTH_MS = 1000;

/** A queue worker: pulls jobs until closed, or until Redis is lost for `redisTimeoutMs`. */
export function startWorker(url: string, o: WorkerOptions): QueueWorker {
  const redis = client(url);
  const tasks = new Map<string, SweepTask>();
  const connection = client(url);
  // Raised when a stop's grace period ends: the jobs in hand go back to the queue instead of waiting for them.
  let releaseNow: (() => void) | null = null;
  const release = new Promise<void>((resolve) => (releaseNow = resolve));
  let releaseMs = 3000;
  const worker = new Worker<JobData>(
    QUEUE_NAME,
    async (job, token) => {
      const work = (async () => {
        const { sweepId } = job.data;
        let task = tasks.get(sweepId);
        if (!task) {
          const text = await redis.get(taskKey(sweepId));
          // The coordinator finished (or gave up) and removed its task: nothing to do for this job.
          if (text === null) return;
          task = JSON.parse(text) as SweepTask;
          tasks.clear();
          tasks.set(sweepId, task);
        }
        const row = await o.compute(sweepId, task, {
          key: job.data.key,
          index: job.data.index,
          values: job.data.values,
        });
        await redis.hset(resultsKey(sweepId), job.data.key, JSON.stringify(row));
      })();
      work.catch(() => undefined); // a point abandoned below may still fail (its worker thread destroyed)
      const released = await Promise.race([work.then(() => false), release.then(() => true)]);
      if (!released) return;
      // Stopping: hand the job back (its lock released, no attempt counted), as BullMQ documents for moveToWait.
      await deadline(job.moveToWait(token), releaseMs, "moveToWait").catch(() => undefined);
      throw new WaitingError();
    },
    {
      connection,
      prefix: PREFIX,
      concurrency: o.concurrency,
      lockDuration: o.lockSeconds * 1000,
      stalledInterval: Math.max(500, (o.lockSeconds * 1000) / 2),
      maxStalledCount: 5,
    },
  );
  worker.on("error", () => undefined);
  worker.on("failed", (job, err) => o.log(`job ${job?.id ?? "?"} failed: ${err.message}`));

  // Redis health: a PING every HEALTH_MS while connected; no answer (or no connection) for redisTimeoutMs is a loss.
  let stopped = false;
  let healthTimer: NodeJS.Timeout | undefined;
  const lost = new Promise<string>((resolve) => {
    let lastOk = Date.now();
    const check = async () => {
      if (stopped) return;
      if (redis.status === "ready") {
        try {
          await deadline(redis.ping(), HEALTH_MS, "ping");
          lastOk = Date.now();
        } catch {
          // counted below
        }
      }
      if (stopped) return;
      if (Date.now() - lastOk >= o.redisTimeoutMs) {
        resolve(
          `lost the connection to Redis at ${url} (no answer for ${Math.round(o.redisTimeoutMs / 1000)} s, ` +
            `--redis-timeout); the worker stopped: the points it had in hand return to the queue after ` +
            `--lock-seconds`,
        );
        return;
      }
      healthTimer = setTimeout(() => void check(), HEALTH_MS);
    };
    healthTimer = setTimeout(() => void check(), HEALTH_MS);
  });

  const timer = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref());
  return {
    lost,
    async close(graceMs: number, release = 3000) {
      stopped = true;
      clearTimeout(healthTimer);
      releaseMs = release;
      const closing = worker.close().catch(() => undefined);
      await Promise.race([closing, timer(graceMs)]);
      releaseNow?.();
      await Promise.race([closing, timer(release + 500)]);
      connection.disconnect();
      redis.disconnect();
    },
  };
}
