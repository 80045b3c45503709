// A split run on worker threads (src/workers/splitThreads.ts: shared memory, Atomics barriers) gives the numbers of
// the same run with its shares run one after another on one thread, to the bit: Heun and Euler-Maruyama, 2 and 3
// threads, several replicas (each a new buffer handed to the same helpers), two runs alternating on one helper set.
// Needs dist/ (the helper script): npm run build.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { validateParticles } from "../../src/model/particles.js";
import { eulerMaruyama, heun } from "../../src/stochastic/integrators.js";
import { simulateSync } from "../../src/stochastic/run.js";
import { FORCE_PHASES, registerSplitExecutor, serialExecutor, splitExecutor } from "../../src/stochastic/splitDisks.js";
import { closeSplitThreads, startSplitThreads, threadedExecutor } from "../../src/workers/splitThreads.js";

const model = validateParticles({
  kind: "particles",
  dynamics: "overdamped",
  dimension: 2,
  box: [30, 25],
  species: [
    { name: "hot", count: 500, temperature: 0.02 },
    { name: "cold", count: 400, temperature: 0.0002, friction: 2 },
  ],
  pairs: [{ potential: "soft", stiffness: 1, range: 1 }],
  initial: "random",
});

afterAll(async () => {
  registerSplitExecutor(threadedExecutor, startSplitThreads);
  await closeSplitThreads();
});

const values = (r: ReturnType<typeof simulateSync>) => r.estimates.flatMap((e) => [e.value, e.error]);

describe("split runs on threads", () => {
  it("importing the module registers the threaded executor; it runs on threads once they have started", async () => {
    await startSplitThreads(2);
    await startSplitThreads(3);
    const c = { n: 10, threads: 2, box: [4, 4] as [number, number], stiffness: 1, range: 1 };
    const exec = splitExecutor({
      ...c,
      mobilityDt: new Float64Array(10),
      noiseScale: new Float64Array(10),
      keepPrevious: false,
    });
    expect(exec.kernel.x.buffer).toBeInstanceOf(SharedArrayBuffer);
    // the shared memory's WebAssembly force loop, not the JavaScript fallback (the same bits either way)
    expect(exec.kernel.forceLoop(0)).toBe("wasm");
  });

  it.each([
    ["Heun, exact pair heat", heun({ dt: 0.1 }), {}],
    ["Euler-Maruyama, trapezoid", eulerMaruyama({ dt: 0.1 }), { pairHeat: "trapezoid" as const }],
  ])("%s: threads give the serial shares' numbers, bit for bit", (_, scheme, extra) => {
    const o = { time: 8, burnIn: 2, seed: 21, replicas: 3, ...extra };
    registerSplitExecutor(null); // shares one after another
    const serial2 = values(simulateSync(model, scheme, { ...o, threads: 2 }));
    const serial1 = values(simulateSync(model, scheme, { ...o, threads: 1 }));
    registerSplitExecutor(threadedExecutor, startSplitThreads);
    const threaded2 = values(simulateSync(model, scheme, { ...o, threads: 2 }));
    const threaded3 = values(simulateSync(model, scheme, { ...o, threads: 3 }));
    expect(serial1.every(Number.isFinite)).toBe(true);
    expect(serial2).toEqual(serial1);
    expect(threaded2).toEqual(serial1);
    expect(threaded3).toEqual(serial1);
  });

  it("two runs alternating on one set of helpers each get their own buffer back", () => {
    registerSplitExecutor(threadedExecutor, startSplitThreads);
    const c = {
      n: 900,
      threads: 2,
      box: [30, 25] as [number, number],
      stiffness: 1,
      range: 1,
      mobilityDt: new Float64Array(900).fill(0.1),
      noiseScale: new Float64Array(900).fill(0.01),
      keepPrevious: false,
    };
    const a = threadedExecutor(c),
      b = threadedExecutor(c),
      ref = serialExecutor(c);
    for (const e of [a, b, ref]) for (let i = 0; i < 1800; i++) e.kernel.x[i] = ((i * 7919) % 2503) / 100;
    b.kernel.x[0] += 0.5; // b differs from a and ref
    const force = FORCE_PHASES;
    a.run(force);
    b.run(force);
    ref.run(force);
    expect(Array.from(a.kernel.f)).toEqual(Array.from(ref.kernel.f));
    expect(a.kernel.potential()).toBe(ref.kernel.potential());
    expect(b.kernel.potential()).not.toBe(ref.kernel.potential());
  });
});

describe("ness simulate --threads", () => {
  it("prints the same numbers for --threads 1 and 2, says it split, and exits (the helpers do not hold it)", () => {
    const dir = mkdtempSync(join(tmpdir(), "ness-split-"));
    try {
      writeFileSync(
        join(dir, "disks.yaml"),
        `kind: particles
dynamics: overdamped
dimension: 2
box: 30
species:
  - {name: hot, count: 300, temperature: 0.02}
  - {name: cold, count: 300, temperature: 0.0002}
pairs: [{potential: soft, stiffness: 1, range: 1}]
initial: random
`,
      );
      const run = (...extra: string[]) => {
        const r = spawnSync(
          process.execPath,
          ["bin/ness.js", "simulate", join(dir, "disks.yaml"), "--time", "5", "--dt", "0.1", "--seed", "3", ...extra],
          { encoding: "utf8", timeout: 60_000 },
        );
        expect(r.status).toBe(0);
        return r.stdout;
      };
      const json = (text: string) => {
        const doc = JSON.parse(text) as Record<string, unknown>;
        delete doc.command;
        return doc;
      };
      const one = json(run("--threads", "1", "--json")),
        two = json(run("--threads", "2", "--json"));
      expect(two).toEqual(one);
      expect(one.split).toBe(true);
      expect(one.noise).toBe("counter");
      expect(run("--threads", "2")).toContain("split across threads (--threads)");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
