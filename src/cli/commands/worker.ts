/**
 * `ness worker --queue URL` (its options in sweep.ts): a module of its own, so that a worker loads the queue client
 * and the thread pool but none of what only the coordinator needs (the sweep store, the spec and study loaders).
 */
import { hostname } from "node:os";
import { fileURLToPath } from "node:url";
import { Piscina } from "piscina";
import { ModelError, SweepError } from "../../errors.js";
import { numberOption } from "../../model/options.js";
import { checkRedis, startWorker } from "../../queue/sweepQueue.js";
import { defaultWorkers, threadExecArgv } from "../../workers/pool.js";
import type { ChunkReply, ChunkTask } from "../../workers/sweepWorker.js";
import { exitOnNextSignal, Interrupted, onStopSignal, SIGNAL_EXIT, type StopSignal } from "../interrupt.js";

/** After SIGINT/SIGTERM, how long `ness worker` waits for the points in hand before handing them back (ms). */
export const WORKER_GRACE_MS = 5000;
/** The bound on handing one point back to the queue, and on closing the worker threads (ms). */
const WORKER_RELEASE_MS = 2000;

/**
 * `ness worker --queue URL`: computes sweep points from the queue until stopped by a signal (exit 130/143 after the
 * points in hand, at most WORKER_GRACE_MS, then those still running go back to the queue), or until Redis has not
 * answered for --redis-timeout seconds (one line, exit 1).
 */
export async function runWorker(o: {
  queue?: string;
  workers?: string;
  lockSeconds?: string;
  redisTimeout?: string;
}): Promise<void> {
  if (o.queue === undefined) throw new ModelError("--queue is required (redis://HOST:PORT)");
  const concurrency = numberOption(o.workers, "--workers", { integer: true, min: 1, max: 1024 }) ?? defaultWorkers();
  const lockSeconds = numberOption(o.lockSeconds ?? "30", "--lock-seconds", { min: 1, max: 86400 })!;
  const redisTimeout = numberOption(o.redisTimeout ?? "60", "--redis-timeout", { min: 1, max: 86400 })!;
  await checkRedis(o.queue);
  // From here this command stops on a signal itself, after the points in hand (below). The handler takes over from
  // the start-up one without a gap, so a signal arriving while the threads and the queue client start is kept too.
  let signalled: (s: StopSignal) => void = () => {};
  const stopped = new Promise<{ signal: StopSignal }>((resolve) => (signalled = (signal) => resolve({ signal })));
  onStopSignal((s) => {
    exitOnNextSignal(); // a second signal stops at once
    signalled(s);
  });
  const here = new URL(import.meta.url);
  const script = fileURLToPath(
    here.pathname.endsWith(".ts")
      ? new URL("../../../dist/workers/sweepWorker.js", here)
      : new URL("../../workers/sweepWorker.js", here),
  );
  const pool = new Piscina({
    filename: script,
    minThreads: 1,
    maxThreads: concurrency,
    idleTimeout: 60_000,
    execArgv: threadExecArgv(),
  });
  const worker = startWorker(o.queue, {
    concurrency,
    lockSeconds,
    redisTimeoutMs: redisTimeout * 1000,
    compute: async (sweepId, task, job) => {
      const r = (await pool.run({ sweepId, task, jobs: [job] } satisfies ChunkTask)) as ChunkReply;
      if (!r.ok) throw new Error(r.message);
      return r.rows[0];
    },
    log: (line) => process.stderr.write(`ness worker: ${line}\n`),
  });
  process.stderr.write(
    `ness worker: ${hostname()}:${process.pid} waiting for sweep points on ${o.queue} (${concurrency} at once)\n`,
  );
  const stop = await Promise.race([stopped, worker.lost.then((reason) => ({ reason }))]);
  // Whatever happens below, the process ends: nothing (a reconnecting client, a worker thread) may keep it alive.
  const code = "signal" in stop ? SIGNAL_EXIT[stop.signal] : 1;
  const bound = WORKER_GRACE_MS + 3 * WORKER_RELEASE_MS + 1000;
  setTimeout(() => process.exit(code), bound).unref();
  if ("signal" in stop)
    process.stderr.write(
      `ness worker: ${stop.signal}: finishing the points in hand for up to ${WORKER_GRACE_MS / 1000} s ` +
        `(a second signal stops at once)\n`,
    );
  exitOnNextSignal(); // after Redis was lost too: a signal now stops at once
  // Redis lost: nothing can be delivered; the jobs in hand return to the queue when their locks expire.
  await worker.close("signal" in stop ? WORKER_GRACE_MS : 0, WORKER_RELEASE_MS);
  await Promise.race([pool.destroy(), new Promise((r) => setTimeout(r, WORKER_RELEASE_MS).unref())]);
  if ("reason" in stop) throw new SweepError(stop.reason);
  throw new Interrupted(
    stop.signal,
    `worker stopped by ${stop.signal} (the points it had finished are delivered; the others went back to the queue)`,
  );
}
