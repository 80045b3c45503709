// Distributed sweeps on a real redis-server (test/helpers/redis.ts): the queue path stores exactly what a local
// sweep stores, whatever happens to workers, the coordinator or Redis. Runs bin/ness.js processes (needs dist/).
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SweepStore } from "../../src/io/sweepStore.js";
import { runCli } from "../helpers/cli.js";
import { startRedis, type TestRedis } from "../helpers/redis.js";

const bin = path.resolve("bin/ness.js");
const chain = path.resolve("examples/networks/example1-chain.yaml");
// 200 points of a short simulation (a few milliseconds each): long enough to interrupt, short enough for a test.
const SPEC = `base: {model: ${JSON.stringify(chain)}}
axes:
  - {path: "baths[0].temperature", range: "10:100:200"}
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
}

function ness(...args: string[]): Proc {
  const proc = spawn(process.execPath, [bin, ...args], { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "",
    stderr = "";
  proc.stdout!.on("data", (d) => (stdout += d));
  proc.stderr!.on("data", (d) => (stderr += d));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>(
    (resolve) => proc.once("exit", (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  return { proc, done };
}

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
  expect(rows).toBe(200);
  expect(byKey).toEqual(reference);
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "ness-sweep-queue-"));
  spec = path.join(dir, "sweep.yaml");
  writeFileSync(spec, SPEC);
  const r = await runCli("sweep", spec, "--out", path.join(dir, "local"), "--workers", "1", "--no-progress");
  expect(r.code).toBe(0);
  reference = stored("local").byKey;
  expect(reference.size).toBe(200);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("ness sweep --queue (real redis-server)", () => {
  let redis: TestRedis;
  beforeAll(async () => void (redis = await startRedis()));
  afterAll(async () => redis.dispose());

  it("two workers started before the coordinator wait, then give the local sweep's results", async () => {
    const ws = [
      ness("worker", "--queue", redis.url, "--workers", "1"),
      ness("worker", "--queue", redis.url, "--workers", "1"),
    ];
    await new Promise((r) => setTimeout(r, 1000)); // nothing to do yet: they wait
    for (const w of ws) expect(w.proc.exitCode).toBeNull();
    const c = await ness("sweep", spec, "--out", "q", "--queue", redis.url).done;
    expect(besidesEstimate(c.stderr), c.stderr).toEqual([]);
    expect(c.code).toBe(0);
    expectSameAsLocal("q");
    await stopWorkers(ws);
    // Both workers computed points.
    const s = SweepStore.openExisting(path.join(dir, "q"));
    const workers = new Set([...s.points()].map((p) => p.worker.split("/")[0]));
    s.close();
    expect(workers.size).toBeGreaterThanOrEqual(2);
  });

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

  it("coordinator killed, then --resume: every key exactly once", async () => {
    const ws = [
      ness("worker", "--queue", redis.url, "--workers", "1"),
      ness("worker", "--queue", redis.url, "--workers", "1"),
    ];
    const c = ness("sweep", spec, "--out", "r", "--queue", redis.url);
    await until("some stored points", () => count("r") >= 20);
    c.proc.kill("SIGKILL");
    await c.done;
    const before = count("r");
    expect(before).toBeLessThan(200);
    const again = await ness("sweep", spec, "--out", "r", "--queue", redis.url, "--resume").done;
    expect(again.code).toBe(0);
    expectSameAsLocal("r");
    await stopWorkers(ws);
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
    const ws = [ness("worker", "--queue", redis.url, "--workers", "1")];
    const c = await ness("sweep", studySpec, "--out", "s-queue", "--queue", redis.url).done;
    expect(besidesEstimate(c.stderr), c.stderr).toEqual([]);
    expect(c.code).toBe(0);
    await stopWorkers(ws);
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
