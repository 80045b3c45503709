// Distributed sweeps on a real redis-server (test/helpers/redis.ts): the queue path stores exactly what a local
// sweep stores, whatever happens to workers, the coordinator or Redis; a worker stops promptly on SIGTERM/SIGINT
// (a point in hand goes back to the queue) and gives up in one line when Redis is gone. Runs bin/ness.js processes
// (needs dist/); every process a test starts is stopped after it (afterEach), also when the test fails, except the
// pair of plain workers that the first describe block's tests share (sharedWorkers: started by the first test that
// needs them, again by any test that finds one gone, stopped with their Redis); each sweep has a store and sweep id
// of its own.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { readSweepSpec } from "../../src/cli/commands/sweepRun.js";
import { SweepStore } from "../../src/io/sweepStore.js";
import { PREFIX, QUEUE_NAME, taskKey, type JobData } from "../../src/queue/sweepQueue.js";
import { prepareSweep } from "../../src/sweep/evaluate.js";
import { runCli } from "../helpers/cli.js";
import { startRedis, type TestRedis } from "../helpers/redis.js";

const bin = path.resolve("bin/ness.js");
const chain = path.resolve("examples/networks/example1-chain.yaml");
// POINTS points of a short simulation (a few milliseconds each): the tests interrupt a sweep once 20 are stored, so
// most are still to do then (the delivery of the rest is what is checked); each point costs its share of every sweep.
const POINTS = 100;
const SPEC = `base: {model: ${JSON.stringify(chain)}}
axes:
  - {path: "baths[0].temperature", range: "10:100:${POINTS}"}
compute: {kind: simulate, time: 10, dt: 0.05}
outputs: ["springs[2-3].flux", entropyProduction]
seed: 7
`;

let dir: string;
let spec: string;
let reference: Map<string, Record<string, number>>;

// The cost line a queue sweep prints on stderr when its estimate (the first point, timed, times the points left)
// exceeds a minute (sweepRun.ts, docs/sweep.md): on a loaded machine the few-millisecond points of SPEC can reach it.
const ESTIMATE =
  /^ness: sweep: \d+ points? to compute \(of \d+ distinct in \d+\), about .+ of computing, shared by the queue's workers$/;

/** The lines of stderr other than the cost estimate, which may appear once, before them (and nothing else may). */
function besidesEstimate(stderr: string): string[] {
  const lines = stderr.split("\n").filter((l) => l !== "");
  if (lines.length > 0 && ESTIMATE.test(lines[0])) lines.shift();
  return lines;
}

interface Proc {
  proc: ChildProcess;
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
  /** What it has printed on stderr so far. */
  stderr: () => string;
}

/** The line a worker prints once it is connected and waiting for points. */
const WAITING = /waiting for sweep points on redis:\/\/127\.0\.0\.1:\d+/;

/** Every process started by ness() and not yet reaped (the shared workers are started by spawnNess, below). */
const started = new Set<Proc>();

function ness(...args: string[]): Proc {
  const p = spawnNess(args);
  started.add(p);
  void p.done.then(() => started.delete(p));
  return p;
}

function spawnNess(args: string[]): Proc {
  const proc = spawn(process.execPath, [bin, ...args], { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "",
    stderr = "";
  proc.stdout!.on("data", (d) => (stdout += d));
  proc.stderr!.on("data", (d) => (stderr += d));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>(
    (resolve) => proc.once("exit", (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  return { proc, done, stderr: () => stderr };
}

const running = (p: Proc) => p.proc.exitCode === null && p.proc.signalCode === null;

/** Stops every process of `procs` still running (SIGTERM, then SIGKILL after 20 s) and waits until each has exited. */
async function stopAll(procs: Iterable<Proc>): Promise<void> {
  const left = [...procs].filter(running);
  for (const p of left) p.proc.kill("SIGTERM");
  await Promise.all(
    left.map(async (p) => {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([p.done, new Promise((r) => (timer = setTimeout(r, 20_000)))]);
      clearTimeout(timer);
      if (running(p)) {
        p.proc.kill("SIGKILL");
        await p.done;
      }
    }),
  );
}

/** Stops every process started by ness() and not yet reaped. */
async function reap(): Promise<void> {
  await stopAll(started);
  started.clear();
}

// After every test, before the describe blocks' afterAll stops their redis-server: a worker left running by a test
// that failed half-way would otherwise outlive its Redis.
afterEach(reap);

function stored(out: string): { rows: number; byKey: Map<string, Record<string, number>> } {
  const s = SweepStore.openExisting(path.join(dir, out));
  try {
    const byKey = new Map<string, Record<string, number>>();
    let rows = 0;
    for (const p of s.points()) {
      rows++;
      expect(p.status).toBe("done");
      byKey.set(p.key, p.outputs!);
    }
    return { rows, byKey };
  } finally {
    s.close();
  }
}

/** Rows in a store being written by another process (0 before it exists). */
function count(out: string): number {
  try {
    const s = SweepStore.openExisting(path.join(dir, out));
    try {
      return s.counts().done;
    } finally {
      s.close();
    }
  } catch {
    return 0;
  }
}

async function until(what: string, test: () => boolean, seconds = 60): Promise<void> {
  const end = Date.now() + seconds * 1000;
  while (!test()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function stopWorkers(ws: Proc[]): Promise<void> {
  for (const w of ws) if (w.proc.exitCode === null && w.proc.signalCode === null) w.proc.kill("SIGTERM");
  await Promise.all(ws.map((w) => w.done));
}

function expectSameAsLocal(out: string): void {
  const { rows, byKey } = stored(out);
  expect(rows).toBe(POINTS);
  expect(byKey).toEqual(reference);
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "ness-sweep-queue-"));
  spec = path.join(dir, "sweep.yaml");
  writeFileSync(spec, SPEC);
  const r = await runCli("sweep", spec, "--out", path.join(dir, "local"), "--workers", "1", "--no-progress");
  expect(r.code).toBe(0);
  reference = stored("local").byKey;
  expect(reference.size).toBe(POINTS);
});

afterAll(async () => {
  await reap();
  rmSync(dir, { recursive: true, force: true });
});

describe("ness sweep --queue (real redis-server)", () => {
  let redis: TestRedis;
  beforeAll(async () => void (redis = await startRedis()));
  // The shared workers first: they must not outlive their Redis.
  afterAll(async () => {
    await stopAll(shared);
    await redis.dispose();
  });

  /**
   * Two plain workers (`--workers 1`, default lock) on this block's Redis, shared by the tests that need no other
   * kind (a worker process costs most of its CPU starting): a test finding one exited starts a new one in its place.
   */
  const shared: Proc[] = [];
  function sharedWorkers(): Proc[] {
    for (let i = 0; i < 2; i++)
      if (!shared[i] || !running(shared[i])) shared[i] = spawnNess(["worker", "--queue", redis.url, "--workers", "1"]);
    return shared;
  }

  // First, before the shared workers start: its own two (short locks) are the only ones on the queue.
  it("kill -9 of a worker mid-sweep: nothing lost, nothing doubled", async () => {
    const ws = [
      ness("worker", "--queue", redis.url, "--workers", "1", "--lock-seconds", "1"),
      ness("worker", "--queue", redis.url, "--workers", "1", "--lock-seconds", "1"),
    ];
    const c = ness("sweep", spec, "--out", "k", "--queue", redis.url);
    await until("some stored points", () => count("k") >= 20);
    ws[0].proc.kill("SIGKILL");
    const r = await c.done;
    expect(r.code).toBe(0);
    expectSameAsLocal("k");
    await stopWorkers(ws);
  });

  it("two workers started before the coordinator wait, then give the local sweep's results", async () => {
    const ws = sharedWorkers();
    // Nothing to do yet: each says it waits, and stays (a worker that left on an empty queue computes no point below).
    for (const w of ws) await stderrMatches(w, WAITING);
    const c = await ness("sweep", spec, "--out", "q", "--queue", redis.url).done;
    expect(besidesEstimate(c.stderr), c.stderr).toEqual([]);
    expect(c.code).toBe(0);
    expectSameAsLocal("q");
    // Both workers computed points.
    const s = SweepStore.openExisting(path.join(dir, "q"));
    const workers = new Set([...s.points()].map((p) => p.worker.split("/")[0]));
    s.close();
    expect(workers.size).toBeGreaterThanOrEqual(2);
  });

  it("coordinator killed, then --resume: every key exactly once", async () => {
    sharedWorkers();
    const c = ness("sweep", spec, "--out", "r", "--queue", redis.url);
    await until("some stored points", () => count("r") >= 20);
    c.proc.kill("SIGKILL");
    await c.done;
    const before = count("r");
    expect(before).toBeLessThan(POINTS);
    const again = await ness("sweep", spec, "--out", "r", "--queue", redis.url, "--resume").done;
    expect(again.code).toBe(0);
    expectSameAsLocal("r");
    expect(
      readdirSync(path.join(dir, "r"))
        .filter((f) => !f.startsWith("sweep.sqlite"))
        .sort(),
    ).toEqual(["results.csv", "results.parquet"]);
  });
  it("a study base: queue workers compute the study's points and store what a local sweep stores", async () => {
    const studySpec = path.join(dir, "study.yaml");
    writeFileSync(
      studySpec,
      `base: {study: variance-resonance, parameters: {k0: 0.01, q: 4000, T1: 1, T2: 11}}
axes: [{path: k, range: "0.8:1.2:12"}]
compute: {kind: study}
outputs: [covariance.sigma11, covariance.sigma12]
`,
    );
    const local = await runCli(
      "sweep",
      studySpec,
      "--out",
      path.join(dir, "s-local"),
      "--workers",
      "1",
      "--no-progress",
    );
    expect(local.code).toBe(0);
    sharedWorkers();
    const c = await ness("sweep", studySpec, "--out", "s-queue", "--queue", redis.url).done;
    expect(besidesEstimate(c.stderr), c.stderr).toEqual([]);
    expect(c.code).toBe(0);
    const a = stored("s-local"),
      b = stored("s-queue");
    expect(a.rows).toBe(12);
    expect(b.byKey).toEqual(a.byKey);
  });
});

describe("Redis restarted mid-sweep (persistence on)", () => {
  it("is survived: the sweep completes with the local results", async () => {
    const redis = await startRedis({ persistent: true });
    try {
      const ws = [
        ness("worker", "--queue", redis.url, "--workers", "1", "--lock-seconds", "2"),
        ness("worker", "--queue", redis.url, "--workers", "1", "--lock-seconds", "2"),
      ];
      const c = ness("sweep", spec, "--out", "p", "--queue", redis.url);
      await until("some stored points", () => count("p") >= 20);
      await redis.stop();
      await new Promise((r) => setTimeout(r, 500));
      await redis.start();
      const r = await c.done;
      expect(r.code).toBe(0);
      expectSameAsLocal("p");
      await stopWorkers(ws);
    } finally {
      await redis.dispose();
    }
  });

  it("is reported clearly when it does not come back, and --resume completes afterwards", async () => {
    const redis = await startRedis({ persistent: true });
    try {
      const ws = [ness("worker", "--queue", redis.url, "--workers", "1", "--lock-seconds", "2")];
      const c = ness("sweep", spec, "--out", "d", "--queue", redis.url, "--redis-timeout", "1");
      await until("some stored points", () => count("d") >= 20);
      await redis.stop();
      const r = await c.done;
      expect(r.code).toBe(1);
      const lines = besidesEstimate(r.stderr);
      expect(lines, r.stderr).toHaveLength(1);
      expect(lines[0]).toMatch(/^ness: lost the connection to Redis at redis:\/\/127\.0\.0\.1:\d+ .*--resume/);
      await redis.start();
      const again = await ness("sweep", spec, "--out", "d", "--queue", redis.url, "--resume").done;
      expect(again.code).toBe(0);
      expectSameAsLocal("d");
      await stopWorkers(ws);
    } finally {
      await redis.dispose();
    }
  });
});

/** Resolves when `p`'s stderr matches `re` (or rejects when it exits first or after `seconds`). */
async function stderrMatches(p: Proc, re: RegExp, seconds = 60): Promise<void> {
  await until(
    `stderr matching ${re}`,
    () => {
      if (!running(p)) throw new Error(`exited before printing ${re}: ${p.stderr()}`);
      return re.test(p.stderr());
    },
    seconds,
  );
}

/** Resolves with the process's exit and the seconds it took from now (rejects after `seconds`). */
async function exitWithin(
  p: Proc,
  seconds: number,
): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string; took: number }> {
  const t0 = Date.now();
  let timer: NodeJS.Timeout | undefined;
  const r = await Promise.race([
    p.done,
    new Promise<never>(
      (_, reject) => (timer = setTimeout(() => reject(new Error(`still running after ${seconds} s`)), seconds * 1000)),
    ),
  ]).finally(() => clearTimeout(timer));
  return { code: r.code, signal: r.signal, stderr: r.stderr, took: (Date.now() - t0) / 1000 };
}

// The bounds below are far above what the worker documents (exit within about 5-10 s after a signal, within
// --redis-timeout after Redis is gone) so that a loaded machine cannot fail them, and far below what the defect
// they guard against did (a worker that never exited).
describe("ness worker stops", () => {
  it("gives up with one line, exit 1, when its Redis is gone for --redis-timeout", async () => {
    const redis = await startRedis();
    try {
      const w = ness("worker", "--queue", redis.url, "--workers", "1", "--redis-timeout", "2");
      await stderrMatches(w, WAITING);
      await redis.stop();
      const r = await exitWithin(w, 60);
      expect(r.code).toBe(1);
      const lines = r.stderr.split("\n").filter((l) => l !== "");
      expect(lines, r.stderr).toHaveLength(2); // the start line, then the reason
      expect(lines[0]).toMatch(WAITING);
      expect(lines[1]).toMatch(
        /^ness: lost the connection to Redis at redis:\/\/127\.0\.0\.1:\d+ \(no answer for 2 s, --redis-timeout\); the worker stopped/,
      );
    } finally {
      await redis.dispose();
    }
  });

  it("SIGTERM with a point in hand: exits 143 and the point goes back to the queue, no attempt spent", async () => {
    const redis = await startRedis();
    const connection = new Redis(redis.url, { maxRetriesPerRequest: null });
    const queue = new Queue<JobData>(QUEUE_NAME, { connection, prefix: PREFIX });
    try {
      // A point of minutes (a long simulation), put on the queue as the coordinator does, without a coordinator.
      const long = path.join(dir, "long.yaml");
      writeFileSync(long, SPEC.replace("time: 10,", "time: 1e7,"));
      const { task } = prepareSweep(readSweepSpec(long), long);
      await connection.set(taskKey("stop"), JSON.stringify(task));
      await queue.add("point", { sweepId: "stop", key: "k", index: 0, values: [10] }, { jobId: "stop-k", attempts: 3 });
      // --lock-seconds 120: the old bound on a stop (a lock plus a second) is far above the one tested here.
      const w = ness("worker", "--queue", redis.url, "--workers", "1", "--lock-seconds", "120");
      await stderrMatches(w, WAITING);
      const end = Date.now() + 60_000;
      while ((await queue.getJobState("stop-k")) !== "active") {
        if (Date.now() > end) throw new Error("the worker did not take the point");
        await new Promise((r) => setTimeout(r, 100));
      }
      w.proc.kill("SIGTERM");
      const r = await exitWithin(w, 40);
      expect(r.code).toBe(143);
      expect(r.stderr.trim().split("\n").at(-1)).toMatch(/^ness: worker stopped by SIGTERM/);
      expect(await queue.getJobState("stop-k")).toBe("waiting");
      const job = await queue.getJob("stop-k");
      expect(job!.attemptsMade).toBe(0);
      // Nothing was delivered for it.
      expect(await connection.hlen(`${PREFIX}:sweep:stop:results`)).toBe(0);
    } finally {
      await queue.close();
      connection.disconnect();
      await redis.dispose();
    }
  });

  it("SIGINT when idle: exits 130 at once", async () => {
    const redis = await startRedis();
    try {
      const w = ness("worker", "--queue", redis.url, "--workers", "1");
      await stderrMatches(w, WAITING);
      w.proc.kill("SIGINT");
      const r = await exitWithin(w, 30);
      expect({ code: r.code, signal: r.signal, stderr: r.stderr }).toMatchObject({ code: 130, signal: null });
      expect(r.stderr.trim().split("\n").at(-1)).toMatch(/^ness: worker stopped by SIGINT/);
    } finally {
      await redis.dispose();
    }
  });
});
