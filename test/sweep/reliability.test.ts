// The reliability flag of stochastic sweep outputs: stored per point as `ness simulate` flags it (src/verify), exported
// as `<output>.reliable` and `<output>.note` in CSV and Parquet, drawn hollow by `ness plot`; a store written before
// the flags were kept stays readable, resumes for exact outputs and is refused in one line for stochastic ones.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { tableFromIPC } from "apache-arrow";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SweepStore } from "../../src/io/sweepStore.js";
import { validateModel } from "../../src/model/index.js";
import { simulateAndVerifySync } from "../../src/verify/simulation.js";
import { runCli } from "../helpers/cli.js";

const require = createRequire(import.meta.url);
let dir: string;
// A two-site overdamped network: at pinning 0.02 the slowest mode relaxes at about 0.02, so batches of 100/16 time
// units are far shorter than 5 of its correlation times (unreliable); at pinning 2 they are long enough.
const base = {
  kind: "network",
  dynamics: "overdamped",
  sites: ["a", "b"],
  pinning: 1,
  springs: [{ between: ["a", "b"], stiffness: 1 }],
  baths: [
    { site: "a", friction: 1, temperature: 2 },
    { site: "b", friction: 1, temperature: 1 },
  ],
};
const compute = { time: 100, dt: 0.05, replicas: 2 };

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "ness-sweep-flags-"));
  writeFileSync(path.join(dir, "pair.json"), JSON.stringify(base));
  writeFileSync(
    path.join(dir, "sim.yaml"),
    `base: {model: ${JSON.stringify(path.join(dir, "pair.json"))}}
axes: [{path: pinning, values: [0.02, 2]}]
compute: {kind: simulate, time: ${compute.time}, dt: ${compute.dt}, replicas: ${compute.replicas}}
outputs: ["springs[a-b].flux", entropyProduction]
seed: 5
`,
  );
  writeFileSync(
    path.join(dir, "exact.yaml"),
    `base: {model: ${JSON.stringify(path.join(dir, "pair.json"))}}
axes: [{path: pinning, values: [0.5, 1, 2]}]
compute: {kind: exact}
outputs: [entropyProduction]
`,
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Removes the flags column, as a store written before the flags were kept has it. */
function makeOld(out: string): void {
  const db = new Database(path.join(out, "sweep.sqlite"));
  db.exec("ALTER TABLE points DROP COLUMN flags");
  db.close();
}

describe("reliability flags of a sweep's stochastic outputs", () => {
  it("are stored as `ness simulate` flags each point, and exported to CSV and Parquet", async () => {
    const out = path.join(dir, "sim");
    const r = await runCli("sweep", path.join(dir, "sim.yaml"), "--out", out, "--workers", "1", "--no-progress");
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const store = SweepStore.openExisting(out);
    const pts = [...store.points()];
    store.close();
    expect(pts).toHaveLength(2);
    const seen = new Set<boolean>();
    for (const p of pts) {
      const v = simulateAndVerifySync(
        validateModel({ ...base, pinning: p.values[0] }),
        { dt: compute.dt },
        {
          time: compute.time,
          seed: 5,
          replicas: compute.replicas,
        },
      );
      const flux = v.estimates.find((e) => e.group === "spring flux")!;
      const ep = v.estimates.find((e) => e.group === "entropy production")!;
      expect(p.outputs!["springs[a-b].flux"]).toBe(flux.value);
      expect(p.flags).toEqual({
        "springs[a-b].flux": { reliable: flux.reliable, ...(flux.note ? { note: flux.note } : {}) },
        entropyProduction: { reliable: ep.reliable, ...(ep.note ? { note: ep.note } : {}) },
      });
      seen.add(flux.reliable);
    }
    // one point of each kind: the weak pinning's batches are too short for its slowest mode (seen by the correlated-run
    // rule or the slowest-mode rule)
    expect([...seen].sort()).toEqual([false, true]);
    expect(pts[0].flags!["springs[a-b].flux"].note).toMatch(/correlation time/);
    const csv = readFileSync(path.join(out, "results.csv"), "utf8")
      .split("\n")
      .filter((l) => l !== "" && !l.startsWith("#"));
    const head = csv[0].split(",");
    expect(head.slice(3, 9)).toEqual([
      "springs[a-b].flux",
      "springs[a-b].flux.error",
      "springs[a-b].flux.reliable",
      "springs[a-b].flux.note",
      "entropyProduction",
      "entropyProduction.error",
    ]);
    expect(head).toContain("entropyProduction.reliable");
    const at = head.indexOf("springs[a-b].flux.reliable");
    expect(csv[1].split(",")[at]).toBe("false");
    expect(csv[2].split(",")[at]).toBe("true");
    const pq = require("parquet-wasm/node") as typeof import("parquet-wasm/node");
    const table = tableFromIPC(
      pq.readParquet(new Uint8Array(readFileSync(path.join(out, "results.parquet")))).intoIPCStream(),
    );
    expect(table.getChild("springs[a-b].flux.reliable")!.toArray()).toEqual([false, true]);
    expect(String(table.getChild("springs[a-b].flux.note")!.get(0))).toMatch(/correlation time/);
    expect(String(table.getChild("springs[a-b].flux.note")!.get(1))).toBe("");
    // ness plot draws the unreliable point hollow and says so
    const svg = path.join(dir, "flux.svg");
    const plot = await runCli("plot", out, "--x", "pinning", "--y", "springs[a-b].flux", "--figure", svg);
    expect(plot.code).toBe(0);
    const text = readFileSync(svg, "utf8");
    expect(text).toContain("Hollow markers:");
    expect(text).toMatch(/<g stroke-width="1.4" stroke="#[0-9a-f]+" fill="white" aria-label="dot">/);
  });

  it("a store without the flags column: readable; --resume refused in one line for stochastic outputs", async () => {
    const out = path.join(dir, "old-sim");
    expect((await runCli("sweep", path.join(dir, "sim.yaml"), "--out", out, "--no-progress")).code).toBe(0);
    makeOld(out);
    const before = readFileSync(path.join(out, "sweep.sqlite"));
    const r = await runCli("sweep", path.join(dir, "sim.yaml"), "--out", out, "--resume", "--no-progress");
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/did not keep the reliability flags of stochastic outputs .*another --out/);
    expect(readFileSync(path.join(out, "sweep.sqlite")).equals(before)).toBe(true);
    // still readable: its points (without flags) and a figure (no hollow markers)
    const store = SweepStore.openExisting(out);
    const pts = [...store.points()];
    expect(store.hasFlags).toBe(false);
    store.close();
    expect(pts).toHaveLength(2);
    expect(pts.every((p) => p.flags === undefined && p.outputs !== undefined)).toBe(true);
    const svg = path.join(dir, "old.svg");
    expect((await runCli("plot", out, "--x", "pinning", "--y", "entropyProduction", "--figure", svg)).code).toBe(0);
    expect(readFileSync(svg, "utf8")).not.toContain("Hollow markers");
    expect(readFileSync(svg, "utf8")).not.toContain('fill="white" aria-label="dot"');
  });

  it("a store without the flags column resumes for exact outputs (the column is added)", async () => {
    const out = path.join(dir, "old-exact");
    expect((await runCli("sweep", path.join(dir, "exact.yaml"), "--out", out, "--no-progress")).code).toBe(0);
    makeOld(out);
    const db = new Database(path.join(out, "sweep.sqlite"));
    db.exec("DELETE FROM points WHERE idx = 2");
    db.close();
    const r = await runCli("sweep", path.join(dir, "exact.yaml"), "--out", out, "--resume", "--no-progress");
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const store = SweepStore.openExisting(out);
    expect(store.hasFlags).toBe(true);
    expect([...store.points()]).toHaveLength(3);
    store.close();
    const csv = readFileSync(path.join(out, "results.csv"), "utf8");
    expect(csv).not.toContain(".reliable");
  });
});
