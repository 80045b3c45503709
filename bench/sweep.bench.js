// Sweeps: points per second of a 10^5-point exact sweep (a 4-site chain: 1000 bath temperatures x 100 spring
// stiffnesses) through the sweep machinery (keys, worker pool, SQLite store in transactions) on 1 and 2 worker threads,
// against a plain loop doing the same computations (edit the model, validate it, solve it) with nothing stored; and
// the overhead per point of the queue path (BullMQ on a local redis-server, two `ness worker` processes) on fewer
// points. Interleaved rounds (bench/rounds.js); the ratios are wall-clock ones here (threads and processes).
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { fmtRatio, interleave, median, roundsFor } from "./rounds.js";

export const title = "ness sweep: points/s of an exact sweep (1 and 2 workers, queue) vs a plain loop";

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, "..", "dist");
const NESS = join(here, "..", "bin", "ness.js");
const chain = join(here, "..", "examples", "networks", "example1-chain.yaml");

const { readSweepSpec, planPoints } = await import(join(dist, "cli", "commands", "sweepRun.js"));
const { prepareSweep } = await import(join(dist, "sweep", "evaluate.js"));
const { SweepStore } = await import(join(dist, "io", "sweepStore.js"));
const { runLocal } = await import(join(dist, "workers", "sweepPool.js"));
const { runQueued } = await import(join(dist, "queue", "sweepQueue.js"));
const { validateModel, parseModelText } = await import(join(dist, "model", "index.js"));
const { solveNetwork } = await import(join(dist, "exact", "network.js"));

function specText(nT, nK) {
  return `base: {model: ${JSON.stringify(chain)}}
axes:
  - {path: "baths[0].temperature", range: "10:100:${nT}"}
  - {path: "springs[2-3].stiffness", log: "0.1:10:${nK}"}
compute: {kind: exact}
outputs: ["springs[2-3].flux", entropyProduction]
`;
}

async function timed(fn) {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await fn();
  const c = process.cpuUsage(c0);
  return { cpu: (c.user + c.system) / 1e6, wall: (performance.now() - t0) / 1000 };
}

function freePort() {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

export async function run(log, options) {
  const rounds = roundsFor(options, 3, 2);
  const tmp = mkdtempSync(join(tmpdir(), "ness-bench-sweep-"));
  try {
    const n = options?.quick ? [100, 100] : [1000, 100];
    writeFileSync(join(tmp, "s.yaml"), specText(...n));
    const spec = readSweepSpec(join(tmp, "s.yaml"));
    const prepared = prepareSweep(spec);
    const points = spec.count;
    log(`  ${points} points of ${spec.outputs.join(", ")} (exact, 4-site chain); ${rounds} interleaved rounds`);
    const base = parseModelText(readFileSync(chain, "utf8"));
    const plain = {
      name: "plain loop",
      round: () =>
        timed(() => {
          const raw = structuredClone(base);
          let sum = 0;
          for (let i = 0; i < n[0]; i++) {
            for (let j = 0; j < n[1]; j++) {
              raw.baths[0].temperature = 10 + (90 * i) / (n[0] - 1);
              raw.springs[1].stiffness = 0.1 * 100 ** (j / (n[1] - 1));
              sum += solveNetwork(validateModel(structuredClone(raw)), { bySource: false }).entropyProduction;
            }
          }
          if (!Number.isFinite(sum)) throw new Error("plain loop: non-finite sum");
        }),
    };
    let counter = 0;
    const sweep = (workers) => ({
      name: `sweep, ${workers} worker${workers > 1 ? "s" : ""}`,
      round: () =>
        timed(async () => {
          const { jobs } = planPoints(spec, prepared.key);
          const out = join(tmp, `run${++counter}`);
          const store = SweepStore.open(
            out,
            {
              sweepId: `b${counter}`,
              version: "bench",
              seed: 0,
              spec: "{}",
              axes: spec.axes.map((a) => a.name),
              columns: prepared.columns,
              points,
              keys: jobs.length,
            },
            false,
          );
          try {
            await runLocal(`b${counter}`, prepared.task, jobs, workers, prepared.compute.relativeCost, {
              onRows: (rows) => store.put(rows),
            });
            if (store.counts().done !== jobs.length) throw new Error("sweep: missing points");
          } finally {
            store.close();
            rmSync(out, { recursive: true, force: true });
          }
        }),
    });
    const res = await interleave([plain, sweep(1), sweep(2)], rounds, log);
    const rate = (name) => (res[name]?.length ? points / median(res[name].map((r) => r.wall)) : NaN);
    for (const name of Object.keys(res)) {
      const ratios = res[name].map((r, k) => r.wall / res["plain loop"][k].wall);
      log(
        `  ${name}: ${Math.round(rate(name))} points/s (median wall)${name === "plain loop" ? "" : `; wall ratio to the plain loop by round ${ratios.map(fmtRatio).join(" ")}`}`,
      );
    }
    await queueOverhead(log, tmp, options, rounds);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

async function queueOverhead(log, tmp, options, rounds) {
  if (spawnSync("redis-server", ["--version"]).status !== 0) {
    log("  queue: redis-server not installed: skipped");
    return;
  }
  const nT = options?.quick ? 10 : 40;
  writeFileSync(join(tmp, "q.yaml"), specText(nT, 50));
  const spec = readSweepSpec(join(tmp, "q.yaml"));
  const prepared = prepareSweep(spec);
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  const redis = spawn(
    "redis-server",
    ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
    { stdio: "ignore" },
  );
  await new Promise((r) => setTimeout(r, 300));
  const workers = [0, 1].map(() =>
    spawn(process.execPath, [NESS, "worker", "--queue", url, "--workers", "1"], { stdio: "ignore" }),
  );
  try {
    await new Promise((r) => setTimeout(r, 2000));
    let k = 0;
    const local = {
      name: "local, 1 worker",
      round: () =>
        timed(async () => {
          const { jobs } = planPoints(spec, prepared.key);
          await runLocal("l", prepared.task, jobs, 1, 1, { onRows: () => undefined });
        }),
    };
    const queued = {
      name: "queue, 2 workers",
      round: () =>
        timed(async () => {
          const { jobs } = planPoints(spec, prepared.key);
          const id = `bench${process.pid}x${++k}`;
          const left = new Set(jobs.map((j) => j.key));
          await runQueued(url, id, prepared.task, jobs, {
            onRows: (rows) => rows.forEach((r) => left.delete(r.key)),
            finished: () => left.size === 0,
            redisTimeoutMs: 30_000,
            out: tmp,
          });
        }),
    };
    const res = await interleave([local, queued], rounds, log);
    if (res[local.name] && res[queued.name]) {
      const per = res[queued.name].map((r, i) => (r.wall - res[local.name][i].wall) / spec.count);
      log(
        `  queue path (${spec.count} points, one job each, 2 worker processes on localhost): overhead per point vs the local loop by round ` +
          `${per.map((x) => `${(x * 1e3).toFixed(3)} ms`).join(" ")}; median ${(median(per) * 1e3).toFixed(3)} ms`,
      );
    }
  } finally {
    for (const w of workers) w.kill("SIGKILL");
    redis.kill("SIGTERM");
  }
}
